"""Widgets bound to the page address, built from the labs' control declarations (labs.controls): the session's
side of it. What a link's text means and how a value is written back is ui.address's; how each kind of control is
drawn, ui.draw's.

How it works (one PageState per page run):
- On entering a page, a URL that names any of the page's controls defines the view: each value is parsed
  and checked by its Control, missing ones take their defaults, and every change is reported in a notice at
  the top of the page. With an empty URL, the values the learner had when they last left the page come back.
- Each widget is created with its value in st.session_state (never `value=` too, which Streamlit rejects),
  and after the run the URL is rewritten with every value that differs from its default (and ?lang=).
- A part of a page that reruns alone (an st.fragment, so a slider move redraws only the chart and what
  depends on it) is wrapped in section() / end_section(): it gets the PageState of the last full run as an
  argument, shows its own notes, and updates its own keys in the URL.
- Messages are kept as i18n Notes and rendered when shown, in the learner's current language.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from activations import is_own
from i18n import N_, Note, _, fill
from labs.controls import Choice, Control, Number, Preset, Schema, Toggle, params_controls

from . import lang
from .address import Link, address, encoded, focus_query, not_focused_note, unknown_keys_note
from .draw import Widget, draw

_PAGE = "_url_page"
CHANGED = N_("**Some values in this link were changed so the page can show them:**")
LOCKED = N_("This link locks this control at its value, so that the page shows what the lesson is about.")
Observer = Callable[["PageState", Control, Any], None]
_observers: list[Observer] = []


def observe(observer: Observer) -> Callable[[], None]:
    """Call `observer(state, control, value)` on every value a page reads from now on: a drawn widget's (its `needs`
    met), and a link's for a key no widget draws. Returns the function that stops it. The URL fuzzer records so
    what each page read, with which declaration."""
    _observers.append(observer)
    return lambda: _observers.remove(observer)


def widget_key(page: str, url_key: str, scope: str = "") -> str:
    """The session key of a page's widget (`scope` separates widgets that share a URL key, see PageState._seed)."""
    return f"{page}:{scope}{url_key}"


class PageState:
    lesson = False  # a lesson step's (StepState): every control hidden, nothing in the address
    extras = True  # a section's further parts (Dying ReLU's fixes, Gradient flow's initialization): a lab page's all

    def __init__(self, page: str):
        ss = st.session_state
        self.page = page
        self.fresh = ss.get(_PAGE) != page
        ss[_PAGE] = page
        self.link = Link({k: st.query_params.get_all(k) for k in st.query_params} if self.fresh else {})
        self.from_url = bool(self.link)
        # A focus link (hide=, lock=: a teacher's handout) focuses the page while the learner stays on it
        if self.fresh:
            ss[f"_focus:{page}"] = (self.link.hide, self.link.lock)
        self.hide, self.lock = (set(keys) for keys in ss.get(f"_focus:{page}", ((), ())))
        self.saved: dict = ss.setdefault(f"_saved:{page}", {})
        self.out: dict[str, str] = {}
        self.values: dict[str, Any] = {}  # URL key -> value of every widget drawn this run (for `needs`)
        self.used: set[str] = set()
        self.unfocusable: set[str] = set()  # keys read from the link but drawn by no widget: hide/lock mean nothing
        self.movable: dict[str, str] = {}  # URL key -> session key of each widget drawn and not locked (ui.live)
        if self.fresh:
            ss[f"_notices:{page}"] = lang.pop_notes()
        self.notices: list[Note] = ss[f"_notices:{page}"]  # about the link: kept while on the page
        self.run_notes: list[Note | str] = []  # about this run's values only
        self._box = st.container()  # notices go here, at the top, once the run knows them all
        self._section_box = None
        self._section_keys: dict[str, set[str]] = {}  # section -> URL keys it wrote last time it ran
        self._section: str | None = None
        self._finished = False  # True once the full run is over: later calls come from fragment reruns

    # ---- plumbing -----------------------------------------------------------------------------
    def _seed(self, control: Control, scope: str = "") -> str:
        # `scope` separates widgets that share a URL key but not a meaning: ELU's alpha and SELU's alpha
        url_key = control.url
        wkey = widget_key(self.page, url_key, scope)
        self.used.add(url_key)
        if self._section is not None:
            self._section_keys[self._section].add(url_key)
        if self.fresh and self.from_url:
            st.session_state[wkey] = self._from_link(control)[1]
        elif wkey not in st.session_state:
            st.session_state[wkey] = self.saved.get(wkey, control.default)
        if isinstance(control, Number) and not control.low <= st.session_state[wkey] <= control.high:
            # the range moved under a kept value (a formula's parameter whose range the learner narrowed)
            st.session_state[wkey] = min(max(st.session_state[wkey], control.low), control.high)
        return wkey

    def _from_link(self, control: Control) -> tuple[bool, Any]:
        """(given, value): the link's value for `control`, parsed and checked (its notes noted), or its default."""
        given, value, notes = self.link.value(control)
        self.notices += notes
        return given, value

    def read(self, control: Control) -> tuple[bool, Any]:
        """A link's value for a control that no widget of this page draws (the own formula's keys, app-wide):
        (given, value), read once, when the page is entered from a link."""
        self.used.add(control.url)
        self.unfocusable.add(control.url)
        if not (self.fresh and self.from_url):
            return False, control.default
        given, value = self._from_link(control)
        if given:
            self._observe(control, value)
        return given, value

    def peek(self, control: Control, scope: str = "") -> Any:
        """The value `control`'s widget will have when a later section draws it, without drawing, noting or
        claiming anything (to start that section's work early): as _seed will set it. Entering from a link: the
        link's value, or the default where the link is silent. Otherwise: its kept value, else the last one the
        learner left, else the default."""
        wkey = widget_key(self.page, control.url, scope)
        if self.fresh and self.from_url:
            return self.link.peek(control)
        if wkey in st.session_state:
            return st.session_state[wkey]
        return self.saved.get(wkey, control.default)

    def _keep(self, wkey: str, control: Control, value: Any) -> Any:
        self.saved[wkey] = value
        self.values[control.url] = value
        text = encoded(control, value)
        if text is not None:
            self.out[control.url] = text
        else:
            self.out.pop(control.url, None)
        self._observe(control, value)
        return value

    def _observe(self, control: Control, value: Any) -> None:
        for observer in _observers:
            observer(self, control, value)

    def put(self, url_key: str, text: str | None) -> None:
        """Write (or, with None, remove) a link key that no widget of this page owns (the own formula's)."""
        if text is None:
            self.out.pop(url_key, None)
            return
        self.out[url_key] = text
        if self._section is not None:  # so that it leaves the link when the section stops writing it
            self._section_keys[self._section].add(url_key)

    def note(self, message: Note | str) -> None:
        """A message about a value the page itself had to change (e.g. RReLU's lower > upper)."""
        if message not in self.run_notes:
            self.run_notes.append(message)

    def shown(self, control: Control) -> bool:
        """Whether `control` is drawn now: its `needs` (other URL keys' values) are met."""
        return all(str(self.values.get(k)) in vals for k, vals in control.needs)

    # ---- widgets ------------------------------------------------------------------------------
    def widget(self, control: Control, where=None, scope: str = "", label: str | None = None,
               format_func: Callable | None = None) -> Any:
        """The widget of `control`, URL-bound; its value (the default while its `needs` are not met).
        `label` replaces the translated label (parameters are shown by their PyTorch names)."""
        if not self.shown(control):
            self.values[control.url] = control.default
            return control.default
        wkey = self._seed(control, scope)
        if control.url in self.hide:  # not drawn: its value is the link's (or the default), kept as it is
            return self._keep(wkey, control, st.session_state[wkey])
        text = label if label is not None else _(control.label)
        locked = control.url in self.lock
        tip = f"{_(control.help)}\n\n{_(LOCKED)}" if locked else _(control.help)
        value = draw(control, Widget(where or st, text, wkey, tip, format_func, self.note, disabled=locked))
        if not locked:
            self.movable[control.url] = wkey
        return self._keep(wkey, control, value)

    def widgets(self, schema: Schema | Sequence[Control], where=None, only: Sequence[str] | None = None,
                scope: str = "") -> dict[str, Any]:
        """Widgets for every control of `schema` (or the names in `only`), in order: values by name."""
        return {c.name: self.widget(c, where=where, scope=scope) for c in schema if only is None or c.name in only}

    def raw_params(self, spec, prefix: str = "", where=None) -> dict:
        """One widget per parameter of an activation, URL-bound as `{prefix}{name}`: their values as drawn."""
        # Compare's prefix already names the function; a formula's parameters keep their values while it is edited
        scope = "" if prefix else "own." if is_own(spec.key) else f"{spec.key}."
        return {c.name: self.widget(c, where=where, scope=scope, label=param_label(spec.param(c.name)))
                for c in params_controls(spec, prefix)}

    def params(self, spec, prefix: str = "", where=None, raw: dict | None = None) -> dict:
        """The checked parameters of an activation (spec.resolve: RReLU's lower ≤ upper), from its widgets (drawn
        here unless `raw` holds their values already), its notes noted."""
        if raw is None:
            raw = self.raw_params(spec, prefix, where)
        params, notes = spec.resolve(raw)
        for n in notes:
            self.note(n)
        return params

    # ---- parts that rerun alone ----------------------------------------------------------------
    def section(self, name: str = "main") -> None:
        """Start a fragment called `name` (one per fragment on the page): its notes show at its top."""
        lang.activate()  # a fragment rerun may come on a new thread: the language is per run
        for k in self._section_keys.get(name, ()):  # widgets gone this time (a removed function) leave the URL
            self.out.pop(k, None)
        self._section_keys[name] = set()
        self._section = name
        self.run_notes = []
        self._section_box = st.container()

    def end_section(self) -> None:
        if self.run_notes:
            self._section_box.info(_bullets(self.run_notes), icon=":material/info:")
        self.run_notes = []
        self._section_box = None
        self._section = None
        if self._finished:  # a fragment rerun: the full run's finish() will not come, so write the URL here
            self._write_url()

    # ---- end of run ---------------------------------------------------------------------------
    def _write_url(self) -> None:
        out = address({**self.out, **focus_query(self.hide, self.lock)}, lang.url_value())
        current = {k: st.query_params.get(k) for k in st.query_params}
        if current != out:
            st.query_params.from_dict(out)

    def finish(self) -> None:
        """Report what was changed, then write the view into the address bar."""
        if self.fresh:
            unknown = self.link.unknown(self.used)
            if unknown:
                self.notices.append(unknown_keys_note(unknown))
            stray = [k for k in dict.fromkeys([*self.hide, *self.lock]) if k not in self.used or k in self.unfocusable]
            if stray:  # not this page's: said once, and left out of the link it writes back
                self.notices.append(not_focused_note(stray))
                self.hide -= set(stray)
                self.lock -= set(stray)
                st.session_state[f"_focus:{self.page}"] = (tuple(self.hide), tuple(self.lock))
        if self.notices:
            self._box.warning(_(CHANGED) + _bullets(self.notices), icon=":material/warning:")
        if self.run_notes:
            self._box.info(_bullets(self.run_notes), icon=":material/info:")
        self._write_url()
        self._finished = True
        self.fresh = False  # a fragment rerun must not seed its widgets from the link again


def _bullets(notes: Sequence[Note | str]) -> str:
    from i18n import render

    return "".join(f"\n- {render(n)}" for n in notes)


def param_label(p) -> str:
    return f"{p.name} (${p.symbol}$)" if p.symbol else p.name


def apply(page: str, values: Mapping[str, Any], controls: Sequence[Control]) -> None:
    """Set the widgets of `controls` on `page` to `values` (by name) from an on_click callback; controls a focus
    link hides or locks keep their values."""
    saved = st.session_state.setdefault(f"_saved:{page}", {})
    hide, lock = st.session_state.get(f"_focus:{page}", ((), ()))
    for c in controls:
        if c.name in values and c.url not in hide and c.url not in lock:  # a focus link's controls stay put
            wkey = widget_key(page, c.url)
            st.session_state[wkey] = values[c.name]
            saved[wkey] = values[c.name]


SETS = N_("Sets {settings}. {why}")
SETTING = N_("{label}: {value}")


def preset_help(preset: Preset, controls: Sequence[Control], formats: Mapping[str, Callable] | None = None) -> str:
    """A preset button's tooltip: what it sets (label: value, in the page's own words), then what it shows."""
    formats = formats or {}
    by_name = {c.name: c for c in controls}
    parts = [setting(by_name[name], value, formats.get(name)) for name, value in preset.values.items()]
    return fill(_(SETS), settings="; ".join(parts), why=_(preset.why))


def setting(c: Control, value: Any, shown: Callable | None = None) -> str:
    """"label: value" in the page's own words (a choice's label, on/off; `shown` formats the value when given)."""
    if shown is not None:
        text = shown(value)
    elif isinstance(c, Choice) and value in c.labels:
        text = _(c.labels[value])
    elif isinstance(c, Toggle):
        text = _("on") if value else _("off")
    else:
        text = fill("{v}", v=value)
    return fill(_(SETTING), label=_(c.label), value=text)


class _Every(frozenset):
    """Every URL key: a lesson step draws none of its lab's controls (the lesson names its settings instead)."""

    def __contains__(self, key: object) -> bool:
        return True


class StepState(PageState):
    """A lab's section as a lesson step shows it: every control hidden, at the step's value (`settings`, URL key ->
    the text a link would carry, so the lab's own declarations parse and check them) or its default. It keeps
    nothing for the learner and writes nothing into the address: the lesson page owns that. `scope` separates its
    widgets' session keys from the lab page's and from other steps'."""

    lesson = True

    def __init__(self, scope: str, settings: Mapping[str, str], extras: bool = False):
        self.page = scope
        self.extras = extras  # only where the step's text is about them
        self.fresh = True  # every run seeds the values from the step: nothing is drawn that could change them
        self.link = Link({k: [v] for k, v in settings.items()})
        self.from_url = True
        self.hide = _Every()
        self.lock = set()
        self.saved = {}
        self.out = {}
        self.values = {}
        self.used = set()
        self.unfocusable = set()
        self.movable = {}
        self.notices = []
        self.run_notes = []
        self._box = st.container()
        self._section_box = None
        self._section_keys = {}
        self._section = None
        self._finished = False

    def _write_url(self) -> None:
        pass  # the lesson's address is the lesson page's (lesson=, step=)

    def finish(self) -> None:
        """Say what the step's values needed changed (a declaration test keeps this empty) and what the run noted."""
        if self.notices:
            self._box.warning(_(CHANGED) + _bullets(self.notices), icon=":material/warning:")
        if self.run_notes:
            self._box.info(_bullets(self.run_notes), icon=":material/info:")
        self._finished = True
