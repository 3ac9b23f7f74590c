"""Real data's sections, drawn by its page and by lesson steps: the race."""
from __future__ import annotations

import math
from functools import partial

import streamlit as st

from charts import realdata as charts
from i18n import _, _f, fill, render
from i18n.numbers import num, percent
from labs import inits, realdata
from labs.codegen import realdata as codegen
from ui import cache, own, page, takehome
from ui.urlstate import PageState
from ui.widgets import activation_name

R = realdata.RACE


def standing_text(rank: int, st_: realdata.Standing) -> str:
    """3. ELU: 96.8% (95% interval 94.9–98.8%), ties with ReLU, SELU"""
    if math.isfinite(st_.low):
        head = _f("{rank}. {name}: {mean} ({level} interval {low}–{high})", rank=rank,
                  name=activation_name(st_.key), mean=percent(st_.mean, 1), level=percent(realdata.LEVEL),
                  low=percent(max(st_.low, 0.0), 1), high=percent(min(st_.high, 1.0), 1))
    else:
        head = _f("{rank}. {name}: {mean} (one seed: no interval)", rank=rank, name=activation_name(st_.key),
                  mean=percent(st_.mean, 1))
    if not st_.ties:
        return head
    return _f("{standing}, ties with {names}", standing=head, names=", ".join(activation_name(k) for k in st_.ties))


def ranking_text(standings: list[realdata.Standing]) -> str:
    return "  \n".join(standing_text(i + 1, s) for i, s in enumerate(standings))


def init_used(key: str, init: str) -> str:
    scheme = inits.scheme(init, key)
    short = inits.short_label(scheme, relu=scheme in realdata.RELU_GAIN)
    if scheme == "xavier_normal":
        return _f(short, gain=num(inits.init_gain(key)[0], ".3g"))
    return _(short)


def results_table(res: realdata.Race) -> str:
    head = "| " + " | ".join((_("activation"), _("init used"), _("test accuracy"), _("standard deviation over seeds"),
                              _("training accuracy"), _("training − test"), _("ms per epoch"))) + " |\n"
    head += "|---|---|---:|---:|---:|---:|---:|\n"
    train = res.train_accuracy.mean(axis=1)
    rows = [fill("| {name} | {init} | {mean} | {sd} | {train} | {gap} | {ms} |", name=activation_name(k),
                 init=init_used(k, res.config.init), mean=percent(m, 1), sd=percent(s, 1), train=percent(tr, 1),
                 gap=_f("{points} points", points=num((tr - m) * 100, ".1f")), ms=num(t * 1e3, ".3g"))
            for k, m, s, tr, t in zip(res.keys, res.mean(), res.spread(), train, res.seconds_per_epoch, strict=True)]
    return head + "\n".join(rows)


@st.fragment  # a control change reruns the race here without redrawing the page's text
def race_panel(state: PageState) -> realdata.Race | None:
    state.section("race")
    picked = state.widget(R.activations, format_func=activation_name)
    controls, main = page.split(state, [1, 2.6])
    with controls:
        values = state.widgets(R, only=[c.name for c in R if c is not R.activations])
    cfg, notes = realdata.RaceConfig.of({**values, "activations": own.keys(state, picked)}).clamped()
    for n in notes:
        state.note(n)
    with main:
        if not picked:
            st.info(_("Pick at least one activation."))
            state.end_section()
            return None
        parts = [((cfg, key, seed), partial(realdata.run_part, cfg, key, seed))  # one task each, side by side
                 for key, seed in realdata.race_parts(cfg)]
        res = page.with_progress(lambda p: cache.lab_parts("race", cfg, parts, partial(realdata.assemble, cfg), 16, p,
                                                           part_seconds=realdata.seconds(cfg) / len(parts)),
                                 _("Training every activation, seed by seed…"), show=cache.peek("race", cfg) is None)
        for n in res.notes:
            state.note(n)
        st.markdown(render(res.verdict()))
        page.preset_caption(state, realdata.PRESETS, list(R), res)
        st.markdown(_f("**Measured order**, best mean first:  \n{ranking}", ranking=ranking_text(res.ranking())))
        st.caption(_f("Each interval is the mean's {level} Student-t interval over the {n} seeds (mean ± t·s/√n, s the "
                      "sample standard deviation). Two activations tie when their own intervals overlap, pair by pair: "
                      "A may tie with B and B with C while A and C are told apart.", level=percent(realdata.LEVEL),
                      n=len(res.run_seeds)))
        names = [activation_name(k) for k in res.keys]
        page.chart(charts.accuracy_figure(names, res.final, res.run_seeds, res.chance, res.intervals(),
                                          percent(realdata.LEVEL)),
                   alt=_f("Final test accuracy of {names}, one point per seed.", names=", ".join(names)))
        if state.extras:  # the learning curves, the table and the timing: the lab page's (a lesson's where asked)
            page.chart(charts.curves_figure(names, res.loss, res.test_accuracy),
                       alt=_("Training loss and test accuracy per epoch, median over seeds with the range as a band."))
            st.caption(_("Lines: the median over seeds; bands: from the worst seed to the best."))
            left, right = st.columns([1.5, 1], gap="large")
            left.markdown(results_table(res))
            page.chart(charts.speed_figure(names, res.seconds_per_epoch), where=right,
                       alt=_("Measured milliseconds per epoch for each activation."))
        st.caption(_f("{data}: {train} training and {test} test examples (stratified split from the seed, "
                      "standardized on the training split); seeds {seeds}.",
                      data=_(realdata.DATASET_LABELS[cfg.data]), train=realdata.sizes(cfg.data)[0],
                      test=realdata.sizes(cfg.data)[1], seeds=", ".join(str(s) for s in res.run_seeds)))
    takehome.section(state, "real_data", codegen.TITLE, partial(codegen.parts, cfg), codegen.INTRO,
                     codegen.PART_TEXTS)
    state.end_section()
    return res
