"""The sector services: each rule (who may write what), each refusal of bad input (a message on
the field, nothing changed), sharing and unsharing, deleting, follow-ups and the history kept."""

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.accounts.models import Organisation, OrganisationKind
from engage.directory.models import PolicingBody, PriorityTheme
from engage.sector import services
from engage.sector.models import Activity, FollowUp, OrganisationProfile

from .conftest import SUMMARY, in_days, log

pytestmark = pytest.mark.django_db


def profile_fields(body, **overrides):
    fields = {
        "areas_served": [body],
        "themes": list(PriorityTheme.objects.filter(slug="domestic-abuse")),
        "charity_number": "1123456",
        "company_number": "06123456",
        "summary": "A women's centre.",
        "services": "Advocacy.",
        "people_supported": "Women.",
        "offer": "A safe space.",
        "website": "https://example.org",
    }
    fields.update(overrides)
    return fields


def refused(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# The rules -----------------------------------------------------------------------------------


def test_who_edits_a_profile(personas, centre, wy_member):
    allowed = {
        name
        for name in vars(personas)
        if rules.has_perm("sector.edit_profile", getattr(personas, name), centre)
    }
    # Its members, and site administrators (they manage organisations).
    assert allowed == {"vcs_member", "admin"}
    assert not rules.has_perm("sector.edit_profile", wy_member, centre)


def test_who_keeps_the_log(personas, centre, wy_member):
    allowed = {
        name
        for name in vars(personas)
        if rules.has_perm("sector.keep_log", getattr(personas, name), centre)
    }
    assert allowed == {"vcs_member"}  # not site administrators: it is the organisation's own
    assert not rules.has_perm("sector.keep_log", wy_member, centre)


def test_a_non_voluntary_organisation_has_no_profile_or_log_here(personas):
    gwent = Organisation.objects.get(slug="gwent")
    assert gwent.kind == OrganisationKind.POLICING_BODY
    assert not rules.has_perm("sector.edit_profile", personas.gwent_commissioner, gwent)
    assert not rules.has_perm("sector.keep_log", personas.gwent_commissioner, gwent)
    assert not rules.has_perm("sector.edit_profile", personas.admin, gwent)


# The profile ----------------------------------------------------------------------------------


def test_a_member_writes_the_profile_with_areas_and_themes(personas, centre, west_yorkshire, gwent):
    profile = services.profile_save(
        organisation=centre,
        by=personas.vcs_member,
        **profile_fields(west_yorkshire, areas_served=[west_yorkshire, gwent]),
    )
    assert profile.updated_by == personas.vcs_member
    assert set(centre.areas_served.all()) == {west_yorkshire, gwent}
    assert [t.slug for t in profile.themes.all()] == ["domestic-abuse"]
    # History: the profile (and its themes) and the areas served are tracked.
    record = profile.history.latest()
    assert record.history_user == personas.vcs_member
    assert [t.prioritytheme.slug for t in record.themes.all()] == ["domestic-abuse"]
    latest = centre.history.latest()
    assert {a.policingbody_id for a in latest.areas_served.all()} == {west_yorkshire.pk, gwent.pk}


def test_a_site_administrator_may_edit_a_profile(personas, centre, west_yorkshire):
    services.profile_save(organisation=centre, by=personas.admin, **profile_fields(west_yorkshire))
    assert OrganisationProfile.objects.get(organisation=centre).updated_by == personas.admin


@pytest.mark.parametrize("persona", ["gwent_commissioner", "moj_lead", "secretariat", "outsider"])
def test_others_may_not_edit_a_profile(personas, centre, west_yorkshire, persona):
    with pytest.raises(PermissionDenied):
        services.profile_save(
            organisation=centre, by=getattr(personas, persona), **profile_fields(west_yorkshire)
        )
    assert not OrganisationProfile.objects.exists()


def test_a_member_of_another_voluntary_organisation_may_not(personas, centre, west_yorkshire):
    from engage.directory.tests.factories import MembershipFactory, OrganisationFactory

    other = OrganisationFactory(kind=OrganisationKind.VOLUNTARY)
    member = MembershipFactory(organisation=other).user
    with pytest.raises(PermissionDenied):
        services.profile_save(organisation=centre, by=member, **profile_fields(west_yorkshire))


@pytest.mark.parametrize(
    ("charity", "company", "stored_charity", "stored_company"),
    [
        ("1123456", "06123456", "1123456", "06123456"),
        ("112 345", "sc 123456", "112345", "SC123456"),
        ("11234567-1", "R0123456", "11234567-1", "R0123456"),
        ("", "NI123456", "", "NI123456"),
        ("1123456", "oc123456", "1123456", "OC123456"),
    ],
)
def test_good_numbers_are_stored_without_spaces_upper_cased(
    personas, centre, west_yorkshire, charity, company, stored_charity, stored_company
):
    profile = services.profile_save(
        organisation=centre,
        by=personas.vcs_member,
        **profile_fields(west_yorkshire, charity_number=charity, company_number=company),
    )
    assert (profile.charity_number, profile.company_number) == (stored_charity, stored_company)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("charity_number", "12345", "6 to 8 digits"),
        ("charity_number", "123456789", "6 to 8 digits"),
        ("charity_number", "SC012345", "6 to 8 digits"),
        ("charity_number", "1123456-", "6 to 8 digits"),
        ("company_number", "1234567", "8 characters"),
        ("company_number", "ABC12345", "8 characters"),
        ("company_number", "S1234567", "8 characters"),
        ("company_number", "SC12345X", "8 characters"),
        ("website", "http://example.org", "starting https://"),
        ("website", "not a website", "starting https://"),
        ("areas_served", [], "at least one policing body area"),
    ],
)
def test_bad_profile_input_is_refused_on_its_field(
    personas, centre, west_yorkshire, field, value, message
):
    with pytest.raises(ValidationError) as exc:
        services.profile_save(
            organisation=centre,
            by=personas.vcs_member,
            **profile_fields(west_yorkshire, **{field: value}),
        )
    assert message in refused(exc)[field][0]
    assert not OrganisationProfile.objects.exists()
    assert list(centre.areas_served.all()) == [west_yorkshire]  # as the personas left it


def test_a_refused_edit_changes_nothing(personas, centre, west_yorkshire, gwent):
    services.profile_save(
        organisation=centre, by=personas.vcs_member, **profile_fields(west_yorkshire)
    )
    with pytest.raises(ValidationError):
        services.profile_save(
            organisation=centre,
            by=personas.vcs_member,
            **profile_fields(gwent, areas_served=[gwent], charity_number="12"),
        )
    profile = OrganisationProfile.objects.get(organisation=centre)
    assert profile.charity_number == "1123456"
    assert list(centre.areas_served.all()) == [west_yorkshire]


# Activities -----------------------------------------------------------------------------------


def test_a_member_logs_an_activity_not_shared_by_default(personas, activity, centre):
    assert activity.organisation == centre
    assert activity.created_by == personas.vcs_member
    assert activity.shared_at is None
    assert activity.history.latest().history_user == personas.vcs_member


def test_an_activity_can_be_shared_when_logged(personas, centre, west_yorkshire):
    activity = log(centre, personas.vcs_member, west_yorkshire, share=True)
    assert activity.shared_at is not None


def test_any_of_the_43_bodies_may_be_chosen(personas, centre, gwent):
    activity = log(centre, personas.vcs_member, gwent)
    assert activity.body == gwent


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"happened_on": in_days(1)}, "happened_on", "Date must be today or in the past"),
        ({"happened_on": None}, "happened_on", "Enter the date"),
        ({"arrangement": "board_seat", "arrangement_details": " "}, "arrangement_details", "Say"),
        ({"arrangement": "knighthood"}, "arrangement", "Choose a lasting arrangement"),
        ({"kind": "party"}, "kind", "Choose the kind"),
        ({"summary": "  "}, "summary", "Enter a summary"),
        ({"participants": ""}, "participants", "Say who took part"),
        ({"body": None}, "body", "Choose the policing body"),
    ],
)
def test_bad_activity_input_is_refused_on_its_field(
    personas, centre, west_yorkshire, overrides, field, message
):
    fields = {"body": west_yorkshire, **overrides}
    body = fields.pop("body")
    with pytest.raises(ValidationError) as exc:
        log(centre, personas.vcs_member, body, **fields)
    assert message in refused(exc)[field][0]
    assert not Activity.objects.exists()


def test_today_is_allowed_and_details_are_dropped_without_an_arrangement(
    personas, centre, west_yorkshire
):
    activity = log(
        centre,
        personas.vcs_member,
        west_yorkshire,
        happened_on=timezone.localdate(),
        arrangement="",
        arrangement_details="left over",
    )
    assert activity.arrangement_details == ""


@pytest.mark.parametrize("persona", ["admin", "gwent_commissioner", "moj_lead", "outsider"])
def test_others_may_not_log_for_the_organisation(personas, centre, west_yorkshire, persona):
    with pytest.raises(PermissionDenied):
        log(centre, getattr(personas, persona), west_yorkshire)
    assert not Activity.objects.exists()


def test_the_body_reads_shared_activity_but_may_not_change_it(personas, shared, wy_member):
    assert Activity.objects.visible_to(wy_member).filter(pk=shared.pk).exists()
    attempts = [
        lambda: services.activity_update(
            activity=shared,
            by=wy_member,
            body=shared.body,
            kind="visit",
            happened_on=shared.happened_on,
            participants="x",
            summary="Changed by the body",
        ),
        lambda: services.activity_unshare(activity=shared, by=wy_member),
        lambda: services.activity_delete(activity=shared, by=wy_member),
        lambda: services.followup_add(
            activity=shared, by=wy_member, description="x", due_on=in_days(3)
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    shared.refresh_from_db()
    assert shared.summary == SUMMARY
    assert shared.shared_at is not None
    assert not shared.follow_ups.exists()


def test_editing_another_organisations_log_is_refused(personas, activity):
    from engage.directory.tests.factories import MembershipFactory, OrganisationFactory

    other = MembershipFactory(organisation=OrganisationFactory(kind=OrganisationKind.VOLUNTARY))
    with pytest.raises(PermissionDenied):
        services.activity_share(activity=activity, by=other.user)
    activity.refresh_from_db()
    assert activity.shared_at is None


def test_update_keeps_sharing_and_records_history(personas, shared, west_yorkshire):
    first = shared.shared_at
    updated = services.activity_update(
        activity=shared,
        by=personas.vcs_member,
        body=west_yorkshire,
        kind="visit",
        happened_on=in_days(-1),
        participants="Our chief executive",
        summary="A visit to our centre",
        arrangement="memorandum",
        arrangement_details="A memorandum on referrals",
    )
    assert updated.body == west_yorkshire
    assert updated.shared_at == first
    assert updated.history.count() == 3  # created, shared, changed
    assert updated.history.latest().history_user == personas.vcs_member


def test_changing_a_shared_activitys_body_unshares_it(personas, shared, gwent, wy_member):
    updated = services.activity_update(
        activity=shared,
        by=personas.vcs_member,
        body=gwent,
        kind=shared.kind,
        happened_on=shared.happened_on,
        participants=shared.participants,
        summary=shared.summary,
    )
    assert updated.body == gwent
    assert updated.shared_at is None
    shared.refresh_from_db()
    assert shared.shared_at is None
    assert not Activity.objects.visible_to(wy_member).filter(pk=shared.pk).exists()
    gwent_member = personas.gwent_staff
    assert not Activity.objects.visible_to(gwent_member).filter(pk=shared.pk).exists()


def test_share_and_unshare(personas, activity, wy_member):
    assert not Activity.objects.visible_to(wy_member).exists()
    services.activity_share(activity=activity, by=personas.vcs_member)
    assert activity.shared_at is not None
    assert list(Activity.objects.visible_to(wy_member)) == [activity]
    first = activity.shared_at
    services.activity_share(activity=activity, by=personas.vcs_member)  # no change
    assert activity.shared_at == first
    services.activity_unshare(activity=activity, by=personas.vcs_member)
    assert activity.shared_at is None
    assert not Activity.objects.visible_to(wy_member).exists()


def test_shared_activity_is_not_seen_by_other_bodies_or_admins(personas, shared):
    for name in ("gwent_commissioner", "kent_commissioner", "secretariat", "moj_lead", "admin"):
        assert not Activity.objects.visible_to(getattr(personas, name)).exists(), name


def test_delete_only_while_not_shared(personas, shared):
    services.followup_add(
        activity=shared, by=personas.vcs_member, description="Send report", due_on=in_days(5)
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_delete(activity=shared, by=personas.vcs_member)
    assert "Stop sharing it first" in exc.value.messages[0]
    assert Activity.objects.filter(pk=shared.pk).exists()
    services.activity_unshare(activity=shared, by=personas.vcs_member)
    services.activity_delete(activity=shared, by=personas.vcs_member)
    assert not Activity.objects.filter(pk=shared.pk).exists()
    assert not FollowUp.objects.exists()
    assert Activity.history.filter(id=shared.pk, history_type="-").get().history_user == (
        personas.vcs_member
    )


# Follow-ups -----------------------------------------------------------------------------------


def test_follow_ups_add_edit_and_done(personas, activity):
    member = personas.vcs_member
    follow_up = services.followup_add(
        activity=activity, by=member, description="Send report", due_on=in_days(-2)
    )
    assert follow_up.done_on is None
    services.followup_update(
        follow_up=follow_up, by=member, description="Send the report", due_on=in_days(7), done=False
    )
    assert (follow_up.description, follow_up.due_on) == ("Send the report", in_days(7))
    services.followup_done(follow_up=follow_up, by=member)
    assert follow_up.done_on == timezone.localdate()
    services.followup_update(
        follow_up=follow_up, by=member, description="Send the report", due_on=in_days(7), done=False
    )
    assert follow_up.done_on is None
    assert follow_up.history.count() == 4


@pytest.mark.parametrize(
    ("description", "due_on", "field"),
    [
        ("", in_days(3), "description"),
        ("Call back", None, "due_on"),
        ("x" * 301, None, "description"),
    ],
)
def test_bad_follow_up_input_is_refused(personas, activity, description, due_on, field):
    with pytest.raises(ValidationError) as exc:
        services.followup_add(
            activity=activity, by=personas.vcs_member, description=description, due_on=due_on
        )
    assert field in refused(exc)
    assert not FollowUp.objects.exists()


def test_a_past_due_date_is_allowed(personas, activity):
    follow_up = services.followup_add(
        activity=activity, by=personas.vcs_member, description="Late", due_on=in_days(-30)
    )
    assert follow_up.due_on == in_days(-30)


def test_the_demo_is_idempotent(personas, centre):
    from engage.sector.demo import seed_sector_demo

    seed_sector_demo()
    seed_sector_demo()
    profile = OrganisationProfile.objects.get(organisation=centre)
    assert profile.is_sample
    assert profile.charity_number == "1123456"
    assert {t.slug for t in profile.themes.all()} >= {
        "violence-against-women-and-girls-vawg",
        "domestic-abuse",
    }
    activities = list(Activity.objects.filter(organisation=centre).order_by("happened_on"))
    assert len(activities) == 2
    adviser, meeting = activities
    assert adviser.arrangement == "sector_adviser"
    assert adviser.shared_at is None
    assert meeting.shared_at is not None
    assert [f.due_on for f in meeting.follow_ups.all()] == [in_days(10)]
    assert all(a.is_sample for a in activities)
    assert all(
        a.body == PolicingBody.objects.get(organisation__slug="west-yorkshire") for a in activities
    )


def test_the_database_refuses_an_arrangement_without_details(personas, centre, west_yorkshire):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(
            organisation=centre,
            body=west_yorkshire,
            kind="advisory",
            happened_on=in_days(-1),
            participants="x",
            summary="y",
            arrangement="board_seat",
        )
