"""The pages with bad input: a clear message where the person is, nothing changed, never a
server error. And what the pages and exports say."""

import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from engage.collective.models import CollectiveView, SignOff, SignOffState, ViewStatus
from engage.responses.tests.fixtures import save, start

from .conftest import KENT_WORDS, WORKING_TEXT, write

pytestmark = pytest.mark.django_db


def url(name: str, engagement, *args) -> str:
    return reverse(f"collective:{name}", args=[engagement.public_id, *args])


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_view_on_draft_responses_only_is_refused_on_the_page(personas, client_for, consultation):
    save(start(consultation, personas.gwent_staff), personas.gwent_staff)
    client = client_for(personas.secretariat)
    page = client.get(url("start", consultation))
    assert page.status_code == 200
    assert "submitted responses only, never from drafts" in text(page)
    posted = client.post(url("start", consultation))
    assert posted.status_code == 200
    assert "There is a problem" in text(posted)
    assert not CollectiveView.objects.exists()


def test_drafting_from_the_page(personas, client_for, consultation, gwent_response):
    response = client_for(personas.secretariat).post(url("start", consultation))
    assert response.status_code == 302
    view = CollectiveView.objects.get(engagement=consultation)
    assert view.sources.count() == 1


def test_the_page_shows_counts_dissent_sources_and_who_responded(
    personas, client_for, consultation, view
):
    page = text(client_for(personas.secretariat).get(url("detail", consultation)))
    assert KENT_WORDS in page  # the dissent annex, in Kent's words
    assert WORKING_TEXT not in page  # never a working copy
    assert "response version 1" in page
    assert "2 responded, 0 not yet." in page
    assert reverse("collective:sign", args=[consultation.public_id, "victims"]) not in page


def test_a_stale_save_shows_their_changes_and_keeps_what_was_typed(
    personas, client_for, consultation, view
):
    opened_at = view.revision
    write(view, personas.secretariat, summary="Saved by a colleague meanwhile")
    data = {
        "revision": str(opened_at),
        "summary": "What I typed, from the older page",
        "position": "support_with_changes",
        "position_text": view.position_text,
    }
    for point in view.points:
        data[f"point_{point['number']}"] = point["text"]
    for variation in view.variations:
        data[f"variation_{variation['body_id']}"] = variation["text"]
    response = client_for(personas.secretariat).post(url("edit", consultation), data)
    assert response.status_code == 200
    page = text(response)
    assert "Someone else saved this collective view" in page
    their = page.split('id="their-changes"', 1)[1].split("</div>", 1)[0]
    assert "Saved by a colleague meanwhile" in their
    assert "What I typed, from the older page" in page.split("<form", 1)[1]
    view.refresh_from_db()
    assert view.summary == "Saved by a colleague meanwhile"
    # Saving again, having seen their changes, is deliberate and goes through.
    data["revision"] = str(view.revision)
    assert client_for(personas.secretariat).post(url("edit", consultation), data).status_code == 302


def test_bad_stance_is_shown_by_its_field(personas, client_for, consultation, view):
    before = view.revision
    response = client_for(personas.secretariat).post(
        url("edit", consultation), {"revision": str(view.revision), "position": "maybe"}
    )
    assert response.status_code == 200
    assert "There is a problem" in text(response)
    view.refresh_from_db()
    assert view.revision == before


def test_signing_a_group_one_does_not_lead_is_refused(
    personas, client_for, consultation, with_leads
):
    sign = url("sign", consultation, "victims")
    data = {"revision": str(with_leads.revision), "decision": "sign"}
    assert client_for(personas.gwent_staff).post(sign, data).status_code == 403
    assert client_for(personas.kent_commissioner).post(sign, data).status_code == 404
    assert (
        client_for(personas.gwent_commissioner)
        .get(url("sign", consultation, "no-such-group"))
        .status_code
        == 404
    )
    assert SignOff.objects.get(view=with_leads).state == SignOffState.PENDING


def test_signing_and_sending_back_from_the_page(personas, client_for, consultation, with_leads):
    client = client_for(personas.gwent_commissioner)
    sign = url("sign", consultation, "victims")
    missing = client.post(sign, {"revision": str(with_leads.revision), "decision": "return"})
    assert missing.status_code == 200
    assert "Say what should change" in text(missing)
    stale = client.post(sign, {"revision": str(with_leads.revision - 1), "decision": "sign"})
    assert stale.status_code == 200
    assert "changed since you opened it" in text(stale)
    assert SignOff.objects.get(view=with_leads).state == SignOffState.PENDING
    done = client.post(sign, {"revision": str(with_leads.revision), "decision": "sign"})
    assert done.status_code == 302
    assert SignOff.objects.get(view=with_leads).state == SignOffState.SIGNED


def test_submitting_without_sign_off_is_refused_on_the_page(
    personas, client_for, consultation, with_leads
):
    response = client_for(personas.secretariat).post(
        url("submit", consultation), {"revision": str(with_leads.revision)}
    )
    assert response.status_code == 200
    assert "Still to sign" in text(response)
    with_leads.refresh_from_db()
    assert with_leads.status == ViewStatus.WITH_LEADS


def test_the_engagement_page_offers_the_actions(personas, client_for, consultation, gwent_response):
    engagement_url = reverse("engagements:detail", args=[consultation.public_id])
    page = text(client_for(personas.secretariat).get(engagement_url))
    assert "Draft the collective view" in page
    page = text(client_for(personas.gwent_commissioner).get(engagement_url))
    assert "Draft the collective view" not in page


def test_the_engagement_page_offers_sign_off_to_the_lead(
    personas, client_for, consultation, with_leads
):
    engagement_url = reverse("engagements:detail", args=[consultation.public_id])
    page = text(client_for(personas.gwent_commissioner).get(engagement_url))
    assert "Sign off the collective view for" in page
    assert "With the group leads for sign-off" in page
    assert "Sign off the collective view for" not in text(
        client_for(personas.gwent_staff).get(engagement_url)
    )
    assert "Collective view" not in text(client_for(personas.moj_lead).get(engagement_url))


# Exports ----------------------------------------------------------------------------------


def test_exports_carry_label_recipient_and_time_and_never_formulas(
    personas, client_for, consultation, view
):
    write(view, personas.secretariat, summary='=HYPERLINK("http://x")')
    client = client_for(personas.secretariat)
    csv_file = client.get(url("export", consultation, "csv"))
    assert csv_file["Content-Disposition"].endswith('TLP-AMBER+STRICT.csv"')
    body = csv_file.content.decode()
    assert body.startswith("TLP:AMBER+STRICT")
    assert "Recipient: Amina Okafor" in body
    assert "Exported:" in body
    assert "'=HYPERLINK" in body
    xlsx = client.get(url("export", consultation, "xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert str(cells[0].value).startswith("TLP:AMBER+STRICT")
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))
    assert any(str(cell.value) == '\'=HYPERLINK("http://x")' for cell in cells)
    pdf = client.get(url("export", consultation, "pdf"))
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"] == "private, no-store"
    assert client.get(url("export", consultation, "exe")).status_code == 404
