"""What a browser tab says and keeps on Streamlit's websocket, in protobufs only (no socket, no Locust), so that the
unit test can check it without a server and protocol.py only moves bytes.

A tab sends one kind of message here: a BackMsg `rerun_script` (a ClientState), both to open a page and to report a
widget change. What it keeps from the ForwardMsgs is what the next rerun_script must carry, as the frontend
(Streamlit 1.67's App.sendRerunBackMsg) sends it:
- the page: the first open of a session names it by its address (`page_name` "explorer", no hash yet); later runs
  carry the current page's script hash, which comes in the `navigation` message (new_session's page_script_hash is
  the main script's with st.navigation);
- the query string: the app rewrites its address after a run (`page_info_changed`) and the next run sends it back;
- every widget on the page and its value: a rerun carries them all, the changed one included, plus the widget's
  fragment id when it lives in an st.fragment (then only that fragment reruns);
- the hashes of the large messages it has cached: the server then sends a `ref_hash` instead of a chart it already
  sent (Streamlit's ForwardMsg cache is client-driven: no hashes, no references), and the client must resolve it.
"""
from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Checkbox_pb2 import Checkbox
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.FINISHED_SUCCESSFULLY
COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # a run cut short by another one: the action goes on
FRAGMENT_FINISHED = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
SLIDER_KINDS = ("slider", "select_slider")
MAIN = 0  # delta_path[0]: the page's main area (1 is the sidebar): what a page change clears


class ProtocolError(RuntimeError):
    """The server sent something a browser could not follow either (a reference to a message it never cached)."""


@dataclass
class Widget:
    """One widget as the page shows it, with its value as the frontend sends it back:
    slider: [float] or [lo, hi]; select_slider, multiselect, button_group: [str]; selectbox, radio, text: str;
    checkbox, toggle: bool; number_input: float (int when `integer`); None: no value (not sent)."""

    id: str
    kind: str
    label: str = ""
    value: Any = None
    fragment_id: str = ""  # the st.fragment it is drawn in ("" in the full script)
    min: float | None = None
    max: float | None = None
    step: float | None = None
    options: tuple[str, ...] = ()
    integer: bool = False
    disabled: bool = False
    form_id: str = ""
    where: int = MAIN  # delta_path[0]
    # The element set its value (set_value: a first draw, or the script changed it); else `value` is the declared
    # default, and a tab that already has this widget keeps its own value (as the frontend's widget manager does).
    explicit: bool = True

    @property
    def movable(self) -> bool:
        """A slider a learner can drag and whose change reruns at once (not in a form), with room to move."""
        if self.kind not in SLIDER_KINDS or self.disabled or self.form_id or self.value is None:
            return False
        if self.kind == "select_slider":
            return len(self.options) > 1
        return self.min is not None and self.max is not None and bool(self.step) and self.max - self.min >= self.step

    def state(self) -> WidgetState | None:
        """The WidgetState the frontend sends for it (the field the server's deserializer reads), None if none."""
        v = self.value
        if v is None:
            return None
        ws = WidgetState(id=self.id)
        if self.kind == "slider":
            ws.double_array_value.data[:] = [float(x) for x in v]
        elif self.kind in ("select_slider", "multiselect", "button_group"):
            ws.string_array_value.data[:] = [str(x) for x in v]
        elif self.kind in ("checkbox", "toggle"):
            ws.bool_value = bool(v)
        elif self.kind == "number_input":
            if self.integer:
                ws.int_value = int(v)
            else:
                ws.double_value = float(v)
        else:  # selectbox, radio, text_input, text_area, color_picker: the option's text / the text
            ws.string_value = str(v)
        return ws


def _opt(el: Any, name: str) -> Any:
    """An optional proto field's value, None when unset (a number_input or text_input without a value)."""
    try:
        return getattr(el, name) if el.HasField(name) else None
    except ValueError:  # not an optional field: always has a value
        return getattr(el, name)


def widget_from_element(element: Any, fragment_id: str = "", where: int = MAIN) -> Widget | None:
    """The Widget an Element proto draws, None for anything else (text, charts, buttons: a button's click is a
    one-off trigger, not a state the frontend keeps sending)."""
    kind = element.WhichOneof("type")
    if kind is None:
        return None
    el = getattr(element, kind)
    common = {"fragment_id": fragment_id, "where": where, "label": getattr(el, "label", ""),
              "explicit": bool(getattr(el, "set_value", True)),
              "disabled": getattr(el, "disabled", False), "form_id": getattr(el, "form_id", "")}
    if kind == "slider":
        if el.type == Slider.SELECT_SLIDER:
            options = tuple(el.options)
            value = (list(el.raw_value) if el.set_value
                     else [options[int(i)] for i in el.default if 0 <= i < len(options)])
            return Widget(el.id, "select_slider", value=value, options=options, min=0, max=len(options) - 1, step=1,
                          integer=True, **common)
        value = list(el.value) if el.set_value else list(el.default)
        return Widget(el.id, "slider", value=value, min=el.min, max=el.max, step=el.step,
                      integer=el.data_type == Slider.INT, **common)
    if kind in ("selectbox", "radio"):
        options = tuple(el.options)
        value = el.raw_value if el.set_value else (options[el.default] if 0 <= el.default < len(options) else None)
        return Widget(el.id, kind, value=value, options=options, **common)
    if kind == "checkbox":
        value = el.value if el.set_value else el.default
        return Widget(el.id, "toggle" if el.type == Checkbox.TOGGLE else "checkbox", value=value, **common)
    if kind == "number_input":
        value = _opt(el, "value") if el.set_value else _opt(el, "default")
        return Widget(el.id, kind, value=value, min=el.min if el.has_min else None,
                      max=el.max if el.has_max else None, step=el.step, integer=el.data_type == el.INT, **common)
    if kind in ("text_input", "text_area", "color_picker"):
        value = _opt(el, "value") if el.set_value else _opt(el, "default")
        return Widget(el.id, kind, value=value, **common)
    if kind == "multiselect":
        options = tuple(el.options)
        value = list(el.raw_values) if el.set_value else [options[i] for i in el.default if 0 <= i < len(options)]
        return Widget(el.id, kind, value=value, options=options, **common)
    if kind == "button":  # sent only when pressed (a trigger): SessionView.press_msg
        return Widget(el.id, "form_submit" if el.is_form_submitter else "button", **common)
    if kind == "button_group":
        options = tuple(o.content for o in el.options)
        value = list(el.raw_values) if el.set_value else [options[i] for i in el.default if 0 <= i < len(options)]
        return Widget(el.id, kind, value=value, options=options, **common)
    return None


def _on_grid(lo: float, step: float, k: int, integer: bool) -> float:
    # A slider's values are min + k·step (the frontend steps from min); rounded so that 0.1·3 is sent as 0.3.
    v = lo + k * step
    return float(round(v)) if integer else round(v, 10)


def random_slider_value(w: Widget, rng: random.Random) -> list:
    """A new value for a movable slider, different from its current one: a random point of its declared range on
    its step's grid (a range slider moves one of its two ends, keeping lo <= hi)."""
    if w.kind == "select_slider":
        cur = [w.options.index(x) if x in w.options else 0 for x in w.value]
        lo_k, hi_k = 0, len(w.options) - 1
    else:
        cur = [round((x - w.min) / w.step) for x in w.value]
        lo_k, hi_k = 0, int(round((w.max - w.min) / w.step + 1e-9))
    new = list(cur)
    i = rng.randrange(len(cur))  # which thumb
    lo = cur[0] if (len(cur) == 2 and i == 1) else lo_k
    hi = cur[1] if (len(cur) == 2 and i == 0) else hi_k
    choices = [k for k in range(lo, hi + 1) if k != cur[i]]
    if not choices and len(cur) == 2:  # this thumb is pinned by the other one: move the other
        i = 1 - i
        lo = cur[0] if i == 1 else lo_k
        hi = cur[1] if i == 0 else hi_k
        choices = [k for k in range(lo, hi + 1) if k != cur[i]]
    if not choices:  # nowhere to go (a movable slider always has somewhere)
        return list(w.value)
    new[i] = rng.choice(choices)
    if w.kind == "select_slider":
        return [w.options[k] for k in new]
    return [_on_grid(w.min, w.step, k, w.integer) for k in new]


class MessageCache:
    """The frontend's ForwardMsg cache (ForwardMessageCache in Streamlit's frontend): large `cacheable` messages
    (charts) are kept by hash; their hashes go with every rerun_script; a `ref_hash` message from the server stands
    for a cached one. A message not used for more than `max_age` finished runs is dropped, so the server stops
    referring to it (a fragment run only ages its own fragment's messages)."""

    def __init__(self) -> None:
        self.entries: dict[str, list] = {}  # hash -> [encoded message, run count when last used, fragment id]
        self.runs = 0

    def hashes(self) -> list[str]:
        return list(self.entries)

    def keep(self, msg: ForwardMsg, raw: bytes) -> None:
        if msg.WhichOneof("type") == "ref_hash" or not msg.metadata.cacheable or not msg.hash:
            return
        entry = self.entries.get(msg.hash)
        if entry is None:
            frag = msg.delta.fragment_id if msg.WhichOneof("type") == "delta" else ""
            self.entries[msg.hash] = [raw, self.runs, frag]
        else:
            entry[1] = self.runs

    def resolve(self, ref: ForwardMsg) -> ForwardMsg:
        """The cached message a `ref_hash` message stands for, placed where the reference says (its metadata)."""
        entry = self.entries.get(ref.ref_hash)
        if entry is None:
            raise ProtocolError(f"ref_hash {ref.ref_hash} names a message this client never cached")
        entry[1] = self.runs
        msg = ForwardMsg.FromString(entry[0])
        msg.metadata.CopyFrom(ref.metadata)
        return msg

    def run_finished(self, max_age: int, fragment_ids: Iterable[str] = ()) -> None:
        self.runs += 1
        frags = set(fragment_ids)
        for h, (_, used, frag) in list(self.entries.items()):
            if frags and (not frag or frag not in frags):
                continue
            if self.runs - used > max_age:
                del self.entries[h]


@dataclass
class Outcome:
    """What one action (a page open or a slider move) produced, from its first message to its script_finished."""

    finished: bool = False
    status: int | None = None
    runs: int = 0  # new_session messages seen: more than 1 when the app reran itself (st.rerun)
    messages: int = 0
    exceptions: list[str] = field(default_factory=list)  # shown to the learner (an st.exception box)
    warnings: list[str] = field(default_factory=list)  # Streamlit's own warnings (is_warning), not failures
    page_not_found: str | None = None


class SessionView:
    """A tab's memory of its session: the page, its address and widgets, the message cache. `feed` takes every
    ForwardMsg in order; `open_msg` / `slider_msg` build what the tab sends next."""

    def __init__(self, locale: str = "en-US", timezone: str = "UTC", base_url: str = "http://127.0.0.1") -> None:
        self.locale, self.timezone, self.base_url = locale, timezone, base_url.rstrip("/")
        self.widgets: dict[str, Widget] = {}
        self.query_string = ""
        self.page_hash = ""  # the current page's script hash (from `navigation`); "" before the first run
        self.page_name = ""  # the address path the tab shows ("explorer"; "" for the default page)
        self.pages: dict[str, str] = {}  # url_pathname ("explorer", "" for the default page) -> page script hash
        self.cache = MessageCache()
        self.max_cached_age = 2  # overwritten by new_session's config
        self.outcome = Outcome()
        self._run_fragments: list[str] = []
        self._seen: set[str] = set()

    # ---- what the tab sends ----------------------------------------------------------------------------------
    def _rerun(self, *, widgets: Iterable[Widget], page_hash: str = "", page_name: str = "", query: str,
               fragment_id: str = "") -> BackMsg:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = query
        cs.page_script_hash = page_hash
        cs.page_name = page_name
        cs.fragment_id = fragment_id
        cs.cached_message_hashes[:] = self.cache.hashes()
        for w in widgets:
            state = w.state()
            if state is not None:
                cs.widget_states.widgets.append(state)
        ci = cs.context_info
        ci.timezone, ci.timezone_offset, ci.locale = self.timezone, 0, self.locale
        ci.url = f"{self.base_url}/{self.page_name}" + (f"?{query}" if query else "")
        ci.is_embedded, ci.color_scheme = False, "light"
        return msg

    def open_msg(self, path: str, query: str = "") -> BackMsg:
        """Open the page at `path` ("/explorer", "explorer", "/" for the default page) with `query` (no "?"): a new
        tab names the page by its address; a tab that has run names it by hash (a sidebar click), keeping only its
        widgets outside the page's main area (the language switch in the sidebar), as the frontend does."""
        name = path.strip("/")
        self.begin()
        self.page_name, self.query_string = name, query
        if name in self.pages:
            keep = [w for w in self.widgets.values() if w.where != MAIN]
            return self._rerun(widgets=keep, page_hash=self.pages[name], query=query)
        return self._rerun(widgets=(), page_name=name, query=query)

    def slider_msg(self, widget: Widget, value: Any) -> BackMsg:
        """The rerun a slider move sends: every widget's current value with this one changed, and the slider's
        fragment (if any), so the server reruns only that fragment. The tab takes the new value at once."""
        self.begin()
        moved = replace(widget, value=value)
        self.widgets[widget.id] = moved
        return self._rerun(widgets=self.widgets.values(), page_hash=self.page_hash, query=self.query_string,
                           fragment_id=moved.fragment_id)

    def sliders(self) -> list[Widget]:
        return [w for w in self.widgets.values() if w.movable]

    def press_msg(self, button: Widget) -> BackMsg:
        """The rerun a button press sends: every widget's current value and the button's trigger (a form's submit
        button sends the form's values, which the tab keeps until then: `choose`)."""
        self.begin()
        msg = self._rerun(widgets=self.widgets.values(), page_hash=self.page_hash, query=self.query_string,
                          fragment_id=button.fragment_id)
        msg.rerun_script.widget_states.widgets.append(WidgetState(id=button.id, trigger_value=True))
        return msg

    def choose(self, widget: Widget, value: Any) -> None:
        """Set a widget's value in the tab without a rerun (a radio inside a form waits for the submit button)."""
        self.widgets[widget.id] = replace(widget, value=value)

    # ---- what the tab receives -------------------------------------------------------------------------------
    def begin(self) -> None:
        """A new action: its outcome starts empty."""
        self.outcome = Outcome()

    def feed(self, raw: bytes) -> ForwardMsg:
        """Take one ForwardMsg as received (bytes), update the view and the current outcome, return the message
        (a `ref_hash` resolved to the message it stands for)."""
        msg = ForwardMsg.FromString(raw)
        self.cache.keep(msg, raw)
        if msg.WhichOneof("type") == "ref_hash":
            msg = self.cache.resolve(msg)
        self.handle(msg)
        return msg

    def handle(self, msg: ForwardMsg) -> None:
        out = self.outcome
        out.messages += 1
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            out.runs += 1
            self._run_fragments = list(msg.metadata.run.fragment_ids)
            self._seen = set()
            self.max_cached_age = msg.new_session.config.max_cached_message_age or self.max_cached_age
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            out.page_not_found = msg.page_not_found.page_name or self.page_name
        elif kind == "delta":
            self._delta(msg)
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            e = msg.session_event.script_compilation_exception
            out.exceptions.append(f"{e.type}: {e.message}")
        elif kind == "script_finished":
            self._finished(msg)

    def _delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        if element.WhichOneof("type") == "exception":
            e = element.exception
            text = f"{e.type}: {e.message}".strip(": ")
            (self.outcome.warnings if e.is_warning else self.outcome.exceptions).append(text)
            return
        path = msg.metadata.delta_path
        w = widget_from_element(element, delta.fragment_id, path[0] if path else MAIN)
        if w is not None:
            old = self.widgets.get(w.id)
            if old is not None and not w.explicit:
                w.value = old.value
            self.widgets[w.id] = w
            self._seen.add(w.id)

    def _finished(self, msg: ForwardMsg) -> None:
        out = self.outcome
        status = msg.script_finished
        if status in (FINISHED, FRAGMENT_FINISHED):
            # Widgets the run did not draw again are gone (a full run: all of them; a fragment run: its own).
            frags = set(self._run_fragments)
            self.widgets = {i: w for i, w in self.widgets.items()
                            if i in self._seen or (frags and w.fragment_id not in frags)}
        if status != EARLY_FOR_RERUN and msg.metadata.HasField("run"):
            self.cache.run_finished(self.max_cached_age, self._run_fragments)
        # The action ends with its run's end: not a run cut short for another (st.rerun), and not a late
        # script_finished of a run from before this action (no new_session seen since it began).
        if status != EARLY_FOR_RERUN and out.runs:
            out.finished, out.status = True, status
