"""The rules of adding and replacing documents, at the service."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from engage.documents import filetypes, services
from engage.documents.models import Document, DocumentVersion

from . import samples
from .conftest import stored_files


def _nothing_stored(media):
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert stored_files(media) == []


def test_a_policy_lead_adds_a_document_stored_under_a_random_name(personas, engagement, media):
    data = samples.pdf()
    document = services.document_upload(
        engagement=engagement,
        uploaded_by=personas.moj_lead,
        title="Victims services commissioning",
        file=samples.upload("Secret plans for Gwent.pdf", data),
    )
    version = document.current_version
    assert version.number == 1
    assert version.file_type == "pdf"
    assert version.size == len(data)
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.original_name == "Secret plans for Gwent.pdf"
    assert version.uploaded_by == personas.moj_lead
    # The label defaults to the engagement's.
    assert document.label == engagement.label == "amber_strict"
    # Stored outside the web root, under a random name: never the uploader's file name.
    stored_name = str(version.file.name)
    assert "Secret" not in stored_name
    assert stored_name.startswith("documents/")
    assert stored_name.endswith(".pdf")
    (path,) = stored_files(media)
    assert path.read_bytes() == data
    assert document.history.count() >= 1


@pytest.mark.parametrize(
    "who",
    [
        "ho_lead",
        "secretariat",
        "gwent_commissioner",
        "gwent_staff",
        "kent_commissioner",
        "dorset_commissioner",
        "surrey_ceo",
        "vcs_member",
        "admin",
        "outsider",
    ],
)
def test_only_a_policy_lead_of_the_owning_organisation_may_add(personas, engagement, media, who):
    with pytest.raises(PermissionDenied):
        services.document_upload(
            engagement=engagement,
            uploaded_by=getattr(personas, who),
            title="Not theirs",
            file=samples.upload("a.pdf", samples.pdf()),
        )
    _nothing_stored(media)


@pytest.mark.parametrize("status", ["draft", "awaiting_apcc", "open"])
def test_documents_are_added_until_the_engagement_closes(personas, make_engagement, status):
    engagement = make_engagement(status=status)
    document = services.document_upload(
        engagement=engagement,
        uploaded_by=personas.moj_lead,
        title="Draft note",
        file=samples.upload("note.txt", samples.TXT),
    )
    assert document.current_version.file_type == "txt"


def test_a_scheduled_engagement_takes_documents(personas, make_engagement, media):
    """Confirmed by the APCC, waiting for its opening date: the lead may still add papers."""
    engagement = make_engagement(status="scheduled")
    document = services.document_upload(
        engagement=engagement,
        uploaded_by=personas.moj_lead,
        title="Final briefing",
        file=samples.upload("a.pdf", samples.pdf()),
    )
    assert document.engagement == engagement


def test_a_closed_engagement_takes_no_documents(personas, make_engagement, media):
    engagement = make_engagement(status="closed")
    with pytest.raises(ValidationError, match="closed"):
        services.document_upload(
            engagement=engagement,
            uploaded_by=personas.moj_lead,
            title="Too late",
            file=samples.upload("a.pdf", samples.pdf()),
        )
    _nothing_stored(media)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setup.pdf", samples.EXE),
        ("photo.png", samples.PNG),
        ("page.txt", samples.HTML),
        ("broken.pdf", samples.BROKEN_PDF),
        ("report.docx", samples.pdf()),
        ("bomb.docx", samples.zip_bomb()),
    ],
)
def test_a_bad_file_stores_nothing(personas, engagement, media, name, data):
    with pytest.raises(ValidationError) as caught:
        services.document_upload(
            engagement=engagement,
            uploaded_by=personas.moj_lead,
            title="Bad",
            file=samples.upload(name, data),
        )
    assert "file" in caught.value.error_dict
    _nothing_stored(media)


def test_a_too_big_file_stores_nothing(personas, engagement, media, monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(ValidationError, match="smaller than"):
        services.document_upload(
            engagement=engagement,
            uploaded_by=personas.moj_lead,
            title="Big",
            file=samples.upload("big.txt", b"x" * 1001),
        )
    _nothing_stored(media)


def test_a_red_document_needs_named_recipients(personas, engagement, media, make_engagement):
    red_engagement = make_engagement(label="red", title="Restricted")
    with pytest.raises(ValidationError) as caught:
        services.document_upload(
            engagement=red_engagement,
            uploaded_by=personas.moj_lead,
            title="Restricted note",
            file=samples.upload("a.pdf", samples.pdf()),
            label="red",
        )
    assert "named recipient" in caught.value.error_dict["recipients"][0].messages[0]
    _nothing_stored(media)

    document = services.document_upload(
        engagement=engagement,
        uploaded_by=personas.moj_lead,
        title="Restricted note",
        file=samples.upload("a.pdf", samples.pdf()),
        label="red",
        recipients=[personas.gwent_commissioner],
    )
    assert list(document.recipients.all()) == [personas.gwent_commissioner]


def test_only_red_documents_have_recipients(personas, engagement, media):
    with pytest.raises(ValidationError, match="Only a TLP:RED"):
        services.document_upload(
            engagement=engagement,
            uploaded_by=personas.moj_lead,
            title="Note",
            file=samples.upload("a.pdf", samples.pdf()),
            label="amber_strict",
            recipients=[personas.gwent_commissioner],
        )
    _nothing_stored(media)


@pytest.mark.parametrize("who", ["vcs_member", "outsider", "admin"])
def test_recipients_must_be_in_protocol_organisations(personas, engagement, media, who):
    with pytest.raises(ValidationError, match="cannot receive protocol material"):
        services.document_upload(
            engagement=engagement,
            uploaded_by=personas.moj_lead,
            title="Note",
            file=samples.upload("a.pdf", samples.pdf()),
            label="red",
            recipients=[getattr(personas, who)],
        )
    _nothing_stored(media)


def test_a_document_cannot_be_labelled_wider_than_its_engagement(personas, engagement, media):
    with pytest.raises(ValidationError) as caught:
        services.document_upload(
            engagement=engagement,
            uploaded_by=personas.moj_lead,
            title="Note",
            file=samples.upload("a.pdf", samples.pdf()),
            label="green",
        )
    assert "wider label" in caught.value.error_dict["label"][0].messages[0]
    _nothing_stored(media)
    assert services.labels_for(engagement) == ["red", "amber_strict"]


def test_a_title_is_required(personas, engagement, media):
    with pytest.raises(ValidationError) as caught:
        services.document_upload(
            engagement=engagement,
            uploaded_by=personas.moj_lead,
            title="   ",
            file=samples.upload("a.pdf", samples.pdf()),
        )
    assert "title" in caught.value.error_dict
    _nothing_stored(media)


def test_replacing_adds_a_version_and_keeps_the_old_ones(personas, make_document, media):
    document = make_document()
    first = document.current_version
    second = services.document_replace(
        document=document,
        uploaded_by=personas.moj_lead,
        file=samples.upload("commissioning-v2.docx", samples.docx()),
    )
    document.refresh_from_db()
    assert second.number == 2
    assert document.current_version == second
    assert second.file_type == "docx"
    assert list(document.versions.order_by("number")) == [first, second]
    assert len(stored_files(media)) == 2
    first.refresh_from_db()
    assert first.file.storage.exists(first.file.name)


def test_replacing_checks_the_file_and_stores_nothing_when_refused(personas, make_document, media):
    document = make_document()
    with pytest.raises(ValidationError):
        services.document_replace(
            document=document,
            uploaded_by=personas.moj_lead,
            file=samples.upload("v2.pdf", samples.PNG),
        )
    assert document.versions.count() == 1
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize("who", ["ho_lead", "secretariat", "gwent_commissioner", "outsider"])
def test_only_a_lead_of_the_owner_replaces(personas, make_document, media, who):
    document = make_document()
    with pytest.raises(PermissionDenied):
        services.document_replace(
            document=document,
            uploaded_by=getattr(personas, who),
            file=samples.upload("v2.pdf", samples.pdf()),
        )
    assert document.versions.count() == 1


def test_a_closed_engagement_takes_no_new_versions(personas, make_document, engagement, media):
    document = make_document()
    engagement.status = "closed"
    engagement.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="closed"):
        services.document_replace(
            document=document,
            uploaded_by=personas.moj_lead,
            file=samples.upload("v2.pdf", samples.pdf()),
        )
    assert document.versions.count() == 1
