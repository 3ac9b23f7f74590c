"""ui.cache on ui.workers' Dask cluster (threads here: conftest; the same scheduler, queue and keys as the worker
processes of `streamlit run app.py`): results computed once and shared, a learner's place in line, progress from
the worker, and a run dropped or stopped when its learner leaves. The tasks are this module's functions (a task is
pickled to its worker, as the labs' are): tests/taskkit.py."""
import threading
import time
import uuid
from functools import partial

import pytest
from taskkit import CALLS, blocker, broken, gate, held, kind, knows, started, until_stopped

from ui import cache, workers


def test_a_prefetched_result_is_computed_once_awaited_and_cached():
    k, name = kind(), uuid.uuid4().hex
    assert cache.prefetch(k, "cfg", partial(held, name)) is not None
    cache.prefetch(k, "cfg", partial(held, name))  # under way already: not started twice
    assert started(name).wait(30)
    gate(name).set()
    assert cache.lab(k, "cfg", partial(held, "never")) == name  # lab() waited for the prefetched run
    assert CALLS.count(name) == 1 and "never" not in CALLS
    assert cache.lab(k, "cfg", partial(broken, "cached")) == name  # cached: never computed again
    assert cache.prefetch(k, "cfg", partial(broken, "cached")) is None and "cached" not in CALLS


def test_a_failed_run_fails_in_the_page_and_is_not_cached():
    k = kind()
    with pytest.raises(ValueError, match="bad config"):  # raised where the page can report it, not swallowed
        cache.lab(k, "cfg", partial(broken, "first"))
    name = uuid.uuid4().hex
    gate(name).set()
    assert cache.lab(k, "cfg", partial(held, name)) == name


def test_two_sessions_asking_for_the_same_run_share_it_and_its_progress():
    """A class opening the same preset at once costs one run; every learner's bar follows it."""
    k, name = kind(), uuid.uuid4().hex
    seen, reports = [], [[], []]

    def learner(i):
        seen.append(cache.lab(k, "cfg", partial(held, name),
                              progress=lambda fraction, note=None: reports[i].append((fraction, note))))

    sessions = [threading.Thread(target=learner, args=(i,)) for i in range(2)]
    for s in sessions:
        s.start()
    assert started(name).wait(30)
    time.sleep(4 * cache.WAIT_POLL_S)
    gate(name).set()
    for s in sessions:
        s.join(30)
    assert seen == [name, name] and CALLS.count(name) == 1  # computed once
    for r in reports:
        assert (0.5, "halfway") in r  # both bars showed the worker's report


def test_a_waiting_learner_is_told_their_place_in_line():
    first = blocker()
    k, mine, other = kind(), uuid.uuid4().hex, uuid.uuid4().hex
    cache.prefetch(kind(), other, partial(held, other))  # submitted first: ahead of mine
    told = []
    gate(mine).set()
    t = threading.Thread(target=lambda: cache.lab(k, "cfg", partial(held, mine),
                                                  progress=lambda f, note=None: told.append(str(note))))
    t.start()
    deadline = time.monotonic() + 10
    while "1 experiment ahead of yours…" not in told and time.monotonic() < deadline:
        time.sleep(0.05)
    gate(first).set()  # the blocker ends, the other runs: mine is next
    assert started(other).wait(30)
    while "Yours is next…" not in told and time.monotonic() < deadline:
        time.sleep(0.05)
    gate(other).set()
    t.join(30)
    assert "1 experiment ahead of yours…" in told and "Yours is next…" in told, told
    assert CALLS.index(other) < CALLS.index(mine)  # first come, first served


def test_warm_up_runs_wait_behind_every_learner():
    first = blocker()
    warm, mine = uuid.uuid4().hex, uuid.uuid4().hex
    gate(warm).set()
    gate(mine).set()
    t = threading.Thread(target=cache.warm, args=(kind(), "default", partial(held, warm)))
    t.start()
    time.sleep(2 * workers.QUEUE_POLL_S)  # the warm-up job is queued first
    learner = threading.Thread(target=cache.lab, args=(kind(), "cfg", partial(held, mine)))
    learner.start()
    time.sleep(2 * workers.QUEUE_POLL_S)
    gate(first).set()
    learner.join(30)
    t.join(30)
    assert CALLS.index(mine) < CALLS.index(warm)


class Left(Exception):
    """What Streamlit raises in a rerun it stops (a learner changed a setting): here from the progress bar."""


def test_a_learner_who_leaves_a_queued_run_drops_it():
    first = blocker()
    k, name = kind(), uuid.uuid4().hex
    gate(name).set()

    def leave(fraction, note=None):
        raise Left

    with pytest.raises(Left):
        cache.lab(k, "cfg", partial(held, name), progress=leave)  # told its place, then stopped
    key, deadline = workers.key_of(k, "cfg"), time.monotonic() + 10
    while workers.client().run_on_scheduler(knows, key=key) and time.monotonic() < deadline:
        time.sleep(0.02)  # (a release reaches the scheduler a moment later)
    assert not workers.client().run_on_scheduler(knows, key=key)
    gate(first).set()
    after = blocker()  # the worker is free again and took the next task: not the dropped one
    gate(after).set()
    assert name not in CALLS and cache.peek(k, "cfg") is None


def test_a_learner_who_leaves_a_running_run_stops_it():
    k, name = kind(), uuid.uuid4().hex
    stop = threading.Event()

    def progress(fraction, note=None):
        if stop.is_set():
            raise Left

    t = threading.Thread(target=lambda: pytest.raises(Left, cache.lab, k, "cfg", partial(until_stopped, name),
                                                      progress=progress))
    t.start()
    assert started(name).wait(30)
    stop.set()
    t.join(30)
    deadline = time.monotonic() + 10
    while f"{name} stopped" not in CALLS and time.monotonic() < deadline:
        time.sleep(0.02)
    assert f"{name} stopped" in CALLS  # the worker stopped it at its next report, long before its 20 s


def test_task_keys_are_the_same_in_every_process():
    """Replicas share a computation only if they name it alike: the key of a lab's config must not depend on
    the process (hash randomization, object ids)."""
    import subprocess
    import sys

    code = ("from labs import dying; from ui import workers; "
            "print(workers.key_of('dying', dying.TrainConfig()))")
    from labs import dying

    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           cwd=workers.__file__.rsplit("/ui/", 1)[0]).stdout.split()[-1]
    assert other == workers.key_of("dying", dying.TrainConfig())


def test_a_worker_process_that_reads_app_py_runs_nothing():
    """multiprocessing's spawn re-runs the server's __main__ (Streamlit makes it app.py) in every worker process it
    starts, as __mp_main__: a worker that ran the app would start a warm-up and a cluster of its own (each default
    view was computed three times before app.py said no)."""
    import runpy
    from pathlib import Path

    ran = runpy.run_path(str(Path(workers.__file__).parent.parent / "app.py"), run_name="__mp_main__")
    assert not {"st", "page", "warmup"} & set(ran), sorted(ran)


def test_prefetches_end_with_the_run_that_held_them():
    """A learner who changes a setting again (Streamlit stops the fragment's run) drops the sections' runs it started
    for the old settings: one pending run per learner and section."""
    k, name = kind(), uuid.uuid4().hex
    with pytest.raises(Left):
        with cache.holding():
            cache.prefetch(k, "cfg", partial(until_stopped, name), report=True)
            assert started(name).wait(30)
            raise Left
    deadline = time.monotonic() + 10
    while f"{name} stopped" not in CALLS and time.monotonic() < deadline:
        time.sleep(0.02)
    assert f"{name} stopped" in CALLS and cache.peek(k, "cfg") is None


def test_a_run_cancelled_under_a_waiting_learner_is_submitted_again():
    """A session's release and another's submit of the same key can cross at the scheduler, whose 'cancelled-keys'
    for the old task then reaches the new future (seen under the class load test): the learner still gets a result,
    not distributed's UnboundLocalError."""
    k, name = kind(), uuid.uuid4().hex
    out: list = []
    t = threading.Thread(target=lambda: out.append(cache.lab(k, "cfg", partial(held, name))))
    t.start()
    assert started(name).wait(30)
    c = workers.client()
    c.loop.add_callback(c._handle_cancelled_keys, [workers.key_of(k, "cfg")], "already forgotten")
    time.sleep(3 * cache.WAIT_POLL_S)
    gate(name).set()
    t.join(30)
    assert out == [name]


def test_a_long_experiments_parts_take_turns_with_other_learners_runs():
    """lab_parts: a race's runs are tasks of their own, in order, spaced in virtual time: another learner's run that
    comes while they wait starts before the race's later parts (not after all of them) and after its first ones;
    they come back assembled and cached whole; the place in line does not count the learner's own parts, and the
    bar follows the part awaited, scaled to the whole."""
    first = blocker()
    k, names = kind(), [uuid.uuid4().hex for _ in range(12)]
    parts = [((k, i), partial(held, n, i)) for i, n in enumerate(names)]
    for n in names[:-1]:
        gate(n).set()
    out, told = [], []
    racer = threading.Thread(target=lambda: out.append(cache.lab_parts(
        k, "race", parts, lambda runs: ("assembled", *runs),
        progress=lambda f, note=None: told.append((round(f, 3), str(note))))))
    racer.start()
    time.sleep(4 * workers.QUEUE_POLL_S)  # the parts wait behind the blocker; 1 s later another learner's run comes
    quick = uuid.uuid4().hex
    gate(quick).set()
    learner = threading.Thread(target=cache.lab, args=(kind(), "cfg", partial(held, quick)))
    learner.start()
    time.sleep(2 * workers.QUEUE_POLL_S)
    gate(first).set()
    learner.join(30)
    assert started(names[-1]).wait(30)
    time.sleep(4 * cache.WAIT_POLL_S)  # the last part reports halfway while the learner waits for it
    gate(names[-1]).set()
    racer.join(30)
    assert out == [("assembled", *range(12))]
    order = [CALLS.index(n) for n in names]
    assert order == sorted(order)  # the parts in order
    assert order[0] < CALLS.index(quick) < order[-1]  # its turn among the race's parts, not after all twelve
    assert (0.0, "Yours is next…") in told, told  # its own parts are not "experiments ahead of yours"
    assert (round(11.5 / 12, 3), "halfway") in told  # the bar follows the part awaited, scaled to the whole
    assert cache.lab_parts(k, "race", [], lambda runs: "never") == ("assembled", *range(12))  # cached whole


def _waiting_page():
    import threading
    import uuid
    from functools import partial

    import streamlit as st
    from taskkit import gate, held

    from ui import cache

    bars, progress = [], st.progress

    def counted(*args, **kwargs):
        bars.append(progress(*args, **kwargs))
        return bars[-1]

    st.progress = counted
    name = uuid.uuid4().hex
    threading.Timer(1.5, gate(name).set).start()  # longer than SILENT_WAIT_S: the section shows a bar of its own
    try:
        st.write(cache.lab(f"bar-{name}", "cfg", partial(held, name, f"done {name}")))
    finally:
        st.progress = progress
    st.write(f"bars {len(bars)}")


def test_a_section_waiting_for_a_silent_run_shows_a_bar_that_goes_with_the_result():
    """A run that reports no progress (no bar on its page) still gets "Computing on the class's shared workers…"
    once the wait is felt (SILENT_WAIT_S), running as well as queued, and the bar goes when the result comes."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_waiting_page, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [m.value for m in at.markdown]
    assert any(v.startswith("done ") for v in shown) and "bars 1" in shown, shown
    assert len(at.get("progress")) == 0
