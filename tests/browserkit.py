"""What the browser and deployment tests share: a real `streamlit run` on a free port, and Debian's Chromium.

Chromium is /usr/bin/chromium (Debian's package); `playwright install` is never used, since it cannot
download browsers on the machines this runs on. Without that browser a test is skipped, or fails when the
CI environment variable is set, so CI can never pass by skipping.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
HEALTH_TIMEOUT_S = 90

# What the tests always start: the app with test-friendly settings (full error details stay on).
DEV_ARGS = ["--server.headless=true", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none"]


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, log, timeout_s: float = HEALTH_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read().strip() == b"ok":
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail(f"streamlit did not become healthy in {timeout_s} s:\n{log.read()[-3000:]}")
        time.sleep(0.25)


@contextlib.contextmanager
def running_server(argv: Sequence[str] | None = None, *, cwd: Path = ROOT, env: dict[str, str] | None = None,
                   port: int | None = None, preexec_fn: Callable[[], None] | None = None) -> Iterator[str]:
    """Base URL of a Streamlit server, stopped on exit.

    argv: the command after `python -m` (default: `streamlit run app.py` with DEV_ARGS on a free port).
    """
    port = port or free_port()
    if argv is None:
        argv = ["streamlit", "run", "app.py", f"--server.port={port}", *DEV_ARGS]
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen([sys.executable, "-m", *argv], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            preexec_fn=preexec_fn)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextlib.contextmanager
def launch_browser():
    """Debian's headless Chromium through Playwright."""
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright Python package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
