"""Formulas to click on the Your own activation page, each with where it comes from and the parameters it uses."""
from __future__ import annotations

from dataclasses import dataclass

from i18n import N_

from ..spec import Param


@dataclass(frozen=True)
class Example:
    """A formula to click, with where it comes from and the parameters it uses."""

    key: str
    formula: str
    origin: str  # N_-marked: one line on where it comes from
    params: tuple[Param, ...] = ()  # a, b, c with their default, slider range and help

    @property
    def defaults(self) -> dict[str, float]:
        return {p.name: float(p.default) for p in self.params}


EXAMPLES: tuple[Example, ...] = (
    Example("snake", "x + sin(a*x)**2/a",
            N_("Snake (Ziyin, Hartwig & Ueda, 2020): x + sin²(ax)/a, monotonic with a periodic ripple, proposed "
               "so that networks can learn periodic functions."),
            (Param("a", 1.0, 0.1, 10.0, 0.1, N_("Frequency of the ripple: larger a, faster and smaller wiggles.")),)),
    Example("siren", "sin(a*x)",
            N_("SIREN (Sitzmann et al., 2020): sin(ω₀x) with ω₀ = 30 in the first layer, for networks that "
               "represent images, sounds and shapes as functions."),
            (Param("a", 1.0, 0.1, 30.0, 0.1, N_("The frequency ω₀: SIREN uses 30 in its first layer.")),)),
    Example("gaussian", "exp(-x**2)",
            N_("Gaussian: the bump of radial-basis-function networks; not monotonic, and its gradient vanishes on "
               "both sides.")),
    Example("bent_identity", "(sqrt(x**2 + 1) - 1)/2 + x",
            N_("Bent identity: a smooth curve between the identity and a rectifier, from the classic lists of "
               "activations.")),
    Example("arctan", "arctan(x)",
            N_("Arctangent: sigmoid-shaped, but its tails approach ±π/2 slowly (like 1/x), so it saturates later "
               "than tanh.")),
    Example("tanhexp", "x*tanh(exp(x))",
            N_("TanhExp (Liu & Di, 2020): x·tanh(eˣ), proposed for lightweight networks.")),
    Example("serf", "x*erf(softplus(x))",
            N_("Serf (Nag & Bhattacharyya, 2021): x·erf(ln(1 + eˣ)), a self-gated cousin of Mish and GELU.")),
    Example("squareplus", "(x + sqrt(x**2 + b))/2",
            N_("Squareplus (Barron, 2021): a softplus-like rectifier made of algebra only (no exp, no log); b sets "
               "how round the corner is, and b = 0 gives ReLU."),
            (Param("b", 4.0, 0.0, 10.0, 0.1, N_("Roundness of the corner at 0: b = 0 is ReLU's sharp corner.")),)),
    Example("elu", "where(x > 0, x, a*(exp(x) - 1))",
            N_("ELU rebuilt from its definition (Clevert et al., 2015): it matches the built-in ELU, derivative "
               "at 0 included."),
            (Param("a", 1.0, 0.0, 3.0, 0.01, N_("ELU's α: the value approached for very negative x is −α.")),)),
)


def example(key: str) -> Example:
    for ex in EXAMPLES:
        if ex.key == key:
            return ex
    raise KeyError(f"no example {key!r}; the examples are {[e.key for e in EXAMPLES]}")
