"""Sample police and crime plans and published facts for the demonstration site (issue 10).

`seed_plans_demo` is idempotent: a body that already has a current plan keeps it, and each
published entry is added once (found again by its title or name). Every plan is marked
`is_sample`, so each page that shows it says "Sample content". Dates are relative to today.
Addresses are example.org ones. It needs the reference data (bodies and themes) loaded.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from engage.accounts.models import User

from .models import (
    BodyContact,
    Commissioning,
    CommissioningKind,
    ContactRole,
    EngagementRoute,
    KeyDate,
    PlanPriority,
    PolicePlan,
    PolicingBody,
    PriorityTheme,
    RouteKind,
)

# body slug -> (plan title, first year, [(priority, theme name, description)])
PLANS: dict[str, tuple[str, int, list[tuple[str, str, str]]]] = {
    "gwent": (
        "Gwent Police and Crime Plan",
        2025,
        [
            (
                "Supporting victims and survivors",
                "Supporting victims and witnesses",
                "Commissioned support that meets the Victims' Code, from first report to court.",
            ),
            (
                "Tackling violence against women and girls",
                "Violence against women and girls (VAWG)",
                "Prevention in schools and the night-time economy; specialist services.",
            ),
            (
                "Keeping neighbourhoods safe",
                "Neighbourhood policing",
                "Visible, accessible teams who know their communities.",
            ),
            (
                "Reducing reoffending",
                "Reducing reoffending",
                "Diversion and rehabilitation, with women and young adults first.",
            ),
        ],
    ),
    "kent": (
        "Making Kent Safer",
        2025,
        [
            (
                "Preventing serious violence",
                "Serious violence and knife crime",
                "A public-health approach with the Violence Reduction Unit.",
            ),
            (
                "Protecting vulnerable people from exploitation",
                "Protecting vulnerable people and exploitation",
                "County lines, modern slavery and child exploitation.",
            ),
            (
                "Supporting victims and survivors",
                "Supporting victims and witnesses",
                "Support that is easy to find and reach across the county.",
            ),
        ],
    ),
    "west-yorkshire": (
        "West Yorkshire Police and Crime Plan",
        2024,
        [
            (
                "Tackling violence against women and girls",
                "Violence against women and girls (VAWG)",
                "Safety of women and girls in public and at home; specialist services.",
            ),
            (
                "Supporting victims and survivors",
                "Supporting victims and witnesses",
                "Victims at the centre: commissioned support and a clear route to help.",
            ),
            (
                "Safer places and thriving communities",
                "Anti-social behaviour",
                "Working with communities and the voluntary sector on local problems.",
            ),
            (
                "Reducing reoffending",
                "Reducing reoffending",
                "Rehabilitation and diversion with partners and the voluntary sector.",
            ),
            (
                "Keeping children and young people safe",
                "Children and young people / early intervention",
                "Early help and diversion for young people at risk.",
            ),
        ],
    ),
}

# body slug -> [(role, name, remit, contact route)]
CONTACTS: dict[str, list[tuple[str, str, str, str]]] = {
    "west-yorkshire": [
        (
            ContactRole.COMMISSIONER,
            "The Mayor of West Yorkshire",
            "Holds the police and crime commissioner's functions for West Yorkshire",
            "mayor@example.org",
        ),
        (
            ContactRole.DEPUTY,
            "Deputy Mayor for Policing and Crime",
            "Leads on policing and crime for the Mayor",
            "policing@example.org",
        ),
        (
            ContactRole.CHIEF_EXECUTIVE,
            "Chief Executive, Policing and Crime",
            "Runs the policing and crime team",
            "policing-office@example.org",
        ),
        (
            ContactRole.COMMISSIONING_LEAD,
            "Commissioning Lead, Victims' Services",
            "Victims' services and the grants programme",
            "victims-commissioning@example.org",
        ),
    ],
    "gwent": [
        (
            ContactRole.COMMISSIONING_LEAD,
            "Commissioning and Partnerships Manager",
            "Commissioned services and community grants",
            "commissioning@example.org",
        ),
    ],
    "kent": [
        (
            ContactRole.ENGAGEMENT_LEAD,
            "Head of Partnerships",
            "Voluntary sector partnerships and the commissioner's fund",
            "partnerships@example.org",
        ),
    ],
}


def _history_user(instance, by: User | None) -> None:
    if by is not None:
        instance._history_user = by


def _plan(body: PolicingBody, title: str, first_year: int, rows, by: User | None) -> None:
    if PolicePlan.objects.current().filter(body=body).exists():
        return
    themes = {theme.name: theme for theme in PriorityTheme.objects.all()}
    fallback = next(iter(themes.values()))
    plan = PolicePlan(
        body=body,
        title=f"{title} {first_year} to {first_year + 4}",
        starts_on=date(first_year, 4, 1),
        ends_on=date(first_year + 4, 3, 31),
        url=f"https://{body.slug}.example.org/police-and-crime-plan",
        published_on=date(first_year, 3, 15),
        is_sample=True,
        created_by=by,
    )
    plan._change_reason = "Plan added"  # type: ignore[attr-defined]
    _history_user(plan, by)
    plan.save()
    for position, (priority, theme, description) in enumerate(rows, start=1):
        row = PlanPriority(
            plan=plan,
            body=body,
            theme=themes.get(theme, fallback),
            title=priority,
            description=description,
            position=position,
        )
        _history_user(row, by)
        row.save()


def _add(model, by: User | None, lookup: dict, **values) -> None:
    if not model.objects.filter(**lookup).exists():
        row = model(**lookup, **values)
        _history_user(row, by)
        row.save()


def _west_yorkshire(body: PolicingBody, today: date, by: User | None) -> None:
    _add(
        Commissioning,
        by,
        {"body": body, "title": "Victims' services"},
        kind=CommissioningKind.VICTIMS_SERVICES,
        description=(
            "Support for victims of crime across West Yorkshire, including specialist "
            "services for domestic abuse and sexual violence."
        ),
        url="https://west-yorkshire.example.org/victims-services",
    )
    _add(
        Commissioning,
        by,
        {"body": body, "title": "Safer Communities Fund"},
        kind=CommissioningKind.GRANTS,
        description="Grants for voluntary and community groups working on community safety.",
        url="https://west-yorkshire.example.org/safer-communities-fund",
        opens_on=today - timedelta(days=14),
        closes_on=today + timedelta(days=42),
    )
    _add(
        EngagementRoute,
        by,
        {"body": body, "title": "VCSE Policing and Crime Forum"},
        kind=RouteKind.FORUM,
        description="Meets each quarter; open to voluntary and community organisations.",
        url="https://west-yorkshire.example.org/vcse-forum",
    )
    _add(
        EngagementRoute,
        by,
        {"body": body, "title": "Consultation on the refreshed police and crime plan"},
        kind=RouteKind.CONSULTATION,
        description="Tell the Mayor what the plan's priorities should be.",
        url="https://west-yorkshire.example.org/plan-consultation",
        closes_on=today + timedelta(days=30),
    )
    _add(
        KeyDate,
        by,
        {"body": body, "title": "Budget and precept setting"},
        on=today + timedelta(days=75),
        description="The Police and Crime Panel considers the proposed precept.",
    )
    _add(
        KeyDate,
        by,
        {"body": body, "title": "Police and crime plan refresh"},
        on=today + timedelta(days=120),
        description="The refreshed plan is published after the consultation.",
    )


@transaction.atomic
def seed_plans_demo(*, by: User | None = None) -> None:
    """Sample plans for Gwent, Kent and West Yorkshire, contacts for each, and for West
    Yorkshire its commissioning, engagement routes and key dates. Safe to run again."""
    today = timezone.localdate()
    bodies = {
        body.slug: body
        for body in PolicingBody.objects.select_related("organisation").filter(
            organisation__slug__in=PLANS.keys() | CONTACTS.keys()
        )
    }
    for slug, (title, first_year, rows) in PLANS.items():
        if slug in bodies:
            _plan(bodies[slug], title, first_year, rows, by)
    for slug, contacts in CONTACTS.items():
        if slug not in bodies:
            continue
        for position, (role, name, remit, route) in enumerate(contacts, start=1):
            _add(
                BodyContact,
                by,
                {"body": bodies[slug], "name": name},
                role=role,
                remit=remit,
                contact_route=route,
                position=position,
            )
    if "west-yorkshire" in bodies:
        _west_yorkshire(bodies["west-yorkshire"], today, by)
