"""A lesson on the page (labs.lessons declares them): the list, then step by step the text, the learner's prediction,
the lab's own section at the step's settings (views.sections: the function the lab page draws), and the reveal,
filled from that run. Back / Next, "Open in the lab", For teachers and the worksheet.

The address says where the learner is (`?lesson=dying-relu&step=3`), so a teacher can send a step. A prediction is
kept in this session only: nothing about a learner is stored anywhere else.
"""
from __future__ import annotations

import importlib
from typing import Any

import streamlit as st

from i18n import N_, Nn_, Note, _, _f
from i18n.numbers import num
from labs import lessons, pages
from labs.lessons import Lesson, Question, Step

from . import lang, own, share, worksheet
from .measured import answer, filled, shown
from .text import section
from .urlstate import PageState, StepState, setting
from .widgets import activation_name

AT = "_lessons:at"  # (lesson id, step) the learner is at
PREDICTED = "_lessons:predicted"  # {(lesson id, step): the prediction}: this session's only
MEASURED = "_lessons:measured"  # {(lesson id, step): {measure: value}} of the last run shown (read by the tests)
TOO_FAR = Nn_("This lesson has {n} step: showing step {n}.", "This lesson has {n} steps: showing step {n}.")
PREDICTION_HELP = N_("Commit to an answer before the run: the reveal puts it next to what the run measured.")
LIST_HELP = N_("Back to the list of lessons.")


def text(lesson: Lesson, sec: str) -> str:
    """Section `sec` of assets/<lang>/lessons/<id>.md."""
    return section("lessons", lesson.id, sec)


def title(lesson: Lesson) -> str:
    return text(lesson, "title")


# ---- where the learner is -----------------------------------------------------------------------------------------

def where(state: PageState) -> tuple[Lesson | None, int]:
    """The lesson and step shown: a link's (checked by labs.lessons.NAV, notes for what it changed), else where this
    learner was; written back into the address."""
    ss = st.session_state
    given_lesson, lesson_id = state.read(lessons.NAV.lesson)
    given_step, n = state.read(lessons.NAV.step)
    if given_lesson or given_step:
        ss[AT] = (lesson_id, n)
    lesson_id, n = ss.get(AT, ("", 1))
    if not lesson_id:
        return None, 1
    lesson = lessons.get(lesson_id)
    if n > len(lesson.steps):
        state.notices.append(Note.count(TOO_FAR, len(lesson.steps)))
        n = len(lesson.steps)
        ss[AT] = (lesson_id, n)
    state.put(lessons.NAV.lesson.url, lesson_id)
    state.put(lessons.NAV.step.url, str(n) if n != lessons.NAV.step.default else None)
    return lesson, n


def go(lesson_id: str, n: int) -> None:
    st.session_state[AT] = (lesson_id, n)


def step_link(lesson: Lesson, n: int) -> dict[str, str]:
    """The lesson page's query for step n (in the learner's language when they chose one)."""
    query = {"lesson": lesson.id, **({"step": str(n)} if n != 1 else {})}
    return {**query, **({"lang": lang.url_value()} if lang.url_value() else {})}


def lab_link(step: Step) -> dict[str, str]:
    """The lab page's query with exactly the step's settings."""
    query, _problems = lessons.settings_text(step)  # tests keep the problems empty
    return {**query, **({"lang": lang.url_value()} if lang.url_value() else {})}


# ---- the list -----------------------------------------------------------------------------------------------------

def catalogue() -> None:
    """Every lesson: its title, the question it answers, how long, which labs; a button to start it."""
    for i, lesson in enumerate(lessons.LESSONS, start=1):
        with st.container(border=True):
            head, start = st.columns([5, 1], vertical_alignment="center")
            head.markdown(f"**{i}. {title(lesson)}**  \n{text(lesson, 'question')}")
            head.caption(_f("{minutes} min · {steps} steps · {labs}", minutes=lesson.minutes, steps=len(lesson.steps),
                            labs=", ".join(_(pages.get(p).title) for p in lesson.pages)))
            start.button(_("Start"), key=f"start:{lesson.id}", on_click=go, args=(lesson.id, 1), type="primary",
                         icon=":material/play_arrow:", width="stretch", help=_("Open the lesson at its first step."))


# ---- a step -------------------------------------------------------------------------------------------------------

def ask(lesson: Lesson, n: int, q: Question) -> None:
    """The question, then a button that keeps the prediction and runs the step."""
    wkey = f"_lessons:answer:{lesson.id}:{n}"
    percent_unit = lessons.MEASURES[q.measure].unit == "percent"
    with st.form(f"ask:{lesson.id}:{n}", border=True):
        st.markdown(text(lesson, f"{n}.ask"))
        if q.kind == "choice":
            st.radio(_("Your prediction"), q.options, key=wkey, format_func=answer, index=None, help=_(PREDICTION_HELP))
        elif percent_unit:
            st.slider(_("Your prediction"), int(q.low * 100), int(q.high * 100), int(round(q.low * 100)),
                      step=max(1, int(round(q.step * 100))), format="%d%%", key=wkey, help=_(PREDICTION_HELP))
        else:
            st.slider(_("Your prediction"), q.low, q.high, q.low, step=q.step, key=wkey, help=_(PREDICTION_HELP))
        st.form_submit_button(_("Predict, then run"), type="primary", icon=":material/play_arrow:",
                              on_click=predict, args=(lesson.id, n, wkey, percent_unit),
                              help=_("Keeps your answer and runs the step: the answer is measured, not looked up."))


def predict(lesson_id: str, n: int, wkey: str, percent_unit: bool) -> None:
    value = st.session_state.get(wkey)
    if value is None:  # a choice left open: nothing to compare, ask again
        st.session_state["_lessons:unanswered"] = (lesson_id, n)
        return
    st.session_state.setdefault(PREDICTED, {})[(lesson_id, n)] = value / 100 if percent_unit else value


def forget(lesson_id: str, n: int) -> None:
    st.session_state.get(PREDICTED, {}).pop((lesson_id, n), None)


def settings_line(step: Step) -> str:
    """What the step sets, in the lab's own words ("Learning rate: 0.3; Optimizer: Adam"); the rest is at defaults."""
    controls = lessons.step_controls(step.page)
    parts = []
    for key, value in step.settings.items():
        c = controls[key]
        if key == "formula":
            parts.append(setting(c, value, lambda v: f"`{v}`"))
        elif getattr(c, "params", None) is not None:  # an activation picker
            parts.append(setting(c, value, lambda v: ", ".join(map(activation_name, v)) if isinstance(v, list)
                                 else activation_name(v)))
        else:
            parts.append(setting(c, value))
    return _f("**Set for this step:** {settings}; every other control at its default.", settings="; ".join(parts))


def run(lesson: Lesson, n: int, step: Step) -> Any:
    """The lab's own section at the step's settings (views.sections: what the lab page draws), its result."""
    draw = getattr(importlib.import_module(f"views.sections.{step.page}"), step.function)
    state = StepState(f"lesson:{lesson.id}:{n}", lessons.settings_text(step)[0], extras=step.extras)
    if "formula" in step.settings:
        own.bind(state)  # the step's formula becomes the learner's, as an example on the own page does
    with st.container(border=True):
        if step.settings:
            st.caption(settings_line(step))
        result = draw(state)
        state.finish()
    return result


def reveal(lesson: Lesson, n: int, q: Question, result: Any, predicted: Any) -> None:
    """The prediction next to the value this run measured, then the explanation filled from the run."""
    measured = lessons.measure(q.measure, result)
    if q.kind == "choice":
        right = predicted == measured
        verdict = _("✓ as predicted") if right else _("✗ not what you predicted")
    else:
        diff = abs(float(measured) - float(predicted))
        right = diff <= q.step / 2 + 1e-12  # as close as the slider can say
        if right:
            verdict = _("✓ as predicted")
        elif lessons.MEASURES[q.measure].unit == "percent":  # a difference of shares: in percentage points
            verdict = _f("off by {diff}", diff=_f("{points} points", points=num(diff * 100, ".0f")))
        else:
            verdict = _f("off by {diff}", diff=shown(q.measure, diff))
    box = st.success if right else st.info
    box(_f("**Your prediction:** {predicted} · **this run:** {measured} ({verdict})",
           predicted=shown(q.measure, predicted), measured=shown(q.measure, measured), verdict=verdict)
        + "\n\n" + filled(text(lesson, f"{n}.reveal"), result), icon=":material/lightbulb:")
    st.button(_("Predict again"), key=f"again:{lesson.id}:{n}", on_click=forget, args=(lesson.id, n),
              icon=":material/replay:", help=_("Forget this prediction and answer the question again."))


def show_step(lesson: Lesson, n: int) -> None:
    step = lesson.steps[n - 1]
    total = len(lesson.steps)
    st.subheader(title(lesson))
    st.progress(n / total, text=_f("Step {n} of {total}", n=n, total=total))
    st.markdown(text(lesson, str(n)))
    q = step.question
    predicted = st.session_state.get(PREDICTED, {}).get((lesson.id, n))
    if q is not None and predicted is None:
        if st.session_state.pop("_lessons:unanswered", None) == (lesson.id, n):
            st.warning(_("Pick an answer first: the run is there to check it."), icon=":material/help:")
        ask(lesson, n, q)
    else:
        above = st.container()  # the reveal goes above the lab's section, which can be long (the fixes, PReLU)
        result = run(lesson, n, step)
        st.session_state.setdefault(MEASURED, {})[(lesson.id, n)] = {
            name: m.read(result) for name, m in lessons.MEASURES.items() if m.section == step.section}
        if q is not None:
            with above:
                reveal(lesson, n, q, result, predicted)
    nav(lesson, n, step)


def nav(lesson: Lesson, n: int, step: Step) -> None:
    total = len(lesson.steps)
    back, lab, forward = st.columns(3)
    if n > 1:
        back.button(_("Back"), key="lesson:back", on_click=go, args=(lesson.id, n - 1), icon=":material/arrow_back:",
                    width="stretch", help=_("The previous step; your prediction there is kept."))
    else:
        back.button(_("All lessons"), key="lesson:list", on_click=go, args=("", 1), icon=":material/list:",
                    width="stretch", help=_(LIST_HELP))
    target = pages.get(step.page)
    lab.page_link(target.view, label=_f("Open in the lab: {page}", page=_(target.title)), icon=":material/science:",
                  query_params=lab_link(step), help=_("The lab's page with exactly this step's settings, every "
                                                      "control free to move."))
    if n < total:
        forward.button(_("Next"), key="lesson:next", on_click=go, args=(lesson.id, n + 1),
                       icon=":material/arrow_forward:", type="primary", width="stretch",
                       help=_("The next step of this lesson."))
    else:
        forward.button(_("All lessons"), key="lesson:done", on_click=go, args=("", 1), icon=":material/check:",
                       type="primary", width="stretch", help=_(LIST_HELP))


def teachers(lesson: Lesson) -> None:
    """For teachers: the lesson's plan (goal, misconceptions, answers, questions) and its printable worksheet."""
    with st.expander(_("For teachers"), icon=":material/school:"):
        st.markdown(text(lesson, "teachers"))
        base = st.context.url or "http://localhost:8501"
        links = [share.link(base, "lessons", step_link(lesson, n)) for n in range(1, len(lesson.steps) + 1)]
        st.download_button(_("Download the worksheet (HTML, prints on A4)"),
                           data=lambda: worksheet.html(lesson, links), file_name=f"worksheet-{lesson.id}.html",
                           mime="text/html", icon=":material/print:",
                           help=_("Every step's question with room for the answer, and its link and QR code: open "
                                  "it in a browser and print it."))
        if share.is_local(base):
            st.caption(_("The worksheet's links name this computer: open the app at its network address to print "
                         "links your students can open."))


LESSONS_TITLE = N_("Lessons")
