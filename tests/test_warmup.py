"""The server's background warm-up (ui.warmup) computes what a lab page at its defaults asks for, nothing else, and
never in a learner's way. The keys are checked on the pseudo-locale test's page runs at each lab's defaults
(`asked_for`, `warmup_problems`): those runs exist anyway, and a page that builds its configs differently from the
warm-up fails there."""
from __future__ import annotations

import contextlib
import dataclasses
import threading
import uuid
from functools import partial

from taskkit import CALLS, broken, gate, held, kind, started

from ui import cache, warmup

# The cache kinds each lab page reads at its defaults, and which the warm-up fills.
KINDS = {"real_data": {"race-part"}, "dying_relu": {"dying"}, "gradient_flow": {"flow", "linear_check", "train-part"},
         "self_normalizing": {"selfnorm"}, "why_nonlinear": {"xor", "zerocenter"}}


@contextlib.contextmanager
def asked_for(monkeypatch):
    """Every (kind, key) the page run inside asks ui.cache for (lab, prefetch, lab_parts' parts), in a set."""
    seen: set = set()
    lab, prefetch = cache.lab, cache.prefetch

    def recording(real):
        def wrapper(kind, key, *args, **kwargs):
            seen.add((kind, key))
            return real(kind, key, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(cache, "lab", recording(lab))
    monkeypatch.setattr(cache, "prefetch", recording(prefetch))
    lab_parts = cache.lab_parts

    def parts_recording(kind, key, parts, *args, **kwargs):  # its parts, asked for even when the whole is cached
        seen.update((f"{kind}-part", part_key) for part_key, _ in parts)
        return lab_parts(kind, key, parts, *args, **kwargs)

    monkeypatch.setattr(cache, "lab_parts", parts_recording)
    yield seen


def _shortened(job: warmup.Job, shorter: dict):
    """A race part's key once the page's seeds and epochs are shorter than the defaults (None: a seed it drops)."""
    if job.kind != "race-part" or not shorter:
        return job.key
    cfg, act, seed = job.key
    cfg = dataclasses.replace(cfg, **shorter)
    return (cfg, act, seed) if seed < cfg.seed + cfg.seeds else None


def warmup_problems(page: str, query: dict, seen: set) -> list[str]:
    """What differs between the keys `page` asked for at `query` (its defaults; Real data's race may be shortened
    by seeds and epochs) and what the warm-up computes for it."""
    if page not in KINDS:
        return []
    shorter = {k: int(query[k]) for k in ("seeds", "epochs") if k in query}
    expected = {(j.kind, key) for j in warmup.jobs() if j.kind in KINDS[page]
                and (key := _shortened(j, shorter)) is not None}
    asked = {(kind, key) for kind, key in seen if kind in KINDS[page]}
    out = [f"the page asks for {kind} {key} and the warm-up does not compute it" for kind, key in asked - expected]
    out += [f"the warm-up computes {kind} {key}, which the page does not ask for" for kind, key in expected - asked]
    return out


def test_every_job_is_a_lab_page_default_and_the_longest_wait_goes_first():
    jobs = warmup.jobs()
    assert {j.kind for j in jobs} == set().union(*KINDS.values())
    assert jobs[0].kind == "race-part"  # Real data's race: about 4 s, the longest a new visitor waits
    assert len({(j.kind, j.key) for j in jobs}) == len(jobs)


def test_the_warmup_waits_for_learners_and_survives_a_failing_job():
    idle_answers = iter([False, False, True, True])
    a, k = uuid.uuid4().hex, kind()
    gate(a).set()
    todo = [warmup.Job(k, ("a",), partial(held, a, 1), 4), warmup.Job(k, ("b",), partial(broken, "b"), 4)]
    orig = warmup.IDLE_POLL_S
    warmup.IDLE_POLL_S = 0.001
    try:
        assert warmup.run(todo, idle=lambda: next(idle_answers)) == [k]
    finally:
        warmup.IDLE_POLL_S = orig
    assert CALLS.count(a) == 1 and cache.peek(k, ("a",)) == 1  # computed once, into the pages' cache


def test_a_job_starts_only_when_no_page_runs():
    name, k = uuid.uuid4().hex, kind()
    gate(name).set()
    job = warmup.Job(k, ("p",), partial(held, name, "trained"), 4)
    with warmup.visiting():  # a learner's page runs: the job does not start
        worker = threading.Thread(target=warmup.run, args=([job],), daemon=True)
        worker.start()
        threading.Event().wait(0.3)
        assert name not in CALLS
    worker.join(30)
    assert CALLS.count(name) == 1 and cache.peek(k, ("p",)) == "trained"


def test_a_learners_experiment_is_not_idle_even_in_a_fragment_rerun():
    """A fragment's rerun (a lab's slider) does not go through app.py: its computation itself holds the warm-up."""
    name = uuid.uuid4().hex
    t = threading.Thread(target=cache.lab, args=(kind(), ("f",), partial(held, name)))
    t.start()
    assert started(name).wait(30)
    assert not warmup.idle()
    gate(name).set()
    t.join(30)
    assert warmup.idle()


def test_off_in_the_test_processes():
    assert not warmup.enabled()
