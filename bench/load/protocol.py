"""One learner's Streamlit session over the websocket, without a browser: open a page, move a slider, time each
action from the send to the end of its script run, and count the bytes it cost.

Synchronous (websocket-client), so it runs as it is in a plain script and, under Locust, in a gevent greenlet
(Locust monkey-patches `socket` before this module is imported, so a blocking receive yields to the other users).
The messages themselves are built and read in messages.py.

What the server (Streamlit 1.67, its Starlette server) expects, read from streamlit/web/server/starlette/
starlette_websocket.py: the Sec-WebSocket-Protocol header carries ["streamlit", XSRF token, session id to resume];
the server selects the first, checks the XSRF token only when the request has an Origin and a _streamlit_xsrf
cookie (a browser's; without them the session simply has no user info), and frames must be binary BackMsgs.
What needs an answer: the server's websocket pings (every 30 s, and it drops a client that does not pong within
30 s more): websocket-client answers them inside recv(), so a learner thinking for seconds reads the socket
meanwhile (Session.idle). Cached-message references need no answer, only the client's own cache (messages.py).

Run alone (a quick look at each page, no Locust):
  python -m bench.load.protocol --host http://127.0.0.1:8501 [--pages explorer,dying_relu] [--moves 3]
"""
from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass, field
from typing import Any

import websocket  # websocket-client (requirements-bench.txt)

from .messages import COMPILE_ERROR, SessionView, Widget, random_slider_value

SUBPROTOCOL = "streamlit"
# The frontend sends the _streamlit_xsrf cookie's token in the second place, or this placeholder without one.
NO_XSRF_TOKEN = "PLACEHOLDER_AUTH_TOKEN"
DEFAULT_TIMEOUT_S = 90.0


@dataclass
class ActionResult:
    """One open or slider move: seconds from the send (a new session's open: from the connect) to the
    script_finished that ends its run, the bytes received meanwhile, and what went wrong."""

    kind: str  # "open" | "slider" | "press"
    page: str  # the page's key ("explorer"; "home" for the default page)
    seconds: float = 0.0
    # to the run's new_session: how long the request waited before the server started running the script
    start_s: float | None = None
    bytes: int = 0
    messages: int = 0
    runs: int = 0
    fresh: bool = False  # an open that started a new session (a new tab: a connect, then the page)
    widget: str = ""  # the slider moved: its label
    value: Any = None
    fragment: bool = False  # the slider lives in an st.fragment (only the fragment reran)
    exceptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # "timeout", "connection closed: ...", "page not found: ...", "compile error"

    @property
    def timed_out(self) -> bool:
        return self.error == "timeout"

    @property
    def failure(self) -> str | None:
        """What the learner would call broken, None when the action went through."""
        if self.error:
            return self.error
        if self.exceptions:
            return "exception: " + " | ".join(self.exceptions)
        return None


def page_key(path: str) -> str:
    return path.split("?")[0].strip("/") or "home"


def ws_url(base: str) -> str:
    base = base.rstrip("/")
    if base.startswith("https://"):
        return "wss://" + base[len("https://"):] + "/_stcore/stream"
    return "ws://" + base.removeprefix("http://") + "/_stcore/stream"


class Session:
    """One browser tab's session. Not thread-safe (one per learner). After a timeout or a dropped connection the
    socket is closed, and the next open() starts a new session, as a reload would."""

    def __init__(self, base_url: str, *, timeout: float = DEFAULT_TIMEOUT_S, locale: str = "en-US",
                 timezone: str = "UTC", rng: random.Random | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.locale, self.timezone = locale, timezone
        self.rng = rng or random.Random()
        self.ws: websocket.WebSocket | None = None
        self.view = SessionView(locale, timezone, self.base_url)
        self.page = ""

    # ---- connection ------------------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self.ws is not None and self.ws.connected

    def connect(self) -> None:
        self.close()
        self.view = SessionView(self.locale, self.timezone, self.base_url)
        self.ws = websocket.create_connection(ws_url(self.base_url), timeout=self.timeout,
                                              subprotocols=[SUBPROTOCOL, NO_XSRF_TOKEN],
                                              enable_multithread=False)

    def close(self) -> None:
        """A close frame, then the socket closed at once. Not websocket-client's close(): it waits for the server's
        close frame inside a bare `except:`, which would swallow the GreenletExit with which Locust stops a user
        (the run would then never end)."""
        ws, self.ws = self.ws, None
        if ws is None:
            return
        try:
            if ws.connected:
                ws.send_close()
        except Exception:  # noqa: BLE001 - a broken socket: nothing left to say
            pass
        ws.shutdown()

    # ---- actions ---------------------------------------------------------------------------------------------
    def open(self, path: str, query: str = "", new_session: bool = False) -> ActionResult:
        """Open the page at `path` ("/explorer"; "?a=b" may follow, or pass `query`): in this session if it has
        one (as the sidebar's link does), else in a new one (as a shared link does)."""
        if "?" in path:
            path, query = path.split("?", 1)
        res = ActionResult("open", page_key(path))
        t0 = time.perf_counter()
        if new_session or not self.connected:
            res.fresh = True
            try:
                self.connect()
            except (OSError, websocket.WebSocketException) as e:
                res.error = f"connect failed: {type(e).__name__}: {e}"
                res.seconds = time.perf_counter() - t0
                return res
        self.page = res.page
        return self._exchange(res, self.view.open_msg(path, query), t0)

    def sliders(self) -> list[Widget]:
        return self.view.sliders()

    def move_slider(self, widget: Widget | None = None, value: Any = None) -> ActionResult | None:
        """Move `widget` (default: a random slider of the page) to `value` (default: a random value of its range
        on its step's grid): None if the page has no slider to move."""
        if not self.connected:
            return None
        if widget is None:
            sliders = self.sliders()
            if not sliders:
                return None
            widget = self.rng.choice(sliders)
        if value is None:
            value = random_slider_value(widget, self.rng)
        res = ActionResult("slider", self.page, widget=widget.label, value=value, fragment=bool(widget.fragment_id))
        return self._exchange(res, self.view.slider_msg(widget, value), time.perf_counter())

    def buttons(self) -> list[Widget]:
        return [w for w in self.view.widgets.values() if w.kind in ("button", "form_submit") and not w.disabled]

    def press(self, button: Widget) -> ActionResult | None:
        """Press `button` (one of buttons()): None if the session is gone."""
        if not self.connected:
            return None
        res = ActionResult("press", self.page, widget=button.label, fragment=bool(button.fragment_id))
        return self._exchange(res, self.view.press_msg(button), time.perf_counter())

    def _exchange(self, res: ActionResult, msg: Any, t0: float) -> ActionResult:
        """Send `msg`, read until its run's script_finished (or the timeout), fill `res`."""
        deadline = t0 + self.timeout
        try:
            self.ws.send_binary(msg.SerializeToString())
            while not self.view.outcome.finished:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise websocket.WebSocketTimeoutException("no script_finished in time")
                self.ws.settimeout(left)
                opcode, data = self.ws.recv_data()
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    raise websocket.WebSocketConnectionClosedException("closed by the server")
                res.bytes += len(data)
                self.view.feed(data)
                if res.start_s is None and self.view.outcome.runs:
                    res.start_s = time.perf_counter() - t0
        except websocket.WebSocketTimeoutException:
            res.error = "timeout"
            self.close()  # its run may still answer: this tab is done, the next open() starts a new session
        except (OSError, websocket.WebSocketException) as e:
            res.error = f"connection closed: {type(e).__name__}: {e}"
            self.close()
        res.seconds = time.perf_counter() - t0
        out = self.view.outcome
        res.messages, res.runs = out.messages, out.runs
        res.exceptions, res.warnings = list(out.exceptions), list(out.warnings)
        if not res.error:
            if out.page_not_found is not None:
                res.error = f"page not found: {out.page_not_found}"
            elif out.status == COMPILE_ERROR:
                res.error = "compile error"
        return res

    def idle(self, seconds: float) -> int:
        """Think for `seconds` while reading the socket as a tab does: answers the server's pings (inside
        websocket-client's recv) and takes what follows a run (its session_status_changed). Returns bytes read."""
        if not self.connected:
            time.sleep(max(0.0, seconds))
            return 0
        got = 0
        deadline = time.perf_counter() + seconds
        try:
            while (left := deadline - time.perf_counter()) > 0:
                self.ws.settimeout(left)
                try:
                    opcode, data = self.ws.recv_data()
                except websocket.WebSocketTimeoutException:
                    break
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    raise websocket.WebSocketConnectionClosedException("closed by the server")
                got += len(data)
                self.view.feed(data)
        except (OSError, websocket.WebSocketException):
            self.close()
        return got


def _print(res: ActionResult) -> None:
    what = f"{res.kind:6} {res.page:16}"
    if res.kind == "slider":
        what += f" {res.widget[:28]!r:30} -> {res.value}{' (fragment)' if res.fragment else ''}"
    start = f"{res.start_s * 1000:7.0f}" if res.start_s is not None else "      -"
    print(f"{what}  {res.seconds * 1000:8.0f} ms (run started {start} ms)  {res.bytes / 1024:7.1f} KB  "
          f"{res.messages:3} msgs{'  FAIL: ' + res.failure if res.failure else ''}", flush=True)


def main(argv: list[str] | None = None) -> int:
    from labs import pages

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", required=True, help="the app's base URL, e.g. http://127.0.0.1:8501")
    ap.add_argument("--pages", default="explorer,compare,dying_relu,gradient_flow,self_normalizing,why_nonlinear,"
                                        "own,real_data", help="page keys, comma-separated (each in a new session)")
    ap.add_argument("--query", default="", help="query string for every first open (no '?'), e.g. lang=ko")
    ap.add_argument("--moves", type=int, default=2, help="slider moves per page")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    failed = 0
    for key in args.pages.split(","):
        s = Session(args.host, timeout=args.timeout, rng=random.Random(f"{args.seed}:{key}"))
        res = s.open(pages.get(key.strip()).path, args.query)
        _print(res)
        failed += bool(res.failure)
        print(f"       {len(s.sliders())} sliders, {len(s.view.widgets)} widgets, query {s.view.query_string!r}")
        for _ in range(args.moves):
            moved = s.move_slider()
            if moved is None:
                break
            _print(moved)
            failed += bool(moved.failure)
        s.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
