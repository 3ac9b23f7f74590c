"""Gradient flow's probe as a standalone PyTorch script: labs.gradflow.gradient_flow's inputs, network, initial
weights and its one forward and backward pass, written out for one config. It prints the figures the page shows
(per layer: ‖∂L/∂W‖, ‖∂L/∂h‖, the mean and std of h; the first ÷ last ratio; the loss), then a JSON line with them
to full precision (tests/test_codegen.py compares it with the lab's result), and draws the gradient norms per layer
on a log axis with matplotlib."""
from __future__ import annotations

from i18n import N_

from .. import gradflow
from ..seeding import DATA, derived_seed
from . import common

TITLE = N_("Activation Lab: gradient flow, reproduced in PyTorch")
INTRO = N_("The deep network at the top of this page (not the clipping run), at its settings and seed: the same "
           "inputs, layers, initial weights and one forward and backward pass, written out as plain PyTorch. It prints "
           "each layer's gradient norms and the spread of its activations as the page shows them, then draws the "
           "gradient norms per layer.")
PART_TEXTS = {
    "setup": N_("**Setup.** PyTorch, on one thread as the app computes: the same order of operations gives the same "
                "numbers."),
    "data": N_("**The inputs and targets**: a batch of random vectors from their own seed, as the page draws them."),
    "network": N_("**The network and its initial weights**: each hidden layer drawn in turn from the weights' seed, "
                  "with the gain of the activation, as the page draws them."),
    "pass": N_("**One forward and one backward pass**, in evaluation mode: the gradient of every layer's weights "
               "and activations, before any training."),
    "figures": N_("**The figures the page shows**, then the same on one line to full precision."),
    "plot": N_("**The chart**: the gradient norms per layer on a log axis."),
}


def parts(cfg: gradflow.NetConfig) -> list[tuple[str, str]]:
    """The script of `cfg` (checked by its declaration first: no value reaches the text unchecked), in parts."""
    cfg, _notes = cfg.clamped()
    p = cfg.param_dict
    act = common.activation(cfg.activation, p)
    init = common.init_lines(cfg.init, cfg.bias_init, cfg.bias_value, cfg.activation, p, cfg.sigma)
    return [
        ("setup", f"""# {common.PIP}
import json
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.set_num_threads(1)  # the app computes on one thread: the same order of operations, the same numbers"""),
        ("data", f"""g = torch.Generator().manual_seed({derived_seed(cfg.seed, DATA)})  # the inputs' own stream
x = {cfg.input_mean!r} + {cfg.input_scale!r} * torch.randn({cfg.batch}, {cfg.width}, generator=g)
y = torch.randn({cfg.batch}, 1, generator=g)"""),
        ("network", f"""torch.manual_seed({cfg.seed})  # the weights' seed
layers = []
for _ in range({cfg.depth}):  # each hidden layer built and drawn before the next
    lin = nn.Linear({cfg.width}, {cfg.width})
{init + chr(10) if init else ""}    layers += [lin, {act}]
net = nn.Sequential(*layers, nn.Linear({cfg.width}, 1))  # the head keeps PyTorch's default init
net.eval()  # RReLU uses its fixed slope, the one its derivative describes"""),
        ("pass", """hs = []
h = x
for lin, act in zip(net[:-1:2], net[1:-1:2], strict=True):
    h = act(lin(h))
    if h.requires_grad:
        h.retain_grad()  # keep dL/dh of every layer
    hs.append(h)
loss = nn.functional.mse_loss(net[-1](h), y)
loss.backward()"""),
        ("figures", """def norm(t):
    \"\"\"Euclidean norm, in float64 where float32's sum of squares overflows.\"\"\"
    if t is None:
        return 0.0
    n = torch.linalg.vector_norm(t).item()
    if not math.isfinite(n) and torch.isfinite(t).all():
        n = torch.linalg.vector_norm(t, dtype=torch.float64).item()
    return n if math.isfinite(n) else float("nan")


with torch.no_grad():
    weight_grad = [norm(lin.weight.grad) for lin in net[:-1:2]]
    act_grad = [norm(h.grad) for h in hs]
    spread = [torch.std_mean(h.detach(), correction=0) for h in hs]
    std = [s.item() if math.isfinite(s.item()) else float("nan") for s, _ in spread]
    mean = [m.item() if math.isfinite(m.item()) else float("nan") for _, m in spread]
first, last = weight_grad[0], weight_grad[-1]
ratio = first / last if math.isfinite(first) and math.isfinite(last) and last > 0 else float("nan")
print("layer  |dL/dW|     |dL/dh|     mean of h   std of h")
for i in range(len(hs)):
    print(f"{i + 1:5d}  {weight_grad[i]:.3e}  {act_grad[i]:.3e}  {mean[i]:+.3e}  {std[i]:.3e}")
print(f"|dL/dW| first layer / last layer: {ratio:.2e}")
print(f"std of h, first -> last layer: {std[0]:.2g} -> {std[-1]:.2g}")
value = loss.item()
print("FIGURES", json.dumps({"weight_grad": weight_grad, "act_grad": act_grad, "std": std, "mean": mean,
                             "ratio": ratio, "loss": value if math.isfinite(value) else float("nan")}))"""),
        ("plot", """fig, ax = plt.subplots(figsize=(8, 4.5))
layer_numbers = range(1, len(hs) + 1)
ax.semilogy(layer_numbers, weight_grad, "o-", label="|dL/dW| (weights)")
ax.semilogy(layer_numbers, act_grad, "o-", label="|dL/dh| (activations)")
ax.set(xlabel="layer", ylabel="gradient norm (log axis)", title="gradient norms per layer")
ax.legend()
fig.tight_layout()
plt.show()"""),
    ]


def script(cfg: gradflow.NetConfig, title: str = TITLE) -> str:
    return common.join(parts(cfg), title)
