"""Caches shared by all sessions: the labs' results keyed by their (plain, hashable) configs, bounded in size."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
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
CANCELLED_RETRIES = 3  # a run the scheduler cancelled under a waiting learner is submitted again (workers.wait)
# The scheduler starts the waiting task of highest priority first. A learner's run gets its virtual start time as
# priority (earlier first): now for a run, now + i * SHARE * (a part's estimated seconds) for the i-th part of a
# long experiment (lab_parts). So runs are served in the order they came, except that a long experiment's parts
# fall due one by one: while others wait, a race gets about 1/SHARE of a worker and the runs that come meanwhile
# take their turns between its parts, instead of waiting for all of them (first come, first served for whole races
# made every experiment page wait 30 s under the class load test; a fixed lower priority for the parts starved the
# races, 5 of 5 timing out at 90 s). Virtual times only grow, so no run waits forever. The warm-up's come last.
SHARE = 2.0
WARM = -(2**62)
PART_ENTRIES = 256  # lab_parts' parts kept per kind (a race's run: two arrays of its epochs)


def _priority(after_s: float = 0.0) -> int:
    """Dask's priority (higher first) of a run whose virtual start time is `after_s` from now (ms resolution)."""
    return -round((time.time() + after_s) * 1000)


def lab(kind: str, key: Any, call: Callable[..., Any], max_entries: int = 32, progress=None,
        after_s: float = 0.0, own: frozenset = frozenset()) -> Any:
    """call() on a Dask worker (ui.workers), cached under `key` in the bounded cache `kind` (one per result kind,
    so a big result kind cannot evict a small one). `key` must be plain and hashable: a frozen config; `call` a
    module-level lab function or a functools.partial of one (it is pickled to the worker).

    With `progress` (labs.progress), call(progress=...) runs instead and its reports reach the bar. While the run
    waits for a free worker, the bar says how many experiments are ahead of it; a section that shows no bar gets
    one after SILENT_WAIT_S. Identical requests share one computation (one task key), from this replica or another;
    a prefetch() of the same key is awaited. A learner who leaves (Streamlit stops the rerun) releases the run: it
    is dropped if nobody else waits for it. `after_s`: its virtual start time from now (lab_parts' later parts);
    `own`: task keys of this learner's that the place in line does not count (lab_parts' other parts)."""
    global _WAITING
    cache = _cache(kind, max_entries)
    hit, value = cache.lookup(key)
    if hit:
        return value
    with _WAITING_LOCK:
        _WAITING += 1
    tell, bar = _teller(progress)
    try:
        for attempt in range(CANCELLED_RETRIES + 1):
            future = workers.submit(kind, key, call, report=progress is not None, priority=_priority(after_s))
            try:
                value = workers.wait(future, tell, WAIT_POLL_S, own)
                break
            except workers.Cancelled:  # another session's release crossed this submit: submit again
                if attempt == CANCELLED_RETRIES:
                    raise
            finally:
                future.release()
                workers.forget(future.key)
    finally:
        with _WAITING_LOCK:
            _WAITING -= 1
        if bar:  # its own bar goes once the result is in (a waiting section's bar, the page's own, stays its own)
            bar[0].empty()
    cache.put(key, value)
    return value


def _teller(progress):
    """(tell, bar): tell(fraction, place or Note) for workers.wait, the place in line worded, onto `progress` or a
    bar of its own that appears once the wait is felt; bar: that bar, once it exists (a list: [] until then)."""
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

    return tell, own


def computing() -> int:
    """How many learners' lab computations are under way (a page's or a fragment's rerun)."""
    with _WAITING_LOCK:
        return _WAITING


_CALLBACKS: set[tuple[str, Any]] = set()  # (kind, key) of prefetches whose result a done callback will cache
_CALLBACKS_LOCK = threading.Lock()
_HOLDERS = threading.local()  # per script thread: the stack of holding() blocks' prefetched futures


@contextmanager
def holding():
    """Prefetches started inside the block are held by it, and released when it ends: when its run is done, or when
    Streamlit stops it because the learner changed a setting again. A stale run nobody else waits for is then
    dropped from the queue, or stops at its next progress report (labs.remote.Stopped): one pending run per learner
    and section. Wrap a fragment's body in it (it also serves as a decorator)."""
    held: list = []
    stack = getattr(_HOLDERS, "stack", None)
    if stack is None:
        stack = _HOLDERS.stack = []
    stack.append(held)
    try:
        yield
    finally:
        stack.pop()
        for future in held:
            future.release()


def prefetch(kind: str, key: Any, call: Callable[..., Any], max_entries: int = 32, report: bool = False,
             after_s: float = 0.0):
    """Start lab(kind, key, call) on a worker unless it is cached (if it is under way, join it): for a section
    further down the page whose settings are already known, so that it runs on another worker while the page's
    first one computes. Its result lands in the cache when done; lab() for the same key waits for it. `report`:
    call takes progress= (its section's bar follows it). Inside holding() the run lives as long as the block, whose
    own lab() call fetches and caches the result (fetched once: a Dying ReLU run is about 1 MB); outside, until done,
    and a callback caches it. The future, or None if it was cached."""
    cache = _cache(kind, max_entries)
    if key in cache:
        return None
    future = workers.submit(kind, key, call, report=report, priority=_priority(after_s))  # its own reference
    stack = getattr(_HOLDERS, "stack", None)
    if stack:
        stack[-1].append(future)
        return future
    with _CALLBACKS_LOCK:
        first = (kind, key) not in _CALLBACKS  # one callback per run fetches its result
        _CALLBACKS.add((kind, key))

    def done(_future) -> None:
        try:
            if first and future.status == "finished":
                cache.put(key, future.result())
        except Exception:  # noqa: BLE001 - released by everyone meanwhile: lab() computes it when asked
            pass
        finally:
            if first:
                with _CALLBACKS_LOCK:
                    _CALLBACKS.discard((kind, key))
            future.release()

    future.add_done_callback(done)
    return future


def warm(kind: str, key: Any, call: Callable[..., Any], max_entries: int = 32) -> None:
    """lab() at the lowest priority (after every learner's run), without a bar and not counted as a learner's wait:
    ui.warmup's jobs, one at a time. A learner asking for the same key meanwhile joins this run."""
    cache = _cache(kind, max_entries)
    if key in cache:
        return
    future = workers.submit(kind, key, call, report=False, priority=WARM)
    try:
        cache.put(key, workers.wait(future, lambda *_: None, WAIT_POLL_S))
    except workers.Cancelled:  # crossed a learner's release of the same key: their page computes it when asked
        pass
    finally:
        future.release()


def lab_parts(kind: str, key: Any, parts: list[tuple[Any, Callable[..., Any]]], assemble: Callable[[list], Any],
              max_entries: int = 16, progress=None, part_seconds: float = 0.25) -> Any:
    """A long experiment made of independent parts (a race's runs): assemble([each part's result]), cached under
    `key` like lab(). Each part is a task of its own (cached as kind-part under its own key), all submitted at once
    with virtual start times SHARE * part_seconds apart (part_seconds: one part's estimated time on a worker): they
    spread over the free workers, and other learners' runs that come meanwhile take their turns between them.
    `progress` follows the part awaited, scaled to the whole; the place in line counts other learners' runs only.
    Leaving releases every part not done (holding)."""
    cache = _cache(kind, max_entries)
    hit, value = cache.lookup(key)
    if hit:
        return value
    part_kind, n = f"{kind}-part", len(parts)  # (its cache: PART_ENTRIES parts, whatever the experiment's size)
    own = frozenset(workers.key_of(part_kind, part_key) for part_key, _ in parts)
    spacing = SHARE * max(float(part_seconds), 0.0)
    with holding():
        for i, (part_key, call) in enumerate(parts):
            prefetch(part_kind, part_key, call, PART_ENTRIES, report=progress is not None, after_s=i * spacing)
        results = []
        for i, (part_key, call) in enumerate(parts):
            scaled = None if progress is None else partial(_scaled, progress, i, n)
            results.append(lab(part_kind, part_key, call, PART_ENTRIES, scaled, after_s=i * spacing, own=own))
    value = assemble(results)
    cache.put(key, value)
    return value


def _scaled(progress, i: int, n: int, fraction: float, note=None) -> None:
    progress((i + min(max(float(fraction), 0.0), 1.0)) / n, note)


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
