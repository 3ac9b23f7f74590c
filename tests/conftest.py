import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The pseudo-locale (?lang=qps, every translated message wrapped in ⟦…⟧) is offered only when this is set; it
# only adds that language, so the whole session may have it (the app's own default leaves it off).
os.environ.setdefault("ACTIVATION_LAB_PSEUDO", "1")
# The server's background warm-up of the labs' defaults (ui.warmup) is off in the test processes, which run pages
# thousands of times and would compute every default in each; the browser tests' server keeps it (as learners get it).
os.environ.setdefault("ACTIVATION_LAB_WARMUP", "0")
# Experiments run on Dask workers (ui.workers): in the test processes and the browser tests' server on threads of
# their own, the same scheduler, queue and task keys as worker processes (which would import torch, scikit-learn and
# SymPy again in each, and at a lower priority be starved by the other test process: the walks took 40% longer).
# test_deploy's image test serves pages as the image does, with worker processes.
os.environ.setdefault("ACTIVATION_LAB_DASK", "threads")


def _scan_installed_components_once() -> None:
    """A Streamlit server scans the installed distributions for custom-component manifests once, at start. AppTest
    does it again for every new AppTest, on its first run: 0.12-0.17 s each, most of a small page's whole run, for
    each of the suite's ~170 AppTests. What is installed does not change during a test session, so each test process
    scans once, as a server does; every AppTest still registers what the scan found in a component manager of its
    own."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    if not hasattr(manifest_scanner.scan_component_manifests, "cache_info"):
        manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


_scan_installed_components_once()


# Tests that take seconds each go first in each worker's share. Under xdist's worksteal the first worker takes the
# first half of this order and the second the rest; whoever runs dry steals the other's last tests. So each half
# starts with its long tests, and what is left to steal at the end are short ones: the browser walks (one app server
# for them all, and what it has computed) head one half, the races, the image test and the fuzzer the other. With the
# long tests together, the worker that held them ran them alone for the last 15 s.
BROWSER = {"test_layout_desktop", "test_layout_phone", "test_browser"}


def pytest_collection_modifyitems(session, config, items):
    def long(item):
        return item.module.__name__ in BROWSER or item.get_closest_marker("long") is not None

    browser = [i for i in items if i.module.__name__ in BROWSER]
    other_long = [i for i in items if long(i) and i.module.__name__ not in BROWSER]
    short = [i for i in items if not long(i)]
    cut = max(0, len(items) // 2 - len(browser))
    items[:] = browser + short[:cut] + other_long + short[cut:]


def pytest_configure(config):
    config.addinivalue_line("markers", "long: takes seconds (a browser, a race, a fuzzer): scheduled first")


def pytest_sessionfinish(session, exitstatus):
    kit = sys.modules.get("browserkit")  # the browser tests' shared Chromium, if they started it
    if kit is not None:
        kit.close_browser()


# For the browser tests: one Chromium and one app server per test session (per worker under xdist): a cold server
# costs seconds, and every test opens its own browser context, a fresh Streamlit session.
@pytest.fixture(scope="session")
def browser():
    from browserkit import launch_browser

    with launch_browser() as b:
        yield b


@pytest.fixture(scope="session")
def server(browser):
    from browserkit import running_server

    with running_server(env={**os.environ, "ACTIVATION_LAB_WARMUP": "1"}) as base:
        yield base
