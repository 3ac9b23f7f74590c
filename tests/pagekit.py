"""What the AppTest page tests share: app.py opened on one page, as a learner's link would open it."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str, query: dict | None = None, timeout: float = 120) -> AppTest:
    """Run app.py on `page` ("views/explorer.py") with `query` as the link's parameters; no exception allowed.
    timeout is AppTest's per-run limit (importing torch alone can take seconds on a loaded machine)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
