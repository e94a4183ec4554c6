"""OPCC staff sign in with their password and authenticator code, then use the directory."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import Page, expect

from engage.browser.helpers import assert_accessible, visit
from engage.conftest import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.browser


def _code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(timezone.now().timestamp()) // 30))


def test_opcc_staff_sign_in_with_mfa_and_browse_the_directory(page: Page, personas) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)

    page.get_by_label("Email").fill("staff@gwent.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_accessible(page)
    page.get_by_label(re.compile("code", re.IGNORECASE)).fill(_code())
    page.get_by_role("button", name=re.compile("sign in|continue|verify", re.IGNORECASE)).click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("header")).to_contain_text("Gwent")
    assert_accessible(page)

    page.get_by_role("link", name="Policing bodies").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Policing bodies")
    expect(page.get_by_role("table")).to_contain_text("Gwent Police")
    assert_accessible(page)

    # Filter to Wales, without JavaScript-only widgets: a plain GET form.
    page.get_by_label("Wales").check()
    page.get_by_role("button", name=re.compile("filter|apply", re.IGNORECASE)).click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Dyfed-Powys")
    expect(table).not_to_contain_text("Kent Police")
    assert_accessible(page)

    page.get_by_role("link", name="Police and Crime Commissioner for Gwent").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Police and Crime Commissioner for Gwent"
    )
    expect(page.locator("main")).to_contain_text("Victims")
    assert_accessible(page)

    visit(page, "/directory/map/")
    expect(page.locator("svg path, svg a").first).to_be_attached()
    expect(page.locator("main")).to_contain_text("Office for National Statistics")
    expect(page.get_by_role("table")).to_contain_text("Gwent Police")
