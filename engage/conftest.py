"""Fixtures shared across the suite: the reference data and the named personas.

The personas are the demo personas (engage.accounts.demo) plus an outsider: someone signed in
who belongs to an organisation with no part in anything under test.

Loading the reference data takes hundreds of queries and a GeoJSON parse, so it is done once
per test database (once per xdist worker), together with the personas, right after the
database is created (`django_db_setup`), and committed: the "baseline". Each test runs in a
transaction that is rolled back, so it sees the baseline as it was. A test sees exactly what
it asks for, as if each were loaded afresh:

- `personas` (which needs `reference_data`): the whole baseline, at no cost;
- `reference_data` without `personas`: the baseline less the rows the personas added;
- neither: the tables the baseline fills are emptied within the test's transaction, so tests
  of the loader itself start from empty tables.

Both removals are checked once, when the baseline is loaded, to give back exactly the tables
as they were before the personas, or before everything.

Tests that commit (`transactional_db`, `live_server`: the browser tests) end with a flush
that empties every table. The next one that needs the data loads it again, only then, and the
ordering pytest-django imposes (rolled-back tests first, then those that commit) means no
rolled-back test runs after a flush within a worker; if one did, it would load what it needs.
See docs/decisions/0007-test-data-loaded-once-per-database.md.
"""

import hashlib
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from engage.accounts.demo import ADMIN, PERSONAS, seed_personas
from engage.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from engage.core.testing.labelled_content import leaks
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
def _fresh_cache(request):
    """Each test starts with an empty cache, so throttles count only its own attempts.

    The cache is production's shared store: a table in the test database, or Redis. A test
    that never touches the database has no database cache to clear; one that does has its
    database opened first, so clearing is allowed."""

    def clear() -> None:
        backend = caches["default"]
        if isinstance(backend, RedisCache):
            # A Redis may be shared (other xdist workers, a developer's own data): delete
            # only this run's keys, never the whole database as cache.clear() would.
            client = backend._cache.get_client(None, write=True)
            for key in client.scan_iter(match=f"{backend.key_prefix}:*"):
                client.delete(key)
        else:
            backend.clear()

    names = request.fixturenames
    database = next((f for f in ("transactional_db", "db") if f in names), None)
    if database is None and "live_server" in names:  # the server's thread reads the cache too
        database = "transactional_db"
    redis = isinstance(caches["default"], RedisCache)
    if not (database or redis or request.node.get_closest_marker("django_db")):
        yield
        return
    if database:
        request.getfixturevalue(database)
    clear()
    yield
    clear()


OUTSIDER_EMAIL = "outsider@example.org"
# Persona key -> email, in the order `seed_personas` returns them.
PERSONA_EMAILS = {
    **{persona.key: persona.email for persona in PERSONAS},
    ADMIN.key: ADMIN.email,
    "outsider": OUTSIDER_EMAIL,
}


@dataclass
class Baseline:
    """What the baseline wrote, found when it is loaded (`django_db_setup`)."""

    # Every table it fills.
    tables: list[str] = field(default_factory=list)
    # Tables the personas add rows to -> (primary key column, the highest key before them).
    persona_rows: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    # Whether the personas' rows can be told apart by key (checked when loaded).
    removable: bool = True
    # False once a test has committed: the rows may have been flushed and loaded again.
    intact: bool = True


BASELINE = Baseline()


def load_reference_data() -> None:
    call_command("load_reference_data", verbosity=0)


def seed_all_personas() -> None:
    seed_personas(password=PASSWORD, totp_secret=TOTP_SECRET)
    partner = Organisation.objects.create(
        slug="outsider-partner", name="Unrelated Local Partner", kind=OrganisationKind.LOCAL_PARTNER
    )
    outsider = User.objects.create_user(email=OUTSIDER_EMAIL, password=PASSWORD)
    Membership.objects.create(user=outsider, organisation=partner, role=Role.MEMBER)


def _tables() -> dict[str, tuple[int, str | None, int | None, str]]:
    """Each table's row count, primary key column, highest key and a digest of its rows."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            key = connection.introspection.get_primary_key_column(cursor, table)
            order = f" ORDER BY {quote(key)}" if key else ""
            cursor.execute(f"SELECT * FROM {quote(table)}{order}")  # noqa: S608 (table names)
            rows = cursor.fetchall()
            highest = None
            if key and rows:
                cursor.execute(f"SELECT MAX({quote(key)}) FROM {quote(table)}")  # noqa: S608
                highest = cursor.fetchone()[0]
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            found[table] = (len(rows), key, highest, digest)
    return found


def empty_baseline() -> None:
    """Delete every row the baseline wrote; in one transaction, so that foreign keys (deferred)
    are checked only once every table is empty."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in BASELINE.tables:
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (table names)


def remove_personas() -> None:
    """Delete the rows the personas added to the baseline, leaving the reference data."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (key, highest) in BASELINE.persona_rows.items():
            where = f" WHERE {quote(key)} > %s" if highest is not None else ""
            cursor.execute(
                f"DELETE FROM {quote(table)}{where}",  # noqa: S608 (table names)
                [highest] if highest is not None else [],
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb) -> None:
    """Load the baseline (reference data and personas) once into the new test database, and
    note what each part wrote so that tests can be given less of it."""
    with django_db_blocker.unblock():
        if django_db_keepdb:
            # A kept database holds whatever the last run left: start from empty tables.
            call_command("flush", interactive=False, verbosity=0)
        empty = _tables()
        load_reference_data()
        reference = _tables()
        seed_all_personas()
        full = _tables()
        BASELINE.tables = [name for name, t in full.items() if t[0] > empty[name][0]]
        shared = [name for name in BASELINE.tables if empty[name][0]]
        if shared:
            raise RuntimeError(
                f"The baseline added rows to tables the migrations had filled: {shared}. "
                "Emptying them would delete the migrations' rows too."
            )
        for name, (count, key, highest, _) in full.items():
            if count == reference[name][0]:
                continue
            if key is None or not isinstance(highest, int):
                BASELINE.removable = False  # no key to tell the personas' rows by
            BASELINE.persona_rows[name] = (key or "", reference[name][2])
        # Prove, once, that each removal gives back exactly what the test expects.
        checks = [(empty_baseline, empty)]
        if BASELINE.removable:
            checks.append((remove_personas, reference))
        for remove, expected in checks:
            with transaction.atomic():
                remove()
                left = _tables()
                transaction.set_rollback(True)
            wrong = [name for name, t in expected.items() if left[name][3] != t[3]]
            if remove is remove_personas and wrong:
                BASELINE.removable = False  # tests get empty tables and a fresh load instead
            elif wrong:
                raise RuntimeError(f"Emptying the baseline leaves other rows in {wrong}.")


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _only_the_data_asked_for(request: pytest.FixtureRequest) -> None:
    """Give a database test only the part of the baseline it asks for (see the module's
    docstring); `reference_data` and `personas` load theirs if it is missing."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = _is_transactional(request)
    if not ("db" in names or transactional or marker is not None):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    if transactional:
        # It commits and ends with a flush: the data may come back with other keys.
        BASELINE.intact = False
    if "personas" in names:
        return
    if "reference_data" in names and BASELINE.intact and BASELINE.removable:
        remove_personas()
    else:
        empty_baseline()


@pytest.fixture(autouse=True)
def _no_labelled_content_in_email(request: pytest.FixtureRequest):
    """Fail any test whose emails carry labelled content (issue 11; the rule is in
    engage.core.testing.labelled_content). Read at the end of the test, inside its database
    (opened first, so it is still there); a test that sent no email runs no query, and one
    without a database has nothing to check against."""
    names = request.fixturenames
    transactional = _is_transactional(request)
    if not ("db" in names or transactional or request.node.get_closest_marker("django_db")):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    found = leaks(getattr(mail, "outbox", []))
    if found:
        pytest.fail(
            "Labelled content in an email: "
            + "; ".join(f"{leak.text!r} in the {leak.part} of {leak.message!r}" for leak in found),
            pytrace=False,
        )


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
