"""Lessons: a guided course. Each step shows a lab's own section at set values; the learner predicts, runs, and the
reveal is filled from the run (ui.lesson; the lessons are declared in labs.lessons)."""
from i18n import N_
from ui import lesson as lessons
from ui import page

state = page.start("lessons", N_("Lessons"))
current, n = lessons.where(state)
if current is None:
    lessons.catalogue()
else:
    lessons.show_step(current, n)
    lessons.teachers(current)
page.more("lessons", N_("How the lessons work"))
state.finish()
