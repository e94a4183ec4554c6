"""Pages declare the language their text is in. Nothing is translated into Welsh yet, so a
browser asking for Welsh still gets English pages marked as English, never lang="cy"."""

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.parametrize("accept", ["cy", "cy-GB,cy;q=0.9,en;q=0.5", "cy;q=1.0, en-GB;q=0.1"])
@pytest.mark.parametrize("name", ["account_login", "core:accessibility", "accounts:request_new"])
def test_a_welsh_browser_gets_pages_marked_english(client, db, accept, name):
    response = client.get(reverse(name), headers={"accept-language": accept})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en-gb" class="govuk-template">' in html
    assert 'lang="cy"' not in html
    assert response.headers.get("Content-Language") == "en-gb"


def test_a_language_cookie_cannot_choose_welsh_either(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    html = client.get(reverse("account_login")).content.decode()

    assert '<html lang="en-gb" class="govuk-template">' in html


def test_only_languages_the_text_is_written_in_are_offered():
    assert settings.LANGUAGE_CODE == "en-gb"
    assert [code for code, _ in settings.LANGUAGES] == ["en-gb"]
