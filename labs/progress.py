"""How a lab tells the page about long work: progress reports while it runs, and its cost estimate before.

The protocol every lab follows:
- a long computation takes `progress: Progress | None` and calls progress(fraction done, a Note or None on where it
  is), as ui.page.with_progress draws it;
- the lab says how long it will take with a function named `seconds(cfg, ...)`: about how many seconds on one core,
  from the run's size (dying.seconds, gradflow.seconds, realdata.seconds, selfnorm.seconds);
- the page shows a progress bar when is_long(seconds) says the wait will be felt.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from i18n import Note

Progress = Callable[[float, "Note | None"], None]

LONG_SECONDS = 0.5  # DESIGN.md: long work (> ~0.5 s) shows progress


def silent(fraction: float, note: Note | None = None) -> None:
    """The progress of a caller that shows none."""


def is_long(seconds: float) -> bool:
    """Whether work estimated at `seconds` is long enough to deserve a progress bar."""
    return seconds > LONG_SECONDS
