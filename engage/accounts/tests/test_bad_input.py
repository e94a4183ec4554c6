"""Hostile ids and numbers on the account pages: the public account-request form, the
administrators' lists and the membership pages. A message on the page or a 404, never a
server error; nothing changes; the form keeps what was typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.models import AccountRequest, Membership
from engage.accounts.numbers import (
    clean_charity_number,
    clean_charity_or_company_number,
    clean_company_number,
)
from engage.core.tests.bad_input import BAD_VALUES, assert_refused, page_text
from engage.directory.models import PolicingBody


def _request(**overrides) -> dict:
    data = {
        "organisation_name": "Kent Victim Voices",
        "charity_number": "1234567",
        "areas_served": [str(PolicingBody.objects.get(organisation__slug="kent").pk)],
        "contact_name": "Jo Bloggs",
        "email": "jo@kvv.example.org",
        "purpose": "Log our meetings with the commissioner's office.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_area_id_on_the_public_account_request(reference_data, client, value):
    good = _request()["areas_served"]
    response = client.post(reverse("accounts:request_new"), _request(areas_served=[*good, value]))
    assert_refused(response, "Select areas from the list")
    page = page_text(response)
    assert 'value="Kent Victim Voices"' in page
    assert 'value="Jo Bloggs"' in page
    assert "Log our meetings with the commissioner's office." in page
    assert not AccountRequest.objects.exists()


@pytest.mark.parametrize("value", BAD_VALUES)
def test_administrators_lists_ignore_bad_filters(personas, client_for, value):
    admin = client_for(personas.admin)
    organisations = admin.get(
        reverse("accounts:organisations"), {"q": value, "kind": value, "page": value}
    )
    assert organisations.status_code == 200
    requests = admin.get(reverse("accounts:requests"), {"status": value, "page": value})
    assert requests.status_code == 200


@pytest.mark.parametrize("value", ["9" * 20, str(2**63)])
def test_ending_a_membership_with_an_id_out_of_range_is_not_found(personas, client_for, value):
    before = list(Membership.objects.values_list("pk", "ended_at"))
    admin = client_for(personas.admin)
    url = f"/manage/memberships/{value}/end/"
    assert admin.get(url).status_code == 404
    assert admin.post(url, {"reason": "Left"}).status_code == 404
    assert list(Membership.objects.values_list("pk", "ended_at")) == before


@pytest.mark.parametrize("value", BAD_VALUES)
def test_switching_to_a_bad_organisation_changes_nothing(personas, client_for, value):
    client = client_for(personas.gwent_commissioner)
    response = client.post(
        reverse("accounts:switch_organisation"), {"organisation": value}, follow=True
    )
    assert response.status_code == 200
    assert "Choose one of your organisations." in page_text(response)
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "value",
    # Digits of other scripts (Arabic-Indic, fullwidth) are not the register's digits.
    ["12345", "ABC1234", "1234567-ABCD", "SC12345", "12 34", "١١٢٣٤٥٦", "SC１２３４５６"],
)
def test_a_charity_or_company_number_of_the_wrong_form(reference_data, client, value):
    response = client.post(reverse("accounts:request_new"), _request(charity_number=value))
    assert_refused(
        response,
        "Enter a registered charity number (6 to 8 digits, like 1123456) or a company number "
        "(8 characters, like 01234567 or SC123456)",
    )
    assert 'value="Kent Victim Voices"' in page_text(response)
    assert not AccountRequest.objects.exists()


@pytest.mark.parametrize(
    ("value", "kept"),
    [("1123456", "1123456"), ("1123456-1", "1123456-1"), ("sc 123456", "SC123456"), ("", "")],
)
def test_a_charity_or_company_number_of_the_right_form_is_kept(reference_data, client, value, kept):
    response = client.post(reverse("accounts:request_new"), _request(charity_number=value))
    assert "Request sent" in page_text(response)
    assert AccountRequest.objects.get().charity_number == kept


def test_the_account_request_page_describes_the_hub(reference_data, client):
    page = page_text(client.get(reverse("accounts:request_new")))
    for offer in ("do your homework", "impact case", "local Compact", "keep a log"):
        assert offer in page


@pytest.mark.parametrize(
    "clean", [clean_charity_number, clean_company_number, clean_charity_or_company_number]
)
@pytest.mark.parametrize(
    "value", ["١١٢٣٤٥٦", "١٢٣٤٥٦٧٨", "SC１２３４５６", "1123456-١", "１２３４５６７８"]
)
def test_numbers_take_only_ascii_digits(clean, value):
    with pytest.raises(ValidationError):
        clean(value)
