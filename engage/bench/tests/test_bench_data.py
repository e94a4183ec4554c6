"""The benchmark's data generator at a tiny scale: the counts follow the scale and the key
pages it measures render for their personas, so `make bench` does not rot unseen."""

import pytest
from django.test import Client

from engage.accounts.models import User
from engage.bench import data, pages
from engage.engagements.models import LIVE, Engagement, Route
from engage.policies.models import Policy
from engage.responses.models import Response, ResponseVersion

pytestmark = pytest.mark.django_db


def test_generator_makes_the_rows_at_scale_and_the_key_pages_render(personas):
    before = {
        "policies": Policy.objects.count(),
        "engagements": Engagement.objects.count(),
        "responses": Response.objects.count(),
        "versions": ResponseVersion.objects.count(),
    }
    assert not data.already_generated()

    counts = data.generate(scale=0.01, seed=3)

    assert data.already_generated()
    assert counts.policies == Policy.objects.count() - before["policies"] == 6
    assert counts.engagements == Engagement.objects.count() - before["engagements"] == 25
    assert counts.responses == Response.objects.count() - before["responses"] > 0
    assert counts.versions == ResponseVersion.objects.count() - before["versions"] > 0
    assert counts.access_log == 5_000
    # Open and closed engagements carry the audience fixed at opening, as engagement_open writes.
    live = Engagement.objects.filter(status__in=LIVE).exclude(route=Route.APACE)
    assert live.exists()
    assert not live.filter(audience_bodies__isnull=True).exists()
    assert User.objects.count() >= 10

    key_pages = pages.pages()
    assert {"engagement (lead)", "engagement (commissioner)", "stamped download"} <= {
        page.name for page in key_pages
    }
    for page in key_pages:
        client = Client()
        client.force_login(
            User.objects.get(email=page.persona),
            backend="allauth.account.auth_backends.AuthenticationBackend",
        )
        response = client.get(page.url)
        assert response.status_code == 200, page
        if page.name == "stamped download":
            assert response.content.startswith(b"%PDF")
