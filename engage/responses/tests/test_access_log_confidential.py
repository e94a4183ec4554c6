"""A view of a response to an engagement whose policy has since been screened out is recorded
for the owning organisation only, like every other entry about such a policy (DESIGN.md
section 6): to the log's other readers it would reveal that the policy exists."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessAction, AccessLog
from engage.policies.models import TriageOutcome

pytestmark = pytest.mark.django_db


def test_the_owners_view_of_a_response_is_confidential_once_the_policy_is_screened_out(
    personas, client_for, gwent_submitted, policy
):
    policy.triage_outcome = TriageOutcome.SCREENED_OUT
    policy.national_security = True
    policy.save()

    url = reverse("responses:detail", args=[gwent_submitted.public_id])
    assert client_for(personas.moj_lead).get(url).status_code == 200

    entry = AccessLog.objects.get(action=AccessAction.VIEW, object_type="response")
    assert entry.confidential_to == policy.owner
    assert AccessLog.objects.visible_to(personas.moj_lead).filter(pk=entry.pk).exists()
    for persona in ("secretariat", "admin"):
        readable = AccessLog.objects.visible_to(getattr(personas, persona))
        assert not readable.filter(pk=entry.pk).exists()


def test_a_view_of_a_response_on_an_ordinary_policy_is_not_confidential(
    personas, client_for, gwent_submitted
):
    url = reverse("responses:detail", args=[gwent_submitted.public_id])
    assert client_for(personas.moj_lead).get(url).status_code == 200
    entry = AccessLog.objects.get(action=AccessAction.VIEW, object_type="response")
    assert entry.confidential_to is None
    assert AccessLog.objects.visible_to(personas.secretariat).filter(pk=entry.pk).exists()
