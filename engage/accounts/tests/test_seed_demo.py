from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from engage.accounts.models import Membership, User
from engage.acknowledgements.models import Acknowledgement
from engage.clarifications.models import ClarificationRequest
from engage.collective.models import CollectiveView, ViewStatus
from engage.demo.loop import CLOSED_TITLE
from engage.directory.models import StandingGroupMembership
from engage.dissemination.models import DisseminationConfirmation, DisseminationRequest
from engage.documents.models import Document
from engage.engagements.models import Engagement, NationalPriority, Status
from engage.implementation.models import AgreementState, ImplementationAgreement, Milestone
from engage.outcomes.models import Outcome
from engage.policies.models import Policy, TriageOutcome
from engage.releases.models import Decision, ReleaseRequest
from engage.responses.models import Answer, Response, ResponseVersion


@pytest.fixture
def seeded(reference_data, settings):
    settings.DJANGO_ENV = "development"
    call_command("seed_demo", verbosity=0)


def test_seed_demo_creates_every_persona_with_mfa(seeded):
    from allauth.mfa.models import Authenticator

    emails = [
        "lead@moj.example.org",
        "lead@homeoffice.example.org",
        "secretariat@apcc.example.org",
        "commissioner@gwent.example.org",
        "staff@gwent.example.org",
        "commissioner@kent.example.org",
        "commissioner@dorset.example.org",
        "ceo@surrey.example.org",
        "member@womens-centre.example.org",
        "staff@west-yorkshire.example.org",
        "admin@engage.example.org",
    ]
    for email in emails:
        user = User.objects.get(email=email)
        assert Authenticator.objects.filter(user=user, type="totp").exists(), email
    assert User.objects.get(email="admin@engage.example.org").is_staff
    assert not Membership.objects.filter(user__email="admin@engage.example.org").exists()
    victims = StandingGroupMembership.objects.filter(group__slug="victims")
    assert {(m.body.organisation.slug, m.role) for m in victims} >= {
        ("gwent", "lead"),
        ("kent", "member"),
    }
    assert not StandingGroupMembership.objects.filter(body__organisation__slug="dorset").exists()


def test_seed_demo_creates_the_national_content(seeded):
    early = Engagement.objects.get(kind="early")
    assert early.status == "open"
    assert early.stage_at_opening == "development"
    assert list(early.routed_groups.values_list("slug", flat=True)) == ["victims"]
    assert early.questions.count() == 3
    assert Document.objects.filter(engagement=early).count() == 1
    assert Engagement.objects.get(kind="change_notice").rationale
    assert NationalPriority.objects.count() == 2
    screened = Policy.objects.get(triage_outcome=TriageOutcome.SCREENED_OUT)
    assert screened.national_security
    assert not screened.engagements.exists()


def test_seed_demo_creates_kents_and_gwents_submitted_responses(seeded):
    early = Engagement.objects.get(kind="early")
    kent = Response.objects.get(engagement=early, body__organisation__slug="kent")
    assert kent.submitted_version == 1
    assert not kent.changed_since_submission
    version = kent.versions.get()
    assert version.submitted_by.email == "commissioner@kent.example.org"
    assert not version.late
    answers = version.content["answers"]
    assert [answer["number"] for answer in answers] == [1, 2, 3]
    assert all(answer["text"] for answer in answers)
    assert answers[2]["stance"] == "support_with_changes"
    assert all(version.content[field] for field in ("challenges", "opportunities"))
    assert "Dover" in version.content["answers"][1]["text"]

    gwent = Response.objects.get(engagement=early, body__organisation__slug="gwent")
    assert gwent.submitted_version == 1
    assert gwent.created_by.email == "staff@gwent.example.org"
    version = gwent.versions.get()
    assert version.submitted_by.email == "commissioner@gwent.example.org"
    assert [answer["stance"] for answer in version.content["answers"]][2] == "support"
    assert version.content["local_variations"]
    assert Response.objects.filter(engagement=early).count() == 2


def test_seed_demo_runs_again_without_changes(seeded):
    def counts():
        return (
            User.objects.count(),
            Policy.objects.count(),
            Engagement.objects.count(),
            Response.objects.count(),
            ResponseVersion.objects.count(),
            Answer.objects.count(),
            Response.history.count(),
            Answer.history.count(),
            list(Response.objects.order_by("pk").values_list("revision", "submitted_version")),
            DisseminationRequest.objects.count(),
            DisseminationConfirmation.objects.exclude(outcome="").count(),
            ImplementationAgreement.objects.count(),
            Milestone.objects.count(),
        )

    before = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == before


def test_seed_demo_adds_the_responses_to_a_demo_made_before_them(
    reference_data, settings, monkeypatch
):
    settings.DJANGO_ENV = "development"
    with monkeypatch.context() as before_responses:
        before_responses.setattr("engage.demo.national.seed_responses", lambda **kwargs: False)
        call_command("seed_demo", verbosity=0)
    early = Engagement.objects.get(kind="early")
    assert not Response.objects.filter(engagement=early).exists()

    call_command("seed_demo", verbosity=0)
    assert Policy.objects.filter(title="Victims' services commissioning reform").count() == 1
    assert sorted(
        Response.objects.filter(engagement=early).values_list(
            "body__organisation__slug", "submitted_version"
        )
    ) == [("gwent", 1), ("kent", 1)]


def test_seed_demo_refuses_production(reference_data, settings):
    settings.DJANGO_ENV = "production"
    with pytest.raises(CommandError, match="development"):
        call_command("seed_demo", verbosity=0)


def test_seed_demo_needs_the_reference_data(db, settings):
    settings.DJANGO_ENV = "development"
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("seed_demo", verbosity=0)


def test_seed_demo_creates_an_older_closed_consultation(seeded):
    closed = Engagement.objects.get(title=CLOSED_TITLE)
    assert closed.status == Status.CLOSED
    assert closed.closed_at is not None
    assert closed.opened_at is not None
    assert closed.closed_at < timezone.now() - timedelta(days=59)
    assert closed.opened_at < closed.closed_at
    kent = Response.objects.get(engagement=closed)
    assert kent.body.organisation.slug == "kent"
    assert kent.submitted_version == 1


def test_seed_demo_closes_the_loop(seeded):
    """Issue 8's demo: a draft collective view on the early engagement drawing on Kent's and
    Gwent's submitted versions, a clarification published to all, a release request waiting,
    Gwent's acknowledgement of the change notice, and a published outcome on the older
    closed consultation."""
    early = Engagement.objects.get(kind="early")
    view = CollectiveView.objects.get(engagement=early)
    assert view.status == ViewStatus.DRAFT
    assert sorted(view.sources.values_list("response__body__organisation__slug", flat=True)) == [
        "gwent",
        "kent",
    ]
    clarification = ClarificationRequest.objects.get(engagement=early)
    assert clarification.answered_at is not None
    assert clarification.published_at is not None
    assert ReleaseRequest.objects.filter(engagement=early, decision=Decision.PENDING).count() == 1
    notice = Engagement.objects.get(kind="change_notice")
    assert list(
        Acknowledgement.objects.filter(engagement=notice).values_list(
            "body__organisation__slug", flat=True
        )
    ) == ["gwent"]
    closed = Engagement.objects.get(title=CLOSED_TITLE)
    assert Outcome.objects.get(engagement=closed).is_published


def test_seed_demo_gives_the_duties_their_records(seeded):
    """Issue 9's demo: a request to communicate the Home Office's change notice locally, with
    Gwent's confirmation; a role agreed with Kent on an MoJ policy in implementation, with two
    milestones, one at risk."""
    notice = Engagement.objects.get(kind="change_notice")
    request = DisseminationRequest.objects.get(engagement=notice)
    assert request.message_label == "green"
    answered = request.confirmations.exclude(outcome="")
    assert list(answered.values_list("body__organisation__slug", "outcome")) == [("gwent", "done")]
    agreement = ImplementationAgreement.objects.get()
    assert agreement.policy.owner.slug == "moj"
    assert agreement.policy.stage == "implementation"
    assert agreement.body.organisation.slug == "kent"
    assert agreement.state == AgreementState.AGREED
    assert sorted(agreement.milestones.values_list("status", flat=True)) == [
        "at_risk",
        "not_started",
    ]


def test_seed_demo_gives_the_voluntary_sector_its_sample_content(seeded):
    """Issue 10's demo, all marked as sample content: plans for Gwent, Kent and West Yorkshire;
    West Yorkshire's published facts; one local Compact; Leeds Women's Centre's profile, two
    activities, one evidence record and an impact case for West Yorkshire. Running it again
    makes nothing more."""
    from engage.compacts.models import Compact
    from engage.directory.models import BodyContact, Commissioning, PolicePlan
    from engage.impact.models import ImpactCase, ImpactEvidence
    from engage.sector.models import Activity, OrganisationProfile

    plans = PolicePlan.objects.current()
    assert sorted(plans.values_list("body__organisation__slug", flat=True)) == [
        "gwent",
        "kent",
        "west-yorkshire",
    ]
    assert all(plans.values_list("is_sample", flat=True))
    assert BodyContact.objects.filter(body__organisation__slug="west-yorkshire").exists()
    assert Commissioning.objects.filter(body__organisation__slug="west-yorkshire").exists()
    compact = Compact.objects.get()
    assert compact.is_sample
    assert set(compact.signatories.values_list("organisation__slug", flat=True)) == {
        "west-yorkshire",
        "leeds-womens-centre",
    }
    assert OrganisationProfile.objects.get(organisation__slug="leeds-womens-centre").is_sample
    assert Activity.objects.filter(organisation__slug="leeds-womens-centre").count() == 2
    evidence = ImpactEvidence.objects.get()
    assert evidence.body.organisation.slug == "west-yorkshire"
    assert evidence.priority.plan.is_current
    case = ImpactCase.objects.get()
    assert case.body.organisation.slug == "west-yorkshire"
    counts = [
        model.objects.count()
        for model in (PolicePlan, Compact, Activity, ImpactEvidence, ImpactCase)
    ]
    call_command("seed_demo", verbosity=0)
    assert [
        model.objects.count()
        for model in (PolicePlan, Compact, Activity, ImpactEvidence, ImpactCase)
    ] == counts


def test_the_demo_west_yorkshire_staff_read_their_sector(seeded, client):
    """A demo-only persona, so the body's view of the sector can be tried: West Yorkshire's
    staff see Leeds Women's Centre under the priority its shared evidence addresses."""
    from django.urls import reverse

    staff = User.objects.get(email="staff@west-yorkshire.example.org")
    assert staff.memberships.get().organisation.slug == "west-yorkshire"
    client.force_login(staff, backend="allauth.account.auth_backends.AuthenticationBackend")
    page = client.get(reverse("impact:sector_view")).content.decode()
    assert "Leeds Women&#x27;s Centre" in page or "Leeds Women's Centre" in page
    assert "Safe spaces and advocacy for women in Leeds" in page
