"""The register's writes: stage history, triage outcomes, key dates, and what may be engaged."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engage.accounts.models import Organisation
from engage.policies import services
from engage.policies.models import KeyDate, Policy, Stage, StageChange, TriageOutcome

from .conftest import triage

NO_GROUNDS = {
    "sensitive_information": False,
    "prosecutorial_independence": False,
    "judicial_independence": False,
    "national_security": False,
}


# Registering and editing -----------------------------------------------------------------


def test_create_leads_with_creator_and_writes_first_stage_row(personas, moj, themes):
    policy = services.policy_create(
        owner=moj,
        title="  Probation reform  ",
        summary="Unifying probation services.",
        created_by=personas.moj_lead,
        stage=Stage.DEVELOPMENT,
        themes=themes[:2],
    )
    assert policy.title == "Probation reform"
    assert list(policy.policy_leads.all()) == [personas.moj_lead]
    assert set(policy.themes.all()) == set(themes[:2])
    assert policy.triage_outcome == TriageOutcome.UNTRIAGED
    (first,) = policy.stage_changes.all()
    assert (first.from_stage, first.to_stage, first.changed_by) == (
        "",
        Stage.DEVELOPMENT,
        personas.moj_lead,
    )
    record = policy.history.earliest()
    assert record.history_type == "+"
    assert record.history_user == personas.moj_lead


def test_create_with_named_leads_of_the_organisation(personas, moj, moj_colleague):
    policy = services.policy_create(
        owner=moj,
        title="Courts backlog",
        summary="Clearing the Crown Court backlog.",
        created_by=personas.moj_lead,
        policy_leads=[moj_colleague],
    )
    assert list(policy.policy_leads.all()) == [moj_colleague]


@pytest.mark.parametrize(
    ("title", "summary", "field"),
    [("", "A summary", "title"), ("   ", "A summary", "title"), ("A title", "", "summary")],
)
def test_create_refuses_missing_title_or_summary(personas, moj, title, summary, field):
    with pytest.raises(ValidationError) as caught:
        services.policy_create(
            owner=moj, title=title, summary=summary, created_by=personas.moj_lead
        )
    assert field in caught.value.message_dict
    assert not Policy.objects.exists()
    assert not StageChange.objects.exists()


def test_create_refuses_leads_from_another_organisation(personas, moj):
    with pytest.raises(ValidationError) as caught:
        services.policy_create(
            owner=moj,
            title="Courts backlog",
            summary="Clearing the backlog.",
            created_by=personas.moj_lead,
            policy_leads=[personas.ho_lead],
        )
    assert "policy_leads" in caught.value.message_dict
    assert not Policy.objects.exists()


def test_create_refuses_no_leads(personas, moj):
    with pytest.raises(ValidationError):
        services.policy_create(
            owner=moj,
            title="Courts backlog",
            summary="Clearing the backlog.",
            created_by=personas.moj_lead,
            policy_leads=[],
        )
    assert not Policy.objects.exists()


def test_only_national_organisations_register_policies(personas):
    apcc = Organisation.objects.get(slug="apcc")
    with pytest.raises(ValidationError):
        services.policy_create(
            owner=apcc, title="A policy", summary="Summary", created_by=personas.secretariat
        )
    assert not Policy.objects.exists()


def test_update_changes_text_themes_and_leads_not_stage(personas, policy, themes, moj_colleague):
    services.policy_update(
        policy=policy,
        title="Victims' code reform (revised)",
        summary="Revised summary.",
        themes=[themes[2]],
        policy_leads=[personas.moj_lead, moj_colleague],
        by=personas.moj_lead,
    )
    policy.refresh_from_db()
    assert policy.title == "Victims' code reform (revised)"
    assert policy.stage == Stage.DEVELOPMENT
    assert list(policy.themes.all()) == [themes[2]]
    assert set(policy.policy_leads.all()) == {personas.moj_lead, moj_colleague}
    assert policy.history.latest().history_user == personas.moj_lead
    assert policy.history.filter(title="Victims' code reform").exists()


def test_update_with_bad_input_changes_nothing(personas, policy):
    before = policy.history.count()
    with pytest.raises(ValidationError):
        services.policy_update(
            policy=policy,
            title="",
            summary="Still here",
            themes=[],
            policy_leads=[personas.moj_lead],
            by=personas.moj_lead,
        )
    policy.refresh_from_db()
    assert policy.title == "Victims' code reform"
    assert policy.history.count() == before


# Stage history ---------------------------------------------------------------------------


def test_stage_changes_are_kept_in_order_with_who_and_when(personas, policy):
    services.policy_change_stage(policy=policy, stage=Stage.TESTING, by=personas.moj_lead)
    services.policy_change_stage(policy=policy, stage=Stage.IMPLEMENTATION, by=personas.moj_lead)
    assert policy.stage == Stage.IMPLEMENTATION
    policy.refresh_from_db()
    assert policy.stage == Stage.IMPLEMENTATION
    moves = list(policy.stage_changes.values_list("from_stage", "to_stage"))
    assert moves == [
        ("", Stage.DEVELOPMENT),
        (Stage.DEVELOPMENT, Stage.TESTING),
        (Stage.TESTING, Stage.IMPLEMENTATION),
    ]
    changes = list(policy.stage_changes.all())
    assert all(change.changed_by == personas.moj_lead for change in changes)
    assert changes[0].changed_at <= changes[1].changed_at <= changes[2].changed_at


@pytest.mark.parametrize("stage", [Stage.DEVELOPMENT, "launched", ""])
def test_stage_change_refuses_same_or_unknown_stage(personas, policy, stage):
    with pytest.raises(ValidationError) as caught:
        services.policy_change_stage(policy=policy, stage=stage, by=personas.moj_lead)
    assert "stage" in caught.value.message_dict
    policy.refresh_from_db()
    assert policy.stage == Stage.DEVELOPMENT
    assert policy.stage_changes.count() == 1


# Triage ----------------------------------------------------------------------------------


def test_untriaged_until_both_steps_are_done(personas, policy):
    services.policy_record_magnitude(
        policy=policy, merits=True, reason="Changes local commissioning", by=personas.moj_lead
    )
    assert policy.triage_outcome == TriageOutcome.UNTRIAGED
    assert policy.merits_engagement is True
    assert policy.magnitude_decided_by == personas.moj_lead
    assert policy.magnitude_decided_at is not None

    services.policy_screen(policy=policy, by=personas.moj_lead, notes="Nothing", **NO_GROUNDS)
    assert policy.triage_outcome == TriageOutcome.MERITS
    policy.refresh_from_db()
    assert policy.triage_outcome == TriageOutcome.MERITS
    assert policy.screened_by == personas.moj_lead
    assert policy.screen_notes == "Nothing"


def test_screen_first_then_magnitude(personas, policy):
    services.policy_screen(policy=policy, by=personas.moj_lead, **NO_GROUNDS)
    assert policy.triage_outcome == TriageOutcome.UNTRIAGED
    services.policy_record_magnitude(
        policy=policy, merits=False, reason="Internal process only", by=personas.moj_lead
    )
    assert policy.triage_outcome == TriageOutcome.NOT_MERITED


@pytest.mark.parametrize(
    "ground",
    [
        "sensitive_information",
        "prosecutorial_independence",
        "judicial_independence",
        "national_security",
    ],
)
@pytest.mark.parametrize("merits", [True, False, None])
def test_any_ground_screens_out_whatever_the_magnitude(personas, policy, ground, merits):
    if merits is not None:
        services.policy_record_magnitude(
            policy=policy, merits=merits, reason="Decided", by=personas.moj_lead
        )
    services.policy_screen(policy=policy, by=personas.moj_lead, **{**NO_GROUNDS, ground: True})
    policy.refresh_from_db()
    assert policy.triage_outcome == TriageOutcome.SCREENED_OUT
    assert policy.is_screened_out
    assert len(policy.screen_grounds) == 1


def test_magnitude_after_screen_out_keeps_it_out(personas, policy):
    services.policy_screen(
        policy=policy, by=personas.moj_lead, **{**NO_GROUNDS, "national_security": True}
    )
    services.policy_record_magnitude(
        policy=policy, merits=True, reason="Major", by=personas.moj_lead
    )
    assert policy.triage_outcome == TriageOutcome.SCREENED_OUT


def test_rescreening_is_allowed_and_history_is_kept(personas, policy):
    triage(policy, personas.moj_lead, judicial_independence=True)
    assert policy.triage_outcome == TriageOutcome.SCREENED_OUT
    services.policy_screen(
        policy=policy, by=personas.moj_lead, notes="Judicial element removed", **NO_GROUNDS
    )
    assert policy.triage_outcome == TriageOutcome.MERITS
    outcomes = list(
        policy.history.order_by("history_date", "history_id").values_list(
            "triage_outcome", flat=True
        )
    )
    assert TriageOutcome.SCREENED_OUT in outcomes
    assert outcomes[-1] == TriageOutcome.MERITS
    assert policy.history.filter(judicial_independence=True).exists()


def test_redeciding_magnitude_moves_the_outcome(personas, policy):
    triage(policy, personas.moj_lead, merits=True)
    assert policy.triage_outcome == TriageOutcome.MERITS
    services.policy_record_magnitude(
        policy=policy, merits=False, reason="Scope reduced", by=personas.moj_lead
    )
    assert policy.triage_outcome == TriageOutcome.NOT_MERITED
    assert policy.history.filter(merits_engagement=True).exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_magnitude_needs_a_reason(personas, policy, reason):
    before = policy.history.count()
    with pytest.raises(ValidationError) as caught:
        services.policy_record_magnitude(
            policy=policy, merits=True, reason=reason, by=personas.moj_lead
        )
    assert "reason" in caught.value.message_dict
    policy.refresh_from_db()
    assert policy.merits_engagement is None
    assert policy.history.count() == before


def test_screen_needs_yes_or_no_answers(personas, policy):
    with pytest.raises(ValidationError):
        services.policy_screen(
            policy=policy, by=personas.moj_lead, **{**NO_GROUNDS, "national_security": None}
        )
    policy.refresh_from_db()
    assert policy.screened_at is None


def test_the_database_refuses_an_inconsistent_outcome(policy):
    """The constraints back the services: a ground without screened_out cannot be stored."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(pk=policy.pk).update(national_security=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(pk=policy.pk).update(triage_outcome=TriageOutcome.MERITS)


# What may be engaged ---------------------------------------------------------------------


def test_can_be_engaged_only_when_merited(personas, policy):
    allowed, reason = services.policy_can_be_engaged(policy)
    assert not allowed
    assert "magnitude decision" in reason
    assert "sensitivity screen" in reason

    services.policy_record_magnitude(policy=policy, merits=True, reason="Big", by=personas.moj_lead)
    allowed, reason = services.policy_can_be_engaged(policy)
    assert not allowed
    assert "sensitivity screen" in reason
    assert "magnitude" not in reason

    services.policy_screen(policy=policy, by=personas.moj_lead, **NO_GROUNDS)
    assert services.policy_can_be_engaged(policy) == (True, "")


def test_cannot_be_engaged_without_magnitude_decision(personas, policy):
    services.policy_screen(policy=policy, by=personas.moj_lead, **NO_GROUNDS)
    allowed, reason = services.policy_can_be_engaged(policy)
    assert not allowed
    assert "magnitude decision" in reason
    assert "screen" not in reason


def test_cannot_be_engaged_when_not_merited(personas, policy):
    triage(policy, personas.moj_lead, merits=False)
    allowed, reason = services.policy_can_be_engaged(policy)
    assert not allowed
    assert "does not merit engagement" in reason


def test_cannot_be_engaged_when_screened_out_and_says_why(personas, policy):
    triage(
        policy, personas.moj_lead, merits=True, national_security=True, sensitive_information=True
    )
    allowed, reason = services.policy_can_be_engaged(policy)
    assert not allowed
    assert "outside the protocol" in reason
    assert "national security" in reason
    assert "sensitive information" in reason


# Key dates -------------------------------------------------------------------------------


def test_key_dates_are_added_and_archived_with_a_reason(personas, policy):
    go_live = services.key_date_add(
        policy=policy, kind="go_live", date=date(2028, 4, 1), label="Go-live", by=personas.moj_lead
    )
    services.key_date_add(
        policy=policy, kind="announcement", date=date(2027, 6, 1), by=personas.moj_lead
    )
    assert [k.kind for k in policy.key_dates.current()] == ["announcement", "go_live"]

    services.key_date_archive(key_date=go_live, by=personas.moj_lead, reason="Moved to 2029.")
    assert [k.kind for k in policy.key_dates.current()] == ["announcement"]
    archived = policy.key_dates.archived().get()
    assert archived.public_id == go_live.public_id  # kept, not deleted
    assert archived.archived_by == personas.moj_lead
    assert archived.archive_reason == "Moved to 2029."
    assert archived.archived_at is not None
    record = KeyDate.history.filter(public_id=go_live.public_id).latest("history_date")
    assert record.history_user == personas.moj_lead
    assert not KeyDate.history.filter(history_type="-").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_archiving_a_key_date_needs_a_reason_and_changes_nothing(personas, policy, reason):
    key_date = services.key_date_add(
        policy=policy, kind="go_live", date=date(2028, 4, 1), by=personas.moj_lead
    )
    with pytest.raises(ValidationError) as exc:
        services.key_date_archive(key_date=key_date, by=personas.moj_lead, reason=reason)
    assert "reason" in exc.value.message_dict
    key_date.refresh_from_db()
    assert key_date.archived_at is None


def test_a_key_date_is_archived_once(personas, policy):
    key_date = services.key_date_add(
        policy=policy, kind="go_live", date=date(2028, 4, 1), by=personas.moj_lead
    )
    services.key_date_archive(key_date=key_date, by=personas.moj_lead, reason="Moved.")
    with pytest.raises(ValidationError, match="already been archived"):
        services.key_date_archive(key_date=key_date, by=personas.moj_lead, reason="Again.")
    key_date.refresh_from_db()
    assert key_date.archive_reason == "Moved."


@pytest.mark.parametrize(
    ("kind", "when"), [("launch", date(2027, 1, 1)), ("other", None), ("other", "2027-02-30")]
)
def test_key_date_refuses_bad_kind_or_date(personas, policy, kind, when):
    with pytest.raises(ValidationError):
        services.key_date_add(policy=policy, kind=kind, date=when, by=personas.moj_lead)
    assert not policy.key_dates.exists()
    assert not KeyDate.history.exists()


# Screening out a policy with engagements ----------------------------------------------------


def test_screening_out_closes_the_live_engagements_in_the_same_transaction(
    personas, policy, open_engagement
):
    from engage.engagements.models import Engagement

    triage(policy, personas.moj_lead, merits=True)
    live = open_engagement(policy)
    waiting = open_engagement(policy, title="Waiting", status="awaiting_apcc", opened_at=None)
    draft = open_engagement(policy, title="Draft", status="draft", opened_at=None)

    triage(policy, personas.moj_lead, merits=True, prosecutorial_independence=True)

    statuses = dict(Engagement.objects.values_list("pk", "status"))
    assert statuses == {live.pk: "closed", waiting.pk: "closed", draft.pk: "draft"}
    assert set(
        Engagement.objects.filter(pk__in=[live.pk, waiting.pk]).values_list("closed_at", flat=True)
    ) == {policy.screened_at}
    assert live.history.latest("history_date").history_user == personas.moj_lead


def test_a_failed_screen_closes_nothing(personas, policy, open_engagement, monkeypatch):
    from engage.engagements import services as engagement_services
    from engage.engagements.models import Engagement

    triage(policy, personas.moj_lead, merits=True)
    live = open_engagement(policy)

    real = engagement_services.engagements_close_for_screened_out_policy

    def close_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("after the closures")

    monkeypatch.setattr(
        engagement_services, "engagements_close_for_screened_out_policy", close_then_fail
    )
    with pytest.raises(RuntimeError):
        triage(policy, personas.moj_lead, merits=True, national_security=True)
    assert Engagement.objects.get(pk=live.pk).status == "open"
    policy.refresh_from_db()
    assert policy.triage_outcome == TriageOutcome.MERITS
