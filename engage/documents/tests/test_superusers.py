"""Being a Django superuser gives no way round the document rules (DESIGN.md section 6: site
administrators do not read engagement content by virtue of being administrators)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from engage.documents import rules as document_rules
from engage.documents import selectors, services
from engage.documents.models import Document, DocumentVersion

from . import samples


def _url(name, document, *args):
    return reverse(f"documents:{name}", args=[document.public_id, *args])


def _make_superuser(user):
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


@pytest.fixture
def kent_superuser(personas):
    """The Kent commissioner, also a superuser: sees the document as Kent, nothing more."""
    return _make_superuser(personas.kent_commissioner)


@pytest.fixture
def document(personas, make_document):
    document = make_document("commissioning.docx", samples.docx())
    services.document_replace(
        document=document,
        uploaded_by=personas.moj_lead,
        file=samples.upload("v2.docx", samples.docx()),
    )
    return document


def test_a_superuser_cannot_upload(kent_superuser, client_for, engagement, media):
    assert not document_rules.can_upload_documents(kent_superuser, engagement)
    with pytest.raises(PermissionDenied):
        services.document_upload(
            engagement=engagement,
            uploaded_by=kent_superuser,
            title="Not theirs",
            file=samples.upload("plan.pdf", samples.pdf()),
        )
    client = client_for(kent_superuser)
    url = f"{reverse('documents:new')}?engagement={engagement.public_id}"
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "title": "Not theirs",
            "label": "amber_strict",
            "file": samples.upload("plan.pdf", samples.pdf()),
        },
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_a_superuser_cannot_replace(kent_superuser, client_for, document):
    assert not document_rules.can_replace_document(kent_superuser, document)
    with pytest.raises(PermissionDenied):
        services.document_replace(
            document=document,
            uploaded_by=kent_superuser,
            file=samples.upload("v3.docx", samples.docx()),
        )
    with pytest.raises(PermissionDenied):
        selectors.get_document_for_user(kent_superuser, document.public_id, write=True)
    client = client_for(kent_superuser)
    assert client.get(_url("replace", document)).status_code == 403
    response = client.post(
        _url("replace", document), {"file": samples.upload("v3.docx", samples.docx())}
    )
    assert response.status_code == 403
    assert DocumentVersion.objects.filter(document=document).count() == 2


def test_a_superuser_cannot_download_old_versions(kent_superuser, client_for, document):
    with pytest.raises(PermissionDenied):
        selectors.get_version_for_user(kent_superuser, document, 1)
    client = client_for(kent_superuser)
    page = client.get(_url("detail", document))
    assert page.status_code == 200  # Kent is in the routed group
    assert _url("version_download", document, 1) not in page.text
    assert _url("replace", document) not in page.text
    assert client.get(_url("version_download", document, 1)).status_code == 403
    assert client.post(_url("version_download", document, 1)).status_code == 403


def test_a_superuser_with_no_membership_sees_no_document(personas, client_for, document):
    admin = _make_superuser(personas.admin)
    assert not Document.objects.visible_to(admin).exists()
    client = client_for(admin)
    for name in ("detail", "download", "download_warning", "replace"):
        assert client.get(_url(name, document)).status_code == 404, name
    assert client.get(_url("version_download", document, 1)).status_code == 404
    new = f"{reverse('documents:new')}?engagement={document.engagement.public_id}"
    assert client.get(new).status_code == 404
