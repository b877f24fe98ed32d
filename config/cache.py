"""A Redis cache that degrades to "nothing cached" when Redis is unreachable.

Sessions are stored with ``cached_db``: the database has every session, the cache only
speeds up reads. If Redis goes away, a read is a miss (the database answers) and a write
is skipped, instead of every request failing. Each failure is logged (without keys).
"""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("richtsnoer.cache")
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(name: str, fallback):
    original = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return original(self, *args, **kwargs)
        except UNAVAILABLE:
            logger.warning("cache_unavailable", extra={"operation": name})
            return fallback() if callable(fallback) else fallback

    method.__name__ = name
    return method


class ReusingRedisCacheClient(RedisCacheClient):
    """Django builds a new ``redis.Redis`` object for every cache call (three per request
    with sessions in Redis), and each one builds its table of ~500 response callbacks:
    about 0.2 ms apiece. One client per connection pool does the same work; the client is
    thread-safe (each command takes a connection from the pool)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_reused_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE:
            logger.warning("cache_unavailable", extra={"operation": "get"})
            return default

    add = _tolerant("add", False)
    set = _tolerant("set", None)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    get_many = _tolerant("get_many", dict)
    has_key = _tolerant("has_key", False)
    set_many = _tolerant("set_many", list)
    delete_many = _tolerant("delete_many", None)
    incr = _tolerant("incr", None)
    clear = _tolerant("clear", False)

    def count_in_window(self, key, seconds: int, version=None) -> int | None:
        """Count one more call for ``key`` in a window that starts at its first call and
        ends ``seconds`` later: INCR and EXPIRE NX in one MULTI, one round trip (Django's
        ``add`` and ``incr`` take three). None when Redis is unreachable: not counted."""
        key = self.make_and_validate_key(key, version=version)
        try:
            client = self._cache.get_client(key, write=True)
            count, _ = (
                client.pipeline(transaction=True).incr(key).expire(key, seconds, nx=True).execute()
            )
        except UNAVAILABLE:
            logger.warning("cache_unavailable", extra={"operation": "count_in_window"})
            return None
        return count
