"""What each activation costs to compute: PyTorch forward and backward time per element, measured now.

Learners ask "is sigmoid's exp really expensive?". The honest answer depends on the machine and the
library, so the app measures instead of asserting: every activation's nn.Module (the ops the app builds it
from where PyTorch has none) on the same float32 tensor, forward without autograd, then the backward of that
activation alone, interleaved in rounds so that load on a shared machine spreads over all of them, and
reported relative to ReLU measured in the same rounds. A Linear layer is timed too, for scale.
torch is imported inside the functions so `import activations` stays light.
"""
from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from activations.registry import REGISTRY
from i18n import N_, Note

from .controls import Multi, Number, Schema
from .controls import seed as seed_box

BASELINE = "relu"
LINEAR = (256, 1024)  # batch, features: Linear(1024, 1024) on a batch of 256, a small MLP layer


@dataclass(frozen=True)
class Cost:
    key: str
    forward_ns: float  # per element, median over rounds of the best of `repeat` calls
    backward_ns: float  # the activation's own backward (dL/dx from dL/dy), per element
    ops: int  # autograd nodes one call records: 1 for a fused kernel, more for a composite (softsign: 3)

    @property
    def composite(self) -> bool:
        return self.ops > 1


@dataclass(frozen=True)
class Costs:
    rows: tuple[Cost, ...]
    n: int
    rounds: int
    threads: int
    linear_ns: float  # Linear(1024, 1024) forward, per output element (1024 multiply-adds each)
    notes: tuple[Note, ...] = ()  # what the checks changed in the request (MEASURE.check)

    def row(self, key: str) -> Cost:
        return next(r for r in self.rows if r.key == key)

    def relative(self, key: str) -> tuple[float, float]:
        """(forward, backward) of `key` divided by the baseline's, from the same rounds."""
        r, b = self.row(key), self.row(BASELINE)
        return r.forward_ns / b.forward_ns, r.backward_ns / b.backward_ns

    @property
    def linear_ratio(self) -> float:
        """The Linear layer's time per output element over the baseline's forward per element: the scale."""
        return self.linear_ns / self.row(BASELINE).forward_ns

    def chart_rows(self) -> list[tuple[str, float, float, float, float, int]]:
        """(key, forward ratio, backward ratio, forward ns, backward ns, operations) per activation, for the chart."""
        return [(r.key, *self.relative(r.key), r.forward_ns, r.backward_ns, r.ops) for r in self.rows]


# What a caller may ask for, checked server-side (the sizes bound the time one request can take).
MEASURE = Schema(
    Multi("keys", N_("Activations"), N_("The activations to time; the baseline, ReLU, is always added."),
          list(REGISTRY), options=tuple(REGISTRY), max_count=len(REGISTRY)),
    Number("n", N_("Numbers per call"), N_("How many float32 numbers each timed call processes."), 1_000_000,
           low=10_000, high=4_000_000, step=10_000, cost=True),
    Number("rounds", N_("Rounds"), N_("Rounds of timing, interleaved; the median of the rounds is reported."), 7,
           low=3, high=15, step=1, cost=True),
    Number("repeat", N_("Repeats"), N_("Calls per round and function; the fastest one counts."), 3, low=1,
           high=10, step=1, cost=True),
    seed_box(help=N_("The random input numbers and the order of the functions in each round.")),
)


def graph_ops(y) -> int:
    """How many operations autograd recorded to make `y` (its backward graph's nodes, leaves not counted)."""
    seen, stack = set(), [y.grad_fn] if y.grad_fn is not None else []
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(nxt for nxt, _ in node.next_functions if nxt is not None)
    return sum(type(node).__name__ != "AccumulateGrad" for node in seen)


def _best_of(repeat: int, call: Callable[[], float]) -> float:
    return min(call() for _ in range(repeat))


def measure(keys: Sequence[str] | None = None, params: Mapping[str, Mapping] | None = None, n: int = 1_000_000,
            rounds: int = 7, repeat: int = 3, seed: int = 0) -> Costs:
    """Time every activation in `keys` (all of them by default; the baseline is always added). Every argument is
    checked against MEASURE: out-of-range sizes are clamped and unknown keys left out, each with a Note."""
    import torch

    from activations.reference import torch_module

    asked = {"n": n, "rounds": rounds, "repeat": repeat, "seed": seed}
    if keys:  # None or empty: all of them
        asked["keys"] = keys if isinstance(keys, str) else list(keys)
    checked, notes = MEASURE.check(asked)
    n, rounds, repeat, seed = checked["n"], checked["rounds"], checked["repeat"], checked["seed"]
    wanted = list(checked["keys"])
    if BASELINE not in wanted:
        wanted.append(BASELINE)
    params = params or {}
    modules = {k: torch_module(k, params.get(k)) for k in wanted}

    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, generator=gen, dtype=torch.float32) * 3  # both sides of every kink and saturation
    grad_out = torch.ones(n, dtype=torch.float32)

    def forward(m) -> float:
        with torch.no_grad():
            t0 = time.perf_counter()
            m(x)
            return time.perf_counter() - t0

    def backward(m) -> float:
        xg = x.detach().requires_grad_()
        y = m(xg)
        t0 = time.perf_counter()
        y.backward(grad_out)
        return time.perf_counter() - t0

    for m in modules.values():  # warm-up: first calls allocate and pick kernels
        forward(m)
        backward(m)
    ops = {k: graph_ops(m(x[:8].detach().requires_grad_())) for k, m in modules.items()}

    times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in wanted}
    order = list(wanted)
    rng = random.Random(seed)
    for _ in range(rounds):
        rng.shuffle(order)  # a burst of load elsewhere should not always hit the same functions
        for k in order:
            times[k][0].append(_best_of(repeat, lambda k=k: forward(modules[k])))
            times[k][1].append(_best_of(repeat, lambda k=k: backward(modules[k])))

    batch, feat = LINEAR
    layer = torch.nn.Linear(feat, feat)
    inp = torch.randn(batch, feat, generator=gen)

    def linear() -> float:
        with torch.no_grad():
            t0 = time.perf_counter()
            layer(inp)
            return time.perf_counter() - t0

    linear()
    linear_s = statistics.median(_best_of(repeat, linear) for _ in range(rounds))

    rows = tuple(Cost(k, statistics.median(times[k][0]) / n * 1e9, statistics.median(times[k][1]) / n * 1e9,
                      ops[k]) for k in wanted)
    return Costs(rows=rows, n=n, rounds=rounds, threads=torch.get_num_threads(),
                 linear_ns=linear_s / (batch * feat) * 1e9, notes=tuple(notes))
