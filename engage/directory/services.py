"""Writes to the directory: loading the reference data.

`reference_data_load` is idempotent: it reads and checks every file first
(`reference_data.read_reference_data`), checks the database for clashes, then creates what is
missing and saves only the fields that changed, all in one transaction. Rows that are no longer
in the files are left alone. Records with history get the change reason "Reference data".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction

from engage.accounts.models import Organisation, OrganisationKind

from .models import Force, PolicingBody, PriorityTheme, StandingGroup
from .reference_data import (
    NATIONAL_BODIES_FILE,
    POLICING_BODIES_FILE,
    PORTFOLIOS_FILE,
    THEMES_FILE,
    BodyRow,
    Problem,
    ReferenceData,
    ReferenceDataInvalid,
    read_reference_data,
)

CHANGE_REASON = "Reference data"
NATIONAL_ORGANISATION_KINDS = {
    OrganisationKind.NATIONAL_DEPARTMENT,
    OrganisationKind.NATIONAL_AGENCY,
    OrganisationKind.APCC,
    OrganisationKind.APACE,
}

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
SUMMARY_ORDER = (
    "Forces",
    "Policing bodies",
    "National bodies",
    "Priority themes",
    "Standing groups",
)


@dataclass
class LoadSummary:
    counts: dict[str, Counter] = field(default_factory=dict)

    def record(self, what: str, outcome: str) -> None:
        self.counts.setdefault(what, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c[CREATED] or c[UPDATED] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{what}: {c[CREATED]} created, {c[UPDATED]} updated, {c[UNCHANGED]} unchanged"
            for what, c in self.counts.items()
        ]


def _upsert(obj: models.Model | None, model, values: dict, *, file: str, line: int):
    """Create `model(**values)`, or save only the changed fields of `obj`.

    `values` is keyed by attribute name (`parent_id`, not `parent`). Returns (obj, outcome).
    """
    if obj is None:
        obj, outcome, changed = model(**values), CREATED, None
    else:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            return obj, UNCHANGED
        for name in changed:
            setattr(obj, name, values[name])
        outcome = UPDATED
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        messages = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items()
        )
        raise ReferenceDataInvalid([Problem(file, line, messages)]) from exc
    obj._change_reason = CHANGE_REASON  # type: ignore[union-attr]  # read by simple_history
    obj.save(update_fields=changed)
    return obj, outcome


def _body_of(force: Force | None) -> PolicingBody | None:
    if force is None:
        return None
    try:
        return force.policing_body
    except ObjectDoesNotExist:
        return None


def _organisation_targets(data: ReferenceData, forces: dict[str, Force]):
    """Which existing Organisation each file row updates (or None to create); report clashes."""
    slugs = [row.slug for row in data.bodies] + [row.slug for row in data.national]
    by_slug = {
        org.slug: org
        for org in Organisation.objects.filter(slug__in=slugs).select_related("policing_body")
    }
    problems: list[Problem] = []
    body_targets: dict[str, Organisation | None] = {}
    for row in data.bodies:
        body = _body_of(forces.get(row.ons_code))
        current = body.organisation if body else None
        holder = by_slug.get(row.slug)
        if holder is not None and holder != current:
            if (
                current is None
                and holder.kind == OrganisationKind.POLICING_BODY
                and _body_of_organisation(holder) is None
            ):
                current = holder  # an organisation made by hand before its body: adopt it
            else:
                problems.append(_slug_clash(POLICING_BODIES_FILE, row.line, row.slug, holder))
        body_targets[row.ons_code] = current
    national_targets: dict[str, Organisation | None] = {}
    for national in data.national:
        holder = by_slug.get(national.slug)
        if holder is not None and (
            holder.kind not in NATIONAL_ORGANISATION_KINDS or _body_of_organisation(holder)
        ):
            problems.append(_slug_clash(NATIONAL_BODIES_FILE, national.line, national.slug, holder))
        national_targets[national.short_name] = holder
    return body_targets, national_targets, problems


def _body_of_organisation(org: Organisation) -> PolicingBody | None:
    try:
        return org.policing_body
    except ObjectDoesNotExist:
        return None


def _slug_clash(file: str, line: int, slug: str, holder: Organisation) -> Problem:
    return Problem(
        file,
        line,
        f"slug {slug!r} is already used by {holder.get_kind_display()} {holder.name!r}",
    )


def _force_name_clashes(data: ReferenceData) -> list[Problem]:
    names = {row.force_name: row for row in data.bodies}
    codes = {row.ons_code for row in data.bodies}
    return [
        Problem(
            POLICING_BODIES_FILE,
            names[force.name].line,
            f"force_name {force.name!r} is already used by the force with ons_code "
            f"{force.ons_code!r}",
        )
        for force in Force.objects.filter(name__in=names).exclude(ons_code__in=codes)
    ]


def _load_themes(data: ReferenceData, summary: LoadSummary) -> dict[str, PriorityTheme]:
    existing = {
        t.slug: t for t in PriorityTheme.objects.filter(slug__in=[r.slug for r in data.themes])
    }
    themes = {}
    for row in data.themes:
        theme, outcome = _upsert(
            existing.get(row.slug),
            PriorityTheme,
            {"slug": row.slug, "name": row.name, "description": row.description},
            file=THEMES_FILE,
            line=row.line,
        )
        themes[row.slug] = theme
        summary.record("Priority themes", outcome)
    return themes


def _load_groups(data: ReferenceData, themes: dict[str, PriorityTheme], summary) -> None:
    existing = {
        g.slug: g
        for g in StandingGroup.objects.filter(
            slug__in=[r.slug for r in data.portfolios]
        ).prefetch_related("themes")
    }
    for row in data.portfolios:
        current = existing.get(row.slug)
        group, outcome = _upsert(
            current,
            StandingGroup,
            {"slug": row.slug, "name": row.name},
            file=PORTFOLIOS_FILE,
            line=row.line,
        )
        wanted = {themes[slug].pk for slug in row.theme_slugs}
        had = {t.pk for t in current.themes.all()} if current else set()
        if wanted != had:
            group._change_reason = CHANGE_REASON
            group.themes.set(wanted)
            outcome = CREATED if outcome == CREATED else UPDATED
        summary.record("Standing groups", outcome)


def _load_national(data: ReferenceData, targets, summary: LoadSummary) -> None:
    saved: dict[str, Organisation] = {}
    for row in data.national:  # parents come first
        parent = saved[row.parent_short_name] if row.parent_short_name else None
        org, outcome = _upsert(
            targets[row.short_name],
            Organisation,
            {
                "slug": row.slug,
                "name": row.name,
                "short_name": row.short_name,
                "kind": row.kind,
                "parent_id": parent.pk if parent else None,
                "on_criminal_justice_board": row.on_criminal_justice_board,
                "description": row.role,
            },
            file=NATIONAL_BODIES_FILE,
            line=row.line,
        )
        saved[row.short_name] = org
        summary.record("National bodies", outcome)


def _load_bodies(data: ReferenceData, forces, targets, summary: LoadSummary) -> None:
    for row in data.bodies:
        area = data.areas[row.ons_code]
        force, force_outcome = _upsert(
            forces.get(row.ons_code),
            Force,
            {
                "ons_code": row.ons_code,
                "name": row.force_name,
                "ons_name": area.ons_name,
                "svg_path": area.svg_path,
            },
            file=POLICING_BODIES_FILE,
            line=row.line,
        )
        summary.record("Forces", force_outcome)
        summary.record("Policing bodies", _load_body(row, force, targets[row.ons_code]))


def _load_body(row: BodyRow, force: Force, current_org: Organisation | None) -> str:
    org, org_outcome = _upsert(
        current_org,
        Organisation,
        {"slug": row.slug, "name": row.body_name, "kind": OrganisationKind.POLICING_BODY},
        file=POLICING_BODIES_FILE,
        line=row.line,
    )
    body = _body_of(force) or _body_of_organisation(org)
    _, body_outcome = _upsert(
        body,
        PolicingBody,
        {
            "organisation_id": org.pk,
            "force_id": force.pk,
            "body_type": row.body_type,
            "nation": row.nation,
            "region": row.region,
            "notes": row.notes,
            "source": row.source,
        },
        file=POLICING_BODIES_FILE,
        line=row.line,
    )
    if CREATED in (org_outcome, body_outcome):
        return CREATED
    return UPDATED if UPDATED in (org_outcome, body_outcome) else UNCHANGED


def reference_data_load(*, data_dir: Path | str | None = None) -> LoadSummary:
    """Load the reference data files; raise ReferenceDataInvalid (nothing written) if broken."""
    data = read_reference_data(data_dir)
    summary = LoadSummary()
    for what in SUMMARY_ORDER:
        summary.counts[what] = Counter()
    try:
        with transaction.atomic():
            forces = {
                f.ons_code: f
                for f in Force.objects.filter(
                    ons_code__in=[row.ons_code for row in data.bodies]
                ).select_related("policing_body__organisation")
            }
            body_targets, national_targets, problems = _organisation_targets(data, forces)
            problems += _force_name_clashes(data)
            if problems:
                raise ReferenceDataInvalid(problems)
            themes = _load_themes(data, summary)
            _load_groups(data, themes, summary)
            _load_national(data, national_targets, summary)
            _load_bodies(data, forces, body_targets, summary)
    except IntegrityError as exc:
        raise ReferenceDataInvalid(
            [Problem("reference data", None, f"the database refused a change ({exc})")]
        ) from exc
    return summary
