"""Seeds for every lab: one lock around torch's global generator, one way to derive independent streams.

nn.Linear's reset_parameters and the nn.init functions draw from torch's global generator. Streamlit serves
sessions from threads, so seeding and drawing happen under one lock, inside fork_rng so no caller's RNG moves.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import numpy as np

RNG_LOCK = threading.RLock()
T = TypeVar("T")


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """torch's global generator seeded with `seed` for the block, and restored after it (thread-safe)."""
    import torch

    with RNG_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def derived_seed(seed: int, salt: int) -> int:
    """A stream independent of `seed`'s own: torch.manual_seed(seed) twice would replay the weights' draws."""
    return int(np.random.SeedSequence([seed, salt]).generate_state(1, np.uint64)[0] >> np.uint64(1))


def generator(seed: int, salt: int | None = None):
    """A private torch.Generator (inputs, data): independent of the global one the weights are drawn from."""
    import torch

    return torch.Generator().manual_seed(seed if salt is None else derived_seed(seed, salt))


def one_thread(fn: Callable[[], T]) -> T:
    """Run fn with torch on one thread. The labs' nets are small: a second thread gains little, and when other
    work competes for the CPU (other learners, other processes) two spinning threads made runs 10-100x slower
    (measured). Set once for the process, not per call: toggling a global from concurrent sessions would race."""
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    return fn()


DATA = 0xDA7A  # derived_seed(seed, DATA): the inputs' stream, independent of the weights' (seed itself)
