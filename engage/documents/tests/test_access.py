"""Who may see and download documents, persona by persona, and what the access log records."""

import uuid

import pytest
from django.urls import reverse

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.models import Membership, Organisation, Role
from engage.audit.models import AccessLog

from . import samples

# An open engagement of the MoJ routed to the Victims standing group (Gwent leads, Kent is a
# member): the owner, the APCC secretariat and the group's bodies see it; nobody else does.
SEES = {
    "moj_lead": True,
    "secretariat": True,
    "gwent_commissioner": True,
    "gwent_staff": True,
    "kent_commissioner": True,
    "ho_lead": False,
    "dorset_commissioner": False,
    "surrey_ceo": False,
    "vcs_member": False,
    "admin": False,
    "outsider": False,
}
PERSONAS = sorted(SEES)


def _url(name, document, *args):
    return reverse(f"documents:{name}", args=[document.public_id, *args])


@pytest.fixture
def pdf_document(make_document):
    return make_document("commissioning.pdf", samples.pdf())


@pytest.fixture
def docx_document(make_document):
    return make_document("commissioning.docx", samples.docx())


@pytest.mark.parametrize("who", PERSONAS)
def test_document_page(personas, client_for, pdf_document, who):
    response = client_for(getattr(personas, who)).get(_url("detail", pdf_document))
    assert response.status_code == (200 if SEES[who] else 404)
    if SEES[who]:
        assert "TLP:AMBER+STRICT" in response.text
        assert "Your organisation only" in response.text


@pytest.mark.parametrize("who", PERSONAS)
def test_download_warning_page(personas, client_for, docx_document, who):
    response = client_for(getattr(personas, who)).get(_url("download_warning", docx_document))
    assert response.status_code == (200 if SEES[who] else 404)
    if SEES[who]:
        assert "TLP:AMBER+STRICT" in response.text
        assert "logged" in response.text


@pytest.mark.parametrize("who", PERSONAS)
def test_pdf_download(personas, client_for, pdf_document, who):
    response = client_for(getattr(personas, who)).get(_url("download", pdf_document))
    assert response.status_code == (200 if SEES[who] else 404)
    if SEES[who]:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("who", PERSONAS)
def test_other_download(personas, client_for, docx_document, who):
    response = client_for(getattr(personas, who)).post(_url("download", docx_document))
    assert response.status_code == (200 if SEES[who] else 404)
    if SEES[who]:
        assert b"".join(response.streaming_content) == samples.stored_bytes(docx_document)


@pytest.mark.parametrize("who", PERSONAS)
def test_version_download_is_for_the_owning_organisation(personas, client_for, pdf_document, who):
    response = client_for(getattr(personas, who)).get(_url("version_download", pdf_document, 1))
    expected = 200 if who == "moj_lead" else 403 if SEES[who] else 404
    assert response.status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client, pdf_document):
    for name in ("detail", "download", "download_warning", "replace"):
        response = client.get(_url(name, pdf_document))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "path",
    [
        "/documents/not-a-uuid/",
        "/documents/not-a-uuid/download/",
        "/documents/12345/versions/1/download/",
    ],
)
def test_a_malformed_id_is_not_found(personas, client_for, pdf_document, path):
    assert client_for(personas.moj_lead).get(path).status_code == 404


def test_an_unknown_document_is_not_found_and_the_refusal_logged(personas, client_for, db):
    missing = uuid.uuid4()
    response = client_for(personas.gwent_commissioner).get(
        reverse("documents:download", args=[missing])
    )
    assert response.status_code == 404
    entry = AccessLog.objects.get(object_id=str(missing))
    assert entry.action == "refused"
    assert entry.object_type == "document"


def test_a_missing_version_is_not_found(personas, client_for, pdf_document):
    response = client_for(personas.moj_lead).get(_url("version_download", pdf_document, 9))
    assert response.status_code == 404


# TLP:RED and drafts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("moj_lead", True),  # the owning organisation
        ("gwent_commissioner", True),  # named
        ("gwent_staff", False),
        ("kent_commissioner", False),
        ("secretariat", False),
        ("dorset_commissioner", False),
        ("outsider", False),
    ],
)
def test_red_narrows_to_named_recipients(personas, client_for, make_document, who, sees):
    document = make_document(label="red", recipients=[personas.gwent_commissioner])
    client = client_for(getattr(personas, who))
    for name in ("detail", "download"):
        assert client.get(_url(name, document)).status_code == (200 if sees else 404)


def test_the_red_page_names_its_recipients(personas, client_for, make_document):
    document = make_document(label="red", recipients=[personas.gwent_commissioner])
    response = client_for(personas.moj_lead).get(_url("detail", document))
    assert "Named recipients" in response.text
    assert "Rhian Evans" in response.text
    assert "TLP:RED" in response.text


@pytest.mark.parametrize(("who", "sees"), [("moj_lead", True), ("gwent_commissioner", False)])
def test_a_draft_engagement_documents_are_the_owners_only(
    personas, client_for, make_engagement, make_document, who, sees
):
    document = make_document(on=make_engagement(status="draft", title="Draft"))
    response = client_for(getattr(personas, who)).get(_url("detail", document))
    assert response.status_code == (200 if sees else 404)


# What the responses carry and what is logged ---------------------------------------------


def test_a_non_pdf_goes_through_the_warning_page(personas, client_for, docx_document):
    client = client_for(personas.kent_commissioner)
    response = client.get(_url("download", docx_document))
    assert response.status_code == 302
    assert response.url == _url("download_warning", docx_document)

    warning = client.get(response.url)
    assert f'action="{_url("download", docx_document)}"' in warning.text
    assert 'method="post"' in warning.text
    log = AccessLog.objects.filter(user=personas.kent_commissioner).first()
    assert (log.action, log.object_type, log.label) == ("view", "document", "amber_strict")
    assert "warning" in log.detail
    assert log.organisation.slug == "kent"


def test_the_download_carries_the_label_in_its_name_and_safe_headers(
    personas, client_for, docx_document
):
    response = client_for(personas.gwent_staff).post(_url("download", docx_document))
    assert response["Content-Disposition"] == (
        'attachment; filename="Victims-services-commissioning-TLP-AMBER+STRICT.docx"'
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_pdf_download_carries_the_label_in_its_name_and_safe_headers(
    personas, client_for, pdf_document
):
    response = client_for(personas.gwent_staff).get(_url("download", pdf_document))
    assert response["Content-Disposition"] == (
        'attachment; filename="Victims-services-commissioning-TLP-AMBER+STRICT.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_every_download_is_logged(personas, client_for, pdf_document, docx_document, kind):
    document = pdf_document if kind == "pdf" else docx_document
    client = client_for(personas.gwent_commissioner)
    before = AccessLog.objects.filter(action="download").count()
    response = client.post(_url("download", document))
    assert response.status_code == 200
    log = AccessLog.objects.filter(action="download").first()
    assert AccessLog.objects.filter(action="download").count() == before + 1
    assert log.user == personas.gwent_commissioner
    assert log.object_type == "document"
    assert log.object_id == str(document.public_id)
    assert log.label == "amber_strict"
    assert log.organisation.slug == "gwent"
    assert log.detail == "version 1"


def test_viewing_the_document_page_is_logged(personas, client_for, pdf_document):
    client_for(personas.secretariat).get(_url("detail", pdf_document))
    log = AccessLog.objects.get(user=personas.secretariat, action="view")
    assert (log.object_type, log.object_id, log.label) == (
        "document",
        str(pdf_document.public_id),
        "amber_strict",
    )


@pytest.mark.parametrize("who", ["dorset_commissioner", "outsider", "admin"])
def test_a_refused_download_is_logged(personas, client_for, pdf_document, who):
    user = getattr(personas, who)
    assert client_for(user).get(_url("download", pdf_document)).status_code == 404
    # The 404 page logs its own refusal of the page; this is the document's.
    log = AccessLog.objects.get(user=user, object_type="document")
    assert (log.action, log.object_type, log.object_id) == (
        "refused",
        "document",
        str(pdf_document.public_id),
    )
    assert log.label == ""  # nothing about the document leaks into the log either


def test_old_versions_download_for_the_owner_and_are_logged(personas, client_for, docx_document):
    from engage.documents import services

    services.document_replace(
        document=docx_document,
        uploaded_by=personas.moj_lead,
        file=samples.upload("v2.docx", samples.docx()),
    )
    client = client_for(personas.moj_lead)
    page = client.get(_url("detail", docx_document))
    assert _url("version_download", docx_document, 1) in page.text
    assert "Version 2" in page.text

    warning = client.get(_url("version_download", docx_document, 1))
    assert warning.status_code == 200
    assert "Before you download" in warning.text
    response = client.post(_url("version_download", docx_document, 1))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="Victims-services-commissioning-v1-TLP-AMBER+STRICT.docx"'
    )
    log = AccessLog.objects.filter(action="download").first()
    assert (log.user, log.detail, log.label) == (personas.moj_lead, "version 1", "amber_strict")

    # Others who see the document see the list of versions, but download only the current one.
    other = client_for(personas.gwent_commissioner)
    other_page = other.get(_url("detail", docx_document))
    assert "Version 1" in other_page.text
    assert _url("version_download", docx_document, 1) not in other_page.text
    assert other.post(_url("version_download", docx_document, 1)).status_code == 403
    assert AccessLog.objects.filter(user=personas.gwent_commissioner, action="refused").exists()


def test_the_stamp_names_the_organisation_acted_for(personas, client_for, pdf_document):
    """A person in two organisations is stamped with the one they act for now."""
    from io import BytesIO

    from pypdf import PdfReader

    lead = personas.moj_lead
    home_office = Organisation.objects.get(slug="ho")
    Membership.objects.create(user=lead, organisation=home_office, role=Role.POLICY_LEAD)
    client = client_for(lead)
    session = client.session
    session[SESSION_KEY] = str(home_office.public_id)
    session.save()
    response = client.get(_url("download", pdf_document))
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert home_office.name in text
    assert AccessLog.objects.filter(action="download").first().organisation == home_office


def test_a_pdf_that_cannot_be_stamped_is_not_sent(personas, client_for, pdf_document):
    """Damaged since it was checked at upload: a clear page, nothing unstamped."""
    path = pdf_document.current_version.file.path
    with open(path, "wb") as stored:
        stored.write(samples.BROKEN_PDF)
    response = client_for(personas.gwent_commissioner).get(_url("download", pdf_document))
    assert response.status_code == 410  # our page, not a server error
    assert "The download could not be prepared" in response.text
    assert response["Content-Type"].startswith("text/html")
    assert not AccessLog.objects.filter(action="download").exists()
