"""One Streamlit widget per kind of control (labs.controls): a table from the control's class to the function
that draws it and returns its value as the control holds it (an int step stays an int, a range a tuple)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from i18n import N_, Msg, Note, _, fill
from labs.controls import Choice, Control, Multi, Number, Range, Steps, Toggle

TOO_NARROW = N_("The **{label}** must be at least {width} wide: widened.")


@dataclass(frozen=True)
class Widget:
    """What every widget is drawn with: where, its shown label, its session key, its tooltip, how its options are
    named (None: the control's own way), and where a note about a value the widget had to change goes."""

    where: Any  # st, a column, the sidebar...
    label: str
    key: str
    help: str
    format_func: Callable | None
    note: Callable[[Note], None]
    disabled: bool = False  # locked by a focus link (lock=): shown, not changeable

    @property
    def common(self) -> dict[str, Any]:
        """What every kind of widget takes the same way."""
        return {"key": self.key, "help": self.help, "disabled": self.disabled}


def number(c: Number, w: Widget) -> int | float:
    if c.widget == "number":  # a seed: a box, not a slider
        return int(w.where.number_input(w.label, min_value=int(c.low), max_value=int(c.high), step=1, **w.common))
    if c.integer:
        return int(w.where.slider(w.label, c.low, c.high, step=c.step, **w.common))
    return float(w.where.slider(w.label, float(c.low), float(c.high), step=float(c.step), **w.common))


def steps(c: Steps, w: Widget) -> float:
    fmt = w.format_func or (lambda v: fill("{v:" + c.fmt + "}", v=v))
    return w.where.select_slider(w.label, options=list(c.options), **w.common, format_func=fmt)


def choice(c: Choice, w: Widget) -> str:
    fmt = w.format_func or option_label(c)
    if c.widget == "radio":
        return w.where.radio(w.label, list(c.options), **w.common, format_func=fmt, horizontal=True)
    return w.where.selectbox(w.label, list(c.options), **w.common, format_func=fmt)


def multi(c: Multi, w: Widget) -> list[str]:
    return list(w.where.multiselect(w.label, list(c.options), **w.common, format_func=w.format_func or str,
                                    max_selections=c.max_count))


def pair(c: Range, w: Widget) -> tuple[float, float]:
    a, b = w.where.slider(w.label, float(c.low), float(c.high), step=float(c.step), **w.common)
    if b - a < c.min_width:  # the two thumbs can meet; an empty x-range has nothing to show
        w.note(Note.of(TOO_NARROW, label=Msg(c.label), width=c.min_width))
        a, b = (a, a + c.min_width) if a + c.min_width <= c.high else (b - c.min_width, b)
    return float(a), float(b)


def toggle(c: Toggle, w: Widget) -> bool:
    return bool(w.where.toggle(w.label, **w.common))


DRAW: dict[type[Control], Callable[[Any, Widget], Any]] = {
    Number: number, Steps: steps, Choice: choice, Multi: multi, Range: pair, Toggle: toggle,
}


def draw(control: Control, widget: Widget) -> Any:
    """The widget of `control` (its class's entry in DRAW, or its nearest base class's), drawn: its value."""
    for kind in type(control).__mro__:
        if kind in DRAW:
            return DRAW[kind](control, widget)
    raise TypeError(f"no widget for {type(control).__name__}")


def option_label(control: Choice) -> Callable[[str], str]:
    """How a choice names its options: their translated labels where declared, else the option itself."""
    if not control.labels:
        return str
    return lambda o: _(control.labels[o]) if o in control.labels else str(o)
