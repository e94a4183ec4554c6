"""`Response.objects.visible_to` (and the versions' and delegations') against DESIGN.md
section 6, persona by persona: a draft is the responding body's; a submitted response adds the
owning organisation, the APCC secretariat and the lead body of the routed standing group, and
the other bodies addressed only when the policy lead shares responses; never more than who
sees the engagement (a screened-out policy, TLP:RED)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, Role
from engage.accounts.viewer import Viewer
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.engagements import services as engagement_services
from engage.engagements.models import Engagement
from engage.policies import services as policy_services
from engage.responses import services
from engage.responses.models import Response, ResponseVersion, SubmissionDelegation

from .fixtures import body, consultation, save, start, submit, submitted

# Fixtures, registered by name (see fixtures.py).
from .fixtures import opened_fixture as opened_fixture
from .fixtures import policy_fixture as policy_fixture
from .fixtures import victims_fixture as victims_fixture

pytestmark = pytest.mark.django_db

GWENT = {"gwent_commissioner", "gwent_staff"}
# Who reads any body's submitted response to `opened`: the owning organisation, the APCC
# secretariat and the members of Gwent, which leads the Victims group.
READERS = {"moj_lead", "secretariat", *GWENT}


def who_sees(personas, record, queryset=Response.objects) -> set[str]:
    return {
        name
        for name in EVERYONE
        if queryset.visible_to(getattr(personas, name)).filter(pk=record.pk).exists()
    }


def share(engagement: Engagement) -> None:
    """The lead chose to share responses. The engagement form sets it on a draft; here it is
    set on an open engagement, so only `visible_to` decides."""
    Engagement.objects.filter(pk=engagement.pk).update(share_responses=True)


# Drafts -----------------------------------------------------------------------------------


def test_a_draft_is_seen_by_the_responding_bodys_members_only(personas, opened):
    gwent = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    kent = save(start(opened, personas.kent_commissioner), personas.kent_commissioner)
    assert who_sees(personas, gwent) == GWENT
    assert who_sees(personas, kent) == {"kent_commissioner"}


def test_sharing_responses_never_shares_a_draft(personas, opened):
    share(opened)
    gwent = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    assert who_sees(personas, gwent) == GWENT


# Submitted --------------------------------------------------------------------------------


def test_a_submitted_response_reaches_the_owner_the_apcc_and_the_group_lead(personas, opened):
    kent = submitted(opened, personas.kent_commissioner)
    assert who_sees(personas, kent) == {"kent_commissioner", *READERS}


def test_the_group_lead_sees_members_responses_but_not_the_other_way(personas, opened):
    kent = submitted(opened, personas.kent_commissioner)
    gwent = submitted(opened, personas.gwent_commissioner)
    assert {"gwent_commissioner", "gwent_staff"} <= who_sees(personas, kent)
    assert who_sees(personas, gwent) == READERS
    assert "kent_commissioner" not in who_sees(personas, gwent)


def test_sharing_responses_adds_the_other_bodies_addressed(personas, opened):
    kent = submitted(opened, personas.kent_commissioner)
    gwent = submitted(opened, personas.gwent_commissioner)
    share(opened)
    assert who_sees(personas, gwent) == {"kent_commissioner", *READERS}
    assert who_sees(personas, kent) == {"kent_commissioner", *READERS}


def test_sharing_an_all_bodies_engagement_reaches_every_body(personas, policy):
    everyone = consultation(personas, policy, route="all_bodies")
    kent = submitted(everyone, personas.kent_commissioner)
    # No standing group was routed, so no group lead reads it unless the lead shares.
    assert who_sees(personas, kent) == {"kent_commissioner", "moj_lead", "secretariat"}
    share(everyone)
    assert who_sees(personas, kent) == {
        "kent_commissioner",
        "moj_lead",
        "secretariat",
        *GWENT,
        "dorset_commissioner",
        "surrey_ceo",
    }


@pytest.mark.parametrize("shared", [False, True])
def test_never_the_outsider_dorset_another_department_the_sector_or_the_admin(
    personas, opened, shared
):
    if shared:
        share(opened)
    kent = submitted(opened, personas.kent_commissioner)
    gwent = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    never = {"outsider", "dorset_commissioner", "ho_lead", "vcs_member", "admin", "surrey_ceo"}
    assert not never & (who_sees(personas, kent) | who_sees(personas, gwent))


@pytest.mark.parametrize("label", [Label.GREEN, Label.CLEAR])
def test_a_wider_label_on_the_engagement_does_not_widen_its_responses(personas, opened, label):
    kent = submitted(opened, personas.kent_commissioner)
    share(opened)
    engagement_services.label_release(
        engagement=opened, by=personas.moj_lead, to_label=label, reason="r", for_whom="f"
    )
    assert "dorset_commissioner" in {
        name
        for name in EVERYONE
        if Engagement.objects.visible_to(getattr(personas, name)).filter(pk=opened.pk).exists()
    }
    assert who_sees(personas, kent) == {"kent_commissioner", *READERS}


def test_a_superuser_without_memberships_sees_nothing(personas, opened):
    submitted(opened, personas.kent_commissioner)
    personas.admin.is_superuser = True
    personas.admin.save(update_fields=["is_superuser"])
    assert not Response.objects.visible_to(personas.admin).exists()


def test_nobody_signed_out_or_deactivated_sees_anything(personas, opened):
    submitted(opened, personas.kent_commissioner)
    assert not Response.objects.visible_to(AnonymousUser()).exists()
    personas.moj_lead.is_active = False
    personas.moj_lead.save(update_fields=["is_active"])
    assert not Response.objects.visible_to(personas.moj_lead).exists()


def test_a_member_who_leaves_the_body_loses_sight(personas, opened):
    gwent = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    Membership.objects.filter(user=personas.gwent_staff).update(ended_at=timezone.now())
    assert who_sees(personas, gwent) == {"gwent_commissioner"}


def test_the_owning_organisation_beyond_its_policy_leads_reads_submitted_responses(
    personas, opened, moj_staff
):
    kent = submitted(opened, personas.kent_commissioner)
    draft = start(opened, personas.gwent_staff)
    assert "outsider" in who_sees(personas, kent)  # the outsider now works at MoJ
    assert "outsider" not in who_sees(personas, draft)


@pytest.fixture
def moj_staff(personas):
    Membership.objects.create(
        user=personas.outsider, organisation=Organisation.objects.get(slug="moj"), role=Role.STAFF
    )


# Never more than the engagement ----------------------------------------------------------


def test_a_policy_screened_out_later_leaves_responses_with_the_owner_only(personas, opened, policy):
    kent = submitted(opened, personas.kent_commissioner)
    gwent = save(start(opened, personas.gwent_staff), personas.gwent_staff)
    policy_services.policy_screen(
        policy=policy,
        by=personas.moj_lead,
        sensitive_information=False,
        prosecutorial_independence=False,
        judicial_independence=False,
        national_security=True,
    )
    assert who_sees(personas, kent) == {"moj_lead"}
    assert who_sees(personas, gwent) == set()  # a draft never reaches the owner
    version = kent.versions.get()
    assert who_sees(personas, version, ResponseVersion.objects) == {"moj_lead"}


def test_tlp_red_narrows_responses_to_named_recipients(personas, policy, victims):
    red = consultation(
        personas,
        policy,
        groups=[victims],
        label=Label.RED,
        recipients=[personas.gwent_staff, personas.kent_commissioner],
    )
    kent = submitted(red, personas.kent_commissioner)
    gwent = save(start(red, personas.gwent_staff), personas.gwent_staff)
    # The Gwent commissioner is in the lead body but not named: sees neither. The secretariat,
    # not named, routes a TLP:RED engagement without reading it, its responses included.
    assert who_sees(personas, kent) == {"kent_commissioner", "moj_lead", "gwent_staff"}
    assert who_sees(personas, gwent) == {"gwent_staff"}
    share(red)
    services.delegation_grant(
        body=body("gwent"), delegate=personas.gwent_staff, by=personas.gwent_commissioner
    )
    submit(gwent, personas.gwent_staff)
    assert who_sees(personas, gwent) == {"gwent_staff", "kent_commissioner", "moj_lead"}


# Versions and delegations -----------------------------------------------------------------


def test_versions_are_seen_as_their_response(personas, opened):
    kent = submitted(opened, personas.kent_commissioner)
    save(kent, personas.kent_commissioner, challenges="A second thought.")
    second = submit(kent, personas.kent_commissioner)
    first = kent.versions.get(number=1)
    for version in (first, second):
        assert who_sees(personas, version, ResponseVersion.objects) == {
            "kent_commissioner",
            *READERS,
        }
    assert not ResponseVersion.objects.visible_to(personas.outsider).exists()
    assert not ResponseVersion.objects.visible_to(AnonymousUser()).exists()


def test_delegations_are_seen_by_the_bodys_members_only(personas):
    delegation = services.delegation_grant(
        body=body("gwent"), delegate=personas.gwent_staff, by=personas.gwent_commissioner
    )
    assert who_sees(personas, delegation, SubmissionDelegation.objects) == GWENT
    services.delegation_revoke(delegation=delegation, by=personas.gwent_commissioner)
    assert who_sees(personas, delegation, SubmissionDelegation.objects) == GWENT  # on record
    assert not SubmissionDelegation.objects.visible_to(AnonymousUser()).exists()


# Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["gwent_staff", "moj_lead", "secretariat"])
def test_visible_to_is_one_query(personas, opened, django_assert_num_queries, persona):
    submitted(opened, personas.kent_commissioner)
    save(start(opened, personas.gwent_staff), personas.gwent_staff)
    viewer = Viewer.of(getattr(personas, persona))
    viewer.group_ids  # noqa: B018 - the person's facts, read once per request
    with django_assert_num_queries(1):
        assert list(Response.objects.visible_to(viewer))
    with django_assert_num_queries(1):
        assert list(ResponseVersion.objects.visible_to(viewer))
