"""Views of an outcome are logged; once its policy is screened out, the entries (those made
before and after) are the owning organisation's only (DESIGN.md section 6, access log): to the
log's other readers they would reveal that the policy exists."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessAction, AccessLog
from engage.policies import services as policy_services

pytestmark = pytest.mark.django_db


def test_views_of_an_outcome_become_the_owners_once_the_policy_is_screened_out(
    personas, client_for, published, policy
):
    url = reverse("outcomes:detail", args=[published.engagement.public_id])
    assert client_for(personas.kent_commissioner).get(url).status_code == 200
    before = AccessLog.objects.get(action=AccessAction.VIEW, object_type="outcome")
    assert AccessLog.objects.visible_to(personas.secretariat).filter(pk=before.pk).exists()

    policy_services.policy_screen(
        policy=policy,
        sensitive_information=False,
        prosecutorial_independence=False,
        judicial_independence=True,
        national_security=False,
        by=personas.moj_lead,
    )
    # Kent no longer reads the engagement, so nor its outcome; its owner still does.
    assert client_for(personas.kent_commissioner).get(url).status_code == 404
    assert client_for(personas.moj_lead).get(url).status_code == 200
    entries = AccessLog.objects.filter(action=AccessAction.VIEW, object_type="outcome")
    assert entries.count() == 2
    own = entries.get(user=personas.moj_lead)
    assert AccessLog.objects.visible_to(personas.moj_lead).filter(pk=own.pk).exists()
    for entry in entries:
        assert entry.confidential_to == policy.owner or entry.pk == before.pk
        for persona in ("secretariat", "admin"):
            readable = AccessLog.objects.visible_to(getattr(personas, persona))
            assert not readable.filter(pk=entry.pk).exists()
