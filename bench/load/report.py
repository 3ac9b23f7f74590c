"""The load run's figures from its samples (one per action, bench/load/locustfile.py's --samples-file) and the
sampler's series: per page and action p50/p95/p99, counts, failures, timeouts, KB per action; the server's RSS and
CPU over time. A dict for JSON, and markdown for reading. Percentiles are exact (linear interpolation between the
closest ranks, as numpy's default), not Locust's rounded ones."""
from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from typing import Any

from bench.load_test import percentile

from .sampler import Sampler

BUCKET_S = 10  # the timeline's step
_TASK_KEY = re.compile(r"activation-lab-(.+?)-[0-9a-f]{32}(?:-[0-9a-f]{32})?$")  # ui.workers.key_of (+ a retry's)


def _row(rows: list[dict]) -> dict:
    ms = [r["ms"] for r in rows if not r.get("timeout")]  # a timeout's time is the timeout: kept out of percentiles
    out = {"count": len(rows), "failures": sum(1 for r in rows if r.get("error")),
           "timeouts": sum(1 for r in rows if r.get("timeout")),
           "exceptions": sum(1 for r in rows if r.get("exceptions")),
           "kb_per_action": round(statistics.mean(r["bytes"] for r in rows) / 1024, 1) if rows else None}
    for q in (50, 95, 99):
        out[f"p{q}_ms"] = round(percentile(ms, q)) if ms else None
    out["max_ms"] = round(max(ms)) if ms else None
    # the wait before the server started the run (queueing for the CPU and the script thread), not the run itself
    start = [r["start_ms"] for r in rows if r.get("start_ms") is not None]
    out["start_p50_ms"] = round(percentile(start, 50)) if start else None
    out["start_p95_ms"] = round(percentile(start, 95)) if start else None
    return out


def actions(samples: list[dict]) -> dict[str, dict]:
    """Figures per "action page" ("slider explorer"), per action over all pages ("slider (all)"), and for the
    opens that started a new session ("open (new session)")."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in samples:
        groups[f"{r['type']} {r['page']}"].append(r)
        groups[f"{r['type']} (all)"].append(r)
        if r["type"] == "open" and r.get("fresh"):
            groups["open (new session)"].append(r)
    return {k: _row(v) for k, v in sorted(groups.items())}


def failures(samples: list[dict]) -> list[dict]:
    """Each distinct failure message with its count and pages, the most frequent first."""
    count: Counter = Counter()
    where: dict[str, set] = defaultdict(set)
    for r in samples:
        if r.get("error"):
            count[r["error"]] += 1
            where[r["error"]].add(f"{r['type']} {r['page']}")
    return [{"error": e, "count": n, "where": sorted(where[e])} for e, n in count.most_common()]


def server_summary(sampler: Sampler, start: float, end: float) -> dict[str, Any]:
    """Over the load (sampler seconds `start`..`end`): mean cores busy (server, load generator, machine), the
    busiest 5 s, RSS at start, peak and end."""
    out: dict[str, Any] = {}
    for name, s in sampler.series.items():
        d: dict[str, Any] = {"mean_cores": _r(s.cores_between(start, end))}
        inside = [i for i, t in enumerate(s.t) if start <= t <= end]
        if len(inside) >= 6:
            d["peak_cores_5s"] = _r(max((s.cpu_s[j] - s.cpu_s[i]) / (s.t[j] - s.t[i])
                                        for i, j in zip(inside, inside[5:], strict=False) if s.t[j] > s.t[i]))
        if name != "machine" and s.rss_mb:
            rss = [s.rss_mb[i] for i in inside] or s.rss_mb
            d.update(rss_start_mb=rss[0], rss_peak_mb=max(s.rss_mb), rss_end_mb=rss[-1])
        out[name] = d
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def timeline(samples: list[dict], sampler: Sampler, start: float, end: float) -> list[dict]:
    """Every BUCKET_S seconds of the load: actions ended, their p50/p95, the server's RSS and cores, Locust's
    cores, the machine's cores."""
    rows = []
    ends = [(r["t"] - sampler.wall0, r) for r in samples]
    t = start
    while t < end:
        b = min(t + BUCKET_S, end)
        ms = [r["ms"] for e, r in ends if t <= e < b]
        row: dict[str, Any] = {"t": round(t - start), "actions": len(ms),
                               "p50_ms": round(percentile(ms, 50)) if ms else None,
                               "p95_ms": round(percentile(ms, 95)) if ms else None}
        for name, s in sampler.series.items():
            row[f"{name}_cores"] = _r(s.cores_between(t, b + 0.5))
            if name == "server":
                rss = [m for tt, m in zip(s.t, s.rss_mb, strict=True) if t <= tt <= b]
                row["server_rss_mb"] = max(rss) if rss else None
        rows.append(row)
        t = b
    return rows


def experiment_costs(runs: list[dict]) -> dict[str, dict]:
    """What the experiments cost the workers, per lab kind (labs.remote's cost log: one line per run): runs, how
    many were stopped (their learner had left), CPU seconds in all, per run (median, p95). The capacity model's
    input: worker CPU seconds the class asked for per minute."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in runs:
        hit = _TASK_KEY.match(r["key"])
        kind = hit.group(1) if hit else r["key"]
        groups[kind].append(r)
        groups["(all)"].append(r)
    out = {}
    for kind, rs in sorted(groups.items()):
        cpu = [r["cpu_s"] for r in rs]
        out[kind] = {"runs": len(rs), "stopped": sum(r["outcome"] == "stopped" for r in rs),
                     "failed": sum(r["outcome"] == "failed" for r in rs), "cpu_s": round(sum(cpu), 1),
                     "p50_cpu_s": round(percentile(cpu, 50), 3), "p95_cpu_s": round(percentile(cpu, 95), 3),
                     # wall over CPU: above 1, the run shared its core (the web process, the machine's other work)
                     "wall_per_cpu": round(sum(r["wall_s"] for r in rs) / max(sum(cpu), 1e-9), 2)}
    return out


def build(samples: list[dict], sampler: Sampler, start: float, end: float, meta: dict,
          runs: list[dict] | None = None) -> dict:
    return {"meta": meta, "actions": actions(samples), "failures": failures(samples),
            "experiments": experiment_costs(runs or []),
            "server": server_summary(sampler, start, end), "timeline": timeline(samples, sampler, start, end),
            "series": {k: {"t": s.t, "rss_mb": s.rss_mb, "cpu_s": s.cpu_s} for k, s in sampler.series.items()},
            "samples": samples}


def _f(x: Any) -> str:
    return "–" if x is None else str(x)


def markdown(rep: dict) -> str:
    m = rep["meta"]
    lines = [f"# Load test: {m['users']} learners, {m['seconds']:.0f} s",
             "", f"{m['when']}, {m['target']}; arrival {m['spawn_rate']:g}/s, think time 3-8 s, "
             f"action timeout {m['timeout_s']:g} s, warm-up: {m['warmup']}. Times from the send to the end of the "
             "run (script_finished); a new session's open includes the websocket handshake. *start*: from the send "
             "to the run's start (new_session), the time the request waited for the server.", "",
             "| action | page | n | fail | timeouts | p50 ms | p95 ms | p99 ms | max ms | KB/action | start p95 ms |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for key, a in rep["actions"].items():
        kind, page = key.split(" ", 1)
        lines.append(f"| {kind} | {page} | {a['count']} | {a['failures']} | {a['timeouts']} | {_f(a['p50_ms'])} | "
                     f"{_f(a['p95_ms'])} | {_f(a['p99_ms'])} | {_f(a['max_ms'])} | {_f(a['kb_per_action'])} | "
                     f"{_f(a['start_p95_ms'])} |")
    lines += ["", "## Failures", ""]
    if rep["failures"]:
        lines += [f"- {f['count']}× {f['error'][:300]} ({', '.join(f['where'])})" for f in rep["failures"]]
    else:
        lines.append("None.")
    if rep.get("experiments"):
        minutes = m["seconds"] / 60
        lines += ["", "## Experiments on the workers", "",
                  "CPU seconds the workers spent per lab kind (labs.remote's cost log); *per minute*: the class's "
                  "demand in worker cores.", "",
                  "| kind | runs | stopped | failed | CPU s | per minute (cores) | p50 CPU s | p95 CPU s | wall/CPU |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for kind, e in rep["experiments"].items():
            lines.append(f"| {kind} | {e['runs']} | {e['stopped']} | {e['failed']} | {e['cpu_s']} | "
                         f"{e['cpu_s'] / 60 / minutes:.2f} | {e['p50_cpu_s']} | {e['p95_cpu_s']} | "
                         f"{e['wall_per_cpu']} |")
    s = rep["server"]
    srv = s.get("server", {})
    lines += ["", "## Server", "",
              f"- mean cores busy: server {_f(srv.get('mean_cores'))}, load generator "
              f"{_f(s.get('locust', {}).get('mean_cores'))}, whole machine {_f(s.get('machine', {}).get('mean_cores'))}"
              f" (of {m['cpus']})",
              f"- busiest 5 s: server {_f(srv.get('peak_cores_5s'))} cores",
              f"- server RSS: {_f(srv.get('rss_start_mb'))} MB at the start, peak {_f(srv.get('rss_peak_mb'))} MB, "
              f"{_f(srv.get('rss_end_mb'))} MB at the end",
              "", "| t (s) | actions | p50 ms | p95 ms | server MB | server cores | locust cores | machine cores |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rep["timeline"]:
        lines.append(f"| {r['t']} | {r['actions']} | {_f(r['p50_ms'])} | {_f(r['p95_ms'])} | "
                     f"{_f(r.get('server_rss_mb'))} | {_f(r.get('server_cores'))} | {_f(r.get('locust_cores'))} | "
                     f"{_f(r.get('machine_cores'))} |")
    return "\n".join(lines) + "\n"
