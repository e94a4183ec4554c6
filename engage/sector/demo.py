"""Demo content for the voluntary-sector persona: Leeds Women's Centre's profile, and two
activities with West Yorkshire's policing body (a meeting with the commissioning lead, shared
with the body, with a follow-up due in 10 days; a sector-adviser seat on the VAWG partnership
board). All marked as sample content. Safe to run again: what exists is left as it is.

Needs the reference data and the personas (`engage.accounts.demo.seed_personas`) first.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from engage.accounts.demo import VOLUNTARY_SLUG
from engage.accounts.models import Organisation, User
from engage.core.services import as_history_user
from engage.directory.models import PolicingBody, PriorityTheme

from .models import Activity, ActivityKind, Arrangement, FollowUp, OrganisationProfile

THEME_SLUGS = (
    "violence-against-women-and-girls-vawg",
    "domestic-abuse",
    "supporting-victims-and-witnesses",
    "reducing-reoffending",
)
MEETING_SUMMARY = (
    "Met the OPCC's commissioning lead for victims' services to present our outreach work "
    "with women affected by domestic abuse and the justice system, ahead of the next round of "
    "the victims' services grants."
)
ADVISER_SUMMARY = (
    "Invited to join West Yorkshire's violence against women and girls partnership board as "
    "the voluntary sector's adviser, bringing the voices of the women we support."
)


def _profile(organisation: Organisation, by: User | None) -> None:
    if OrganisationProfile.objects.filter(organisation=organisation).exists():
        return
    profile = OrganisationProfile(
        organisation=organisation,
        charity_number="1123456",
        company_number="06123456",
        summary=(
            "A women's centre in Leeds supporting women affected by domestic abuse and by the "
            "criminal justice system, from first contact to recovery."
        ),
        services=(
            "One-to-one support and advocacy; a women's group programme; support for women on "
            "probation and leaving prison; help through court; counselling."
        ),
        people_supported=(
            "Women across West Yorkshire affected by domestic abuse, women in contact with the "
            "criminal justice system, and their children."
        ),
        offer=(
            "A women's centre that can host police and probation appointments in a safe, "
            "women-only space; lived-experience insight for the police and crime plan's "
            "violence against women and girls priority; referral routes into specialist support."
        ),
        website="https://www.example.org/leeds-womens-centre",
        is_sample=True,
        updated_by=by,
    )
    if by is not None:
        as_history_user(profile, by)
    profile.save()
    profile.themes.set(PriorityTheme.objects.filter(slug__in=THEME_SLUGS))


def _activity(organisation, body, by, *, summary, **fields) -> Activity | None:
    if Activity.objects.filter(organisation=organisation, body=body, summary=summary).exists():
        return None
    activity = Activity(
        organisation=organisation,
        body=body,
        summary=summary,
        created_by=by,
        is_sample=True,
        **fields,
    )
    if by is not None:
        as_history_user(activity, by)
    activity.save()
    return activity


@transaction.atomic
def seed_sector_demo(*, by: User | None = None) -> None:
    """Leeds Women's Centre's profile and two activities with West Yorkshire (see the module's
    docstring). `by`: who the records are attributed to (default: the voluntary persona's
    first member, if any)."""
    organisation = Organisation.objects.get(slug=VOLUNTARY_SLUG)
    body = PolicingBody.objects.get(organisation__slug="west-yorkshire")
    if by is None:
        by = (
            User.objects.filter(
                memberships__organisation=organisation, memberships__ended_at__isnull=True
            )
            .order_by("pk")
            .first()
        )
    organisation.areas_served.add(body)
    _profile(organisation, by)
    today = timezone.localdate()
    meeting = _activity(
        organisation,
        body,
        by,
        summary=MEETING_SUMMARY,
        kind=ActivityKind.MEETING,
        happened_on=today - datetime.timedelta(days=12),
        participants=(
            "Our chief executive and our head of services; the OPCC's commissioning lead for "
            "victims' services."
        ),
        outcome="Invited to apply to the next victims' services grants round.",
        shared_at=timezone.now(),
    )
    if meeting is not None:
        follow_up = FollowUp(
            activity=meeting,
            description="Send the commissioning lead our outcomes report for last year",
            due_on=today + datetime.timedelta(days=10),
        )
        if by is not None:
            as_history_user(follow_up, by)
        follow_up.save()
    _activity(
        organisation,
        body,
        by,
        summary=ADVISER_SUMMARY,
        kind=ActivityKind.ADVISORY,
        happened_on=today - datetime.timedelta(days=40),
        participants="Our chief executive; the deputy mayor for policing and crime's office.",
        outcome="Attends the board each quarter; first meeting held.",
        arrangement=Arrangement.SECTOR_ADVISER,
        arrangement_details="Sector adviser on the VAWG partnership board",
    )
