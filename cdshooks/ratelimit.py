"""Calls per client per minute, counted in the cache (shared between workers when the
cache is Redis; per process with the local-memory cache)."""

from __future__ import annotations

import time

from django.core.cache import cache

from cdshooks.models import CdsClient

WINDOW_SECONDS = 60


def rate_limited(client: CdsClient) -> int | None:
    """None when the call may go ahead, else the seconds to wait."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"cdshooks:rate:{client.pk}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS * 2):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
    if not isinstance(count, int):
        return None  # the cache is unreachable (a tolerant Redis gives None): do not block
    if count > client.rate_limit_per_minute:
        return int((window + 1) * WINDOW_SECONDS - now) + 1
    return None
