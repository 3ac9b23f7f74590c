"""The server's memory and CPU during a load run, sampled every second in a thread: RSS and CPU time summed over a
process and its descendants (a Streamlit server is one process today, but a tree costs nothing to follow), plus the
load generator's tree and the whole machine's busy cores, because on a 2-core machine Locust and the server compete
(and another engineer's work may be running too).

psutil when it is installed (Locust depends on it), else /proc (Linux only).
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover - Locust brings psutil; /proc is the fallback
    psutil = None

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _proc_children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d.name))
    return kids


def tree_usage(pid: int) -> tuple[float, float] | None:
    """(RSS in MB, CPU seconds user+system) of `pid` and its descendants; None once `pid` is gone."""
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            if root.status() == psutil.STATUS_ZOMBIE:  # exited, not yet reaped: no memory to report
                return None
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return None
        rss = cpu = 0.0
        for p in procs:
            try:
                with p.oneshot():
                    rss += p.memory_info().rss
                    t = p.cpu_times()
                    cpu += t.user + t.system
            except psutil.Error:  # exited between the listing and the reading
                continue
        return rss / 2**20, cpu
    kids = _proc_children()
    todo, rss, cpu, seen = [pid], 0.0, 0.0, False
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            pages = int(Path(f"/proc/{p}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if fields[0] == "Z":  # a zombie: exited, not yet reaped
            continue
        seen = True
        cpu += (int(fields[11]) + int(fields[12])) / _TICK
        rss += pages * _PAGE
        todo += kids.get(p, [])
    return (rss / 2**20, cpu) if seen else None


def machine_busy_seconds() -> float | None:
    """CPU seconds all cores spent busy since boot (everything but idle and iowait)."""
    if psutil is not None:
        t = psutil.cpu_times()
        return sum(t) - t.idle - getattr(t, "iowait", 0.0)
    try:
        v = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(v[:8]) - v[3] - v[4]) / _TICK  # user nice system idle iowait irq softirq steal


@dataclass
class Series:
    """Samples of one process tree: t (s since the sampler started), RSS MB, cumulative CPU s."""

    t: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)

    def cores(self) -> list[float]:
        """Cores busy between each sample and the one before (CPU seconds per second)."""
        return [max(0.0, (self.cpu_s[i] - self.cpu_s[i - 1]) / (self.t[i] - self.t[i - 1]))
                for i in range(1, len(self.t)) if self.t[i] > self.t[i - 1]]

    def cores_between(self, start: float, end: float) -> float | None:
        inside = [i for i, t in enumerate(self.t) if start <= t <= end]
        if len(inside) < 2 or self.t[inside[-1]] <= self.t[inside[0]]:
            return None
        a, b = inside[0], inside[-1]
        return (self.cpu_s[b] - self.cpu_s[a]) / (self.t[b] - self.t[a])


class Sampler:
    """Samples named process trees (add() them any time: Locust starts after the server) every `interval` s."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.pids: dict[str, int] = {}
        self.series: dict[str, Series] = {"machine": Series()}
        self.t0 = time.monotonic()
        self.wall0 = time.time()  # to place Locust's samples (wall-clock) on this clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="load-sampler", daemon=True)

    def add(self, name: str, pid: int) -> None:
        self.pids[name] = pid
        self.series.setdefault(name, Series())

    def now(self) -> float:
        return time.monotonic() - self.t0

    def sample(self) -> None:
        t = self.now()
        for name, pid in list(self.pids.items()):
            usage = tree_usage(pid)
            if usage is not None:
                s = self.series[name]
                s.t.append(round(t, 2))
                s.rss_mb.append(round(usage[0], 1))
                s.cpu_s.append(round(usage[1], 2))
        busy = machine_busy_seconds()
        if busy is not None:
            m = self.series["machine"]
            m.t.append(round(t, 2))
            m.rss_mb.append(0.0)
            m.cpu_s.append(round(busy, 2))

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()
