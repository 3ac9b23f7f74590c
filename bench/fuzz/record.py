"""What a page read while it ran: every value its PageState read (ui.urlstate.observe), with its declaration."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .keys import KeySpec, keyspec


@dataclass
class Read:
    page: str
    key: str
    spec: KeySpec
    value: object
    fresh: bool  # read in the run seeded from the link (a page's first run after entering it)


class Recorder:
    """Every control a page reads (a widget drawn with its `needs` met, or a link's key no widget draws, such as
    the own formula's), its declaration and the value it ended with."""

    def __init__(self) -> None:
        self.reads: list[Read] = []
        self._stop: Callable[[], None] | None = None

    def install(self) -> None:
        from ui import urlstate

        if self._stop is None:
            self._stop = urlstate.observe(self._observe)

    def uninstall(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None

    def _observe(self, state, control, value) -> None:
        try:
            self.reads.append(Read(state.page, control.url, keyspec(control), value, bool(state.fresh)))
        except Exception as e:  # never break the page under test: the check reports the key "?"
            self.reads.append(Read(state.page, "?", KeySpec("?", repr(e)), value, False))


_RECORDER: Recorder | None = None


def recorder() -> Recorder:
    """The process's recorder, installed."""
    global _RECORDER
    if _RECORDER is None:
        _RECORDER = Recorder()
    _RECORDER.install()
    return _RECORDER


@contextmanager
def recording() -> Iterator[Recorder]:
    """The recorder installed for the duration (tests: no observer left behind)."""
    rec = recorder()
    try:
        yield rec
    finally:
        rec.uninstall()
