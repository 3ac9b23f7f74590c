"""Running URLs: one fresh AppTest per URL (a learner's first entry into the page), in one process or two."""
from __future__ import annotations

import logging
import os
import sys
import time
import warnings
from pathlib import Path

from labs import pages

from .check import Result, check
from .generate import Case
from .keys import lab_pages
from .record import Recorder, recorder

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
TIMEOUT = 600.0  # per URL; a lab page at its largest sizes takes seconds, not minutes


def run_case(case: Case, rec: Recorder | None = None, timeout: float = TIMEOUT) -> Result:
    """One fresh AppTest (a new session) on the case's page with its query, checked (bench.fuzz.check)."""
    from streamlit.testing.v1 import AppTest

    rec = rec or recorder()
    rec.reads = []
    t0 = time.perf_counter()
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for k, v in case.params().items():
        at.query_params[k] = v
    at.switch_page(pages.get(case.page).view)
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            at.run()
        except Exception as e:  # a timeout, or AppTest itself failing on this input
            error = f"run() raised {type(e).__name__}: {e}"
    seconds = time.perf_counter() - t0
    reads, rec.reads = rec.reads, []
    res = check(case, at, reads, seconds, error)
    # Python warnings raised by the app's own code (e.g. NumPy's "All-NaN slice"): not failures, but worth a look
    res.py_warnings = sorted({f"{Path(w.filename).relative_to(ROOT)}:{w.lineno}: {w.category.__name__}: {w.message}"
                              for w in caught if Path(w.filename).is_relative_to(ROOT)})
    return res


class _NoContextWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def quiet() -> None:
    # AppTest outside a server warns "missing ScriptRunContext" on creation: harmless, hide it. A filter, not a
    # level: Streamlit resets its loggers' levels when it (re)reads its config.
    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    if not any(isinstance(f, _NoContextWarning) for f in logger.filters):
        logger.addFilter(_NoContextWarning())


def _worker_init() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    quiet()
    recorder()
    try:
        import torch

        torch.set_num_threads(1)  # two processes on two cores: one thread each (see labs.seeding.one_thread)
    except ImportError:
        pass


def _run_one(case: Case) -> Result:
    return run_case(case)


def run_all(cases: list[Case], workers: int = 1, progress: bool = True) -> list[Result]:
    t0 = time.perf_counter()
    results: list[Result | None] = [None] * len(cases)

    def report(done: int) -> None:
        if progress and (done % 50 == 0 or done == len(cases)):
            print(f"  {done}/{len(cases)} URLs, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)

    if workers <= 1:
        _worker_init()
        for i, case in enumerate(cases):
            results[i] = run_case(case)
            report(i + 1)
        return results  # type: ignore[return-value]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = multiprocessing.get_context("spawn")
    # the slow pages first, so that the two processes end together
    slow = lab_pages()
    order = sorted(range(len(cases)), key=lambda i: cases[i].page not in slow)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init) as pool:
        futures = {pool.submit(_run_one, cases[i]): i for i in order}
        for done, fut in enumerate(as_completed(futures), 1):
            results[futures[fut]] = fut.result()
            report(done)
    return results  # type: ignore[return-value]
