"""Throttles and the TOTP replay guard hold across processes.

Production runs several web processes. Each test here starts two real Engage processes
(engage/core/tests/peer.py) against one store, the database cache or Redis, and plays an
attacker who spreads attempts over both. With a per-process memory cache each process counts
alone and every test here fails (as the audit found: a TOTP code accepted twice, 8 wrong
passwords let through, 7 account requests against a limit of 5).
"""

import importlib.util
import json
import os
import socket
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

PASSWORD = "a-shared-state-password"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
# The peers' database is copied from (or made beside) the test database, so it must be set up.
pytestmark = pytest.mark.django_db


def code_at(step_offset: int = 0) -> str:
    step = int(timezone.now().timestamp()) // 30 + step_offset
    return format_hotp_value(hotp_value(TOTP_SECRET, step))


class Peer:
    """One Engage process, driven one JSON command at a time."""

    def __init__(self, env: dict[str, str], log: Path):
        self._log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
            [sys.executable, "-m", "engage.core.tests.peer"],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        self.log = log

    def send(self, **command: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the peer process died:\n{self.log.read_text()[-3000:]}")
        return json.loads(line)

    def post(self, client: str, path: str, data: dict[str, Any], address: str) -> dict[str, Any]:
        return self.send(do="post", client=client, path=path, data=data, address=address)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _postgres_url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture(scope="module")
def peer_database(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """A database of their own for the peers, migrated as production's is (so its cache
    table comes from the migration alone): on SQLite a copy of the migrated test database,
    on PostgreSQL a new database migrated by `manage.py migrate`."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            path = tmp_path_factory.mktemp("peers") / "peers.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
            yield f"sqlite:///{path}"
            return
        name = f"{connection.settings_dict['NAME']}_peers"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = _postgres_url(name)
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
            },
            check=True,
        )
        yield url
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _redis_reachable() -> bool:
    from urllib.parse import urlparse

    url = urlparse(REDIS_TEST_URL)
    try:
        socket.create_connection((url.hostname, url.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module", params=["database", "redis"])
def store(request, peer_database) -> Iterator[dict[str, str]]:
    """The environment of processes sharing one store: the database cache (no REDIS_URL) or
    Redis under a key prefix of this test's own, deleted afterwards."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=peer_database)
    if request.param == "database":
        yield env
        return
    if not _redis_reachable():
        message = f"Redis is not reachable at {REDIS_TEST_URL} (start it, or set REDIS_TEST_URL)"
        if os.environ.get("CI") == "true":  # CI has Redis: its absence is a failure there
            pytest.fail(message)
        pytest.skip(message)
    import redis

    prefix = f"engage-peers-{uuid.uuid4().hex}"
    env.update(REDIS_URL=REDIS_TEST_URL, CACHE_KEY_PREFIX=prefix)
    yield env
    client = redis.Redis.from_url(REDIS_TEST_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="module")
def peers(store, tmp_path_factory) -> Iterator[tuple[Peer, Peer]]:
    """Two processes on one store, kept for the module's tests (each uses its own accounts
    and addresses, so they do not see each other's counts)."""
    logs = tmp_path_factory.mktemp("peer-logs")
    first, second = Peer(store, logs / "a.log"), Peer(store, logs / "b.log")
    yield first, second
    first.close()
    second.close()


def _address() -> str:
    """An address of this test's own, so nothing counted by another test is seen."""
    number = uuid.uuid4().int
    return f"10.{number % 250}.{number // 250 % 250}.{number // 62500 % 250 + 1}"


def _sign_in(peer: Peer, client: str, email: str, password: str, address: str) -> dict:
    data = {"login": email, "password": password}
    return peer.post(client, reverse("account_login"), data, address)


def test_a_totp_code_accepted_by_one_process_is_refused_by_the_other(peers):
    a, b = peers
    email = f"totp-{uuid.uuid4().hex[:8]}@example.org"
    a.send(do="make_user", email=email, password=PASSWORD, totp_secret=TOTP_SECRET)
    for peer in peers:
        step = _sign_in(peer, "me", email, PASSWORD, _address())
        assert step["location"] == reverse("mfa_authenticate"), step["status"]
    code = code_at()

    first = a.post("me", reverse("mfa_authenticate"), {"code": code}, _address())
    replayed = b.post("me", reverse("mfa_authenticate"), {"code": code}, _address())

    assert first["signed_in"]
    assert not replayed["signed_in"]
    assert replayed["status"] == 200
    assert "govuk-error-summary" in replayed["text"]
    # The other process checks codes: a fresh one (the next step, within tolerance) is let in.
    fresh = b.post("me", reverse("mfa_authenticate"), {"code": code_at(+1)}, _address())
    assert fresh["signed_in"], "a fresh code should be accepted"


def test_the_account_lock_counts_failures_made_through_both_processes(peers):
    a, b = peers
    email = f"lock-{uuid.uuid4().hex[:8]}@example.org"
    a.send(do="make_user", email=email, password=PASSWORD, totp_secret=TOTP_SECRET)
    limit = int(settings.LOGIN_FAILURES_PER_ACCOUNT.split("/")[0])
    # Neither process alone reaches the limit; each attempt from another address.
    for number in range(limit):
        peer = a if number % 2 == 0 else b
        wrong = _sign_in(peer, f"try{number}", email, "not-the-password", _address())
        assert wrong["status"] == 200
        assert "too many" not in wrong["text"].lower()

    for peer in peers:
        right = _sign_in(peer, "owner", email, PASSWORD, _address())
        assert right["location"] != reverse("mfa_authenticate")
        assert "too many failed" in right["text"].lower()
        assert not right["signed_in"]


def test_the_account_request_throttle_counts_requests_made_through_both_processes(peers):
    a, b = peers
    body = a.send(do="make_body")["pk"]
    address = _address()
    limit = settings.ACCOUNT_REQUESTS_PER_HOUR
    url = reverse("accounts:request_new")

    def ask(peer: Peer, number: int) -> dict:
        data = {
            "organisation_name": f"Group {number}",
            "areas_served": [str(body)],
            "contact_name": "Jo Bloggs",
            "email": f"jo{number}-{uuid.uuid4().hex[:6]}@example.org",
            "purpose": "Meetings.",
        }
        return peer.post("public", url, data, address)

    for number in range(limit):
        accepted = ask(a if number < limit // 2 + 1 else b, number)
        assert accepted["status"] == 200
        assert "Request sent" in accepted["text"]

    for peer in (b, a):
        refused = ask(peer, limit)
        assert refused["status"] == 429
        assert "too many requests for an account" in refused["text"]


def _production_settings():
    """A fresh reading of config/settings/base.py under the current environment."""
    spec = importlib.util.find_spec("config.settings.base")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_environment_and_the_tests_use_a_shared_cache(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    for environment in ("production", "development"):
        monkeypatch.setenv("DJANGO_ENV", environment)
        cache = _production_settings().CACHES["default"]
        assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        assert cache["LOCATION"] == "engage_cache"
    monkeypatch.setenv("REDIS_URL", "redis://cache.example.org:6379/0")
    assert _production_settings().CACHES["default"]["BACKEND"].endswith("RedisCache")

    assert settings.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }


def test_migrate_alone_makes_the_cache_table():
    # The test database is made by running the migrations, nothing else.
    assert "engage_cache" in connection.introspection.table_names()
