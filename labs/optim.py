"""The optimizers the training labs offer (Dying ReLU, Real data): one list, one label each, one constructor."""
from __future__ import annotations

from i18n import N_

OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam")  # momentum = SGD(momentum=0.9)
OPTIMIZER_LABELS = {"sgd": N_("SGD"), "momentum": N_("SGD + momentum 0.9"), "adam": N_("Adam")}


def make(name: str, params, lr: float):
    """torch.optim's optimizer `name` (one of OPTIMIZERS) over `params` with learning rate `lr`."""
    import torch

    # foreach: one multi-tensor update for all the layers instead of a Python loop over them; the same arithmetic
    # (bit-identical results on this CPU build, tests pin them), less per-step overhead on these small nets
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, foreach=True)
    return torch.optim.SGD(params, lr=lr, momentum=0.9 if name == "momentum" else 0.0, foreach=True)
