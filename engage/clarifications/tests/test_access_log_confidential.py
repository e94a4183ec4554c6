"""Views of an engagement's published questions and answers are logged; once its policy is
screened out, the entries made before are the owning organisation's only (DESIGN.md section
6, access log), as entries about each request already are."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.policies import services as policy_services

pytestmark = pytest.mark.django_db


def test_views_of_the_published_list_become_the_owners_once_the_policy_is_screened_out(
    personas, client_for, consultation, published, policy
):
    url = reverse("clarifications:engagement", args=[consultation.public_id])
    for persona in ("secretariat", "kent_commissioner"):
        assert client_for(getattr(personas, persona)).get(url).status_code == 200
    entries = list(AccessLog.objects.filter(object_type="clarifications"))
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
