"""Every rule of acknowledging: which engagements (an open change notice or priorities
update), which body (the one acted for, addressed, reading it), once, and what a refusal
leaves (nothing changed)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.acknowledgements import services
from engage.acknowledgements.models import Acknowledgement
from engage.acknowledgements.selectors import acknowledgement_table
from engage.core.labels import Label
from engage.engagements import services as engagement_services
from engage.engagements.models import Kind, Route, Status
from engage.engagements.services.refusals import PolicyRefused
from engage.engagements.tests.conftest import open_engagement
from engage.engagements.tests.factories import EngagementFactory
from engage.policies.models import Policy, TriageOutcome

from .conftest import acknowledge, change_notice_fields, membership_of

pytestmark = pytest.mark.django_db


def test_a_member_acknowledges_for_the_body_acted_for(personas, notice):
    made = acknowledge(notice, personas.gwent_staff, note="Told our victims' services.")
    assert made.body.organisation.slug == "gwent"
    assert made.acknowledged_by == personas.gwent_staff
    assert made.note == "Told our victims' services."


def test_a_body_acknowledges_once_and_the_second_is_refused_politely(personas, notice):
    acknowledge(notice, personas.gwent_staff)
    with pytest.raises(ValidationError) as refused:
        acknowledge(notice, personas.gwent_commissioner)
    message = refused.value.messages[0]
    assert "Gwent" in message
    assert "Owen Price" in message
    assert "acknowledged once" in message
    assert Acknowledgement.objects.count() == 1
    acknowledge(notice, personas.kent_commissioner)  # another body is another acknowledgement
    assert Acknowledgement.objects.count() == 2


def test_a_priorities_update_is_acknowledged(personas, policy, victims):
    update = EngagementFactory(
        policy=policy,
        kind=Kind.PRIORITIES,
        status=Status.OPEN,
        route=Route.STANDING_GROUPS,
        routed_groups=[victims],
        opened_at=timezone.now(),
    )
    assert acknowledge(update, personas.kent_commissioner).engagement == update


def test_other_kinds_are_not_acknowledged(personas, policy, victims):
    consultation = open_engagement(personas, policy, groups=[victims])
    with pytest.raises(ValidationError) as refused:
        acknowledge(consultation, personas.gwent_staff)
    assert "change notice or a priorities update" in refused.value.messages[0]
    assert not Acknowledgement.objects.exists()


def test_a_closed_engagement_is_not_acknowledged(personas, notice):
    engagement_services.engagement_close(engagement=notice, by=personas.moj_lead)
    with pytest.raises(ValidationError) as refused:
        acknowledge(notice, personas.gwent_staff)
    assert "It is closed" in refused.value.messages[0]
    assert not Acknowledgement.objects.exists()


def test_a_screened_out_policy_is_not_acknowledged(personas, notice):
    Policy.objects.filter(pk=notice.policy_id).update(triage_outcome=TriageOutcome.SCREENED_OUT)
    with pytest.raises(PolicyRefused):
        acknowledge(notice, personas.gwent_staff)
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize("persona", ["dorset_commissioner", "moj_lead", "secretariat"])
def test_a_body_not_addressed_or_no_body_is_refused(personas, notice, persona):
    with pytest.raises(ValidationError):
        acknowledge(notice, getattr(personas, persona))
    assert not Acknowledgement.objects.exists()


def test_acknowledging_for_another_body_is_refused(personas, notice):
    """The body is the person's own current membership's; another's membership is refused."""
    with pytest.raises(PermissionDenied):
        services.acknowledge(
            engagement=notice,
            membership=membership_of(personas.kent_commissioner),
            by=personas.gwent_staff,
        )
    assert not Acknowledgement.objects.exists()


def test_under_tlp_red_only_named_members_acknowledge(personas, policy, victims):
    red = open_engagement(
        personas,
        policy,
        groups=[victims],
        label=Label.RED,
        recipients=[personas.gwent_staff],
        **change_notice_fields(),
    )
    with pytest.raises(ValidationError):
        acknowledge(red, personas.kent_commissioner)
    acknowledge(red, personas.gwent_staff)
    assert Acknowledgement.objects.count() == 1


def test_an_overlong_note_is_refused(personas, notice):
    with pytest.raises(ValidationError) as refused:
        acknowledge(notice, personas.gwent_staff, note="x" * (services.MAX_NOTE + 1))
    assert "note" in refused.value.message_dict
    assert not Acknowledgement.objects.exists()


def test_the_table_lists_every_body_addressed_with_or_without(personas, notice):
    acknowledge(notice, personas.kent_commissioner, note="Noted.")
    rows = {
        row.body.organisation.slug: row.acknowledgement
        for row in acknowledgement_table(personas.moj_lead, notice)
    }
    assert set(rows) >= {"gwent", "kent"}
    assert rows["gwent"] is None
    assert rows["kent"].note == "Noted."
    for persona in ("gwent_staff", "kent_commissioner"):
        with pytest.raises(PermissionDenied):
            acknowledgement_table(getattr(personas, persona), notice)


def test_an_acknowledgement_is_read_by_the_body_the_owner_and_the_apcc(personas, notice):
    acknowledge(notice, personas.gwent_staff)
    readers = {
        name
        for name in (
            "moj_lead",
            "ho_lead",
            "secretariat",
            "gwent_commissioner",
            "gwent_staff",
            "kent_commissioner",
            "dorset_commissioner",
            "surrey_ceo",
            "vcs_member",
            "admin",
            "outsider",
        )
        if Acknowledgement.objects.visible_to(getattr(personas, name)).exists()
    }
    assert readers == {"moj_lead", "secretariat", "gwent_commissioner", "gwent_staff"}


def test_the_demo_acknowledges(personas, notice):
    from engage.acknowledgements.demo import acknowledgement_demo

    assert acknowledgement_demo(notice, personas.kent_commissioner).body.organisation.slug == "kent"
