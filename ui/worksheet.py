"""A lesson's printable worksheet: one HTML file a teacher opens in a browser and prints on A4. Each step's text and
question with room for the answer, and its link and QR code (segno, drawn here: nothing leaves the server). The
lesson's prose is the learner's language's, its Markdown turned into HTML by markdown-it (CommonMark); math stays as
it is typed ($…$), which reads on paper."""
from __future__ import annotations

import html as escape

from markdown_it import MarkdownIt

from i18n import _, _f, current
from labs.lessons import Lesson

from .text import section

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")  # the lesson's own HTML is not passed through

CSS = """
@page { size: A4; margin: 16mm 15mm; }
body { font-family: "Noto Sans", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif;
       font-size: 11pt; line-height: 1.45; color: #111; max-width: 180mm; margin: auto; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 0 0 4pt; }
.meta { color: #555; margin-bottom: 10pt; }
.name { border-bottom: 1px solid #999; width: 70mm; display: inline-block; height: 14pt; }
section { border: 1px solid #bbb; border-radius: 4pt; padding: 8pt 10pt; margin: 0 0 8pt;
          break-inside: avoid; page-break-inside: avoid; display: flex; gap: 10pt; }
section .body { flex: 1; } section .qr { width: 30mm; text-align: center; font-size: 7pt; word-break: break-all; }
section .qr img { width: 30mm; height: 30mm; image-rendering: pixelated; }
.lines { border-bottom: 1px solid #999; height: 18pt; } .ask { font-weight: 600; margin-top: 6pt; }
a { color: #0b4f9c; }
"""


def qr_img(url: str) -> str:
    """An <img> of url's QR code as a PNG data URI (error correction M; 4 pixels a module prints sharp at 30 mm)."""
    import base64
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=4, border=2)
    return f'<img alt="QR" src="data:image/png;base64,{base64.b64encode(out.getvalue()).decode()}">'


def html(lesson: Lesson, links: list[str]) -> str:
    """The worksheet of `lesson` in the current language; `links[i]` is step i + 1's address."""
    text = lambda sec: section("lessons", lesson.id, sec)  # noqa: E731
    steps = []
    for n, (step, url) in enumerate(zip(lesson.steps, links, strict=True), start=1):
        ask = ""
        if step.question is not None:
            ask = (f'<div class="ask">{_MD.render(text(f"{n}.ask"))}</div>'
                   + '<div class="lines"></div>' * 3)
        head = escape.escape(_f("Step {n}", n=n))
        steps.append(f'<section><div class="body"><h2>{head}</h2>'
                     f'{_MD.render(text(str(n)))}{ask}</div>'
                     f'<div class="qr">{qr_img(url)}<br><a href="{escape.escape(url)}">{escape.escape(url)}</a>'
                     f'</div></section>')
    title = escape.escape(text("title"))
    meta = escape.escape(_f("{minutes} min · {steps} steps", minutes=lesson.minutes, steps=len(lesson.steps)))
    foot = escape.escape(_("Activation Lab: open each link or scan its code to run the step."))
    name = escape.escape(_("Name"))
    return (f'<!DOCTYPE html><html lang="{current()}"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head><body>"
            f"<h1>{title}</h1>"
            f'<p class="meta">{meta} · {name}: <span class="name"></span></p>'
            f"{_MD.render(text('question'))}"
            f"{''.join(steps)}"
            f'<p class="meta">{foot}</p>'
            "</body></html>")
