"""Widgets bound to the page address, so that a copied link reproduces the view.

How it works (one PageState per page run):
- On entering a page, a URL that names any of the page's controls defines the view: each value is
  parsed and checked (activations.urlvalues), missing ones take their defaults, and every change
  is reported in a notice at the top of the page. With an empty URL, the values the learner had
  when they last left the page come back.
- Each widget is created with its value in st.session_state (never `value=` too, which Streamlit
  rejects), and after the run the URL is rewritten with every value that differs from its default.
- A part of a page that reruns alone (an st.fragment, so a slider move redraws only the chart and
  what depends on it) is wrapped in section() / end_section(): it gets the PageState of the last
  full run as an argument, shows its own notes, and updates its own keys in the URL.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from activations import urlvalues as uv

_PAGE = "_url_page"


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
                values = st.query_params.get_all(k)
                self.query[k] = values[-1] if values else ""
                if len(values) > 1:
                    self.repeated[k] = len(values)
        self.from_url = bool(self.query)
        self.saved: dict = ss.setdefault(f"_saved:{page}", {})
        self.out: dict[str, str] = {}
        self.used: set[str] = set()
        if self.fresh:
            ss[f"_notices:{page}"] = []
        self.notices: list[str] = ss[f"_notices:{page}"]  # about the link: kept while on the page
        self.run_notes: list[str] = []  # about this run's values only
        self._box = st.container()  # notices go here, at the top, once the run knows them all
        self._section_box = None
        self._section_keys: dict[str, set[str]] = {}  # section -> URL keys it wrote last time it ran
        self._section: str | None = None
        self._finished = False  # True once the full run is over: later calls come from fragment reruns

    # ---- plumbing -----------------------------------------------------------------------------
    def _seed(self, url_key: str, default: Any, parse: Callable[[str], tuple[Any, str | None]],
              scope: str = "") -> str:
        # `scope` separates widgets that share a URL key but not a meaning: ELU's alpha and SELU's alpha
        wkey = f"{self.page}:{scope}{url_key}"
        self.used.add(url_key)
        if self._section is not None:
            self._section_keys[self._section].add(url_key)
        if self.fresh and self.from_url:
            if url_key in self.query:
                value, note = parse(self.query[url_key])
                if note:
                    self.notices.append(note)
                if url_key in self.repeated:
                    self.notices.append(f"**{url_key}** was given {self.repeated[url_key]} times: used the last "
                                        f"one, {uv.shown(self.query[url_key])}.")
            else:
                value = default
            st.session_state[wkey] = value
        elif wkey not in st.session_state:
            st.session_state[wkey] = self.saved.get(wkey, default)
        return wkey

    def _keep(self, wkey: str, url_key: str, value: Any, default: Any, encoded: str) -> Any:
        self.saved[wkey] = value
        if value != default:
            self.out[url_key] = encoded
        else:
            self.out.pop(url_key, None)
        return value

    def note(self, message: str) -> None:
        """A message about a value the page itself had to change (e.g. RReLU's lower > upper)."""
        if message not in self.run_notes:
            self.run_notes.append(message)

    # ---- widgets ------------------------------------------------------------------------------
    def slider(self, label: str, url_key: str, low: float, high: float, default: float, step: float,
               help: str, where=st, scope: str = "") -> float:
        if all(isinstance(a, int) for a in (low, high, default, step)):  # a whole-number slider stays one
            wkey = self._seed(url_key, default, lambda r: uv.parse_int(url_key, r, low, high, default), scope)
            v = where.slider(label, low, high, step=step, key=wkey, help=help)
            return self._keep(wkey, url_key, int(v), default, str(int(v)))
        wkey = self._seed(url_key, default, lambda r: uv.parse_float(url_key, r, low, high, default), scope)
        v = where.slider(label, float(low), float(high), step=float(step), key=wkey, help=help)
        return self._keep(wkey, url_key, float(v), default, uv.encode_float(v))

    def range_slider(self, label: str, url_key: str, low: float, high: float,
                     default: tuple[float, float], step: float, help: str, min_width: float = 0.0,
                     where=st) -> tuple[float, float]:
        wkey = self._seed(url_key, tuple(default),
                          lambda r: uv.parse_range(url_key, r, low, high, tuple(default), min_width))
        a, b = where.slider(label, float(low), float(high), step=float(step), key=wkey, help=help)
        if b - a < min_width:  # the two thumbs can meet; an empty x-range has nothing to show
            self.note(f"The **{label}** must be at least {min_width:g} wide: widened.")
            a, b = (a, a + min_width) if a + min_width <= high else (b - min_width, b)
        value = (float(a), float(b))
        return self._keep(wkey, url_key, value, tuple(default), f"{uv.encode_float(a)},{uv.encode_float(b)}")

    def select_slider(self, label: str, url_key: str, options: Sequence[float], default: float,
                      help: str, where=st, format_func: Callable = str) -> float:
        by_text = {(str(o) if isinstance(o, int) else uv.encode_float(o)): o for o in options}

        def parse(raw):
            v, note = uv.parse_float(url_key, raw, min(options), max(options), default)
            nearest = min(options, key=lambda o: abs(o - v))
            if nearest != v and note is None:
                note = f"**{url_key}** = {uv.shown(raw)} is not one of the steps: using {nearest:g}."
            return nearest, note

        wkey = self._seed(url_key, default, parse)
        v = where.select_slider(label, options=list(options), key=wkey, help=help, format_func=format_func)
        enc = next(k for k, o in by_text.items() if o == v)
        return self._keep(wkey, url_key, v, default, enc)

    def selectbox(self, label: str, url_key: str, options: Sequence[str], default: str, help: str,
                  format_func: Callable = str, where=st) -> str:
        wkey = self._seed(url_key, default, lambda r: uv.parse_choice(url_key, r, options, default))
        v = where.selectbox(label, list(options), key=wkey, help=help, format_func=format_func)
        return self._keep(wkey, url_key, v, default, v)

    def radio(self, label: str, url_key: str, options: Sequence[str], default: str, help: str,
              format_func: Callable = str, where=st, scope: str = "") -> str:
        wkey = self._seed(url_key, default, lambda r: uv.parse_choice(url_key, r, options, default), scope)
        v = where.radio(label, list(options), key=wkey, help=help, format_func=format_func, horizontal=True)
        return self._keep(wkey, url_key, v, default, v)

    def multiselect(self, label: str, url_key: str, options: Sequence[str], default: Sequence[str],
                    help: str, max_selections: int, format_func: Callable = str, where=st) -> list[str]:
        default = list(default)
        wkey = self._seed(url_key, default,
                          lambda r: uv.parse_choices(url_key, r, options, default, max_selections))
        v = where.multiselect(label, list(options), key=wkey, help=help, format_func=format_func,
                              max_selections=max_selections)
        return self._keep(wkey, url_key, list(v), default, ",".join(v))

    def number(self, label: str, url_key: str, low: int, high: int, default: int, help: str, where=st) -> int:
        wkey = self._seed(url_key, default, lambda r: uv.parse_int(url_key, r, low, high, default))
        v = where.number_input(label, min_value=int(low), max_value=int(high), step=1, key=wkey, help=help)
        return self._keep(wkey, url_key, int(v), default, str(int(v)))

    def toggle(self, label: str, url_key: str, default: bool, help: str, where=st) -> bool:
        wkey = self._seed(url_key, default, lambda r: uv.parse_bool(url_key, r, default))
        v = where.toggle(label, key=wkey, help=help)
        return self._keep(wkey, url_key, bool(v), default, "1" if v else "0")

    # ---- presets -------------------------------------------------------------------------------
    @staticmethod
    def apply(page: str, values: dict) -> None:
        """Set controls of `page` (URL key -> value) before its widgets are drawn: for preset buttons'
        on_click callbacks, which run before the rerun."""
        saved = st.session_state.setdefault(f"_saved:{page}", {})
        for url_key, value in values.items():
            wkey = f"{page}:{url_key}"
            st.session_state[wkey] = value
            saved[wkey] = value

    # ---- parts that rerun alone ----------------------------------------------------------------
    def section(self, name: str = "main") -> None:
        """Start a fragment called `name` (one per fragment on the page): its notes show at its top."""
        for k in self._section_keys.get(name, ()):  # widgets gone this time (a removed function) leave the URL
            self.out.pop(k, None)
        self._section_keys[name] = set()
        self._section = name
        self.run_notes = []
        self._section_box = st.container()

    def end_section(self) -> None:
        if self.run_notes:
            self._section_box.info("".join(f"\n- {n}" for n in self.run_notes), icon=":material/info:")
        self.run_notes = []
        self._section_box = None
        self._section = None
        if self._finished:  # a fragment rerun: the full run's finish() will not come, so write the URL here
            self._write_url()

    # ---- end of run ---------------------------------------------------------------------------
    def _write_url(self) -> None:
        current = {k: st.query_params.get(k) for k in st.query_params}
        if current != self.out:
            st.query_params.from_dict(self.out)

    def finish(self) -> None:
        """Report what was changed, then write the view into the address bar."""
        if self.fresh:
            unknown = [k for k in self.query if k not in self.used]
            if unknown:
                more = f" and {len(unknown) - 8} more" if len(unknown) > 8 else ""
                self.notices.append("Ignored unknown link parameter(s) "
                                    + ", ".join(uv.shown(k) for k in unknown[:8]) + more + ".")
        if self.notices:
            self._box.warning("**Some values in this link were changed so the page can show them:**"
                              + "".join(f"\n- {n}" for n in self.notices), icon=":material/warning:")
        if self.run_notes:
            self._box.info("".join(f"\n- {n}" for n in self.run_notes), icon=":material/info:")
        self._write_url()
        self._finished = True
        self.fresh = False  # a fragment rerun must not seed its widgets from the link again
