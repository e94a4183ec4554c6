"""The label in force for a body: widened by a grant for that body only, covering what the
grant covers, and back to the previous label the day after its expiry date, with no task
(engage/releases/labels.py). The clock is Django's, set by the test."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from engage.accounts.models import Organisation
from engage.core.labels import Label
from engage.documents import services as document_services
from engage.documents.downloads import stamp_text
from engage.documents.models import Document
from engage.documents.tests import samples
from engage.releases.labels import document_label_for, engagement_label_for
from engage.releases.models import ReleaseRequest

from .conftest import ask, grant, in_days

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def clock(monkeypatch):
    """Set Django's clock (`django.utils.timezone.now`, which `localdate` reads too)."""

    def set_to(moment: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def _orgs():
    return Organisation.objects.get(slug="gwent"), Organisation.objects.get(slug="kent")


def test_a_grant_widens_the_label_for_that_body_only(personas, opened):
    grant(personas, ask(personas, opened), expires_on=datetime.date(2099, 3, 31))
    gwent, kent = _orgs()
    for_gwent = engagement_label_for(opened, gwent)
    assert for_gwent.label == Label.AMBER
    assert for_gwent.widened
    assert for_gwent.text == (
        f"TLP:AMBER for {gwent.name}: may be shared with Gwent victims' services "
        "until 31 March 2099"
    )
    assert "until 31 March 2099" in for_gwent.text
    assert engagement_label_for(opened, kent).label == Label.AMBER_STRICT
    assert engagement_label_for(opened, None).label == Label.AMBER_STRICT
    # The item itself, and who reads it inside Engage, are unchanged.
    opened.refresh_from_db()
    assert opened.label == Label.AMBER_STRICT


def test_a_pending_or_refused_request_changes_nothing(personas, opened):
    from engage.releases import services

    request = ask(personas, opened)
    gwent, _ = _orgs()
    assert not engagement_label_for(opened, gwent).widened
    services.release_request_decide(
        release_request=request, by=personas.moj_lead, decision="refused", reason="No."
    )
    assert not engagement_label_for(opened, gwent).widened


def test_at_the_expiry_boundary_the_previous_label_returns(personas, opened, clock):
    last_day = in_days(10)
    request = grant(personas, ask(personas, opened), expires_on=last_day)
    gwent, _ = _orgs()
    end_of_last_day = datetime.datetime.combine(last_day, datetime.time(23, 59, 59), LONDON)
    clock(end_of_last_day)
    assert engagement_label_for(opened, gwent).label == Label.AMBER
    assert ReleaseRequest.objects.in_force().filter(pk=request.pk).exists()

    clock(end_of_last_day + datetime.timedelta(seconds=1))  # midnight, UK time
    label = engagement_label_for(opened, gwent)
    assert label.label == Label.AMBER_STRICT
    assert not label.widened
    assert not ReleaseRequest.objects.in_force().filter(pk=request.pk).exists()
    request.refresh_from_db()
    assert not request.is_in_force()
    assert request.decision == "granted"  # nothing was changed: the data says it has ended


def test_an_expired_release_is_not_in_force_on_pages_or_downloads(
    personas, client_for, opened, clock
):
    document = document_services.document_upload(
        engagement=opened,
        uploaded_by=personas.moj_lead,
        title="Annex",
        file=samples.upload("annex.pdf", samples.pdf()),
        label=None,
    )
    grant(personas, ask(personas, opened), expires_on=in_days(1))
    client = client_for(personas.gwent_staff)
    url = reverse("documents:download", args=[document.public_id])
    assert "TLP-AMBER.pdf" in client.get(url)["Content-Disposition"]
    clock(timezone.now() + datetime.timedelta(days=3))
    client = client_for(personas.gwent_staff)  # signed in afresh: sessions end meanwhile
    response = client.get(url)
    assert "TLP-AMBER+STRICT.pdf" in response["Content-Disposition"]
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Released:" not in text
    page = client.get(reverse("engagements:detail", args=[opened.public_id]))
    assert 'id="release-in-force"' not in page.text


def test_the_stamp_carries_the_widened_label_scope_and_expiry(personas, client_for, opened):
    document = document_services.document_upload(
        engagement=opened,
        uploaded_by=personas.moj_lead,
        title="Annex",
        file=samples.upload("annex.pdf", samples.pdf()),
        label=None,
    )
    grant(personas, ask(personas, opened, document=document), expires_on=datetime.date(2099, 3, 31))
    response = client_for(personas.gwent_staff).get(
        reverse("documents:download", args=[document.public_id])
    )
    assert "TLP-AMBER.pdf" in response["Content-Disposition"]
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "TLP:AMBER" in text
    assert "Gwent victims' services" in text or "Gwent victims" in text
    assert "31 March 2099" in text
    # Kent downloads the same file under its own label.
    kent = client_for(personas.kent_commissioner).get(
        reverse("documents:download", args=[document.public_id])
    )
    assert "TLP-AMBER+STRICT.pdf" in kent["Content-Disposition"]


def test_stamp_text_lines(personas, opened, document):
    grant(personas, ask(personas, opened), expires_on=datetime.date(2099, 3, 31))
    gwent, kent = _orgs()
    top, lines = stamp_text(
        document=document, recipient=personas.gwent_staff, organisation=gwent, at=timezone.now()
    )
    assert top == "TLP:AMBER"
    assert lines[1].startswith("Released: TLP:AMBER for ")
    assert "until 31 March 2099" in lines[1]
    top, lines = stamp_text(
        document=document,
        recipient=personas.kent_commissioner,
        organisation=kent,
        at=timezone.now(),
    )
    assert top == "TLP:AMBER+STRICT"
    assert not any(line.startswith("Released") for line in lines)


def test_an_engagement_grant_covers_documents_with_its_label_not_narrower_ones(
    personas, opened, document
):
    from engage.engagements import services as engagement_services

    engagement_services.label_release(
        engagement=opened, by=personas.moj_lead, to_label=Label.AMBER, reason="r", for_whom="f"
    )
    opened.refresh_from_db()
    held_back = Document.objects.create(
        engagement=opened,
        title="Held back",
        label=Label.AMBER_STRICT,
        created_by=personas.moj_lead,
    )
    document.refresh_from_db()  # created at AMBER+STRICT: also narrower now
    same = Document.objects.create(
        engagement=opened, title="Same", label=Label.AMBER, created_by=personas.moj_lead
    )
    grant(personas, ask(personas, opened, to_label=Label.GREEN))
    gwent, _ = _orgs()
    assert engagement_label_for(opened, gwent).label == Label.GREEN
    assert document_label_for(same, gwent).label == Label.GREEN
    assert document_label_for(held_back, gwent).label == Label.AMBER_STRICT
    # A grant on the held-back document itself covers it.
    grant(personas, ask(personas, opened, document=held_back, to_label=Label.AMBER))
    assert document_label_for(held_back, gwent).label == Label.AMBER


def test_a_document_grant_does_not_widen_the_engagement(personas, opened, document):
    grant(personas, ask(personas, opened, document=document, to_label=Label.GREEN))
    gwent, _ = _orgs()
    assert document_label_for(document, gwent).label == Label.GREEN
    assert engagement_label_for(opened, gwent).label == Label.AMBER_STRICT
