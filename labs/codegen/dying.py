"""Dying ReLU as a standalone PyTorch script: labs.dying.train's data, network, initial weights, optimizer and loop,
written out for one config. It prints the figures the page shows (dead and inactive units per layer, accuracy,
loss), then a JSON line with them to full precision (tests/test_codegen.py compares it with the lab's run), and
draws the dead share over training and the decision boundary with matplotlib.

The parts (cells) are (title, code): the notebook (labs.codegen.notebook) puts each after a Markdown cell."""
from __future__ import annotations

from i18n import N_

from .. import dying
from ..deadunits import has_negative_side
from ..seeding import derived_seed
from . import common

TITLE = N_("Activation Lab: Dying ReLU, reproduced in PyTorch")
INTRO = N_("The training above, at its settings and seeds: the same data, network, initial weights, optimizer and "
           "steps, written out as plain PyTorch. It prints the dead and inactive units per layer, the accuracy and the "
           "loss the page shows, then draws the dead units over training and the decision boundary.")
PART_TEXTS = {  # the notebook's Markdown before each part (ui.takehome translates them)
    "setup": common.SETUP_TEXT,
    "data": N_("**The data**, drawn from its own seed and standardized (mean 0, std 1 per feature), as the page draws "
               "it."),
    "network": N_("**The network and its initial weights**, drawn from the weights' seed in the order the page draws "
                  "them, and the optimizer."),
    "measure": N_("**What is measured**: a unit is dead when f′(z) = 0 on every training point, inactive when every "
                  "point is on its negative side."),
    "train": N_("**Training**: full-batch steps; the loss is checked at every step, the units every few steps."),
    "figures": common.FIGURES_TEXT,
    "plot": N_("**The charts**: dead units per layer over training, and the decision boundary at the end."),
}
GRID = dying.PAGE_GRID  # the page measures its data and this grid of the plane in one pass: the same batch here


def parts(cfg: dying.TrainConfig) -> list[tuple[str, str]]:
    """The script of `cfg` (checked by its declaration first: no value reaches the text unchecked), in parts."""
    cfg, _notes = cfg.clamped()
    d, key, p = cfg.data, cfg.activation, cfg.param_dict
    act = common.activation(key, p)
    pre = common.preamble(key, p)
    sided = has_negative_side(key, p)
    every = cfg.record_every
    init = common.init_lines(cfg.init, cfg.bias_init, cfg.bias_value)
    redraw = f"for lin in hidden:  # the hidden layers' weights drawn again, as for a ReLU\n{init}\n" if init else ""
    stochastic = ""
    if key == "rrelu":  # its random slopes in training come from a stream of their own (labs.dying._TRAINING_SALT)
        stochastic = f"torch.manual_seed({derived_seed(cfg.seed, dying._TRAINING_SALT)})  # RReLU's random slopes\n"
    return [
        ("setup", common.setup("""import copy
import json
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn""", pre)),
        ("data", f"""{common.two_classes(d.dataset, d.n, d.noise, d.data_seed)}
xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.float32))
n = len(xt)
axis = np.linspace(-3.0, 3.0, {GRID})  # a {GRID} x {GRID} grid of the plane, measured with the data in one pass
gx, gy = np.meshgrid(axis, axis)
grid = torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32))
xg = torch.cat([xt, grid])"""),
        ("network", f"""torch.manual_seed({cfg.seed})  # the weights' seed
hidden = [nn.Linear(2 if i == 0 else {cfg.units}, {cfg.units}) for i in range({cfg.layers})]
head = nn.Linear({cfg.units}, 1)  # every Linear is built first, with PyTorch's default init
{redraw}net = nn.Sequential(*[m for lin in hidden for m in (lin, {act})], head)
opt = {common.optimizer(cfg.optimizer, cfg.lr)}
bce = nn.functional.binary_cross_entropy_with_logits
print(net)"""),
        ("measure", f"""SIDED = {sided!r}  # a negative side a unit can sit on: inactive units are counted


def derivative(act, z):
    \"\"\"f'(z) of the activation, element by element, in float64 (autograd).\"\"\"
    z64 = z.double().requires_grad_(True)
    with torch.enable_grad():
        (d,) = torch.autograd.grad(copy.deepcopy(act).double()(z64).sum(), z64)
    return d.numpy()


def measure():
    \"\"\"Loss, accuracy and each hidden layer's dead and inactive units, in eval mode, as the page measures them.
    Dead: f'(z) = 0 on every training point. Inactive: every point on the negative side (z <= 0, |f'(z)| < 1).\"\"\"
    net.eval()
    with torch.no_grad():
        h, pre = xg, []
        for lin, act in zip(net[:-1:2], net[1:-1:2], strict=True):
            z = lin(h)
            pre.append(z[:n])
            h = act(z)
        logits = net[-1](h).squeeze(1)[:n]
        loss = float(bce(logits, yt).item())
        accuracy = float(((logits > 0) == (yt > 0.5)).float().mean().item())
    dead, inactive = [], []
    for z, act in zip(pre, net[1:-1:2], strict=True):
        d, zn = derivative(act, z), z.numpy()
        dead.append(np.all(d == 0, axis=0))
        inactive.append(np.all((zn <= 0) & (np.abs(d) < 1.0), axis=0) | dead[-1])
    net.train()
    return loss, accuracy, dead, inactive"""),
        ("train", f"""STEPS, EVERY = {cfg.steps}, {every}  # full-batch steps; a measurement every EVERY steps
diverged_at, history = None, []
{stochastic}net.train()
for s in range(STEPS + 1):
    if s % EVERY == 0 or s == STEPS:
        measured = measure()
        if not math.isfinite(measured[0]):
            diverged_at = s
            break
        loss, accuracy, dead, inactive = measured
        history.append((s, [float(m.mean()) for m in dead]))
    if s == STEPS:
        break
    opt.zero_grad(set_to_none=True)
    step_loss = bce(net(xt).squeeze(1), yt)
    if not math.isfinite(float(step_loss.detach().item())):
        diverged_at = s
        break
    step_loss.backward()
    opt.step()"""),
        ("figures", """if diverged_at is not None:
    print(f"diverged at step {diverged_at}: the loss is no longer finite")
dead_share = float(np.concatenate(dead).mean()) if diverged_at is None else float("nan")
inactive_share = float(np.concatenate(inactive).mean()) if diverged_at is None and SIDED else float("nan")
print(f"dead units at the end: {dead_share:.0%}", "(" + ", ".join(f"layer {i + 1}: {m.mean():.0%}"
                                                             for i, m in enumerate(dead)) + ")")
if SIDED:
    print(f"inactive units at the end: {inactive_share:.0%}")
print(f"final accuracy: {accuracy:.0%}, final loss: {loss:.3g}")
print("FIGURES", json.dumps({"dead": dead_share, "inactive": inactive_share, "accuracy": accuracy, "loss": loss,
                             "dead_per_layer": [float(m.mean()) for m in dead], "diverged_at": diverged_at}))"""),
        ("plot", """fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
steps = [s for s, _ in history]
for layer in range(len(dead)):
    left.plot(steps, [shares[layer] for _, shares in history], label=f"layer {layer + 1}")
left.set(xlabel="step", ylabel="share of dead units", ylim=(-0.02, 1.02), title="dead units over training")
left.legend()
net.eval()
with torch.no_grad():
    boundary = torch.sigmoid(net(grid).squeeze(1)).reshape(len(axis), len(axis)).numpy()
right.contourf(axis, axis, boundary, levels=20, cmap="RdBu_r", alpha=0.6)
right.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", s=8, edgecolors="k", linewidths=0.2)
right.set(title="decision boundary at the end", xlabel="x1", ylabel="x2", aspect="equal")
fig.tight_layout()
plt.show()"""),
    ]


def script(cfg: dying.TrainConfig, title: str = TITLE) -> str:
    """The whole script (common.join of its parts), as the page shows it in English."""
    return common.join(parts(cfg), title)
