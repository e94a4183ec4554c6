"""The demo personas, shared by `manage.py seed_demo` and the test suite's persona fixtures.

Needs the reference data (`manage.py load_reference_data`) loaded first.
"""

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from engage.directory.models import GroupRole, PolicingBody, StandingGroup, StandingGroupMembership

from .models import Membership, Organisation, OrganisationKind, Role, User


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    full_name: str
    organisation: str  # organisation slug
    role: str
    is_admin: bool = False
    description: str = ""


VOLUNTARY_SLUG = "leeds-womens-centre"

PERSONAS = [
    Persona(
        "moj_lead",
        "lead@moj.example.org",
        "Priya Shah",
        "moj",
        Role.POLICY_LEAD,
        True,
        "Ministry of Justice, policy lead",
    ),
    Persona(
        "ho_lead",
        "lead@homeoffice.example.org",
        "Tom Reid",
        "ho",
        Role.POLICY_LEAD,
        True,
        "Home Office, policy lead",
    ),
    Persona(
        "secretariat",
        "secretariat@apcc.example.org",
        "Amina Okafor",
        "apcc",
        Role.SECRETARIAT,
        True,
        "APCC secretariat",
    ),
    Persona(
        "gwent_commissioner",
        "commissioner@gwent.example.org",
        "Rhian Evans",
        "gwent",
        Role.COMMISSIONER,
        True,
        "Gwent, commissioner, lead of the Victims standing group",
    ),
    Persona(
        "gwent_staff",
        "staff@gwent.example.org",
        "Owen Price",
        "gwent",
        Role.OPCC_STAFF,
        False,
        "Gwent, OPCC staff",
    ),
    Persona(
        "kent_commissioner",
        "commissioner@kent.example.org",
        "Sarah Hollis",
        "kent",
        Role.COMMISSIONER,
        True,
        "Kent, commissioner, member of the Victims standing group",
    ),
    Persona(
        "dorset_commissioner",
        "commissioner@dorset.example.org",
        "David Marsh",
        "dorset",
        Role.COMMISSIONER,
        True,
        "Dorset, commissioner, in no standing group",
    ),
    Persona(
        "surrey_ceo",
        "ceo@surrey.example.org",
        "Helen Clarke",
        "surrey",
        Role.CHIEF_EXECUTIVE,
        True,
        "Surrey, chief executive",
    ),
    Persona(
        "vcs_member",
        "member@womens-centre.example.org",
        "Grace Njoroge",
        VOLUNTARY_SLUG,
        Role.MEMBER,
        True,
        "Leeds Women's Centre (voluntary organisation, West Yorkshire)",
    ),
]
# Demo-only personas: made by `seed_demo` but not by the test suite's persona fixtures, so the
# suite's access matrices keep their eleven people. West Yorkshire's staff read the voluntary
# sector in their area (Leeds Women's Centre serves West Yorkshire).
DEMO_ONLY = [
    Persona(
        "wy_staff",
        "staff@west-yorkshire.example.org",
        "Imran Hussain",
        "west-yorkshire",
        Role.OPCC_STAFF,
        False,
        "West Yorkshire, policing and crime team (demo only)",
    ),
]
ADMIN = Persona(
    "admin", "admin@engage.example.org", "Sam Carter", "", "", False, "Site administrator"
)


class ReferenceDataMissing(Exception):
    pass


def _organisation(slug: str) -> Organisation:
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        raise ReferenceDataMissing(
            f"Organisation {slug!r} is missing: run `manage.py load_reference_data` first."
        ) from None


def _voluntary_organisation() -> Organisation:
    west_yorkshire = PolicingBody.objects.filter(organisation__slug="west-yorkshire").first()
    if west_yorkshire is None:
        raise ReferenceDataMissing("Run `manage.py load_reference_data` first.")
    organisation, _ = Organisation.objects.get_or_create(
        slug=VOLUNTARY_SLUG,
        defaults={
            "name": "Leeds Women's Centre",
            "kind": OrganisationKind.VOLUNTARY,
            "description": "Support for women affected by domestic abuse and the justice system.",
        },
    )
    organisation.areas_served.add(west_yorkshire)
    return organisation


def _user(persona: Persona, password: str, totp_secret: str, *, is_staff=False) -> User:
    user = User.objects.filter(email=persona.email).first()
    if user is None:
        user = User.objects.create_user(
            email=persona.email, password=password, full_name=persona.full_name, is_staff=is_staff
        )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, totp_secret)
        RecoveryCodes.activate(user)
    return user


@transaction.atomic
def seed_personas(
    *, password: str, totp_secret: str, extra: list[Persona] | None = None
) -> dict[str, User]:
    """Create (or leave as they are) the demo personas, and the `extra` ones (`DEMO_ONLY`, for
    `seed_demo`). Safe to run again."""
    _voluntary_organisation()
    users: dict[str, User] = {}
    for persona in [*PERSONAS, *(extra or [])]:
        organisation = _organisation(persona.organisation)
        user = _user(persona, password, totp_secret)
        Membership.objects.active().get_or_create(
            user=user,
            organisation=organisation,
            defaults={"role": persona.role, "is_admin": persona.is_admin},
        )
        users[persona.key] = user
    users[ADMIN.key] = _user(ADMIN, password, totp_secret, is_staff=True)

    victims = StandingGroup.objects.filter(slug="victims").first()
    if victims is None:
        raise ReferenceDataMissing("The Victims standing group is missing.")
    for slug, role in (("gwent", GroupRole.LEAD), ("kent", GroupRole.MEMBER)):
        body = _organisation(slug).policing_body
        StandingGroupMembership.objects.get_or_create(
            group=victims, body=body, defaults={"role": role}
        )
    return users
