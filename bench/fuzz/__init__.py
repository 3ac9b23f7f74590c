"""Fuzz every page's address: random and malformed query strings through AppTest, checked for what a learner sees.

Usage, from the repository root:
  python -m bench.fuzz [--count 1000] [--seed 0] [--pages all|explorer,compare,...] [--workers 2]
                       [--json results.json] [--strict]

One job per module:
  keys       What each page reads: every control the page declares, read from labs.catalog (its schemas' controls,
             including the conditional ones: sigma once init=normal, and the parameters of every activation its
             pickers can pick), flattened to KeySpecs.
  corpus     The hostile values (empty, whitespace, nan, inf, 1e999, 1e-400, 0x1F, 1_000, Arabic-Indic digits, 10 kB
             strings, emoji, Markdown/HTML/LaTeX, NUL, path traversal, lists) and unknown keys (junk, dots/brackets,
             Streamlit's own `embed`).
  generate   A seeded generator draws, per page, URLs of 0-8 parameters: the page's real keys and unknown ones (and
             other pages' keys), with valid values mixed with the corpus, out-of-range and off-step values, values of
             the wrong type, valid values of other keys and repeated keys. A control declared with `cost` (what sets
             the size of a training run) keeps to the cheapest third of its range: no value of it reads as more, so
             a lab page runs about as fast as with its defaults. Each page has its own stream
             (random.Random(f"{seed}:{page}")): the first N URLs of a page are the same whatever the other pages'
             counts. tests/test_fuzz_urls.py parses a few thousand of these URLs in-process (without the cost limit).
  record     What the page read, with which declaration and what the control ended with: an observer that
             ui.urlstate.PageState calls on every value it reads (ui.urlstate.observe), so the oracle follows the app.
  oracle     What a raw value means for a control, independently of activations/validate.py's parsers. Lenient
             readings are counted, not failed: Python's float() accepts "١٢٣", "1_000", " 1 " (NBSP), the choice
             parsers accept "RELU" and " relu ", a list may repeat or leave empty entries.
  check      For every URL:
               exception        at.exception is empty (and the run finished within the timeout)
               no-chart         the page still draws at least one Plotly chart (a page whose plain view has one)
               notice-missing   a real key of the page (one the page read in this run) whose value is not a valid
                                value for its control: the warning names it as **key**
               silent-change    a real key not named in the warning: the control got exactly the value the text
                                says (a strict reading, or a lenient one)
               valid-rejected   a strictly valid value that the page changed anyway (with a notice)
               repeat-dropped   a key given several different values: the warning names it (only one is used)
               unknown-missing  every key the page did not read is listed in the "Ignored unknown link
                                parameter(s)" line (Streamlit's own embed/embed_options excepted)
               markup-escape    outside inline code, no "<script", "javascript:", "](" ... from the raw input,
                                and the backticks are balanced
  run        One fresh AppTest per URL (a fresh session: the link is a learner's first entry into the page). Caches
             (st.cache_*, the labs' bounded caches) are per process, as on a server. With --workers 2 the URLs are
             shared by two processes, each with torch on one thread.
  report     URLs per page, exceptions with the failing URLs, notice coverage, failures by check with examples,
             lenient readings, time. `python -m bench.fuzz` exits 1 on any exception (or a run that failed to
             finish); --strict: on any failed check too.
"""
