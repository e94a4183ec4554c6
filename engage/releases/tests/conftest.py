"""Release request fixtures: the engagement fixtures (an MoJ engagement routed to the Victims
standing group, open: Gwent and Kent read it) and helpers that ask and decide through the
services, as the pages do."""

import datetime

import pytest
from django.utils import timezone

from engage.accounts.models import Membership
from engage.documents.models import Document
from engage.documents.tests.conftest import media  # noqa: F401 (stored files per test)
from engage.engagements.tests.conftest import (  # noqa: F401 (fixtures)
    awaiting,
    draft,
    moj,
    open_engagement,
    opened,
    policy,
    screened_policy,
    victims,
)
from engage.releases import services


def membership_of(user) -> Membership:
    return Membership.objects.select_related("organisation").get(user=user)


def ask(personas, engagement, *, who="gwent_staff", document=None, **overrides):
    user = getattr(personas, who)
    fields = {
        "to_label": "amber",
        "with_whom": "Local victims' services we commission",
        "why": "They deliver the service this changes.",
    }
    fields.update(overrides)
    return services.release_request_create(
        engagement=engagement,
        document=document,
        membership=membership_of(user),
        by=user,
        **fields,
    )


def grant(personas, release_request, *, expires_on=None, scope="Gwent victims' services"):
    return services.release_request_decide(
        release_request=release_request,
        by=personas.moj_lead,
        decision="granted",
        reason="They need it to plan.",
        scope=scope,
        expires_on=expires_on,
    )


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def document(personas, opened):  # noqa: F811 (the imported fixture)
    """A document with its engagement's label (a grant on the engagement covers it)."""
    return Document.objects.create(
        engagement=opened,
        title="Commissioning annex",
        label=opened.label,
        created_by=personas.moj_lead,
    )
