"""Tables a learner reads, in their language: the measured properties of an activation."""
from __future__ import annotations

from activations.analysis import Properties
from i18n import _, fill
from i18n.numbers import num


def properties_rows(p: Properties) -> list[tuple[str, str]]:
    lo = "−∞" if not p.bounded_below else num(p.range_low, ".4g")
    hi = "∞" if not p.bounded_above else num(p.range_high, ".4g")
    yes = {True: _("yes"), False: _("no")}
    left = "[" if p.bounded_below else "("
    right = "]" if p.bounded_above else ")"
    rows = [] if p.defined else [(_("Defined everywhere"), _("no: see the gaps under the chart"))]
    return rows + [
        (_("Output range"), f"{left}{lo}, {hi}{right}"),
        (_("Bounded below"), yes[p.bounded_below]),
        (_("Bounded above"), yes[p.bounded_above]),
        (_("Zero-centered"), fill(_("{answer} (mean output for N(0,1) input: {mean})"),
                                  answer=yes[p.zero_centered], mean=num(p.gaussian_mean, ".3g"))),
        (_("Monotonic"), yes[p.monotonic]),
        (_("Continuous"), yes[p.continuous]),
        (_("Smooth (C¹)"), yes[p.smooth]),
        ("f(0)", num(p.f0, ".4g")),
        ("f′(0)", num(p.df0, ".4g")),
        (_("max |f′| (all x)"), num(p.max_abs_df, ".4g")),
    ]


def properties_table(p: Properties) -> str:
    """The properties as a Markdown table (pipes inside cells escaped)."""
    prop, value = _("Property (measured)"), _("Value")  # not inside an f-string: Babel would not extract them
    head = f"| {prop} | {value} |\n|---|---|\n"
    return head + "\n".join(f"| {a} | {b} |".replace("|f′|", "\\|f′\\|") for a, b in properties_rows(p))
