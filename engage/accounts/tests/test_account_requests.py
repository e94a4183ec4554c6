import re

import pytest
from django.core import mail
from django.urls import reverse

from engage.accounts.models import (
    AccountRequest,
    AccountRequestStatus,
    Invitation,
    Organisation,
    OrganisationKind,
)
from engage.directory.models import PolicingBody


def _valid(**overrides):
    body = PolicingBody.objects.get(organisation__slug="kent")
    data = {
        "organisation_name": "Kent Victim Voices",
        "charity_number": "1234567",
        "areas_served": [str(body.pk)],
        "contact_name": "Jo Bloggs",
        "email": "jo@kvv.example.org",
        "purpose": "Log our meetings with the commissioner's office.",
    }
    data.update(overrides)
    return data


def test_voluntary_organisation_asks_and_an_admin_approves(personas, client, client_for):
    response = client.post(reverse("accounts:request_new"), _valid())
    assert response.status_code == 200
    assert "Request sent" in response.content.decode()
    account_request = AccountRequest.objects.get()
    assert any("admin@engage.example.org" in m.to for m in mail.outbox)
    mail.outbox.clear()

    admin = client_for(personas.admin)
    listing = admin.get(reverse("accounts:requests"))
    assert "Kent Victim Voices" in listing.content.decode()
    decided = admin.post(
        reverse("accounts:request_detail", args=[account_request.public_id]),
        {"decision": "approve"},
    )
    assert decided.status_code == 302
    account_request.refresh_from_db()
    assert account_request.status == AccountRequestStatus.APPROVED
    organisation = Organisation.objects.get(name="Kent Victim Voices")
    assert organisation.kind == OrganisationKind.VOLUNTARY
    assert list(organisation.areas_served.values_list("organisation__slug", flat=True)) == ["kent"]
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.is_admin
    assert mail.outbox[0].to == ["jo@kvv.example.org"]
    assert re.search(r"/accounts/invitation/\S+/", mail.outbox[0].body)


def test_request_with_missing_values_shows_errors_and_keeps_input(reference_data, client):
    response = client.post(
        reverse("accounts:request_new"),
        _valid(organisation_name="", areas_served=[], email="bad"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_organisation_name"' in html
    assert "Select at least one area you work in" in html
    assert 'value="Jo Bloggs"' in html
    assert not AccountRequest.objects.exists()


def test_turning_down_needs_a_note(personas, client_for, client):
    client.post(reverse("accounts:request_new"), _valid())
    account_request = AccountRequest.objects.get()
    admin = client_for(personas.admin)
    url = reverse("accounts:request_detail", args=[account_request.public_id])

    response = admin.post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 200
    assert 'href="#id_note"' in response.content.decode()
    account_request.refresh_from_db()
    assert account_request.status == AccountRequestStatus.PENDING

    admin.post(url, {"decision": "reject", "note": "Outside our remit."})
    account_request.refresh_from_db()
    assert account_request.status == AccountRequestStatus.REJECTED
    # A decided request cannot be decided again.
    again = admin.post(url, {"decision": "approve"})
    assert again.status_code == 200
    assert not Organisation.objects.filter(name="Kent Victim Voices").exists()


@pytest.mark.parametrize("persona", ["moj_lead", "secretariat", "gwent_commissioner", "outsider"])
def test_only_site_admins_see_requests(personas, client_for, client, persona):
    client.post(reverse("accounts:request_new"), _valid())
    account_request = AccountRequest.objects.get()
    other = client_for(getattr(personas, persona))
    assert other.get(reverse("accounts:requests")).status_code == 403
    detail = reverse("accounts:request_detail", args=[account_request.public_id])
    assert other.get(detail).status_code == 404
    assert other.post(detail, {"decision": "approve"}).status_code == 404
    account_request.refresh_from_db()
    assert account_request.status == AccountRequestStatus.PENDING


def test_requests_from_one_address_are_throttled_and_the_excess_saves_nothing(
    personas, client, settings
):
    settings.ACCOUNT_REQUESTS_PER_HOUR = 2
    for number in range(2):
        response = client.post(
            reverse("accounts:request_new"), _valid(email=f"person{number}@kvv.example.org")
        )
        assert "Request sent" in response.content.decode()

    refused = client.post(reverse("accounts:request_new"), _valid(email="third@kvv.example.org"))

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "too many requests for an account from your connection" in page
    assert 'class="govuk-error-summary"' in page
    assert 'value="Kent Victim Voices"' in page  # what was typed is kept
    assert AccountRequest.objects.count() == 2
    assert not AccountRequest.objects.filter(email="third@kvv.example.org").exists()


def test_the_throttle_counts_each_address_apart(personas, client, settings):
    settings.ACCOUNT_REQUESTS_PER_HOUR = 1
    url = reverse("accounts:request_new")
    client.post(url, _valid(email="a@kvv.example.org"), REMOTE_ADDR="192.0.2.1")
    elsewhere = client.post(url, _valid(email="b@kvv.example.org"), REMOTE_ADDR="192.0.2.2")
    assert "Request sent" in elsewhere.content.decode()
    again = client.post(url, _valid(email="c@kvv.example.org"), REMOTE_ADDR="192.0.2.1")
    assert again.status_code == 429
    assert AccountRequest.objects.count() == 2
