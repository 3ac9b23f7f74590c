"""Dying ReLU's sections, drawn by its page and by lesson steps: the experiment (with the fixes and PReLU/RReLU
from the same weights)."""
from __future__ import annotations

from functools import partial

import streamlit as st

from charts import dying as charts
from i18n import N_, _, _f, fill, render
from i18n.numbers import percent
from labs import dying
from labs.catalog import activation_params
from labs.codegen import dying as codegen
from labs.progress import is_long
from ui import cache, own, page, takehome
from ui.urlstate import PageState
from ui.widgets import activation_name

D, T, F = dying.DATA, dying.TRAIN, dying.FIXES
BASE = "_dying_base"  # the experiment's settings at its last run: the sweep starts from them
SWEPT = "_dying_swept"  # what this learner's last sweep ran on
# What a preset sets: the data and training controls (and the parameters of the activations presets pick), the
# rest of them back to their defaults. The fixes' pickers keep their values.
PRESET_CONTROLS = [*D, *T, *(p for key in dict.fromkeys(pr.values["activation"] for pr in dying.PRESETS.values())
                             for p in activation_params(T.activation, key))]
DEAD_HELP = N_("Dead: f′(z) = 0 for every training point, so no gradient ever reaches its weights.")
INACTIVE_HELP = N_("Inactive: every training point is on the unit's negative side, z ≤ 0 where |f′(z)| < 1 (dead units "
                   "included), so each point passes back only a fraction |f′(z)| of the gradient: LeakyReLU's 0.01. "
                   "Counted for activations with a negative side (the ReLU family, ELU, SELU, GELU, SiLU, …); for "
                   "ReLU inactive and dead are the same units.")


def share(run: dying.Run, inactive: bool = False) -> str:
    """The final dead (or inactive) share of a run as the metrics show it."""
    if run.diverged_at is not None:
        return _("— (diverged)")
    return percent(run.final_inactive_fraction if inactive else run.final_dead_fraction)


def trained(cfg: dying.TrainConfig) -> dying.Run:
    """dying.train(cfg), cached by config for every session and every section (the fix, PReLU/RReLU and the main
    run share a training when they are the same config); a progress bar when the lab says it is long."""
    return page.with_progress(lambda p: cache.lab("dying", cfg, partial(dying.train, cfg), progress=p),
                              _("Training…"), show=is_long(dying.seconds(cfg)) and cache.peek("dying", cfg) is None)


@st.fragment  # a control change retrains here without redrawing the page's text or the sweep
@cache.holding()  # a change made before the runs below are done drops them (the learner's stale runs)
def experiment(state: PageState) -> dying.Run:
    """The data, network and training controls, the run's metrics and animation, then the fixes and PReLU/RReLU from
    the same weights: the run."""
    state.section("experiment")
    controls, main = page.split(state, [1, 2.6])
    with controls:
        if not state.lesson:
            st.markdown(_("**Data**"))
        values = state.widgets(D)
        if not state.lesson:
            st.markdown(_("**Network and training**"))
        act, _spec, params = own.pick(state, T.activation, format_func=activation_name)
        values.update(activation=act, **state.widgets([c for c in T if c is not T.activation]))
    cfg = dying.config(values, params)
    name = activation_name(act)
    # The sections below train from the same start: they begin now, on the second core, while this one trains.
    if dying.trains_alongside(cfg):
        cache.prefetch("dying", cfg, partial(dying.train, cfg), report=True)  # first in line: its chart comes first
        for key in (own.key_for(state, state.peek(F.fix)), state.peek(F.learned)) if state.extras else ():
            variant = dying.variant(cfg, key)
            if dying.trains_alongside(variant):
                cache.prefetch("dying", variant, partial(dying.train, variant), report=True)
    with main:
        run = trained(cfg)
        for note in run.notes:
            state.note(note)
        sided = run.inactive_fraction is not None  # an activation with a negative side: its inactive units too
        cols = iter(st.columns(4 if sided else 3))
        next(cols).metric(_("dead units at the end"), share(run), help=_(DEAD_HELP))
        if sided:
            next(cols).metric(_("inactive units at the end"), share(run, inactive=True), help=_(INACTIVE_HELP))
        next(cols).metric(_("final accuracy"), percent(run.final_accuracy))
        next(cols).metric(_("final loss"),
                          fill("{v:.3g}", v=run.final_loss) if run.diverged_at is None else _("diverged"))
        page.preset_caption(state, dying.PRESETS, PRESET_CONTROLS, run)
        page.chart(charts.training_animation(run),
                   alt=_f("Training animation of {name} on {data}: decision boundary and unit lines.", name=name,
                          data=_(dying.DATASET_LABELS[cfg.data.dataset])))
        st.caption(_("Each line is one first-layer unit's w·x + b = 0. A unit is alive on one side of its line; a "
                     "dotted grey line has every point on its dead side. Press ▶ or drag the step slider."))
    state.end_section()
    st.session_state[BASE] = cfg  # the sweep below starts from this experiment's settings
    # Fragments of their own inside this one: a change above reruns them too, a change of their picker reruns only
    # that section (one training), never the animation above (61 frames to send and draw again).
    if state.extras:  # a lesson step shows them only where its text is about them
        fixes(state, cfg, name, run)
        learned(state, cfg)
    takehome.section(state, "dying_relu", codegen.TITLE, partial(codegen.parts, cfg), codegen.INTRO,
                     codegen.PART_TEXTS)
    return run


@st.fragment
def fixes(state: PageState, cfg: dying.TrainConfig, name: str, run: dying.Run) -> None:
    state.section("fixes")
    st.subheader(_("The fixes, from the same initial weights"))
    f1, f2 = st.columns([1, 3])
    fix = state.widget(F.fix, where=f1, format_func=activation_name)
    fixed = trained(dying.variant(cfg, own.key_for(state, fix)))
    fix_name = activation_name(fix)
    for label, r in ((name, run), (fix_name, fixed)):
        f1.metric(_f("dead units: {name}", name=label), share(r), help=_(DEAD_HELP))
        if r.inactive_fraction is not None:
            f1.metric(_f("inactive units: {name}", name=label), share(r, inactive=True), help=_(INACTIVE_HELP))
    f1.metric(_f("accuracy: {name}", name=fix_name), percent(fixed.accuracy[-1]))
    page.chart(charts.dead_curves([(name, run), (fix_name, fixed)]), where=f2,
               alt=_("Share of dead units per layer over training for both activations, and of inactive units "
                     "where an activation has a negative side."))
    b1, b2 = st.columns(2)
    page.chart(charts.boundary_figure(run, _f("{name} after {steps} steps", name=name, steps=cfg.steps)), where=b1,
               alt=_f("Final decision boundary of {name}.", name=name))
    page.chart(charts.boundary_figure(fixed, _f("{name} after {steps} steps (same start)", name=fix_name,
                                                steps=cfg.steps)),
               where=b2, alt=_f("Final decision boundary of {name}.", name=fix_name))
    state.end_section()


@st.fragment
def learned(state: PageState, cfg: dying.TrainConfig) -> None:
    state.section("learned")
    st.subheader(_("PReLU and RReLU"))
    which = state.widget(F.learned, format_func=activation_name)
    other = trained(dying.variant(cfg, which))
    if which == "prelu" and other.prelu_slopes is not None:
        page.chart(charts.prelu_figure(other), alt=_("PReLU's learned negative slope per layer over training."))
        st.caption(render(dying.prelu_summary(other)))
    elif which == "rrelu" and other.rrelu_train_slopes is not None:
        page.chart(charts.rrelu_figure(other),
                   alt=_("Histogram of RReLU's random training slopes and its fixed evaluation slope."))
        st.caption(render(dying.rrelu_summary(other)))
    state.end_section()
