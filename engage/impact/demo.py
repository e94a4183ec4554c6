"""Demo content (development only), marked as sample content: one impact evidence record by
Leeds Women's Centre on West Yorkshire's violence against women and girls priority (or, failing
that, its victims priority), shared with the body, and one impact case for West Yorkshire.

It needs the plans demo (West Yorkshire's current plan: `seed_plans_demo`) and the sector demo
(the organisation's profile: `seed_sector_demo`) to have run first, and the personas. For
`seed_demo` to call; not wired in here. Safe to run again: what exists is left as it is."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from engage.accounts.models import Organisation, User
from engage.directory.models import PlanPriority, PolicingBody

from . import services
from .models import ImpactCase, ImpactEvidence

ORGANISATION = "leeds-womens-centre"
BODY = "west-yorkshire"
# The themes the evidence may address, in order of preference.
THEMES = ("violence-against-women-and-girls-vawg", "supporting-victims-and-witnesses")
EVIDENCE_TITLE = "Safe spaces and advocacy for women in Leeds"
CASE_TITLE = "Our impact on West Yorkshire's priorities"


class DemoPrerequisiteMissing(Exception):
    """A demo this one builds on has not run."""


def _priority(body: PolicingBody) -> PlanPriority:
    rows = {
        priority.theme.slug: priority
        for priority in PlanPriority.objects.filter(
            body=body, plan__superseded_at__isnull=True, theme__slug__in=THEMES
        ).select_related("theme")
    }
    for slug in THEMES:
        if slug in rows:
            return rows[slug]
    raise DemoPrerequisiteMissing(
        "West Yorkshire has no current plan with a violence against women and girls or "
        "victims priority: run the plans demo first (engage.directory.demo_plans."
        "seed_plans_demo)."
    )


def _member(organisation: Organisation) -> User:
    user = (
        User.objects.filter(
            memberships__organisation=organisation, memberships__ended_at__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if user is None:
        raise DemoPrerequisiteMissing(
            "Leeds Women's Centre has no member to record the evidence: run the personas demo "
            "first (engage.accounts.demo.seed_personas)."
        )
    return user


@transaction.atomic
def seed_impact_demo(*, by: User | None = None) -> None:
    """Leeds Women's Centre's evidence on West Yorkshire's priority, shared with the body, and
    its impact case for West Yorkshire. `by`: a member of Leeds Women's Centre (default: its
    first member)."""
    try:
        organisation = Organisation.objects.get(slug=ORGANISATION)
        body = PolicingBody.objects.select_related("organisation").get(organisation__slug=BODY)
    except (Organisation.DoesNotExist, PolicingBody.DoesNotExist):
        raise DemoPrerequisiteMissing(
            "Leeds Women's Centre or West Yorkshire is missing: load the reference data and "
            "run the personas demo first."
        ) from None
    priority = _priority(body)
    by = by or _member(organisation)
    organisation.areas_served.add(body)
    if not ImpactEvidence.objects.filter(organisation=organisation, title=EVIDENCE_TITLE).exists():
        last_year = timezone.localdate().year - 1
        evidence = services.evidence_create(
            organisation=organisation,
            by=by,
            is_sample=True,
            data=services.EvidenceInput(
                priority=str(priority.public_id),
                title=EVIDENCE_TITLE,
                summary=(
                    "Weekly drop-in sessions, one-to-one advocacy and a helpline for women "
                    "affected by domestic abuse and sexual violence in Leeds, with support "
                    "through the criminal justice process."
                ),
                starts_on=datetime.date(last_year, 1, 1),
                ends_on=datetime.date(last_year, 12, 31),
                people_reached=640,
                outcomes=[
                    {
                        "description": "Women feel safer after support",
                        "measure": "Women reporting they feel safer at case closure",
                        "baseline": "38% at referral",
                        "result": "74% at closure",
                    },
                    {
                        "description": "Fewer women return in crisis",
                        "measure": "Repeat referrals within 12 months",
                        "baseline": "24%",
                        "result": "15%",
                    },
                ],
                cost=Decimal("186000"),
                savings=None,
                evaluation=(
                    "Outcomes recorded at referral and closure for every woman supported, and "
                    "an independent review of a sample of case files."
                ),
            ),
        )
        services.evidence_share(evidence=evidence, by=by)
    if not ImpactCase.objects.filter(organisation=organisation, title=CASE_TITLE).exists():
        services.case_create(
            organisation=organisation,
            by=by,
            body=body.slug,
            title=CASE_TITLE,
            introduction=(
                "Leeds Women's Centre has supported women in West Yorkshire for over thirty "
                "years. This case sets our outcomes against the Mayor's police and crime plan."
            ),
            is_sample=True,
        )
