"""Tasks for the tests of ui.cache and ui.warmup on ui.workers' Dask cluster (threads in the test processes). A task
is pickled to its worker, as the labs' are: these are module-level functions that meet the test through this
module's events (the workers are threads of the test's own process)."""
import threading
import time
import uuid
from functools import partial

from labs import remote
from ui import cache

CALLS: list = []
GATES: dict[str, threading.Event] = {}
STARTED: dict[str, threading.Event] = {}


def gate(name: str) -> threading.Event:
    return GATES.setdefault(name, threading.Event())


def started(name: str) -> threading.Event:
    return STARTED.setdefault(name, threading.Event())


def held(name: str, value: object = None, progress=None):
    """A task that starts, reports halfway and waits for its gate (released by the test)."""
    CALLS.append(name)
    started(name).set()
    if progress is not None:
        progress(0.5, "halfway")
    assert gate(name).wait(20), name
    if progress is not None:
        progress(1.0, None)
    return value if value is not None else name


def until_stopped(name: str, progress=None):
    """A long run that reports every 10 ms, as a training does, until nobody wants it (or 20 s)."""
    CALLS.append(name)
    started(name).set()
    end = time.monotonic() + 20
    try:
        while time.monotonic() < end:
            progress(0.1, None)
            time.sleep(0.01)
    except remote.Stopped:
        CALLS.append(f"{name} stopped")
        raise
    return name


def broken(name: str):
    CALLS.append(name)
    raise ValueError("bad config")


def knows(dask_scheduler=None, key=""):
    return key in dask_scheduler.tasks


def blocker() -> str:
    """Takes the one worker thread until the test releases it; returns its name."""
    name = uuid.uuid4().hex
    cache.prefetch(kind(), name, partial(held, name))
    assert started(name).wait(30)
    return name


def kind() -> str:
    return f"test-{uuid.uuid4().hex}"  # a cache and task keys of its own per test: nothing shared with another
