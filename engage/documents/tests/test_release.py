"""Releasing a document to a wider label: the owner's leads only, never wider than its
engagement, recorded with who, when, why and for whom."""

import pytest
from django.urls import reverse

from engage.engagements.models import LabelRelease


@pytest.fixture
def green_engagement(make_engagement):
    return make_engagement(label="green", title="Released widely")


def _release(client, document, **data):
    return client.post(reverse("documents:release", args=[document.public_id]), data)


def test_the_lead_releases_a_document_up_to_its_engagements_label(
    personas, client_for, make_document, green_engagement
):
    document = make_document(on=green_engagement, label="amber_strict")
    client = client_for(personas.moj_lead)
    page = client.get(reverse("documents:release", args=[document.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="green"' in html
    assert 'value="clear"' not in html  # wider than the engagement: not offered

    response = _release(
        client, document, to_label="green", reason="Useful to every area.", for_whom="All bodies"
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.label == "green"
    release = LabelRelease.objects.get(document=document)
    assert (release.from_label, release.to_label) == ("amber_strict", "green")
    assert release.released_by == personas.moj_lead
    assert release.for_whom == "All bodies"
    detail = client.get(reverse("documents:detail", args=[document.public_id])).content.decode()
    assert "Useful to every area." in detail


def test_a_document_cannot_be_released_wider_than_its_engagement(
    personas, client_for, make_document, green_engagement
):
    document = make_document(on=green_engagement, label="amber_strict")
    response = _release(
        client_for(personas.moj_lead), document, to_label="clear", reason="x", for_whom="y"
    )
    assert response.status_code == 200
    assert 'href="#id_to_label' in response.content.decode()
    document.refresh_from_db()
    assert document.label == "amber_strict"
    assert not LabelRelease.objects.exists()


def test_release_needs_a_reason_and_for_whom(personas, client_for, make_document, green_engagement):
    document = make_document(on=green_engagement, label="amber_strict")
    response = _release(client_for(personas.moj_lead), document, to_label="green")
    html = response.content.decode()
    assert "Explain why you are releasing it" in html
    assert "Say who it is being released for" in html
    document.refresh_from_db()
    assert document.label == "amber_strict"


def test_a_document_at_its_engagements_label_has_nothing_to_release(
    personas, client_for, make_document
):
    document = make_document(label="amber_strict")
    response = client_for(personas.moj_lead).get(
        reverse("documents:release", args=[document.public_id])
    )
    assert response.status_code == 302
    assert response.url == reverse("documents:detail", args=[document.public_id])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("gwent_commissioner", 403),
        ("kent_commissioner", 403),
        ("secretariat", 403),
        ("dorset_commissioner", 404),
        ("vcs_member", 404),
        ("admin", 404),
        ("outsider", 404),
        ("ho_lead", 404),
    ],
)
def test_only_the_owners_leads_release(
    personas, client_for, make_document, green_engagement, persona, status
):
    document = make_document(on=green_engagement, label="amber_strict")
    client = client_for(getattr(personas, persona))
    url = reverse("documents:release", args=[document.public_id])
    assert client.get(url).status_code == status
    response = client.post(url, {"to_label": "green", "reason": "x", "for_whom": "y"})
    assert response.status_code == status
    document.refresh_from_db()
    assert document.label == "amber_strict"


def test_a_document_at_its_engagements_label_is_refused_in_the_services_words(
    personas, client_for, make_document, green_engagement
):
    """The page offers no release and says why, and a release posted anyway is refused the
    same way: the service's check is the only one."""
    from django.core.exceptions import ValidationError

    from engage.engagements import services

    document = make_document(on=green_engagement, label="green")
    client = client_for(personas.moj_lead)
    url = reverse("documents:release", args=[document.public_id])
    page = client.get(url, follow=True)
    message = "The document already has its engagement's label. Release the engagement first."
    assert message in page.content.decode().replace("&#x27;", "'")
    with pytest.raises(ValidationError, match="already has its engagement's label"):
        services.label_release(
            document=document, by=personas.moj_lead, to_label="clear", reason="r", for_whom="f"
        )
    assert not LabelRelease.objects.exists()
