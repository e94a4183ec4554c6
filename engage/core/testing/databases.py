"""A PostgreSQL database of a test's own, for tests whose subprocesses share one (the worker
tests): made on the server the suite runs on (DATABASE_URL) and dropped afterwards."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


@contextmanager
def postgres_scratch_database() -> Iterator[str]:
    """Yield the URL of a new, empty database on DATABASE_URL's server; drop it after, even
    if its connections are still open."""
    import psycopg
    from psycopg import sql

    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"engage_worker_test_{uuid.uuid4().hex[:12]}"
    admin_url = server._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
