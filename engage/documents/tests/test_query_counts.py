"""The document page's query count is pinned, and does not grow with its versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engage.documents import services

from . import samples

# Includes the owner's label releases and the release permission (a membership check).
DOCUMENT_PAGE_BUDGET = 14


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["moj_lead", "gwent_commissioner"])
def test_the_document_page_stays_within_budget_as_versions_grow(
    personas, client_for, make_document, who, django_assert_max_num_queries
):
    document = make_document(label="red", recipients=[personas.gwent_commissioner])
    url = reverse("documents:detail", args=[document.public_id])
    client = client_for(getattr(personas, who))
    client.get(url)  # warm the session

    with django_assert_max_num_queries(DOCUMENT_PAGE_BUDGET):
        client.get(url)
    few = _queries(client, url)

    for number in range(2, 7):
        services.document_replace(
            document=document,
            uploaded_by=personas.moj_lead,
            file=samples.upload(f"v{number}.txt", samples.TXT),
        )
    assert _queries(client, url) == few


def test_the_engagement_list_partial_is_one_query(personas, make_document, engagement):
    from engage.documents.selectors import documents_for_engagement

    for number in range(3):
        make_document(title=f"Document {number}")
    documents = documents_for_engagement(personas.gwent_commissioner, engagement)
    with CaptureQueriesContext(connection) as captured:
        rows = [(d.title, d.label, d.current_version.size) for d in documents]
    assert len(rows) == 3
    assert len(captured) == 1
