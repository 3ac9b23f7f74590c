"""The scheduler's queue as learners see it: which experiments wait, in which order. Run on the Dask scheduler by
ui.workers (Client.run_on_scheduler) and pickled by value, so a scheduler without the app's code can run it: this
module must stay self-contained (no imports, no globals)."""
from __future__ import annotations


def queue_places(dask_scheduler=None, prefix: str = "") -> dict:
    """Run on the scheduler (Client.run_on_scheduler): every waiting task whose key starts with `prefix`, with how
    many wait before it, and how many run. Tasks wait in the scheduler's queue in priority order (ui.workers marks
    them so, with worker-saturation 1.0: one task per worker thread), so the order is the order they will start.
    Pickled by value (ui.workers registers this module so): a scheduler that does not have the app's code runs it."""
    s = dask_scheduler
    waiting = [ts for ts in s.unrunnable if ts.key.startswith(prefix)]  # no worker yet (a cluster starting up)
    waiting += sorted((ts for ts in s.queued if ts.key.startswith(prefix)), key=lambda ts: ts.priority)
    running = sum(1 for ws in s.workers.values() for ts in ws.processing if ts.key.startswith(prefix))
    return {"ahead": {ts.key: i for i, ts in enumerate(waiting)}, "running": running,
            "threads": sum(ws.nthreads for ws in s.workers.values())}
