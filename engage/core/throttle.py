"""A small fixed-window throttle for public forms, counted per client address in the cache.

Sign-in is throttled by django-allauth (ACCOUNT_RATE_LIMITS); this is for our own public
forms, such as asking for an account, which anyone can post without signing in. The client's
address is worked out as allauth works it out (ALLAUTH_TRUSTED_PROXY_COUNT), so the two
throttles agree on who is who behind a proxy. With the per-process memory cache each
process counts alone; set REDIS_URL in production so every process shares the count.
"""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest


def allow(request: HttpRequest, *, action: str, limit: int, period: int) -> bool:
    """Count this attempt; False once `limit` attempts from the client's address have been
    made in the current window of `period` seconds."""
    address = get_adapter(request).get_client_ip(request) or "unknown"
    key = f"engage:throttle:{action}:{address}:{int(time.time()) // period}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this attempt starts a new window
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit
