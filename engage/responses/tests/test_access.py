"""Every response page, opened by every persona: 200 for those who may use it, 403 for those who
may see it but not act on it, 404 for those who may not see it at all. Outside the responding
body, people read submitted versions only: the working copy never appears in their pages."""

import html

import pytest
from django.urls import reverse

from engage.conftest import EVERYONE
from engage.engagements.models import Engagement
from engage.responses import services

from .fixtures import (
    COMPLETE,
    DRAFT_TEXT,
    SUBMITTED_TEXT,
    WORKING_TEXT,
    save,
    start,
    submit,
)

pytestmark = pytest.mark.django_db

GWENT = {"gwent_commissioner", "gwent_staff"}
# Who reads Gwent's submitted response: the body, the owning organisation, the APCC
# secretariat (Gwent also leads the routed group). Not Kent, unless responses are shared.
READERS = GWENT | {"moj_lead", "secretariat"}


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def pages(personas, client_for, url: str) -> dict[str, tuple[int, str]]:
    """Each persona's status code and page text for `url`."""
    got = {}
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).get(url)
        got[name] = (response.status_code, html.unescape(response.content.decode()))
    return got


def check(personas, client_for, url: str, expected: dict[str, int]) -> dict[str, str]:
    got = pages(personas, client_for, url)
    assert {name: code for name, (code, _page) in got.items()} == expected, url
    return {name: page for name, (_code, page) in got.items()}


def url(name: str, *args) -> str:
    return reverse(f"responses:{name}", args=[str(arg) for arg in args])


# Drafting --------------------------------------------------------------------------------


def test_the_respond_form_is_for_the_bodies_addressed(
    personas, client_for, consultation, gwent_submitted
):
    seen = check(
        personas,
        client_for,
        url("respond", consultation.public_id),
        # The lead and the APCC see the engagement but respond for no body: told why (403).
        expect(
            404,
            gwent_commissioner=200,
            gwent_staff=200,
            kent_commissioner=200,
            moj_lead=403,
            secretariat=403,
        ),
    )
    for name in GWENT:
        assert WORKING_TEXT in seen[name]
    assert WORKING_TEXT not in seen["kent_commissioner"]  # Kent drafts its own response


def test_the_respond_form_refuses_writes_from_those_it_refuses_to_show(
    personas, client_for, consultation
):
    data = {"revision": "0", "answer_1": "Ours", "answer_2": "", "stance_2": "oppose"}
    for name in set(EVERYONE) - {"gwent_commissioner", "gwent_staff", "kent_commissioner"}:
        response = client_for(getattr(personas, name)).post(
            url("respond", consultation.public_id), data
        )
        assert response.status_code in (403, 404), name
    assert not consultation.responses.exists()


# Reading ---------------------------------------------------------------------------------


def test_a_draft_is_the_bodys_alone(personas, client_for, gwent_draft):
    for page in (url("detail", gwent_draft.public_id), url("submit", gwent_draft.public_id)):
        expected = expect(404, gwent_commissioner=200, gwent_staff=200)
        if page.endswith("submit/"):
            expected["gwent_staff"] = 403  # may see it, may not submit it
        seen = check(personas, client_for, page, expected)
        for name, code in expected.items():
            assert (DRAFT_TEXT in seen[name]) == (code == 200), name
    check(personas, client_for, url("version", gwent_draft.public_id, 1), expect(404))


def test_others_read_the_submitted_version_never_the_working_copy(
    personas, client_for, gwent_submitted
):
    for page in (
        url("detail", gwent_submitted.public_id),
        url("version", gwent_submitted.public_id, 1),
    ):
        seen = check(personas, client_for, page, expect(404, **dict.fromkeys(READERS, 200)))
        for name in ("moj_lead", "secretariat"):
            assert SUBMITTED_TEXT in seen[name]
            assert WORKING_TEXT not in seen[name]
    own = check(
        personas,
        client_for,
        url("detail", gwent_submitted.public_id),
        expect(404, **dict.fromkeys(READERS, 200)),
    )
    for name in GWENT:
        assert WORKING_TEXT in own[name]


def test_the_group_lead_reads_a_members_submitted_version_only(personas, client_for, consultation):
    kent = personas.kent_commissioner
    response = save(start(consultation, kent), kent)
    submit(response, kent)
    save(response, kent, answers={**COMPLETE, 1: services.AnswerInput(text=WORKING_TEXT)})
    seen = check(
        personas,
        client_for,
        url("detail", response.public_id),
        # Gwent leads the Victims group, so its members read Kent's submitted response.
        expect(
            404,
            kent_commissioner=200,
            gwent_commissioner=200,
            gwent_staff=200,
            moj_lead=200,
            secretariat=200,
        ),
    )
    for name in ("gwent_commissioner", "gwent_staff", "moj_lead", "secretariat"):
        assert SUBMITTED_TEXT in seen[name]
        assert WORKING_TEXT not in seen[name]
    assert WORKING_TEXT in seen["kent_commissioner"]


def test_sharing_responses_lets_the_other_bodies_addressed_read_them(
    personas, client_for, consultation, gwent_submitted
):
    Engagement.objects.filter(pk=consultation.pk).update(share_responses=True)
    for page in (
        url("detail", gwent_submitted.public_id),
        url("version", gwent_submitted.public_id, 1),
    ):
        seen = check(
            personas,
            client_for,
            page,
            expect(404, kent_commissioner=200, **dict.fromkeys(READERS, 200)),
        )
        assert SUBMITTED_TEXT in seen["kent_commissioner"]
        assert WORKING_TEXT not in seen["kent_commissioner"]


# Submitting ------------------------------------------------------------------------------


def test_submitting_is_the_commissioners_or_a_delegates(personas, client_for, gwent_submitted):
    submit_page = url("submit", gwent_submitted.public_id)
    codes = expect(404, gwent_commissioner=200, gwent_staff=403, moj_lead=403, secretariat=403)
    check(personas, client_for, submit_page, codes)
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).post(
            submit_page, {"revision": str(gwent_submitted.revision)}
        )
        if name != "gwent_commissioner":
            assert response.status_code == codes[name], name
    assert gwent_submitted.versions.count() == 2  # the commissioner's went through

    services.delegation_grant(
        body=gwent_submitted.body, delegate=personas.gwent_staff, by=personas.gwent_commissioner
    )
    codes["gwent_staff"] = 200
    check(personas, client_for, submit_page, codes)


# Lists -----------------------------------------------------------------------------------


def test_the_list_of_responses_shows_each_person_what_they_may_read(
    personas, client_for, consultation, gwent_submitted
):
    seen = check(
        personas,
        client_for,
        url("engagement_responses", consultation.public_id),
        expect(404, kent_commissioner=200, **dict.fromkeys(READERS, 200)),
    )
    listed = {name for name, page in seen.items() if "Commissioner for Gwent</a>" in page}
    assert listed == READERS
    for page in seen.values():
        assert WORKING_TEXT not in page


def test_the_engagement_page_counts_only_what_each_persona_may_read(
    personas, client_for, consultation, gwent_submitted
):
    list_link = f'href="{url("engagement_responses", consultation.public_id)}"'
    seen = {
        name: client_for(getattr(personas, name))
        .get(reverse("engagements:detail", args=[consultation.public_id]))
        .content.decode()
        for name in ("moj_lead", "secretariat", "gwent_staff", "kent_commissioner")
    }
    assert {name for name, page in seen.items() if list_link in page} == {
        "moj_lead",
        "secretariat",
    }  # Gwent reads no other body's response yet; Kent none without sharing
    for page in seen.values():
        assert WORKING_TEXT not in page


# Delegations -----------------------------------------------------------------------------


def test_the_delegations_page_is_for_members_of_a_policing_body(personas, client_for):
    bodies = ("gwent_commissioner", "gwent_staff", "kent_commissioner", "dorset_commissioner")
    seen = check(
        personas,
        client_for,
        url("delegations"),
        expect(403, surrey_ceo=200, **dict.fromkeys(bodies, 200)),
    )
    assert "Let someone submit responses" in seen["gwent_commissioner"]
    assert "Let someone submit responses" not in seen["gwent_staff"]
    assert "Let someone submit responses" not in seen["surrey_ceo"]


def test_withdrawing_a_delegation_is_its_commissioners(personas, client_for):
    from engage.directory.models import PolicingBody

    delegation = services.delegation_grant(
        body=PolicingBody.objects.get(organisation__slug="gwent"),
        delegate=personas.gwent_staff,
        by=personas.gwent_commissioner,
    )
    withdraw = url("delegation_withdraw", delegation.pk)
    check(personas, client_for, withdraw, expect(404, gwent_commissioner=200, gwent_staff=403))
    for name in set(EVERYONE) - {"gwent_commissioner"}:
        client_for(getattr(personas, name)).post(withdraw)
    delegation.refresh_from_db()
    assert delegation.revoked_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client, gwent_submitted):
    for page in (
        url("respond", gwent_submitted.engagement.public_id),
        url("engagement_responses", gwent_submitted.engagement.public_id),
        url("detail", gwent_submitted.public_id),
        url("submit", gwent_submitted.public_id),
        url("version", gwent_submitted.public_id, 1),
        url("delegations"),
        url("delegation_withdraw", 1),
    ):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url.startswith(reverse("account_login")), page
