"""Views of an agreement and of a policy's status page are logged with the agreement's label;
once the policy is screened out, the entries made before are the owning organisation's only
(DESIGN.md section 6, access log), and the pages are the owner's alone."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.implementation.models import LOG_AGREEMENT, LOG_STATUS

from .test_services import screen_out

pytestmark = pytest.mark.django_db


def test_entries_become_the_owners_once_the_policy_is_screened_out(
    personas, client_for, policy, agreed
):
    detail = reverse("implementation:detail", args=[agreed.public_id])
    status = reverse("implementation:status", args=[policy.public_id])
    for persona in ("secretariat", "kent_commissioner"):
        assert client_for(getattr(personas, persona)).get(detail).status_code == 200
    assert client_for(personas.secretariat).get(status).status_code == 200
    entries = list(AccessLog.objects.filter(object_type__in=[LOG_AGREEMENT, LOG_STATUS]))
    assert len(entries) == 3
    assert {entry.label for entry in entries if entry.object_type == LOG_AGREEMENT} == {
        "amber_strict"
    }
    assert AccessLog.objects.visible_to(personas.secretariat).filter(pk=entries[0].pk).exists()

    screen_out(policy, personas)
    for entry in entries:
        for persona in ("secretariat", "admin"):
            readable = AccessLog.objects.visible_to(getattr(personas, persona))
            assert not readable.filter(pk=entry.pk).exists(), persona
    for persona in ("secretariat", "kent_commissioner"):
        assert client_for(getattr(personas, persona)).get(detail).status_code == 404
    assert client_for(personas.secretariat).get(status).status_code == 404
    response = client_for(personas.moj_lead).get(detail)
    assert response.status_code == 200
    assert b"Add a milestone" not in response.content  # nothing more happens on it
    latest = AccessLog.objects.filter(object_type=LOG_AGREEMENT).latest("pk")
    assert latest.confidential_to == policy.owner
