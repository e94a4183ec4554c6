import pytest
from django.core.management import CommandError, call_command

from engage.accounts.models import Membership, User
from engage.directory.models import StandingGroupMembership
from engage.documents.models import Document
from engage.engagements.models import Engagement, NationalPriority
from engage.policies.models import Policy, TriageOutcome


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


def test_seed_demo_runs_again_without_changes(seeded):
    counts = (User.objects.count(), Policy.objects.count(), Engagement.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (User.objects.count(), Policy.objects.count(), Engagement.objects.count()) == counts


def test_seed_demo_refuses_production(reference_data, settings):
    settings.DJANGO_ENV = "production"
    with pytest.raises(CommandError, match="development"):
        call_command("seed_demo", verbosity=0)


def test_seed_demo_needs_the_reference_data(db, settings):
    settings.DJANGO_ENV = "development"
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("seed_demo", verbosity=0)
