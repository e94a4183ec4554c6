import re

import pytest
from playwright.sync_api import Page, expect

from engage.browser.helpers import visit

pytestmark = pytest.mark.browser


def test_accessibility_statement_opens_without_signing_in_and_passes_axe(page: Page) -> None:
    visit(page, "/accessibility")

    # Not bounced to the sign-in page: the statement is public.
    expect(page).to_have_url(re.compile(r"/accessibility$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("accessibility", re.IGNORECASE)
    )
