"""Template helpers for GOV.UK Frontend markup: the service navigation, form widgets, tables
and pagination. The component partials in ``templates/includes/components/`` use them."""

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from engage.core.access import is_signed_in
from engage.core.labels import Label

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool  # this very page: aria-current="page"
    active: bool  # a page in this section: aria-current="true"


# (label, URL name, prefixes of the view names in its section). A page whose view name starts
# with one of the prefixes marks the item as active, so a detail page marks its list.
SIGNED_IN_NAVIGATION = (
    (_("Home"), "core:home", ("core:home",)),
    (_("Policing bodies"), "directory:bodies", ("directory:bod",)),
    (_("National bodies"), "directory:national", ("directory:national",)),
    (_("Standing groups"), "directory:groups", ("directory:group",)),
    (_("Map"), "directory:map", ("directory:map",)),
    (_("Compacts"), "compacts:list", ("compacts:",)),
    (_("Activity"), "audit:log", ("audit:",)),
)
# Shown after Home to members of protocol organisations (national bodies, APCC, APACE,
# policing bodies): engagements addressed to or sent by them, and the responses to them.
PROTOCOL_NAVIGATION = (_("Inbox"), "engagements:inbox", ("engagements:", "responses:"))
# Shown after Home to members of voluntary organisations: their profile, log, evidence and
# cases, then the briefs on policing bodies.
VOLUNTARY_NAVIGATION = (
    (_("Your organisation"), "sector:my_organisation", ("sector:", "impact:")),
    (_("Briefs"), "briefs:index", ("briefs:",)),
)
# Shown next to members of a national department or agency: their policy register.
NATIONAL_NAVIGATION = (_("Policies"), "policies:register", ("policies:",))
ADMIN_NAVIGATION = (
    _("Administration"),
    "accounts:admin_home",
    (
        "accounts:admin",
        "accounts:organisation",  # also organisation_new, organisations
        "accounts:invite",
        "accounts:invitation_revoke",
        "accounts:membership_end",
        "accounts:requests",
        "accounts:request_detail",
    ),
)


@register.simple_tag(takes_context=True)
def service_navigation(context) -> list[NavItem]:
    """The service navigation for the person viewing the page, current page marked."""
    request = context.get("request")
    user = context.get("user")
    if request is None or not is_signed_in(user):
        return []
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    entries: list[tuple[Any, str, tuple[str, ...]]] = list(SIGNED_IN_NAVIGATION)
    organisations = [m.organisation for m in getattr(request, "memberships", None) or ()]
    if any(organisation.is_national for organisation in organisations):
        entries.insert(1, NATIONAL_NAVIGATION)
    if any(organisation.is_protocol for organisation in organisations):
        entries.insert(1, PROTOCOL_NAVIGATION)
    if any(organisation.kind == "voluntary" for organisation in organisations):
        entries[1:1] = VOLUNTARY_NAVIGATION
    if user.is_staff:
        entries.append(ADMIN_NAVIGATION)
    items = []
    for text, url_name, section in entries:
        try:
            href = reverse(url_name)
        except NoReverseMatch:
            continue  # a part of the service not installed (yet): no dead link
        current = view_name == url_name
        items.append(
            NavItem(
                text=str(text),
                href=href,
                current=current,
                active=not current and bool(view_name) and view_name.startswith(section),
            )
        )
    return items


# Form widgets -------------------------------------------------------------------------


def widget_kind_of(widget: forms.Widget) -> str:
    """Which GOV.UK component renders this widget."""
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):  # also SelectMultiple, NullBooleanSelect
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):  # also ClearableFileInput
        return "file"
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    return "input"


@register.filter
def widget_kind(field: BoundField) -> str:
    return widget_kind_of(field.field.widget)


@register.filter
def error_target(field: BoundField) -> str:
    """The id an error summary links to: the field's input, or its first option."""
    if widget_kind(field) in {"checkboxes", "radios"}:
        subwidgets = field.subwidgets
        return subwidgets[0].id_for_label if subwidgets else field.auto_id
    return field.id_for_label or field.auto_id


WIDGET_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
    "multi": ("govuk-input", "govuk-input--error"),
}


@register.simple_tag
def govuk_widget(field: BoundField, describedby: str = "", extra_class: str = ""):
    """Render the field's own widget (keeping its attributes, value and options) with the
    GOV.UK classes, error state and aria-describedby added, and any placeholder dropped
    (GOV.UK: placeholders are not labels and vanish as you type)."""
    kind = widget_kind(field)
    base, error = WIDGET_CLASSES.get(kind, ("", ""))
    classes = [field.field.widget.attrs.get("class", ""), base, extra_class]
    if field.errors and error:
        classes.append(error)
    attrs: dict[str, str | bool] = {
        "class": " ".join(c for c in classes if c),
        "placeholder": False,
    }
    if describedby:
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@register.filter
def is_mapping(value) -> bool:
    return isinstance(value, Mapping)


# Pagination ---------------------------------------------------------------------------


@register.simple_tag
def page_items(page_obj) -> list[int | str]:
    """Page numbers to show, with the paginator's ellipsis for the gaps (GOV.UK pattern)."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    )


@register.simple_tag
def ellipsis() -> str:
    from django.core.paginator import Paginator

    return str(Paginator.ELLIPSIS)


@register.simple_tag
def field_describedby(field: BoundField, hint_override: str = "") -> str:
    """The ids of the hint and error message, in the order GOV.UK Frontend uses."""
    ids = []
    if hint_override or field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


# Data-driven components ---------------------------------------------------------------


@register.filter
def summary_rows(rows) -> list[dict]:
    """Normalise summary list rows: (key, value) pairs or dicts with key, value, href and
    optionally action (the link text, "Change" by default)."""
    normalised = []
    for row in rows or ():
        if isinstance(row, Mapping):
            normalised.append(
                {
                    "key": row.get("key", ""),
                    "value": row.get("value", ""),
                    "href": row.get("href", ""),
                    "action": row.get("action") or _("Change"),
                }
            )
        else:
            key, value = row
            normalised.append({"key": key, "value": value, "href": "", "action": ""})
    return normalised


@register.filter
def any_href(rows: list[dict]) -> bool:
    return any(row.get("href") for row in rows)


@register.filter
def table_cells(cells) -> list[dict]:
    """Normalise table cells: plain values or dicts with text, href and numeric."""
    normalised = []
    for cell in cells or ():
        if isinstance(cell, Mapping):
            normalised.append(
                {
                    "text": cell.get("text", ""),
                    "href": cell.get("href", ""),
                    "numeric": bool(cell.get("numeric")),
                }
            )
        else:
            normalised.append({"text": cell, "href": "", "numeric": False})
    return normalised


@register.filter
def breadcrumb_items(items) -> list[tuple[str, str]]:
    return [(text, url) for text, url in items or ()]


# Dates, times and stored choices as words -------------------------------------------------


@register.filter
def govuk_datetime(value) -> str:
    """A moment as the GOV.UK style guide writes it: "29 November 2026 at 8:59pm", "at 9am",
    "at midday", "at midnight", in the service's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour, minute = local.hour, local.minute
    if (hour, minute) == (12, 0):
        time = gettext("midday")
    elif (hour, minute) == (0, 0):
        time = gettext("midnight")
    else:
        clock = str(hour % 12 or 12) + (f":{minute:02d}" if minute else "")
        time = clock + (gettext("am") if hour < 12 else gettext("pm"))
    return gettext("%(date)s at %(time)s") % {
        "date": dateformat.format(local, "j F Y"),
        "time": time,
    }


@register.filter
def label_name(value: str) -> str:
    """A handling label's name (TLP:AMBER+STRICT) from its stored value (amber_strict)."""
    if value in Label.values:
        return str(Label(value).label)
    return value


@register.simple_tag
def support_email() -> str:
    """Where people report problems: settings.SUPPORT_EMAIL when the operator sets it."""
    from django.conf import settings

    return getattr(settings, "SUPPORT_EMAIL", "") or "support@engage.example.org"


@register.simple_tag
def govuk_tag(text: Any, colour: str = "", nowrap: bool = False) -> str:
    """A GOV.UK tag: ``{% govuk_tag _("Open") colour="green" %}``. colour: grey, green, teal,
    turquoise, purple, magenta, pink, red, orange, yellow, or none for the default; nowrap keeps
    the text on one line (handling labels). A tag, not an include: lists show one per row, and
    an include costs a template render each time."""
    classes = "govuk-tag"
    if colour:
        classes += f" govuk-tag--{colour}"
    if nowrap:
        classes += " app-tag--nowrap"
    return format_html('<strong class="{}">{}</strong>', classes, text)


# Wide tables on narrow screens --------------------------------------------------------------

_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)


@register.simple_block_tag
def table_region(content: str, label: str = "") -> str:
    """A wide table in a labelled, keyboard-focusable region that scrolls sideways on its own,
    so a page reflows at 320 px without the whole page scrolling (WCAG 1.4.10 reflow; 2.1.1:
    the region takes focus, so keyboard users can scroll it). The label is the table's caption
    text unless given::

        {% table_region %}
          <table class="govuk-table"><caption>…</caption>…</table>
        {% endtable_region %}

    A table without a caption needs `label`; both missing is a template error, not a silent
    unlabelled region."""
    if not label:
        caption = _CAPTION.search(content)
        # The caption is rendered HTML: its text, unescaped, so format_html escapes it once.
        text = html.unescape(strip_tags(caption.group(1))) if caption else ""
        label = " ".join(text.split())
    if not label:
        raise template.TemplateSyntaxError("table_region needs a <caption> or a label.")
    return format_html(
        '<div class="app-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
        label,
        content,  # the block's rendered output: already safe, not escaped again
    )
