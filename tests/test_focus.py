"""Focus links: a teacher's link hides or locks controls (hide=, lock=, like TensorFlow Playground's *_hide), so a
handout shows only what its lesson is about. The link's parsing is in-process (ui.address); one page run checks
what a learner sees."""
from __future__ import annotations

from pagekit import open_page

from ui.address import FOCUS_KEYS_MAX, Link, focus_keys, focus_query


def test_focus_keys_are_read_checked_and_written_back():
    assert focus_keys(["lr, opt", "opt,,init"]) == ("lr", "opt", "init")  # each once, every value given
    assert focus_keys([""]) == () and focus_keys([]) == ()
    hostile = focus_keys([",".join(f"k{i}" for i in range(10_000)) + "," + "x" * 10_000])
    assert len(hostile) == FOCUS_KEYS_MAX and all(len(k) <= 64 for k in hostile)
    link = Link({"hide": ["opt,init"], "lock": ["lr"], "lr": ["0.3"]})
    assert link.hide == ("opt", "init") and link.lock == ("lr",) and set(link.query) == {"lr"}
    assert Link({"hide": ["lr"]})  # a link that only focuses still defines the view
    assert focus_query({"opt", "init"}, {"lr"}) == {"hide": "init,opt", "lock": "lr"}
    assert focus_query(set(), set()) == {}


def test_a_focus_link_hides_locks_and_says_what_it_ignored():
    at = open_page("views/dying_relu.py", {"hide": "opt,init,nonsense", "lock": "lr", "lr": "0.3"})
    keys = {w.key for kind in ("slider", "select_slider", "selectbox", "radio", "number_input")
            for w in getattr(at, kind) if w.key}
    from labs import catalog
    assert {"opt", "init", "lr"} <= {c.url for schema in catalog.schemas("dying_relu") for c in schema}
    assert "dying_relu:opt" not in keys and "dying_relu:init" not in keys  # hidden
    assert {"dying_relu:data", "dying_relu:units"} <= keys  # the rest drawn
    lr = next(w for w in at.select_slider if w.key == "dying_relu:lr")
    assert lr.disabled and lr.value == 0.3 and "locks this control" in lr.help  # shown, locked, and why
    warnings = " ".join(w.value for w in at.warning)
    assert "nonsense" in warnings and "does not have" in warnings
    query = {k: at.query_params[k] for k in at.query_params}
    assert query.get("hide") in ("init,opt", ["init,opt"]) and query.get("lock") in ("lr", ["lr"])  # kept


def test_keys_no_widget_draws_cannot_be_hidden_and_say_so():
    """The lesson page reads lesson= and step= from the link but draws no widget for them (its buttons move between
    steps): hiding or locking them means nothing, and the page says so instead of keeping them silently."""
    at = open_page("views/lessons.py", {"lesson": "smooth", "hide": "step", "lock": "lesson"})
    warnings = " ".join(w.value for w in at.warning)
    assert "step" in warnings and "lesson" in warnings and "does not have" in warnings
    query = {k: at.query_params[k] for k in at.query_params}
    assert "hide" not in query and "lock" not in query and query.get("lesson") in ("smooth", ["smooth"])
