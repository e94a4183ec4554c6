"""The "ready for the commissioner" page (issue 9, point 3): who reaches it (DESIGN.md
section 6: only the responding body; others 404, or 403 if they read the response from
outside), its confirmation step, and bad input changing nothing."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.conftest import EVERYONE
from engage.responses.models import Response

pytestmark = pytest.mark.django_db

MEMBERS = {"gwent_commissioner", "gwent_staff"}


def url(response: Response) -> str:
    return reverse("responses:mark_ready", args=[response.public_id])


def state(response: Response) -> tuple:
    row = Response.objects.get(pk=response.pk)
    return row.ready_at, row.ready_by_id, row.revision


@pytest.mark.parametrize("persona", EVERYONE)
def test_who_reaches_a_draft(personas, client_for, gwent_draft, persona):
    """A draft is read by its body alone: everyone else gets 404, and nothing changes."""
    client = client_for(getattr(personas, persona))
    before = state(gwent_draft)
    page = client.get(url(gwent_draft))
    posted = client.post(url(gwent_draft), {"revision": gwent_draft.revision})
    if persona in MEMBERS:
        assert page.status_code == 200
        assert posted.status_code == 302
        assert state(gwent_draft)[0] is not None
    else:
        assert page.status_code == posted.status_code == 404
        assert state(gwent_draft) == before


@pytest.mark.parametrize("persona", EVERYONE)
def test_who_reaches_a_submitted_response(personas, client_for, gwent_submitted, persona):
    """Once submitted, the owner and the APCC read it, but only its body marks it: 403."""
    client = client_for(getattr(personas, persona))
    before = state(gwent_submitted)
    posted = client.post(url(gwent_submitted), {"revision": gwent_submitted.revision})
    if persona in MEMBERS:
        assert posted.status_code == 302
        assert state(gwent_submitted)[0] is not None
        return
    readers = Response.objects.visible_to(getattr(personas, persona))
    expected = 403 if readers.filter(pk=gwent_submitted.pk).exists() else 404
    assert posted.status_code == expected
    assert state(gwent_submitted) == before


def test_the_confirmation_page(personas, client_for, gwent_draft):
    client = client_for(personas.gwent_staff)
    page = client.get(url(gwent_draft)).content.decode()
    assert "Mark the draft ready for the commissioner" in page
    assert "govuk-breadcrumbs" in page
    assert "TLP:" in page  # the handling label
    assert state(gwent_draft)[0] is None  # a GET changes nothing
    assert AccessLog.objects.filter(
        object_id=str(gwent_draft.public_id), detail="mark ready for the commissioner"
    ).exists()


def test_the_response_page_offers_it_then_says_it_is_ready(personas, client_for, gwent_draft):
    client = client_for(personas.gwent_staff)
    detail = reverse("responses:detail", args=[gwent_draft.public_id])
    assert url(gwent_draft) in client.get(detail).content.decode()
    followed = client.post(url(gwent_draft), {"revision": gwent_draft.revision}, follow=True)
    page = followed.content.decode()
    assert "The draft is marked ready for the commissioner." in page
    assert "Ready for the commissioner" in page
    assert url(gwent_draft) not in page  # not offered twice


def test_a_submitted_response_with_nothing_new_is_refused(personas, client_for, consultation):
    from .fixtures import save, start, submit

    commissioner = personas.gwent_commissioner
    response = save(start(consultation, commissioner), commissioner)
    submit(response, commissioner)
    client = client_for(personas.gwent_staff)
    detail = reverse("responses:detail", args=[response.public_id])
    assert url(response) not in client.get(detail).content.decode()
    before = state(response)
    followed = client.post(url(response), {"revision": response.revision}, follow=True)
    assert "Nothing has changed since version 1" in followed.content.decode()
    assert state(response) == before


@pytest.mark.parametrize("revision", ["", "abc", "-1", "999"])
def test_a_stale_or_malformed_revision_is_refused(personas, client_for, gwent_draft, revision):
    before = state(gwent_draft)
    followed = client_for(personas.gwent_staff).post(
        url(gwent_draft), {"revision": revision}, follow=True
    )
    assert followed.status_code == 200
    assert "Someone else saved this response" in followed.content.decode()
    assert state(gwent_draft) == before


def test_another_bodys_draft_is_not_found(personas, client_for, gwent_draft):
    client = client_for(personas.kent_commissioner)
    assert client.post(url(gwent_draft), {"revision": gwent_draft.revision}).status_code == 404
    bogus = reverse("responses:mark_ready", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(personas.gwent_staff).post(bogus).status_code == 404
    assert state(gwent_draft)[0] is None
