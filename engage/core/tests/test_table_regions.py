"""Every wide table sits in a labelled, keyboard-focusable scrolling region (`table_region`),
so pages reflow at 320 px (WCAG 1.4.10) without the whole page scrolling sideways. A table left
out is on NARROW with its reason, so a new table keeps to the pattern or says why not."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

import engage

ROOT = Path(engage.__file__).resolve().parent

# Template (relative to engage/) -> (how many of its tables are left unwrapped, why).
NARROW = {
    "collective/templates/collective/export.html": (
        1,
        "the printed export (PDF), not a page on screen: the table fits the A4 page",
    ),
    "collective/templates/collective/_content.html": (
        1,
        "two short columns (a stance and a count): narrower than any screen",
    ),
    "engagements/templates/engagements/routing.html": (
        1,
        "one column of body names, which wrap",
    ),
    "templates/emails/base.html": (
        2,
        "an email's layout tables (role=presentation), not data: mail programs, not pages",
    ),
    "templates/allauth/elements/table.html": (
        1,
        "allauth's markup for its WebAuthn keys and sessions lists, neither enabled in Engage",
    ),
}


def table_templates() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted(ROOT.rglob("templates/**/*.html"))
        if "<table" in path.read_text(encoding="utf-8")
    }


def test_every_table_is_in_a_scrolling_region_or_listed_as_narrow() -> None:
    templates = table_templates()
    assert len(templates) > 30  # the scan finds the templates
    wrong = []
    for name, text in templates.items():
        tables = len(re.findall(r"<table\b", text))
        regions = len(re.findall(r"{%\s*table_region\b", text))
        left, _reason = NARROW.get(name, (0, ""))
        if tables - regions != left:
            wrong.append(f"{name}: {tables} table(s), {regions} region(s), {left} listed narrow")
    assert not wrong, "Wrap wide tables in {% table_region %}:\n" + "\n".join(wrong)
    assert set(NARROW) <= set(templates), "NARROW lists a template with no table"


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_the_region_is_labelled_by_the_caption_and_takes_focus() -> None:
    html = render(
        "{% table_region %}<table><caption class='x'>\n  {{ n }} <b>engagements</b>\n"
        "</caption></table>{% endtable_region %}",
        n=3,
    )
    assert html.startswith(
        '<div class="app-table-scroll" role="region" aria-label="3 engagements" tabindex="0">'
    )
    assert html.endswith("</table></div>")


def test_a_given_label_wins_and_is_escaped() -> None:
    html = render("{% table_region label=name %}<table></table>{% endtable_region %}", name='A "b"')
    assert 'aria-label="A &quot;b&quot;"' in html


def test_the_caption_is_escaped_once() -> None:
    html = render(
        "{% table_region %}<table><caption>{{ title }}</caption></table>{% endtable_region %}",
        title="Fish & <chips>",
    )
    assert 'aria-label="Fish &amp; &lt;chips&gt;"' in html
    assert "<caption>Fish &amp; &lt;chips&gt;</caption>" in html


def test_a_region_without_a_label_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError, match="caption"):
        render("{% table_region %}<table></table>{% endtable_region %}")
