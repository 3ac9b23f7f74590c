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


# For the browser tests: one Chromium for the session (browserkit), and one app server per test module.
@pytest.fixture(scope="module")
def browser():
    from browserkit import launch_browser

    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def server(browser):
    from browserkit import running_server

    with running_server() as base:
        yield base
