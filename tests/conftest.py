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
