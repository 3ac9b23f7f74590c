"""What the browser and deployment tests share: bench/appserver.py's server and Chromium, as pytest sees them.

Without Debian's Chromium a test is skipped, or fails when the CI environment variable is set, so CI can
never pass by skipping. One Chromium serves the whole test session (each test opens its own browser context,
which is a fresh profile: no cookies, storage or Streamlit session leak between them); conftest.py closes it.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.appserver import CHROMIUM, CHROMIUM_ARGS, ROOT, ServerFailed, free_port  # noqa: F401 (for the tests)
from bench.appserver import running_server as _running_server

_SHARED: dict = {}  # "playwright", "browser": started on first use, stopped by close_browser()


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


@contextlib.contextmanager
def running_server(argv=None, **kwargs) -> Iterator[str]:
    """Base URL of a Streamlit server (bench.appserver.running_server); a server that fails fails the test."""
    with tempfile.TemporaryFile(mode="w+") as log:
        try:
            with _running_server(argv, log=log, **kwargs) as (base, _proc):
                yield base
        except ServerFailed as e:
            pytest.fail(str(e))


@contextlib.contextmanager
def launch_browser():
    """Debian's headless Chromium through Playwright: the session's one browser (started on first use)."""
    browser = _SHARED.get("browser")
    if browser is None or not browser.is_connected():
        if not Path(CHROMIUM).exists():
            unavailable(f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            unavailable("the playwright Python package is not installed")
        close_browser()
        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = browser = _SHARED["playwright"].chromium.launch(executable_path=CHROMIUM,
                                                                            args=CHROMIUM_ARGS)
    yield browser


def close_browser() -> None:
    browser, pw = _SHARED.pop("browser", None), _SHARED.pop("playwright", None)
    with contextlib.suppress(Exception):
        if browser is not None:
            browser.close()
    with contextlib.suppress(Exception):
        if pw is not None:
            pw.stop()

