"""Tables a learner reads, in their language: the measured properties of an activation."""
from __future__ import annotations

from activations.analysis import Properties
from i18n import _, fill


def properties_rows(p: Properties) -> list[tuple[str, str]]:
    lo = "−∞" if not p.bounded_below else fill("{v:.4g}", v=p.range_low)
    hi = "∞" if not p.bounded_above else fill("{v:.4g}", v=p.range_high)
    yes = {True: _("yes"), False: _("no")}
    left = "[" if p.bounded_below else "("
    right = "]" if p.bounded_above else ")"
    return [
        (_("Output range"), f"{left}{lo}, {hi}{right}"),
        (_("Bounded below"), yes[p.bounded_below]),
        (_("Bounded above"), yes[p.bounded_above]),
        (_("Zero-centered"), fill(_("{answer} (mean output for N(0,1) input: {mean:.3g})"),
                                  answer=yes[p.zero_centered], mean=p.gaussian_mean)),
        (_("Monotonic"), yes[p.monotonic]),
        (_("Continuous"), yes[p.continuous]),
        (_("Smooth (C¹)"), yes[p.smooth]),
        ("f(0)", fill("{v:.4g}", v=p.f0)),
        ("f′(0)", fill("{v:.4g}", v=p.df0)),
        (_("max |f′| (all x)"), fill("{v:.4g}", v=p.max_abs_df)),
    ]


def properties_table(p: Properties) -> str:
    """The properties as a Markdown table (pipes inside cells escaped)."""
    prop, value = _("Property (measured)"), _("Value")  # not inside an f-string: Babel would not extract them
    head = f"| {prop} | {value} |\n|---|---|\n"
    return head + "\n".join(f"| {a} | {b} |".replace("|f′|", "\\|f′\\|") for a, b in properties_rows(p))
