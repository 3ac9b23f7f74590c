"""The guided lessons, declared as data (no Streamlit): each step names a lab page's section, its settings (a partial
mapping of that page's declared controls, by URL key, checked by the same declarations as a link), an optional
question, and the claims its text makes about the run. The prose is in assets/<lang>/lessons/<id>.md:

- `title`, `question` (what the lesson answers), `teachers` (goal, misconceptions, answers, discussion);
- per step n: `n` (the text before the run), `n.ask` (the question, when the step has one), `n.reveal` (after the
  run: a template whose {names} are this step's measures, filled from the run).

A measure is a named function of what the section returns (views.sections.<page>.<section>); a Question is checked
against one. A Claim is a sentence of the reveal as a test reads it: the measure, a comparison and the threshold the
words imply; tests/test_lessons.py runs every step at its settings and asserts every claim.
Adding a lesson is one declaration below and two Markdown files.
"""
from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from i18n import N_

from .controls import Choice, Control, Number, Schema

# ---- what a step can measure -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    section: str  # "page:function" of views.sections whose result it reads
    read: Callable[[Any], Any]
    # how it is shown: "number" (3 significant digits), "percent", "sci", "int", "answer" (a choice's label), "names"
    # (activation keys, by name)
    unit: str = "number"


def _clipped_loss(runs) -> float:
    """The worse clipped run's final loss (runs[1:]: clip_grad_norm_, clip_grad_value_), inf where one diverged."""
    return max(r.result.final_loss if r.result.final_loss is not None and r.result.diverged_at is None else math.inf
               for r in runs[1:])


def _start_loss(runs) -> float:
    """The loss before the first step: the runs start from the same weights."""
    return float(runs[1].result.loss[0])


def _first_below(f: np.ndarray) -> bool:
    """Whether a curve goes down anywhere (it dips and rises again: not monotonic increasing)."""
    return bool(np.any(np.diff(f[np.isfinite(f)]) < -1e-12))


def _band(ratio: float) -> str:
    if not math.isfinite(ratio) or ratio < 1e-2:
        return "vanish"
    return "explode" if ratio > 1e2 else "level"


def _trend(first: float, last: float) -> str:
    r = last / first if first else math.inf
    return "shrinks" if r < 0.1 else "grows" if r > 10 else "steady"


EXPLORER, COMPARE = "explorer:curve", "compare:compared"
COLLAPSE, XOR, RELUS, ZERO = ("why_nonlinear:collapse_panel", "why_nonlinear:xor_panel", "why_nonlinear:relu_panel",
                              "why_nonlinear:zero_panel")
PROBE, CLIP = "gradient_flow:probe_panel", "gradient_flow:train_panel"
DYING, DEPTH, RACE = "dying_relu:experiment", "self_normalizing:depth_panel", "real_data:race_panel"

MEASURES: dict[str, Measure] = {
    # one function's curve (ui.curve_panel.Drawn)
    "max_df": Measure(EXPLORER, lambda d: float(np.nanmax(d.df))),
    "min_f": Measure(EXPLORER, lambda d: float(np.nanmin(d.f))),
    "f_left": Measure(EXPLORER, lambda d: float(d.f[0])),  # at the left end of the x range
    "x_left": Measure(EXPLORER, lambda d: float(d.x[0])),
    "f_at_0": Measure(EXPLORER, lambda d: float(d.f[int(np.argmin(np.abs(d.x)))])),
    "amplifies": Measure(EXPLORER, lambda d: "yes" if float(np.nanmax(np.abs(d.df))) > 1 else "no", "answer"),
    # several curves ((picked, {key: (x, f, f′)}))
    "n_dips": Measure(COMPARE, lambda r: sum(_first_below(c[1]) for c in r[1].values()), "int"),
    "dippers": Measure(COMPARE, lambda r: tuple(k for k, c in r[1].items() if _first_below(c[1])), "names"),
    # why non-linear
    "collapse_diff": Measure(COLLAPSE, lambda c: float(c.max_abs_diff), "sci"),
    "collapse_same": Measure(COLLAPSE, lambda c: "same" if c.max_abs_diff < 1e-9 else "different", "answer"),
    "linear_accuracy": Measure(XOR, lambda r: float(r["linear"].accuracy), "percent"),
    "nonlinear_accuracy": Measure(XOR, lambda r: float(r["nonlinear"].accuracy), "percent"),
    "linear_solves": Measure(XOR, lambda r: "yes" if r["linear"].accuracy == 1 else "no", "answer"),
    "fit_max_err": Measure(RELUS, lambda f: float(f.max_err)),
    "fit_close": Measure(RELUS, lambda f: "yes" if f.max_err < 0.05 else "no", "answer"),
    "steps_positive": Measure(ZERO, lambda z: z.positive.steps_to_converge, "int"),
    "steps_centred": Measure(ZERO, lambda z: z.centred.steps_to_converge, "int"),
    "same_sign": Measure(ZERO, lambda z: float(z.share_same_sign), "percent"),
    "faster": Measure(ZERO, lambda z: "centred" if (z.centred.steps_to_converge or math.inf)
                      < (z.positive.steps_to_converge or math.inf) else "positive", "answer"),
    # gradient flow
    "ratio": Measure(PROBE, lambda r: float(r.first_last_ratio), "sci"),
    "ratio_band": Measure(PROBE, lambda r: _band(float(r.first_last_ratio)), "answer"),
    "std_first": Measure(PROBE, lambda r: float(r.act_std[0]), "sci"),
    "std_last": Measure(PROBE, lambda r: float(r.act_std[-1]), "sci"),
    "std_trend": Measure(PROBE, lambda r: _trend(float(r.act_std[0]), float(r.act_std[-1])), "answer"),
    "gain": Measure(PROBE, lambda r: float(r.gain)),
    "unclipped_diverges": Measure(CLIP, lambda runs: "yes" if runs[0].result.diverged_at is not None else "no",
                                  "answer"),
    "diverged_at": Measure(CLIP, lambda runs: runs[0].result.diverged_at, "int"),
    "clipped_loss": Measure(CLIP, _clipped_loss),
    "start_loss": Measure(CLIP, _start_loss),
    # "trained from {start_loss} to {clipped_loss} or less": what is left of the first loss
    "clipped_fall": Measure(CLIP, lambda runs: _clipped_loss(runs) / _start_loss(runs)),
    # dying ReLU
    "dead": Measure(DYING, lambda r: float(r.final_dead_fraction) if r.diverged_at is None else math.nan, "percent"),
    "inactive": Measure(DYING, lambda r: float(r.final_inactive_fraction)
                        if r.diverged_at is None and r.final_inactive_fraction is not None else math.nan, "percent"),
    "accuracy": Measure(DYING, lambda r: float(r.final_accuracy), "percent"),
    # self-normalizing
    "n_in_band": Measure(DEPTH, lambda r: sum(r.in_band(k) for k in r.mean), "int"),
    "selu_in_band": Measure(DEPTH, lambda r: "yes" if r.in_band("selu") else "no", "answer"),
    "selu_mean": Measure(DEPTH, lambda r: float(r.mean["selu"][-1])),
    "selu_std": Measure(DEPTH, lambda r: float(r.std["selu"][-1])),
    # real data
    "winner": Measure(RACE, lambda r: r.ranking()[0].key, "answer"),
    "best_accuracy": Measure(RACE, lambda r: float(r.ranking()[0].mean), "percent"),
    "worst_accuracy": Measure(RACE, lambda r: float(r.ranking()[-1].mean), "percent"),
    "n_learned": Measure(RACE, lambda r: int(sum(m > 0.5 for m in r.mean())), "int"),
    "learned": Measure(RACE, lambda r: tuple(k for k, m in zip(r.keys, r.mean(), strict=True) if m > 0.5), "names"),
    "sigmoid_accuracy": Measure(RACE, lambda r: float(r.mean()[r.keys.index("sigmoid")]), "percent"),
    "relu_accuracy": Measure(RACE, lambda r: float(r.mean()[r.keys.index("relu")]), "percent"),
}

# The answers a choice question offers that are not activations (an activation is shown by its name)
ANSWERS: dict[str, str] = {
    "yes": N_("yes"), "no": N_("no"),
    "same": N_("the same, up to round-off"), "different": N_("clearly different"),
    "vanish": N_("far below 1 (below 0.01): vanishing"), "level": N_("about level (0.01 to 100)"),
    "explode": N_("far above 1 (above 100): exploding"),
    "shrinks": N_("shrinks (to under a tenth)"), "steady": N_("stays within a factor of 10"),
    "grows": N_("grows (more than tenfold)"),
    "positive": N_("all-positive inputs"), "centred": N_("zero-centred inputs"),
}

# ---- the declarations ----------------------------------------------------------------------------------------------

OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}


@dataclass(frozen=True)
class Claim:
    measure: str
    op: str  # one of OPS
    value: Any

    def holds(self, measured: Any) -> bool:
        return OPS[self.op](measured, self.value)


@dataclass(frozen=True)
class Question:
    measure: str  # what the prediction is checked against
    options: tuple[str, ...] = ()  # a choice: ANSWERS keys or activation keys; empty: a number on a slider
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01

    @property
    def kind(self) -> str:
        return "choice" if self.options else "number"


@dataclass(frozen=True)
class Step:
    section: str  # "page:function" in views.sections
    settings: Mapping[str, Any] = field(default_factory=dict)  # URL key -> value, as a link would set it
    question: Question | None = None
    claims: tuple[Claim, ...] = ()
    # the section's further parts too (Dying ReLU's fixes and PReLU/RReLU, Gradient flow's initialization, Real
    # data's learning curves, table and timing): only where the step's text is about them
    extras: bool = False

    @property
    def page(self) -> str:
        return self.section.partition(":")[0]

    @property
    def function(self) -> str:
        return self.section.partition(":")[2]


@dataclass(frozen=True)
class Lesson:
    id: str
    minutes: int
    steps: tuple[Step, ...]

    @property
    def pages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.page for s in self.steps))


def C(measure: str, op: str, value: Any) -> Claim:  # noqa: N802 (short, to read the declarations)
    return Claim(measure, op, value)


SHARE = dict(low=0.0, high=1.0, step=0.01)  # a share or an accuracy, shown in percent
BANDS = ("vanish", "level", "explode")
TRENDS = ("shrinks", "steady", "grows")

LESSONS: tuple[Lesson, ...] = (
    Lesson("nonlinear", 12, (
        Step(COLLAPSE, {"c.seed": 0}, Question("collapse_same", ("same", "different")),
             (C("collapse_diff", "<", 1e-12),)),
        Step(XOR, {"x.depth": 3, "x.act": "relu"}, Question("linear_accuracy", **SHARE),
             (C("linear_accuracy", "<=", 0.75), C("nonlinear_accuracy", ">=", 0.95))),
        Step(XOR, {"x.depth": 8, "x.act": "relu"}, Question("linear_solves", ("yes", "no")),
             (C("linear_accuracy", "<=", 0.75), C("nonlinear_accuracy", ">=", 0.95))),
        Step(RELUS, {"r.mode": "fit", "r.target": "sin", "r.k": 2}),
        Step(RELUS, {"r.mode": "fit", "r.target": "sin", "r.k": 16}, Question("fit_close", ("yes", "no")),
             (C("fit_max_err", "<", 0.05),)),
    )),
    Lesson("sigmoid", 15, (
        Step(EXPLORER, {"fn": "sigmoid"}, Question("max_df", low=0.0, high=1.0, step=0.05),
             (C("max_df", "<=", 0.25 + 1e-12), C("max_df", ">=", 0.2499), C("f_at_0", "==", 0.5))),
        Step(PROBE, {"act": "sigmoid", "depth": 20, "init": "default"}, Question("ratio_band", BANDS),
             (C("ratio", "<", 1e-6),)),
        Step(ZERO, {"z.lr": 3.0}, Question("faster", ("positive", "centred")),
             (C("faster", "==", "centred"), C("same_sign", "==", 1.0))),
        Step(EXPLORER, {"fn": "tanh"}, Question("max_df", low=0.0, high=1.0, step=0.05),
             (C("max_df", ">=", 0.999), C("f_at_0", "==", 0.0))),
        Step(PROBE, {"act": "tanh", "depth": 20, "init": "default"}, Question("ratio_band", BANDS),
             (C("ratio_band", "==", "level"), C("std_last", "<", 1e-3))),
    )),
    Lesson("depth", 18, (
        Step(PROBE, {"act": "sigmoid", "depth": 5, "init": "default"}, Question("ratio_band", BANDS),
             (C("ratio", "<", 1e-2),)),
        Step(PROBE, {"act": "relu", "depth": 20, "init": "default"}, Question("std_trend", TRENDS),
             (C("std_trend", "==", "shrinks"), C("std_last", "<", 1e-3))),
        Step(PROBE, {"act": "relu", "depth": 20, "init": "kaiming_normal"}, Question("std_trend", TRENDS),
             (C("std_trend", "==", "steady"), C("ratio_band", "==", "level"))),
        Step(PROBE, {"act": "tanh", "depth": 20, "init": "xavier_normal"}, Question("std_trend", TRENDS),
             (C("std_trend", "==", "steady"), C("gain", ">", 1.66), C("gain", "<", 1.67))),
        # "trained": the loss fell by a quarter or more. Its end depends on the CPU's float kernels (seed 0: 0.04-0.24
        # from 0.45 over AVX-512, AVX2, no SIMD and MKL_CBWR=COMPATIBLE; at most 0.54 of the start)
        Step(CLIP, {"t.act": "relu", "t.init": "normal", "t.sigma": 0.2, "t.lr": 0.05},
             Question("unclipped_diverges", ("yes", "no")),
             (C("unclipped_diverges", "==", "yes"), C("diverged_at", "<=", 10), C("clipped_fall", "<", 0.75))),
    )),
    Lesson("dying-relu", 15, (
        Step(DYING, {"act": "relu", "opt": "sgd", "lr": 0.1}, Question("dead", **SHARE),
             (C("dead", "<=", 0.15), C("accuracy", ">=", 0.9))),
        Step(DYING, {"act": "relu", "opt": "adam", "lr": 0.3}, Question("dead", **SHARE),
             (C("dead", ">=", 0.3), C("accuracy", ">=", 0.95))),
        Step(DYING, {"act": "relu", "opt": "adam", "lr": 0.01, "bias": "constant", "bias_value": -3.0},
             Question("dead", **SHARE), (C("dead", "==", 1.0), C("accuracy", "<=", 0.55))),
        Step(DYING, {"act": "relu", "opt": "adam", "lr": 0.3, "units": 8, "data": "spiral"},
             Question("accuracy", **SHARE), (C("dead", ">=", 0.3), C("accuracy", "<", 0.95))),
        Step(DYING, {"act": "leaky_relu", "opt": "adam", "lr": 0.3}, Question("dead", **SHARE),
             (C("dead", "==", 0.0), C("inactive", ">=", 0.1), C("accuracy", ">=", 0.95)), extras=True),
    )),
    Lesson("smooth", 12, (
        Step(COMPARE, {"fns": ["elu", "selu", "gelu", "silu", "mish"], "show": "f"},
             Question("n_dips", low=0, high=5, step=1),
             (C("n_dips", "==", 3), C("dippers", "==", ("gelu", "silu", "mish")))),
        Step(EXPLORER, {"fn": "elu"}, Question("f_left", low=-2.0, high=0.0, step=0.05),
             (C("f_left", ">", -1.0), C("f_left", "<", -0.99))),
        Step(EXPLORER, {"fn": "gelu"}, Question("min_f", low=-0.5, high=0.0, step=0.01),
             (C("min_f", ">", -0.18), C("min_f", "<", -0.16))),
        Step(EXPLORER, {"fn": "silu"}, Question("amplifies", ("yes", "no")), (C("max_df", ">", 1.05),)),
        Step(EXPLORER, {"fn": "selu"}, Question("max_df", low=0.0, high=2.0, step=0.05),
             (C("max_df", ">", 1.75), C("max_df", "<", 1.76))),
    )),
    Lesson("self-normalizing", 15, (
        Step(DEPTH, {"acts": ["selu", "relu", "tanh", "elu", "sigmoid"]}, Question("n_in_band", low=0, high=5, step=1),
             (C("n_in_band", "==", 1), C("selu_in_band", "==", "yes"))),
        Step(DEPTH, {"acts": ["selu"], "in_mean": 1.0}, Question("selu_in_band", ("yes", "no")),
             (C("selu_in_band", "==", "yes"),)),
        Step(DEPTH, {"acts": ["selu"], "init": "kaiming_normal"}, Question("selu_in_band", ("yes", "no")),
             (C("selu_in_band", "==", "no"),)),
        Step(DEPTH, {"acts": ["selu"], "dropout": "dropout"}, Question("selu_in_band", ("yes", "no")),
             (C("selu_in_band", "==", "no"),)),
        Step(DEPTH, {"acts": ["selu"], "dropout": "alpha_dropout"}, Question("selu_in_band", ("yes", "no")),
             (C("selu_in_band", "==", "yes"),)),
    )),
    Lesson("choosing", 20, (
        Step(RACE, {"depth": 2, "init": "matched", "seeds": 2},
             Question("winner", ("selu", "elu", "leaky_relu", "relu", "tanh", "sigmoid")),
             (C("worst_accuracy", ">", 0.9),)),
        Step(RACE, {"depth": 10, "init": "default", "seeds": 2}, Question("n_learned", low=0, high=6, step=1),
             (C("n_learned", "==", 3), C("relu_accuracy", "<", 0.15), C("sigmoid_accuracy", "<", 0.15))),
        Step(RACE, {"lr": 1.0, "seeds": 2}, Question("sigmoid_accuracy", **SHARE),
             (C("sigmoid_accuracy", ">", 0.9), C("relu_accuracy", "<", 0.15))),
        Step(RACE, {"data": "breast_cancer"}, Question("winner", ("selu", "elu", "leaky_relu", "relu", "tanh",
                                                                  "sigmoid")),
             (C("worst_accuracy", ">", 0.9),)),
    )),
    Lesson("own", 15, (
        Step(EXPLORER, {"fn": "own", "formula": "x*sigmoid(x)"}, Question("max_df", low=0.0, high=2.0, step=0.05),
             (C("max_df", ">", 1.09), C("max_df", "<", 1.11))),
        Step(DYING, {"act": "own", "formula": "x*sigmoid(x)"}, Question("accuracy", **SHARE),
             (C("accuracy", ">=", 0.85),)),
        Step(DYING, {"act": "own", "formula": "0.5*x", "data": "circles"}, Question("accuracy", **SHARE),
             (C("accuracy", "<=", 0.7),)),
        Step(PROBE, {"act": "own", "formula": "x*sigmoid(x)", "depth": 20, "init": "kaiming_normal"},
             Question("ratio_band", BANDS), (C("ratio_band", "==", "level"),)),
    )),
)
BY_ID: dict[str, Lesson] = {lesson.id: lesson for lesson in LESSONS}
MAX_STEPS = max(len(lesson.steps) for lesson in LESSONS)


def get(lesson_id: str) -> Lesson:
    """The lesson `lesson_id`; an unknown id raises KeyError naming the lessons."""
    if lesson_id not in BY_ID:
        raise KeyError(f"no lesson {lesson_id!r}; lessons: {', '.join(BY_ID)}")
    return BY_ID[lesson_id]


def measure(name: str, result: Any) -> Any:
    return MEASURES[name].read(result)


def text_sections(lesson: Lesson) -> tuple[str, ...]:
    """The sections its Markdown must have: title, question, teachers, and per step its text, question and reveal."""
    out = ["title", "question", "teachers"]
    for n, s in enumerate(lesson.steps, start=1):
        out += [str(n), f"{n}.reveal"] if s.question else [str(n)]
        if s.question:
            out.append(f"{n}.ask")
    return tuple(out)


# ---- the lesson page's own address: ?lesson=dying-relu&step=3 --------------------------------------------------

NAV = Schema(
    Choice("lesson", N_("Lesson"), N_("The lesson shown; none: the list of lessons."), "",
           options=("", *BY_ID)),
    Number("step", N_("Step"), N_("The step of the lesson shown."), 1, low=1, high=MAX_STEPS, step=1),
)
SCHEMAS = {"nav": NAV}


def step_controls(page: str) -> dict[str, Control]:
    """The controls a step on `page` may set, by URL key: the page's own (labs.catalog) and the learner's formula's
    (app-wide, as on every page)."""
    from . import catalog
    from . import own as own_lab

    found = {c.url: c for c in catalog.controls(page)}
    found[own_lab.FORMULA.url] = own_lab.FORMULA
    return found


def settings_text(step: Step) -> tuple[dict[str, str], list[str]]:
    """The step's settings as a link carries them (URL key -> text), and what is wrong with them: a key the page
    does not have, or a value its declaration changes (out of range, not an option). A test keeps the second empty."""
    controls = step_controls(step.page)
    out, problems = {}, []
    for key, value in step.settings.items():
        c = controls.get(key)
        if c is None:
            problems.append(f"{step.page} has no control {key!r}")
            continue
        parsed, note = c.parse(value)
        if note is not None or parsed != value:
            problems.append(f"{step.page}: {key}={value!r} is not a value of its control (it reads {parsed!r})")
        out[key] = c.encode(parsed)
    return out, problems


def problems(lesson: Lesson, texts: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Everything wrong with a declaration, each naming what it is: its settings (labs.catalog's controls), its
    questions' and claims' measures (of its own section's result), and its texts in every language of `texts`
    (language -> section -> Markdown): every section it needs, and reveals that use only their step's measures."""
    import string

    import activations

    out = []
    for n, step in enumerate(lesson.steps, start=1):
        where = f"{lesson.id} step {n}"
        out += [f"{where}: {p}" for p in settings_text(step)[1]]
        q = step.question
        named = [c.measure for c in step.claims] + ([q.measure] if q else [])
        for name in named:
            m = MEASURES.get(name)
            if m is None:
                out.append(f"{where}: no measure {name!r}")
            elif m.section != step.section:
                out.append(f"{where}: {name!r} measures {m.section}, not this step's {step.section}")
        out += [f"{where}: no comparison {c.op!r}" for c in step.claims if c.op not in OPS]
        if q is not None:
            out += [f"{where}: no answer {o!r}" for o in q.options
                    if o not in ANSWERS and o not in activations.REGISTRY]
        for lang, sections in texts.items():
            reveal = sections.get(f"{n}.reveal", "")
            for _lit, name, _spec, _conv in string.Formatter().parse(reveal):
                if name is not None and (name not in MEASURES or MEASURES[name].section != step.section):
                    out.append(f"{lang}: {where}'s reveal uses {{{name}}}, not a measure of {step.section}")
    for lang, sections in texts.items():
        out += [f"{lang}: lessons/{lesson.id}.md has no section {sec!r}" for sec in text_sections(lesson)
                if not sections.get(sec, "").strip()]
    return out
