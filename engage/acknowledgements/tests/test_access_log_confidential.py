"""Views of the acknowledgements of an engagement are logged; once its policy is screened out,
the entries made before are the owning organisation's only (DESIGN.md section 6, access
log)."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.policies import services as policy_services

pytestmark = pytest.mark.django_db


def test_views_of_acknowledgements_become_the_owners_once_the_policy_is_screened_out(
    personas, client_for, notice, policy
):
    table = reverse("acknowledgements:table", args=[notice.public_id])
    form = reverse("acknowledgements:acknowledge", args=[notice.public_id])
    assert client_for(personas.secretariat).get(table).status_code == 200
    assert client_for(personas.kent_commissioner).get(form).status_code == 200
    entries = list(AccessLog.objects.filter(object_type="acknowledgements"))
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
