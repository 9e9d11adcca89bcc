"""The Redis cache, with one client object kept per server instead of one built per call.

Django's Redis backend builds a new `redis.Redis` for every cache operation, and each new one
copies redis-py's table of about 170 response callbacks: a fifth of a millisecond before the
network, paid by every session read and every cached page. A client is only a connection pool
and that table, safe to share between threads, so one per pool is kept and reused.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
