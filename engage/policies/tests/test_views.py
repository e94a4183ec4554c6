"""The register pages, as a policy lead uses them, and what bad input gets."""

from datetime import date

import pytest
from django.urls import reverse

from engage.accounts.models import Membership, Role
from engage.policies.models import KeyDate, Policy, Stage, StageChange, TriageOutcome

from .conftest import triage


@pytest.fixture
def lead(personas, client_for):
    return client_for(personas.moj_lead)


def _url(name, policy, *args):
    return reverse(f"policies:{name}", args=[policy.public_id, *args])


def _counts():
    return (
        Policy.objects.count(),
        Policy.history.count(),
        StageChange.objects.count(),
        KeyDate.objects.count(),
        KeyDate.history.count(),
    )


# The register ----------------------------------------------------------------------------


def test_register_lists_the_organisations_policies(lead, make_policy, themes):
    make_policy(title="Probation reform", themes=[themes[0]])
    make_policy(title="Courts backlog")
    response = lead.get(reverse("policies:register"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Probation reform" in page
    assert "Courts backlog" in page
    assert "2 policies" in page
    assert themes[0].name in page
    assert reverse("policies:new") in page


def test_register_empty_state(lead, personas):
    page = lead.get(reverse("policies:register")).content.decode()
    assert "0 policies" in page
    assert "has not registered any policies yet" in page


def test_register_filters_and_search(lead, personas, make_policy, themes):
    make_policy(title="Probation reform", themes=[themes[0]], stage=Stage.TESTING)
    courts = make_policy(title="Courts backlog", themes=[themes[1]])
    triage(courts, personas.moj_lead, merits=True)

    def titles(**params):
        response = lead.get(reverse("policies:register"), params)
        assert response.status_code == 200
        return [p.title for p in response.context["page_obj"].object_list]

    assert titles(q="probation") == ["Probation reform"]
    assert titles(stage="testing") == ["Probation reform"]
    assert titles(theme=themes[1].slug) == ["Courts backlog"]
    assert titles(triage="merits") == ["Courts backlog"]
    assert titles(triage="untriaged") == ["Probation reform"]
    assert titles(q="nothing like it") == []
    page = lead.get(reverse("policies:register"), {"q": "nothing like it"}).content.decode()
    assert "No policies match your search and filters." in page


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("stage", "Select a stage from the list"),
        ("theme", "Select a theme from the list"),
        ("triage", "Select a triage outcome from the list"),
    ],
)
def test_register_unknown_filter_value_is_explained_and_ignored(lead, make_policy, param, message):
    make_policy(title="Probation reform")
    response = lead.get(reverse("policies:register"), {param: "nonsense"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "Probation reform" in page


def test_register_paginates(lead, make_policy):
    for number in range(55):
        make_policy(title=f"Policy {number:02d}")
    first = lead.get(reverse("policies:register"))
    assert "55 policies" in first.content.decode()
    assert len(first.context["page_obj"].object_list) == 50
    second = lead.get(reverse("policies:register"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 5
    assert lead.get(reverse("policies:register"), {"page": "x"}).status_code == 200


def test_register_for_an_organisation_without_one(personas, client_for, make_policy):
    make_policy()
    page = client_for(personas.secretariat).get(reverse("policies:register")).content.decode()
    assert "Your organisation does not keep one" in page
    assert "Victims&#x27; code reform" not in page
    assert reverse("policies:new") not in page


def test_register_follows_the_organisation_acted_for(personas, client_for, make_policy, moj):
    """Someone in two national bodies sees the register of the one they act for."""
    make_policy(title="MoJ policy")
    person = personas.ho_lead
    Membership.objects.create(user=person, organisation=moj, role=Role.STAFF)
    client = client_for(person)
    assert "MoJ policy" not in client.get(reverse("policies:register")).content.decode()
    client.post(reverse("accounts:switch_organisation"), {"organisation": str(moj.public_id)})
    assert "MoJ policy" in client.get(reverse("policies:register")).content.decode()


# Adding and editing ----------------------------------------------------------------------


def test_add_a_policy(lead, personas, themes):
    form = lead.get(reverse("policies:new"))
    assert form.status_code == 200
    assert form.context["form"]["policy_leads"].value() == [personas.moj_lead.pk]
    response = lead.post(
        reverse("policies:new"),
        {
            "title": "Probation reform",
            "summary": "Unifying probation.",
            "stage": "development",
            "policy_leads": [personas.moj_lead.pk],
            "themes": [themes[0].slug, themes[1].slug],
        },
    )
    policy = Policy.objects.get()
    assert response.status_code == 302
    assert response.url == _url("detail", policy)
    assert policy.owner.slug == "moj"
    assert policy.stage == Stage.DEVELOPMENT
    assert policy.stage_changes.count() == 1
    assert set(policy.themes.all()) == set(themes[:2])
    assert policy.history.earliest().history_user == personas.moj_lead


def test_add_with_missing_title_and_summary_keeps_what_was_typed(lead, personas):
    before = _counts()
    response = lead.post(
        reverse("policies:new"),
        {"title": "", "summary": "", "stage": "idea", "policy_leads": [personas.moj_lead.pk]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_title">Enter the title of the policy or reform</a>' in page
    assert '<a href="#id_summary">Enter a summary of the policy or reform</a>' in page
    assert _counts() == before

    response = lead.post(
        reverse("policies:new"),
        {"title": "Typed title", "summary": "", "policy_leads": [personas.moj_lead.pk]},
    )
    page = response.content.decode()
    assert 'value="Typed title"' in page
    assert "Choose the stage the policy is at" in page
    assert _counts() == before


def test_add_refuses_a_lead_from_outside_the_organisation(lead, personas):
    before = _counts()
    response = lead.post(
        reverse("policies:new"),
        {
            "title": "Probation",
            "summary": "Summary",
            "stage": "idea",
            "policy_leads": [personas.ho_lead.pk],
        },
    )
    assert response.status_code == 200
    assert "Choose policy leads from your organisation" in response.content.decode()
    assert _counts() == before


def test_edit_a_policy(lead, personas, policy, themes, moj_colleague):
    form = lead.get(_url("edit", policy))
    assert form.status_code == 200
    assert "stage" not in form.context["form"].fields
    response = lead.post(
        _url("edit", policy),
        {
            "title": "Victims' code (revised)",
            "summary": "Revised",
            "policy_leads": [moj_colleague.pk],
            "themes": [themes[2].slug],
        },
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.title == "Victims' code (revised)"
    assert list(policy.policy_leads.all()) == [moj_colleague]
    assert list(policy.themes.all()) == [themes[2]]


def test_edit_with_missing_title_changes_nothing(lead, personas, policy):
    before = _counts()
    response = lead.post(
        _url("edit", policy),
        {"title": "", "summary": "Changed", "policy_leads": [personas.moj_lead.pk]},
    )
    assert response.status_code == 200
    assert "Enter the title of the policy or reform" in response.content.decode()
    assert _counts() == before
    policy.refresh_from_db()
    assert policy.summary == "A new code of practice for victims of crime."


# Stage -----------------------------------------------------------------------------------


def test_change_stage(lead, personas, policy):
    response = lead.post(_url("stage", policy), {"stage": "testing"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.stage == Stage.TESTING
    page = lead.get(_url("detail", policy)).content.decode()
    assert "moved to the testing stage" in page
    assert "Stage history" in page


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        ("development", "already at this stage"),
        ("launched", "Choose a stage from the list"),
        ("", "Choose the stage the policy is at now"),
    ],
)
def test_change_stage_bad_input(lead, policy, stage, message):
    before = _counts()
    response = lead.post(_url("stage", policy), {"stage": stage})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _counts() == before


# Triage ----------------------------------------------------------------------------------


def test_record_magnitude_decision(lead, personas, policy):
    response = lead.post(_url("magnitude", policy), {"merits": "yes", "reason": "Major reform"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.merits_engagement is True
    assert policy.magnitude_decided_by == personas.moj_lead
    page = lead.get(_url("detail", policy)).content.decode()
    assert "Major reform" in page
    assert "Priya Shah" in page


def test_magnitude_without_a_reason_changes_nothing(lead, policy):
    before = _counts()
    response = lead.post(_url("magnitude", policy), {"merits": "no", "reason": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<a href="#id_reason">Explain why the policy does or does not merit engagement</a>' in page
    )
    assert 'value="no" checked' in page
    assert _counts() == before


def test_magnitude_without_an_answer(lead, policy):
    response = lead.post(_url("magnitude", policy), {"reason": "Because"})
    page = response.content.decode()
    assert (
        '<a href="#id_merits_0">Choose whether the policy merits engagement with PCCs</a>' in page
    )
    assert "Because" in page


SCREEN_NO = {
    "sensitive_information": "no",
    "prosecutorial_independence": "no",
    "judicial_independence": "no",
    "national_security": "no",
}


def test_screen_and_merits_make_it_engageable(lead, personas, policy):
    lead.post(_url("magnitude", policy), {"merits": "yes", "reason": "Major"})
    response = lead.post(_url("screen", policy), {**SCREEN_NO, "notes": "Checked"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.triage_outcome == TriageOutcome.MERITS
    page = lead.get(_url("detail", policy)).content.decode()
    assert "Merits engagement" in page
    assert "outside the protocol" not in page
    assert f"{reverse('engagements:new')}?policy={policy.public_id}" in page
    assert "Start an engagement" in page


def test_screened_out_policy_page_explains_and_offers_no_engagement(lead, personas, policy):
    lead.post(_url("magnitude", policy), {"merits": "yes", "reason": "Major"})
    response = lead.post(
        _url("screen", policy),
        {**SCREEN_NO, "prosecutorial_independence": "yes", "national_security": "yes"},
    )
    assert response.status_code == 302
    page = lead.get(_url("detail", policy)).content.decode()
    assert "govuk-warning-text" in page
    assert "This policy is outside the protocol" in page
    assert "Implications for prosecutorial independence" in page
    assert "Implications for national security" in page
    assert "Implications for judicial independence</li>" not in page
    assert 'id="engagement"' not in page
    assert "Start an engagement" not in page
    assert reverse("engagements:new") not in page
    assert "The screen has been recorded. The policy is outside the protocol." in page


def test_untriaged_policy_page_says_what_is_missing(lead, policy):
    page = lead.get(_url("detail", policy)).content.decode()
    assert "record the magnitude decision and complete the sensitivity screen first" in page


def test_screen_with_missing_answers_changes_nothing(lead, policy):
    before = _counts()
    response = lead.post(_url("screen", policy), {"sensitive_information": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#id_national_security_0">Answer yes or no</a>' in page
    assert _counts() == before
    policy.refresh_from_db()
    assert policy.screened_at is None


def test_rescreen_shows_every_decision(lead, personas, policy):
    triage(policy, personas.moj_lead, sensitive_information=True)
    lead.post(_url("screen", policy), {**SCREEN_NO, "notes": "Sensitive part dropped"})
    page = lead.get(_url("detail", policy)).content.decode()
    assert "All triage decisions" in page
    assert "screened out: Sensitive information" in page
    assert "Sensitive part dropped" in page


# Key dates -------------------------------------------------------------------------------


def _key_date(day: str, month: str, year: str) -> dict[str, str]:
    return {"date_0": day, "date_1": month, "date_2": year}


def test_add_a_key_date(lead, policy):
    form = lead.get(_url("key_date_new", policy)).content.decode()
    assert 'type="date"' not in form  # the GOV.UK date input, not a browser date picker
    assert 'name="date_0"' in form
    assert 'name="date_1"' in form
    assert 'name="date_2"' in form
    response = lead.post(
        _url("key_date_new", policy),
        {"kind": "consultation", **_key_date("4", "5", "2027"), "label": "Public consultation"},
    )
    assert response.status_code == 302
    key_date = policy.key_dates.get()
    assert key_date.date == date(2027, 5, 4)
    page = lead.get(_url("detail", policy)).content.decode()
    assert "4 May 2027" in page
    assert "Public consultation" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("30", "2", "2027"), "The date must be a real date"),
        (("soon", "", ""), "The date must include a month and year"),
        (("", "", ""), "Enter the date"),
        (("1", "1", "3027"), "The date must be between 1990 and 2100"),
        (("1", "1", "27"), "The year of the date must be four digits, like 2026"),
    ],
)
def test_key_date_with_a_bad_date_changes_nothing(lead, policy, typed, message):
    before = _counts()
    response = lead.post(
        _url("key_date_new", policy), {"kind": "go_live", "label": "Typed", **_key_date(*typed)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="#id_date_0">{message}</a>' in page
    assert 'value="Typed"' in page
    assert _counts() == before


def test_archive_a_key_date_after_confirming_with_a_reason(lead, personas, policy):
    lead.post(_url("key_date_new", policy), {"kind": "go_live", **_key_date("1", "4", "2028")})
    key_date = policy.key_dates.get()
    url = _url("key_date_archive", policy, key_date.public_id)
    confirm = lead.get(url)
    assert confirm.status_code == 200
    assert "Archive the Go-live date, 1 April 2028?" in confirm.content.decode()

    missing = lead.post(url, {"reason": ""})
    assert missing.status_code == 200
    assert '<a href="#id_reason">Say why this date no longer applies</a>' in (
        missing.content.decode()
    )
    key_date.refresh_from_db()
    assert key_date.archived_at is None

    response = lead.post(url, {"reason": "The go-live moved to 2029."})
    assert response.status_code == 302
    assert not policy.key_dates.current().exists()
    key_date.refresh_from_db()
    assert key_date.archived_by == personas.moj_lead
    page = lead.get(_url("detail", policy)).content.decode()
    assert "1 archived key date" in page
    assert "The go-live moved to 2029." in page
    assert lead.get(url).status_code == 404  # archived: no longer offered


def test_archive_a_key_date_of_another_policy_is_not_found(lead, make_policy):
    first, second = make_policy(title="First"), make_policy(title="Second")
    lead.post(_url("key_date_new", second), {"kind": "go_live", **_key_date("1", "4", "2028")})
    key_date = second.key_dates.get()
    url = _url("key_date_archive", first, key_date.public_id)
    assert lead.post(url, {"reason": "Wrong policy."}).status_code == 404
    assert second.key_dates.current().exists()


# Addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/policies/not-a-uuid/",
        "/policies/12345/edit/",
        "/policies/00000000-0000-0000-0000-00000000000g/",
    ],
)
def test_malformed_address_is_not_found(lead, path):
    assert lead.get(path).status_code == 404


def test_unknown_policy_is_not_found(lead):
    assert lead.get("/policies/8d0b6f2e-6f7e-4d5c-9a1b-2c3d4e5f6a7b/").status_code == 404


# Navigation ------------------------------------------------------------------------------


def _nav_links(html: str) -> list[str]:
    import re

    return re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"', html)


def test_policies_in_the_navigation_of_national_members_only(personas, client_for, policy):
    register = reverse("policies:register")
    lead_page = client_for(personas.moj_lead).get(_url("detail", policy)).content.decode()
    assert _nav_links(lead_page)[:3] == [
        reverse("core:home"),
        reverse("engagements:inbox"),
        register,
    ]
    assert f'href="{register}" aria-current="true"' in lead_page  # its section is active
    for persona in ("secretariat", "gwent_commissioner", "vcs_member", "admin", "outsider"):
        page = client_for(getattr(personas, persona)).get(reverse("core:home")).content.decode()
        assert register not in _nav_links(page), persona


# The engagement timeline -----------------------------------------------------------------


def test_timeline_shows_engagements_in_opening_order_with_their_stage(
    lead, personas, make_policy, open_engagement
):
    from datetime import timedelta

    from django.utils import timezone

    policy = make_policy(stage=Stage.IMPLEMENTATION)
    triage(policy, personas.moj_lead)
    now = timezone.now()
    later = open_engagement(
        policy,
        title="Implementation update",
        kind="implementation",
        opened_at=now,
        stage_at_opening=Stage.IMPLEMENTATION,
    )
    earlier = open_engagement(
        policy,
        title="Early engagement on the design",
        kind="early",
        opened_at=now - timedelta(days=90),
        stage_at_opening=Stage.DEVELOPMENT,
    )
    open_engagement(policy, title="Draft notice", status="draft", opened_at=None)

    response = lead.get(_url("detail", policy))
    entries = response.context["timeline"].entries
    assert [e.title for e in entries] == [
        "Early engagement on the design",
        "Implementation update",
        "Draft notice",  # the owner sees its drafts; not yet opened, so last
    ]
    assert [e.stage_label for e in entries[:2]] == ["Development", "Implementation"]
    page = response.content.decode()
    assert "Yes. The first engagement opened on" in page
    assert "at the development stage" in page
    assert reverse("engagements:detail", args=[earlier.public_id]) in page
    assert reverse("engagements:detail", args=[later.public_id]) in page
    assert "Early engagement" in page  # the kind
    assert page.index("Early engagement on the design") < page.index("Implementation update")


def test_timeline_says_when_the_first_engagement_came_late(
    lead, personas, make_policy, open_engagement
):
    policy = make_policy(stage=Stage.EVALUATION)
    triage(policy, personas.moj_lead)
    open_engagement(policy, kind="implementation")
    page = lead.get(_url("detail", policy)).content.decode()
    assert "No. The first engagement opened on" in page
    assert "at the evaluation stage: after development and testing" in page


def test_timeline_before_any_engagement(lead, policy):
    page = lead.get(_url("detail", policy)).content.decode()
    assert "No engagement on this policy has opened yet." in page
    assert "There are no engagements on this policy." in page
