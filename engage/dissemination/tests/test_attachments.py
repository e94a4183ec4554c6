"""A body's optional attachment on its confirmation: checked as documents are (a PDF is taken,
a program, a misnamed file, an empty or oversized one refused, and then nothing of the answer
saved), stored under a random name, replaced or removed with the history keeping who did it;
downloaded only by those who read the confirmation, with the safe headers and a log entry;
shown on the body's page, the status table and the exports."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from engage.audit.models import AccessAction, AccessLog
from engage.conftest import EVERYONE
from engage.dissemination.models import DisseminationConfirmation
from engage.documents import filetypes
from engage.documents.samples import text_pdf

from .conftest import TO_WHOM, confirm, in_days

pytestmark = pytest.mark.django_db

READERS = {"gwent_commissioner", "gwent_staff", "moj_lead", "secretariat"}
BULLETIN = text_pdf("Gwent partners' bulletin", ["The new victims code applies from April."])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored files go to a fresh folder per test, so a test can prove nothing was written."""
    root = tmp_path / "uploads"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def upload(name: str = "bulletin.pdf", data: bytes = BULLETIN) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def gwent_row(request) -> DisseminationConfirmation:
    return request.confirmations.get(body__organisation__slug="gwent")


def url(name: str, *args) -> str:
    return reverse(f"dissemination:{name}", args=[str(arg) for arg in args])


# The service ---------------------------------------------------------------------------------


def test_a_pdf_is_attached_under_a_random_name_keeping_its_own_for_display(personas, asked, media):
    row = confirm(
        asked, personas.gwent_staff, attachment=upload("C:\\fakepath\\bul\u202eletin.pdf")
    )
    assert row.attachment_name == "bulletin.pdf"  # its last part, the direction override gone
    assert row.attachment_type == "pdf"
    assert row.attachment_size == len(BULLETIN)
    assert row.attachment_summary().startswith("PDF, ")
    stored_name = row.attachment.name or ""
    assert stored_name.startswith("dissemination/")
    assert "bulletin" not in stored_name
    [path] = stored(media)
    assert path.read_bytes() == BULLETIN
    latest = row.history.latest()
    assert latest.attachment == stored_name
    assert latest.history_user == personas.gwent_staff


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 64, "a Windows program"),
        ("bulletin.pdf", b"MZ\x90\x00" + b"\x00" * 64, "a Windows program"),
        ("bulletin.docx", BULLETIN, "The file is a PDF but its name ends in “.docx”"),
        ("empty.pdf", b"", "The file is empty"),
        ("big.txt", b"a" * 5000, "The file must be smaller than"),
    ],
)
def test_a_bad_file_refuses_the_whole_answer_and_stores_nothing(
    personas, confirmed, media, monkeypatch, name, data, message
):
    monkeypatch.setattr(filetypes, "MAX_UPLOAD_BYTES", 2048)
    before = DisseminationConfirmation.objects.get(pk=confirmed.pk)
    versions = confirmed.history.count()
    with pytest.raises(ValidationError) as exc:
        confirm(
            confirmed.request,
            personas.gwent_staff,
            to_whom="A corrected audience",
            attachment=upload(name, data),
        )
    assert list(exc.value.message_dict) == ["attachment"]
    assert message in exc.value.message_dict["attachment"][0]
    after = DisseminationConfirmation.objects.get(pk=confirmed.pk)
    assert after.to_whom == before.to_whom == TO_WHOM
    assert not after.attachment
    assert confirmed.history.count() == versions
    assert stored(media) == []


def test_a_new_file_replaces_the_old_and_remove_drops_it_the_history_keeping_both(
    personas, asked, media
):
    first = confirm(asked, personas.gwent_staff, attachment=upload())
    old_name = first.attachment.name
    paper = text_pdf("Board paper", ["As presented to the board."])
    second = confirm(asked, personas.gwent_commissioner, attachment=upload("board.pdf", paper))
    assert second.attachment_name == "board.pdf"
    assert second.attachment.name != old_name
    # The replaced file stays stored: the history names it.
    assert len(stored(media)) == 2
    # An answer resent without a file keeps the one attached.
    again = confirm(asked, personas.gwent_commissioner)
    assert again.attachment.name == second.attachment.name
    removed = confirm(asked, personas.gwent_staff, remove_attachment=True)
    assert not removed.attachment
    assert removed.attachment_name == removed.attachment_type == ""
    assert removed.attachment_size == 0
    history = [
        (entry.attachment_name, entry.history_user, entry.history_change_reason)
        for entry in removed.history.order_by("history_date", "history_id")
    ]
    assert history[-3:] == [
        ("bulletin.pdf", personas.gwent_staff, "Confirmed"),
        ("board.pdf", personas.gwent_commissioner, "Corrected"),
        ("", personas.gwent_staff, "Corrected"),
    ]


def test_a_file_comes_only_with_done_and_could_not_drops_it(personas, asked, media):
    with pytest.raises(ValidationError) as exc:
        confirm(
            asked,
            personas.gwent_staff,
            outcome="could_not",
            reason="Withdrawn.",
            attachment=upload(),
        )
    assert "only if your body communicated it" in exc.value.message_dict["attachment"][0]
    assert stored(media) == []
    confirm(asked, personas.gwent_staff, attachment=upload())
    row = confirm(asked, personas.gwent_staff, outcome="could_not", reason="Withdrawn.")
    assert row.outcome == "could_not"
    assert not row.attachment


def test_a_new_file_and_remove_at_once_is_refused(personas, asked, media):
    confirm(asked, personas.gwent_staff, attachment=upload())
    with pytest.raises(ValidationError) as exc:
        confirm(asked, personas.gwent_staff, attachment=upload("b.pdf"), remove_attachment=True)
    assert "not both" in exc.value.message_dict["attachment"][0]
    assert gwent_row(asked).attachment_name == "bulletin.pdf"
    assert len(stored(media)) == 1


# The download --------------------------------------------------------------------------------


def test_the_attachment_downloads_only_for_those_who_read_the_confirmation(
    personas, client_for, asked
):
    row = confirm(asked, personas.gwent_staff, attachment=upload())
    target = url("attachment", row.public_id)
    got = {}
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).get(target)
        got[name] = response.status_code
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == BULLETIN
    # The body, the owning organisation and the APCC; not Kent (asked too, but another
    # body's answer), nor anyone else.
    assert got == {name: 200 if name in READERS else 404 for name in EVERYONE}


def test_no_attachment_or_an_unknown_one_is_not_found(personas, client_for, confirmed):
    client = client_for(personas.moj_lead)
    assert client.get(url("attachment", confirmed.public_id)).status_code == 404
    kent = confirmed.request.confirmations.exclude(pk=confirmed.pk).get()
    assert client.get(url("attachment", kent.public_id)).status_code == 404


def test_the_download_has_the_safe_headers_and_is_logged(personas, client_for, asked):
    row = confirm(asked, personas.gwent_staff, attachment=upload())
    response = client_for(personas.moj_lead).get(url("attachment", row.public_id))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.endswith('bulletin-TLP-AMBER+STRICT.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    entry = AccessLog.objects.get(action=AccessAction.DOWNLOAD, object_type="dissemination")
    assert entry.object_id == str(asked.public_id)
    assert entry.label == asked.engagement.label
    assert entry.user == personas.moj_lead


def test_a_missing_stored_file_says_so(personas, client_for, asked, media):
    row = confirm(asked, personas.gwent_staff, attachment=upload())
    [path] = stored(media)
    path.unlink()
    response = client_for(personas.gwent_staff).get(url("attachment", row.public_id))
    assert response.status_code == 410
    assert "The file is missing" in response.content.decode()


# The pages -----------------------------------------------------------------------------------


def done_form(**extra) -> dict:
    today = in_days(0)
    return {
        "outcome": "done",
        "channel": "bulletin",
        "to_whom": "Partners",
        "done_on_0": str(today.day),
        "done_on_1": str(today.month),
        "done_on_2": str(today.year),
        **extra,
    }


def test_a_body_attaches_replaces_and_removes_a_file_without_javascript(
    personas, client_for, asked, media
):
    client = client_for(personas.gwent_staff)
    page = client.get(url("confirm", asked.public_id)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page
    assert "Remove the attachment" not in page  # nothing to remove yet
    response = client.post(url("confirm", asked.public_id), done_form(attachment=upload()))
    assert response.status_code == 302
    assert gwent_row(asked).attachment_name == "bulletin.pdf"
    page = html.unescape(client.get(url("confirm", asked.public_id)).content.decode())
    assert "Replace the attachment" in page
    assert "Now attached: bulletin.pdf (PDF, " in page
    response = client.post(url("confirm", asked.public_id), done_form(remove_attachment="on"))
    assert response.status_code == 302
    assert not gwent_row(asked).attachment
    assert len(stored(media)) == 1  # kept, named by the history


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 64, "The file is a Windows program"),
        ("bulletin.docx", BULLETIN, "its name ends in “.docx”"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_a_bad_file_on_the_form_gets_a_message_on_the_field_and_changes_nothing(
    personas, client_for, asked, media, name, data, message
):
    response = client_for(personas.gwent_staff).post(
        url("confirm", asked.public_id), done_form(attachment=upload(name, data))
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "There is a problem" in page
    assert 'href="#id_attachment"' in page
    assert 'id="id_attachment-error"' in page
    assert message in page
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()
    assert stored(media) == []


def test_an_oversized_file_is_dropped_while_streaming_with_a_message(
    personas, client_for, asked, media, monkeypatch
):
    monkeypatch.setattr(filetypes, "MAX_UPLOAD_BYTES", 2048)
    response = client_for(personas.gwent_staff).post(
        url("confirm", asked.public_id), done_form(attachment=upload("big.txt", b"a" * 5000))
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "The file must be smaller than 2.0\xa0KB." in page
    assert "Partners</textarea>" in page  # the rest of the answer is kept on the form
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()
    assert stored(media) == []


def test_the_confirm_form_needs_the_csrf_token(personas, asked, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        personas.gwent_staff, backend="allauth.account.auth_backends.AuthenticationBackend"
    )
    response = client.post(url("confirm", asked.public_id), done_form(attachment=upload()))
    assert response.status_code == 403
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()


def test_the_attachment_shows_on_the_body_page_the_status_table_and_the_exports(
    personas, client_for, asked
):
    row = confirm(asked, personas.gwent_staff, attachment=upload())
    link = url("attachment", row.public_id)
    body = html.unescape(client_for(personas.gwent_staff).get(url("detail", asked.public_id)).text)
    assert f'href="{link}"' in body
    assert "bulletin.pdf (PDF, " in body
    kent = client_for(personas.kent_commissioner).get(url("detail", asked.public_id)).text
    assert link not in kent
    lead = client_for(personas.moj_lead)
    status = html.unescape(lead.get(url("status", asked.public_id)).text)
    table = status.split('id="bodies"')[1]
    assert f'href="{link}"' in table
    assert "Attachment (PDF, " in table
    csv = lead.get(url("export", asked.public_id, "csv")).content.decode()
    assert "Attachment" in csv
    assert "bulletin.pdf" in csv
    assert link not in csv


# Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "persona"), [("status", "moj_lead"), ("detail", "gwent_staff")])
def test_an_attachment_adds_no_query_to_the_pinned_pages(
    personas, client_for, asked, django_assert_num_queries, page, persona
):
    from .test_query_counts import CASES

    confirm(asked, personas.gwent_staff, attachment=upload())
    client = client_for(getattr(personas, persona))
    with django_assert_num_queries(CASES[(page, persona)]):
        response = client.get(url(page, asked.public_id))
    assert "bulletin.pdf" in response.text or "Attachment (PDF" in response.text


@pytest.mark.parametrize("persona", ["moj_lead", "gwent_staff"])
def test_the_download_runs_a_fixed_number_of_queries(
    personas, client_for, asked, django_assert_num_queries, persona
):
    from .test_query_counts import FACTS, REQUEST

    row = confirm(asked, personas.gwent_staff, attachment=upload())
    client = client_for(getattr(personas, persona))
    # The confirmation (request, engagement, policy and body joined), the log entry.
    budget = REQUEST + 2 + (FACTS if persona == "gwent_staff" else 0)
    with django_assert_num_queries(budget):
        response = client.get(url("attachment", row.public_id))
    assert response.status_code == 200
