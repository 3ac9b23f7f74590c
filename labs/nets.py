"""The labs' network: an MLP from a spec, depth x [Linear -> activation (-> dropout)] and a head, in torch.nn.

Every lab builds its net here, from the registry's torch twins (activations.reference.torch_module) and the one
table of inits (labs.inits), as a plain nn.Sequential: what a learner would write in PyTorch. The spec also fixes
the order of the random draws, so that a lab's seed keeps giving the same weights. Call build() inside
seeding.seeded. torch is imported on first use.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from . import inits

if TYPE_CHECKING:
    from torch import Tensor, nn

DROPOUTS: tuple[str, ...] = ("none", "dropout", "alpha_dropout")  # none, nn.Dropout, nn.AlphaDropout


@dataclass(frozen=True)
class MLP:
    inputs: int  # input features
    depth: int  # hidden layers
    width: int  # units per hidden layer
    outputs: int | None = 1  # a head Linear(width, outputs), PyTorch's default init; None: no head
    activation: str | None = "relu"  # registry key or a formula's key; None: no activation (a linear stack)
    params: tuple = ()  # the activation's parameters, sorted (name, value) pairs
    bias: bool = True
    init: str = "default"  # a labs.inits.SCHEMES key: how the hidden layers' weights are drawn
    # The activation the init is drawn for (He's slope, Xavier's gain), at its default parameters; None: the net's
    # own, with `params`. "relu": the same weights whatever the activation.
    init_for: str | None = None
    sigma: float = 1.0  # the std of init "normal"
    bias_init: str = "default"  # one of labs.inits.BIAS_INITS, for the hidden layers
    bias_value: float = 0.0  # for bias_init "constant"
    dropout: str = "none"  # one of DROPOUTS, after every activation
    dropout_rate: float = 0.0
    residual: bool = False  # h <- h + block(h) instead of block(h); needs inputs == width
    # The order of the random draws. False: each hidden Linear is built and drawn before the next one, the head last
    # (Gradient flow, Self-normalizing, Why non-linear). True: every Linear, the head included, is built with PyTorch's
    # default init first, and only then are the hidden ones drawn again (Dying ReLU, Real data).
    defaults_first: bool = False
    # Build the hidden Linears without nn.Linear's own default draws (nn.utils.skip_init): a net whose init draws
    # every weight anyway saves that time (Self-normalizing). Not with init "default".
    skip_default: bool = False

    @property
    def modules_per_layer(self) -> int:
        return 1 if self.residual else 1 + (self.activation is not None) + (self.dropout != "none")


def linears(spec: MLP) -> tuple[list[nn.Linear], nn.Linear | None]:
    """The hidden Linears, drawn as the spec says, and the head: every random number the net draws."""
    from torch import nn

    if spec.skip_default and spec.init == "default":
        raise ValueError("skip_default needs an init that draws the weights")
    make = (lambda a, b: nn.utils.skip_init(nn.Linear, a, b, bias=spec.bias)) if spec.skip_default else (
        lambda a, b: nn.Linear(a, b, bias=spec.bias))
    init_for, params = (spec.init_for, None) if spec.init_for is not None else (spec.activation, dict(spec.params))
    init_for = init_for or "identity"  # a linear stack's init is drawn for the identity

    def draw(lin: nn.Linear) -> None:
        inits.init_weight_(lin.weight, spec.init, init_for, params, spec.sigma)
        inits.init_bias_(lin.bias, spec.bias_init, spec.bias_value)

    hidden = []
    for i in range(spec.depth):
        hidden.append(make(spec.inputs if i == 0 else spec.width, spec.width))
        if not spec.defaults_first:
            draw(hidden[-1])
    head = nn.Linear(spec.width, spec.outputs, bias=spec.bias) if spec.outputs is not None else None
    if spec.defaults_first:
        for lin in hidden:
            draw(lin)
    return hidden, head


@cache
def _residual() -> type:
    """nn.Module h -> h + block(h); defined on first use (torch is imported then)."""
    from torch import nn

    class Residual(nn.Module):
        def __init__(self, block: nn.Module):
            super().__init__()
            self.block = block

        def forward(self, x):
            return x + self.block(x)

    return Residual


def assemble(spec: MLP, hidden: list[nn.Linear], head: nn.Linear | None) -> nn.Sequential:
    """The net around these Linears: each followed by the activation's module (and dropout). Draws no random
    numbers (no activation module does when it is built), so the weights are the Linears' whatever the activation;
    the Linears are used as they are, not copied."""
    from torch import nn

    from activations.reference import torch_module

    modules: list[nn.Module] = []
    for lin in hidden:
        layer = [lin]
        if spec.activation is not None:
            layer.append(torch_module(spec.activation, dict(spec.params)))
        if spec.dropout == "dropout":
            layer.append(nn.Dropout(spec.dropout_rate))
        elif spec.dropout == "alpha_dropout":
            layer.append(nn.AlphaDropout(spec.dropout_rate))
        modules += [_residual()(nn.Sequential(*layer))] if spec.residual else layer
    return nn.Sequential(*modules, *([head] if head is not None else []))


def build(spec: MLP) -> nn.Sequential:
    """The MLP of `spec`. Call it inside seeding.seeded: nn.Linear and nn.init draw from torch's global generator."""
    return assemble(spec, *linears(spec))


def hidden_layers(spec: MLP, net: nn.Sequential) -> list[tuple[nn.Linear, nn.Module | None, nn.Module | None]]:
    """(Linear, activation module or None, dropout module or None) of each hidden layer of a net build(spec) made."""
    out = []
    n = spec.modules_per_layer
    modules = list(net)  # a list, not net[a:b]: slicing a Sequential builds a new module each time
    for i in range(spec.depth):
        layer = list(modules[i].block) if spec.residual else modules[i * n:(i + 1) * n]
        act = layer[1] if spec.activation is not None else None
        drop = layer[-1] if spec.dropout != "none" else None
        out.append((layer[0], act, drop))
    return out


def head(spec: MLP, net: nn.Sequential) -> nn.Linear | None:
    return net[-1] if spec.outputs is not None else None


def trace(spec: MLP, net: nn.Sequential, x: Tensor) -> Iterator[tuple[Tensor, Tensor, Tensor]]:
    """The forward pass through the hidden layers, one layer at a time: (z, a, h) with z the Linear's output, a the
    activation's (before dropout) and h what the next layer receives (after dropout; with residual, h + dropout(a)).
    The same operations as net(x); apply head(spec, net) to the last h for the output."""
    h = x
    for lin, act, drop in hidden_layers(spec, net):
        z = lin(h)
        a = act(z) if act is not None else z
        out = drop(a) if drop is not None else a
        h = h + out if spec.residual else out
        yield z, a, h
