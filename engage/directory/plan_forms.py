"""Forms for a body's plan and what it publishes. They only read what was typed (dates, a
choice from a list); the services (`plans`, `publications`) judge the input, and their
messages are put on these forms' fields (`apply_errors`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.core.fields import DateField, ModelChoiceField

from .models import CommissioningKind, ContactRole, PriorityTheme, RouteKind


def _text(label, *, help_text="", rows: int = 0, required=None) -> forms.CharField:
    """A text field; with `required` (its message), one that must be filled in. Spaces are
    kept for the service to judge (a title of spaces gets the service's message)."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required is not None,
        strip=False,
        widget=widget,
        error_messages={"required": required} if required is not None else None,
    )


def _link(label=None) -> forms.CharField:
    return _text(label or _("Link"), help_text=_("A web address starting https://"))


def _choice(label, choices, message) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", _("Choose one"))] + list(choices),
        error_messages={"required": message, "invalid_choice": _("Choose one from the list")},
    )


class PlanForm(forms.Form):
    title = _text(
        _("Title of the plan"),
        help_text=_("For example, Police and crime plan 2025 to 2029"),
        required=_("Enter the title of the plan"),
    )
    starts_on = DateField(
        label=_("Plan period starts"),
        name=_("date the plan period starts"),
        help_text=_("For example, 1 4 2025"),
    )
    ends_on = DateField(
        label=_("Plan period ends"),
        name=_("date the plan period ends"),
        help_text=_("For example, 31 3 2029"),
    )
    url = _link(_("Link to the plan"))
    published_on = DateField(
        label=_("Date published"),
        name=_("date published"),
        help_text=_("Today or earlier. For example, 27 3 2025"),
        required=False,
    )


class ReplacePlanForm(PlanForm):
    copy_priorities = forms.ChoiceField(
        label=_("How should the new plan start?"),
        choices=[
            ("yes", _("Start from the current plan's priorities")),
            ("no", _("Start with no priorities")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the new plan should start"),
            "invalid_choice": _("Choose how the new plan should start"),
        },
    )


class PriorityForm(forms.Form):
    title = _text(
        _("Priority"), help_text=_("As the plan words it"), required=_("Enter the priority")
    )
    theme = ModelChoiceField(
        label=_("Theme"),
        queryset=PriorityTheme.objects.order_by("name"),
        empty_label=_("Choose a theme"),
        error_messages={
            "required": _("Choose a theme from the list"),
            "invalid_choice": _("Choose a theme from the list"),
        },
    )
    description = _text(_("Description"), rows=4)


class ContactForm(forms.Form):
    role = _choice(_("Role"), ContactRole.choices, _("Choose the person's role"))
    name = _text(_("Name"), required=_("Enter the person's name"))
    remit = _text(_("Remit"), help_text=_("What they are responsible for"))
    contact_route = _text(
        _("Published contact route"),
        help_text=_("An email address, telephone number or web page the body publishes"),
    )


class CommissioningForm(forms.Form):
    kind = _choice(_("Kind"), CommissioningKind.choices, _("Choose the kind of commissioning"))
    title = _text(_("Title"), required=_("Enter a title"))
    description = _text(_("Description"), rows=4)
    url = _link()
    opens_on = DateField(
        label=_("Funding round opens"),
        name=_("date the funding round opens"),
        help_text=_("Leave blank if there is no open round. For example, 1 4 2026"),
        required=False,
    )
    closes_on = DateField(
        label=_("Funding round closes"),
        name=_("date the funding round closes"),
        help_text=_("For example, 30 6 2026"),
        required=False,
    )


class RouteForm(forms.Form):
    kind = _choice(_("Kind"), RouteKind.choices, _("Choose the kind of route"))
    title = _text(_("Title"), required=_("Enter a title"))
    description = _text(_("Description"), rows=4)
    url = _link()
    closes_on = DateField(
        label=_("Closes"),
        name=_("closing date"),
        help_text=_("For a consultation or a call for members. For example, 30 6 2026"),
        required=False,
    )


class KeyDateForm(forms.Form):
    title = _text(
        _("What happens"),
        help_text=_("For example, Budget and precept setting"),
        required=_("Enter what happens"),
    )
    on = DateField(label=_("Date"), name=_("date"), help_text=_("For example, 10 2 2027"))
    description = _text(_("Details"), rows=3)
