"""Widgets bound to the page address, built from the labs' control declarations (labs.controls).

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

from activations import is_own, validate
from i18n import N_, Msg, Nn_, Note, Raw, _, fill
from labs.controls import Choice, Control, Multi, Number, Preset, Range, Schema, Steps, Toggle, params_controls

from . import lang

_PAGE = "_url_page"
CHANGED = N_("**Some values in this link were changed so the page can show them:**")
TOO_NARROW = N_("The **{label}** must be at least {width} wide: widened.")


def widget_key(page: str, url_key: str, scope: str = "") -> str:
    """The session key of a page's widget (`scope` separates widgets that share a URL key, see PageState._seed)."""
    return f"{page}:{scope}{url_key}"


class PageState:
    def __init__(self, page: str):
        ss = st.session_state
        self.page = page
        self.fresh = ss.get(_PAGE) != page
        ss[_PAGE] = page
        self.query: dict[str, str] = {}
        self.repeated: dict[str, int] = {}
        if self.fresh:
            for k in st.query_params:
                if k == "lang":  # the language is the app's, not the page's (ui.lang reads it)
                    continue
                values = st.query_params.get_all(k)
                self.query[k] = values[-1] if values else ""
                if len(values) > 1:
                    self.repeated[k] = len(values)
        self.from_url = bool(self.query)
        self.saved: dict = ss.setdefault(f"_saved:{page}", {})
        self.out: dict[str, str] = {}
        self.values: dict[str, Any] = {}  # URL key -> value of every widget drawn this run (for `needs`)
        self.used: set[str] = set()
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
        url_key = control.url
        if url_key not in self.query:
            return False, control.default
        value, note = control.parse(self.query[url_key])
        if note:
            self.notices.append(note)
        if url_key in self.repeated:
            self.notices.append(Note.of(validate.REPEATED, name=url_key, count=self.repeated[url_key],
                                        raw=Raw(self.query[url_key])))
        return True, value

    def read(self, control: Control) -> tuple[bool, Any]:
        """A link's value for a control that no widget of this page draws (the own formula's keys, app-wide):
        (given, value), read once, when the page is entered from a link."""
        self.used.add(control.url)
        if not (self.fresh and self.from_url):
            return False, control.default
        return self._from_link(control)

    def peek(self, control: Control, scope: str = "") -> Any:
        """The value `control`'s widget will have when a later section draws it, without drawing, noting or
        claiming anything (to start that section's work early): as _seed will set it. Entering from a link: the
        link's value, or the default where the link is silent. Otherwise: its kept value, else the last one the
        learner left, else the default."""
        wkey = widget_key(self.page, control.url, scope)
        if self.fresh and self.from_url:
            return control.parse(self.query[control.url])[0] if control.url in self.query else control.default
        if wkey in st.session_state:
            return st.session_state[wkey]
        return self.saved.get(wkey, control.default)

    def _keep(self, wkey: str, control: Control, value: Any) -> Any:
        self.saved[wkey] = value
        self.values[control.url] = value
        if value != control.default:
            self.out[control.url] = control.encode(value)
        else:
            self.out.pop(control.url, None)
        return value

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
        where = where or st
        text = label if label is not None else _(control.label)
        help = _(control.help)
        wkey = self._seed(control, scope)
        if isinstance(control, Number):
            if control.widget == "number":
                v = where.number_input(text, min_value=int(control.low), max_value=int(control.high), step=1,
                                       key=wkey, help=help)
                return self._keep(wkey, control, int(v))
            if control.integer:
                v = where.slider(text, control.low, control.high, step=control.step, key=wkey, help=help)
                return self._keep(wkey, control, int(v))
            v = where.slider(text, float(control.low), float(control.high), step=float(control.step), key=wkey,
                             help=help)
            return self._keep(wkey, control, float(v))
        if isinstance(control, Steps):
            fmt = format_func or (lambda v: fill("{v:" + control.fmt + "}", v=v))
            v = where.select_slider(text, options=list(control.options), key=wkey, help=help, format_func=fmt)
            return self._keep(wkey, control, v)
        if isinstance(control, Choice):
            fmt = format_func or _option_label(control)
            if control.widget == "radio":
                v = where.radio(text, list(control.options), key=wkey, help=help, format_func=fmt, horizontal=True)
            else:
                v = where.selectbox(text, list(control.options), key=wkey, help=help, format_func=fmt)
            return self._keep(wkey, control, v)
        if isinstance(control, Multi):
            v = where.multiselect(text, list(control.options), key=wkey, help=help, format_func=format_func or str,
                                  max_selections=control.max_count)
            return self._keep(wkey, control, list(v))
        if isinstance(control, Range):
            a, b = where.slider(text, float(control.low), float(control.high), step=float(control.step), key=wkey,
                                help=help)
            if b - a < control.min_width:  # the two thumbs can meet; an empty x-range has nothing to show
                self.note(Note.of(TOO_NARROW, label=Msg(control.label), width=control.min_width))
                hi = control.high
                a, b = (a, a + control.min_width) if a + control.min_width <= hi else (b - control.min_width, b)
            return self._keep(wkey, control, (float(a), float(b)))
        if isinstance(control, Toggle):
            v = where.toggle(text, key=wkey, help=help)
            return self._keep(wkey, control, bool(v))
        raise TypeError(f"no widget for {type(control).__name__}")

    def widgets(self, schema: Schema | Sequence[Control], where=None, only: Sequence[str] | None = None,
                scope: str = "") -> dict[str, Any]:
        """Widgets for every control of `schema` (or the names in `only`), in order: values by name."""
        return {c.name: self.widget(c, where=where, scope=scope) for c in schema if only is None or c.name in only}

    def params(self, spec, prefix: str = "", where=None) -> dict:
        """One widget per parameter of an activation, URL-bound as `{prefix}{name}`: the checked parameters."""
        # Compare's prefix already names the function; a formula's parameters keep their values while it is edited
        scope = "" if prefix else "own." if is_own(spec.key) else f"{spec.key}."
        raw = {c.name: self.widget(c, where=where, scope=scope, label=param_label(spec.param(c.name)))
               for c in params_controls(spec, prefix)}
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
        out = dict(self.out)
        code = lang.url_value()
        if code:
            out["lang"] = code
        current = {k: st.query_params.get(k) for k in st.query_params}
        if current != out:
            st.query_params.from_dict(out)

    def finish(self) -> None:
        """Report what was changed, then write the view into the address bar."""
        if self.fresh:
            unknown = [k for k in self.query if k not in self.used]
            if unknown:
                self.notices.append(unknown_keys_note(unknown))
        if self.notices:
            self._box.warning(_(CHANGED) + _bullets(self.notices), icon=":material/warning:")
        if self.run_notes:
            self._box.info(_bullets(self.run_notes), icon=":material/info:")
        self._write_url()
        self._finished = True
        self.fresh = False  # a fragment rerun must not seed its widgets from the link again


UNKNOWN_KEYS = Nn_("Ignored an unknown link parameter: {keys}.", "Ignored {n} unknown link parameters: {keys}.")
MORE_KEYS = N_("{keys} and {count} more")


def unknown_keys_note(unknown: Sequence[str]) -> Note:
    from i18n import shown_raw

    keys = ", ".join(shown_raw(k) for k in unknown[:8])
    if len(unknown) > 8:
        keys = Note.of(MORE_KEYS, keys=keys, count=len(unknown) - 8)
    return Note.count(UNKNOWN_KEYS, len(unknown), keys=keys)


def _bullets(notes: Sequence[Note | str]) -> str:
    from i18n import render

    return "".join(f"\n- {render(n)}" for n in notes)


def _option_label(control: Choice) -> Callable[[str], str]:
    if not control.labels:
        return str
    return lambda o: _(control.labels[o]) if o in control.labels else str(o)


def param_label(p) -> str:
    return f"{p.name} (${p.symbol}$)" if p.symbol else p.name


def apply(page: str, values: Mapping[str, Any], controls: Sequence[Control]) -> None:
    """Set the widgets of `controls` on `page` to `values` (by name) from an on_click callback."""
    saved = st.session_state.setdefault(f"_saved:{page}", {})
    for c in controls:
        if c.name in values:
            wkey = widget_key(page, c.url)
            st.session_state[wkey] = values[c.name]
            saved[wkey] = values[c.name]


SETS = N_("Sets {settings}. {why}")
SETTING = N_("{label}: {value}")


def preset_help(preset: Preset, controls: Sequence[Control], formats: Mapping[str, Callable] | None = None) -> str:
    """A preset button's tooltip: what it sets (label: value, in the page's own words), then what it shows."""
    formats = formats or {}
    by_name = {c.name: c for c in controls}
    parts = []
    for name, value in preset.values.items():
        c = by_name[name]
        if name in formats:
            shown = formats[name](value)
        elif isinstance(c, Choice) and value in c.labels:
            shown = _(c.labels[value])
        elif isinstance(c, Toggle):
            shown = _("on") if value else _("off")
        else:
            shown = fill("{v}", v=value)
        parts.append(fill(_(SETTING), label=_(c.label), value=shown))
    return fill(_(SETS), settings="; ".join(parts), why=_(preset.why))
