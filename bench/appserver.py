"""A real `streamlit run app.py` on a free loopback port, and Debian's Chromium: what the benchmarks, the
screenshot script and the browser tests all start. No pytest here (the tests wrap its errors).

Chromium is /usr/bin/chromium (Debian's package); `playwright install` is never used, since it cannot
download browsers on the machines this runs on. The flags keep it off the network (without them this
machine's closed network refuses its background connections, many at a time).
"""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
HEALTH_TIMEOUT_S = 90
# Settings for local runs: headless on loopback, no telemetry, no file watcher (full error details stay on).
DEV_ARGS = ["--server.headless=true", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none"]


def app_pages() -> list[tuple[str, str]]:
    """The app's pages in the sidebar's order, as (English title, address path: "/" for Home, "/explorer"...),
    from their one declaration (labs.pages)."""
    from labs import pages

    return [(p.title, p.path) for p in pages.PAGES]


class ServerFailed(RuntimeError):
    """The server exited or did not answer its health check in time; the message ends with its log."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(argv: Sequence[str] | None = None, *, log: IO[str], cwd: Path = ROOT,
                   env: dict[str, str] | None = None, port: int | None = None,
                   preexec_fn: Callable[[], None] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """(base URL, process) of a healthy Streamlit server, stopped on exit.

    argv: the command after `python -m` (default: `streamlit run app.py` with DEV_ARGS on a free port).
    log: a text file opened for writing and reading; the server's output goes there.
    """
    port = port or free_port()
    if argv is None:
        argv = ["streamlit", "run", "app.py", f"--server.port={port}", *DEV_ARGS]
    proc = subprocess.Popen([sys.executable, "-m", *argv], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            preexec_fn=preexec_fn)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while True:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read().strip() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                log.seek(0)
                raise ServerFailed(f"streamlit did not become healthy in {HEALTH_TIMEOUT_S} s:\n{log.read()[-3000:]}")
            time.sleep(0.25)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
