"""A small fixed-window throttle for public forms, counted per client address in the cache.

Sign-in is throttled by django-allauth (ACCOUNT_RATE_LIMITS); this is for our own public
forms, such as asking for an account, which anyone can post without signing in. The client's
address is worked out as allauth works it out (ALLAUTH_TRUSTED_PROXY_COUNT), so the two
throttles agree on who is who behind a proxy.

The count lives in the shared cache (the database or Redis, never process memory), so every
web process counts the same attempts. The database cache's `incr` is a read then a write, so
the count is taken under a lock held in that same cache, as allauth takes its own.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest

LOCK_TIMEOUT = 10  # seconds a lock outlives a process that died holding it
LOCK_WAIT = 2.0  # seconds to wait for the lock before refusing


@contextmanager
def _locked(key: str) -> Iterator[bool]:
    lock = f"{key}:lock"
    deadline = time.monotonic() + LOCK_WAIT
    while not cache.add(lock, 1, timeout=LOCK_TIMEOUT):
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(0.02)
    try:
        yield True
    finally:
        cache.delete(lock)


def allow(request: HttpRequest, *, action: str, limit: int, period: int) -> bool:
    """Count this attempt; False once `limit` attempts from the client's address have been
    made in the current window of `period` seconds (and, failing closed, when the count
    cannot be taken)."""
    address = get_adapter(request).get_client_ip(request) or "unknown"
    now = time.time()
    window = int(now) // period
    key = f"engage:throttle:{action}:{address}:{window}"
    with _locked(key) as locked:
        if not locked:
            return False
        count = (cache.get(key) or 0) + 1
        # Kept until the window ends, however late in it the first attempt came.
        cache.set(key, count, timeout=max(1, (window + 1) * period - int(now)))
    return count <= limit
