"""The labs' default views, computed in the background once the server has answered its first visitor.

Most learners open a lab at its defaults (a teacher's link, the sidebar): the first of them used to wait for the
whole experiment (Real data's race, about 4 s on one core). The first page run of the server starts one thread
that computes each lab's default results into the shared caches (ui.cache) the pages read, one job at a time, the
longest wait first, each started only while no learner's page runs and no learner's experiment computes (a
fragment's rerun does not go through app.py). A job is not paused once started: labs hold locks while they compute,
such as the torch seed's, and a paused job holding one would stop every page that needs it; the longest job, the
race, takes about 4 s. A learner who asks for the very result a job is computing
waits for it instead of computing it twice (cache.prefetch).

The jobs are built from the pages' own declarations (each schema's defaults) the way each view builds its configs;
test_pseudo_locale.py checks, on every lab page's run at its defaults, that the page asks for exactly these keys.
ACTIVATION_LAB_WARMUP=0 turns it off (the test processes, which open pages thousands of times).
"""
from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from . import cache, workers

IDLE_POLL_S = 0.05  # how often the thread looks whether the learners' pages are done


@dataclass(frozen=True)
class Job:
    kind: str  # the ui.cache kind the page reads, with its size
    key: Any
    compute: Callable[[], Any]  # a lab function or a partial of one: it is pickled to a Dask worker
    max_entries: int


def _defaults(schema) -> dict:
    return {c.name: c.default for c in schema}


def _params(key: str) -> dict:
    from activations.lookup import get

    return {p.name: p.default for p in get(key).params}


def jobs() -> list[Job]:
    """Every lab's results at its page's defaults, in the order a new visitor would wait longest for them."""
    from labs import dying, gradflow, inits, nonlinear, realdata, selfnorm, zerocenter

    out = []
    race, _ = realdata.RaceConfig.of(_defaults(realdata.RACE)).clamped()
    out += [Job("race-part", (race, key, seed), partial(realdata.run_part, race, key, seed), cache.PART_ENTRIES)
            for key, seed in realdata.race_parts(race)]  # as views/real_data.py asks for them: cache.lab_parts

    values = _defaults([*dying.DATA, *dying.TRAIN])
    train = dying.config(values, _params(values["activation"]))
    out.append(Job("dying", train, partial(dying.train, train), 32))
    for key in (dying.FIXES.fix.default, dying.FIXES.learned.default):  # the sections below, from the same start
        variant = dying.variant(train, key)
        if dying.trains_alongside(variant):
            out.append(Job("dying", variant, partial(dying.train, variant), 32))

    values = _defaults(gradflow.PROBE)
    probe = gradflow.NetConfig.of(values, _params(values["activation"]))
    out.append(Job("flow", probe, partial(gradflow.gradient_flow, probe), 48))
    ref = gradflow.NetConfig(activation="relu", init="default", bias_init="zeros", depth=20, seed=probe.seed)
    out.append(Job("flow", ref, partial(gradflow.gradient_flow, ref), 48))
    out.append(Job("linear_check", (probe.width, probe.seed),
                   partial(inits.default_linear_check, probe.width, probe.width, probe.seed), 16))
    clipping = gradflow.TrainConfig.of(_defaults(gradflow.TRAIN))
    out += [Job("train-part", (clipping, clip), partial(gradflow.clip_run, clipping, clip), cache.PART_ENTRIES)
            for clip in gradflow.CLIPS]

    values = _defaults(selfnorm.SCHEMA)
    depth = selfnorm.SNConfig(**{k: v for k, v in values.items() if k != "acts"})
    out += [Job("selfnorm", (depth, key), partial(selfnorm.layer_stats, depth, key), 160)
            for key in values["acts"]]

    xor = nonlinear.XorConfig(**_defaults(nonlinear.XOR))
    out += [Job("xor", (kind, xor.for_kind(kind)), partial(nonlinear.train_xor, kind, xor.for_kind(kind)),
                32) for kind in nonlinear.XOR_KINDS]
    zero = zerocenter.ZeroConfig(**_defaults(zerocenter.ZERO))
    out.append(Job("zerocenter", zero, partial(zerocenter.compare, zero), 32))
    return out


def enabled() -> bool:
    return os.environ.get("ACTIVATION_LAB_WARMUP", "1") != "0"


_started = False
_start_lock = threading.Lock()


def start() -> None:
    """Start the warm-up thread, once per server process (every later call does nothing)."""
    global _started
    if _started or not enabled():
        return
    with _start_lock:
        if _started:
            return
        _started = True
    threading.Thread(target=run, name="warmup", daemon=True).start()


_visits = 0  # page runs under way (app.py: visiting())
_visits_lock = threading.Lock()


@contextlib.contextmanager
def visiting():
    """Around a page run in app.py: while any runs, no warm-up job starts."""
    global _visits
    with _visits_lock:
        _visits += 1
    try:
        yield
    finally:
        with _visits_lock:
            _visits -= 1


def idle() -> bool:
    """No learner's page runs and no learner's experiment computes."""
    with _visits_lock:
        return _visits == 0 and cache.computing() == 0


def run(todo: list[Job] | None = None, idle: Callable[[], bool] = idle) -> list[str]:
    """Compute the jobs one by one, each started when `idle()`; what failed, by kind (a warm-up never raises: the
    page that needs it computes it itself and reports the error)."""
    failed = []
    if todo is None:
        try:
            workers.client()  # the workers start now, before a learner's first experiment needs them
        except Exception:  # noqa: BLE001 - the first page that needs them reports why
            return ["workers"]
    for job in jobs() if todo is None else todo:
        while not idle():
            time.sleep(IDLE_POLL_S)
        try:
            cache.warm(job.kind, job.key, job.compute, job.max_entries)
        except Exception:  # noqa: BLE001 - the page that needs it computes it again and shows the error
            failed.append(job.kind)
    if todo is None:
        # What is loaded by now (the modules, the Dask client, the default views) lives as long as the server: out
        # of the collector's sight, a full collection scans what came after only (150-170 ms down to under 1 ms;
        # .streamlit/config.toml turns off Streamlit's collection after every run for the same reason).
        gc.freeze()
    return failed
