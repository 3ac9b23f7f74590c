"""The load test's protocol messages (bench/load/messages.py), without a server, a socket or Locust: the BackMsgs a
simulated tab sends for a page open and a slider move, and what it reads from a hand-made ForwardMsg sequence."""
from __future__ import annotations

import random

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider

from bench.load.messages import FINISHED, FRAGMENT_FINISHED, SessionView, Widget, random_slider_value

FRAG = "frag-1"
PAGE_HASH = "hash-explorer"


def new_session(run_id: str = "run-1", fragments: tuple[str, ...] = ()) -> ForwardMsg:
    m = ForwardMsg()
    m.new_session.page_script_hash = "hash-main"  # with st.navigation: the main script's, not the page's
    m.new_session.config.max_cached_message_age = 2
    m.metadata.run.script_run_id = run_id
    m.metadata.run.fragment_ids[:] = fragments
    return m


def navigation() -> ForwardMsg:
    m = ForwardMsg()
    m.navigation.page_script_hash = PAGE_HASH
    for path, h in (("", "hash-home"), ("explorer", PAGE_HASH), ("compare", "hash-compare")):
        p = m.navigation.app_pages.add()
        p.url_pathname, p.page_script_hash = path, h
    return m


def slider_delta(wid: str = "$$ID-alpha", value: float = 1.0, fragment: str = FRAG, set_value: bool = True,
                 path: tuple[int, ...] = (0, 4, 1, 0, 0)) -> ForwardMsg:
    m = ForwardMsg()
    s = m.delta.new_element.slider
    s.id, s.label, s.min, s.max, s.step, s.data_type, s.type = wid, "alpha", 0.0, 3.0, 0.01, Slider.FLOAT, Slider.SLIDER
    s.default[:] = [0.0]
    if set_value:
        s.value[:] = [value]
        s.set_value = True
    m.delta.fragment_id = fragment
    m.metadata.delta_path[:] = path
    return m


def select_slider_delta() -> ForwardMsg:
    m = ForwardMsg()
    s = m.delta.new_element.slider
    s.id, s.label, s.type, s.min, s.max, s.step = "$$ID-eps", "eps", Slider.SELECT_SLIDER, 0, 2, 1
    s.options[:] = ["0.001", "0.01", "0.1"]
    s.default[:] = [1]
    m.delta.fragment_id = FRAG
    m.metadata.delta_path[:] = [0, 4, 1, 0, 1]
    return m


def selectbox_delta(where: int = 1) -> ForwardMsg:
    m = ForwardMsg()
    s = m.delta.new_element.selectbox
    s.id, s.label, s.raw_value, s.set_value = "$$ID-lang", "Language", "English", True
    s.options[:] = ["English", "한국어"]
    m.metadata.delta_path[:] = [where, 0]
    return m


def finished(status=FINISHED, run_id: str = "run-1") -> ForwardMsg:
    m = ForwardMsg()
    m.script_finished = status
    m.metadata.run.script_run_id = run_id
    return m


def feed(view: SessionView, *msgs: ForwardMsg) -> None:
    for m in msgs:
        view.feed(m.SerializeToString())


def opened_view() -> SessionView:
    view = SessionView(locale="ko-KR", base_url="http://127.0.0.1:8501")
    view.open_msg("/explorer", "fn=relu")
    page_info = ForwardMsg()
    page_info.page_info_changed.query_string = "fn=relu&alpha=1.0"
    feed(view, new_session(), navigation(), selectbox_delta(), slider_delta(), select_slider_delta(), page_info,
         finished())
    return view


def test_open_of_a_new_tab_names_the_page_by_its_address():
    view = SessionView(locale="ko-KR", base_url="http://127.0.0.1:8501")
    cs = view.open_msg("/explorer", "fn=relu&lang=ko").rerun_script
    assert (cs.query_string, cs.page_name, cs.page_script_hash, cs.fragment_id) == ("fn=relu&lang=ko", "explorer",
                                                                                     "", "")
    assert len(cs.widget_states.widgets) == 0
    assert cs.context_info.locale == "ko-KR"
    assert cs.context_info.url == "http://127.0.0.1:8501/explorer?fn=relu&lang=ko"


def test_forward_messages_make_widget_records():
    view = opened_view()
    assert view.outcome.finished and view.outcome.status == FINISHED and view.outcome.runs == 1
    assert view.page_hash == PAGE_HASH and view.query_string == "fn=relu&alpha=1.0"
    w = view.widgets
    assert set(w) == {"$$ID-lang", "$$ID-alpha", "$$ID-eps"}
    alpha = w["$$ID-alpha"]
    assert (alpha.kind, alpha.value, alpha.min, alpha.max, alpha.step, alpha.fragment_id, alpha.integer) == (
        "slider", [1.0], 0.0, 3.0, 0.01, FRAG, False)
    eps = w["$$ID-eps"]
    assert (eps.kind, eps.value, eps.options, eps.fragment_id) == ("select_slider", ["0.01"],
                                                                   ("0.001", "0.01", "0.1"), FRAG)
    lang = w["$$ID-lang"]
    assert (lang.kind, lang.value, lang.fragment_id, lang.where) == ("selectbox", "English", "", 1)
    assert [s.id for s in view.sliders()] == ["$$ID-alpha", "$$ID-eps"]


def test_slider_move_sends_every_widget_and_its_fragment():
    view = opened_view()
    cs = view.slider_msg(view.widgets["$$ID-alpha"], [2.5]).rerun_script
    assert cs.fragment_id == FRAG
    assert cs.page_script_hash == PAGE_HASH and cs.page_name == ""
    assert cs.query_string == "fn=relu&alpha=1.0"
    states = {s.id: s for s in cs.widget_states.widgets}
    assert set(states) == {"$$ID-lang", "$$ID-alpha", "$$ID-eps"}
    assert list(states["$$ID-alpha"].double_array_value.data) == [2.5]
    assert list(states["$$ID-eps"].string_array_value.data) == ["0.01"]
    assert states["$$ID-lang"].string_value == "English"
    assert not view.outcome.finished  # a new action


def test_slider_outside_a_fragment_reruns_the_whole_page():
    w = Widget("$$ID-n", "slider", value=[3.0], min=1, max=8, step=1, integer=True)
    view = SessionView()
    view.widgets[w.id] = w
    cs = view.slider_msg(w, [5.0]).rerun_script
    assert cs.fragment_id == ""
    assert list(cs.widget_states.widgets[0].double_array_value.data) == [5.0]


def test_sidebar_page_change_uses_the_page_hash_and_keeps_sidebar_widgets_only():
    view = opened_view()
    cs = view.open_msg("/compare").rerun_script
    assert (cs.page_script_hash, cs.page_name, cs.query_string) == ("hash-compare", "", "")
    assert [s.id for s in cs.widget_states.widgets] == ["$$ID-lang"]


def test_fragment_run_keeps_the_learners_value_and_prunes_only_its_fragment():
    view = opened_view()
    view.slider_msg(view.widgets["$$ID-alpha"], [2.5])
    # the rerun draws alpha again without set_value (the value is the tab's own) and no longer draws eps
    feed(view, new_session("run-2", (FRAG,)), slider_delta(set_value=False), finished(FRAGMENT_FINISHED, "run-2"))
    assert view.outcome.finished and view.outcome.status == FRAGMENT_FINISHED
    assert view.widgets["$$ID-alpha"].value == [2.5]
    assert set(view.widgets) == {"$$ID-lang", "$$ID-alpha"}  # eps gone; the sidebar's language stays


def test_cached_chart_comes_back_as_a_reference():
    view = opened_view()
    chart = ForwardMsg()
    chart.delta.new_element.plotly_chart.spec = "{}" + " " * 100
    chart.delta.fragment_id = FRAG
    chart.hash, chart.metadata.cacheable = "chart-hash", True
    chart.metadata.delta_path[:] = [0, 4, 1, 1, 0]
    view.slider_msg(view.widgets["$$ID-alpha"], [2.0])
    feed(view, new_session("run-2", (FRAG,)), slider_delta(set_value=False), chart,
         finished(FRAGMENT_FINISHED, "run-2"))
    cs = view.slider_msg(view.widgets["$$ID-alpha"], [1.0]).rerun_script
    assert list(cs.cached_message_hashes) == ["chart-hash"]
    ref = ForwardMsg(ref_hash="chart-hash")
    ref.metadata.delta_path[:] = [0, 4, 1, 1, 0]
    got = view.feed(ref.SerializeToString())
    assert got.WhichOneof("type") == "delta" and got.delta.new_element.plotly_chart.spec.startswith("{}")


def test_exception_and_rerun_cut_short():
    view = opened_view()
    view.slider_msg(view.widgets["$$ID-alpha"], [2.0])
    boom = ForwardMsg()
    boom.delta.new_element.exception.type = "ValueError"
    boom.delta.new_element.exception.message = "x must be finite"
    feed(view, new_session("run-2"), finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN, "run-2"))
    assert not view.outcome.finished  # st.rerun: the action goes on
    feed(view, new_session("run-3"), boom, finished(FINISHED, "run-3"))
    assert view.outcome.finished and view.outcome.runs == 2
    assert view.outcome.exceptions == ["ValueError: x must be finite"]


def test_random_values_stay_on_the_grid_and_in_the_range():
    rng = random.Random(0)
    w = Widget("a", "slider", value=[1.0], min=0.0, max=3.0, step=0.01)
    for _ in range(200):
        (v,) = random_slider_value(w, rng)
        assert 0.0 <= v <= 3.0 and v != 1.0 and abs(v * 100 - round(v * 100)) < 1e-6
    r = Widget("x", "slider", value=[-6.0, 6.0], min=-50.0, max=50.0, step=0.5)
    for _ in range(200):
        lo, hi = random_slider_value(r, rng)
        assert -50 <= lo <= hi <= 50 and (lo, hi) != (-6.0, 6.0) and (lo * 2).is_integer() and (hi * 2).is_integer()
    n = Widget("n", "slider", value=[3.0], min=1, max=8, step=1, integer=True)
    assert all(v[0] in range(1, 9) for v in (random_slider_value(n, rng) for _ in range(50)))
    s = Widget("e", "select_slider", value=["0.01"], options=("0.001", "0.01", "0.1"), min=0, max=2, step=1)
    assert all(v[0] in ("0.001", "0.1") for v in (random_slider_value(s, rng) for _ in range(50)))
