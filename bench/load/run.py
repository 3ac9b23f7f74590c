"""A class on the app: N learners on Streamlit's websocket (Locust, headless), with the server's RSS and CPU
sampled every second, reported per page and action.

Needs the bench requirements, which CI does not install:  pip install -r requirements-bench.txt

Usage, from the repository root:
  python -m bench.load.run --users 50 --minutes 3 [--json PATH]
      [--host URL [--server-pid PID]]   a running app (default: start `streamlit run app.py` on a free port)
      [--ramp-seconds 60]               learners arrive over this time (a class opening the link in one minute)
      [--timeout 90] [--first-link /explorer?lang=ko] [--locale ko-KR] [--no-warmup] [--server-log PATH]
      [--lesson dying-relu]              every learner walks this lesson (bench/load/locustfile.py)

Steps: the server (bench/appserver.py's running_server, or --host); a warm-up (one session opens every page of the
mix once, not counted: without it the first learners measure imports and cold caches; --no-warmup measures a cold
server); then `python -m locust` in its own process (the load generator must not share the GIL with the
sampler, and its CPU is reported apart); then the report: markdown to stdout, everything (and every action) to
--json. Exit 1 if a learner saw an exception (timeouts and slow pages are figures, not failures of the run), 2 if
the run itself broke.

On a 2-core machine the load generator takes a share of the CPU the server would have (the report says how much):
read the figures as "the server with Locust beside it".
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from bench.appserver import ROOT, running_server
from labs import remote

from .plan import PAGE_MIX
from .report import build, markdown
from .sampler import Sampler, psutil

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
GRACE_S = 120  # beyond the run time, for Locust to start and stop


def listening_pid(base: str) -> int | None:
    """The local process listening on `base`'s port (to sample a server we did not start), if psutil can see it."""
    port = urlparse(base).port
    if psutil is None or port is None:
        return None
    with contextlib.suppress(psutil.Error, OSError):
        for c in psutil.net_connections(kind="tcp"):
            if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port and c.pid:
                return c.pid
    return None


def warm_up(base: str, timeout: float) -> dict[str, float | str]:
    """Open every page of the mix once in one session: seconds per page, or its failure."""
    from labs import pages

    from .protocol import Session

    s = Session(base, timeout=timeout)
    out: dict[str, float | str] = {}
    for key in PAGE_MIX:
        res = s.open(pages.get(key).path)
        out[key] = res.failure or round(res.seconds, 2)
    s.close()
    return out


def run_locust(base: str, args, samples: Path, log: Path, sampler: Sampler) -> int:
    seconds = max(1, round(args.minutes * 60))
    rate = args.spawn_rate or max(args.users / max(args.ramp_seconds, 1), 0.01)
    cmd = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
           "--users", str(args.users), "--spawn-rate", f"{rate:g}", "--run-time", f"{seconds}s",
           "--host", base, "--samples-file", str(samples), "--action-timeout", f"{args.timeout:g}",
           "--locale", args.locale, "--loglevel", "WARNING"]
    if args.first_link:
        cmd += ["--first-link", args.first_link]
    if args.lesson:
        cmd += ["--lesson", args.lesson]
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        sampler.add("locust", proc.pid)
        try:
            return proc.wait(timeout=seconds + GRACE_S)
        except subprocess.TimeoutExpired:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                return proc.wait(timeout=20)
            proc.kill()
            return proc.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--ramp-seconds", type=float, default=60.0, help="learners arrive over this many seconds")
    ap.add_argument("--spawn-rate", type=float, default=0.0, help="learners per second (overrides --ramp-seconds)")
    ap.add_argument("--host", default="", help="a running app's base URL (default: start one)")
    ap.add_argument("--server-pid", type=int, default=0, help="with --host: the server process to sample "
                    "(default: the local process listening on its port)")
    ap.add_argument("--timeout", type=float, default=90.0, help="seconds before an action counts as a timeout")
    ap.add_argument("--first-link", default="", help="the page every learner opens first (path?query)")
    ap.add_argument("--locale", default="en-US")
    ap.add_argument("--lesson", default="", help="every learner walks this lesson (labs.lessons) instead of the mix")
    ap.add_argument("--no-warmup", action="store_true")
    ap.add_argument("--json", default="", help="write the full report (every action, every sample) here")
    ap.add_argument("--server-log", default="", help="keep the started server's output here (its tracebacks)")
    args = ap.parse_args(argv)

    missing = [m for m in ("locust", "websocket") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"missing {', '.join(missing)}: pip install -r requirements-bench.txt", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="load-") as tmp, contextlib.ExitStack() as stack:
        tmpdir = Path(tmp)
        sampler = Sampler()
        if args.host:
            base, pid = args.host.rstrip("/"), args.server_pid or listening_pid(args.host)
            target = f"{base}" + ("" if pid else " (server not sampled: pass --server-pid)")
        else:
            server_log = stack.enter_context(open(args.server_log or tmpdir / "server.log", "w+", encoding="utf-8"))
            costs = tmpdir / "costs.jsonl"  # labs.remote logs each experiment's cost here (its workers inherit it)
            base, proc = stack.enter_context(running_server(log=server_log,
                                                            env={**os.environ, remote.COST_LOG_ENV: str(costs)}))
            pid, target = proc.pid, f"`streamlit run app.py` started at {base}"
        if pid:
            sampler.add("server", pid)
        sampler.start()
        stack.callback(sampler.stop)
        warm = "off" if args.no_warmup else warm_up(base, args.timeout)
        samples, log = tmpdir / "samples.jsonl", tmpdir / "locust.log"
        start = sampler.now()
        when = time.strftime("%Y-%m-%d %H:%M")
        code = run_locust(base, args, samples, log, sampler)
        end = sampler.now()
        sampler.stop()
        rows = [json.loads(line) for line in samples.read_text().splitlines()] if samples.exists() else []
        costs = tmpdir / "costs.jsonl"
        runs = [json.loads(line) for line in costs.read_text().splitlines() if line] if costs.exists() else []
        locust_out = log.read_text(errors="replace")
    if code not in (0, 1) or not rows:
        print(f"Locust exited {code} with {len(rows)} actions recorded:\n{locust_out[-4000:]}", file=sys.stderr)
        return 2
    meta = {"users": args.users, "seconds": end - start, "when": when, "target": target,
            "spawn_rate": args.spawn_rate or args.users / max(args.ramp_seconds, 1), "timeout_s": args.timeout,
            "warmup": warm if isinstance(warm, str) else ", ".join(f"{k} {v}" + ("" if isinstance(v, str) else " s")
                                                                   for k, v in warm.items()),
            "cpus": os.cpu_count(), "locale": args.locale, "first_link": args.first_link or None,
            "lesson": args.lesson or None}
    rep = build(rows, sampler, start, end, meta, runs)
    print(markdown(rep))
    if args.json:
        Path(args.json).write_text(json.dumps(rep, indent=1) + "\n", encoding="utf-8")
    return 1 if any(r.get("exceptions") for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
