"""The national journey in a real browser, everyone signing in with their password and
authenticator code, axe-core on every page: the MoJ policy lead triages a policy, drafts an
early engagement with a question and a PDF and sends it to the Victims standing group; the APCC
secretariat confirms the routing; Gwent's OPCC staff find it in their inbox and download the
PDF, stamped with their name, organisation and the label."""

import io
import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from engage.accounts.models import Organisation
from engage.browser.helpers import assert_accessible, visit
from engage.conftest import PASSWORD, TOTP_SECRET
from engage.documents.tests.samples import pdf
from engage.engagements.models import Engagement, Status
from engage.policies.services import policy_change_stage, policy_create

pytestmark = pytest.mark.browser

TITLE = "Early views: sharing victims' needs assessments"


def sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(timezone.now().timestamp()) // 30))
    page.get_by_label(re.compile("code", re.IGNORECASE)).fill(code)
    page.get_by_role("button", name=re.compile("sign in|continue|verify", re.IGNORECASE)).click()
    expect(page.locator("header")).to_contain_text("Sign out")


def fill_date(page: Page, group: str, value) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(value.day))
    fields.get_by_label("Month").fill(str(value.month))
    fields.get_by_label("Year").fill(str(value.year))


def test_lead_triages_and_engages_apcc_routes_and_gwent_downloads(page: Page, personas, tmp_path):
    lead = personas.moj_lead
    policy = policy_create(
        owner=Organisation.objects.get(slug="moj"),
        title="Victims' needs assessments",
        summary="A common method for assessing victims' needs across policing body areas.",
        created_by=lead,
    )
    policy_change_stage(policy=policy, stage="development", by=lead)

    # The MoJ lead triages the policy.
    sign_in(page, "lead@moj.example.org")
    visit(page, "/policies/")
    page.get_by_role("link", name="Victims' needs assessments").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record the magnitude decision").click()
    page.get_by_role("group", name=re.compile("merit engagement")).get_by_label("Yes").check()
    page.get_by_label("Why?").fill("It changes what every policing body commissions.")
    page.get_by_role("button", name="Record decision").click()
    assert_accessible(page)
    page.get_by_role("link", name="Complete the sensitivity screen").click()
    assert_accessible(page)
    for group in page.get_by_role("group").all():
        no = group.get_by_label("No", exact=True)
        if no.count():
            no.check()
    page.get_by_role("button", name="Record screen").click()
    expect(page.locator("main")).to_contain_text("Merits engagement")

    # ... drafts an early engagement, with a question and a document ...
    page.get_by_role("button", name="Start an engagement").click()
    assert_accessible(page)
    page.get_by_label("Early engagement").check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What are you telling or asking policing bodies?").fill(
        "We are designing a common method and want your local experience first."
    )
    today = timezone.localdate()
    fill_date(page, "Opening date", today)
    page.get_by_label("Respond").check()
    fill_date(page, "Response deadline", today + timedelta(days=21))
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("TLP:AMBER+STRICT")
    assert_accessible(page)

    page.get_by_role("link", name="Manage questions").click()
    page.get_by_label("Question").fill("What do your current assessments miss?")
    page.get_by_role("button", name="Add question").click()
    expect(page.locator("main")).to_contain_text("What do your current assessments miss?")
    assert_accessible(page)

    engagement = Engagement.objects.get(title=TITLE)
    visit(page, f"/engagements/{engagement.public_id}/")
    page.get_by_role("button", name="Add a document").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Draft method")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "draft-method.pdf", "mimeType": "application/pdf", "buffer": pdf(2)}]
    )
    page.get_by_role("button", name="Add the document").click()
    expect(page.locator("main")).to_contain_text("Draft method")
    assert_accessible(page)

    visit(page, f"/engagements/{engagement.public_id}/route/")
    page.get_by_label(re.compile("One or more APCC standing groups")).check()
    page.get_by_label("Victims", exact=True).check()
    page.get_by_role("button", name="Send to the APCC").click()
    expect(page.locator("main")).to_contain_text("Awaiting APCC")
    assert_accessible(page)

    # The APCC secretariat confirms the routing.
    sign_in(page, "secretariat@apcc.example.org")
    visit(page, "/engagements/apcc/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Confirm routing").click()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm routing and open").click()
    expect(page.locator("main")).to_contain_text("Open")
    engagement.refresh_from_db()
    assert engagement.status == Status.OPEN
    assert engagement.stage_at_opening == "development"

    # Gwent's OPCC staff find it in the inbox and download the stamped PDF.
    sign_in(page, "staff@gwent.example.org")
    visit(page, "/engagements/inbox/")
    expect(page.get_by_role("table")).to_contain_text(TITLE)
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("main")).to_contain_text("TLP:AMBER+STRICT")
    assert_accessible(page)
    page.get_by_role("link", name="Draft method").click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Download")).click()
    target = tmp_path / "downloaded.pdf"
    download_info.value.save_as(target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == 2
    for pdf_page in reader.pages:
        text = pdf_page.extract_text()
        assert "Owen Price" in text
        assert "Gwent" in text
        assert "TLP:AMBER+STRICT" in text
