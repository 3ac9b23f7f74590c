"""Real data's race as a standalone PyTorch script: labs.realdata.train_one for every activation and seed, written
out: the scikit-learn data set, the stratified split and standardization, each activation's MLP and init, the
mini-batches in their seeded order, and the test and training accuracy. It prints the page's figures (each
activation's final test accuracy per seed and their mean, the training accuracy), then a JSON line to full
precision (tests/test_codegen.py compares it with the lab's race), and draws the accuracies with matplotlib."""
from __future__ import annotations

from i18n import N_

from .. import inits, realdata
from ..seeding import DATA, derived_seed
from . import common

TITLE = N_("Activation Lab: activations raced on real data, reproduced in PyTorch")
INTRO = N_("The race above, at its settings and seeds: the same data set, split, networks, initial weights, "
           "mini-batches and optimizer for every activation and seed, written out as plain PyTorch. It prints each "
           "activation's test accuracy per seed and its mean, then draws them.")
PART_TEXTS = {
    "setup": N_("**Setup.** PyTorch, NumPy and scikit-learn, on one thread as the app computes: the same order of "
                "operations gives the same numbers."),
    "data": N_("**The data**: a data set that ships with scikit-learn, split from the seed (stratified) and "
               "standardized with the training split's mean and std."),
    "network": N_("**The networks**: for each activation its layers and init; every Linear built first, then the "
                  "hidden ones drawn again."),
    "train": N_("**Training**: mini-batches in an order drawn from each run's seed, the test accuracy after every "
                "epoch."),
    "figures": common.FIGURES_TEXT,
    "plot": N_("**The chart**: each activation's final test accuracy, one point per seed."),
}


def parts(cfg: realdata.RaceConfig) -> list[tuple[str, str]]:
    """The race of `cfg` (checked by its declaration first: no value reaches the text unchecked), in parts."""
    cfg, _notes = cfg.clamped()
    keys = list(cfg.activations)
    modules = {k: common.activation(k, {}) for k in keys}
    pre = common.preamble(keys, {})
    draws = {}
    for k in keys:
        scheme = inits.scheme(cfg.init, k)
        init_for = "relu" if scheme in realdata.RELU_GAIN else k
        draws[k] = (scheme, common.init_lines(scheme, "default" if scheme == "default" else "zeros", 0.0, init_for,
                                              {}, indent="                "))
    branches = "\n".join(f"            if key == {k!r}:\n{lines}" for k, (_s, lines) in draws.items() if lines)
    run_seeds = [cfg.seed + i for i in range(cfg.seeds)]
    loader = {"digits": "load_digits", "breast_cancer": "load_breast_cancer"}[cfg.data]
    return [
        ("setup", common.setup("""import json
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn import datasets
from sklearn.model_selection import train_test_split
from torch import nn""", pre, pip=common.PIP + " scikit-learn==1.9.1")),
        ("data", f"""bunch = datasets.{loader}()
X, y = bunch.data.astype(np.float64), bunch.target.astype(np.int64)
classes = int(y.max()) + 1
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size={realdata.TEST_SHARE!r}, stratify=y,
                                      random_state={derived_seed(cfg.seed, DATA) % (2**32)})
mean, std = Xtr.mean(axis=0), Xtr.std(axis=0)
std[std == 0] = 1.0  # a constant pixel keeps std 1
xtr = torch.from_numpy(((Xtr - mean) / std).astype(np.float32))
xte = torch.from_numpy(((Xte - mean) / std).astype(np.float32))
ttr, tte = torch.from_numpy(ytr), torch.from_numpy(yte)"""),
        ("network", f"""ACTIVATIONS = {{{", ".join(f"{k!r}: lambda: {m}" for k, m in modules.items())}}}


def build(key):
    \"\"\"{cfg.depth} x [Linear -> activation], then a Linear head: every Linear built first, then drawn again.\"\"\"
    hidden = [nn.Linear(xtr.shape[1] if i == 0 else {cfg.width}, {cfg.width}) for i in range({cfg.depth})]
    head = nn.Linear({cfg.width}, classes)
    for lin in hidden:
        {"pass" if not branches else "with torch.no_grad():"}
{branches}
    return nn.Sequential(*[m for lin in hidden for m in (lin, ACTIVATIONS[key]())], head)


def accuracy(net, x, target):
    net.eval()
    with torch.no_grad():
        logits = net(x)
    return float((logits.argmax(1) == target).double().mean()) if torch.isfinite(logits).all() else 1.0 / classes"""),
        ("train", f"""SHUFFLE_SEEDS = {{{", ".join(f"{s}: {derived_seed(s, realdata.SHUFFLE)}" for s in run_seeds)}}}
loss_fn = nn.CrossEntropyLoss()
results = {{}}
for key in ACTIVATIONS:
    for run_seed in {run_seeds!r}:
        order = torch.Generator().manual_seed(SHUFFLE_SEEDS[run_seed])  # the mini-batches' own stream
        torch.manual_seed(run_seed)  # the weights (and RReLU's random slopes while training)
        net = build(key)
        opt = {common.optimizer(cfg.optimizer, cfg.lr)}
        test, diverged = float("nan"), False
        for _epoch in range({cfg.epochs}):
            net.train()
            perm = torch.randperm(len(xtr), generator=order)
            total = torch.zeros((), dtype=torch.float64)
            for i in range(0, len(xtr), {cfg.batch}):
                idx = perm[i:i + {cfg.batch}]
                loss = loss_fn(net(xtr[idx]), ttr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.detach() * len(idx)
            if not math.isfinite(float(total) / len(xtr)):
                diverged = True
                break
            test = accuracy(net, xte, tte)
        train = accuracy(net, xtr, ttr)
        if diverged:  # what a diverged net predicts is noise: chance
            test = train = 1.0 / classes
        results.setdefault(key, []).append((test, train))"""),
        ("figures", """for key, runs in results.items():
    tests = [t for t, _ in runs]
    print(f"{key:12s} test accuracy {np.mean(tests):.1%} (seeds: " + ", ".join(f"{t:.1%}" for t in tests)
          + f"), training accuracy {np.mean([tr for _, tr in runs]):.1%}")
print("FIGURES", json.dumps({key: {"test": [t for t, _ in runs], "train": [tr for _, tr in runs]}
                             for key, runs in results.items()}))"""),
        ("plot", """fig, ax = plt.subplots(figsize=(8, 4.5))
for i, runs in enumerate(results.values()):
    tests = [t for t, _ in runs]
    ax.scatter([i] * len(tests), tests, alpha=0.7)
    ax.plot([i - 0.3, i + 0.3], [np.mean(tests)] * 2, color="k")
ax.set_xticks(range(len(results)), list(results))
ax.set(ylabel="final test accuracy", title="one point per seed, the line at the mean")
fig.tight_layout()
plt.show()"""),
    ]


def script(cfg: realdata.RaceConfig, title: str = TITLE) -> str:
    return common.join(parts(cfg), title)
