"""Cached wrappers of the core for the pages: keyed by plain values, bounded in size."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from functools import lru_cache

import numpy as np
import streamlit as st

import activations
from activations import analysis

GRID_POINTS = 801  # smooth at any chart width (Plotly simplifies further); kinks are added exactly


def grid(spec_key: str, params: dict, lo: float, hi: float, n: int = GRID_POINTS) -> np.ndarray:
    """An even grid on [lo, hi] plus 0 and every kink inside it, so f'(kink) is shown as PyTorch has it."""
    spec = activations.get(spec_key)
    extra = [k for k in (0.0, *spec.kinks(params)) if lo <= k <= hi]
    return np.union1d(np.linspace(lo, hi, n), np.array(extra, dtype=float))


def curve(spec_key: str, params: dict, lo: float, hi: float, n: int = GRID_POINTS):
    """x, f(x), f'(x) for the plot and the CSV. Not cached: computing is faster than a cache lookup."""
    spec = activations.get(spec_key)
    x = grid(spec_key, params, lo, hi, n)
    return x, spec.f(x, **params), spec.df(x, **params)


def properties(spec_key: str, params: dict) -> analysis.Properties:
    return _properties(spec_key, tuple(sorted(params.items())))


@lru_cache(maxsize=512)  # bounded; a plain tuple key is ~10x cheaper to look up than st.cache_data's hashing
def _properties(spec_key: str, params: tuple) -> analysis.Properties:
    return analysis.properties(activations.get(spec_key), dict(params))


@st.cache_data(max_entries=64, show_spinner=False)
def autograd(spec_key: str, params: dict, x: np.ndarray) -> np.ndarray:
    """PyTorch autograd's f'(x) (imports torch on first use: only when the learner asks for it)."""
    from activations.reference import torch_f_df

    return torch_f_df(spec_key, x, params)[1]


class BoundedCache:
    """A small thread-safe LRU shared by all sessions: revisiting a view is instant, memory stays bounded.
    (st.cache_data cannot be used where a progress bar must be updated while the value is computed.)"""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key, compute):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = compute()  # outside the lock: two sessions may compute the same view once each, never block
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return value

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._data

    def peek(self, key):
        """The cached value, or None, without computing anything."""
        with self._lock:
            return self._data.get(key)


FLOW_CACHE = BoundedCache(48)
TRAIN_CACHE = BoundedCache(48)


def gradient_flow(cfg, progress=None):
    from activations import gradflow

    return FLOW_CACHE.get_or_compute(cfg, lambda: _one_thread(lambda: gradflow.gradient_flow(cfg, progress)))


def train(cfg, progress=None):
    from activations import gradflow

    return TRAIN_CACHE.get_or_compute(cfg, lambda: _one_thread(lambda: gradflow.train(cfg, progress)))


DYING_CACHE = BoundedCache(32)
SWEEP_CACHE = BoundedCache(8)


def _one_thread(fn):
    """Run fn with torch on one thread. The labs' nets are small: a second thread gains little, and when other
    work competes for the CPU (other learners, other processes) two spinning threads made runs 10-100x slower
    (measured). Set once for the process, not per call: toggling a global from concurrent sessions would race."""
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    return fn()


def dying_train(cfg, progress=None):
    from activations import dying

    return DYING_CACHE.get_or_compute(cfg, lambda: _one_thread(lambda: dying.train(cfg, progress)))


def dying_sweep(base, progress=None):
    from activations import dying

    return SWEEP_CACHE.get_or_compute(base, lambda: _one_thread(lambda: dying.lr_sweep(base, progress=progress)))


def dying_sweep_cached(base):
    """The sweep for these settings if it has been run (by anyone: it is a pure function of the settings)."""
    return SWEEP_CACHE.peek(base)


MISC_CACHE = BoundedCache(64)


def cached(kind: str, key, compute):
    """A bounded cache for the labs' other pure computations, keyed by (kind, plain hashable values)."""
    return MISC_CACHE.get_or_compute((kind, key), lambda: _one_thread(compute))


# ---- measured cost (Compare page) --------------------------------------------------------------------------------
COST_REUSE_S = 60.0  # one measurement serves every session for a minute
_cost_lock = threading.Lock()
_cost_last: tuple[float, object] | None = None


def measure_costs():
    """(Costs, its age in seconds). A measurement takes ~2 s of one core and is the same for everyone on this
    server, so one younger than COST_REUSE_S is shared: a class pressing the button together costs one run,
    and their runs cannot slow each other's timings down. The lock makes concurrent presses wait for it."""
    from activations import cost

    global _cost_last
    with _cost_lock:
        if _cost_last is None or time.monotonic() - _cost_last[0] > COST_REUSE_S:
            measured = _one_thread(lambda: cost.measure(rounds=5))
            _cost_last = (time.monotonic(), measured)
        return _cost_last[1], time.monotonic() - _cost_last[0]
