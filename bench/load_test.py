"""Load test: N concurrent real Chromium sessions against one `streamlit run app.py`, latency and server memory.

One Streamlit server on a free loopback port (127.0.0.1 only) and one Chromium (/usr/bin/chromium, never
`playwright install`) with N browser contexts, each a learner's own Streamlit session, driven with
Playwright's async API from one asyncio loop. Every session loops through every page in the sidebar's
order, moving between pages with the sidebar links as a learner does (one Streamlit session per
context for the whole test):
  open    click the page's sidebar link -> the page's title and its first chart are drawn
          (the very first page of a session is a full page load of "/", reported as "load /")
  slider  focus one slider of the page and press ArrowRight, ArrowLeft, ... (--presses, default 4, so the
          value comes back): each press -> any chart's data changed. A press after which the run ended and
          no chart changed within 2 s counts as "unchanged" and is timed to the end of its run instead.
Home has no slider, so it is only opened. The slider goes one step and back, so after stage 1 its values come
from the server's caches: stages 2 and 3 measure serving and drawing under concurrency, not computing.

Stages (every figure is printed, nothing about time is asserted):
  0. the server alone, after its health check: RSS0
  1. session 1 does one pass over every page (warming the server's caches), then pauses; after a few
     seconds at rest: RSS1
  2. sessions 2..N start together and each does one pass (the "warm-up"), then every session pauses;
     after a few seconds at rest: RSS_N ("RSS at warm-up end")
     MB per session = (RSS_N - RSS1) / (N - 1)
  3. the load: every session loops over the pages for --seconds (hard stop: in-flight actions are
     dropped), at most --max-loops passes each; session i starts at page i mod 9, so that every page is
     under load even when one pass takes longer than the stage. RSS at the end = median of the stage's
     last 5 samples; also after a few seconds at rest. Slope = least-squares fit of RSS (MB) on time
     (min) over the stage-3 samples.
Server RSS is VmRSS of the server process from /proc/PID/status, sampled every second; its CPU time
(utime + stime) too, to tell how much of the 2 cores the server used next to the browsers.
Latency percentiles (p50/p90/p99) are given per page and action, separately for stage 1 (one session,
cold server), stage 2 (N-1 sessions arriving together) and stage 3 (the load).

Exceptions: Streamlit exception boxes ([data-testid='stException']) seen after any action, uncaught
JavaScript errors in a page, and Python tracebacks in the server's log. Console errors are listed too
("Failed to load resource" ignored). Exit status 1 if any exception appeared, else 0.

Usage, from the repository root (the machine has 2 cores: expect slow figures):
  python bench/load_test.py [--sessions 10] [--seconds 120] [--json PATH]
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.appserver import CHROMIUM, CHROMIUM_ARGS, ServerFailed, running_server  # noqa: E402

VIEWPORT = {"width": 1280, "height": 800}
ACTION_TIMEOUT_S = 120  # one page open or one slider press, under load on 2 cores
UNCHANGED_AFTER_MS = 2000  # a run ended this long ago and no chart changed: the press changed nothing visible
REST_S = 4  # seconds at rest before an RSS reading of a stage

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
SLIDER = "[data-testid='stSlider']"
THUMB = "input[type='range']"
NAV = "[data-testid='stSidebarNav'] a"
PHASES = {"1": "stage 1: one session, cold server", "2": "stage 2: warm-up of sessions 2..N together",
          "3": "stage 3: load, every session"}

# (path, the page's st.title, the slider to move: a label substring, "" for the first slider, None for none)
PAGES = [
    ("/", "Activation Lab", None),
    ("/explorer", "Explorer", ""),
    ("/compare", "Compare", "x-range"),
    ("/own", "Your own activation", ""),
    ("/gradient_flow", "Gradient flow", "Depth (hidden layers)"),
    ("/dying_relu", "Dying ReLU", "Noise"),
    ("/self_normalizing", "Self-normalizing networks", "Input mean"),
    ("/real_data", "Real data", "Hidden layers"),
    ("/why_nonlinear", "Why non-linear?", "Number of ReLUs"),
    ("/vector", "Softmax, GLU and Maxout", "logit z1"),
]

# A cheap string that changes whenever any chart's data does (as in tests/test_browser.py).
FINGERPRINT = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(el => JSON.stringify((el.data || []).map(t => [t.x, t.y]))).join('|')"""
# The page named `title` is shown and one of its charts is drawn (not a stale one from the page before).
PAGE_DRAWN = """(title) => {
  if (!Array.from(document.querySelectorAll('h1')).some(h => h.innerText.includes(title))) return false;
  return Array.from(document.querySelectorAll('.js-plotly-plot .main-svg')).some(s => {
    const c = s.closest('[data-testid="stElementContainer"]');
    return !c || c.getAttribute('data-stale') !== 'true';
  });
}"""
# Before a key press: note when the app's script state leaves notRunning and when it comes back.
ARM = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (window.__ltObs) window.__ltObs.disconnect();
  window.__lt = {ran: false, idleAt: 0};
  window.__ltObs = new MutationObserver((records) => {
    for (const r of records) if (r.oldValue === 'notRunning') { window.__lt.ran = true; window.__lt.idleAt = 0; }
    if (window.__lt.ran && app.getAttribute('data-test-script-state') === 'notRunning' && !window.__lt.idleAt)
      window.__lt.idleAt = performance.now();
  });
  window.__ltObs.observe(app, {attributes: true, attributeOldValue: true,
                               attributeFilter: ['data-test-script-state']});
}"""
CHANGED_OR_SETTLED = f"""([before, quietMs]) => {{
  if (({FINGERPRINT})() !== before) return 'changed';
  const lt = window.__lt;
  if (lt && lt.idleAt && performance.now() - lt.idleAt > quietMs) return 'unchanged';
  return false;
}}"""


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default), q in [0, 100]."""
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p90": percentile(values, 90),
            "p99": percentile(values, 99), "max": max(values)}


def slope_mb_per_min(samples: list[tuple[float, float]]) -> float | None:
    if len(samples) < 3:
        return None
    t = [s[0] / 60 for s in samples]
    y = [s[1] for s in samples]
    if max(t) - min(t) <= 0:
        return None
    return statistics.linear_regression(t, y).slope


@dataclass
class Results:
    t0: float = field(default_factory=time.monotonic)
    stage: str = "0"
    latencies: dict = field(default_factory=dict)  # (phase, kind) -> [seconds]
    events: list = field(default_factory=list)  # (t since t0, session, kind, seconds, stage)
    unchanged: dict = field(default_factory=dict)  # kind -> count of presses that changed no chart
    timeouts: list = field(default_factory=list)
    exceptions: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    rss: list = field(default_factory=list)  # (t since t0, MB, stage)
    cpu: list = field(default_factory=list)  # (t since t0, server CPU seconds)
    passes: dict = field(default_factory=dict)  # session -> completed passes
    actions_cut: int = 0
    log_notes: list = field(default_factory=list)
    received: dict = field(default_factory=dict)  # kind -> [bytes received over the websocket per action]

    def add(self, session: int, kind: str, seconds: float) -> None:
        self.latencies.setdefault((PHASES.get(self.stage, self.stage), kind), []).append(seconds)
        self.events.append((round(self.now(), 2), session, kind, round(seconds, 3), self.stage))

    def add_bytes(self, kind: str, n: int) -> None:
        self.received.setdefault(kind, []).append(n)

    def now(self) -> float:
        return time.monotonic() - self.t0


class Session:
    def __init__(self, index: int, browser, base: str, res: Results, presses: int):
        self.i, self.browser, self.base, self.res, self.presses = index, browser, base, res, presses
        self.page = None
        self.context = None
        self.seen: set[tuple[str, str]] = set()
        self.warm = asyncio.Event()
        self.path = "/"
        self.rx = 0  # bytes received on the page's websockets (Streamlit's messages, decompressed)
        self.rx0 = 0

    async def start(self) -> None:
        self.context = await self.browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(ACTION_TIMEOUT_S * 1000)
        self.page = await self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_frame(self, payload) -> None:
        self.rx += len(payload)

    def _on_console(self, msg) -> None:
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            self.res.console_errors.append({"session": self.i, "page": self.path, "text": msg.text[:300]})

    def _on_page_error(self, err) -> None:
        self.res.exceptions.append({"session": self.i, "page": self.path, "source": "javascript",
                                    "text": str(err)[:500]})

    async def _check_exceptions(self) -> None:
        boxes = self.page.locator(EXCEPTION)
        for k in range(await boxes.count()):
            text = (await boxes.nth(k).inner_text())[:500]
            if (self.path, text) not in self.seen:
                self.seen.add((self.path, text))
                self.res.exceptions.append({"session": self.i, "page": self.path, "source": "streamlit",
                                            "text": text})

    async def _timed(self, kind: str, coro) -> str | None:
        self.rx0 = self.rx
        t = time.monotonic()
        try:
            out = await coro
        except Exception as e:  # noqa: BLE001 - a Playwright timeout or a closed page: record and go on
            self.res.timeouts.append({"session": self.i, "action": kind, "stage": self.res.stage,
                                      "after_s": round(time.monotonic() - t, 1), "error": str(e).splitlines()[0][:200]})
            return None
        dt = time.monotonic() - t
        if out == "unchanged":
            self.res.unchanged[kind] = self.res.unchanged.get(kind, 0) + 1
        self.res.add(self.i, kind + (" (unchanged)" if out == "unchanged" else ""), dt)
        return out or "ok"

    async def _open(self, path: str, title: str, first: bool) -> bool:
        self.path = path
        ms = ACTION_TIMEOUT_S * 1000

        async def go():
            if first:
                await self.page.goto(self.base + path, timeout=ms)
            else:
                href = "/" if path == "/" else path
                await self.page.locator(f"{NAV}[href$='{href}']").first.click(timeout=ms)
            await self.page.wait_for_function(PAGE_DRAWN, arg=title, polling=100, timeout=ms)
            return "ok"

        kind = ("load " if first else "open ") + path
        ok = await self._timed(kind, go())
        with contextlib.suppress(Exception):
            await self.page.wait_for_selector(IDLE, timeout=ms)
        await self._check_exceptions()
        self.res.add_bytes(kind, self.rx - self.rx0)  # received until the run ended
        return ok is not None

    async def _slider(self, path: str, label: str) -> None:
        ms = ACTION_TIMEOUT_S * 1000
        sliders = self.page.locator(SLIDER)
        slider = sliders.filter(has_text=label).first if label else sliders.first
        thumb = slider.locator(THUMB).first
        for k in range(self.presses):
            key = "ArrowRight" if k % 2 == 0 else "ArrowLeft"

            async def press(key=key):
                before = await self.page.evaluate(FINGERPRINT)
                await self.page.evaluate(ARM)
                await thumb.focus(timeout=ms)
                await self.page.keyboard.press(key)
                handle = await self.page.wait_for_function(CHANGED_OR_SETTLED, arg=[before, UNCHANGED_AFTER_MS],
                                                           polling=100, timeout=ms)
                return await handle.json_value()

            # the clock starts at the call: the fingerprint and focus before the key press are a few ms
            ok = await self._timed("slider " + path, press())
            with contextlib.suppress(Exception):
                await self.page.wait_for_selector(IDLE, timeout=ms)
            await self._check_exceptions()
            self.res.add_bytes("slider " + path, self.rx - self.rx0)
            if ok is None:
                return

    async def one_pass(self, first: bool, start: int = 0) -> None:
        for j, (path, title, label) in enumerate(PAGES[start:] + PAGES[:start]):
            if not await self._open(path, title, first and j == 0) and first and j == 0:
                return
            if label is not None:
                await self._slider(path, label)

    async def run(self, go: asyncio.Event, stop: threading.Event, max_loops: int) -> None:
        await self.one_pass(first=True)
        self.res.passes[self.i] = 1
        self.warm.set()
        await go.wait()
        # Sessions start the load at different pages (never the one they are on, the last), so that every
        # page is under load even when a pass takes longer than the load stage.
        start = self.i % (len(PAGES) - 1)
        for _ in range(max_loops - 1):
            if stop.is_set():
                return
            await self.one_pass(first=False, start=start)
            self.res.passes[self.i] += 1


async def sample(pid: int, res: Results, stop: threading.Event) -> None:
    while not stop.is_set():
        mb, cpu = rss_mb(pid), cpu_seconds(pid)
        now = res.now()
        if mb is not None:
            res.rss.append((now, mb, res.stage))
        if cpu is not None:
            res.cpu.append((now, cpu))
        await asyncio.sleep(1.0)


def cpu_share(cpu: list[tuple[float, float]], start: float, end: float) -> float | None:
    """Server CPU seconds per second (cores busy) between two times."""
    inside = [(t, c) for t, c in cpu if start <= t <= end]
    if len(inside) < 2 or inside[-1][0] <= inside[0][0]:
        return None
    return (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])


async def at_rest(res: Results) -> float:
    """Median RSS over REST_S seconds while no session acts."""
    start = res.now()
    await asyncio.sleep(REST_S)
    values = [mb for t, mb, _ in res.rss if t >= start]
    return statistics.median(values) if values else float("nan")


async def load(args, base: str, proc, res: Results) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {}
    sampler_stop = threading.Event()
    load_stop = threading.Event()
    sampler = asyncio.create_task(sample(proc.pid, res, sampler_stop))
    await asyncio.sleep(REST_S)
    out["rss0_mb"] = statistics.median(mb for _, mb, _ in res.rss) if res.rss else float("nan")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            sessions = [Session(i, browser, base, res, args.presses) for i in range(args.sessions)]
            for s in sessions:
                await s.start()
            go = asyncio.Event()
            warm_deadline = time.monotonic() + args.warmup_timeout
            res.stage = "1"
            tasks = [asyncio.create_task(sessions[0].run(go, load_stop, args.max_loops))]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sessions[0].warm.wait(), timeout=args.warmup_timeout)
            out["stage1_warm_s"] = res.now()
            out["rss1_mb"] = await at_rest(res)
            res.stage = "2"
            t2 = res.now()
            tasks += [asyncio.create_task(s.run(go, load_stop, args.max_loops)) for s in sessions[1:]]
            remaining = max(1.0, warm_deadline - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(s.warm.wait() for s in sessions)), timeout=remaining)
            out["warmup_complete"] = all(s.warm.is_set() for s in sessions)
            out["stage2_warm_s"] = res.now() - t2
            out["rss_warm_mb"] = await at_rest(res)
            out["warmup_end_s"] = res.now()
            res.stage = "3"
            t3 = res.now()
            go.set()
            await asyncio.wait(tasks, timeout=args.seconds)
            load_stop.set()
            res.stage = "3-end"
            out["load_s"] = res.now() - t3
            for t in tasks:
                if not t.done():
                    res.actions_cut += 1
                    t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            post = [(t - t3, mb) for t, mb, st in res.rss if st == "3"]
            out["rss_end_mb"] = statistics.median(mb for _, mb in post[-5:]) if post else float("nan")
            out["slope_mb_per_min"] = slope_mb_per_min(post)
            out["slope_second_half_mb_per_min"] = slope_mb_per_min([x for x in post if x[0] >= out["load_s"] / 2])
            out["rss_end_rest_mb"] = await at_rest(res)
            out["server_cpu_share"] = cpu_share(res.cpu, t3, t3 + out["load_s"])
            out["server_cpu_share_warmup"] = cpu_share(res.cpu, t2, t2 + out["stage2_warm_s"])
            for s in sessions:
                with contextlib.suppress(Exception):
                    await s.context.close()
        finally:
            with contextlib.suppress(Exception):
                await browser.close()
    sampler_stop.set()
    await sampler
    return out


def server_tracebacks(log_text: str) -> list[str]:
    blocks, lines = [], log_text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = i + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
                end += 1
            blocks.append("\n".join(lines[i:min(end + 1, len(lines))])[-1500:])
    return blocks


def server_log_notes(log_text: str) -> list[str]:
    """Lines of the server's log that look like a warning or an error (tracebacks are counted apart)."""
    words = ("error", "warning", "exception")
    return [line[:300] for line in log_text.splitlines() if any(w in line.lower() for w in words)
            and not line.startswith((" ", "\t", "Traceback"))]


def report(args, out: dict, res: Results) -> dict:
    kinds = sorted({k for _, k in res.latencies}, key=lambda k: (
        [p for p, _, _ in PAGES].index(k.split()[1]) if k.split()[1] in [p for p, _, _ in PAGES] else 99, k))
    lat = {phase: {k: summary(res.latencies[(phase, k)]) for k in kinds if (phase, k) in res.latencies}
           for phase in PHASES.values()}
    n = args.sessions
    per_session = (out["rss_warm_mb"] - out["rss1_mb"]) / (n - 1) if n > 1 else None
    return {
        "sessions": n, "seconds": args.seconds, "presses": args.presses, "max_loops": args.max_loops,
        "stages": {k: out.get(k) for k in ("stage1_warm_s", "stage2_warm_s", "warmup_end_s", "warmup_complete",
                                           "load_s")},
        "memory": {"rss0_mb": out["rss0_mb"], "rss1_mb": out["rss1_mb"], "rss_warmup_end_mb": out["rss_warm_mb"],
                   "rss_end_mb": out["rss_end_mb"], "rss_end_at_rest_mb": out["rss_end_rest_mb"],
                   "slope_mb_per_min": out["slope_mb_per_min"],
                   "slope_second_half_mb_per_min": out["slope_second_half_mb_per_min"], "mb_per_session": per_session,
                   "definition": "mb_per_session = (RSS with N sessions - RSS with 1 session) / (N - 1), both at "
                                 "rest after their stage's warm-up pass; slope = least squares over the "
                                 "load-stage samples (1 per second)",
                   "samples": [(round(t, 1), round(mb, 1), st) for t, mb, st in res.rss]},
        "server_cpu_share": out.get("server_cpu_share"),
        "server_cpu_share_warmup": out.get("server_cpu_share_warmup"),
        "latency_s": lat,
        "passes": res.passes,
        "load_pages_opened": {i: sum(1 for e in res.events if e[1] == i and e[4] == "3" and e[2].startswith("open "))
                              for i in range(n)},
        "unchanged_presses": res.unchanged,
        "received_kb_median": {k: statistics.median(v) / 1024 for k, v in res.received.items()},
        "timeouts": res.timeouts,
        "actions_cut_at_stop": res.actions_cut,
        "exceptions": res.exceptions,
        "console_errors": res.console_errors,
        "server_log_notes": res.log_notes,
        "events": res.events,
    }


def print_report(r: dict) -> None:
    m = r["memory"]
    st = r["stages"]
    print(f"Load test: {r['sessions']} Chromium sessions, {r['seconds']} s of load after the warm-up, "
          f"{r['presses']} key presses per slider")
    print(f"warm-up: session 1 alone {st['stage1_warm_s']:.0f} s, then sessions 2..{r['sessions']} together "
          f"{st['stage2_warm_s']:.0f} s{'' if st['warmup_complete'] else '  (INCOMPLETE: hit --warmup-timeout)'}; "
          f"load stage {st['load_s']:.0f} s")
    passes = list(r["passes"].values())
    opened = list(r["load_pages_opened"].values())
    if passes:
        print(f"complete passes over the {len(PAGES)} pages per session (warm-up included): min {min(passes)}, "
              f"max {max(passes)}; pages opened per session in stage 3: {opened}")
    print("\nKB recv = median of what the page received over its websocket per action, all stages")
    print("latency (s): load = page load -> first chart; open = sidebar click -> first chart; "
          "slider = key press -> a chart changed")
    for phase in PHASES.values():
        if not r["latency_s"][phase]:
            continue
        print(f"{phase}")
        print(f"  {'action':<34} {'n':>4} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7} {'KB recv':>8}")
        for k, s in r["latency_s"][phase].items():
            kb = r["received_kb_median"].get(k.replace(" (unchanged)", ""), float("nan"))
            print(f"  {k:<34} {s['n']:>4} {s['p50']:>7.2f} {s['p90']:>7.2f} {s['p99']:>7.2f} {s['max']:>7.2f} "
                  f"{kb:>8.0f}")
    print("\nserver RSS (MB): "
          f"alone {m['rss0_mb']:.0f}; 1 session warm {m['rss1_mb']:.0f}; {r['sessions']} sessions at warm-up end "
          f"{m['rss_warmup_end_mb']:.0f}; end of load {m['rss_end_mb']:.0f} (at rest {m['rss_end_at_rest_mb']:.0f})")
    slope = m["slope_mb_per_min"]
    half = m["slope_second_half_mb_per_min"]
    print(f"slope over the load stage: {slope:+.2f} MB/min; over its second half: {half:+.2f} MB/min"
          if slope is not None and half is not None else "slope: too few samples")
    if m["mb_per_session"] is not None:
        print(f"MB per session: {m['mb_per_session']:.1f}  ({m['definition'].split(';')[0]})")
    for what, key in (("stage-2 warm-up", "server_cpu_share_warmup"), ("load", "server_cpu_share")):
        if r[key] is not None:
            print(f"server CPU during the {what}: {r[key]:.2f} cores busy (of {os.cpu_count()})")
    if r["unchanged_presses"]:
        print(f"presses that changed no chart: {r['unchanged_presses']}")
    print(f"timeouts: {len(r['timeouts'])}; actions cut at the hard stop: {r['actions_cut_at_stop']}")
    for t in r["timeouts"][:10]:
        print(f"  session {t['session']} {t['action']} (stage {t['stage']}) after {t['after_s']} s: {t['error']}")
    print(f"console errors: {len(r['console_errors'])}")
    for c in r["console_errors"][:10]:
        print(f"  session {c['session']} {c['page']}: {c['text']}")
    print(f"warning or error lines in the server log: {len(r['server_log_notes'])}")
    for line in r["server_log_notes"][:5]:
        print(f"  {line}")
    print(f"exceptions: {len(r['exceptions'])}")
    for e in r["exceptions"][:10]:
        print(f"  [{e['source']}] session {e['session']} {e['page']}: {e['text'][:300]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions, at least 10 (default 10)")
    ap.add_argument("--seconds", type=float, default=120, help="length of the load stage after the warm-up "
                                                               "(default 120; hard stop)")
    ap.add_argument("--warmup-timeout", type=float, default=600, help="hard limit of stages 1 and 2 (default 600 s)")
    ap.add_argument("--presses", type=int, default=4, help="key presses per slider per visit (default 4)")
    ap.add_argument("--max-loops", type=int, default=50, help="passes over every page per session (default 50)")
    ap.add_argument("--json", metavar="PATH", help="also write every figure to this JSON file")
    args = ap.parse_args()
    if args.sessions < 10:
        ap.error("--sessions must be at least 10")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found (Debian's chromium package)")

    # A safety net above the phases' own limits: never leave a run hanging.
    limit = args.warmup_timeout + args.seconds + 300
    with tempfile.TemporaryDirectory() as tmp, (Path(tmp) / "server.log").open("w+") as log:
        try:
            with running_server(log=log) as (base, proc):
                watchdog = threading.Timer(limit, lambda: (print(f"load test: hard limit {limit:.0f} s hit",
                                                                 flush=True), proc.kill(), os._exit(2)))
                watchdog.daemon = True
                watchdog.start()
                res = Results()
                out = asyncio.run(load(args, base, proc, res))
                watchdog.cancel()
        except ServerFailed as e:
            raise SystemExit(str(e)) from None
        log_text = (Path(tmp) / "server.log").read_text(errors="replace")
    res.log_notes = server_log_notes(log_text)
    for tb in server_tracebacks(log_text):
        res.exceptions.append({"session": None, "page": None, "source": "server log", "text": tb})
    r = report(args, out, res)
    print_report(r)
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=2), encoding="utf-8")
        print(f"figures written to {args.json}")
    return 1 if r["exceptions"] else 0


if __name__ == "__main__":
    sys.exit(main())
