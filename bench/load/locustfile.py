"""Learners for Locust: each one a Streamlit session on the websocket (bench/load/protocol.py), no browser.

A learner opens a page picked by the class's mix (plan.PAGE_MIX), then every 3-8 s (thinking, while its socket stays
read) moves a random slider of that page to a random value of its range, a few times (2-5), then opens another
page by the same mix from the sidebar, in the same session. Its first page opens a new session, as the teacher's
link does. Every action is one Locust request: type "open" or "slider", name = the page's key, response time in ms
from the send to the end of its script run, length = bytes received. A failure is an exception shown on the page
("exception: <type>: <message>"), a page not found, a dropped connection, or "timeout" (no end of run within
--action-timeout seconds: the learner then reloads, i.e. starts a new session).

  locust -f bench/load/locustfile.py --headless -u 5 -r 1 -t 30s --host http://127.0.0.1:8501
      [--action-timeout 90] [--first-link /explorer?lang=ko] [--locale en-US] [--samples-file samples.jsonl]
      [--lesson dying-relu]

With --lesson, every learner walks that lesson instead (a class following the teacher's link): it opens the lesson's
first step in a new session, then at each step thinks, answers the question (a choice at random, a slider as it is)
and presses the run button ("press" actions, named lessons), thinks, presses Next; after the last step it starts over.

--samples-file writes one JSON line per action (bench/load/run.py reads it for exact percentiles: Locust's own
round response times above 100 ms to two significant digits).
"""
from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from locust import User, constant, events, task  # imported first: Locust monkey-patches the socket module for gevent

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `locust -f` puts only this file's folder on sys.path
    sys.path.insert(0, str(ROOT))

from bench.load.plan import MOVES, PAGE_MIX, THINK_S  # noqa: E402
from bench.load.protocol import DEFAULT_TIMEOUT_S, ActionResult, Session  # noqa: E402
from labs import pages  # noqa: E402


class LearnerFailure(Exception):
    """What went wrong in one action, as Locust's failure table groups it (by this message)."""


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    parser.add_argument("--action-timeout", type=float, default=DEFAULT_TIMEOUT_S,
                        help="seconds an open or a slider move may take before it counts as 'timeout'")
    parser.add_argument("--first-link", default="", help="the page (path?query) every learner opens first, as a "
                        "shared link; default: one picked by the mix")
    parser.add_argument("--locale", default="en-US", help="the browsers' locale (ko-KR: the app opens in Korean)")
    parser.add_argument("--samples-file", default="", help="append one JSON line per action to this file")
    parser.add_argument("--lesson", default="", help="every learner walks this lesson (labs.lessons) from its start")


_samples = None


@events.test_start.add_listener
def _open_samples(environment, **_kw) -> None:
    global _samples
    path = getattr(environment.parsed_options, "samples_file", "") if environment.parsed_options else ""
    if path and _samples is None:
        _samples = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole test, closed on quit


@events.quitting.add_listener
def _close_samples(**_kw) -> None:
    if _samples is not None:
        _samples.close()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, context=None, **_kw) -> None:
    if _samples is None or _samples.closed:
        return
    row = {"t": round(time.time(), 3), "type": request_type, "page": name, "ms": round(response_time, 1),
           "bytes": response_length, "error": str(exception) if exception else None, **(context or {})}
    _samples.write(json.dumps(row) + "\n")
    _samples.flush()


class Learner(User):
    """One learner in one tab. Think time is spent inside the task (Session.idle keeps reading the socket, so the
    server's pings are answered), hence no wait_time between tasks."""

    wait_time = constant(0)

    def on_start(self) -> None:
        opts = self.environment.parsed_options
        self.timeout = getattr(opts, "action_timeout", DEFAULT_TIMEOUT_S) if opts else DEFAULT_TIMEOUT_S
        self.first_link = (getattr(opts, "first_link", "") if opts else "") or ""
        self.rng = random.Random()
        self.session = Session(self.host, timeout=self.timeout,
                               locale=(getattr(opts, "locale", "") if opts else "") or "en-US", rng=self.rng)
        self.keys, self.weights = list(PAGE_MIX), list(PAGE_MIX.values())
        self.started = False

    def on_stop(self) -> None:
        self.session.close()

    def _fire(self, res: ActionResult) -> None:
        failure = res.failure
        self.environment.events.request.fire(
            request_type=res.kind, name=res.page, response_time=res.seconds * 1000, response_length=res.bytes,
            exception=LearnerFailure(failure) if failure else None, response=None,
            context={"fresh": res.fresh, "fragment": res.fragment, "widget": res.widget, "runs": res.runs,
                     "start_ms": None if res.start_s is None else round(res.start_s * 1000, 1),
                     "timeout": res.timed_out, "exceptions": res.exceptions, "warnings": res.warnings})

    @task
    def lesson(self) -> None:
        lesson_id = getattr(self.environment.parsed_options, "lesson", "") if self.environment.parsed_options else ""
        if lesson_id:
            self.walk(lesson_id)
            return
        if self.started:  # thinking before the next sidebar click, or before reloading after a failure
            self.session.idle(self.rng.uniform(*THINK_S))
        self.started = True
        if self.first_link and not self.session.connected:
            res = self.session.open(self.first_link, new_session=True)
        else:
            key = self.rng.choices(self.keys, self.weights)[0]
            res = self.session.open(pages.get(key).path)
        self._fire(res)
        if res.failure and not self.session.connected:
            return
        for _ in range(self.rng.randint(*MOVES)):
            self.session.idle(self.rng.uniform(*THINK_S))
            moved = self.session.move_slider()
            if moved is None:  # no slider on the page (or the session is gone)
                return
            self._fire(moved)
            if moved.failure and not self.session.connected:
                return

    def walk(self, lesson_id: str) -> None:
        """The lesson from its first step to its last (module docstring)."""
        from labs import lessons

        res = self.session.open(f"/lessons?lesson={lesson_id}", new_session=True)
        self._fire(res)
        for _step in lessons.get(lesson_id).steps:
            if res.failure and not self.session.connected:
                return
            self.session.idle(self.rng.uniform(*THINK_S))
            buttons = self.session.buttons()
            submit = next((b for b in buttons if b.kind == "form_submit"), None)
            if submit is not None:
                for w in list(self.session.view.widgets.values()):
                    if w.form_id == submit.form_id and w.kind == "radio" and w.value is None:
                        self.session.view.choose(w, self.rng.choice(w.options))
                res = self.session.press(submit)
                if res is None:
                    return
                self._fire(res)
                self.session.idle(self.rng.uniform(*THINK_S))
            forward = next((b for b in self.session.buttons() if b.id.endswith(("lesson:next", "lesson:done"))), None)
            if forward is None:
                return
            res = self.session.press(forward)
            if res is None:
                return
            self._fire(res)
