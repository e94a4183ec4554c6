"""The demo helper makes what it says through the services; views of a request are logged, and
become the owning organisation's only once its policy is screened out."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.dissemination.demo import dissemination_demo
from engage.policies import services as policy_services

from .conftest import membership_of

pytestmark = pytest.mark.django_db


def test_the_demo_asks_and_answers(personas, consultation):
    request = dissemination_demo(
        consultation,
        personas.moj_lead,
        confirmations=[
            (membership_of(personas.gwent_staff), personas.gwent_staff, {}),
            (
                membership_of(personas.kent_commissioner),
                personas.kent_commissioner,
                {"outcome": "could_not", "reason": "Our board meets next quarter."},
            ),
        ],
    )
    outcomes = dict(request.confirmations.values_list("body__organisation__slug", "outcome"))
    assert outcomes == {"gwent": "done", "kent": "could_not"}


def test_views_become_the_owners_once_the_policy_is_screened_out(
    personas, client_for, confirmed, policy
):
    url = reverse("dissemination:detail", args=[confirmed.request.public_id])
    for persona in ("secretariat", "kent_commissioner"):
        assert client_for(getattr(personas, persona)).get(url).status_code == 200
    entries = list(AccessLog.objects.filter(object_type="dissemination"))
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
