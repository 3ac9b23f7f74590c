"""Every control declared once, beside the config it fills (TensorFlow Playground's state.ts is the model).

A Control knows its name (the config field), its label and help (N_-marked message ids), its range or options,
default and URL key. From one declaration come the widget (ui.urlstate), parsing and clamping of URL text and
server-side values with their notes (activations.validate), the presets (a partial mapping of the same names),
the hostile-URL fuzzer's schema and the tooltip test. No Streamlit here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from activations import validate
from i18n import N_, Note

Needs = tuple[tuple[str, tuple[str, ...]], ...]  # shown only while these URL keys hold one of these values


@dataclass(frozen=True)
class Control:
    name: str  # the config field it fills
    label: str  # N_-marked message id
    help: str  # N_-marked: what moving it does (the widget's tooltip)
    default: Any
    url: str = ""  # URL key; the name when empty
    needs: Needs = ()  # shown only when another control has one of some values (σ only for N(0, σ²) init)
    cost: bool = False  # the run time grows with it: the fuzzer keeps such values low

    def __post_init__(self):
        if not self.url:
            object.__setattr__(self, "url", self.name)

    def parse(self, raw: object) -> tuple[Any, Note | None]:  # URL text or a typed value
        raise NotImplementedError

    def encode(self, value: Any) -> str:
        return str(value)


def _encode_float(v: float) -> str:
    """Shortest text that parses back to exactly v, so a link reproduces the view bit for bit."""
    return repr(float(v))


@dataclass(frozen=True)
class Number(Control):
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01
    widget: str = "slider"  # or "number" (a seed: a box, not a slider)

    @property
    def integer(self) -> bool:
        return all(isinstance(a, int) and not isinstance(a, bool) for a in (self.low, self.high, self.step,
                                                                           self.default))

    def parse(self, raw):
        return validate.number(self.url, raw, self.low, self.high, self.default, self.integer)

    def encode(self, value):
        return str(int(value)) if self.integer else _encode_float(value)


@dataclass(frozen=True)
class Steps(Control):
    """A number from a fixed list of steps (a select slider: widths, learning rates on a log scale)."""

    options: tuple[float, ...] = ()
    fmt: str = "g"

    def parse(self, raw):
        return validate.step(self.url, raw, self.options, self.default)

    def encode(self, value):
        return str(value) if isinstance(value, int) else _encode_float(value)


@dataclass(frozen=True)
class Choice(Control):
    options: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)  # option -> N_-marked label; the option itself if absent
    widget: str = "select"  # or "radio"
    # Set when the choice picks an activation: its parameters are URL-bound as params.format(key=<picked key>)
    # plus the parameter's name ("" on the Explorer: fn=elu&alpha=2; "{key}." elsewhere: act=elu&elu.alpha=2).
    params: str | None = None

    def parse(self, raw):
        return validate.choice(self.url, raw, self.options, self.default)


@dataclass(frozen=True)
class Multi(Control):
    options: tuple[str, ...] = ()
    max_count: int = 8
    params: str | None = None  # as Choice.params, for every picked activation

    def parse(self, raw):
        return validate.choices(self.url, raw, self.options, self.default, self.max_count)

    def encode(self, value):
        return ",".join(value)


@dataclass(frozen=True)
class Range(Control):
    low: float = 0.0
    high: float = 1.0
    step: float = 0.1
    min_width: float = 0.0

    def parse(self, raw):
        return validate.pair(self.url, raw, self.low, self.high, tuple(self.default), self.min_width)

    def encode(self, value):
        return f"{_encode_float(value[0])},{_encode_float(value[1])}"


@dataclass(frozen=True)
class Text(Control):
    """Text the learner types (a formula), up to `max_chars`. `check(name, text, default)` returns the Note saying
    what is wrong with it, or None; a link's text that is wrong gives the default (the note quotes the text)."""

    max_chars: int = 300
    check: Callable[[str, str, str], Note | None] | None = None

    def parse(self, raw):
        text, note = validate.text(self.url, raw, self.max_chars, self.default)
        if note is None and self.check is not None:
            note = self.check(self.url, text, self.default)
        return (self.default, note) if note else (text, None)


@dataclass(frozen=True)
class Toggle(Control):
    def parse(self, raw):
        return validate.toggle(self.url, raw, self.default)

    def encode(self, value):
        return "1" if value else "0"


SEED_HIGH = 1_000_000


def seed(name: str = "seed", url: str = "", help: str = "", label: str = "") -> Number:
    """A seed box: the same seed gives the same numbers, so the same link gives the same view."""
    return Number(name, label or N_("Seed"),
                  help or N_("Same seed, same random numbers: the same link gives the same numbers."),
                  0, url, low=0, high=SEED_HIGH, step=1, widget="number")


class Schema:
    """An ordered, named set of controls: one lab's (or page section's) declaration."""

    def __init__(self, *controls: Control):
        self.controls = tuple(controls)
        self.by_name = {c.name: c for c in controls}
        self.by_url = {c.url: c for c in controls}
        if len(self.by_name) != len(controls) or len(self.by_url) != len(controls):
            raise ValueError("a schema's names and URL keys must be unique")

    def __getitem__(self, name: str) -> Control:
        return self.by_name[name]

    def __getattr__(self, name: str) -> Control:  # SCHEMA.depth reads like the config field it fills
        try:
            return self.__dict__["by_name"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[Control]:
        return iter(self.controls)

    def defaults(self) -> dict[str, Any]:
        return {c.name: c.default for c in self.controls}

    def check(self, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[Note]]:
        """Typed values from anywhere (a config, a preset, a caller) checked against the declaration."""
        out, notes = self.defaults(), []
        for name, value in values.items():
            c = self.by_name.get(name)
            if c is None:
                continue
            out[name], note = c.parse(value)
            if note:
                notes.append(note)
        return out, notes

    def parse_query(self, query: Mapping[str, str]) -> tuple[dict[str, Any], list[Note]]:
        """URL text (key -> last value) parsed into values by name; defaults for what is missing."""
        out, notes = self.defaults(), []
        for c in self.controls:
            if c.url in query:
                out[c.name], note = c.parse(query[c.url])
                if note:
                    notes.append(note)
        return out, notes

    def encode(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The URL of these values: only what differs from the defaults."""
        return {c.url: c.encode(values[c.name]) for c in self.controls
                if c.name in values and values[c.name] != c.default}

    def preset(self, partial: Mapping[str, Any]) -> dict[str, Any]:
        """A preset: the partial mapping over the defaults (so a preset gives the same view whatever came before)."""
        unknown = set(partial) - set(self.by_name)
        if unknown:
            raise KeyError(f"preset names unknown controls {sorted(unknown)}")
        return {**self.defaults(), **partial}


@dataclass(frozen=True)
class Preset:
    """A button that sets controls: a label, what it is for, and a partial mapping of control names."""

    label: str  # N_-marked
    # N_-marked, the tooltip's second half: what to look at, as a question. Never the outcome: that is `shows`, after
    # the run, from the run.
    why: str
    values: Mapping[str, Any]
    # Controls of another section that this preset also sets back to their defaults (Gradient flow's "exploding"
    # preset resets the training run, whose defaults are that very net).
    resets: tuple[Control, ...] = ()
    # N_-marked: the caption under the run while the controls hold this preset's values, a template whose {names} are
    # measures of the section's result (labs.lessons.MEASURES), filled from the run
    shows: str = ""


def params_controls(spec, prefix: str = "") -> tuple[Control, ...]:
    """An activation's parameters (activations.Param) as controls, URL-bound as `{prefix}{name}`."""
    out: list[Control] = []
    for p in spec.params:
        if p.is_choice:
            out.append(Choice(p.name, p.name, p.help, p.default, f"{prefix}{p.name}", options=p.choices,
                              widget="radio"))
        else:
            out.append(Number(p.name, p.name, p.help, p.default, f"{prefix}{p.name}", low=p.low, high=p.high,
                              step=p.step))
    return tuple(out)


def all_controls(schemas: Iterable[Schema]) -> list[Control]:
    return [c for s in schemas for c in s]
