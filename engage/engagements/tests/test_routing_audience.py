"""Issue 8, point 7: the audience fixed at opening, bodies the APCC adds later, combined routes
(APACE alongside standing groups), the APCC amending the groups at confirmation, groups with no
member bodies refused, and the route kept after the APCC returns an engagement."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from engage.accounts.models import Membership
from engage.accounts.viewer import Viewer
from engage.directory.models import PolicingBody, StandingGroup, StandingGroupMembership
from engage.engagements import services
from engage.engagements.audience import (
    audience_bodies,
    audience_members,
    bodies_addressed,
    engagement_read,
)
from engage.engagements.models import AudienceBody, Engagement, RouteAmendment, Status

from .conftest import open_engagement

pytestmark = pytest.mark.django_db


def body_of(persona) -> PolicingBody:
    return PolicingBody.objects.get(organisation__memberships__user=persona)


def reads(persona, engagement) -> bool:
    return Engagement.objects.filter(engagement_read(Viewer.of(persona)), pk=engagement.pk).exists()


def addressed(persona, engagement) -> bool:
    membership = Membership.objects.filter(user=persona).select_related("organisation").first()
    return Engagement.objects.filter(pk=engagement.pk).addressed_to(membership).exists()


def fixed(engagement) -> set[str]:
    return set(
        AudienceBody.objects.filter(engagement=engagement).values_list(
            "body__organisation__slug", flat=True
        )
    )


def group_slugs(victims) -> set[str]:
    return set(
        StandingGroupMembership.objects.filter(group=victims).values_list(
            "body__organisation__slug", flat=True
        )
    )


# The audience is fixed at opening -------------------------------------------------------------


def test_opening_fixes_the_routed_groups_bodies(personas, opened, victims):
    assert fixed(opened) == group_slugs(victims)
    assert AudienceBody.objects.filter(engagement=opened, at_opening=True).count() == len(
        group_slugs(victims)
    )


def test_a_body_joining_the_group_later_does_not_gain_its_past_engagements(
    personas, opened, victims
):
    dorset = body_of(personas.dorset_commissioner)
    StandingGroupMembership.objects.create(group=victims, body=dorset)
    assert not reads(personas.dorset_commissioner, opened)
    assert not addressed(personas.dorset_commissioner, opened)
    assert personas.dorset_commissioner not in audience_members(opened)
    assert dorset not in audience_bodies(opened)
    # ... but it does receive what is routed to the group from now on.
    later = open_engagement(personas, opened.policy, groups=[victims], title="Later")
    assert reads(personas.dorset_commissioner, later)
    assert dorset in audience_bodies(later)


def test_a_body_leaving_the_group_keeps_what_it_was_sent(personas, opened, victims):
    kent = body_of(personas.kent_commissioner)
    StandingGroupMembership.objects.filter(group=victims, body=kent).delete()
    assert reads(personas.kent_commissioner, opened)
    assert addressed(personas.kent_commissioner, opened)
    assert personas.kent_commissioner in audience_members(opened)
    assert kent in audience_bodies(opened)
    assert bodies_addressed(opened) == len(fixed(opened))


def test_before_opening_the_audience_is_the_groups_bodies_now(personas, awaiting, victims):
    assert not fixed(awaiting)
    dorset = body_of(personas.dorset_commissioner)
    StandingGroupMembership.objects.create(group=victims, body=dorset)
    assert dorset in audience_bodies(awaiting)
    opened = services.engagement_confirm_routing(engagement=awaiting, by=personas.secretariat)
    assert AudienceBody.objects.filter(engagement=opened, body=dorset, at_opening=True).exists()
    assert reads(personas.dorset_commissioner, opened)


def test_the_wider_route_fixes_every_body(personas, policy):
    everyone = open_engagement(personas, policy, route="all_bodies")
    assert AudienceBody.objects.filter(engagement=everyone).count() == PolicingBody.objects.count()


def test_the_apace_route_stays_role_based(personas, policy):
    apace = open_engagement(personas, policy, route="apace")
    assert not fixed(apace)
    assert reads(personas.surrey_ceo, apace)
    assert not reads(personas.gwent_commissioner, apace)


def test_engagement_open_opens_only_what_awaits_opening(personas, draft):
    from django.utils import timezone

    with pytest.raises(ValidationError, match="cannot be opened"):
        services.engagement_open(engagement=draft, at=timezone.now(), by=personas.secretariat)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not fixed(draft)


# The APCC adds a body later -------------------------------------------------------------------


def test_the_apcc_adds_a_body_to_an_open_engagement_with_a_reason(personas, opened):
    dorset = body_of(personas.dorset_commissioner)
    row = services.audience_body_add(
        engagement=opened, body=dorset, by=personas.secretariat, reason="Joined Victims in May"
    )
    assert (row.at_opening, row.added_by, row.reason) == (
        False,
        personas.secretariat,
        "Joined Victims in May",
    )
    assert reads(personas.dorset_commissioner, opened)
    assert addressed(personas.dorset_commissioner, opened)
    assert personas.dorset_commissioner in audience_members(opened)


@pytest.mark.parametrize("who", ["moj_lead", "gwent_commissioner", "admin"])
def test_only_the_secretariat_adds_a_body(personas, opened, who):
    with pytest.raises(PermissionDenied):
        services.audience_body_add(
            engagement=opened,
            body=body_of(personas.dorset_commissioner),
            by=getattr(personas, who),
            reason="Why",
        )
    assert not reads(personas.dorset_commissioner, opened)


def test_adding_a_body_is_refused_with_a_clear_reason(personas, opened):
    dorset = body_of(personas.dorset_commissioner)
    with pytest.raises(ValidationError) as blank:
        services.audience_body_add(
            engagement=opened, body=dorset, by=personas.secretariat, reason=" "
        )
    assert "reason" in blank.value.message_dict
    with pytest.raises(ValidationError) as already:
        services.audience_body_add(
            engagement=opened,
            body=body_of(personas.kent_commissioner),
            by=personas.secretariat,
            reason="Why",
        )
    assert "already in" in str(already.value.message_dict["body"])
    services.engagement_close(engagement=opened, by=personas.moj_lead)
    with pytest.raises(ValidationError, match="only be added to an open engagement"):
        services.audience_body_add(
            engagement=opened, body=dorset, by=personas.secretariat, reason="Why"
        )
    assert not AudienceBody.objects.filter(engagement=opened, at_opening=False).exists()


# Groups with no member bodies ----------------------------------------------------------------


@pytest.fixture
def empty_group(personas):
    return StandingGroup.objects.create(slug="empty-group", name="An empty group")


def test_the_lead_cannot_route_to_a_group_with_no_member_bodies(
    personas, draft, empty_group, victims
):
    with pytest.raises(ValidationError) as refused:
        services.engagement_route(
            engagement=draft, by=personas.moj_lead, route="groups", groups=[victims, empty_group]
        )
    assert "An empty group has no member bodies" in refused.value.message_dict["groups"][0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_apcc_cannot_amend_to_a_group_with_no_member_bodies(personas, awaiting, empty_group):
    with pytest.raises(ValidationError) as refused:
        services.engagement_confirm_routing(
            engagement=awaiting, by=personas.secretariat, groups=[empty_group]
        )
    assert "no member bodies" in refused.value.message_dict["groups"][0]
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC
    assert not RouteAmendment.objects.exists()


# The APCC amends the route at confirmation -------------------------------------------------------


def test_the_apcc_amends_the_groups_and_adds_apace(personas, awaiting, victims):
    other = StandingGroup.objects.create(slug="finance", name="Finance")
    StandingGroupMembership.objects.create(group=other, body=body_of(personas.dorset_commissioner))
    opened = services.engagement_confirm_routing(
        engagement=awaiting, by=personas.secretariat, groups=[other], also_apace=True
    )
    assert set(opened.routed_groups.all()) == {other}
    assert opened.also_apace
    assert opened.reaches_apace
    change = RouteAmendment.objects.get(engagement=opened)
    assert (change.amended_by, change.groups_before, change.groups_after) == (
        personas.secretariat,
        victims.name,
        other.name,
    )
    assert (change.also_apace_before, change.also_apace_after) == (False, True)
    assert fixed(opened) == group_slugs(other)
    assert reads(personas.surrey_ceo, opened)
    assert reads(personas.dorset_commissioner, opened)
    assert not reads(personas.kent_commissioner, opened)


def test_confirming_unchanged_records_no_amendment(personas, awaiting, victims):
    services.engagement_confirm_routing(
        engagement=awaiting, by=personas.secretariat, groups=[victims], also_apace=False
    )
    assert not RouteAmendment.objects.exists()


# Combined routes ------------------------------------------------------------------------------


def test_a_combined_route_reaches_the_groups_bodies_and_the_chief_executives(
    personas, policy, victims
):
    combined = open_engagement(personas, policy, groups=[victims], also_apace=True)
    assert combined.also_apace
    assert reads(personas.surrey_ceo, combined)
    assert reads(personas.kent_commissioner, combined)
    assert not reads(personas.dorset_commissioner, combined)
    assert addressed(personas.surrey_ceo, combined)
    members = set(audience_members(combined))
    assert {personas.surrey_ceo, personas.kent_commissioner} <= members
    assert body_of(personas.surrey_ceo) in audience_bodies(combined)


def test_also_apace_only_goes_with_standing_groups(personas, draft):
    routed = services.engagement_route(
        engagement=draft, by=personas.moj_lead, route="apace", also_apace=True
    )
    assert not routed.also_apace


# Pages ------------------------------------------------------------------------------------------


def test_the_confirm_page_shows_the_audience_and_amends_it(personas, client_for, awaiting, victims):
    apcc = client_for(personas.secretariat)
    url = reverse("engagements:confirm", args=[awaiting.public_id])
    page = apcc.get(url).content.decode()
    bodies = len(group_slugs(victims))
    assert f"{bodies} policing bodies" in page or f"{bodies} policing body" in page
    assert "will receive it" in page
    assert "Kent" in page
    assert "TLP:" in page
    # "Update who it will reach" shows the new audience without confirming.
    preview = apcc.post(
        url, {"amend": "1", "groups": [victims.slug], "also_apace": "on", "action": "preview"}
    )
    assert preview.status_code == 200
    assert "(including the chief executives)" in preview.content.decode()
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC
    # Unticking every group is refused at the field.
    empty = apcc.post(url, {"amend": "1", "action": "confirm"})
    assert empty.status_code == 200
    assert "Choose at least one standing group" in empty.content.decode()
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC
    done = apcc.post(url, {"amend": "1", "groups": [victims.slug], "also_apace": "on"})
    assert done.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == Status.OPEN
    assert awaiting.also_apace


def test_the_confirm_page_refuses_an_empty_group_at_the_field(
    personas, client_for, awaiting, empty_group
):
    response = client_for(personas.secretariat).post(
        reverse("engagements:confirm", args=[awaiting.public_id]),
        {"amend": "1", "groups": [empty_group.slug], "action": "confirm"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "has no member bodies" in page
    assert 'href="#id_groups' in page
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC


def test_after_a_return_the_route_form_keeps_the_earlier_choices(
    personas, client_for, awaiting, victims
):
    services.engagement_return(engagement=awaiting, by=personas.secretariat, advice="Add APACE.")
    page = (
        client_for(personas.moj_lead)
        .get(reverse("engagements:route", args=[awaiting.public_id]))
        .content.decode()
    )
    assert f'value="{victims.slug}" checked' in page
    assert 'value="groups" checked' in page


def test_the_detail_page_shows_a_combined_route(personas, client_for, policy, victims):
    combined = open_engagement(personas, policy, groups=[victims], also_apace=True)
    page = (
        client_for(personas.moj_lead)
        .get(reverse("engagements:detail", args=[combined.public_id]))
        .content.decode()
    )
    assert "with APACE (chief executives)" in page
    assert reverse("engagements:routing", args=[combined.public_id]) in page
