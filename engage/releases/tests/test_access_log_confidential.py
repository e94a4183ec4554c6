"""Views of a release request are logged; once its policy is screened out, the entries made
before are the owning organisation's only (DESIGN.md section 6, access log)."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.policies import services as policy_services

from .conftest import ask

pytestmark = pytest.mark.django_db


def test_views_of_a_release_request_become_the_owners_once_the_policy_is_screened_out(
    personas, client_for, opened, policy
):
    release_request = ask(personas, opened)
    url = reverse("releases:detail", args=[release_request.public_id])
    for persona in ("secretariat", "gwent_staff"):
        assert client_for(getattr(personas, persona)).get(url).status_code == 200
    entries = list(AccessLog.objects.filter(object_type="release_request"))
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
