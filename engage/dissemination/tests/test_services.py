"""Every rule of the dissemination services: who asks (the owning organisation, once the
engagement is open), what (a message the bodies may pass on, audiences, a due date not before
the request), whom (the bodies addressed, fixed when asked), who confirms (the body acted
for, asked, reading the engagement), what a confirmation says, and what each refusal leaves
(nothing changed)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.accounts.models import Membership, Role, User
from engage.audit.models import AccessAction, AccessLog
from engage.core.labels import Label
from engage.directory.models import PolicingBody
from engage.dissemination import services
from engage.dissemination.models import (
    DisseminationConfirmation,
    DisseminationRequest,
    State,
)
from engage.engagements import services as engagement_services
from engage.engagements.services.refusals import PolicyRefused
from engage.engagements.tests.conftest import open_engagement
from engage.policies.models import Policy, TriageOutcome

from .conftest import LINK, MESSAGE, TO_WHOM, confirm, in_days, make_request, membership_of

pytestmark = pytest.mark.django_db


def errors_of(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


# Asking -------------------------------------------------------------------------------------


def test_the_lead_asks_every_body_addressed_once_each(personas, consultation):
    request = make_request(consultation, personas.moj_lead)
    assert request.message == MESSAGE
    assert request.message_label == Label.GREEN
    assert request.audiences == ["cjb", "victims"]
    bodies = set(request.confirmations.values_list("body__organisation__slug", flat=True))
    assert bodies == {"gwent", "kent"}
    assert all(row.state_on() == State.DUE for row in request.confirmations.all())
    assert request.history.get().history_user == personas.moj_lead


def test_several_requests_on_one_engagement_are_allowed(personas, consultation):
    make_request(consultation, personas.moj_lead)
    make_request(consultation, personas.moj_lead, message="A second message.")
    assert consultation.dissemination_requests.count() == 2


@pytest.mark.parametrize("label", [Label.RED, Label.AMBER_STRICT])
def test_a_message_restricted_to_the_body_itself_is_refused(personas, consultation, label):
    with pytest.raises(ValidationError) as exc:
        make_request(consultation, personas.moj_lead, message_label=label)
    assert "cannot be restricted to the body itself" in errors_of(exc)["message_label"][0]
    assert not DisseminationRequest.objects.exists()


@pytest.mark.parametrize("label", [Label.AMBER, Label.GREEN, Label.CLEAR])
def test_a_message_may_be_amber_green_or_clear(personas, consultation, label):
    assert make_request(consultation, personas.moj_lead, message_label=label).message_label == label


def test_an_unknown_label_is_refused(personas, consultation):
    with pytest.raises(ValidationError) as exc:
        make_request(consultation, personas.moj_lead, message_label="purple")
    assert "message_label" in errors_of(exc)


def test_a_due_date_before_the_request_is_refused(personas, consultation):
    with pytest.raises(ValidationError) as exc:
        make_request(consultation, personas.moj_lead, due_on=in_days(-1))
    assert "cannot be due before it is made" in errors_of(exc)["due_on"][0]
    assert not DisseminationRequest.objects.exists()


def test_a_request_due_today_is_accepted(personas, consultation):
    assert make_request(consultation, personas.moj_lead, due_on=in_days(0)).due_on == in_days(0)


def test_the_message_the_audiences_and_the_due_date_are_required(personas, consultation):
    with pytest.raises(ValidationError) as exc:
        make_request(consultation, personas.moj_lead, message="  ", audiences=[], due_on=None)
    assert set(errors_of(exc)) == {"message", "audiences", "due_on"}


def test_a_long_message_is_refused(personas, consultation):
    with pytest.raises(ValidationError) as exc:
        make_request(consultation, personas.moj_lead, message="x" * 5_001)
    assert "5,000 characters" in errors_of(exc)["message"][0]


def test_other_audience_needs_saying_which(personas, consultation):
    with pytest.raises(ValidationError) as exc:
        make_request(consultation, personas.moj_lead, audiences=["other"])
    assert "audience_other" in errors_of(exc)
    request = make_request(
        consultation,
        personas.moj_lead,
        audiences=["other", "public"],
        audience_other="Schools",
        message_label="clear",
    )
    assert request.audiences == ["public", "other"]
    assert request.audience_labels() == ["The public", "Schools"]


def test_other_text_is_dropped_when_other_is_not_chosen(personas, consultation):
    request = make_request(consultation, personas.moj_lead, audience_other="Schools")
    assert request.audience_other == ""


def test_an_unknown_audience_is_refused(personas, consultation):
    with pytest.raises(ValidationError) as exc:
        make_request(consultation, personas.moj_lead, audiences=["cjb", "press"])
    assert "audiences" in errors_of(exc)


@pytest.mark.parametrize(
    "persona", ["ho_lead", "secretariat", "gwent_staff", "dorset_commissioner"]
)
def test_only_the_owning_organisation_asks(personas, consultation, persona):
    with pytest.raises(PermissionDenied):
        make_request(consultation, getattr(personas, persona))
    assert not DisseminationRequest.objects.exists()


def test_a_draft_or_an_engagement_waiting_for_the_apcc_cannot_be_asked(personas, draft, victims):
    with pytest.raises(ValidationError, match="once it is open"):
        make_request(draft, personas.moj_lead)
    engagement_services.question_add(
        engagement=draft, by=personas.moj_lead, text="What would change?", kind="free_text"
    )
    awaiting = engagement_services.engagement_route(
        engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
    )
    with pytest.raises(ValidationError, match="once it is open"):
        make_request(awaiting, personas.moj_lead)
    assert not DisseminationRequest.objects.exists()


def test_a_closed_engagement_can_still_be_asked(personas, consultation):
    closed = engagement_services.engagement_close(engagement=consultation, by=personas.moj_lead)
    assert make_request(closed, personas.moj_lead).confirmations.count() == 2


def test_a_screened_out_policy_takes_no_request_and_the_attempt_is_recorded(personas, consultation):
    Policy.objects.filter(pk=consultation.policy_id).update(
        triage_outcome=TriageOutcome.SCREENED_OUT
    )
    consultation.policy.refresh_from_db()
    with pytest.raises(PolicyRefused):
        make_request(consultation, personas.moj_lead)
    assert not DisseminationRequest.objects.exists()
    entry = AccessLog.objects.get(action=AccessAction.REFUSED, object_type="policy")
    assert entry.confidential_to == consultation.owner


def test_a_body_added_to_the_audience_later_is_asked_by_the_next_request(personas, consultation):
    first = make_request(consultation, personas.moj_lead)
    dorset = PolicingBody.objects.get(organisation__slug="dorset")
    engagement_services.audience_body_add(
        engagement=consultation, body=dorset, by=personas.secretariat, reason="Asked to join."
    )
    second = make_request(consultation, personas.moj_lead)
    assert not first.confirmations.filter(body=dorset).exists()
    assert second.confirmations.filter(body=dorset).exists()


def test_under_tlp_red_no_request_is_made(personas, policy, victims):
    """Only named people read a TLP:RED engagement: a body with nobody named would be asked
    for what it cannot see, and shown overdue for it."""
    red = open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    with pytest.raises(ValidationError, match="TLP:RED, for named people only"):
        make_request(red, personas.moj_lead)  # a policy lead of the policy reads it
    # Another member of the MoJ, not one of the policy's leads, does not even read it.
    other = User.objects.create_user(email="moj-colleague@example.org")
    Membership.objects.create(user=other, organisation=red.owner, role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        make_request(red, other)
    assert not red.dissemination_requests.exists()


def test_only_a_policy_lead_of_the_owner_asks(personas, consultation):
    other = User.objects.create_user(email="moj-colleague@example.org")
    Membership.objects.create(user=other, organisation=consultation.owner, role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        make_request(consultation, other)
    assert not consultation.dissemination_requests.exists()


@pytest.mark.parametrize("label", ["amber", "green"])
def test_a_message_for_the_public_must_be_clear(personas, consultation, label):
    with pytest.raises(ValidationError) as exc:
        make_request(consultation, personas.moj_lead, audiences=["public"], message_label=label)
    assert "must be TLP:CLEAR" in " ".join(errors_of(exc)["message_label"])
    assert not consultation.dissemination_requests.exists()
    request = make_request(
        consultation, personas.moj_lead, audiences=["public"], message_label="clear"
    )
    assert request.message_label == "clear"


# Confirming ---------------------------------------------------------------------------------


def test_a_body_asked_says_what_it_did(personas, asked):
    row = confirm(asked, personas.gwent_staff)
    assert row.body.organisation.slug == "gwent"
    assert row.outcome == "done"
    assert row.channel == "meeting"
    assert row.to_whom == TO_WHOM
    assert row.link == LINK
    assert row.confirmed_by == personas.gwent_staff
    assert row.state_on() == State.DONE
    record = row.history.latest()
    assert record.history_user == personas.gwent_staff
    assert record.history_change_reason == "Confirmed"


def test_a_body_says_why_it_could_not_and_the_details_are_dropped(personas, asked):
    row = confirm(
        asked,
        personas.kent_commissioner,
        outcome="could_not",
        reason="Our board does not meet before the due date.",
    )
    assert row.outcome == "could_not"
    assert row.channel == row.to_whom == row.link == ""
    assert row.done_on is None
    assert row.state_on() == State.COULD_NOT


def test_could_not_needs_a_reason(personas, asked):
    with pytest.raises(ValidationError) as exc:
        confirm(asked, personas.gwent_staff, outcome="could_not", reason=" ")
    assert "reason" in errors_of(exc)
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()


def test_done_needs_a_channel_whom_and_when(personas, asked):
    with pytest.raises(ValidationError) as exc:
        confirm(asked, personas.gwent_staff, channel="", to_whom="", done_on=None)
    assert set(errors_of(exc)) == {"channel", "to_whom", "done_on"}
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()


def test_a_missing_outcome_is_refused(personas, asked):
    with pytest.raises(ValidationError) as exc:
        confirm(asked, personas.gwent_staff, outcome="")
    assert "outcome" in errors_of(exc)


def test_a_date_in_the_future_is_refused(personas, asked):
    with pytest.raises(ValidationError) as exc:
        confirm(asked, personas.gwent_staff, done_on=timezone.localdate() + datetime.timedelta(1))
    assert "today or in the past" in errors_of(exc)["done_on"][0]


@pytest.mark.parametrize("link", ["javascript:alert(1)", "not a link", "ftp://example.org/x"])
def test_a_link_must_be_a_web_address(personas, asked, link):
    with pytest.raises(ValidationError) as exc:
        confirm(asked, personas.gwent_staff, link=link)
    assert "link" in errors_of(exc)


def test_the_link_is_optional(personas, asked):
    assert confirm(asked, personas.gwent_staff, link="").link == ""


def test_other_channel_needs_saying_which(personas, asked):
    with pytest.raises(ValidationError) as exc:
        confirm(asked, personas.gwent_staff, channel="other")
    assert "channel_other" in errors_of(exc)
    row = confirm(asked, personas.gwent_staff, channel="other", channel_other="Radio interview")
    assert row.channel_text() == "Radio interview"


def test_a_body_corrects_its_confirmation_and_the_history_keeps_both(personas, confirmed):
    row = confirm(
        confirmed.request, personas.gwent_commissioner, channel="website", to_whom="The public"
    )
    assert row.pk == confirmed.pk
    assert row.channel == "website"
    assert row.confirmed_by == personas.gwent_commissioner
    reasons = [record.history_change_reason for record in row.history.order_by("history_date")]
    assert reasons[-2:] == ["Confirmed", "Corrected"]
    assert row.history.latest().history_user == personas.gwent_commissioner


def test_an_unchanged_confirmation_saves_nothing(personas, confirmed):
    before = confirmed.history.count()
    confirm(confirmed.request, personas.gwent_staff)
    assert confirmed.history.count() == before


def test_a_body_not_asked_cannot_confirm(personas, asked):
    with pytest.raises(ValidationError, match="was not asked"):
        confirm(asked, personas.dorset_commissioner)
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()


@pytest.mark.parametrize("persona", ["moj_lead", "secretariat", "vcs_member", "outsider"])
def test_only_a_policing_body_confirms(personas, asked, persona):
    with pytest.raises(ValidationError, match="not acting for one"):
        confirm(asked, getattr(personas, persona))
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()


def test_a_body_confirms_only_for_itself(personas, asked):
    """Kent's member confirms for Kent, whatever the form might name: the body is the one
    the membership acts for."""
    row = confirm(asked, personas.kent_commissioner)
    assert row.body.organisation.slug == "kent"
    gwent = asked.confirmations.get(body__organisation__slug="gwent")
    assert gwent.outcome == ""


def test_someone_elses_membership_is_refused(personas, asked):
    with pytest.raises(PermissionDenied):
        services.dissemination_confirm(
            dissemination=asked,
            membership=membership_of(personas.gwent_staff),
            by=personas.kent_commissioner,
            outcome="could_not",
            reason="No.",
        )


def test_a_body_cannot_have_communicated_it_before_it_was_asked(personas, asked):
    with pytest.raises(ValidationError) as exc:
        confirm(asked, personas.gwent_staff, done_on=in_days(-3))
    assert "cannot be before you were asked" in " ".join(errors_of(exc)["done_on"])
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()


def test_a_screened_out_policy_takes_no_confirmation_and_the_attempt_is_recorded(personas, asked):
    Policy.objects.filter(pk=asked.engagement.policy_id).update(
        triage_outcome=TriageOutcome.SCREENED_OUT
    )
    with pytest.raises(PolicyRefused):
        confirm(asked, personas.gwent_staff)
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()
    assert AccessLog.objects.filter(action=AccessAction.REFUSED, object_type="policy").exists()


# States -------------------------------------------------------------------------------------


def test_a_body_that_said_nothing_is_overdue_once_the_date_passes_never_done(personas, asked):
    DisseminationRequest.objects.filter(pk=asked.pk).update(due_on=in_days(-1))
    rows = DisseminationConfirmation.objects.filter(request=asked).with_state()
    assert {row.state for row in rows} == {State.OVERDUE}
    confirm(asked, personas.gwent_staff)
    states = {
        row.body.organisation.slug: row.state for row in rows.select_related("body__organisation")
    }
    assert states == {"gwent": State.DONE, "kent": State.OVERDUE}


def test_could_not_never_reads_as_done(personas, asked):
    confirm(asked, personas.gwent_staff, outcome="could_not", reason="No meeting.")
    rows = DisseminationConfirmation.objects.filter(request=asked).with_state()
    states = {
        row.body.organisation.slug: row.state for row in rows.select_related("body__organisation")
    }
    assert states == {
        "gwent": State.COULD_NOT,
        "kent": State.DUE,
    }
