"""Every outcome page, opened by every persona: 200 for those who may use it, 403 for those who
see the engagement but may not record its outcome, 404 for those who may not see it (or, for
a draft, read it). The outsider and the voluntary-sector member never see any of it."""

import html

import pytest
from django.urls import reverse

from engage.conftest import EVERYONE
from engage.outcomes.models import Outcome, OutcomeStatus

from .fixtures import AUDIENCE, CHANGED, HEARD, READERS, draft_outcome, published_outcome

pytestmark = pytest.mark.django_db

SEE_NOT_RECORD = AUDIENCE | {"secretariat"}


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def check(personas, client_for, url: str, expected: dict[str, int], method: str = "get"):
    got, pages = {}, {}
    for name in EVERYONE:
        client = client_for(getattr(personas, name))
        response = getattr(client, method)(url)
        got[name] = response.status_code
        pages[name] = html.unescape(response.content.decode())
    assert got == expected, url
    return pages


def url(name: str, engagement) -> str:
    return reverse(f"outcomes:{name}", args=[engagement.public_id])


def test_a_published_outcome_is_read_by_everyone_who_reads_the_engagement(
    personas, client_for, published
):
    pages = check(
        personas,
        client_for,
        url("detail", published.engagement),
        expect(404, **dict.fromkeys(READERS, 200)),
    )
    for name in READERS:
        assert HEARD in pages[name]
        assert CHANGED in pages[name]
        assert "TLP:AMBER+STRICT" in pages[name]  # the engagement's handling label
    for name in set(EVERYONE) - READERS:
        assert HEARD not in pages[name]


def test_a_draft_is_the_owning_organisations(personas, client_for, draft):
    pages = check(personas, client_for, url("detail", draft.engagement), expect(404, moj_lead=200))
    assert HEARD in pages["moj_lead"]
    for name in set(EVERYONE) - {"moj_lead"}:
        assert HEARD not in pages[name]


def test_before_any_outcome_the_lead_is_taken_to_the_form(personas, client_for, closed):
    check(personas, client_for, url("detail", closed), expect(404, moj_lead=302))


@pytest.mark.parametrize("step", ["none", "draft", "published"])
def test_only_the_lead_opens_the_form(personas, client_for, closed, step):
    if step != "none":
        (draft_outcome if step == "draft" else published_outcome)(closed, personas.moj_lead)
    codes = expect(404, moj_lead=200, **dict.fromkeys(SEE_NOT_RECORD, 403))
    pages = check(personas, client_for, url("edit", closed), codes)
    if step != "none":
        assert HEARD in pages["moj_lead"]
    assert "TLP:AMBER+STRICT" in pages["moj_lead"]


def test_only_the_lead_opens_the_publish_page(personas, client_for, draft):
    codes = expect(404, moj_lead=200, **dict.fromkeys(SEE_NOT_RECORD, 403))
    pages = check(personas, client_for, url("publish", draft.engagement), codes)
    assert "Are you sure you want to publish this outcome?" in pages["moj_lead"]
    assert "TLP:AMBER+STRICT" in pages["moj_lead"]


def test_writes_from_anyone_else_change_nothing(personas, client_for, draft):
    engagement = draft.engagement
    data = {"revision": "1", "heard": "Overwritten", "changed": "Overwritten"}
    for name in set(EVERYONE) - {"moj_lead"}:
        client = client_for(getattr(personas, name))
        expected = 403 if name in SEE_NOT_RECORD else 404
        assert client.post(url("edit", engagement), data).status_code == expected, name
        assert client.post(url("publish", engagement), data).status_code == expected, name
    draft.refresh_from_db()
    assert (draft.heard, draft.status, draft.revision) == (HEARD, OutcomeStatus.DRAFT, 1)


def test_anonymous_people_are_sent_to_sign_in(client, draft):
    for name in ("detail", "edit", "publish"):
        response = client.get(url(name, draft.engagement))
        assert response.status_code == 302
        assert "/login" in response["Location"] or "sign" in response["Location"]
    assert Outcome.objects.get().heard == HEARD
