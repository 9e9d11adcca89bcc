"""The Redis cache keeps one client per server (mentoring/cache.py) and behaves as Django's."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from mentoring.cache import RedisCache


def _cache(url: str, cls=RedisCache):
    return cls(url, {"KEY_PREFIX": "test-cache"})


def test_every_call_uses_the_same_client(redis_url):
    cache = _cache(redis_url)
    clients = {id(cache._cache.get_client(write=True)) for _ in range(3)}
    clients |= {id(cache._cache.get_client()) for _ in range(3)}
    assert len(clients) == 1


def test_it_reads_and_writes_what_djangos_own_backend_does(redis_url):
    ours, django = _cache(redis_url), _cache(redis_url, DjangoRedisCache)
    try:
        ours.set("greeting", {"text": "Welcome"}, 30)
        assert django.get("greeting") == {"text": "Welcome"}
        django.set_many({"a": 1, "b": [2]}, 30)
        assert ours.get_many(["a", "b", "c"]) == {"a": 1, "b": [2]}
        assert ours.incr("a") == 2
        ours.delete_many(["greeting", "a", "b"])
        assert django.get("greeting") is None
    finally:
        django.delete_many(["greeting", "a", "b"])
