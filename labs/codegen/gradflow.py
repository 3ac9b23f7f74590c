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
    "figures": common.FIGURES_TEXT,
    "plot": N_("**The chart**: the gradient norms per layer on a log axis."),
}


IMPORTS = """import json
import math

import matplotlib.pyplot as plt
import torch
from torch import nn"""


def parts(cfg: gradflow.NetConfig) -> list[tuple[str, str]]:
    """The script of `cfg` (checked by its declaration first: no value reaches the text unchecked), in parts."""
    cfg, _notes = cfg.clamped()
    p = cfg.param_dict
    act = common.activation(cfg.activation, p)
    pre = common.preamble(cfg.activation, p)
    init = common.init_lines(cfg.init, cfg.bias_init, cfg.bias_value, cfg.activation, p, cfg.sigma)
    return [
        ("setup", common.setup(IMPORTS, pre)),
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


# ---- the clipping run: labs.gradflow.train, three times from the same weights ---------------------------------------

CLIP_TITLE = N_("Activation Lab: gradient clipping, reproduced in PyTorch")
CLIP_INTRO = N_("The training run above, at its settings and seed: y = sin 3x fitted with full-batch SGD three times "
                "from the same initial weights, without clipping, with clip_grad_norm_ and with clip_grad_value_, "
                "written out as plain PyTorch. It prints each run's final loss (or the step where it diverged) and its "
                "largest gradient norm, then draws the losses.")
CLIP_TEXTS = {
    "setup": PART_TEXTS["setup"],
    "data": N_("**The data**: 256 points of y = sin 3x on [−2, 2]."),
    "network": N_("**The network**: each hidden layer drawn in turn from the weights' seed, with the gain of the "
                  "activation; every run starts from the same weights."),
    "train": N_("**Training**, three times: the global gradient norm is measured before clipping at every step."),
    "figures": common.FIGURES_TEXT,
    "plot": N_("**The chart**: the training loss of the three runs on a log axis."),
}


def clip_parts(cfg: gradflow.TrainConfig) -> list[tuple[str, str]]:
    """The three clipping runs of `cfg` (checked by its declaration first), in parts."""
    cfg, _notes = cfg.clamped()
    net = cfg.net
    p = net.param_dict
    act = common.activation(net.activation, p)
    pre = common.preamble(net.activation, p)
    init = common.init_lines(net.init, net.bias_init, net.bias_value, net.activation, p, net.sigma)
    return [
        ("setup", common.setup(IMPORTS, pre)),
        ("data", """x = torch.linspace(-2.0, 2.0, 256).unsqueeze(1)
y = torch.sin(3.0 * x)"""),
        ("network", f"""def make_net():
    torch.manual_seed({net.seed})  # the weights' seed: every run starts from the same weights
    layers = []
    for i in range({net.depth}):  # each hidden layer built and drawn before the next
        lin = nn.Linear(1 if i == 0 else {net.width}, {net.width})
{common.indented(init, "    ") + chr(10) if init else ""}        layers += [lin, {act}]
    return nn.Sequential(*layers, nn.Linear({net.width}, 1))"""),
        ("train", f"""def train(clip):
    \"\"\"Full-batch SGD, lr {cfg.lr!r}, {cfg.steps} steps; clip is "none", "norm" or "value".\"\"\"
    net = make_net()
    params = list(net.parameters())
    opt = torch.optim.SGD(params, lr={cfg.lr!r})
    losses, norms, diverged_at = [], [], None
    for i in range({cfg.steps}):
        opt.zero_grad(set_to_none=False)
        loss = nn.functional.mse_loss(net(x), y)
        value = float(loss.detach().item())
        if not math.isfinite(value):
            diverged_at = i + 1
            break
        loss.backward()
        # the global norm before clipping (max_norm=inf only measures it)
        norm = nn.utils.clip_grad_norm_(params, {cfg.max_norm!r} if clip == "norm" else float("inf")).item()
        if clip == "value":
            nn.utils.clip_grad_value_(params, {cfg.clip_value!r})
        nn.utils.clip_grad_norm_(params, float("inf"))  # as the page: the norm after clipping, measured
        losses.append(value)
        norms.append(norm)
        opt.step()
    return losses, norms, diverged_at


runs = {{clip: train(clip) for clip in ("none", "norm", "value")}}"""),
        ("figures", """figures = {}
for clip, (losses, norms, diverged_at) in runs.items():
    finite = [v for v in losses if math.isfinite(v)]
    finite_norms = [v for v in norms if math.isfinite(v)]
    final = finite[-1] if finite else None
    largest = max(finite_norms) if finite_norms else None
    figures[clip] = {"final_loss": final, "largest_grad_norm": largest, "diverged_at": diverged_at}
    said = f"diverged at step {diverged_at}" if diverged_at is not None else f"final loss {final:.3g}"
    print(f"{clip:6s} {said}, largest global gradient norm: {largest:.2e}" if largest is not None else said)
print("FIGURES", json.dumps(figures))"""),
        ("plot", """fig, ax = plt.subplots(figsize=(8, 4.5))
for clip, (losses, _norms, _diverged) in runs.items():
    ax.semilogy(range(1, len(losses) + 1), losses, label=clip)
ax.set(xlabel="step", ylabel="training loss (MSE)", title="gradient clipping")
ax.legend()
fig.tight_layout()
plt.show()"""),
    ]


def clip_script(cfg: gradflow.TrainConfig, title: str = CLIP_TITLE) -> str:
    return common.join(clip_parts(cfg), title)
