"""A document whose stored file has gone from the disk: the styled page, not a server error,
and an error in the log that names the version."""

import logging

import pytest
from django.urls import reverse

from . import samples


@pytest.mark.parametrize(
    ("name", "data", "method"),
    [("plan.pdf", samples.pdf(), "get"), ("plan.docx", samples.docx(), "post")],
)
def test_a_missing_file_gives_the_gone_page_and_is_logged(
    personas, client_for, make_document, caplog, name, data, method
):
    document = make_document(name, data)
    version = document.current_version
    version.file.storage.delete(version.file.name)
    client = client_for(personas.gwent_staff)
    url = reverse("documents:download", args=[document.public_id])
    with caplog.at_level(logging.ERROR, logger="engage.documents"):
        response = getattr(client, method)(url)
    assert response.status_code == 410
    assert "The file is missing" in response.text
    assert 'class="govuk-heading-l"' in response.text  # the service's own page
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert f"document version {version.pk}" in errors[0].getMessage()


def test_a_missing_old_version_gives_the_gone_page(personas, client_for, make_document, caplog):
    document = make_document()
    version = document.current_version
    version.file.storage.delete(version.file.name)
    url = reverse("documents:version_download", args=[document.public_id, version.number])
    with caplog.at_level(logging.ERROR, logger="engage.documents"):
        response = client_for(personas.moj_lead).get(url)
    assert response.status_code == 410
    assert any(str(version.pk) in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("persona", ["outsider", "dorset_commissioner", "vcs_member"])
def test_someone_who_may_not_see_it_gets_not_found_not_gone(
    personas, client_for, make_document, caplog, persona
):
    """The access check comes first: a missing file is never told to someone the document
    does not reach, so a 410 cannot reveal that it exists."""
    document = make_document()
    version = document.current_version
    version.file.storage.delete(version.file.name)
    client = client_for(getattr(personas, persona))
    with caplog.at_level(logging.ERROR, logger="engage.documents"):
        current = client.get(reverse("documents:download", args=[document.public_id]))
        old = client.get(
            reverse("documents:version_download", args=[document.public_id, version.number])
        )
    assert current.status_code == 404
    assert old.status_code == 404
    assert "The file is missing" not in current.text
    assert not [r for r in caplog.records if r.levelno == logging.ERROR]
