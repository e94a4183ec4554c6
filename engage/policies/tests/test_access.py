"""Who may open which register page: every persona, every page (default deny).

The MoJ's policy is seen by the MoJ only (its lead edits, its colleagues read); everyone else
gets a 404 and never finds it in their register or its search. A non-owner who can see an
engagement on it sees its title, summary and stage, never its triage (DESIGN.md section 6).
"""

import pytest
from django.urls import reverse

from engage.policies.models import KeyDate, Policy, StageChange

from .conftest import triage

OUTSIDERS = [
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
]
POLICY_PAGES = [
    "detail",
    "edit",
    "stage",
    "magnitude",
    "screen",
    "key_date_new",
    "key_date_archive",
]
WRITE_PAGES = [page for page in POLICY_PAGES if page != "detail"]


@pytest.fixture
def moj_policy(make_policy, personas):
    from datetime import date

    from engage.policies import services

    policy = make_policy(title="Secret-ish courts reform")
    services.key_date_add(
        policy=policy, kind="go_live", date=date(2028, 4, 1), by=personas.moj_lead
    )
    return policy


def _page_url(page: str, policy: Policy) -> str:
    if page == "key_date_archive":
        key_date = policy.key_dates.get()
        return reverse("policies:key_date_archive", args=[policy.public_id, key_date.public_id])
    return reverse(f"policies:{page}", args=[policy.public_id])


def _state(policy: Policy):
    policy.refresh_from_db()
    return (
        Policy.history.count(),
        StageChange.objects.count(),
        KeyDate.objects.count(),
        policy.title,
        policy.stage,
        policy.triage_outcome,
    )


@pytest.mark.parametrize("page", POLICY_PAGES)
def test_owner_lead_opens_every_page(personas, client_for, moj_policy, page):
    response = client_for(personas.moj_lead).get(_page_url(page, moj_policy))
    assert response.status_code == 200


def test_owner_lead_may_add_and_sees_the_register(personas, client_for, moj_policy):
    client = client_for(personas.moj_lead)
    assert client.get(reverse("policies:new")).status_code == 200
    page = client.get(reverse("policies:register"), {"q": "courts"}).content.decode()
    assert "Secret-ish courts reform" in page


def test_owner_colleague_reads_but_cannot_change(client_for, moj_colleague, moj_policy):
    client = client_for(moj_colleague)
    detail = client.get(_page_url("detail", moj_policy))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Triage" in page
    assert "1 April 2028" in page
    assert reverse("policies:edit", args=[moj_policy.public_id]) not in page
    assert reverse("policies:magnitude", args=[moj_policy.public_id]) not in page
    assert "Secret-ish courts reform" in client.get(reverse("policies:register")).content.decode()
    assert client.get(reverse("policies:new")).status_code == 403


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_owner_colleague_is_refused_every_change(client_for, moj_colleague, moj_policy, page):
    client = client_for(moj_colleague)
    url = _page_url(page, moj_policy)
    before = _state(moj_policy)
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "title": "Changed",
            "summary": "Changed",
            "stage": "closed",
            "merits": "yes",
            "reason": "Because",
            "kind": "other",
            "date_0": "1",
            "date_1": "1",
            "date_2": "2029",
        },
    )
    assert response.status_code == 403
    assert _state(moj_policy) == before


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("page", POLICY_PAGES)
def test_everyone_else_gets_not_found(personas, client_for, moj_policy, persona, page):
    client = client_for(getattr(personas, persona))
    url = _page_url(page, moj_policy)
    before = _state(moj_policy)
    assert client.get(url).status_code == 404
    posted = client.post(url, {"title": "x", "summary": "x", "stage": "closed"})
    assert posted.status_code == (405 if page == "detail" else 404)  # the page is GET only
    assert _state(moj_policy) == before


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_it_is_in_nobody_elses_register_or_search(personas, client_for, moj_policy, persona):
    client = client_for(getattr(personas, persona))
    for params in ({}, {"q": "courts"}, {"q": "Secret"}, {"triage": "untriaged"}):
        response = client.get(reverse("policies:register"), params)
        assert response.status_code == 200
        assert "Secret-ish courts reform" not in response.content.decode()
        assert not response.context["page_obj"].object_list


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("ho_lead", 200), ("secretariat", 403), ("gwent_commissioner", 403), ("admin", 403)],
)
def test_only_a_national_policy_lead_may_add(personas, client_for, persona, allowed):
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("policies:new")).status_code == allowed


def test_ho_lead_adds_for_the_home_office_not_the_moj(personas, client_for):
    client = client_for(personas.ho_lead)
    client.post(
        reverse("policies:new"),
        {
            "title": "Police reform",
            "summary": "Summary",
            "stage": "idea",
            "policy_leads": [personas.ho_lead.pk],
        },
    )
    assert Policy.objects.get().owner.slug == "ho"


# Seen through an engagement --------------------------------------------------------------

SEES_THE_ENGAGEMENT = ["secretariat", "gwent_commissioner", "gwent_staff", "kent_commissioner"]
DOES_NOT = ["ho_lead", "dorset_commissioner", "surrey_ceo", "vcs_member", "admin", "outsider"]


@pytest.fixture
def engaged_policy(personas, moj_policy, open_engagement):
    triage(moj_policy, personas.moj_lead, merits=True)
    open_engagement(moj_policy)
    return moj_policy


@pytest.mark.parametrize("persona", SEES_THE_ENGAGEMENT)
def test_engagement_audience_sees_title_summary_and_stage_only(
    personas, client_for, engaged_policy, persona
):
    client = client_for(getattr(personas, persona))
    response = client.get(_page_url("detail", engaged_policy))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Secret-ish courts reform" in page
    assert "A new code of practice for victims of crime." in page
    assert engaged_policy.get_stage_display() in page
    for hidden in (
        "Triage",
        "Magnitude decision",
        "Major reform",  # the reason
        "Sensitivity screen",
        "Policy leads",
        "Priya Shah",
        "Key dates",
        "1 April 2028",
        "Stage history",
        "Engaged early?",
    ):
        assert hidden not in page, hidden
    for page_name in WRITE_PAGES:
        assert client.get(_page_url(page_name, engaged_policy)).status_code == 403


@pytest.mark.parametrize("persona", SEES_THE_ENGAGEMENT)
def test_engagement_audience_does_not_get_it_in_their_register(
    personas, client_for, engaged_policy, persona
):
    page = client_for(getattr(personas, persona)).get(reverse("policies:register")).content
    assert b"Secret-ish courts reform" not in page


@pytest.mark.parametrize("persona", DOES_NOT)
def test_outside_the_audience_still_not_found(personas, client_for, engaged_policy, persona):
    client = client_for(getattr(personas, persona))
    assert client.get(_page_url("detail", engaged_policy)).status_code == 404


def test_a_draft_engagement_shows_nobody_else_the_policy(
    personas, client_for, moj_policy, open_engagement
):
    triage(moj_policy, personas.moj_lead, merits=True)
    open_engagement(moj_policy, status="draft", opened_at=None)
    for persona in SEES_THE_ENGAGEMENT:
        client = client_for(getattr(personas, persona))
        assert client.get(_page_url("detail", moj_policy)).status_code == 404


@pytest.mark.parametrize("persona", SEES_THE_ENGAGEMENT)
def test_screened_out_policy_stays_with_its_owner_even_with_an_engagement(
    personas, client_for, moj_policy, open_engagement, persona
):
    """If an engagement exists when the policy is screened out, the policy still disappears
    from everyone but its owner."""
    triage(moj_policy, personas.moj_lead, merits=True)
    open_engagement(moj_policy)
    triage(moj_policy, personas.moj_lead, merits=True, national_security=True)
    client = client_for(getattr(personas, persona))
    assert client.get(_page_url("detail", moj_policy)).status_code == 404
    owner = client_for(personas.moj_lead).get(_page_url("detail", moj_policy))
    assert owner.status_code == 200
    assert "outside the protocol" in owner.content.decode()


# Superusers ------------------------------------------------------------------------------
# Being a Django superuser is no part in the protocol (ADR 0002): they get exactly what their
# memberships give them, no more.


def _make_superuser(user):
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


def test_a_superuser_without_memberships_finds_nothing(personas, client_for, moj_policy):
    client = client_for(_make_superuser(personas.admin))
    before = _state(moj_policy)
    for page in POLICY_PAGES:
        assert client.get(_page_url(page, moj_policy)).status_code == 404, page
    assert client.get(reverse("policies:new")).status_code == 403
    assert not client.get(reverse("policies:register")).context["page_obj"].object_list
    assert _state(moj_policy) == before


def test_a_superuser_in_the_audience_sees_title_summary_and_stage_only(
    personas, client_for, engaged_policy
):
    client = client_for(_make_superuser(personas.kent_commissioner))
    response = client.get(_page_url("detail", engaged_policy))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Secret-ish courts reform" in page
    for hidden in ("Triage", "Major reform", "Policy leads", "Key dates", "1 April 2028"):
        assert hidden not in page, hidden
    before = _state(engaged_policy)
    for page_name in WRITE_PAGES:
        url = _page_url(page_name, engaged_policy)
        assert client.get(url).status_code == 403, page_name
        assert client.post(url, {"title": "Changed", "stage": "closed"}).status_code == 403
    assert client.get(reverse("policies:new")).status_code == 403
    assert _state(engaged_policy) == before


def test_a_superuser_colleague_of_the_owner_reads_but_cannot_change(
    personas, client_for, moj_colleague, moj_policy
):
    client = client_for(_make_superuser(moj_colleague))
    detail = client.get(_page_url("detail", moj_policy))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Triage" in page
    assert reverse("policies:edit", args=[moj_policy.public_id]) not in page
    register = client.get(reverse("policies:register")).content.decode()
    assert reverse("policies:new") not in register
    assert client.get(reverse("policies:new")).status_code == 403
    before = _state(moj_policy)
    for page_name in WRITE_PAGES:
        assert client.get(_page_url(page_name, moj_policy)).status_code == 403, page_name
    assert (
        client.post(_page_url("edit", moj_policy), {"title": "x", "summary": "x"}).status_code
        == 403
    )
    assert _state(moj_policy) == before


def test_get_policy_for_user_refuses_a_superuser_who_is_not_a_lead(
    personas, moj_colleague, moj_policy
):
    from django.core.exceptions import PermissionDenied

    from engage.policies.selectors import get_policy_for_user

    user = _make_superuser(moj_colleague)
    assert get_policy_for_user(user, moj_policy.public_id) == moj_policy
    with pytest.raises(PermissionDenied):
        get_policy_for_user(user, moj_policy.public_id, write=True)
