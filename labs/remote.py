"""A lab's computation as it runs on a Dask worker: torch on one thread, a lower CPU priority, its progress sent
to the web process as Dask events, and stopped when nobody waits for it any more (ui.workers is the other side).

Everything here runs inside a worker process (or a worker thread with ACTIVATION_LAB_DASK=threads); it imports
no Streamlit. A lab is called as `call(progress=report)` when the page shows its progress, else as `call()`.
"""
from __future__ import annotations

import json
import os
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any

from .seeding import one_thread

TOPIC = "activation-lab-progress"  # the event topic the web processes subscribe to
REPORT_EVERY_S = 0.2  # at most 5 progress events per second and run: a bar needs no more, the scheduler less
NICE_ENV = "ACTIVATION_LAB_WORKER_NICE"  # set by ui.workers on the processes it starts (and by deploy/ manifests)
COST_LOG_ENV = "ACTIVATION_LAB_COST_LOG"  # a file: one JSON line per run (its kind, CPU and wall seconds); the
# class load test sets it to measure what experiments cost a worker (bench/load, the capacity model)
_thread = threading.local()


class Stopped(Exception):
    """Raised inside a run whose every waiting learner has left (changed a setting, closed the tab): the scheduler
    released the task, so the rest of the run would be computed for nobody."""


def _lower_priority() -> None:
    """os.nice from NICE_ENV, once per worker thread (Linux keeps a nice value per thread, and the lab computes in
    the task's thread): a worker's training then never takes a core from the web process, whose pages (the
    Explorer's curve, a slider's redraw) are small and must stay instant. Never in the web process itself
    (ACTIVATION_LAB_DASK=threads sets no NICE_ENV): that would slow its own pages down."""
    if getattr(_thread, "niced", False):
        return
    _thread.niced = True
    try:
        steps = int(os.environ.get(NICE_ENV, "0"))
    except ValueError:
        steps = 0
    if steps > 0:
        os.nice(min(steps, 19))


# glibc's allocator on a Dask worker: Dask's nanny starts every worker process with MALLOC_TRIM_THRESHOLD_=65536
# (distributed.nanny.pre-spawn-environ), to hand freed memory back to the system at once. Setting it also freezes
# glibc's mmap threshold at 128 KB, so every tensor above that (a layer's activations over the data and the grid) is
# mapped and unmapped anew: a default Dying ReLU training took 261-269 ms instead of 200-205 ms (the same process
# with and without the variable, median of 9). These values give back glibc's own defaults' speed (what its dynamic
# threshold grows to) with a bounded retention: blocks up to 32 MB from the heap, trimmed above 64 MB free.
MMAP_THRESHOLD, TRIM_THRESHOLD = 32 * 2**20, 64 * 2**20
_malloc_tuned = False


def _tune_malloc() -> None:
    """mallopt once per worker process (Linux with glibc; elsewhere nothing to do)."""
    global _malloc_tuned
    if _malloc_tuned:
        return
    _malloc_tuned = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, TRIM_THRESHOLD)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):  # not glibc
        pass


def run(call: Callable[..., Any], report: bool) -> Any:
    """The task a web process submits: call() (or call(progress=...) when `report`) on this worker."""
    _lower_priority()
    if os.environ.get("MALLOC_TRIM_THRESHOLD_"):  # a worker process started by Dask's nanny (not the web process)
        _tune_malloc()
    path = os.environ.get(COST_LOG_ENV)
    if not path:
        return _run(call, report)
    cpu, wall, outcome = time.thread_time(), time.perf_counter(), "done"
    try:
        return _run(call, report)
    except Stopped:
        outcome = "stopped"
        raise
    except Exception:
        outcome = "failed"
        raise
    finally:
        from distributed import get_worker

        line = {"key": str(get_worker().get_current_task()), "cpu_s": round(time.thread_time() - cpu, 4),
                "wall_s": round(time.perf_counter() - wall, 4), "outcome": outcome, "t": round(time.time(), 3)}
        with open(path, "a", encoding="utf-8") as log:  # one short line per append: whole lines from many workers
            log.write(json.dumps(line) + "\n")


def _run(call: Callable[..., Any], report: bool) -> Any:
    if not report:
        return one_thread(call)
    from distributed import get_worker

    worker = get_worker()
    key = worker.get_current_task()
    last = [0.0]

    def progress(fraction: float, note: Any = None) -> None:
        task = worker.state.tasks.get(key)  # read-only, from the task's thread: the worker's own view of it
        if task is not None and task.state in ("cancelled", "released", "forgotten"):
            raise Stopped(key)
        now = time.monotonic()
        if now - last[0] < REPORT_EVERY_S and fraction < 1.0:
            return
        last[0] = now
        # a Note is a frozen dataclass: pickled, since events must be msgpack-serializable (our own workers only)
        worker.log_event(TOPIC, [key, float(fraction), pickle.dumps(note) if note is not None else None])

    worker.log_event(TOPIC, [key, 0.0, None])  # started: its section shows progress instead of a place in line
    return one_thread(lambda: call(progress=progress))

