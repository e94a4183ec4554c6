"""Issue 10, point 1: the pages of a body's police and crime plan and of what it publishes.
Every signed-in persona reads them; the edit pages are for the body's members and site
administrators (403 for everyone else); bad input gets a message on the page and changes
nothing; the body page shows the current plan."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.conftest import EVERYONE
from engage.directory import plans, publications
from engage.directory.models import (
    BodyContact,
    Commissioning,
    CommissioningKind,
    ContactRole,
    KeyDate,
    PlanPriority,
    PolicePlan,
    PolicingBody,
    PriorityTheme,
)

pytestmark = pytest.mark.django_db

GWENT_EDITORS = {"gwent_commissioner", "gwent_staff", "admin"}
START, END = date(2025, 4, 1), date(2029, 3, 31)


def body(slug: str) -> PolicingBody:
    return PolicingBody.objects.select_related("organisation").get(organisation__slug=slug)


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def date_data(name: str, value: date | None) -> dict:
    if value is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def plan_data(**changes) -> dict:
    values = {"title": "Safer Gwent", "starts_on": START, "ends_on": END, "published_on": None}
    values |= changes
    data = {"title": values["title"], "url": values.get("url", "")}
    for name in ("starts_on", "ends_on", "published_on"):
        data |= date_data(name, values[name])
    if "copy_priorities" in values:
        data["copy_priorities"] = values["copy_priorities"]
    return data


@pytest.fixture
def gwent(personas):
    return body("gwent")


@pytest.fixture
def plan(gwent, personas):
    made = plans.plan_create(
        body=gwent, by=personas.gwent_staff, title="Gwent plan", starts_on=START, ends_on=END
    )
    themes = list(PriorityTheme.objects.order_by("name")[:3])
    for title, theme in zip(["First", "Second", "Third"], themes, strict=True):
        plans.priority_add(plan=made, by=personas.gwent_staff, title=title, theme=theme)
    return made


@pytest.fixture
def contact(gwent, personas):
    return publications.contact_save(
        body=gwent, by=personas.gwent_staff, role=ContactRole.COMMISSIONER, name="Jane Mudd"
    )


def titles(plan) -> list[str]:
    return list(
        PlanPriority.objects.filter(plan=plan).order_by("position").values_list("title", flat=True)
    )


def edit_urls(plan, contact) -> list[str]:
    priority = PlanPriority.objects.filter(plan=plan).first()
    return [
        reverse("directory:plan_add", args=["gwent"]),
        reverse("directory:plan_edit", args=["gwent"]),
        reverse("directory:plan_replace", args=["gwent"]),
        reverse("directory:priority_add", args=["gwent"]),
        reverse("directory:priority_edit", args=["gwent", priority.public_id]),
        reverse("directory:priority_remove", args=["gwent", priority.public_id]),
        reverse("directory:published_add", args=["gwent", "contacts"]),
        reverse("directory:published_add", args=["gwent", "commissioning"]),
        reverse("directory:published_add", args=["gwent", "routes"]),
        reverse("directory:published_add", args=["gwent", "key-dates"]),
        reverse("directory:published_edit", args=["gwent", "contacts", contact.public_id]),
        reverse("directory:published_remove", args=["gwent", "contacts", contact.public_id]),
    ]


def read_urls(plan) -> list[str]:
    return [
        reverse("directory:plan", args=["gwent"]),
        reverse("directory:plan_version", args=["gwent", plan.public_id]),
        reverse("directory:publications", args=["gwent"]),
        reverse("directory:body", args=["gwent"]),
    ]


# Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_every_signed_in_persona_reads_the_plan_and_published_pages(
    personas, client_for, plan, contact, persona
):
    client = client_for(getattr(personas, persona))

    for url in read_urls(plan):
        response = client.get(url)
        assert response.status_code == 200, url
        html = main(response)
        assert html.count("<h1") == 1
        assert "style=" not in html
        links_to_edit = reverse("directory:priority_add", args=["gwent"]) in html or (
            reverse("directory:published_add", args=["gwent", "contacts"]) in html
        )
        if url != reverse("directory:body", args=["gwent"]) and "/plans/" not in url:
            assert links_to_edit is (persona in GWENT_EDITORS), url


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_gwent_members_and_the_admin_open_gwents_edit_pages(
    personas, client_for, plan, contact, persona
):
    client = client_for(getattr(personas, persona))

    for url in edit_urls(plan, contact):
        expected = 200 if persona in GWENT_EDITORS else 403
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("persona", sorted(set(EVERYONE) - GWENT_EDITORS))
def test_others_posting_to_gwents_edit_pages_are_refused_and_change_nothing(
    personas, client_for, plan, contact, persona
):
    client = client_for(getattr(personas, persona))
    priority = PlanPriority.objects.get(plan=plan, title="First")

    posts = [
        (reverse("directory:plan_edit", args=["gwent"]), plan_data(title="Hacked")),
        (reverse("directory:plan_replace", args=["gwent"]), plan_data(copy_priorities="no")),
        (
            reverse("directory:priority_move", args=["gwent", priority.public_id]),
            {"direction": "down"},
        ),
        (reverse("directory:priority_remove", args=["gwent", priority.public_id]), {}),
        (
            reverse("directory:published_remove", args=["gwent", "contacts", contact.public_id]),
            {},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert titles(plan) == ["First", "Second", "Third"]
    assert PolicePlan.objects.get(pk=plan.pk).title == "Gwent plan"
    assert PolicePlan.objects.filter(body__organisation__slug="gwent").count() == 1
    assert BodyContact.objects.filter(pk=contact.pk).exists()


def test_a_kent_member_edits_kent_but_not_gwent(personas, client_for):
    client = client_for(personas.kent_commissioner)

    assert client.get(reverse("directory:plan_add", args=["kent"])).status_code == 200
    assert client.get(reverse("directory:plan_add", args=["gwent"])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, plan, contact):
    for url in [*read_urls(plan), *edit_urls(plan, contact)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))


def test_unknown_lists_and_entries_are_404(personas, client_for, plan):
    client = client_for(personas.gwent_staff)
    unknown = "00000000-0000-0000-0000-000000000000"

    assert client.get(reverse("directory:published_add", args=["gwent", "x"])).status_code == 404
    assert (
        client.get(reverse("directory:priority_edit", args=["gwent", unknown])).status_code == 404
    )
    assert client.get(reverse("directory:plan_version", args=["gwent", unknown])).status_code == 404
    assert client.get(reverse("directory:plan_edit", args=["kent"])).status_code == 403
    assert (
        client_for(personas.admin).get(reverse("directory:plan_edit", args=["dorset"])).status_code
        == 404
    )  # no current plan to change


# The plan pages ---------------------------------------------------------------------------


def test_the_plan_page_shows_the_plan_in_order_with_earlier_plans_and_changes(
    personas, client_for, plan
):
    PolicePlan.objects.filter(pk=plan.pk).update(is_sample=True)
    new = plans.plan_replace(
        plan=plan,
        by=personas.gwent_commissioner,
        title="Gwent plan 2029",
        starts_on=END,
        ends_on=date(2033, 3, 31),
        copy_priorities=True,
    )
    plans.priority_move(
        priority=PlanPriority.objects.get(plan=new, title="Third"),
        by=personas.gwent_commissioner,
        direction=plans.UP,
    )

    response = client_for(personas.vcs_member).get(reverse("directory:plan", args=["gwent"]))

    html = main(response)
    assert "Gwent plan 2029" in html
    assert html.index("First") < html.index("Third") < html.index("Second")
    assert "Earlier plans" in html
    assert reverse("directory:plan_version", args=["gwent", plan.public_id]) in html
    assert "Sample content" in html  # the earlier plan is sample content
    assert "Priority moved: Third" in html
    assert "Plan replaced by Gwent plan 2029" in html
    assert reverse("directory:priority_add", args=["gwent"]) not in html
    crumbs = response.content.decode()
    assert re.search(r"Policing bodies.*Police and Crime Commissioner for Gwent", crumbs, re.S)


def test_an_earlier_plan_is_shown_read_only(personas, client_for, plan):
    new = plans.plan_replace(
        plan=plan, by=personas.gwent_staff, title="Next plan", starts_on=END, ends_on=END
    )

    html = main(
        client_for(personas.gwent_staff).get(
            reverse("directory:plan_version", args=["gwent", plan.public_id])
        )
    )

    assert "has been replaced" in html
    assert reverse("directory:plan_version", args=["gwent", new.public_id]) in html
    assert "First" in html
    assert "Move up" not in html
    assert "Change" not in html


def test_the_plan_is_added_through_the_form(personas, client_for):
    client = client_for(personas.gwent_staff)
    url = reverse("directory:plan_add", args=["gwent"])

    response = client.post(
        url, plan_data(url="https://gwent.example.org/plan", published_on=date(2025, 3, 1))
    )

    assert response.status_code == 302
    plan = PolicePlan.objects.current().get(body__organisation__slug="gwent")
    assert (plan.title, plan.url, plan.published_on) == (
        "Safer Gwent",
        "https://gwent.example.org/plan",
        date(2025, 3, 1),
    )
    assert response["Location"] == reverse("directory:plan", args=["gwent"])
    html = client.get(response["Location"]).content.decode()
    assert "The police and crime plan has been added." in html
    assert "Safer Gwent" in main(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": date(2024, 1, 1)}, "The plan period must end on or after the day it starts"),
        ({"url": "http://gwent.example.org"}, "Enter a web address starting https://"),
        (
            {"published_on": timezone.localdate() + timedelta(days=3)},
            "The date published must be today or in the past",
        ),
        ({"title": ""}, "Enter the title of the plan"),
        ({"starts_on": None}, "Enter the date the plan period starts"),
    ],
)
def test_bad_plan_input_is_shown_on_the_page_and_nothing_changes(
    personas, client_for, plan, changes, message
):
    client = client_for(personas.gwent_staff)

    for name in ("plan_edit", "plan_replace"):
        data = plan_data(**changes) | {"copy_priorities": "yes"}
        response = client.post(reverse(f"directory:{name}", args=["gwent"]), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "govuk-error-summary" in html
        assert message in html
        assert "<title>Error:" in html.replace("\n", "").replace("  ", "")

    assert PolicePlan.objects.filter(body__organisation__slug="gwent").count() == 1
    assert PolicePlan.objects.get(pk=plan.pk).title == "Gwent plan"


def test_bad_date_parts_get_the_date_fields_message(personas, client_for, plan):
    data = plan_data() | {"ends_on_0": "31", "ends_on_1": "2", "ends_on_2": "2029"}

    response = client_for(personas.gwent_staff).post(
        reverse("directory:plan_edit", args=["gwent"]), data
    )

    assert response.status_code == 200
    assert "must be a real date" in response.content.decode()


def test_the_plan_is_replaced_through_the_form_keeping_the_old(personas, client_for, plan):
    response = client_for(personas.admin).post(
        reverse("directory:plan_replace", args=["gwent"]),
        plan_data(title="Gwent plan 2029", starts_on=END, ends_on=END, copy_priorities="yes"),
    )

    assert response.status_code == 302
    new = PolicePlan.objects.current().get(body__organisation__slug="gwent")
    assert new.title == "Gwent plan 2029"
    assert titles(new) == titles(plan) == ["First", "Second", "Third"]
    assert PolicePlan.objects.get(pk=plan.pk).superseded_by == new


def test_priorities_are_added_moved_and_removed_through_the_pages(personas, client_for, plan):
    client = client_for(personas.gwent_commissioner)
    theme = PriorityTheme.objects.order_by("name").last()

    response = client.post(
        reverse("directory:priority_add", args=["gwent"]),
        {"title": "Fourth", "theme": theme.pk, "description": "Why"},
    )
    assert response.status_code == 302
    assert titles(plan) == ["First", "Second", "Third", "Fourth"]

    fourth = PlanPriority.objects.get(plan=plan, title="Fourth")
    response = client.post(
        reverse("directory:priority_move", args=["gwent", fourth.public_id]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert titles(plan) == ["First", "Second", "Fourth", "Third"]

    first = PlanPriority.objects.get(plan=plan, title="First")
    response = client.post(
        reverse("directory:priority_move", args=["gwent", first.public_id]), {"direction": "up"}
    )
    assert response.status_code == 302  # refused, with a message on the plan page
    follow = client.get(response["Location"])
    assert "That priority is already first." in follow.content.decode()
    assert titles(plan) == ["First", "Second", "Fourth", "Third"]
    assert (
        client.get(reverse("directory:priority_move", args=["gwent", first.public_id])).status_code
        == 405
    )

    remove = reverse("directory:priority_remove", args=["gwent", first.public_id])
    page = main(client.get(reverse("directory:plan", args=["gwent"])))
    assert page.count('name="csrfmiddlewaretoken"') == 4  # one move form a priority
    confirm = main(client.get(remove))
    assert "Remove First from the plan?" in confirm
    assert titles(plan) == ["First", "Second", "Fourth", "Third"]  # nothing yet
    assert client.post(remove).status_code == 302
    assert titles(plan) == ["Second", "Fourth", "Third"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "theme": "THEME"}, "Enter the priority"),
        ({"title": "Fine", "theme": ""}, "Choose a theme from the list"),
        ({"title": "Fine", "theme": "999999999"}, "Choose a theme from the list"),
        ({"title": "Fine", "theme": "99999999999999999999999"}, "Choose a theme from the list"),
    ],
)
def test_bad_priorities_are_shown_on_the_page(personas, client_for, plan, data, message):
    theme = PriorityTheme.objects.order_by("name").first()
    data = {key: (theme.pk if value == "THEME" else value) for key, value in data.items()}
    client = client_for(personas.gwent_staff)
    priority = PlanPriority.objects.get(plan=plan, title="First")

    for url in (
        reverse("directory:priority_add", args=["gwent"]),
        reverse("directory:priority_edit", args=["gwent", priority.public_id]),
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert "govuk-error-summary" in response.content.decode()
    assert titles(plan) == ["First", "Second", "Third"]


def test_a_superseded_plans_priority_cannot_be_changed_through_the_page(personas, client_for, plan):
    plans.plan_replace(plan=plan, by=personas.gwent_staff, title="New", starts_on=END, ends_on=END)
    old = PlanPriority.objects.get(plan=plan, title="First")
    theme = PriorityTheme.objects.order_by("name").first()

    response = client_for(personas.gwent_staff).post(
        reverse("directory:priority_edit", args=["gwent", old.public_id]),
        {"title": "Changed", "theme": theme.pk},
    )

    assert response.status_code == 200
    assert "an earlier plan cannot be changed" in response.content.decode()
    assert PlanPriority.objects.get(pk=old.pk).title == "First"


# The body page ----------------------------------------------------------------------------


def test_the_body_page_shows_the_current_plan_and_links(personas, client_for, plan):
    html = main(client_for(personas.vcs_member).get(reverse("directory:body", args=["gwent"])))

    assert "Gwent plan" in html
    assert html.index("First") < html.index("Second") < html.index("Third")
    assert reverse("directory:plan", args=["gwent"]) in html
    assert reverse("directory:publications", args=["gwent"]) in html


def test_the_body_page_offers_to_add_the_plan_to_those_allowed(personas, client_for):
    add = reverse("directory:plan_add", args=["dorset"])
    page = reverse("directory:body", args=["dorset"])

    assert add in main(client_for(personas.dorset_commissioner).get(page))
    assert add in main(client_for(personas.admin).get(page))
    html = main(client_for(personas.vcs_member).get(page))
    assert add not in html
    assert "No police and crime plan recorded yet." in html


# What the body publishes ------------------------------------------------------------------


def test_the_published_page_shows_every_list_with_round_tags(personas, client_for, contact):
    gwent, today = body("gwent"), timezone.localdate()
    Commissioning.objects.create(
        body=gwent,
        kind=CommissioningKind.GRANTS,
        title="Open fund",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=9),
    )
    Commissioning.objects.create(
        body=gwent,
        kind=CommissioningKind.GRANTS,
        title="Later fund",
        opens_on=today + timedelta(days=10),
    )
    KeyDate.objects.create(body=gwent, title="Precept setting", on=today + timedelta(days=60))
    BodyContact.objects.filter(pk=contact.pk).update(contact_route="jane@example.org")
    BodyContact.objects.create(
        body=gwent, role=ContactRole.OTHER, name="Tricky", contact_route="javascript:alert(1)"
    )

    html = main(
        client_for(personas.vcs_member).get(reverse("directory:publications", args=["gwent"]))
    )

    for text in (
        "Jane Mudd",
        "Open fund",
        "Open now",
        "Closes on",
        "Not open yet",
        "Precept setting",
    ):
        assert text in html
    assert "No ways to engage recorded yet." in html
    assert 'class="govuk-link" href="mailto:jane@example.org"' in html
    assert 'href="javascript:' not in html  # shown as text, never as a link
    assert "/edit/" not in html


def test_published_entries_are_added_changed_and_removed_through_the_pages(
    personas, client_for, contact
):
    client = client_for(personas.gwent_staff)
    today = timezone.localdate()

    response = client.post(
        reverse("directory:published_add", args=["gwent", "commissioning"]),
        {
            "kind": "grants",
            "title": "Community fund",
            "url": "https://gwent.example.org/fund",
            **date_data("opens_on", today),
            **date_data("closes_on", today + timedelta(days=20)),
        },
    )
    assert response.status_code == 302
    assert Commissioning.objects.get(title="Community fund").closes_on == today + timedelta(days=20)

    response = client.post(
        reverse("directory:published_edit", args=["gwent", "contacts", contact.public_id]),
        {
            "role": "deputy",
            "name": "Jane Mudd",
            "remit": "Deputy",
            "contact_route": "x@example.org",
        },
    )
    assert response.status_code == 302
    assert BodyContact.objects.get(pk=contact.pk).role == ContactRole.DEPUTY

    response = client.post(
        reverse("directory:published_add", args=["gwent", "key-dates"]),
        {"title": "Plan refresh", **date_data("on", today)},
    )
    assert response.status_code == 302
    key_date = KeyDate.objects.get(title="Plan refresh")

    remove = reverse("directory:published_remove", args=["gwent", "key-dates", key_date.public_id])
    assert "Remove Plan refresh?" in main(client.get(remove))
    assert KeyDate.objects.filter(pk=key_date.pk).exists()
    assert client.post(remove).status_code == 302
    assert not KeyDate.objects.filter(pk=key_date.pk).exists()


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (
            "commissioning",
            {"kind": "grants", "title": "Fund", "opens_on": 10, "closes_on": 1},
            "The funding round must close on or after the day it opens",
        ),
        ("commissioning", {"kind": "grants", "title": "Fund", "url": "http://x.org"}, "https://"),
        ("commissioning", {"kind": "", "title": "Fund"}, "Choose the kind of commissioning"),
        ("routes", {"kind": "forum", "title": ""}, "Enter a title"),
        ("routes", {"kind": "nonsense", "title": "Forum"}, "Choose one from the list"),
        ("contacts", {"role": "commissioner", "name": ""}, "Enter the person&#x27;s name"),
        ("key-dates", {"title": "Precept"}, "Enter the date"),
        ("key-dates", {"title": "Precept", "on_0": "40", "on_1": "1", "on_2": "2026"}, "real date"),
    ],
)
def test_bad_published_input_is_shown_on_the_page_and_nothing_is_saved(
    personas, client_for, kind, data, message
):
    today = timezone.localdate()
    for name in ("opens_on", "closes_on"):
        if name in data:
            data = data | date_data(name, today + timedelta(days=data.pop(name)))

    response = client_for(personas.gwent_staff).post(
        reverse("directory:published_add", args=["gwent", kind]), data
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert not Commissioning.objects.exists()
    assert not KeyDate.objects.exists()
    assert not BodyContact.objects.exists()


def test_the_forms_mark_only_the_optional_fields_optional(personas, client_for, plan):
    html = main(
        client_for(personas.gwent_staff).get(reverse("directory:plan_edit", args=["gwent"]))
    )
    text = " ".join(html.split())

    assert "Title of the plan (optional)" not in text
    assert "Plan period starts (optional)" not in text
    assert "Link to the plan (optional)" in text
    assert "Date published (optional)" in text
    assert 'value="Gwent plan"' in text  # the current details, ready to change


def test_removing_a_priority_impact_evidence_refers_to_is_refused_on_the_page(
    personas, client_for, plan
):
    from engage.accounts.models import Organisation
    from engage.impact.models import ImpactEvidence

    first = PlanPriority.objects.get(plan=plan, title="First")
    ImpactEvidence.objects.create(
        organisation=Organisation.objects.get(slug="leeds-womens-centre"),
        body=first.body,
        priority=first,
        title="Evidence",
        starts_on=START,
        ends_on=START + timedelta(days=30),
    )
    client = client_for(personas.gwent_staff)

    response = client.post(reverse("directory:priority_remove", args=["gwent", first.public_id]))

    assert response.status_code == 200  # the confirmation page again, with the reason
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "<title>Error:" in html
    assert (
        "This priority cannot be removed: impact evidence from the voluntary sector refers to it."
        in html.replace("&#x27;", "'")
    )
    assert "Remove First from the plan?" in html
    assert titles(plan) == ["First", "Second", "Third"]
