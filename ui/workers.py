"""Where the labs' experiments run: on Dask workers, out of the web process (issue 23).

Every session of a Streamlit server runs in one Python process: trainings computed there serialize on the
interpreter lock and make every page wait, the Explorer's curve included. So a lab's computation is a Dask task:
- by default this module starts a LocalCluster itself (one worker process per core, one thread each, torch on one
  thread, at a lower CPU priority than the web process), so `streamlit run app.py` still needs nothing else;
- ACTIVATION_LAB_DASK=tcp://host:8786 (or `[dask] scheduler = "tcp://..."` in .streamlit/secrets.toml) connects
  to an existing scheduler instead: several app replicas share one cluster (docs/deploy.md, deploy/);
- ACTIVATION_LAB_DASK=threads runs the workers as threads of this process (tests; hosts that forbid processes).
One code path for all three: submit() and wait().

A task's key is the lab's kind and a token of its config, so identical requests share one computation: within a
replica (the client returns the same key's future) and across replicas (the scheduler merges equal keys).
Tasks wait in the scheduler's queue in order (worker-saturation 1.0 and tasks marked as data producers: one task
per worker thread, the rest queued by priority, so a learner's place in line is known: place()); learners' runs
before the warm-up's (a lower priority). A learner who leaves releases their future: a queued task is dropped, a
running one stops at its next progress report (labs.remote.Stopped).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from labs import queue_places, remote

SETTING_ENV = "ACTIVATION_LAB_DASK"
PREFIX = "activation-lab-"  # every task of this app: the queue shown to learners counts only these
QUEUE_POLL_S = 0.5  # how old the scheduler's queue may be when a waiting learner is told their place
WORKER_NICE = "10"  # the LocalCluster's workers yield the CPU to the web process (labs.remote._lower_priority);
# ACTIVATION_LAB_WORKER_NICE in the app's environment overrides it (0: as the web process; the browser tests' server)
START_TIMEOUT_S = 60  # an external scheduler that does not answer in this time is reported, not waited for
_log = logging.getLogger(__name__)

_client = None
_client_lock = threading.Lock()
_progress: OrderedDict[str, tuple[float, Any]] = OrderedDict()  # task key -> the last (fraction, Note) reported
_progress_lock = threading.Lock()
_MAX_PROGRESS = 1000
_queue: tuple[float, dict] = (0.0, {"ahead": {}, "running": 0, "threads": 0})
_queue_lock = threading.Lock()


def setting() -> str:
    """'processes' (the default: a LocalCluster of processes), 'threads', or a scheduler's address."""
    env = os.environ.get(SETTING_ENV, "").strip()
    if env:
        return env
    try:
        import streamlit as st

        if st.secrets.load_if_toml_exists():
            return str(st.secrets.get("dask", {}).get("scheduler", "")).strip() or "processes"
    except Exception:  # noqa: BLE001 - no secrets or no Streamlit runtime (a bench script): the default
        pass
    return "processes"


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# Dask and distributed are imported on first use (a page that never experiments does not pay for them), and only
# under this lock: two sessions' threads importing them at once (the warm-up's client() and a learner's key_of, say)
# can cross in Python's per-module import locks, which then hands one of them a half-built module. Every experiment
# of a 50-learner load test failed so: "AttributeError: module 'dask' has no attribute 'utils'". The cluster's start,
# which imports more of distributed, holds it too.
_IMPORTS = threading.RLock()
_imported = False


def _import_dask() -> None:
    global _imported
    if _imported:
        return
    with _IMPORTS:
        if not _imported:
            import dask._expr  # noqa: F401
            import dask._task_spec  # noqa: F401
            import dask.base  # noqa: F401 - each imported here once, for every later use
            import dask.utils  # noqa: F401
            import distributed  # noqa: F401
            import distributed.spans  # noqa: F401
            _imported = True


def _configure() -> None:
    import cloudpickle
    import dask

    # one task per worker thread, the others in the scheduler's queue in order (an external scheduler needs
    # DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION=1.0 for the same: deploy/)
    dask.config.set({"distributed.scheduler.worker-saturation": 1.0,
                     # its statistical profiler samples the computing thread every 10 ms, holding the interpreter
                     # lock: runs took up to a third longer with it (measured); there is no dashboard to show it
                     "distributed.worker.profile.enabled": False})
    cloudpickle.register_pickle_by_value(queue_places)


def _start(where: str):
    _import_dask()
    with _IMPORTS:  # what starting a cluster imports on the way (its nanny, its HTTP routes), under the same lock
        return _start_now(where)


def _start_now(where: str):
    from distributed import Client, LocalCluster

    _configure()
    if where == "threads":  # (the HTTP port serves the scheduler's health and metrics: any free one)
        return Client(LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"))
    if where in ("processes", "local"):
        try:
            cluster = LocalCluster(n_workers=cores(), threads_per_worker=1, processes=True, dashboard_address=":0",
                                   silence_logs=logging.WARNING,
                                   env={remote.NICE_ENV: os.environ.get(remote.NICE_ENV, WORKER_NICE),
                                        "OMP_NUM_THREADS": "1"})
            return Client(cluster)
        except Exception:  # noqa: BLE001 - a host that forbids processes: the app still works, on threads
            _log.exception("Activation Lab: no worker processes could start; computing on threads instead")
            return _start_now("threads")
    return Client(where, timeout=START_TIMEOUT_S)


def client():
    """The Dask client of this web process, started (or connected) on first use."""
    global _client
    with _client_lock:
        if _client is None or _client.status in ("closing", "closed"):
            where = setting()
            _client = _start(where)
            _client.subscribe_topic(remote.TOPIC, _on_event)
            _log.info("Activation Lab: experiments run on %s (%s)", where, _client.scheduler.address)
        return _client


def _on_event(event) -> None:
    """A worker's progress report (labs.remote.run), kept for whoever waits for that task."""
    _, (key, fraction, note) = event
    with _progress_lock:
        _progress[key] = (fraction, pickle.loads(note) if note is not None else None)
        _progress.move_to_end(key)
        while len(_progress) > _MAX_PROGRESS:
            _progress.popitem(last=False)


def key_of(kind: str, key: Any) -> str:
    """The task's key: the same for the same lab and config, in every replica (dask's tokenize is deterministic
    across processes for the plain values and frozen dataclasses a config is made of)."""
    _import_dask()
    from dask.base import tokenize

    return f"{PREFIX}{kind}-{tokenize(kind, key)}"


def submit(kind: str, key: Any, call: Callable[..., Any], report: bool, priority: int = 0):
    """A future of call() (call(progress=...) with `report`) on a worker; the same key's if one is under way.
    `call` must pickle by reference: a module-level lab function, or functools.partial of one with its config."""
    _import_dask()
    from dask._expr import LLGExpr
    from dask._task_spec import Task
    from distributed import Future
    from distributed.spans import SpanMetadata

    c = client()
    task_key = key_of(kind, key)
    with c._refcount_lock:
        state = c.futures.get(task_key)
        if state is not None and state.status not in ("error", "cancelled"):
            return Future(task_key, c)
    if state is not None:  # a failed or cancelled run not yet released (release() is asynchronous): a fresh run
        task_key = f"{task_key}-{uuid.uuid4().hex}"
    # Client.submit's own graph, with one difference: the task is marked as a data producer, which the scheduler
    # queues (rather than assigning every task to a worker at once, where it would wait in that worker's own
    # queue, out of the scheduler's order and sight). tests/test_cache.py (a learner's place in line) holds it to the
    # pinned Dask.
    expr = LLGExpr({task_key: Task(task_key, remote.run, call, report, _data_producer=True)},
                   _determ_token=uuid.uuid4().hex)
    return c._graph_to_futures(expr, [task_key], internal_priority={task_key: 0}, user_priority=priority,
                               span_metadata=SpanMetadata(collections=[{"type": "Future"}]))[task_key]


def progress_of(task_key: str) -> tuple[float, Any] | None:
    """The last (fraction, Note) a running task reported, or None if it has not started."""
    with _progress_lock:
        return _progress.get(task_key)


def place(task_key: str, own: frozenset = frozenset()) -> int | None:
    """How many experiments wait before this one in the scheduler's queue (0: it is next), or None if it is not
    waiting (it runs, or is done); the tasks in `own` (the same learner's other parts) are not counted. The queue is
    read at most every QUEUE_POLL_S, by one waiting session for all."""
    global _queue
    with _queue_lock:
        if time.monotonic() - _queue[0] > QUEUE_POLL_S:
            try:
                snapshot = client().run_on_scheduler(queue_places.queue_places, prefix=PREFIX)
            except Exception:  # noqa: BLE001 - a scheduler that cannot say: no place shown, the wait goes on
                _log.warning("Activation Lab: the scheduler's queue could not be read", exc_info=True)
                snapshot = {"ahead": {}, "running": 0, "threads": 0}
            _queue = (time.monotonic(), snapshot)
        ahead = _queue[1]["ahead"]
    mine = ahead.get(task_key)
    if mine is None or not own:
        return mine
    return mine - sum(1 for k in own if ahead.get(k, mine) < mine)


class Cancelled(Exception):
    """The scheduler cancelled a run someone still waits for: submit it again (cache.lab does)."""


def wait(future, tell: Callable[[float, Any], None], poll_s: float, own: frozenset = frozenset()) -> Any:
    """future's result; meanwhile tell(0, its place in line as a count) while it waits, then tell(fraction, note)
    as the worker reports. Place counts are ints, progress notes are Notes or None: the caller words them.
    Raises Cancelled if the run was cancelled under it.

    The result is fetched once the future is done, never with result(timeout=): under load that call's own timeout
    and distributed.utils.sync's can cross, and an asyncio.CancelledError (a BaseException) then leaves sync
    reading its unset result: "UnboundLocalError: cannot access local variable 'result'", 85 times in 3 minutes
    of the class load test."""
    done = threading.Event()
    future.add_done_callback(lambda _future: done.set())
    while not (done.wait(poll_s) or future.done()):
        ahead = place(future.key, own)
        if ahead is not None:
            tell(0.0, ahead)
            continue
        # running: its last report, or (a run that reports nothing, or has not yet) that it computes
        tell(*(progress_of(future.key) or (0.0, None)))
    try:
        if not future.cancelled():
            return future.result()
    except (concurrent.futures.CancelledError, asyncio.CancelledError, UnboundLocalError):
        # cancelled under us: a release and a new submit of the same key crossed at the scheduler, whose
        # "cancelled-keys" for the released task reached the new future (FutureCancelledError)
        if not future.cancelled():
            raise
    raise Cancelled(future.key)


def forget(task_key: str) -> None:
    with _progress_lock:
        _progress.pop(task_key, None)
