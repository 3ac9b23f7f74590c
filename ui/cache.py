"""Caches shared by all sessions: the labs' results keyed by their (plain, hashable) configs, bounded in size."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import streamlit as st

from labs.seeding import one_thread


@st.cache_data(max_entries=64, show_spinner=False)
def autograd(spec_key: str, params: dict, x: np.ndarray) -> np.ndarray:
    """PyTorch autograd's f'(x) (imports torch on first use: only when the learner asks for it)."""
    from activations.reference import torch_f_df

    return one_thread(lambda: torch_f_df(spec_key, x, params)[1])  # as the labs: a spinning second thread slows all


class BoundedCache:
    """A small thread-safe LRU shared by all sessions: revisiting a view is instant, memory stays bounded.
    (st.cache_data cannot be used where a progress bar must be updated while the value is computed.)"""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key, compute):
        hit, value = self.lookup(key)
        if hit:
            return value
        value = compute()  # outside the lock: two sessions may compute the same view once each, never block
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return value

    def lookup(self, key) -> tuple[bool, Any]:
        """(True, the value) if cached (its place in the LRU refreshed), else (False, None)."""
        with self._lock:
            if key not in self._data:
                return False, None
            self._data.move_to_end(key)
            return True, self._data[key]

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._data

    def peek(self, key):
        """The cached value, or None, without computing anything."""
        with self._lock:
            return self._data.get(key)


_CACHES: dict[str, BoundedCache] = {}
_CACHES_LOCK = threading.Lock()


def _cache(kind: str, max_entries: int) -> BoundedCache:
    with _CACHES_LOCK:
        if kind not in _CACHES:
            _CACHES[kind] = BoundedCache(max_entries)
        return _CACHES[kind]


class _Flight:
    """A computation under way in one session that others asking for the same key wait for (with its progress)."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.failed = False
        self.progress: tuple[float, Any] | None = None  # the last (fraction, note) it reported


_FLIGHTS: dict[tuple[str, Any], _Flight] = {}  # also the learners' computations under way (ui.warmup waits for none)
_FLIGHTS_LOCK = threading.Lock()
WAIT_POLL_S = 0.1  # how often a waiting session redraws the progress of the run it waits for


def lab(kind: str, key: Any, compute: Callable[..., Any], max_entries: int = 32, progress=None) -> Any:
    """compute() with torch on one thread, cached under `key` in the bounded cache `kind` (one per result kind,
    so a big result kind cannot evict a small one). `key` must be plain and hashable: a frozen config.

    With `progress` (labs.progress), compute(progress) is called instead and reports through it.
    Identical requests share one computation: a session asking for a key that another session is computing waits
    for that result and shows its progress (a class opening the same preset costs one run). If that run fails or
    its session stops it (the learner changed a setting), a waiting session computes it itself.
    If prefetch() is computing `key` already, its result is awaited; if it has not started, it is called off and
    compute() runs here (with the caller's progress bar)."""
    with _PENDING_LOCK:
        pending = _PENDING.get((kind, key))
    # (cancel() runs the future's done callback, which takes _PENDING_LOCK: never call it holding the lock)
    if pending is not None and not pending.cancel():
        try:
            return pending.result()
        except Exception:  # noqa: BLE001 - computed again below, so the page reports it as its own error
            pass
    cache = _cache(kind, max_entries)
    while True:
        with _FLIGHTS_LOCK:
            hit, value = cache.lookup(key)
            if hit:
                return value
            flight = _FLIGHTS.get((kind, key))
            leader = flight is None
            if leader:
                flight = _FLIGHTS[(kind, key)] = _Flight()
        if leader:
            return _lead(kind, key, cache, flight, compute, progress)
        while not flight.done.wait(WAIT_POLL_S):
            if progress is not None and flight.progress is not None:
                progress(*flight.progress)
        if not flight.failed:
            return flight.value


def computing() -> int:
    """How many learners' lab computations are under way (a page's or a fragment's rerun)."""
    with _FLIGHTS_LOCK:
        return len(_FLIGHTS)


def _lead(kind: str, key: Any, cache: BoundedCache, flight: _Flight, compute, progress) -> Any:
    def shared(fraction: float, note=None) -> None:
        flight.progress = (fraction, note)
        progress(fraction, note)

    try:
        flight.value = cache.get_or_compute(
            key, lambda: one_thread(compute if progress is None else (lambda: compute(shared))))
        return flight.value
    except BaseException:  # an error, or the learner's rerun stopping this run: whoever waits computes it
        flight.failed = True
        raise
    finally:
        with _FLIGHTS_LOCK:
            del _FLIGHTS[(kind, key)]
        flight.done.set()


# One background worker for the whole server: a page's later sections start computing while its first one does,
# on the second core; more would only make concurrent learners' runs slower.
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prefetch")
_PENDING: dict[tuple[str, Any], Future] = {}
_PENDING_LOCK = threading.Lock()


def prefetch(kind: str, key: Any, compute: Callable[[], Any], max_entries: int = 32) -> Future | None:
    """Start lab(kind, key, compute) in the background unless it is cached or under way: for a section further
    down the page whose settings are already known. compute() must not touch Streamlit (no progress bar).
    The future of the computation, or None if it was cached."""
    cache = _cache(kind, max_entries)
    with _PENDING_LOCK:
        if key in cache:
            return None
        if (kind, key) in _PENDING:
            return _PENDING[(kind, key)]
        future = _POOL.submit(cache.get_or_compute, key, lambda: one_thread(compute))
        _PENDING[(kind, key)] = future

    def done(_future: Future) -> None:
        with _PENDING_LOCK:
            if _PENDING.get((kind, key)) is future:
                del _PENDING[(kind, key)]

    future.add_done_callback(done)
    return future


def warm(kind: str, key: Any, compute: Callable[[], Any], max_entries: int = 32) -> None:
    """prefetch(), and wait until it is done (ui.warmup: one job at a time)."""
    future = prefetch(kind, key, compute, max_entries)
    if future is not None:
        future.result()


def peek(kind: str, key: Any) -> Any:
    """The cached result for `key` if anyone has computed it (a pure function of the settings), else None."""
    with _CACHES_LOCK:
        c = _CACHES.get(kind)
    return c.peek(key) if c is not None else None


# ---- measured cost (Compare page) --------------------------------------------------------------------------------
COST_REUSE_S = 60.0  # one measurement serves every session for a minute
_cost_lock = threading.Lock()
_cost_last: tuple[float, object] | None = None


def measure_costs():
    """(Costs, its age in seconds). A measurement takes ~2 s of one core and is the same for everyone on this
    server, so one younger than COST_REUSE_S is shared: a class pressing the button together costs one run,
    and their runs cannot slow each other's timings down. The lock makes concurrent presses wait for it."""
    from labs import cost

    global _cost_last
    with _cost_lock:
        if _cost_last is None or time.monotonic() - _cost_last[0] > COST_REUSE_S:
            measured = one_thread(lambda: cost.measure(rounds=5))
            _cost_last = (time.monotonic(), measured)
        return _cost_last[1], time.monotonic() - _cost_last[0]
