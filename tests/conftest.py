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


# Tests that take seconds each (a Chromium walk, a race of 18 trainings, a fuzzer) go first. Under xdist's worksteal
# the first worker takes the first half of this order and the second the rest; whoever runs dry steals the other's
# last tests. With the long ones first, what is left to steal at the end are the short ones, and both workers
# finish together (with them last, one worker ran a 12 s race alone at the end). The browser tests also land on one
# worker, and so share one app server and what it has computed.
LONG_MODULES = {"test_layout_desktop", "test_layout_phone", "test_browser", "test_realdata_presets"}


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: not (item.get_closest_marker("long") or item.module.__name__ in LONG_MODULES))


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

    with running_server() as base:
        yield base
