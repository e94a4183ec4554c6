"""Every rule of asking and deciding, through the services (engage/releases/services.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from engage.audit.models import AccessLog
from engage.core.labels import Label
from engage.documents.models import Document
from engage.engagements import services as engagement_services
from engage.engagements.models import Engagement, Status
from engage.engagements.services import PolicyRefused
from engage.policies.models import TriageOutcome
from engage.releases import services
from engage.releases.models import Decision, ReleaseRequest

from .conftest import ask, grant, in_days, membership_of


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


# Asking ----------------------------------------------------------------------------------


def test_a_body_member_asks_for_their_body(personas, opened):
    request = ask(personas, opened)
    assert request.body.organisation.slug == "gwent"
    assert request.requested_by == personas.gwent_staff
    assert (request.from_label, request.to_label) == (Label.AMBER_STRICT, Label.AMBER)
    assert request.decision == Decision.PENDING
    assert request.history.count() == 1


@pytest.mark.parametrize("who", ["moj_lead", "secretariat", "vcs_member", "outsider"])
def test_only_a_policing_body_asks(personas, opened, who):
    with pytest.raises(ValidationError) as exc:
        ask(personas, opened, who=who)
    assert "Only a policing body" in _messages(exc)
    assert not ReleaseRequest.objects.exists()


def test_a_body_that_does_not_read_the_engagement_cannot_ask(personas, opened):
    with pytest.raises(PermissionDenied):
        ask(personas, opened, who="dorset_commissioner")
    assert not ReleaseRequest.objects.exists()


def test_a_document_the_asker_cannot_read_cannot_be_asked_about(personas, opened):
    red = Document.objects.create(
        engagement=opened, title="Named only", label=Label.RED, created_by=personas.moj_lead
    )
    with pytest.raises(PermissionDenied):
        ask(personas, opened, document=red)
    assert not ReleaseRequest.objects.exists()


def test_a_red_document_is_refused_with_why_even_for_a_named_reader(personas, opened):
    red = Document.objects.create(
        engagement=opened, title="Named only", label=Label.RED, created_by=personas.moj_lead
    )
    red.recipients.add(personas.gwent_staff)
    with pytest.raises(ValidationError) as exc:
        ask(personas, opened, document=red)
    assert "can never be widened through a request" in _messages(exc)
    assert not ReleaseRequest.objects.exists()


def test_a_red_engagement_is_refused_with_why(personas, policy, victims):
    from engage.engagements.tests.conftest import open_engagement

    engagement = open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    with pytest.raises(ValidationError) as exc:
        ask(personas, engagement)
    assert "TLP:RED" in _messages(exc)
    assert "can never be widened" in _messages(exc)


def test_a_closed_engagement_is_refused(personas, opened):
    engagement_services.engagement_close(engagement=opened, by=personas.moj_lead)
    with pytest.raises(ValidationError) as exc:
        ask(personas, opened)
    assert "closed" in _messages(exc)
    assert not ReleaseRequest.objects.exists()


def test_a_draft_is_refused(personas, draft):
    body = services.asking_body(membership_of(personas.gwent_staff))
    with pytest.raises(ValidationError) as exc:
        services.release_request_check(engagement=draft, body=body)
    assert "not open yet" in _messages(exc)


def test_a_screened_out_policy_stays_invisible_to_the_body(personas, opened):
    opened.policy.triage_outcome = TriageOutcome.SCREENED_OUT
    opened.policy.save(update_fields=["triage_outcome"])
    with pytest.raises(PermissionDenied):
        ask(personas, opened)
    assert not ReleaseRequest.objects.exists()


def test_a_label_not_wider_than_the_current_one_is_refused(personas, opened):
    with pytest.raises(ValidationError) as exc:
        ask(personas, opened, to_label=Label.AMBER_STRICT)
    assert exc.value.error_dict["to_label"]
    granted = grant(personas, ask(personas, opened, to_label=Label.GREEN))
    assert granted.is_in_force()
    with pytest.raises(ValidationError) as exc:
        ask(personas, opened, to_label=Label.AMBER)  # GREEN already, for Gwent
    assert "wider than TLP:GREEN" in _messages(exc)


def test_nothing_wider_than_clear(personas, opened):
    Engagement.objects.filter(pk=opened.pk).update(label=Label.CLEAR)
    opened.refresh_from_db()
    body = services.asking_body(membership_of(personas.gwent_staff))
    with pytest.raises(ValidationError) as exc:
        services.release_request_check(engagement=opened, body=body)
    assert "no wider label" in _messages(exc)


def test_a_second_request_while_one_waits_is_refused(personas, opened):
    ask(personas, opened)
    with pytest.raises(ValidationError) as exc:
        ask(personas, opened, who="gwent_commissioner", to_label=Label.GREEN)
    assert "already has a request waiting" in _messages(exc)
    assert ReleaseRequest.objects.count() == 1
    # Another body asks on its own account.
    ask(personas, opened, who="kent_commissioner")
    assert ReleaseRequest.objects.count() == 2


@pytest.mark.parametrize("field", ["with_whom", "why"])
def test_with_whom_and_why_are_required(personas, opened, field):
    with pytest.raises(ValidationError) as exc:
        ask(personas, opened, **{field: "   "})
    assert field in exc.value.error_dict
    assert not ReleaseRequest.objects.exists()


# Deciding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["ho_lead", "secretariat", "gwent_commissioner", "kent_commissioner", "admin"]
)
def test_only_the_owner_lead_decides(personas, opened, who):
    request = ask(personas, opened)
    with pytest.raises(PermissionDenied):
        services.release_request_decide(
            release_request=request,
            by=getattr(personas, who),
            decision="granted",
            reason="Yes",
            scope="Anyone",
        )
    request.refresh_from_db()
    assert request.is_pending


def test_a_grant_records_scope_expiry_and_who(personas, opened):
    request = grant(personas, ask(personas, opened), expires_on=in_days(30))
    request.refresh_from_db()
    assert request.decision == Decision.GRANTED
    assert request.decided_by == personas.moj_lead
    assert request.scope == "Gwent victims' services"
    assert request.expires_on == in_days(30)
    assert request.history.count() == 2
    assert request.history.first().history_user == personas.moj_lead


def test_a_refusal_needs_a_reason_only(personas, opened):
    request = ask(personas, opened)
    with pytest.raises(ValidationError) as exc:
        services.release_request_decide(
            release_request=request, by=personas.moj_lead, decision="refused", reason=" "
        )
    assert "reason" in exc.value.error_dict
    services.release_request_decide(
        release_request=request, by=personas.moj_lead, decision="refused", reason="Too early."
    )
    request.refresh_from_db()
    assert (request.decision, request.scope, request.expires_on) == ("refused", "", None)


def test_a_grant_needs_a_scope(personas, opened):
    request = ask(personas, opened)
    with pytest.raises(ValidationError) as exc:
        grant(personas, request, scope="")
    assert "scope" in exc.value.error_dict
    request.refresh_from_db()
    assert request.is_pending


@pytest.mark.parametrize("days", [0, -1])
def test_an_expiry_must_be_after_today(personas, opened, days):
    request = ask(personas, opened)
    with pytest.raises(ValidationError) as exc:
        grant(personas, request, expires_on=in_days(days))
    assert "expires_on" in exc.value.error_dict
    request.refresh_from_db()
    assert request.is_pending


def test_an_unknown_decision_is_refused(personas, opened):
    request = ask(personas, opened)
    with pytest.raises(ValidationError):
        services.release_request_decide(
            release_request=request, by=personas.moj_lead, decision="maybe", reason="Hmm"
        )


def test_a_decided_request_cannot_be_decided_again(personas, opened):
    request = grant(personas, ask(personas, opened))
    with pytest.raises(ValidationError) as exc:
        services.release_request_decide(
            release_request=request, by=personas.moj_lead, decision="refused", reason="No"
        )
    assert "already been granted" in _messages(exc)


def test_a_closed_engagement_can_refuse_but_not_grant(personas, opened):
    request = ask(personas, opened)
    engagement_services.engagement_close(engagement=opened, by=personas.moj_lead)
    with pytest.raises(ValidationError) as exc:
        grant(personas, request)
    assert "closed" in _messages(exc)
    services.release_request_decide(
        release_request=request, by=personas.moj_lead, decision="refused", reason="Closed."
    )
    request.refresh_from_db()
    assert request.decision == Decision.REFUSED


def test_a_grant_no_wider_than_what_the_body_has_now_is_refused(personas, opened):
    request = ask(personas, opened)  # AMBER for Gwent
    engagement_services.label_release(
        engagement=opened, by=personas.moj_lead, to_label=Label.GREEN, reason="All", for_whom="All"
    )
    with pytest.raises(ValidationError) as exc:
        grant(personas, request)
    assert "already has TLP:GREEN" in _messages(exc)


def test_deciding_on_a_screened_out_policy_is_refused_and_recorded(personas, opened):
    request = ask(personas, opened)
    policy = opened.policy
    policy.triage_outcome = TriageOutcome.SCREENED_OUT
    policy.save(update_fields=["triage_outcome"])
    with pytest.raises(PolicyRefused):
        grant(personas, request)
    request.refresh_from_db()
    assert request.is_pending
    entry = AccessLog.objects.get(action="refused", object_type="policy")
    assert entry.confidential_to == policy.owner
    assert "decide a release request" in entry.detail


def test_visible_to_the_asking_body_the_owner_and_the_secretariat_only(personas, opened):
    request = ask(personas, opened)
    sees = {
        who
        for who in (
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
        if ReleaseRequest.objects.visible_to(getattr(personas, who)).filter(pk=request.pk)
    }
    assert sees == {"moj_lead", "secretariat", "gwent_commissioner", "gwent_staff"}


def test_nobody_but_the_owner_sees_requests_once_the_policy_is_screened_out(personas, opened):
    request = ask(personas, opened)
    Engagement.objects.filter(pk=opened.pk).update(status=Status.CLOSED)
    opened.policy.triage_outcome = TriageOutcome.SCREENED_OUT
    opened.policy.save(update_fields=["triage_outcome"])
    for who in ("secretariat", "gwent_staff"):
        assert not ReleaseRequest.objects.visible_to(getattr(personas, who)).filter(pk=request.pk)
    assert ReleaseRequest.objects.visible_to(personas.moj_lead).filter(pk=request.pk)


def test_the_demo_leaves_one_request_pending(personas, opened):
    from engage.releases.demo import release_request_demo

    made = release_request_demo(opened, personas.moj_lead)
    assert [request.decision for request in made] == [Decision.GRANTED, Decision.PENDING]
    assert made[0].is_in_force()
    assert made[0].body != made[1].body


def test_a_body_the_engagement_is_not_addressed_to_cannot_ask(personas, opened):
    """Dorset is in no standing group: even reading the engagement through a TLP:GREEN
    release, it was not sent it, so it asks nothing, and nothing is recorded."""
    engagement_services.label_release(
        engagement=opened,
        by=personas.moj_lead,
        to_label="green",
        reason="For the whole community.",
        for_whom="Every policing body",
    )
    opened.refresh_from_db()
    with pytest.raises(ValidationError, match="not addressed to"):
        ask(personas, opened, who="dorset_commissioner", to_label="clear")
    assert not ReleaseRequest.objects.exists()
