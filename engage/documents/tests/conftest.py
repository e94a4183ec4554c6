import datetime as dt

import pytest
from django.utils import timezone

from engage.accounts.models import Organisation
from engage.directory.models import StandingGroup
from engage.documents import services
from engage.engagements.models import Engagement
from engage.engagements.services import audience_fix
from engage.policies.models import Policy

from . import samples


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored files go to a fresh folder per test, so a test can prove nothing was written."""
    root = tmp_path / "uploads"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def moj(personas):
    return Organisation.objects.get(slug="moj")


@pytest.fixture
def policy(personas, moj):
    policy = Policy.objects.create(
        owner=moj,
        title="Victims' services commissioning",
        summary="How commissioners fund support for victims.",
        created_by=personas.moj_lead,
        triage_outcome="merits",
        merits_engagement=True,
        magnitude_reason="A major change to local commissioning.",
        magnitude_decided_by=personas.moj_lead,
        magnitude_decided_at=timezone.now(),
        screened_at=timezone.now(),
        screened_by=personas.moj_lead,
    )
    policy.policy_leads.add(personas.moj_lead)
    return policy


@pytest.fixture
def make_engagement(personas, moj, policy):
    def make(status: str = "open", label: str = "amber_strict", **extra) -> Engagement:
        engagement = Engagement.objects.create(
            policy=policy,
            owner=moj,
            kind="early",
            title=extra.pop("title", "Victims' services commissioning: early views"),
            body="We would like your early views.",
            opens_on=dt.date(2026, 11, 1),
            status=status,
            label=label,
            route=extra.pop("route", "groups"),
            created_by=personas.moj_lead,
            **extra,
        )
        engagement.routed_groups.add(StandingGroup.objects.get(slug="victims"))
        if status in ("open", "closed"):
            # As `engagement_open` would have fixed it.
            audience_fix(engagement=engagement, at=engagement.created_at)
        return engagement

    return make


@pytest.fixture
def engagement(make_engagement):
    return make_engagement()


@pytest.fixture
def make_document(personas, engagement):
    def make(
        name: str = "commissioning.pdf",
        data: bytes | None = None,
        *,
        title: str = "Victims services commissioning",
        label: str | None = None,
        recipients=(),
        on=None,
    ):
        return services.document_upload(
            engagement=on or engagement,
            uploaded_by=personas.moj_lead,
            title=title,
            file=samples.upload(name, samples.pdf() if data is None else data),
            label=label,
            recipients=recipients,
        )

    return make
