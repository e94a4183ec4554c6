"""`Engagement.objects.visible_to` against DESIGN.md section 6, persona by persona, through
each status, route and handling label."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, Role
from engage.accounts.viewer import Viewer
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.engagements import services
from engage.engagements.models import Engagement, NationalPriority

from .conftest import engagement_fields, open_engagement

pytestmark = pytest.mark.django_db


def who_sees(personas, engagement) -> set[str]:
    return {
        name
        for name in EVERYONE
        if Engagement.objects.visible_to(getattr(personas, name)).filter(pk=engagement.pk).exists()
    }


def test_a_draft_is_seen_by_the_owning_organisation_only(personas, draft, moj):
    staff = personas.outsider
    Membership.objects.create(user=staff, organisation=moj, role=Role.STAFF)
    assert who_sees(personas, draft) == {"moj_lead", "outsider"}  # the outsider now works at MoJ


def test_awaiting_the_apcc_adds_the_secretariat_but_not_the_audience(personas, awaiting):
    assert who_sees(personas, awaiting) == {"moj_lead", "secretariat"}


def test_open_reaches_the_bodies_of_the_routed_group(personas, opened):
    assert who_sees(personas, opened) == {
        "moj_lead",
        "secretariat",
        "gwent_commissioner",
        "gwent_staff",
        "kent_commissioner",
    }


def test_closed_stays_with_the_same_people(personas, opened):
    services.engagement_close(engagement=opened, by=personas.moj_lead)
    assert who_sees(personas, opened) == {
        "moj_lead",
        "secretariat",
        "gwent_commissioner",
        "gwent_staff",
        "kent_commissioner",
    }


def test_a_returned_engagement_is_the_owners_again(personas, awaiting):
    services.engagement_return(engagement=awaiting, by=personas.secretariat, advice="Rework it")
    assert who_sees(personas, awaiting) == {"moj_lead"}


def test_the_wider_route_reaches_every_policing_body(personas, policy):
    everyone = open_engagement(personas, policy, route="all_bodies")
    assert who_sees(personas, everyone) == {
        "moj_lead",
        "secretariat",
        "gwent_commissioner",
        "gwent_staff",
        "kent_commissioner",
        "dorset_commissioner",
        "surrey_ceo",
    }


def test_consulting_the_apcc_shares_the_draft_with_the_secretariat(personas, draft):
    services.wider_route_request(engagement=draft, by=personas.moj_lead, request="National")
    assert who_sees(personas, draft) == {"moj_lead", "secretariat"}


def test_the_apace_route_reaches_chief_executives_only(personas, policy):
    apace = open_engagement(personas, policy, route="apace")
    assert who_sees(personas, apace) == {"moj_lead", "secretariat", "surrey_ceo"}


def test_tlp_red_narrows_the_audience_to_named_recipients(personas, policy, victims):
    red = open_engagement(
        personas,
        policy,
        groups=[victims],
        label=Label.RED,
        recipients=[personas.gwent_staff],
    )
    assert who_sees(personas, red) == {"moj_lead", "secretariat", "gwent_staff"}


def test_a_named_recipient_who_leaves_the_audience_loses_sight(personas, policy, victims):
    red = open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    Membership.objects.filter(user=personas.gwent_staff).update(ended_at=timezone.now())
    assert "gwent_staff" not in who_sees(personas, red)


def test_a_named_apcc_member_beyond_the_secretariat_sees_tlp_red(personas, policy, victims):
    apcc_staff = personas.outsider
    Membership.objects.create(
        user=apcc_staff, organisation=Organisation.objects.get(slug="apcc"), role=Role.STAFF
    )
    red = open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[apcc_staff]
    )
    assert "outsider" in who_sees(personas, red)


def test_tlp_green_widens_an_open_engagement_to_the_protocol_community(personas, opened):
    services.label_release(
        engagement=opened,
        by=personas.moj_lead,
        to_label=Label.GREEN,
        reason="Announced",
        for_whom="All protocol organisations",
    )
    assert who_sees(personas, opened) == {
        "moj_lead",
        "ho_lead",
        "secretariat",
        "gwent_commissioner",
        "gwent_staff",
        "kent_commissioner",
        "dorset_commissioner",
        "surrey_ceo",
    }


def test_a_green_release_does_not_open_a_draft(personas, draft):
    services.label_release(
        engagement=draft, by=personas.moj_lead, to_label=Label.GREEN, reason="r", for_whom="f"
    )
    assert who_sees(personas, draft) == {"moj_lead"}


def test_tlp_clear_once_open_is_public_to_anyone_signed_in(personas, opened):
    services.label_release(
        engagement=opened, by=personas.moj_lead, to_label=Label.CLEAR, reason="r", for_whom="f"
    )
    assert who_sees(personas, opened) == set(EVERYONE)


def test_nobody_signed_out_or_deactivated_sees_anything(personas, opened):
    assert not Engagement.objects.visible_to(AnonymousUser()).exists()
    personas.moj_lead.is_active = False
    personas.moj_lead.save(update_fields=["is_active"])
    assert not Engagement.objects.visible_to(personas.moj_lead).exists()


def test_a_superuser_without_memberships_sees_nothing(personas, opened):
    personas.admin.is_superuser = True
    personas.admin.save(update_fields=["is_superuser"])
    assert not Engagement.objects.visible_to(personas.admin).exists()


def test_visible_to_is_one_query(personas, opened, django_assert_num_queries):
    # The person's facts are read once (a request's middleware has them already: two queries,
    # their memberships and their bodies' groups); each list is then one query.
    with django_assert_num_queries(2):
        viewer = Viewer.of(personas.gwent_staff)
        assert viewer.group_ids
    with django_assert_num_queries(1):
        list(Engagement.objects.visible_to(viewer))


def test_national_priorities_follow_their_priorities_update(personas, policy, victims):
    update = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(kind="priorities", asks_response=False, response_deadline=None),
    )
    priority = services.national_priority_add(
        engagement=update,
        by=personas.moj_lead,
        title="Cut reoffending",
        source="board",
        period_start=timezone.localdate(),
        supporting_information="The Board's plan.",
    )

    def seers():
        return {
            name
            for name in EVERYONE
            if NationalPriority.objects.visible_to(getattr(personas, name))
            .filter(pk=priority.pk)
            .exists()
        }

    assert seers() == {"moj_lead"}
    services.engagement_route(
        engagement=update, by=personas.moj_lead, route="groups", groups=[victims]
    )
    services.engagement_confirm_routing(engagement=update, by=personas.secretariat)
    assert seers() == {
        "moj_lead",
        "secretariat",
        "gwent_commissioner",
        "gwent_staff",
        "kent_commissioner",
    }
