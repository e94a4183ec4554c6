"""Fixtures shared across the suite: the reference data and the named personas.

The personas are the demo personas (engage.accounts.demo) plus an outsider: someone signed in
who belongs to an organisation with no part in anything under test.

Loading the reference data takes hundreds of queries and a GeoJSON parse, so it is done once
per test database (once per xdist worker), together with the personas, right after the
database is created (`django_db_setup`), and committed: the "baseline". Each test runs in a
transaction that is rolled back, so it sees the baseline as it was. A test sees exactly what
it asks for, as if each were loaded afresh:

- `personas` (which needs `reference_data`): the whole baseline, at no cost;
- `reference_data` without `personas`: the baseline emptied, then the reference data loaded
  again within the test's transaction (a few tests only);
- neither: the tables the baseline fills are emptied within the test's transaction, so tests
  of the loader itself start from empty tables.

Tests that commit (`transactional_db`, `live_server`: the browser tests) end with a flush
that empties every table. The next one that needs the data loads it again, only then, and the
ordering pytest-django imposes (rolled-back tests first, then those that commit) means no
rolled-back test runs after a flush within a worker; if one did, it would load what it needs.
See docs/decisions/0010-test-data-loaded-once-per-database.md.
"""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from engage.accounts.demo import ADMIN, PERSONAS, seed_personas
from engage.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from engage.directory.models import Force

PASSWORD = "a-test-password-for-personas"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Every persona the `personas` fixture makes, for access tests that walk them all.
EVERYONE = [
    "moj_lead",
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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so throttles count only its own attempts."""
    cache.clear()
    yield
    cache.clear()


OUTSIDER_EMAIL = "outsider@example.org"
# Persona key -> email, in the order `seed_personas` returns them.
PERSONA_EMAILS = {
    **{persona.key: persona.email for persona in PERSONAS},
    ADMIN.key: ADMIN.email,
    "outsider": OUTSIDER_EMAIL,
}
# The tables the baseline fills, found when it is loaded (`django_db_setup`).
BASELINE_TABLES: list[str] = []


def load_reference_data() -> None:
    call_command("load_reference_data", verbosity=0)


def seed_all_personas() -> None:
    seed_personas(password=PASSWORD, totp_secret=TOTP_SECRET)
    partner = Organisation.objects.create(
        slug="outsider-partner", name="Unrelated Local Partner", kind=OrganisationKind.LOCAL_PARTNER
    )
    outsider = User.objects.create_user(email=OUTSIDER_EMAIL, password=PASSWORD)
    Membership.objects.create(user=outsider, organisation=partner, role=Role.MEMBER)


def _row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (table names)
            counts[table] = cursor.fetchone()[0]
    return counts


def empty_baseline() -> None:
    """Delete every row the baseline wrote; in one transaction, so that foreign keys (deferred)
    are checked only once every table is empty."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in BASELINE_TABLES:
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (table names)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb) -> None:
    """Load the baseline (reference data and personas) once into the new test database."""
    with django_db_blocker.unblock():
        if django_db_keepdb:
            # A kept database holds whatever the last run left: start from empty tables.
            call_command("flush", interactive=False, verbosity=0)
        before = _row_counts()
        load_reference_data()
        seed_all_personas()
        after = _row_counts()
        filled = [table for table, count in after.items() if count > before.get(table, 0)]
        shared = [table for table in filled if before.get(table, 0)]
        if shared:
            raise RuntimeError(
                f"The baseline added rows to tables that already had some: {shared}. "
                "Emptying them would delete rows the migrations made."
            )
        BASELINE_TABLES[:] = filled


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _only_the_data_asked_for(request: pytest.FixtureRequest) -> None:
    """Empty the baseline for a database test that does not ask for the personas (see the
    module's docstring); `reference_data` then loads what the test asked for."""
    uses_db = (
        "db" in request.fixturenames
        or _is_transactional(request)
        or request.node.get_closest_marker("django_db") is not None
    )
    if uses_db and "personas" not in request.fixturenames:
        request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
        empty_baseline()


@pytest.fixture
def reference_data(db) -> None:
    """The reference data: already there from the baseline, unless emptied or flushed."""
    if not Force.objects.exists():
        load_reference_data()


@pytest.fixture
def personas(reference_data) -> SimpleNamespace:
    if not User.objects.filter(email=OUTSIDER_EMAIL).exists():
        seed_all_personas()
    users = {user.email: user for user in User.objects.filter(email__in=PERSONA_EMAILS.values())}
    return SimpleNamespace(**{key: users[email] for key, email in PERSONA_EMAILS.items()})


@pytest.fixture
def client_for(db):
    """A test client signed in as the given user (MFA already set up for personas)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return make
