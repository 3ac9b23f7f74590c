"""The data types every activation is described by: its parameters and its math."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from i18n import Note, Raw

from . import validate

ArrayFn = Callable[..., np.ndarray]


@dataclass(frozen=True)
class Param:
    """One hyperparameter of an activation, as PyTorch names it."""

    name: str  # PyTorch's keyword, e.g. "negative_slope"; also the URL key on the Explorer
    default: float | str  # PyTorch's default (a str for a choice parameter)
    low: float = 0.0  # slider minimum; the tests check f and df at both ends
    high: float = 1.0  # slider maximum
    step: float = 0.01  # slider resolution: at most ~100 stops, each drawn while dragging (ui.live)
    help: str = ""  # N_-marked; the slider's tooltip: what moving it does
    symbol: str = ""  # LaTeX symbol used in the formulas, e.g. r"\alpha"
    choices: tuple[str, ...] = ()  # non-empty for a choice parameter (GELU's approximate)

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)

    def values_to_test(self) -> tuple:
        """Both slider ends, the default and a point between: where the tests look."""
        if self.is_choice:
            return self.choices
        mid = round(self.low + 0.37 * (self.high - self.low), 6)
        return tuple(sorted({float(self.low), float(self.high), float(self.default), mid}))


@dataclass(frozen=True)
class ActivationSpec:
    """An element-wise activation: f and its derivative side by side, plus what the UI needs."""

    key: str  # torch.nn.functional name where one exists ("leaky_relu")
    name: str  # torch.nn class name where one exists ("LeakyReLU")
    family: str  # one of registry.FAMILIES (N_-marked); groups the gallery and the picker
    f: ArrayFn  # f(x, **params): float64 array, same shape as x
    df: ArrayFn  # analytic f'(x, **params), PyTorch's autograd convention at kinks
    tex: Callable[[Mapping], tuple[str, str]]  # params -> (LaTeX of f, LaTeX of f')
    params: tuple[Param, ...] = ()
    # Points where f or f' is not smooth, for the given params: the tests probe them.
    kinks: Callable[[Mapping], tuple[float, ...]] = field(default=lambda p: ())
    # params -> (fixed params, notes): repairs combinations sliders alone can't prevent.
    constrain: Callable[[dict], tuple[dict, list[Note]]] | None = None
    torch_name: str = ""  # PyTorch's identifier, shown as code: "nn.LeakyReLU", "torch.heaviside"
    torch_note: str = ""  # N_-marked words after it, if any: "not an nn module", "beyond PyTorch"
    # The PyTorch twins (OpInfo-style), each built from resolved params; torch is imported only when one is built.
    # torch_fn: params -> a function of a tensor (the tests' reference truth, autograd on the Explorer).
    torch_fn: Callable[[Mapping], Callable] | None = None
    # torch_nn: params -> the nn.Module the experiments train with; None (or a factory returning None) means
    # "wrap torch_fn in a module" (swish, binary_step, SELU with other constants). See activations.reference.
    torch_nn: Callable[[Mapping], Any] | None = None
    # What the labs need to know about it, said once here so that every lab agrees (labs.inits, labs.nets):
    # the init its paper recommends, which "matched" picks (a labs.inits key): He unless said otherwise.
    recommended_init: str = "kaiming_normal"
    # torch.nn.init.calculate_gain's nonlinearity for it ("tanh", "relu", ...; "leaky_relu" takes negative_slope);
    # None: calculate_gain has no entry for it, and the gain is 1.
    gain_nonlinearity: str | None = None
    # params -> its slope for x < 0, for the leaky ReLU family: calculate_gain's and He's `a`. None: it has none.
    negative_slope: Callable[[Mapping], float] | None = None
    negative_slope_is: str = ""  # N_-marked: which of its parameters that slope is ("its `negative_slope`")
    stochastic: bool = False  # it draws random numbers in training mode (RReLU's slopes), not only when built

    @property
    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.key} has no parameter {name!r}; it has {[p.name for p in self.params]}")

    def resolve(self, params: Mapping | None = None) -> tuple[dict, list[Note]]:
        """Defaults overlaid with `params`, clamped to slider ranges, then constrained.

        Returns the parameters to use and one note per change, so the UI can say (in its language) what it did.
        """
        out, notes = self.defaults, []
        for name, value in (params or {}).items():
            try:
                p = self.param(name)
            except KeyError:
                notes.append(Note.of(validate.NO_SUCH_PARAM, activation=self.name, raw=Raw(str(name))))
                continue
            if p.is_choice:
                out[name], note = validate.choice(name, value, p.choices, p.default)
            else:
                out[name], note = validate.number(name, value, p.low, p.high, p.default)
            if note:
                notes.append(note)
        if self.constrain is not None:
            out, more = self.constrain(out)
            notes.extend(more)
        return out, notes

    def __call__(self, x, **params) -> np.ndarray:
        return self.f(x, **params)
