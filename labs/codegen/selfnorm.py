"""Self-normalizing nets' depth experiment as a standalone PyTorch script: labs.selfnorm's inputs, the stack of
Linear(width, width, bias=False) -> activation (-> dropout) for each activation picked, the same draws, and the
mean and std of every layer's output. It prints the last layer's figures and whether they are in the band the paper
proves stable, then a JSON line to full precision (tests/test_codegen.py compares it with the lab), and draws the
std per layer with matplotlib."""
from __future__ import annotations

from collections.abc import Sequence

from activations import is_own
from i18n import N_

from .. import inits, selfnorm
from ..seeding import DATA, derived_seed
from . import common

TITLE = N_("Activation Lab: self-normalizing networks, reproduced in PyTorch")
INTRO = N_("The depth experiment above, at its settings and seeds: the same inputs, layers, initial weights and "
           "dropout masks for every activation, written out as plain PyTorch. It prints each activation's mean and "
           "standard deviation at the last layer and whether they are in the stable band, then draws the std per "
           "layer.")
PART_TEXTS = {
    "setup": common.SETUP_TEXT,
    "data": N_("**The inputs**: a batch of random vectors from their own seed, with the input's mean and scale."),
    "network": N_("**The network of one activation**: every layer drawn in turn from the weights' seed, so every "
                  "activation gets the same draws; dropout in training mode, the rest in evaluation mode."),
    "pass": N_("**Forward through every layer**, with each layer's mean and standard deviation over the batch."),
    "figures": common.FIGURES_TEXT,
    "plot": N_("**The chart**: the standard deviation per layer for each activation."),
}
DROPOUT_MODULES = {"dropout": "nn.Dropout", "alpha_dropout": "nn.AlphaDropout"}


def parts(cfg: selfnorm.SNConfig, picked: Sequence[str]) -> list[tuple[str, str]]:
    """The script of `cfg` for the activations `picked` (checked first: no value reaches the text unchecked)."""
    cfg, _notes = cfg.clamped()
    keys = [k for k in dict.fromkeys(picked) if k in selfnorm.SCHEMA.acts.options and k != "own" or is_own(k)]
    keys = keys or ["selu"]
    modules = {k: common.activation(k, {}) for k in keys}
    pre = common.preamble(keys, {})
    if cfg.init == "xavier_normal":  # each activation's own gain (labs.selfnorm.net_spec), else the same draws
        gains = {k: inits.init_gain(k, {})[0] for k in keys}
        draw = f"nn.init.xavier_normal_(lin.weight, gain={gains!r}[key])"
    else:
        draw = inits.code(cfg.init, "relu").replace("(w,", "(lin.weight,").replace("(w)", "(lin.weight)")
    drop = (f"\n        layer.append({DROPOUT_MODULES[cfg.dropout]}({cfg.dropout_rate!r}).train())"
            if cfg.dropout != "none" else "")
    block = "h = h + block(h)" if cfg.residual else "h = block(h)"
    masks = (f"torch.manual_seed({derived_seed(cfg.seed, selfnorm.DROPOUT)})  # the dropout masks' own stream\n        "
             if cfg.dropout != "none" else "")
    return [
        ("setup", common.setup("""import json

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn""", f"""
BAND_MU, BAND_NU = {selfnorm.STABLE_MU!r}, {selfnorm.STABLE_NU!r}  # the region the paper proves stable{pre}""")),
        ("data", f"""g = torch.Generator().manual_seed({derived_seed(cfg.seed, DATA)})  # the inputs' own stream
x = {cfg.input_mean!r} + {cfg.input_scale!r} * torch.randn({cfg.batch}, {cfg.width}, generator=g)"""),
        ("network", f"""ACTIVATIONS = {{{", ".join(f"{k!r}: lambda: {m}" for k, m in modules.items())}}}


def draw(lin, key):
    \"\"\"The layer's weights as the page draws them for `key`.\"\"\"
    {draw}


def blocks(key):
    \"\"\"{cfg.depth} x [Linear({cfg.width}, {cfg.width}, bias=False) -> activation], each drawn before the next.\"\"\"
    torch.manual_seed({cfg.seed})  # the weights' seed: every activation gets the same draws
    out = []
    for _ in range({cfg.depth}):
        lin = nn.utils.skip_init(nn.Linear, {cfg.width}, {cfg.width}, bias=False)  # no default draw first
        draw(lin, key)
        layer = [lin, ACTIVATIONS[key]().eval()]{drop}
        out.append(nn.Sequential(*layer))
    return out"""),
        ("pass", f"""stats = {{}}
for key in ACTIVATIONS:
    layers = blocks(key)
    with torch.no_grad():
        {masks}h, sums = x, torch.empty({cfg.depth}, 2, dtype=torch.float64)
        for i, block in enumerate(layers):
            {block}
            d = h.reshape(-1).double()
            sums[i, 0], sums[i, 1] = d.sum(), torch.dot(d, d)
    n = {cfg.batch * cfg.width}
    with np.errstate(all="ignore"):
        mean = sums[:, 0].numpy() / n
        std = np.sqrt(np.maximum(sums[:, 1].numpy() / n - mean * mean, 0.0))
    bad = ~(np.isfinite(mean) & np.isfinite(std))
    if bad.any():  # an overflow: no later layer can be trusted
        mean[int(np.argmax(bad)):] = np.nan
        std[int(np.argmax(bad)):] = np.nan
    stats[key] = (mean, std)"""),
        ("figures", """print(f"at layer {len(next(iter(stats.values()))[0])}:  mean      std       in the band")
for key, (mean, std) in stats.items():
    inside = abs(mean[-1]) <= BAND_MU[1] and BAND_NU[0] <= std[-1] ** 2 <= BAND_NU[1]
    print(f"{key:10s} {mean[-1]:+.3f}    {std[-1]:.3f}     {'yes' if inside else 'no'}")
print("FIGURES", json.dumps({k: {"mean": [float(v) for v in m], "std": [float(v) for v in s]}
                             for k, (m, s) in stats.items()}))"""),
        ("plot", """fig, ax = plt.subplots(figsize=(8, 4.5))
for key, (_mean, std) in stats.items():
    ax.plot(range(1, len(std) + 1), std, label=key)
ax.axhspan(BAND_NU[0] ** 0.5, BAND_NU[1] ** 0.5, color="tab:green", alpha=0.15, label="stable band (std)")
ax.set(xlabel="layer", ylabel="std of the layer's output", yscale="log", title="standard deviation per layer")
ax.legend()
fig.tight_layout()
plt.show()"""),
    ]


def script(cfg: selfnorm.SNConfig, picked: Sequence[str], title: str = TITLE) -> str:
    return common.join(parts(cfg, picked), title)
