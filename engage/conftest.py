"""Fixtures shared across the suite: the reference data and the named personas.

The personas are the demo personas (engage.accounts.demo) plus an outsider: someone signed in
who belongs to an organisation with no part in anything under test.
"""

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.test import Client

from engage.accounts.demo import seed_personas
from engage.accounts.models import Membership, Organisation, OrganisationKind, Role, User

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


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def personas(reference_data) -> SimpleNamespace:
    users = seed_personas(password=PASSWORD, totp_secret=TOTP_SECRET)
    partner = Organisation.objects.create(
        slug="outsider-partner", name="Unrelated Local Partner", kind=OrganisationKind.LOCAL_PARTNER
    )
    outsider = User.objects.create_user(email="outsider@example.org", password=PASSWORD)
    Membership.objects.create(user=outsider, organisation=partner, role=Role.MEMBER)
    users["outsider"] = outsider
    return SimpleNamespace(**users)


@pytest.fixture
def client_for(db):
    """A test client signed in as the given user (MFA already set up for personas)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return make
