"""The lessons (labs.lessons, ui.lesson): every declaration checked against the labs' own declarations and texts, and
every lesson walked to its end in English and then back in Korean, predicting at each step; every claim of a reveal
asserted on the values this very run measured, with the threshold its words imply."""
import html
import importlib
import re
from urllib.parse import parse_qs

import pytest
from pagekit import open_page
from pseudokit import allowed_words
from test_korean import english_runs

import i18n
from labs import lessons
from labs.lessons import Claim, Lesson, Question, Step
from ui import lesson as ui_lesson
from ui import measured as ui_measured
from ui.text import ASSETS, parse_sections

LANGS = ("en", "ko")


def texts(lesson_id: str) -> dict[str, dict[str, str]]:
    out = {}
    for code in LANGS:
        path = ASSETS / code / "lessons" / f"{lesson_id}.md"
        out[code] = parse_sections(path.read_text(encoding="utf-8")) if path.exists() else {}
    return out


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.activate(i18n.DEFAULT)


# ---- the declarations ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", lessons.LESSONS, ids=lambda lesson: lesson.id)
def test_every_lesson_is_declared_right(lesson):
    assert 4 <= len(lesson.steps) <= 7 and 10 <= lesson.minutes <= 20
    assert lessons.problems(lesson, texts(lesson.id)) == []
    for step in lesson.steps:  # the section a step names is the one its lab page draws
        assert callable(getattr(importlib.import_module(f"views.sections.{step.page}"), step.function))


def test_every_korean_lesson_text_reads_in_korean():
    """Every section of every lesson in Korean, the teachers' notes and the reveals included: no English sentence
    (test_korean's check; the walk below shows them on the page)."""
    allowed = allowed_words()
    found = [f"{lesson.id} {sec}: {runs}" for lesson in lessons.LESSONS
             for sec, body in texts(lesson.id)["ko"].items() if (runs := english_runs(body, allowed))]
    assert found == []


def test_a_wrong_declaration_is_named():
    step = Step(lessons.DYING, {"lr": 7.0, "wings": 2}, Question("dead", low=0, high=1),
                (Claim("ratio", "<", 1), Claim("nonsense", "<", 1)))
    bad = Lesson("dying-relu", 15, (step,))
    found = "\n".join(lessons.problems(bad, texts("dying-relu")))
    assert "no control 'wings'" in found
    assert "lr=7.0" in found
    assert "'ratio'" in found and "gradient_flow" in found  # a measure of another lab's result
    assert "'nonsense'" in found
    missing = lessons.problems(Lesson("nowhere", 12, (step,)), {"en": {}, "ko": {}})
    assert any("en" in p and "'1.reveal'" in p for p in missing)


def test_a_reveal_may_use_only_its_steps_measures():
    step = lessons.get("dying-relu").steps[0]
    t = texts("dying-relu")
    t["ko"] = {**t["ko"], "1.reveal": t["ko"]["1.reveal"] + " {ratio}"}
    assert any("{ratio}" in p for p in lessons.problems(Lesson("dying-relu", 15, (step,)), t))


# ---- the worksheet ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", LANGS)
def test_the_worksheet_has_every_question_and_a_code_that_opens_its_step(code):
    import base64
    import io

    import zxingcpp
    from PIL import Image

    from ui import worksheet

    lesson = lessons.get("self-normalizing")
    links = [f"https://lab.example/lessons?lesson={lesson.id}&step={n}&lang={code}"
             for n in range(1, len(lesson.steps) + 1)]
    i18n.activate(code)
    page = worksheet.html(lesson, links)
    sections = texts(lesson.id)[code]
    assert f"<h1>{html.escape(sections['title'])}</h1>" in page and f'lang="{code}"' in page
    for n in range(1, len(lesson.steps) + 1):
        assert sections[f"{n}.ask"].split("**")[0][:30] in page  # each question, with room to answer
    assert page.count('class="lines"') == 3 * len(lesson.steps)
    assert "reveal" not in page and sections["1.reveal"][:30] not in page  # the answers are not on the sheet
    codes = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    read = [zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(c))).convert("L"))[0].text for c in codes]
    assert read == links


# ---- presets: a question before, the run's numbers after --------------------------------------------------------

@pytest.mark.parametrize(("module", "section"), [("dying", lessons.DYING), ("gradflow", lessons.PROBE),
                                                 ("realdata", lessons.RACE)])
def test_every_presets_caption_is_made_of_its_sections_measures(module, section):
    presets = importlib.import_module(f"labs.{module}").PRESETS
    for name, preset in presets.items():
        used = ui_measured.placeholders(preset.shows)
        assert used and all(lessons.MEASURES[m].section == section for m in used), (name, used)


def test_a_presets_run_says_what_it_showed():
    """The high learning rate preset's values in a link: under the run, the preset named and the run's numbers."""
    from labs import dying

    at = open_page("views/dying_relu.py", {"opt": "adam", "lr": "0.3"})
    caption = next(c.value for c in at.caption if c.value.startswith("**ReLU, learning rate too high**"))
    dead = next(m.value for m in at.metric if m.label == "dead units at the end")
    accuracy = next(m.value for m in at.metric if m.label == "final accuracy")
    assert f"{dead} of the units ended dead, and the accuracy is {accuracy}." in caption
    assert "?" in dying.PRESETS["high-lr"].why and dead not in dying.PRESETS["high-lr"].why
    at = open_page("views/dying_relu.py", {"opt": "adam", "lr": "0.3", "steps": "10"})  # no preset's values
    assert not any("this run:" in c.value for c in at.caption)


def test_open_in_the_lab_shows_the_steps_very_run():
    """The lab page opened by a step's link shows the numbers the step measured (the same settings, the same run)."""
    lesson = lessons.get("dying-relu")
    at = open_page("views/lessons.py", {"lesson": lesson.id, "step": "2"})
    predict(at, lesson, 2, lesson.steps[1].question)
    measured = at.session_state[ui_lesson.MEASURED][(lesson.id, 2)]
    link = next(e.proto for e in at.get("page_link") if e.proto.page == "dying_relu")
    lab = open_page("views/dying_relu.py", {k: v[-1] for k, v in parse_qs(link.query_string).items()})
    assert not lab.warning  # every value of the link is the lab's own
    i18n.activate("en")
    dead = next(m.value for m in lab.metric if m.label == "dead units at the end")
    assert dead == ui_measured.shown("dead", measured["dead"]) and measured["dead"] >= 0.3


# ---- walked, in English then back in Korean --------------------------------------------------------------------

def predict(at, lesson: Lesson, n: int, q: Question) -> None:
    """The first option, or the slider's lowest value, then the form's button."""
    wkey = f"_lessons:answer:{lesson.id}:{n}"
    if q.kind == "choice":
        at.radio(key=wkey).set_value(q.options[0])
    else:
        slider = at.slider(key=wkey)
        slider.set_value(slider.min)
    next(b for b in at.button if b.key.startswith(f"FormSubmitter:ask:{lesson.id}:{n}")).click().run()
    assert not at.exception, [e.value for e in at.exception]


def query(at, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) else value


def reveal_text(at) -> str:
    return "\n".join(b.value for b in [*at.success, *at.info] if "lightbulb" in str(b.icon))


@pytest.mark.long
@pytest.mark.parametrize("lesson", lessons.LESSONS, ids=lambda lesson: lesson.id)
def test_every_lesson_walked_to_its_end(lesson):
    at = open_page("views/lessons.py", {"lesson": lesson.id})
    seen = {}
    for n, step in enumerate(lesson.steps, start=1):
        assert query(at, "lesson") == lesson.id and query(at, "step") == (str(n) if n > 1 else None)
        q = step.question
        if q is not None:
            assert reveal_text(at) == ""  # nothing measured is shown before the prediction
            predict(at, lesson, n, q)
        measured = at.session_state[ui_lesson.MEASURED][(lesson.id, n)]
        failed = [f"step {n}: {c.measure} = {measured[c.measure]!r}, not {c.op} {c.value!r}"
                  for c in step.claims if not c.holds(measured[c.measure])]
        assert failed == []
        if q is not None:
            i18n.activate("en")
            text = reveal_text(at)
            assert ui_measured.shown(q.measure, measured[q.measure]) in text  # the run's value, not the text's
            assert not re.search(r"\{\w+\}", text)  # every placeholder filled
            seen[n] = text
        link = next(e.proto for e in at.get("page_link") if e.proto.page == step.page)  # "Open in the lab"
        assert parse_qs(link.query_string) == {k: [v] for k, v in lessons.settings_text(step)[0].items()}
        button = "lesson:next" if n < len(lesson.steps) else "lesson:done"
        at.button(key=button).click().run()
        assert not at.exception, [e.value for e in at.exception]
    assert query(at, "lesson") is None  # back at the list
    # In Korean, from the last step back to the first: the predictions are kept, the runs are the cache's
    at.selectbox(key="_lang_switch").set_value("ko").run()
    at.button(key=f"start:{lesson.id}").click().run()
    at.session_state[ui_lesson.AT] = (lesson.id, len(lesson.steps))
    at.run()
    allowed = allowed_words()
    for n in range(len(lesson.steps), 0, -1):
        assert not at.exception, [e.value for e in at.exception]
        i18n.activate("ko")
        body = "\n".join(m.value for m in at.markdown)
        assert re.search("[가-힣]", body)
        step_text = ui_lesson.text(lesson, str(n))  # the step's own text, as the page shows it
        assert step_text in body and english_runs(step_text, allowed) == [], step_text
        if n in seen:
            text = reveal_text(at)
            assert re.search("[가-힣]", text) and english_runs(text, allowed) == [], text
        if n > 1:
            at.button(key="lesson:back").click().run()
