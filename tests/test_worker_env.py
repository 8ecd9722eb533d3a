import pytest

from tests.worker_env import _test_cache_timeout, _worker_redis_url


def test_each_worker_gets_the_next_redis_database_after_the_configured_one():
    assert _worker_redis_url("redis://127.0.0.1:6379/1", "gw0") == "redis://127.0.0.1:6379/1"
    assert _worker_redis_url("redis://127.0.0.1:6379/1", "gw1") == "redis://127.0.0.1:6379/2"


def test_a_url_without_a_database_starts_at_database_zero():
    assert _worker_redis_url("redis://cache.example.com:6379", "gw3") == (
        "redis://cache.example.com:6379/3"
    )


def test_a_worker_beyond_redis_default_sixteen_databases_is_refused_clearly():
    with pytest.raises(RuntimeError, match="Run fewer workers"):
        _worker_redis_url("redis://127.0.0.1:6379/14", "gw2")


def test_tests_give_redis_a_second_unless_the_environment_says_otherwise():
    environ = {}
    _test_cache_timeout(environ)
    assert environ["CACHE_TIMEOUT_MS"] == "1000"
    environ = {"CACHE_TIMEOUT_MS": "250"}
    _test_cache_timeout(environ)
    assert environ["CACHE_TIMEOUT_MS"] == "250"
