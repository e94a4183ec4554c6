"""Writes to the policy register and its triage. Each records its own history.

Callers check permission first (`policies.change_policy`, `policies.triage_policy`); these
functions keep the data right: leads belong to the owning organisation, every stage move is
kept with who and when, and `triage_outcome` always follows from the magnitude decision and
the sensitivity screen (protocol principles 1 and 2).
"""

from collections.abc import Iterable
from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Organisation, User
from engage.accounts.selectors import members
from engage.audit.services import access_mark_confidential
from engage.core.services import lock, refresh, required_text, save
from engage.directory.models import PriorityTheme

from .models import SCREEN_GROUNDS, KeyDate, Policy, Stage, StageChange, TriageOutcome
from .signals import policy_screened_out


def _check_leads(owner: Organisation, leads: Iterable[User]) -> list[User]:
    leads = list(leads)
    if not leads:
        raise ValidationError({"policy_leads": _("Choose at least one policy lead")})
    in_owner = set(members(owner.pk).filter(user__in=leads).values_list("user_id", flat=True))
    if any(lead.pk not in in_owner for lead in leads):
        raise ValidationError(
            {"policy_leads": _("Policy leads must be members of %(org)s") % {"org": owner.name}}
        )
    return leads


@transaction.atomic
def policy_create(
    *,
    owner: Organisation,
    title: str,
    summary: str,
    created_by: User,
    stage: str = Stage.IDEA,
    themes: Iterable[PriorityTheme] = (),
    policy_leads: Iterable[User] | None = None,
) -> Policy:
    """Register a policy or reform of `owner`. The creator leads it unless others are named.
    The first row of its stage history is written with it."""
    if not owner.is_national:
        raise ValidationError(_("Only national departments and agencies register policies."))
    leads = _check_leads(owner, [created_by] if policy_leads is None else policy_leads)
    now = timezone.now()
    policy = Policy(
        owner=owner,
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        stage=stage,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    save(policy, created_by)
    policy.themes.set(themes)
    policy.policy_leads.set(leads)
    StageChange.objects.create(
        policy=policy, from_stage="", to_stage=policy.stage, changed_at=now, changed_by=created_by
    )
    return policy


@transaction.atomic
def policy_update(
    *,
    policy: Policy,
    title: str,
    summary: str,
    themes: Iterable[PriorityTheme],
    policy_leads: Iterable[User],
    by: User,
) -> Policy:
    """Change what the policy is: its title, summary, themes and leads (not its stage, which
    moves through `policy_change_stage`, nor its triage)."""
    current = lock(policy, "owner")
    leads = _check_leads(current.owner, policy_leads)
    current.title = (title or "").strip()
    current.summary = (summary or "").strip()
    save(current, by, ["title", "summary"], updated_at=timezone.now())
    current.themes.set(themes)
    current.policy_leads.set(leads)
    return refresh(policy, current)


@transaction.atomic
def policy_change_stage(*, policy: Policy, stage: str, by: User) -> StageChange:
    """Move the policy to another stage, keeping the move in its stage history."""
    current = lock(policy, "owner")
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage from the list")})
    if stage == current.stage:
        raise ValidationError(
            {"stage": _("The policy is already at this stage. Choose a different stage")}
        )
    now = timezone.now()
    change = StageChange(
        policy=current, from_stage=current.stage, to_stage=stage, changed_at=now, changed_by=by
    )
    change.full_clean()
    current.stage = stage
    save(current, by, ["stage"], updated_at=now)
    change.save()
    refresh(policy, current)
    return change


def triage_outcome_of(policy: Policy) -> str:
    """What the triage comes to. Any screen ground puts the policy outside the protocol,
    whatever the magnitude decision (or its absence); otherwise both steps must be done."""
    if policy.screened_at is not None and any(
        getattr(policy, field) for field, _label in SCREEN_GROUNDS
    ):
        return TriageOutcome.SCREENED_OUT
    if policy.screened_at is None or policy.merits_engagement is None:
        return TriageOutcome.UNTRIAGED
    return TriageOutcome.MERITS if policy.merits_engagement else TriageOutcome.NOT_MERITED


@transaction.atomic
def policy_record_magnitude(*, policy: Policy, merits: bool, reason: str, by: User) -> Policy:
    """The magnitude decision (principle 1): does the policy merit engagement with PCCs, why,
    decided by `by`, now. Deciding again replaces it; the history keeps the earlier one."""
    reason = required_text(
        reason, "reason", _("Explain why the policy does or does not merit engagement")
    )
    if not isinstance(merits, bool):
        raise ValidationError({"merits": _("Choose whether the policy merits engagement")})
    current = lock(policy, "owner")
    current.merits_engagement = merits
    current.magnitude_reason = reason
    current.magnitude_decided_by = by
    current.magnitude_decided_at = now = timezone.now()
    current.triage_outcome = triage_outcome_of(current)
    save(
        current,
        by,
        [
            "merits_engagement",
            "magnitude_reason",
            "magnitude_decided_by",
            "magnitude_decided_at",
            "triage_outcome",
        ],
        updated_at=now,
    )
    return refresh(policy, current)


@transaction.atomic
def policy_screen(
    *,
    policy: Policy,
    sensitive_information: bool,
    prosecutorial_independence: bool,
    judicial_independence: bool,
    national_security: bool,
    by: User,
    notes: str = "",
) -> Policy:
    """The sensitivity screen (principle 2). A yes to any question puts the policy outside the
    protocol. Screening again replaces the answers; the history keeps the earlier ones.

    Screening out a policy that already has engagements is allowed, not refused: the screen
    is what protects sensitive material, and refusing it would leave that material with the
    APCC and the audience until someone else acted (an engagement awaiting the APCC cannot
    even be withdrawn by its lead). So, in the same transaction, every engagement on it that
    is awaiting the APCC or open is closed (status closed, `closed_at` the time of the
    screen), each with a history record by `by`: the engagements app does it, on the
    `policy_screened_out` signal, so that policies need not import engagements. From then
    on only the owning organisation sees them (`Engagement.objects.visible_to`); drafts stay
    drafts, seen by the owner only, and cannot be moved on. Screening the policy back in
    later reopens nothing: the audience sees again, closed, what it had when open; what
    never opened it never sees."""
    answers = {
        "sensitive_information": sensitive_information,
        "prosecutorial_independence": prosecutorial_independence,
        "judicial_independence": judicial_independence,
        "national_security": national_security,
    }
    for field, value in answers.items():
        if not isinstance(value, bool):
            raise ValidationError({field: _("Answer yes or no")})
    current = lock(policy, "owner")
    for field, value in answers.items():
        setattr(current, field, value)
    current.screen_notes = (notes or "").strip()
    current.screened_by = by
    current.screened_at = now = timezone.now()
    current.triage_outcome = triage_outcome_of(current)
    save(
        current,
        by,
        [*answers, "screen_notes", "screened_by", "screened_at", "triage_outcome"],
        updated_at=now,
    )
    if current.is_screened_out:
        access_mark_confidential("policy", [current.public_id], current.owner)
        policy_screened_out.send(sender=Policy, policy=current, by=by, at=now)
    return refresh(policy, current)


def policy_can_be_engaged(policy: Policy) -> tuple[bool, str]:
    """Whether an engagement may be created on or routed for the policy, and if not, why.

    Engagement services call this before creating or routing an engagement. The reason
    speaks of the policy's triage (the screen's grounds included), which is for its owning
    organisation only: show anyone else `refusal_for_others()`."""
    outcome = policy.triage_outcome
    if outcome == TriageOutcome.MERITS:
        return True, ""
    if outcome == TriageOutcome.SCREENED_OUT:
        return False, _(
            "This policy is outside the protocol: its sensitivity screen found %(grounds)s. "
            "It cannot be engaged on or shared."
        ) % {"grounds": ", ".join(g.lower() for g in policy.screen_grounds)}
    if outcome == TriageOutcome.NOT_MERITED:
        return False, _(
            "The policy lead decided that this policy does not merit engagement with PCCs."
        )
    if policy.merits_engagement is None and policy.screened_at is None:
        return False, _(
            "This policy has not been triaged yet: record the magnitude decision and complete "
            "the sensitivity screen first."
        )
    if policy.merits_engagement is None:
        return False, _(
            "This policy has not been triaged yet: record the magnitude decision first."
        )
    return False, _("This policy has not been triaged yet: complete the sensitivity screen first.")


def refusal_for_others() -> str:
    """Why an engagement cannot go ahead, for someone outside the policy's owning
    organisation: no triage, no grounds (DESIGN.md section 6)."""
    return _("This engagement can no longer go ahead. The policy lead knows why.")


def _touch(policy: Policy, by: User) -> None:
    """Mark the policy as updated now (the register lists the latest first)."""
    current = lock(policy, "owner")
    save(current, by, [], updated_at=timezone.now(), clean=False)
    refresh(policy, current)


@transaction.atomic
def key_date_add(*, policy: Policy, kind: str, date: Date, by: User, label: str = "") -> KeyDate:
    """Add a key date (announcement, consultation, go-live or other) to the policy."""
    key_date = KeyDate(policy=policy, kind=kind, date=date, label=(label or "").strip())
    save(key_date, by)
    _touch(policy, by)
    return key_date


@transaction.atomic
def key_date_archive(*, key_date: KeyDate, by: User, reason: str) -> KeyDate:
    """Archive a key date that no longer applies, saying why. It leaves the policy's list of
    key dates but stays on record, with who archived it and when."""
    current = lock(key_date, "policy")
    if current.archived_at is not None:
        raise ValidationError(_("This key date has already been archived."))
    reason = required_text(reason, "reason", _("Say why this date no longer applies"))
    current.archived_at = timezone.now()
    current.archived_by = by
    current.archive_reason = reason
    save(current, by, ["archived_at", "archived_by", "archive_reason"])
    _touch(current.policy, by)
    return refresh(key_date, current)
