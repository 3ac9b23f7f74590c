"""The skeleton every page shares: title and intro from assets, notices, charts with one config, presets."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import streamlit as st

from charts.base import chart_config
from i18n import _, _f
from labs.controls import Control, Preset
from labs.progress import Progress

from . import own
from .text import page_text
from .urlstate import PageState, apply, preset_help

T = TypeVar("T")


def start(page: str, title: str, intro: str | None = "intro") -> PageState:
    """Title (an N_-marked id), the page's intro section from assets/<lang>/pages/<page>.md, its PageState."""
    st.title(_(title))
    if intro:
        st.markdown(page_text(page, intro))
    state = PageState(page)
    own.bind(state)  # a link's formula= and range.*= belong to the app: any page may carry them
    return state


def split(state: PageState, spec, gap: str = "medium"):
    """(controls, main): a lab section's two columns; in a lesson step, whose controls are all hidden, one container
    for both, so the charts take the whole width."""
    if state.lesson:
        box = st.container()
        return box, box
    return st.columns(spec, gap=gap)


def chart(fig, alt: str, where=None, key: str | None = None) -> None:
    """A Plotly chart with the app's toolbar (2× PNG export) and its alt text, for every chart on every page."""
    (where or st).plotly_chart(fig, config=chart_config(), alt=alt, key=key)


def more(page: str, title: str, sec: str = "more") -> None:
    """The "more" expander at the foot of a page: a section of the page's text."""
    with st.expander(_(title)):
        st.markdown(page_text(page, sec))


def presets(state: PageState, presets: Mapping[str, Preset], controls: Sequence[Control],
            formats: Mapping[str, Callable] | None = None, intro: str | None = None) -> None:
    """A row of preset buttons: each sets its controls and resets the rest of `controls` to their defaults."""
    if intro:
        st.markdown(_(intro))
    defaults = {c.name: c.default for c in controls}
    cols = st.columns(len(presets))
    for col, (name, preset) in zip(cols, presets.items(), strict=True):
        # two groups, applied one after the other: a reset section may reuse the names of `controls` (depth, …)
        groups = [({**defaults, **preset.values}, controls), ({c.name: c.default for c in preset.resets},
                                                              preset.resets)]
        col.button(_(preset.label), key=f"preset:{name}", width="stretch",
                   help=preset_help(preset, controls, formats), on_click=_press, args=(state.page, groups))


def active_preset(state: PageState, presets: Mapping[str, Preset], controls: Sequence[Control]) -> Preset | None:
    """The preset whose values `controls` hold now (each control the run drew: its preset value, else its default)."""
    defaults = {c.name: c.default for c in controls}
    for preset in presets.values():
        expected = {**defaults, **preset.values}
        drawn = [c for c in controls if c.url in state.values]
        if all(c.url in state.values for c in controls if c.name in preset.values) and all(
                state.values[c.url] == expected[c.name] for c in drawn):
            return preset
    return None


def preset_caption(state: PageState, presets: Mapping[str, Preset], controls: Sequence[Control], result) -> None:
    """Under a run whose controls hold a preset's values: what this run shows, its `shows` filled from the run."""
    preset = active_preset(state, presets, controls)
    if preset is not None and preset.shows:
        from .measured import filled

        st.caption(_f("**{preset}**, this run: {shows}", preset=_(preset.label), shows=filled(_(preset.shows), result)))


def _press(page: str, groups) -> None:
    for values, controls in groups:
        apply(page, values, controls)


def with_progress(run: Callable[[Progress | None], T], label: str, show: bool = True) -> T:
    """`run(progress)` with a progress bar when `show` (labs.progress: is_long of the lab's `seconds` estimate says
    whether the job is long enough to be felt). Labs call progress(fraction, note) with a Note (or None) about where
    they are."""
    from i18n import render

    if not show:
        return run(None)
    bar = st.progress(0.0, text=label)
    try:
        return run(lambda fraction, note=None: bar.progress(
            min(max(float(fraction), 0.0), 1.0), text=f"{label} {render(note)}" if note else label))
    finally:
        bar.empty()
