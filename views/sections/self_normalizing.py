"""Self-normalizing nets' sections, drawn by its page and by lesson steps: the depth experiment."""
from __future__ import annotations

from functools import partial

import streamlit as st

from charts import selfnorm as charts
from i18n import _, _f, fill
from i18n.numbers import num
from labs import selfnorm
from labs.codegen import selfnorm as codegen
from labs.progress import is_long
from ui import cache, own, page, takehome
from ui.urlstate import PageState
from ui.widgets import activation_name

C = selfnorm.SCHEMA


def band_table(res: selfnorm.DepthStats, depth: int) -> str:
    """The last layer's mean and std per activation, and whether it is inside the proven-stable band."""
    head = "| " + " | ".join((_("activation"), _("mean"), _("std"), _("in the band"))) + " |\n|---|---|---|---|\n"
    rows = [fill("| {name} | {mean} | {std} | {inside} |", name=activation_name(key),
                 mean=num(float(res.mean[key][-1]), "+.3f"), std=num(float(res.std[key][-1]), ".3f"),
                 inside=_("✓ yes") if res.in_band(key) else _("✗ no"))
            for key in res.mean]
    return (_f("**At layer {depth}** (green band: |mean| ≤ {mu:g}, variance in [{low:g}, {high:g}], the region the "
               "paper proves stable)", depth=depth, mu=selfnorm.STABLE_MU[1], low=selfnorm.STABLE_NU[0],
               high=selfnorm.STABLE_NU[1])
            + "\n\n" + head + "\n".join(rows))


@st.fragment  # a control change reruns only the depth experiment
@cache.holding()  # a change made before every activation's run is done drops the stale ones
def depth_panel(state: PageState) -> selfnorm.DepthStats | None:
    state.section("depth")
    # Above the columns, at the page's full width: the activation chips do not fit the narrow controls column.
    shown = own.keys(state, state.widget(C.acts, format_func=activation_name))  # "own": the formula's key
    controls, chart = page.split(state, [1, 2.8])
    with controls:
        if not state.lesson:
            st.markdown(_("**Try to break it**"))
        values = state.widgets(C, only=selfnorm.BREAK_IT)
        if not state.lesson:
            st.markdown(_("**The network**"))
        values |= state.widgets(C, only=selfnorm.NETWORK)
    cfg = selfnorm.SNConfig(**values)
    with chart:
        if not shown:
            st.info(_("Pick at least one activation."))
            state.end_section()
            return None
        todo = [k for k in shown if cache.peek("selfnorm", (cfg, k)) is None]
        for k in todo:  # every activation on a worker of its own at once, then awaited in order below
            cache.prefetch("selfnorm", (cfg, k), partial(selfnorm.layer_stats, cfg, k), 160)
        res = page.with_progress(
            lambda progress: selfnorm.depth_stats(cfg, shown, progress, memo=lambda key, _local: cache.lab(
                "selfnorm", (cfg, key), partial(selfnorm.layer_stats, cfg, key), 160)),
            _("Forwarding the batch…"), show=is_long(selfnorm.seconds(cfg, len(todo))))
        for n in res.notes:
            state.note(n)
        st.markdown(band_table(res, cfg.depth))
        page.chart(charts.depth_stats_figure(res.layers, res.mean, res.std, {k: activation_name(k) for k in shown},
                                             selfnorm.STABLE_MU, selfnorm.STABLE_STD),
                   alt=_("Mean and standard deviation of activations per layer for each activation."))
    takehome.section(state, "self_normalizing", codegen.TITLE, partial(codegen.parts, cfg, shown), codegen.INTRO,
                     codegen.PART_TEXTS)
    state.end_section()
    return res
