"""The checks of one URL's run: no exception, a chart, every changed value named in the warning, every unknown key
listed, markup kept inside inline code (see the package's docstring for each check)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from labs import pages

from .generate import FOCUS, Case, short
from .oracle import NO, reading, same
from .record import Read

EMBED_KEYS = ("embed", "embed_options")  # Streamlit's own: st.query_params hides them from the app
MARKERS = ("<script", "javascript:", "](", "**bold**", "$\\frac", "<b>", "<img", "\x1b")


@dataclass
class Finding:
    check: str
    key: str | None
    raw: str | None  # the key's (last) raw value, shortened for reading
    detail: str
    value: str | None = None  # the key's (last) raw value, whole


@dataclass
class Result:
    case: Case
    seconds: float
    exceptions: list[str]
    charts: int
    warning: str
    failures: list[Finding] = field(default_factory=list)
    lenient: list[Finding] = field(default_factory=list)
    needed: int = 0  # real keys whose value had to be changed (invalid, or several values)
    named: int = 0  # ... and that the warning names
    unknown: int = 0  # keys the page did not read
    unknown_named: int = 0
    real: int = 0  # keys the page read
    py_warnings: list[str] = field(default_factory=list)


UNKNOWN_LINE = re.compile(r"Ignored (?:an|\d+) unknown link parameters?:")  # ui.urlstate.UNKNOWN_KEYS, in English


def unknown_named(key: str, line: str) -> bool:
    s = re.sub(r"[\x00-\x1f\x7f`\\]", "?", key)
    return "(empty)" in line if not s.strip() else s[:20] in line


def check(case: Case, at, reads: list[Read], seconds: float, error: str | None = None) -> Result:
    exceptions = [str(e.value) for e in at.exception] if error is None else []
    if error is not None:
        exceptions.append(error)
    try:
        warning = "\n".join(str(w.value) for w in at.warning)
        info = "\n".join(str(i.value) for i in at.info)
        charts = len(at.get("plotly_chart"))
    except Exception as e:  # a run that did not finish has no element tree
        warning, info, charts = "", "", 0
        exceptions.append(f"(no element tree: {e!r})")
    res = Result(case, seconds, exceptions, charts, warning)
    fail = res.failures.append
    if exceptions:
        fail(Finding("exception", None, None, " | ".join(x[:300] for x in exceptions)))
    if charts < 1 and pages.get(case.page).charts:
        fail(Finding("no-chart", None, None, "the page drew no chart"))

    used: dict[str, Read] = {}
    for r in reads:
        if r.page == case.page and r.fresh and r.key not in used:
            used[r.key] = r
    unknown_line = next((ln for ln in warning.splitlines() if UNKNOWN_LINE.search(ln)), "")
    for key, values in case.query:
        raw = values[-1]  # st.query_params returns the last value of a repeated key
        if key.lower() in EMBED_KEYS:
            continue
        if key in FOCUS:  # not a control: any name in it the page does not draw is said to be ignored
            stray = [k.strip() for k in raw.split(",") if k.strip() and k.strip()[:64] not in used]
            if stray and "does not have" not in warning:
                res.failures.append(Finding("focus-unnamed", key, short(raw, 40), f"{stray} ignored silently", raw))
            continue
        about = lambda check, detail: Finding(check, key, short(raw, 40), detail, raw)  # noqa: B023
        if key not in used:
            res.unknown += 1
            if unknown_named(key, unknown_line):
                res.unknown_named += 1
            else:
                fail(about("unknown-missing", "not in the 'Ignored … unknown link parameter(s)' line"))
            continue
        res.real += 1
        read = used[key]
        named = f"**{key}**" in warning
        strict, lenient = reading(read.spec, raw, True), reading(read.spec, raw, False)
        value = read.value
        must_name = (strict is NO and lenient is NO) or len(set(values)) > 1
        res.needed += must_name
        res.named += must_name and named
        if strict is not NO:
            if not same(value, strict):
                fail(about("valid-rejected" if named else "silent-change",
                           f"strictly valid, read as {strict!r}, the control got {value!r}"))
        elif lenient is not NO:
            if not named:
                if same(value, lenient):
                    res.lenient.append(about("lenient", f"accepted as {value!r}"))
                else:
                    fail(about("silent-change", f"reads as {lenient!r}, the control got {value!r}"))
        elif not named:
            fail(about("notice-missing", f"invalid, the control got {value!r}; the warning "
                       + (f"does not name it: {warning[:200]!r}" if warning else "is absent")))
        if len(set(values)) > 1 and not named:
            fail(about("repeat-dropped", f"{len(values)} values {', '.join(short(x, 20) for x in values)}: "
                                         "the last one used, no notice"))

    notices = warning + "\n" + info
    outside = re.sub(r"`[^`]*`", "", notices)
    raw_text = "\n".join(k + "\n" + "\n".join(vs) for k, vs in case.query)
    leaked = [m for m in MARKERS if m in raw_text and m in outside]
    if leaked or notices.count("`") % 2:
        fail(Finding("markup-escape", None, None, f"outside inline code: {leaked or 'unbalanced backticks'}"))
    return res
