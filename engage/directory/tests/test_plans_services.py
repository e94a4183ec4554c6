"""Issue 10, point 1: a body's police and crime plan and what it publishes. Who may write
(`directory.edit_body_publications`), the checks on input (nothing saved on bad input), the
replacement of a plan (the old one kept with its priorities), the order of priorities, and the
history of every change."""

from datetime import date, timedelta

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.conftest import EVERYONE
from engage.directory import plans, publications, selectors
from engage.directory.models import (
    BodyContact,
    Commissioning,
    CommissioningKind,
    ContactRole,
    EngagementRoute,
    KeyDate,
    PlanPriority,
    PolicePlan,
    PolicingBody,
    PriorityTheme,
    RouteKind,
)

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EDIT = "directory.edit_body_publications"
GWENT_EDITORS = {"gwent_commissioner", "gwent_staff", "admin"}
START, END = date(2025, 4, 1), date(2029, 3, 31)


def body(slug: str) -> PolicingBody:
    return PolicingBody.objects.select_related("organisation").get(organisation__slug=slug)


def theme(index: int = 0) -> PriorityTheme:
    return PriorityTheme.objects.order_by("name")[index]


def errors_of(info) -> dict:
    return info.value.message_dict


@pytest.fixture
def gwent(personas):
    return body("gwent")


@pytest.fixture
def editor(personas):
    return personas.gwent_staff


@pytest.fixture
def plan(gwent, editor):
    made = plans.plan_create(
        body=gwent, by=editor, title="Gwent plan", starts_on=START, ends_on=END
    )
    for index, title in enumerate(["First", "Second", "Third"]):
        plans.priority_add(plan=made, by=editor, title=title, theme=theme(index))
    return made


def titles(plan: PolicePlan) -> list[str]:
    return list(
        PlanPriority.objects.filter(plan=plan).order_by("position").values_list("title", flat=True)
    )


def positions(plan: PolicePlan) -> list[int]:
    return list(
        PlanPriority.objects.filter(plan=plan)
        .order_by("position")
        .values_list("position", flat=True)
    )


# The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_gwent_members_and_site_administrators_edit_what_gwent_publishes(
    personas, gwent, persona
):
    user = getattr(personas, persona)

    assert rules.has_perm(EDIT, user, gwent) is (persona in GWENT_EDITORS)


def test_a_member_edits_their_own_body_only_and_the_admin_edits_any(personas):
    assert rules.has_perm(EDIT, personas.kent_commissioner, body("kent"))
    assert not rules.has_perm(EDIT, personas.kent_commissioner, body("gwent"))
    assert rules.has_perm(EDIT, personas.admin, body("west-yorkshire"))
    west_yorkshire_member = MembershipFactory(
        user=UserFactory(), organisation=body("west-yorkshire").organisation
    ).user
    assert rules.has_perm(EDIT, west_yorkshire_member, body("west-yorkshire"))
    assert not rules.has_perm(EDIT, west_yorkshire_member, body("gwent"))


@pytest.mark.parametrize("persona", sorted(set(EVERYONE) - GWENT_EDITORS))
def test_others_are_refused_by_every_write(personas, gwent, plan, persona):
    user = getattr(personas, persona)
    priority = PlanPriority.objects.filter(plan=plan).first()
    attempts = [
        lambda: plans.plan_update(plan=plan, by=user, title="X", starts_on=START, ends_on=END),
        lambda: plans.plan_replace(plan=plan, by=user, title="X", starts_on=START, ends_on=END),
        lambda: plans.priority_add(plan=plan, by=user, title="X", theme=theme()),
        lambda: plans.priority_update(priority=priority, by=user, title="X", theme=theme()),
        lambda: plans.priority_move(priority=priority, by=user, direction=plans.DOWN),
        lambda: plans.priority_remove(priority=priority, by=user),
        lambda: publications.contact_save(body=gwent, by=user, role="other", name="X"),
        lambda: publications.key_date_save(body=gwent, by=user, title="X", on=START),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert titles(plan) == ["First", "Second", "Third"]
    assert PolicePlan.objects.filter(body=gwent).count() == 1
    assert not BodyContact.objects.filter(body=gwent).exists()


def test_a_member_of_another_body_cannot_add_its_plan(personas):
    with pytest.raises(PermissionDenied):
        plans.plan_create(
            body=body("gwent"),
            by=personas.kent_commissioner,
            title="X",
            starts_on=START,
            ends_on=END,
        )
    assert not PolicePlan.objects.filter(body=body("gwent")).exists()


# The plan ---------------------------------------------------------------------------------


def test_the_first_plan_is_added_with_its_details_and_history(gwent, editor):
    made = plans.plan_create(
        body=gwent,
        by=editor,
        title="  Safer Gwent  ",
        starts_on=START,
        ends_on=END,
        url="https://gwent.example.org/plan",
        published_on=date(2025, 3, 1),
    )

    stored = PolicePlan.objects.get(pk=made.pk)
    assert (stored.title, stored.url, stored.created_by) == (
        "Safer Gwent",
        "https://gwent.example.org/plan",
        editor,
    )
    assert stored.is_current
    record = stored.history.first()
    assert (record.history_user, record.history_change_reason) == (editor, "Plan added")


def test_a_second_first_plan_is_refused(gwent, editor, plan):
    with pytest.raises(ValidationError, match="replace it instead"):
        plans.plan_create(body=gwent, by=editor, title="Another", starts_on=START, ends_on=END)
    assert PolicePlan.objects.filter(body=gwent).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": START - timedelta(days=1)}, "ends_on", "end on or after"),
        ({"url": "http://gwent.example.org/plan"}, "url", "starting https://"),
        ({"url": "gwent plan"}, "url", "starting https://"),
        ({"url": "https://" + "a" * 600 + ".org"}, "url", "500 characters"),
        (
            {"published_on": timezone.localdate() + timedelta(days=2)},
            "published_on",
            "today or in the past",
        ),
        ({"title": "   "}, "title", "Enter the title"),
        ({"title": "x" * 201}, "title", "200 characters"),
        ({"starts_on": None}, "starts_on", "Enter the date the plan period starts"),
        ({"ends_on": None}, "ends_on", "Enter the date the plan period ends"),
    ],
)
def test_bad_plan_details_are_refused_and_nothing_changes(
    personas, gwent, editor, plan, changes, field, message
):
    details = {"title": "New", "starts_on": START, "ends_on": END, "url": "", "published_on": None}
    details.update(changes)

    with pytest.raises(ValidationError) as create:
        plans.plan_create(body=body("kent"), by=personas.admin, **details)
    with pytest.raises(ValidationError) as update:
        plans.plan_update(plan=plan, by=editor, **details)
    with pytest.raises(ValidationError) as replace:
        plans.plan_replace(plan=plan, by=editor, **details)

    for info in (create, update, replace):
        assert message in " ".join(errors_of(info)[field])
    stored = PolicePlan.objects.get(pk=plan.pk)
    assert (stored.title, stored.starts_on, stored.ends_on, stored.url) == (
        "Gwent plan",
        START,
        END,
        "",
    )
    assert PolicePlan.objects.filter(body=gwent).count() == 1
    assert not PolicePlan.objects.filter(body=body("kent")).exists()


def test_bad_details_on_the_first_plan_are_refused(gwent, editor):
    with pytest.raises(ValidationError) as info:
        plans.plan_create(
            body=gwent,
            by=editor,
            title="",
            starts_on=END,
            ends_on=START,
            url="ftp://example.org",
            published_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(errors_of(info)) == {"title", "ends_on", "url", "published_on"}
    assert not PolicePlan.objects.filter(body=gwent).exists()


def test_the_plans_details_are_changed(plan, editor):
    plans.plan_update(
        plan=plan,
        by=editor,
        title="Gwent plan (refreshed)",
        starts_on=START,
        ends_on=date(2030, 3, 31),
        url="https://gwent.example.org",
        published_on=date(2025, 5, 1),
    )

    stored = PolicePlan.objects.get(pk=plan.pk)
    assert (stored.title, stored.ends_on, stored.published_on) == (
        "Gwent plan (refreshed)",
        date(2030, 3, 31),
        date(2025, 5, 1),
    )
    assert plan.title == "Gwent plan (refreshed)"
    assert stored.history.first().history_change_reason == "Plan details changed"


def test_replacing_keeps_the_old_plan_and_its_priorities(gwent, editor, plan):
    new = plans.plan_replace(
        plan=plan, by=editor, title="Gwent plan 2029", starts_on=END, ends_on=date(2033, 3, 31)
    )

    old = PolicePlan.objects.get(pk=plan.pk)
    assert old.superseded_at is not None
    assert old.superseded_by == new
    assert titles(old) == ["First", "Second", "Third"]
    assert titles(new) == []
    assert list(PolicePlan.objects.current().filter(body=gwent)) == [new]
    assert selectors.current_plan_for_user(editor, gwent) == new
    assert list(selectors.earlier_plans_for_user(editor, gwent)) == [old]
    assert new.history.first().history_change_reason == "Plan added, replacing Gwent plan"
    assert old.history.first().history_change_reason == "Plan replaced by Gwent plan 2029"


def test_replacing_can_start_from_the_current_plans_priorities(editor, plan):
    plans.priority_move(
        priority=PlanPriority.objects.get(plan=plan, title="Third"), by=editor, direction=plans.UP
    )

    new = plans.plan_replace(
        plan=plan, by=editor, title="Next", starts_on=END, ends_on=END, copy_priorities=True
    )

    assert titles(new) == ["First", "Third", "Second"]
    assert positions(new) == [1, 2, 3]
    assert titles(plan) == ["First", "Third", "Second"]  # the old keeps its own
    assert (
        not PlanPriority.objects.filter(plan=new)
        .filter(pk__in=PlanPriority.objects.filter(plan=plan))
        .exists()
    )


def test_one_current_plan_per_body_is_enforced_by_the_database(gwent, plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicePlan.objects.create(body=gwent, title="Second", starts_on=START, ends_on=END)


def test_a_superseded_plan_is_read_only_history(editor, plan):
    plans.plan_replace(plan=plan, by=editor, title="Next", starts_on=END, ends_on=END)
    old = PolicePlan.objects.get(pk=plan.pk)
    old_priority = PlanPriority.objects.filter(plan=old).first()
    attempts = [
        lambda: plans.plan_update(plan=old, by=editor, title="X", starts_on=START, ends_on=END),
        lambda: plans.plan_replace(plan=old, by=editor, title="X", starts_on=START, ends_on=END),
        lambda: plans.priority_add(plan=old, by=editor, title="X", theme=theme()),
        lambda: plans.priority_update(priority=old_priority, by=editor, title="X", theme=theme()),
        lambda: plans.priority_move(priority=old_priority, by=editor, direction=plans.DOWN),
        lambda: plans.priority_remove(priority=old_priority, by=editor),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="earlier plan cannot be changed"):
            attempt()
    assert titles(old) == ["First", "Second", "Third"]
    assert PolicePlan.objects.get(pk=plan.pk).title == "Gwent plan"


# Priorities -------------------------------------------------------------------------------


def test_priorities_are_added_at_the_end_in_order(plan, django_assert_num_queries):
    assert titles(plan) == ["First", "Second", "Third"]
    assert positions(plan) == [1, 2, 3]
    found = selectors.current_plan_for_user(plan.created_by, plan.body)
    assert found is not None
    assert [p.title for p in PlanPriority.objects.filter(plan=found)] == [
        "First",
        "Second",
        "Third",
    ]
    names = [theme(i).name for i in range(3)]
    with django_assert_num_queries(0):  # prefetched in order, each with its theme
        rows = list(found.priorities.all())  # type: ignore[misc]
        assert [p.title for p in rows] == ["First", "Second", "Third"]
        assert [p.theme.name for p in rows] == names


def test_a_priority_is_changed(plan, editor):
    priority = PlanPriority.objects.get(plan=plan, title="Second")

    plans.priority_update(
        priority=priority, by=editor, title="Second, reworded", theme=theme(5), description="Why"
    )

    stored = PlanPriority.objects.get(pk=priority.pk)
    assert (stored.title, stored.theme, stored.description) == ("Second, reworded", theme(5), "Why")
    assert stored.history.first().history_change_reason == "Priority changed: Second, reworded"


@pytest.mark.parametrize(
    ("title", "chosen", "field", "message"),
    [
        ("", "theme", "title", "Enter the priority"),
        ("x" * 201, "theme", "title", "200 characters"),
        ("Fine", None, "theme", "Choose a theme"),
        ("Fine", "gone", "theme", "Choose a theme"),
    ],
)
def test_bad_priorities_are_refused(plan, editor, title, chosen, field, message):
    choice = {"theme": theme(), None: None, "gone": PriorityTheme(pk=10**9, name="Gone")}[chosen]
    priority = PlanPriority.objects.get(plan=plan, title="First")

    with pytest.raises(ValidationError) as added:
        plans.priority_add(plan=plan, by=editor, title=title, theme=choice)
    with pytest.raises(ValidationError) as changed:
        plans.priority_update(priority=priority, by=editor, title=title, theme=choice)

    for info in (added, changed):
        assert message in " ".join(errors_of(info)[field])
    assert titles(plan) == ["First", "Second", "Third"]


def test_priorities_move_up_and_down(plan, editor):
    first = PlanPriority.objects.get(plan=plan, title="First")

    plans.priority_move(priority=first, by=editor, direction=plans.DOWN)
    assert titles(plan) == ["Second", "First", "Third"]
    plans.priority_move(priority=first, by=editor, direction=plans.DOWN)
    assert titles(plan) == ["Second", "Third", "First"]
    plans.priority_move(priority=first, by=editor, direction=plans.UP)
    assert titles(plan) == ["Second", "First", "Third"]
    assert positions(plan) == [1, 2, 3]
    assert first.history.first().history_change_reason == "Priority moved: First"


@pytest.mark.parametrize(
    ("title", "direction"), [("First", "up"), ("Third", "down"), ("Second", "sideways")]
)
def test_moving_past_the_ends_or_nowhere_is_refused(plan, editor, title, direction):
    with pytest.raises(ValidationError):
        plans.priority_move(
            priority=PlanPriority.objects.get(plan=plan, title=title),
            by=editor,
            direction=direction,
        )
    assert titles(plan) == ["First", "Second", "Third"]


def test_removing_a_priority_closes_up_the_rest(plan, editor):
    plans.priority_remove(priority=PlanPriority.objects.get(plan=plan, title="First"), by=editor)

    assert titles(plan) == ["Second", "Third"]
    assert positions(plan) == [1, 2]
    record = PlanPriority.history.filter(title="First").first()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        editor,
        "Priority removed: First",
    )


def test_the_plan_changes_list_who_changed_what(plan, editor, personas):
    plans.priority_remove(priority=PlanPriority.objects.get(plan=plan, title="Second"), by=editor)

    changes = selectors.plan_changes(personas.vcs_member, plan.body)

    whats = [change.what for change in changes]
    assert whats[0] == "Priority removed: Second"
    assert "Plan added" in whats
    assert "Priority added: Third" in whats
    assert "Priority moved" not in " ".join(whats)  # closing up is not a change of its own
    assert {change.who for change in changes} == {editor.full_name or editor.email}
    assert selectors.plan_changes(None, plan.body) == []


# What the body publishes ------------------------------------------------------------------


def test_contacts_are_added_in_order_changed_and_removed(gwent, editor):
    first = publications.contact_save(
        body=gwent, by=editor, role=ContactRole.COMMISSIONER, name=" Jane Mudd ", remit="All"
    )
    second = publications.contact_save(
        body=gwent,
        by=editor,
        role=ContactRole.COMMISSIONING_LEAD,
        name="Sam",
        contact_route="grants@example.org",
    )
    assert (first.name, first.position, second.position) == ("Jane Mudd", 1, 2)

    publications.contact_save(
        body=gwent, by=editor, contact=second, role=ContactRole.OTHER, name="Sam Jones"
    )
    assert BodyContact.objects.get(pk=second.pk).name == "Sam Jones"

    publications.published_remove(item=first, by=editor)
    assert list(BodyContact.objects.filter(body=gwent).values_list("name", flat=True)) == [
        "Sam Jones"
    ]
    assert BodyContact.history.filter(name="Jane Mudd").first().history_user == editor


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"role": "king"}, "role", "Choose one from the list"),
        ({"name": " "}, "name", "Enter the person's name"),
        ({"remit": "x" * 301}, "remit", "300 characters"),
    ],
)
def test_bad_contacts_are_refused(gwent, editor, values, field, message):
    data = {"role": ContactRole.OTHER, "name": "Someone"} | values
    with pytest.raises(ValidationError) as info:
        publications.contact_save(body=gwent, by=editor, **data)
    assert message in " ".join(errors_of(info)[field])
    assert not BodyContact.objects.exists()


def test_commissioning_with_a_funding_round(gwent, editor):
    today = timezone.localdate()
    item = publications.commissioning_save(
        body=gwent,
        by=editor,
        kind=CommissioningKind.GRANTS,
        title="Community fund",
        url="https://gwent.example.org/fund",
        opens_on=today,
        closes_on=today + timedelta(days=30),
    )
    assert selectors.round_state(item, today) == "open"
    assert selectors.round_state(item, today - timedelta(days=1)) == "opens"
    assert selectors.round_state(item, today + timedelta(days=31)) == "closed"
    item.opens_on = item.closes_on = None
    assert selectors.round_state(item, today) == ""


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"closes_on": date(2026, 1, 1), "opens_on": date(2026, 2, 1)},
            "closes_on",
            "close on or after",
        ),
        ({"url": "http://example.org"}, "url", "starting https://"),
        ({"kind": ""}, "kind", "Choose one from the list"),
        ({"title": ""}, "title", "Enter a title"),
    ],
)
def test_bad_commissioning_is_refused(gwent, editor, values, field, message):
    data = {"kind": CommissioningKind.GRANTS, "title": "Fund"} | values
    with pytest.raises(ValidationError) as info:
        publications.commissioning_save(body=gwent, by=editor, **data)
    assert message in " ".join(errors_of(info)[field])
    assert not Commissioning.objects.exists()


def test_engagement_routes_and_key_dates(gwent, editor):
    route = publications.route_save(
        body=gwent, by=editor, kind=RouteKind.FORUM, title="Forum", url="https://example.org/f"
    )
    publications.route_save(
        body=gwent, by=editor, route=route, kind=RouteKind.CONSULTATION, title="Consultation"
    )
    assert EngagementRoute.objects.get(pk=route.pk).kind == RouteKind.CONSULTATION
    key_date = publications.key_date_save(body=gwent, by=editor, title="Precept", on=START)
    assert KeyDate.objects.get(pk=key_date.pk).on == START

    with pytest.raises(ValidationError) as info:
        publications.route_save(body=gwent, by=editor, kind="party", title="", url="http://x")
    assert set(errors_of(info)) == {"kind", "title", "url"}
    with pytest.raises(ValidationError) as info:
        publications.key_date_save(body=gwent, by=editor, title="", on=None)
    assert set(errors_of(info)) == {"title", "on"}
    assert EngagementRoute.objects.count() == KeyDate.objects.count() == 1


def test_an_entry_of_another_body_is_not_changed_through_this_one(personas, editor):
    kent = body("kent")
    theirs = publications.key_date_save(
        body=kent, by=personas.kent_commissioner, title="Kent date", on=START
    )

    with pytest.raises(ValidationError, match="another body"):
        publications.key_date_save(
            body=body("gwent"), by=editor, key_date=theirs, title="Mine", on=START
        )
    with pytest.raises(PermissionDenied):
        publications.published_remove(item=theirs, by=editor)
    assert KeyDate.objects.get(pk=theirs.pk).title == "Kent date"


def evidence_on(priority: PlanPriority):
    """Impact evidence a voluntary organisation records against `priority` (impact's model
    refers to the priority with PROTECT)."""
    from engage.accounts.models import Organisation
    from engage.impact.models import ImpactEvidence

    return ImpactEvidence.objects.create(
        organisation=Organisation.objects.get(slug="leeds-womens-centre"),
        body=priority.body,
        priority=priority,
        title="Evidence",
        starts_on=START,
        ends_on=START + timedelta(days=30),
    )


def test_a_priority_impact_evidence_refers_to_is_not_removed(plan, editor):
    first = PlanPriority.objects.get(plan=plan, title="First")
    evidence_on(first)
    history = PlanPriority.history.count()

    with pytest.raises(ValidationError) as info:
        plans.priority_remove(priority=first, by=editor)

    assert info.value.messages == [
        "This priority cannot be removed: impact evidence from the voluntary sector refers to "
        "it. To change the plan's priorities, replace the plan; the current one stays on record "
        "with its priorities."
    ]
    assert titles(plan) == ["First", "Second", "Third"]
    assert positions(plan) == [1, 2, 3]
    assert PlanPriority.history.count() == history
    # The others are still removed as before.
    plans.priority_remove(priority=PlanPriority.objects.get(plan=plan, title="Second"), by=editor)
    assert titles(plan) == ["First", "Third"]
