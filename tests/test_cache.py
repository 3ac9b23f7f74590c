"""ui.cache.prefetch: a later section's lab result computed in the background, once, and awaited by lab()."""
import threading
import uuid

import pytest

from ui import cache


def kind() -> str:
    return f"test-{uuid.uuid4().hex}"  # a cache of its own per test: nothing is shared with another test


def test_a_prefetched_result_is_computed_once_and_awaited():
    k, calls, started, release = kind(), [], threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(5)
        calls.append("background")
        return object()

    cache.prefetch(k, "cfg", slow)
    cache.prefetch(k, "cfg", slow)  # under way already: not started twice
    assert started.wait(60)  # (the one worker may finish another test's page first)
    release.set()
    got = cache.lab(k, "cfg", lambda: calls.append("inline") or object())
    assert calls == ["background"]  # lab() waited for the background run instead of computing its own
    assert cache.lab(k, "cfg", lambda: pytest.fail("cached: never computed again")) is got
    cache.prefetch(k, "cfg", lambda: pytest.fail("cached: nothing to prefetch"))


def test_a_prefetch_that_has_not_started_is_called_off_and_computed_inline():
    busy, release = threading.Event(), threading.Event()
    cache.prefetch(kind(), "blocker", lambda: (busy.set(), release.wait(5)))  # the one worker is taken
    assert busy.wait(60)
    k, calls = kind(), []
    cache.prefetch(k, "cfg", lambda: calls.append("background") or 1)
    assert cache.lab(k, "cfg", lambda: calls.append("inline") or 2) == 2  # no waiting behind another's work
    release.set()
    cache._POOL.submit(lambda: None).result(60)  # the worker is free again
    assert calls == ["inline"]


def test_a_failed_prefetch_fails_again_in_the_page_itself():
    k = kind()

    def broken():
        raise ValueError("bad config")

    cache.prefetch(k, "cfg", broken)
    cache._POOL.submit(lambda: None).result(60)
    with pytest.raises(ValueError, match="bad config"):  # raised where the page can report it, not swallowed
        cache.lab(k, "cfg", broken)
    assert cache.lab(k, "cfg", lambda: 3) == 3
