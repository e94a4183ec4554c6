"""Writes for impact evidence and impact cases.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied), then the
input (ValidationError with a message for the page, keyed by form field where there is one),
and attributes history records to the person acting. A refused write changes nothing.

Decisions:
- Evidence belongs to the voluntary organisation the person acts for; only its members record,
  change, share, unshare and delete it (`rules.py`).
- The priority it addresses is one of the current plans of the bodies whose areas the
  organisation serves; the body is the priority's. A priority of another body, of a superseded
  plan, or an id that names nothing gets one message: "Choose a priority from the plans of the
  areas you serve". Evidence being changed may keep the priority it has, even one of a plan
  since replaced; a priority changed must be of a current plan.
- Outcomes come as rows; a row left blank is ignored; at least one is needed; a result needs
  its measure.
- Attachments are read and checked as documents are (`documents.uploads.read_upload`: type by
  content, size); one bad file refuses the whole write and nothing is stored. A record has at
  most MAX_ATTACHMENTS files (those it has and those added). Each file is checked and stored
  before the next is read, so only one upload's bytes are held at a time.
- Sharing sends the evidence (or the case) to the body's members; unsharing takes it back.
  Changing shared evidence's priority to one of another body unshares it (a case's body does
  not change).
- Deleting evidence deletes its outcomes and attachments (their files are removed once the
  deletion is committed); the history keeps what it said.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Organisation, User
from engage.core.services import as_history_user, lock, refresh, save
from engage.directory.models import PlanPriority, PolicingBody
from engage.documents.uploads import Upload, read_upload

from .models import EvidenceAttachment, EvidenceOutcome, ImpactCase, ImpactEvidence

RECORD = "impact.record_evidence"
CHANGE_EVIDENCE = "impact.change_evidence"
MAKE_CASE = "impact.make_case"
CHANGE_CASE = "impact.change_case"
MAX_TITLE = 200
MAX_TEXT = 5_000
MAX_MONEY = Decimal("9999999999.99")
MAX_ATTACHMENTS = 10  # files on one piece of evidence, those it has and those added
OUTCOME_FIELDS = ("description", "measure", "baseline", "result")
OUTCOME_LIMITS = {"description": 300, "measure": 200, "baseline": 100, "result": 100}


class _Errors:
    """Collects the input's errors by field, so the page shows them all at once."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def check(self, condition: object, field: str, message: str) -> None:
        if not condition and field not in self.found:
            self.found[field] = message

    def text(self, value: str | None, field: str, missing: str | None, limit: int) -> str:
        text = (value or "").strip()
        if missing is not None:
            self.check(text, field, missing)
        self.check(
            len(text) <= limit,
            field,
            _("Keep this to %(max)s characters or fewer") % {"max": f"{limit:,}"},
        )
        return text

    def raise_any(self) -> None:
        if self.found:
            raise ValidationError(self.found)


def outcome_field(row: int, name: str) -> str:
    """The form field of an outcome row's part: row 1's measure is "outcome_1_measure"."""
    return f"outcome_{row}_{name}"


@dataclass(frozen=True)
class EvidenceInput:
    """What a person says about the evidence (the form's cleaned data)."""

    priority: str  # the priority's public id, as posted
    title: str
    summary: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    people_reached: int | None
    outcomes: Sequence[Mapping[str, str]]  # rows of description, measure, baseline, result
    cost: Decimal | None = None
    savings: Decimal | None = None
    evaluation: str = ""


# Checks --------------------------------------------------------------------------------------


def _require_perm(perm: str, user: User, obj) -> None:
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


def priority_for(
    organisation: Organisation, public_id: str | None, *, kept: PlanPriority | None = None
) -> PlanPriority | None:
    """The priority named by `public_id` if it is one of the current plans of the bodies whose
    areas `organisation` serves; else None (another body's, a superseded plan's, or none).
    `kept` (the priority evidence being changed has) is accepted as it is, even on a plan
    since replaced: a correction need not move the evidence to another priority."""
    try:
        wanted = str(public_id or "").strip()
        if not wanted:
            return None
        if kept is not None and wanted == str(kept.public_id):
            return kept
        return (
            PlanPriority.objects.filter(
                public_id=wanted,
                plan__superseded_at__isnull=True,
                body__in=organisation.areas_served.all(),
            )
            .select_related("body", "plan")
            .first()
        )
    except ValidationError:  # not a UUID
        return None


def _money(errors: _Errors, value: Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    errors.check(value >= 0, field, _("Enter an amount of £0 or more"))
    errors.check(value <= MAX_MONEY, field, _("Enter a smaller amount"))
    return value


def _outcomes(errors: _Errors, rows: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """The rows filled in, each checked; blank rows ignored; at least one."""
    kept = []
    for number, row in enumerate(rows, start=1):
        values = {name: (row.get(name) or "").strip() for name in OUTCOME_FIELDS}
        if not any(values.values()):
            continue
        for name in OUTCOME_FIELDS:
            errors.check(
                len(values[name]) <= OUTCOME_LIMITS[name],
                outcome_field(number, name),
                _("Keep this to %(max)s characters or fewer") % {"max": OUTCOME_LIMITS[name]},
            )
        errors.check(
            values["description"],
            outcome_field(number, "description"),
            _("Describe the outcome in this row"),
        )
        errors.check(
            not values["result"] or values["measure"],
            outcome_field(number, "measure"),
            _("Enter the measure for this result"),
        )
        kept.append(values)
    errors.check(kept, outcome_field(1, "description"), _("Enter at least one outcome"))
    return kept


def outcome_errors(rows: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """What is wrong with the outcome rows, by form field (for a form to show with its own
    errors; the services check the same again)."""
    errors = _Errors()
    _outcomes(errors, rows)
    return errors.found


def too_many_files_message(existing: int) -> str:
    """What to say when the files added and the `existing` ones are more than allowed."""
    if not existing:
        return _("Choose %(max)s files or fewer") % {"max": MAX_ATTACHMENTS}
    left = max(MAX_ATTACHMENTS - existing, 0)
    if not left:
        return _(
            "The evidence has %(max)s files already, the most it can have. Remove one before "
            "you attach another"
        ) % {"max": MAX_ATTACHMENTS}
    return _(
        "The evidence can have at most %(max)s files and has %(count)s already: choose "
        "%(left)s or fewer"
    ) % {"max": MAX_ATTACHMENTS, "count": existing, "left": left}


def _check_files(errors: _Errors, files: Sequence[File]) -> None:
    """Check each file in turn (its bytes dropped before the next is read), so that a bad file
    is reported with the other errors of the input."""
    for file in files:
        try:
            read_upload(file)
        except ValidationError as exc:
            errors.check(False, "attachments", " ".join(exc.messages))
            return


def _checked(
    organisation: Organisation,
    data: EvidenceInput,
    files: Sequence[File],
    existing: int = 0,
    kept: PlanPriority | None = None,
) -> tuple[PlanPriority, dict[str, object], list[dict[str, str]]]:
    """The input checked. The files are counted here (with the `existing` ones); they are read
    and checked here only when something else is wrong (to show every error at once), else
    one at a time as they are stored (`_store`)."""
    errors = _Errors()
    errors.check(
        existing + len(files) <= MAX_ATTACHMENTS, "attachments", too_many_files_message(existing)
    )
    priority = priority_for(organisation, data.priority, kept=kept)
    errors.check(
        priority is not None,
        "priority",
        _("Choose a priority from the plans of the areas you serve"),
    )
    values: dict[str, object] = {
        "title": errors.text(data.title, "title", _("Enter a title"), MAX_TITLE),
        "summary": errors.text(data.summary, "summary", _("Say what was done"), MAX_TEXT),
        "evaluation": errors.text(data.evaluation, "evaluation", None, MAX_TEXT),
    }
    today = timezone.localdate()
    errors.check(data.starts_on is not None, "starts_on", _("Enter the date the period starts"))
    errors.check(data.ends_on is not None, "ends_on", _("Enter the date the period ends"))
    errors.check(
        data.starts_on is None or data.starts_on <= today,
        "starts_on",
        _("The period must start today or in the past"),
    )
    errors.check(
        data.starts_on is None or data.ends_on is None or data.ends_on >= data.starts_on,
        "ends_on",
        _("The period must end on or after the day it starts"),
    )
    values["starts_on"] = data.starts_on
    values["ends_on"] = data.ends_on
    errors.check(
        data.people_reached is None or data.people_reached >= 0,
        "people_reached",
        _("Enter the number of people reached as a whole number, 0 or more"),
    )
    values["people_reached"] = data.people_reached
    values["cost"] = _money(errors, data.cost, "cost")
    values["savings"] = _money(errors, data.savings, "savings")
    outcomes = _outcomes(errors, data.outcomes)
    if errors.found and "attachments" not in errors.found:
        _check_files(errors, files)
    errors.raise_any()
    assert priority is not None  # noqa: S101 (checked above)
    return priority, values, outcomes


def _read(file: File) -> Upload:
    try:
        return read_upload(file)
    except ValidationError as exc:
        raise ValidationError({"attachments": " ".join(exc.messages)}) from exc


def _store(evidence: ImpactEvidence, files: Sequence[File], by: User) -> list[EvidenceAttachment]:
    """Read, check and store each file in turn under a random name (`attachment_upload_to`),
    holding one file's bytes at a time. A bad file refuses the write (ValidationError on
    "attachments"; the caller's transaction undoes the rows); if anything fails, the files
    already written are removed before the error goes on."""
    stored: list[EvidenceAttachment] = []
    try:
        for file in files:
            _store_one(evidence, file, by, stored)
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def _store_one(
    evidence: ImpactEvidence, file: File, by: User, stored: list[EvidenceAttachment]
) -> None:
    """Read, check and store one file; its bytes are dropped on return."""
    upload = _read(file)
    attachment = EvidenceAttachment(
        evidence=evidence,
        name=upload.name,
        file_type=upload.checked.file_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, ContentFile(upload.data), save=False)
    stored.append(attachment)
    attachment.save()


def _write_outcomes(evidence: ImpactEvidence, outcomes: list[dict[str, str]], by: User) -> None:
    for position, values in enumerate(outcomes, start=1):
        outcome = EvidenceOutcome(evidence=evidence, position=position, **values)
        as_history_user(outcome, by)
        outcome.save()


# Evidence ------------------------------------------------------------------------------------


@transaction.atomic
def evidence_create(
    *,
    organisation: Organisation,
    by: User,
    data: EvidenceInput,
    attachments: Iterable[File] = (),
    is_sample: bool = False,
) -> ImpactEvidence:
    """A member of `organisation` records evidence of what it achieved on a priority."""
    _require_perm(RECORD, by, organisation)
    files = list(attachments)
    priority, values, outcomes = _checked(organisation, data, files)
    evidence = ImpactEvidence(
        organisation=organisation,
        body_id=priority.body_id,
        priority=priority,
        created_by=by,
        is_sample=is_sample,
        **values,  # type: ignore[arg-type]
    )
    save(evidence, by)
    _write_outcomes(evidence, outcomes, by)
    _store(evidence, files, by)
    return evidence


@transaction.atomic
def evidence_update(
    *,
    evidence: ImpactEvidence,
    by: User,
    data: EvidenceInput,
    attachments: Iterable[File] = (),
) -> ImpactEvidence:
    """Change what the evidence says; its outcomes are replaced by the rows given; new
    attachments are added. Shared evidence whose priority moves to another body is no longer
    shared: it was shared with the former body, and the new one reads it only once the
    organisation shares it."""
    row = lock(evidence, "organisation")
    _require_perm(CHANGE_EVIDENCE, by, row)
    files = list(attachments)
    priority, values, outcomes = _checked(
        row.organisation, data, files, existing=row.attachments.count(), kept=row.priority
    )
    values["priority"] = priority
    values["body_id"] = priority.body_id
    if row.shared_at is not None and row.body_id != priority.body_id:
        values["shared_at"] = None
    for name, value in values.items():
        setattr(row, name, value)
    save(row, by, [name.removesuffix("_id") for name in values])
    for outcome in row.outcomes.all():
        as_history_user(outcome, by)
        outcome.delete()
    _write_outcomes(row, outcomes, by)
    _store(row, files, by)
    return refresh(evidence, row)


def _set_shared(record, by: User, perm: str, shared: bool):
    row = lock(record, "organisation")
    _require_perm(perm, by, row)
    if row.is_shared == shared:
        return refresh(record, row)
    row.shared_at = timezone.now() if shared else None
    row._change_reason = "Shared" if shared else "Unshared"
    save(row, by, ["shared_at"], clean=False)
    return refresh(record, row)


@transaction.atomic
def evidence_share(*, evidence: ImpactEvidence, by: User) -> ImpactEvidence:
    """The policing body's members read the evidence from now on."""
    return _set_shared(evidence, by, CHANGE_EVIDENCE, True)


@transaction.atomic
def evidence_unshare(*, evidence: ImpactEvidence, by: User) -> ImpactEvidence:
    """The policing body's members no longer read the evidence."""
    return _set_shared(evidence, by, CHANGE_EVIDENCE, False)


def _remove_files_on_commit(files: list) -> None:
    def remove() -> None:
        for file in files:
            file.delete(save=False)

    transaction.on_commit(remove)


@transaction.atomic
def evidence_delete(*, evidence: ImpactEvidence, by: User) -> None:
    """Delete the evidence with its outcomes and attachments (their files once committed)."""
    row = lock(evidence, "organisation")
    _require_perm(CHANGE_EVIDENCE, by, row)
    files = [attachment.file for attachment in row.attachments.all()]
    for outcome in row.outcomes.all():
        as_history_user(outcome, by)
        outcome.delete()
    row.attachments.all().delete()
    as_history_user(row, by)
    row.delete()
    _remove_files_on_commit(files)


@transaction.atomic
def attachment_remove(*, attachment: EvidenceAttachment, by: User) -> None:
    """Remove one attachment from its evidence, and its file once committed."""
    evidence = lock(attachment.evidence, "organisation")
    _require_perm(CHANGE_EVIDENCE, by, evidence)
    file = attachment.file
    attachment.delete()
    _remove_files_on_commit([file])


# Impact cases --------------------------------------------------------------------------------


def _body_for(organisation: Organisation, body_id: object) -> PolicingBody | None:
    """The body named by `body_id` (its organisation's slug) if `organisation` serves its
    area; else None."""
    if not body_id:
        return None
    return (
        organisation.areas_served.filter(organisation__slug=str(body_id))
        .select_related("organisation")
        .first()
    )


def _case_text(errors: _Errors, title: str, introduction: str) -> dict[str, str]:
    return {
        "title": errors.text(title, "title", _("Enter a title"), MAX_TITLE),
        "introduction": errors.text(introduction, "introduction", None, MAX_TEXT),
    }


@transaction.atomic
def case_create(
    *,
    organisation: Organisation,
    by: User,
    body: str,
    title: str,
    introduction: str = "",
    is_sample: bool = False,
) -> ImpactCase:
    """A member of `organisation` makes an impact case for a body whose area it serves
    (`body`: the body's slug)."""
    _require_perm(MAKE_CASE, by, organisation)
    errors = _Errors()
    chosen = _body_for(organisation, body)
    errors.check(chosen is not None, "body", _("Choose a policing body from the areas you serve"))
    values = _case_text(errors, title, introduction)
    errors.raise_any()
    case = ImpactCase(
        organisation=organisation, body=chosen, created_by=by, is_sample=is_sample, **values
    )
    save(case, by)
    return case


@transaction.atomic
def case_update(*, case: ImpactCase, by: User, title: str, introduction: str = "") -> ImpactCase:
    """Change the case's title and introduction."""
    row = lock(case, "organisation")
    _require_perm(CHANGE_CASE, by, row)
    errors = _Errors()
    values = _case_text(errors, title, introduction)
    errors.raise_any()
    for name, value in values.items():
        setattr(row, name, value)
    save(row, by, list(values))
    return refresh(case, row)


@transaction.atomic
def case_share(*, case: ImpactCase, by: User) -> ImpactCase:
    """The policing body's members read the case (with the evidence shared with them)."""
    return _set_shared(case, by, CHANGE_CASE, True)


@transaction.atomic
def case_unshare(*, case: ImpactCase, by: User) -> ImpactCase:
    return _set_shared(case, by, CHANGE_CASE, False)


@transaction.atomic
def case_delete(*, case: ImpactCase, by: User) -> None:
    """Delete the case; the evidence it showed is untouched."""
    row = lock(case, "organisation")
    _require_perm(CHANGE_CASE, by, row)
    as_history_user(row, by)
    row.delete()
