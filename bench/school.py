"""A school on one machine: deploy/'s architecture as plain processes (a Dask scheduler, Dask workers of one thread
each, app replicas connected to that scheduler, HAProxy with the sticky cookie in front), then the class load test
(bench/load) through the proxy, and the CPU and memory of every one of those processes.

Needs Debian's haproxy (apt-get install haproxy) and the bench requirements (pip install -r requirements-bench.txt).

Usage, from the repository root:
  python bench/school.py [--users 30] [--minutes 3] [--json PATH]
      [--workers 2] [--apps 2]        Dask workers (1 thread each) and app replicas
      [--ramp-seconds S]              learners arrive over S seconds (default: 60, or half the run if shorter)

Steps: the scheduler (worker saturation 1.0, as deploy/ sets it), the workers (OMP_NUM_THREADS=1,
ACTIVATION_LAB_WORKER_NICE=10), the apps (`streamlit run app.py` with ACTIVATION_LAB_DASK=tcp://127.0.0.1:<port>),
HAProxy with a config made from deploy/haproxy.cfg (the same backend and cookie; static servers on loopback instead
of Docker's DNS); each is waited for (health, workers registered, a sticky cookie for every replica); then
`python -m bench.load.run --host <proxy>` prints its report (its "server" is the process listening on the proxy's
port: HAProxy), while this script samples every process tree itself every second and prints the table of roles:
mean CPU (cores) and peak RSS (MB) over the load, and the experiments the cluster computed. --json: the load run's
report with this script's figures added under "school".

Every process is stopped on exit, on Ctrl-C and on SIGTERM (each runs in its own process group, which is stopped
whole: a Dask worker's nanny and its worker process, Locust's children). The servers also get SIGTERM if this script
dies without cleaning up (Linux). Exit code: the load run's (0 fine, 1 a learner saw an exception, 2 the run broke),
2 if the school did not start.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from bench.appserver import DEV_ARGS, HEALTH_TIMEOUT_S, free_port  # noqa: E402
from bench.load.report import experiment_costs  # noqa: E402

HAPROXY_TEMPLATE = ROOT / "deploy" / "haproxy.cfg"
# The settings deploy/ gives the scheduler and the workers (tests/test_deploy_manifests.py holds them equal).
SCHEDULER_ENV = {"DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"}
WORKER_ENV = {"OMP_NUM_THREADS": "1", "ACTIVATION_LAB_WORKER_NICE": "10"}
TASK_PREFIX = "activation-lab-"  # ui.workers.PREFIX: the app's experiments among the scheduler's tasks
COST_LOG_ENV, COSTS = "ACTIVATION_LAB_COST_LOG", "costs.jsonl"  # labs.remote: each experiment's worker CPU
STOP_GRACE_S = 15
STICKY_TIMEOUT_S = 60


# --- HAProxy's config, from deploy/'s -------------------------------------------------------------------------

def haproxy_config(template: str, bind: str, servers: list[tuple[str, int]]) -> str:
    """deploy/haproxy.cfg for processes on this machine: `bind` instead of the container's port, one static server
    per (host, port) instead of the template resolved by Docker's DNS, and no resolvers section. Everything else
    (the sticky cookie, timeouts, health check) as deployed. ValueError if the template no longer has the lines
    this replaces once each."""
    def once(pattern: str, text: str, repl: str) -> str:
        out, n = re.subn(pattern, repl, text, flags=re.MULTILINE)
        if n != 1:
            raise ValueError(f"{HAPROXY_TEMPLATE.name}: expected one match of {pattern!r}, found {n}")
        return out

    # a section: its unindented first line, then indented lines (and blank ones) up to the next unindented line
    text = once(r"^resolvers[ \t]+\S+[^\n]*\n(?:(?:[ \t][^\n]*|)\n)*", template, "")
    text = once(r"^([ \t]+)bind[ \t]+\S+", text, rf"\g<1>bind {bind}")
    lines = "\n".join(rf"\g<1>server app{i} {host}:{port} check" for i, (host, port) in enumerate(servers, 1))
    return once(r"^([ \t]+)server-template[ \t][^\n]*", text, lines)


# --- processes -------------------------------------------------------------------------------------------------

def _own_group_dying_with_us() -> None:  # preexec_fn: runs in the child before exec
    os.setsid()
    with contextlib.suppress(Exception):  # PR_SET_PDEATHSIG = 1: SIGTERM when this script dies (Linux only)
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)


@dataclass
class Proc:
    role: str  # scheduler, worker, app, haproxy, load
    name: str  # "worker 1"
    popen: subprocess.Popen
    log: IO[str]

    def tail(self, chars: int = 3000) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-chars:]


class SchoolFailed(RuntimeError):
    """A process exited or did not get ready in time; the message ends with its log."""


class Fleet:
    """The processes this script started, stopped whole (process group) in reverse order on close()."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.procs: list[Proc] = []

    def start(self, role: str, name: str, argv: list[str], env: dict[str, str], *, server: bool = True) -> Proc:
        """A server's output goes to its log in the temporary directory; the load run's to this script's own."""
        log = open(self.tmp / (name.replace(" ", "-") + ".log"), "w+", encoding="utf-8")
        popen = subprocess.Popen(
            argv, cwd=ROOT, env={**os.environ, **env}, stdin=subprocess.DEVNULL,
            stdout=log if server else None, stderr=subprocess.STDOUT if server else None,
            # Our own group: Ctrl-C reaches this script only, which then stops everything in order. The load run
            # starts while the sampler thread runs, where a preexec_fn is unsafe: start_new_session alone.
            preexec_fn=_own_group_dying_with_us if server else None, start_new_session=not server)
        proc = Proc(role, name, popen, log)
        self.procs.append(proc)
        return proc

    def check_alive(self) -> None:
        for p in self.procs:
            if p.role != "load" and p.popen.poll() is not None:
                raise SchoolFailed(f"{p.name} exited with {p.popen.returncode}:\n{p.tail()}")

    @staticmethod
    def _signal(p: Proc, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(p.popen.pid, sig)

    def stop(self, procs: list[Proc], first: int = signal.SIGTERM) -> None:
        for p in procs:
            if p.popen.poll() is None:
                self._signal(p, first)
        deadline = time.monotonic() + STOP_GRACE_S
        for p in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            self._signal(p, signal.SIGKILL)  # whatever of its group is left (the leader may be gone already)
            if p.popen.poll() is None:
                p.popen.wait()

    def close(self) -> None:
        """The load run (SIGINT first: Locust stops its users), the proxy and the apps, then the workers and the
        scheduler last (the apps' clients would otherwise log a lost scheduler)."""
        by_role = {r: [p for p in reversed(self.procs) if p.role == r] for r in
                   ("load", "haproxy", "app", "worker", "scheduler")}
        self.stop(by_role["load"], first=signal.SIGINT)
        self.stop(by_role["haproxy"] + by_role["app"])
        self.stop(by_role["worker"])
        self.stop(by_role["scheduler"])
        for p in self.procs:
            p.log.close()


def get(url: str, timeout: float = 2) -> tuple[int, dict[str, list[str]], bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        headers: dict[str, list[str]] = {}
        for k, v in r.headers.items():
            headers.setdefault(k.lower(), []).append(v)
        return r.status, headers, r.read()


def wait_for(what: str, fleet: Fleet, ready, timeout: float = HEALTH_TIMEOUT_S, proc: Proc | None = None):
    """ready()'s first true value, polled every 0.25 s while every started process lives."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError, ValueError):
            value = ready()
            if value:
                return value
        fleet.check_alive()
        if time.monotonic() > deadline:
            raise SchoolFailed(f"{what}: not ready in {timeout:g} s" + (f":\n{proc.tail()}" if proc else ""))
        time.sleep(0.25)


def start_school(fleet: Fleet, n_workers: int, n_apps: int) -> dict:
    """Every server, ready; their addresses."""
    py = sys.executable
    s_port, s_http = free_port(), free_port()
    scheduler = f"tcp://127.0.0.1:{s_port}"
    scratch = fleet.tmp / "dask"
    common = {"PYTHONPATH": str(ROOT), "DASK_TEMPORARY_DIRECTORY": str(scratch)}  # PYTHONPATH: as /app in deploy/

    sched = fleet.start("scheduler", "scheduler", [
        py, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", str(s_port),
        "--dashboard-address", f"127.0.0.1:{s_http}", "--no-dashboard"], {**common, **SCHEDULER_ENV})
    wait_for("the scheduler", fleet, lambda: get(f"http://127.0.0.1:{s_http}/health")[2].strip() == b"ok", proc=sched)

    for i in range(1, n_workers + 1):
        fleet.start("worker", f"worker {i}", [
            py, "-m", "dask", "worker", scheduler, "--name", f"worker-{i}", "--nworkers", "1", "--nthreads", "1",
            "--no-dashboard", "--host", "127.0.0.1", "--dashboard-address", "127.0.0.1:0",
            "--local-directory", str(scratch)], {**common, **WORKER_ENV, COST_LOG_ENV: str(fleet.tmp / COSTS)})

    apps: list[tuple[int, Proc]] = []
    for i in range(1, n_apps + 1):
        port = free_port()
        apps.append((port, fleet.start("app", f"app {i}", [
            py, "-m", "streamlit", "run", "app.py", f"--server.port={port}", *DEV_ARGS],
            {"ACTIVATION_LAB_DASK": scheduler, "OMP_NUM_THREADS": "1"})))

    def workers_registered() -> bool:
        identity = json.loads(get(f"http://127.0.0.1:{s_http}/json/identity.json")[2])
        return len(identity.get("workers", {})) >= n_workers

    wait_for(f"{n_workers} workers registered", fleet, workers_registered)
    for port, app in apps:
        wait_for(app.name, fleet, lambda port=port: get(f"http://127.0.0.1:{port}/_stcore/health")[2] == b"ok",
                 proc=app)

    haproxy = shutil.which("haproxy")
    assert haproxy  # checked in main()
    proxy_port = free_port()
    cfg = fleet.tmp / "haproxy.cfg"
    cfg.write_text(haproxy_config(HAPROXY_TEMPLATE.read_text(), f"127.0.0.1:{proxy_port}",
                                  [("127.0.0.1", port) for port, _ in apps]), encoding="utf-8")
    checked = subprocess.run([haproxy, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True)
    if checked.returncode:
        raise SchoolFailed(f"haproxy refused its config:\n{checked.stdout}{checked.stderr}")
    proxy = fleet.start("haproxy", "haproxy", [haproxy, "-db", "-f", str(cfg)], {})
    base = f"http://127.0.0.1:{proxy_port}"

    # Through the proxy: health, a sticky cookie for every replica (new visitors spread over them), the page itself.
    cookies: set[str] = set()

    def every_replica_sticky() -> bool:
        _, headers, body = get(f"{base}/_stcore/health")
        for c in headers.get("set-cookie", []):
            if c.startswith("SERVERID="):
                cookies.add(c.split(";", 1)[0])
        return body == b"ok" and len(cookies) >= n_apps

    wait_for(f"a sticky cookie from each of the {n_apps} replicas through HAProxy", fleet, every_replica_sticky,
             timeout=STICKY_TIMEOUT_S, proc=proxy)
    status, _, page = get(f"{base}/", timeout=10)
    if status != 200 or b"<html" not in page.lower():
        raise SchoolFailed(f"the app's page through HAProxy answered {status}: {page[:200]!r}")
    return {"base": base, "scheduler": scheduler, "scheduler_http": s_http, "cookies": sorted(cookies)}


# --- figures ---------------------------------------------------------------------------------------------------

def role_figures(sampler, procs: list[Proc], start: float, end: float) -> dict:
    """Per process and per role: mean cores over [start, end] and peak RSS (the peak of the role's summed RSS at
    each sample), and the same for all of them together."""
    def peak_rss(names: list[str]) -> float | None:
        per_t: dict[float, float] = {}
        counted: dict[float, int] = {}
        for n in names:
            s = sampler.series.get(n)
            for t, rss in zip(s.t, s.rss_mb, strict=False) if s else ():
                if start <= t <= end:
                    per_t[t] = per_t.get(t, 0.0) + rss
                    counted[t] = counted.get(t, 0) + 1
        full = [v for t, v in per_t.items() if counted[t] == len(names)]
        return round(max(full), 1) if full else None

    def cores(names: list[str]) -> float | None:
        vals = [sampler.series[n].cores_between(start, end) for n in names if n in sampler.series]
        return round(sum(v for v in vals if v is not None), 2) if vals and None not in vals else None

    out: dict = {"processes": {}, "roles": {}}
    for p in procs:
        out["processes"][p.name] = {"role": p.role, "pid": p.popen.pid, "mean_cores": cores([p.name]),
                                    "peak_rss_mb": peak_rss([p.name])}
    groups = {role: [p.name for p in procs if p.role == role] for role in ("scheduler", "worker", "app", "haproxy")}
    for role, names in groups.items():
        out["roles"][role] = {"processes": len(names), "mean_cores": cores(names), "peak_rss_mb": peak_rss(names)}
    everything = [n for names in groups.values() for n in names]
    out["roles"]["total"] = {"processes": len(everything), "mean_cores": cores(everything),
                             "peak_rss_mb": peak_rss(everything)}
    load = [p.name for p in procs if p.role == "load"]
    out["load_generator"] = {"mean_cores": cores(load), "peak_rss_mb": peak_rss(load)} if load else None
    out["machine_busy_cores"] = sampler.series["machine"].cores_between(start, end)
    return out


def _experiments_on_scheduler(dask_scheduler=None) -> dict:  # runs inside the scheduler (run_on_scheduler)
    out = {}
    for name, prefix in dask_scheduler.task_prefixes.items():
        if name.startswith("activation-lab-"):
            counts = prefix.state_counts
            out[name] = {"started": counts.get("processing", 0), "finished": counts.get("memory", 0),
                         "erred": counts.get("erred", 0)}
    return out


def experiments(scheduler: str) -> dict | None:
    """What the cluster computed for the apps, per lab: tasks started, finished, erred (None if it cannot say)."""
    try:
        from distributed import Client

        with Client(scheduler, timeout=10) as c:
            return c.run_on_scheduler(_experiments_on_scheduler)
    except Exception as e:  # noqa: BLE001 - the figures stand without it
        print(f"(the scheduler's task counts could not be read: {e})", file=sys.stderr)
        return None


def _f(v, digits: int = 2) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def markdown(fig: dict, meta: dict) -> str:
    names = {"scheduler": "Dask scheduler", "worker": "Dask workers (1 thread each)", "app": "app replicas",
             "haproxy": "HAProxy", "total": "**all of the school**"}
    lines = [f"## The school: {meta['users']} learners for {meta['minutes']:g} min through HAProxy, "
             f"{meta['apps']} app replicas, {meta['workers']} Dask workers ({meta['cpus']} cores)", "",
             "| role | processes | mean CPU (cores) | peak RSS MB |", "|---|---:|---:|---:|"]
    for role, row in fig["roles"].items():
        lines.append(f"| {names[role]} | {row['processes']} | {_f(row['mean_cores'])} | {_f(row['peak_rss_mb'], 0)} |")
    if fig.get("load_generator"):
        lg = fig["load_generator"]
        lines.append(f"| load generator (not in the total) | 1 | {_f(lg['mean_cores'])} | {_f(lg['peak_rss_mb'], 0)} |")
    lines.append(f"| whole machine, busy | | {_f(fig.get('machine_busy_cores'))} | |")
    lines += ["", "Per process: " + ", ".join(f"{n} {_f(p['mean_cores'])} cores / {_f(p['peak_rss_mb'], 0)} MB"
                                             for n, p in fig["processes"].items() if p["role"] != "load")]
    ex = fig.get("experiments")
    if ex is not None:
        total = {k: sum(v[k] for v in ex.values()) for k in ("started", "finished", "erred")}
        per = ", ".join(f"{k.removeprefix(TASK_PREFIX)} {v['finished']}" for k, v in sorted(ex.items())) or "none"
        lines += ["", f"Experiments on the Dask cluster: {total['started']} started, {total['finished']} finished, "
                      f"{total['erred']} erred (finished per lab: {per})."]
    costs = fig.get("worker_costs")
    if costs:
        minutes = meta["minutes"]
        lines += ["", "Worker CPU per lab (labs.remote's cost log): "
                  + ", ".join(f"{k} {v['runs']} runs {v['cpu_s']} s ({v['cpu_s'] / 60 / minutes:.2f} cores)"
                              for k, v in costs.items())]
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------------------------------

def _raise_exit(signum, _frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=30)
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--json", default="", help="the load run's report with the school's figures under 'school'")
    ap.add_argument("--workers", type=int, default=2, help="Dask workers, one thread each")
    ap.add_argument("--apps", type=int, default=2, help="app replicas behind HAProxy")
    ap.add_argument("--ramp-seconds", type=float, default=None,
                    help="learners arrive over this many seconds (default: 60, or half the run if shorter)")
    args = ap.parse_args(argv)
    if not shutil.which("haproxy"):
        print("haproxy not found: apt-get install haproxy", file=sys.stderr)
        return 2
    from bench.load.sampler import Sampler, psutil

    if psutil is None:
        print("psutil missing: pip install -r requirements-bench.txt", file=sys.stderr)
        return 2
    ramp = args.ramp_seconds if args.ramp_seconds is not None else min(60.0, args.minutes * 60 / 2)

    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGHUP, _raise_exit)
    with tempfile.TemporaryDirectory(prefix="school-") as tmp:
        fleet = Fleet(Path(tmp))
        sampler, sampling = Sampler(), False
        try:
            print(f"Starting the school: a scheduler, {args.workers} workers, {args.apps} apps, HAProxy ...",
                  file=sys.stderr)
            t0 = time.monotonic()
            try:
                school = start_school(fleet, args.workers, args.apps)
            except SchoolFailed as e:
                print(f"The school did not start: {e}", file=sys.stderr)
                return 2
            print(f"Ready in {time.monotonic() - t0:.0f} s at {school['base']} (replica cookies: "
                  f"{', '.join(school['cookies'])}); the load run follows.", file=sys.stderr)
            for p in fleet.procs:
                sampler.add(p.name, p.popen.pid)
            sampler.start()
            sampling = True
            report_json = Path(args.json) if args.json else Path(tmp) / "load.json"
            start = sampler.now()
            sys.stdout.flush()
            load = fleet.start("load", "load generator", [
                sys.executable, "-m", "bench.load.run", "--host", school["base"], "--users", str(args.users),
                "--minutes", f"{args.minutes:g}", "--ramp-seconds", f"{ramp:g}", "--json", str(report_json)],
                {}, server=False)
            sampler.add(load.name, load.popen.pid)
            code = load.popen.wait()
            end = sampler.now()
            sampler.stop()
            figures = role_figures(sampler, fleet.procs, start, end)
            figures["experiments"] = experiments(school["scheduler"])
            costs = fleet.tmp / COSTS
            figures["worker_costs"] = experiment_costs(
                [json.loads(line) for line in costs.read_text().splitlines() if line] if costs.exists() else [])
            meta = {"users": args.users, "minutes": args.minutes, "apps": args.apps, "workers": args.workers,
                    "cpus": os.cpu_count(), "ramp_seconds": ramp, "load_exit": code}
            print()
            print(markdown(figures, meta))
            if args.json and report_json.exists():
                rep = json.loads(report_json.read_text(encoding="utf-8"))
                rep["school"] = {"meta": meta, **figures}
                report_json.write_text(json.dumps(rep, indent=1) + "\n", encoding="utf-8")
            if code:  # a learner saw an exception, or the run broke: what the servers logged
                for p in fleet.procs:
                    if p.role in ("app", "worker", "scheduler"):
                        print(f"\n--- the end of {p.name}'s log ---\n{p.tail(1500)}", file=sys.stderr)
            return code
        except KeyboardInterrupt:
            print("\nInterrupted: stopping every process.", file=sys.stderr)
            return 130
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
            if sampling:
                sampler.stop()
            fleet.close()
            signal.signal(signal.SIGINT, signal.default_int_handler)


if __name__ == "__main__":
    raise SystemExit(main())
