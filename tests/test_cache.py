"""ui.cache: a later section's lab result prefetched in the background and awaited by lab(); identical requests
from several sessions share one computation and its progress."""
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


def test_two_sessions_asking_for_the_same_run_share_it_and_its_progress():
    """Issue 23: a class opening the same preset at once costs one run; the others wait for it and see its bar."""
    k, calls, leading, release = kind(), [], threading.Event(), threading.Event()
    seen = []

    def train(progress):
        calls.append("run")
        progress(0.5, "halfway")
        leading.set()
        release.wait(5)
        return "result"

    quiet = lambda *a: None  # noqa: E731
    leader = threading.Thread(target=lambda: seen.append(("leader", cache.lab(k, "cfg", train, progress=quiet))))
    leader.start()
    assert leading.wait(5)
    reports = []
    threading.Timer(3 * cache.WAIT_POLL_S, release.set).start()
    got = cache.lab(k, "cfg", train, progress=lambda fraction, note=None: reports.append((fraction, note)))
    leader.join(5)
    assert got == "result" and seen == [("leader", "result")] and calls == ["run"]  # computed once
    assert reports and set(reports) == {(0.5, "halfway")}  # the waiter's bar showed the leader's progress


def test_a_session_whose_shared_run_stopped_computes_it_itself():
    k, leading, release = kind(), threading.Event(), threading.Event()

    def stopped():
        leading.set()
        release.wait(5)
        raise RuntimeError("the leader's learner changed a setting")  # Streamlit stops a rerun by an exception

    leader = threading.Thread(target=lambda: pytest.raises(RuntimeError, cache.lab, k, "cfg", stopped))
    leader.start()
    assert leading.wait(5)
    got = []
    waiter = threading.Thread(target=lambda: got.append(cache.lab(k, "cfg", lambda: "mine")))
    waiter.start()
    threading.Event().wait(3 * cache.WAIT_POLL_S)  # the waiter is waiting for the leader's run now
    release.set()
    leader.join(5)
    waiter.join(5)
    assert got == ["mine"]
