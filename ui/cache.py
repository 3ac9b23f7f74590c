"""Caches shared by all sessions: the labs' results keyed by their (plain, hashable) configs, bounded in size."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import streamlit as st

from i18n import N_, Nn_, Note, _
from labs import remote
from labs.seeding import one_thread

from . import workers


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

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

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


_WAITING = 0  # learners' lab computations under way in this process (ui.warmup starts no job while there are any)
_WAITING_LOCK = threading.Lock()
WAIT_POLL_S = 0.1  # how often a waiting section redraws its place in line or its progress
SILENT_WAIT_S = 0.5  # a section without a progress bar gets one after this long (nobody waits a second unseen)
_AHEAD = Nn_("{n} experiment ahead of yours…", "{n} experiments ahead of yours…")
_NEXT = N_("Yours is next…")
_WAITING_LABEL = N_("Computing on the class's shared workers…")


def lab(kind: str, key: Any, call: Callable[..., Any], max_entries: int = 32, progress=None) -> Any:
    """call() on a Dask worker (ui.workers), cached under `key` in the bounded cache `kind` (one per result kind,
    so a big result kind cannot evict a small one). `key` must be plain and hashable: a frozen config; `call` a
    module-level lab function or a functools.partial of one (it is pickled to the worker).

    With `progress` (labs.progress), call(progress=...) runs instead and its reports reach the bar. While the run
    waits for a free worker, the bar says how many experiments are ahead of it; a section that shows no bar gets
    one after SILENT_WAIT_S. Identical requests share one computation (one task key), from this replica or another;
    a prefetch() of the same key is awaited. A learner who leaves (Streamlit stops the rerun) releases the run: it
    is dropped if nobody else waits for it."""
    global _WAITING
    cache = _cache(kind, max_entries)
    hit, value = cache.lookup(key)
    if hit:
        return value
    with _WAITING_LOCK:
        _WAITING += 1
    future = None
    try:
        future = workers.submit(kind, key, call, report=progress is not None)
        value = workers.wait(future, _teller(progress), WAIT_POLL_S)
    finally:
        with _WAITING_LOCK:
            _WAITING -= 1
        if future is not None:
            future.release()
            workers.forget(future.key)
    cache.put(key, value)
    return value


def _teller(progress):
    """tell(fraction, place or Note) for workers.wait: the place in line worded, onto `progress` or a bar of its
    own that appears once the wait is felt."""
    started = time.monotonic()
    own: list = []

    def tell(fraction: float, where) -> None:
        note = (Note.count(_AHEAD, where) if where else Note.of(_NEXT)) if isinstance(where, int) else where
        if progress is not None:
            progress(fraction, note)
        elif own or time.monotonic() - started > SILENT_WAIT_S:
            if not own:
                own.append(st.progress(0.0, text=_(_WAITING_LABEL)))
            own[0].progress(min(max(float(fraction), 0.0), 1.0),
                            text=f"{_(_WAITING_LABEL)} {note.render()}" if note else _(_WAITING_LABEL))

    return tell


def computing() -> int:
    """How many learners' lab computations are under way (a page's or a fragment's rerun)."""
    with _WAITING_LOCK:
        return _WAITING


_PENDING: dict[tuple[str, Any], Any] = {}  # prefetched futures, held until their result is cached
_PENDING_LOCK = threading.Lock()


def prefetch(kind: str, key: Any, call: Callable[..., Any], max_entries: int = 32, report: bool = False,
             priority: int = 0):
    """Start lab(kind, key, call) on a worker unless it is cached or under way: for a section further down the
    page whose settings are already known (it runs on another worker while the page's first one computes), or the
    warm-up's default views (priority -1: after every learner's run). Its result lands in the cache when done;
    lab() for the same key waits for it. `report`: call takes progress= (its section's bar follows it).
    The future, or None if it was cached."""
    cache = _cache(kind, max_entries)
    with _PENDING_LOCK:
        if key in cache:
            return None
        if (kind, key) in _PENDING:
            return _PENDING[(kind, key)]
        future = workers.submit(kind, key, call, report=report, priority=priority)
        _PENDING[(kind, key)] = future

    def done(_future) -> None:
        try:
            if future.status == "finished":
                cache.put(key, future.result())
        finally:
            with _PENDING_LOCK:
                if _PENDING.get((kind, key)) is future:
                    del _PENDING[(kind, key)]
            future.release()

    future.add_done_callback(done)
    return future


def warm(kind: str, key: Any, call: Callable[..., Any], max_entries: int = 32) -> None:
    """prefetch() at the lowest priority, and wait until it is done (ui.warmup: one job at a time)."""
    future = prefetch(kind, key, call, max_entries, priority=-1)
    if future is not None:  # cached here as well: prefetch's done callback runs on another thread, maybe later
        _cache(kind, max_entries).put(key, future.result())


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
            measured = workers.client().submit(remote.run, partial(cost.measure, rounds=5), False, pure=False).result()
            _cost_last = (time.monotonic(), measured)
        return _cost_last[1], time.monotonic() - _cost_last[0]
