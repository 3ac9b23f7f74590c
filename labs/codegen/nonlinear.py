"""Why non-linear's XOR experiment as a standalone PyTorch script: labs.nonlinear.train_xor's data and both nets (a
deep linear one, one hidden non-linear layer), each trained from the same seed. It prints both accuracies and final
losses as the page shows them, then a JSON line to full precision (tests/test_codegen.py compares it with the lab),
and draws both decision boundaries with matplotlib."""
from __future__ import annotations

from i18n import N_

from .. import nonlinear
from . import common

TITLE = N_("Activation Lab: XOR with and without a non-linearity, reproduced in PyTorch")
INTRO = N_("The two networks above, at their settings and seed: the same XOR points, the same layers and initial "
           "weights, trained with Adam as the page trains them, written out as plain PyTorch. It prints both "
           "accuracies and draws both decision boundaries.")
PART_TEXTS = {
    "setup": common.SETUP_TEXT,
    "data": N_("**The data**: four clusters at (±1, ±1), label 1 where x₁·x₂ < 0, drawn from the seed."),
    "network": N_("**The two networks**: a stack of linear layers with nothing between them, and one hidden layer "
                  "with the activation; each built from the same seed."),
    "train": N_("**Training**: full batch, Adam, binary cross-entropy on the logits; then the accuracy in evaluation "
                "mode."),
    "figures": common.FIGURES_TEXT,
    "plot": N_("**The charts**: each network's decision boundary over the points."),
}


def parts(cfg: nonlinear.XorConfig) -> list[tuple[str, str]]:
    """The script of `cfg` (checked by its declaration first: no value reaches the text unchecked), in parts."""
    cfg, _notes = cfg.clamped()
    act = common.activation(cfg.activation, {})
    pre = common.preamble(cfg.activation, {})
    return [
        ("setup", common.setup("""import json

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn""", pre)),
        ("data", f"""rng = np.random.default_rng({cfg.seed})
centres = np.array([(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)])
points = centres[np.arange({cfg.n}) % 4] + {cfg.noise!r} * rng.standard_normal(({cfg.n}, 2))
X = points.astype(np.float32)
labels = (points[:, 0] * points[:, 1] < 0).astype(np.int64)  # XOR of the two signs
x = torch.from_numpy(X)
y = torch.from_numpy(labels).to(torch.float32).unsqueeze(1)"""),
        ("network", f"""def linear_net():
    \"\"\"{cfg.depth} linear layers with nothing between them, then the output layer: one linear map.\"\"\"
    return nn.Sequential(*[nn.Linear(2 if i == 0 else {cfg.hidden}, {cfg.hidden}) for i in range({cfg.depth})],
                         nn.Linear({cfg.hidden}, 1))


def nonlinear_net():
    \"\"\"One hidden layer with the activation.\"\"\"
    return nn.Sequential(nn.Linear(2, {cfg.hidden}), {act}, nn.Linear({cfg.hidden}, 1))"""),
        ("train", f"""def train(make):
    torch.manual_seed({cfg.seed})  # the weights' seed, the same for both networks
    net = make()
    opt = torch.optim.Adam(net.parameters(), lr={cfg.lr!r})
    loss_fn = nn.BCEWithLogitsLoss()
    net.train()
    for _ in range({cfg.steps}):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        accuracy = float(((net(x) > 0).to(torch.float32) == y).to(torch.float64).mean().item())
    return net, accuracy, loss.item()


linear, linear_accuracy, linear_loss = train(linear_net)
nonlinear, nonlinear_accuracy, nonlinear_loss = train(nonlinear_net)"""),
        ("figures", """print(f"deep linear: accuracy {linear_accuracy:.0%}, final loss {linear_loss:.3g}")
print(f"one hidden non-linear layer: accuracy {nonlinear_accuracy:.0%}, final loss {nonlinear_loss:.3g}")
print("FIGURES", json.dumps({"linear": linear_accuracy, "nonlinear": nonlinear_accuracy,
                             "linear_loss": linear_loss, "nonlinear_loss": nonlinear_loss}))"""),
        ("plot", f"""axis = np.linspace(-2.0, 2.0, {cfg.grid})
gx, gy = np.meshgrid(axis, axis)
grid = torch.from_numpy(np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32))
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
for ax, net, name, acc in ((axes[0], linear, "deep linear", linear_accuracy),
                           (axes[1], nonlinear, "one non-linear layer", nonlinear_accuracy)):
    with torch.no_grad():
        prob = torch.sigmoid(net(grid)).reshape(len(axis), len(axis)).numpy()
    ax.contourf(axis, axis, prob, levels=20, cmap="RdBu_r", alpha=0.6)
    ax.scatter(X[:, 0], X[:, 1], c=labels, cmap="RdBu_r", s=10, edgecolors="k", linewidths=0.2)
    ax.set(title=f"{{name}}: accuracy {{acc:.0%}}", xlabel="x1", ylabel="x2", aspect="equal")
fig.tight_layout()
plt.show()"""),
    ]


def script(cfg: nonlinear.XorConfig, title: str = TITLE) -> str:
    return common.join(parts(cfg), title)
