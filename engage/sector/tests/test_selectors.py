"""The selectors other apps use: which voluntary organisation a person acts for, the activity a
person reads, what a body has been shared, the organisations and a profile."""

import pytest
from django.http import Http404

from engage.accounts.models import Membership, OrganisationKind
from engage.accounts.viewer import Viewer
from engage.directory.models import PriorityTheme
from engage.directory.tests.factories import MembershipFactory, OrganisationFactory
from engage.sector import selectors, services

from .conftest import SUMMARY, log

pytestmark = pytest.mark.django_db


def test_voluntary_organisation_of(personas, centre):
    membership = Membership.objects.visible_to(personas.vcs_member).get(user=personas.vcs_member)
    assert selectors.voluntary_organisation_of(membership) == centre
    assert selectors.voluntary_organisation_of(Viewer.of(personas.vcs_member)) == centre
    assert selectors.voluntary_organisation_of(personas.vcs_member) == centre
    assert selectors.voluntary_organisation_of(None) is None
    for name in ("gwent_commissioner", "moj_lead", "admin", "outsider"):
        assert selectors.voluntary_organisation_of(getattr(personas, name)) is None, name


def test_a_person_acting_for_a_body_is_not_acting_for_their_voluntary_organisation(
    personas, centre
):
    """A member of Gwent and of the centre, acting for Gwent: the membership says Gwent."""
    user = personas.gwent_staff
    MembershipFactory(user=user, organisation=centre)
    gwent = Membership.objects.visible_to(user).get(user=user, organisation__slug="gwent")
    assert selectors.voluntary_organisation_of(gwent) is None
    assert selectors.voluntary_organisation_of(Viewer.of(user)) == centre


def test_get_activity_for_user(personas, activity, wy_member):
    assert selectors.get_activity_for_user(personas.vcs_member, activity.public_id) == activity
    for user in (wy_member, personas.admin, personas.gwent_staff, personas.outsider):
        with pytest.raises(Http404):
            selectors.get_activity_for_user(user, activity.public_id)
    with pytest.raises(Http404):
        selectors.get_activity_for_user(personas.vcs_member, "not-a-uuid")
    services.activity_share(activity=activity, by=personas.vcs_member)
    assert selectors.get_activity_for_user(wy_member, activity.public_id) == activity


def test_shared_activity_for_body(personas, centre, west_yorkshire, gwent, wy_member):
    other = OrganisationFactory(kind=OrganisationKind.VOLUNTARY, name="Another Charity")
    member = MembershipFactory(organisation=other).user
    ours = log(centre, personas.vcs_member, west_yorkshire, share=True)
    theirs = log(other, member, west_yorkshire, summary="Theirs", kind="forum", share=True)
    log(other, member, west_yorkshire, summary="Not shared")
    log(other, member, gwent, summary="Shared with Gwent", share=True)
    # Newest first (the same day: the later logged first).
    assert list(selectors.shared_activity_for_body(wy_member, west_yorkshire)) == [theirs, ours]
    assert list(selectors.shared_activity_for_body(wy_member, west_yorkshire, kind="forum")) == [
        theirs
    ]
    assert list(
        selectors.shared_activity_for_body(wy_member, west_yorkshire, organisation=centre)
    ) == [ours]
    assert not selectors.shared_activity_for_body(wy_member, gwent).exists()
    assert not selectors.shared_activity_for_body(personas.admin, west_yorkshire).exists()
    assert selectors.organisations_sharing_with(wy_member, west_yorkshire) == [other, centre]


def test_activities_for_user_counts_follow_ups(personas, activity):
    from .conftest import in_days

    member = personas.vcs_member
    services.followup_add(activity=activity, by=member, description="a", due_on=in_days(-1))
    done = services.followup_add(activity=activity, by=member, description="b", due_on=in_days(-1))
    services.followup_done(follow_up=done, by=member)
    services.followup_add(activity=activity, by=member, description="c", due_on=in_days(1))
    row = selectors.activities_for_user(member).get()
    assert (row.open_follow_ups, row.overdue_follow_ups) == (2, 1)
    counts = selectors.follow_up_counts(member, activity.organisation)
    assert (counts.due_soon, counts.overdue) == (1, 1)
    assert row.summary == SUMMARY


def test_organisations_and_profiles(personas, centre, west_yorkshire):
    organisation, profile = selectors.get_profile_for_user(personas.outsider, centre.slug)
    assert (organisation, profile) == (centre, None)
    services.profile_save(
        organisation=centre,
        by=personas.vcs_member,
        areas_served=[west_yorkshire],
        themes=list(PriorityTheme.objects.filter(slug="domestic-abuse")),
    )
    organisation, profile = selectors.get_profile_for_user(personas.outsider, centre.slug)
    assert profile is not None
    assert profile.organisation == centre
    theme = PriorityTheme.objects.get(slug="domestic-abuse")
    found = selectors.organisations_for_user(personas.outsider, body=west_yorkshire, theme=theme)
    assert list(found) == [centre]
    assert not selectors.organisations_for_user(personas.outsider, q="zzz").exists()
    with pytest.raises(Http404):
        selectors.get_profile_for_user(personas.outsider, "gwent")
