"""Views of a collective view are logged; once its policy is screened out, the entries (those
made before and after) are the owning organisation's only (DESIGN.md section 6, access log):
to the log's other readers they would reveal that the policy exists."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.policies import services as policy_services

pytestmark = pytest.mark.django_db


def test_views_of_a_collective_view_become_the_owners_once_the_policy_is_screened_out(
    personas, client_for, consultation, submitted, policy
):
    url = reverse("collective:detail", args=[consultation.public_id])
    assert client_for(personas.secretariat).get(url).status_code == 200
    assert client_for(personas.kent_commissioner).get(url).status_code == 200
    entries = list(AccessLog.objects.filter(object_type="collective_view"))
    assert len(entries) == 2
    assert AccessLog.objects.visible_to(personas.admin).filter(pk=entries[0].pk).exists()

    policy_services.policy_screen(
        policy=policy,
        sensitive_information=False,
        prosecutorial_independence=False,
        judicial_independence=True,
        national_security=False,
        by=personas.moj_lead,
    )
    for entry in entries:
        for persona in ("secretariat", "admin"):
            readable = AccessLog.objects.visible_to(getattr(personas, persona))
            assert not readable.filter(pk=entry.pk).exists(), persona
