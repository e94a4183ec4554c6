"""Adding and replacing documents through the pages, bad input included."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from engage.documents import filetypes, pdfs
from engage.documents.models import Document, DocumentVersion

from . import samples
from .conftest import stored_files


def _new_url(engagement) -> str:
    return f"{reverse('documents:new')}?engagement={engagement.public_id}"


def _post(client, url, name, data, **fields):
    payload = {"title": "Victims services commissioning", "label": "amber_strict", **fields}
    payload["file"] = samples.upload(name, data)
    return client.post(url, payload)


def _nothing_stored(media):
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert stored_files(media) == []


def test_the_upload_page_offers_labels_no_wider_than_the_engagement(
    personas, client_for, engagement
):
    response = client_for(personas.moj_lead).get(_new_url(engagement))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert 'value="red"' in response.text
    assert 'value="amber_strict" checked' in response.text
    assert 'value="green"' not in response.text
    assert "smaller than 20.0" in response.text


def test_a_lead_uploads_and_lands_on_the_document_page(personas, client_for, engagement, media):
    client = client_for(personas.moj_lead)
    response = _post(client, _new_url(engagement), "plan.docx", samples.docx())
    document = Document.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:detail", args=[document.public_id])
    page = client.get(response.url)
    assert "Victims services commissioning" in page.text
    assert "TLP:AMBER+STRICT" in page.text
    assert "Priya Shah" in page.text
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("ho_lead", 404),  # another department: does not see the engagement
        ("dorset_commissioner", 404),
        ("outsider", 404),
        ("admin", 404),
        ("secretariat", 403),  # sees the engagement but may not add to it
        ("gwent_commissioner", 403),
        ("kent_commissioner", 403),
    ],
)
def test_nobody_else_uploads_to_the_engagement(
    personas, client_for, engagement, media, who, status
):
    client = client_for(getattr(personas, who))
    assert client.get(_new_url(engagement)).status_code == status
    assert _post(client, _new_url(engagement), "a.pdf", samples.pdf()).status_code == status
    _nothing_stored(media)


@pytest.mark.parametrize("query", ["", "?engagement=", "?engagement=not-a-uuid", "?engagement=1"])
def test_a_missing_or_malformed_engagement_is_not_found(personas, client_for, db, query):
    assert client_for(personas.moj_lead).get(reverse("documents:new") + query).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.pdf", samples.EXE, "The file is a Windows program"),
        ("photo.png", samples.PNG, "The file is a PNG image"),
        ("page.txt", samples.HTML, "web page (HTML)"),
        ("broken.pdf", samples.BROKEN_PDF, "The PDF is damaged or cannot be read"),
        ("report.docx", samples.pdf(), "The file is a PDF but its name ends in “.docx”"),
        ("bomb.docx", samples.zip_bomb(), "would unpack to far more"),
        ("empty.txt", b"", "The file is empty"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_stores_nothing(
    personas, client_for, engagement, media, name, data, message
):
    response = _post(client_for(personas.moj_lead), _new_url(engagement), name, data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert 'href="#id_file"' in response.text
    _nothing_stored(media)


def test_a_red_document_without_recipients_is_refused(personas, client_for, engagement, media):
    client = client_for(personas.moj_lead)
    response = _post(client, _new_url(engagement), "a.pdf", samples.pdf(), label="red")
    assert response.status_code == 200
    assert "A TLP:RED document needs at least one named recipient." in response.text
    _nothing_stored(media)

    response = _post(
        client, _new_url(engagement), "a.pdf", samples.pdf(), label="red", recipients="nobody@x.org"
    )
    assert "No one with an account has this email address: nobody@x.org." in response.text
    response = _post(
        client, _new_url(engagement), "a.pdf", samples.pdf(), label="red", recipients="not-email"
    )
    assert "is not an email address" in response.text
    _nothing_stored(media)

    response = _post(
        client,
        _new_url(engagement),
        "a.pdf",
        samples.pdf(),
        label="red",
        recipients="Commissioner@Gwent.example.org\nstaff@gwent.example.org",
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.label == "red"
    assert set(document.recipients.all()) == {personas.gwent_commissioner, personas.gwent_staff}


def test_a_missing_title_and_file_are_explained(personas, client_for, engagement, media):
    response = client_for(personas.moj_lead).post(_new_url(engagement), {"label": "amber"})
    assert "Enter a title." in response.text
    assert "Choose a file to upload." in response.text
    assert "Select a valid choice" in response.text  # amber is wider than the engagement
    _nothing_stored(media)


def test_an_oversized_upload_is_dropped_while_streaming(
    personas, client_for, engagement, media, monkeypatch
):
    monkeypatch.setattr(filetypes, "MAX_UPLOAD_BYTES", 2048)
    response = _post(client_for(personas.moj_lead), _new_url(engagement), "big.txt", b"a" * 5000)
    assert response.status_code == 200
    assert "The file must be smaller than 2.0\xa0KB." in response.text
    assert "Choose a file to upload." not in response.text
    # The other fields still arrived, so the form keeps them.
    assert 'value="Victims services commissioning"' in response.text
    _nothing_stored(media)


def test_a_real_upload_one_byte_over_20_mb_gets_a_form_error(
    personas, client_for, engagement, media
):
    started = time.monotonic()
    data = b"a" * (20 * 1024 * 1024 + 1)
    response = _post(client_for(personas.moj_lead), _new_url(engagement), "big.txt", data)
    assert response.status_code == 200
    assert "The file must be smaller than 20.0\xa0MB." in response.text
    _nothing_stored(media)
    assert time.monotonic() - started < 30


def test_a_closed_engagement_says_why_there_is_no_form(
    personas, client_for, make_engagement, media
):
    engagement = make_engagement(status="closed")
    client = client_for(personas.moj_lead)
    page = client.get(_new_url(engagement))
    assert page.status_code == 200
    assert "The engagement is closed: documents can no longer be added" in page.text
    assert '<form method="post" enctype' not in page.text
    _post(client, _new_url(engagement), "a.pdf", samples.pdf())
    _nothing_stored(media)


def test_uploads_need_the_csrf_token(personas, engagement, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        personas.moj_lead, backend="allauth.account.auth_backends.AuthenticationBackend"
    )
    response = _post(client, _new_url(engagement), "a.pdf", samples.pdf())
    assert response.status_code == 403
    _nothing_stored(media)


# Replacing ---------------------------------------------------------------------------------


def test_a_lead_replaces_a_document(personas, client_for, make_document, media):
    document = make_document()
    client = client_for(personas.moj_lead)
    url = reverse("documents:replace", args=[document.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": samples.upload("v2.odt", samples.odt())})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current_version.number == 2
    assert document.current_version.file_type == "odt"
    assert document.versions.count() == 2
    assert len(stored_files(media)) == 2
    page = client.get(reverse("documents:detail", args=[document.public_id]))
    assert "Version 2 of" in page.text or "Version 2" in page.text


def test_a_bad_replacement_is_explained_and_stores_nothing(
    personas, client_for, make_document, media
):
    document = make_document()
    url = reverse("documents:replace", args=[document.public_id])
    response = client_for(personas.moj_lead).post(
        url, {"file": samples.upload("v2.pdf", samples.PNG)}
    )
    assert response.status_code == 200
    assert "The file is a PNG image" in response.text
    assert document.versions.count() == 1
    assert len(stored_files(media)) == 1


def test_an_oversized_replacement_is_explained(
    personas, client_for, make_document, media, monkeypatch
):
    document = make_document("a.txt", samples.TXT)
    monkeypatch.setattr(filetypes, "MAX_UPLOAD_BYTES", 1024)
    url = reverse("documents:replace", args=[document.public_id])
    response = client_for(personas.moj_lead).post(
        url, {"file": samples.upload("v2.txt", b"b" * 4096)}
    )
    assert response.status_code == 200
    assert "The file must be smaller than 1.0\xa0KB." in response.text
    assert document.versions.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("gwent_commissioner", 403),
        ("secretariat", 403),
        ("dorset_commissioner", 404),
        ("outsider", 404),
    ],
)
def test_nobody_else_replaces(personas, client_for, make_document, media, who, status):
    document = make_document()
    url = reverse("documents:replace", args=[document.public_id])
    client = client_for(getattr(personas, who))
    assert client.get(url).status_code == status
    assert client.post(url, {"file": samples.upload("v2.pdf", samples.pdf())}).status_code == status
    assert document.versions.count() == 1


def test_a_closed_engagement_says_why_there_is_no_replace_form(
    personas, client_for, make_document, engagement
):
    document = make_document()
    engagement.status = "closed"
    engagement.save(update_fields=["status"])
    client = client_for(personas.moj_lead)
    url = reverse("documents:replace", args=[document.public_id])
    assert "documents can no longer be added or replaced" in client.get(url).text
    client.post(url, {"file": samples.upload("v2.pdf", samples.pdf())})
    assert document.versions.count() == 1
    detail = client.get(reverse("documents:detail", args=[document.public_id]))
    assert url not in detail.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            samples.pdf_sharing_one_content_stream(12),
            "The PDF has 12 pages. The most we accept is 10. Split it into smaller files.",
        ),
        (
            samples.pdf_with_link_action("/GoToE"),
            "The PDF contains an action that opens another file (/GoToE)",
        ),
        (samples.pdf_with_embedded_file(), "The PDF contains embedded files"),
        (
            samples.pdf_with_page_content(b"BT /F1 12 Tf 72 700 Td (Body) Tj ET ("),
            "The PDF has a page whose content is unfinished. Save it again as a PDF and "
            "upload it again.",
        ),
        (
            samples.pdf_with_page_content(
                b"BT /F1 12 Tf 72 700 Td (Body) Tj ET BI /W 1 /H 1 /BPC 8 /CS /G ID "
            ),
            "The PDF has a page whose content is unfinished.",
        ),
        (
            samples.pdf_with_a_key_given_twice(samples.REPEATED_S),
            "The PDF contains an entry given twice (/S), which could hide active content",
        ),
    ],
)
def test_a_hostile_pdf_is_refused_in_the_error_summary(
    personas, client_for, engagement, media, monkeypatch, data, message
):
    monkeypatch.setattr(pdfs, "MAX_PAGES", 10)
    response = _post(client_for(personas.moj_lead), _new_url(engagement), "plan.pdf", data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert 'href="#id_file"' in response.text
    assert 'value="Victims services commissioning"' in response.text  # what was typed stays
    _nothing_stored(media)


def test_a_900_page_pdf_sharing_one_stream_uploads_and_downloads(
    personas, client_for, engagement, media
):
    # It used to take minutes to stamp, so the upload ended in a server error.
    data = samples.pdf_sharing_one_content_stream(900)
    response = _post(client_for(personas.moj_lead), _new_url(engagement), "long.pdf", data)
    assert response.status_code == 302
    document = Document.objects.get()
    download = client_for(personas.gwent_staff).get(
        reverse("documents:download", args=[document.public_id])
    )
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (samples.docx_with_lying_directory(20), "zip directory gives false sizes"),
        (samples.docx_with_macros(), "The file contains macros (word/vbaProject.bin)"),
        (
            samples.docx_with_rels(
                "word/_rels/settings.xml.rels",
                samples.relationship("attachedTemplate", "https://example.net/t.dotm"),
            ),
            "The file links to content outside it (a template at https://example.net/t.dotm)",
        ),
        (samples.docx_with_nested_zip(), "another archive inside it (word/embeddings/inner.zip)"),
    ],
)
def test_a_hostile_office_file_is_refused_in_the_error_summary(
    personas, client_for, engagement, media, data, message
):
    response = _post(client_for(personas.moj_lead), _new_url(engagement), "plan.docx", data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    _nothing_stored(media)
