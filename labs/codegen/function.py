"""One activation as a standalone PyTorch script: its torch.nn module at the page's parameters, f on the page's x
range, f' by autograd (PyTorch's own derivative, kinks included), the figures the Explorer's table shows that come
from the curve (f(0), f'(0), the largest |f'|), and the chart of f and f'. The Explorer draws the core's NumPy f and
f', which equal PyTorch's in float64 to about 1e-12 (tests/test_core_vs_torch.py); tests/test_codegen.py compares
this script's values with the page's on its grid."""
from __future__ import annotations

from collections.abc import Mapping

from activations.formula.torchcode import function_code
from activations.registry import is_own, own_formula
from i18n import N_

from . import common

TITLE = N_("Activation Lab: one activation, in PyTorch")
INTRO = N_("The function above at its parameters, as a torch.nn module: f on the chart's x range, f′ by PyTorch's "
           "autograd, the values the page reads off the curve, and the chart of both.")
PART_TEXTS = {
    "setup": N_("**Setup.** PyTorch, in float64 as the page computes its curves."),
    "function": N_("**The function** as PyTorch's module, at the page's parameters."),
    "curve": N_("**f and f′** on the chart's x range; f′ is what autograd gives, the derivative backpropagation "
                "multiplies by."),
    "figures": N_("**The values the page reads off the curve**, then the same on one line to full precision."),
    "plot": N_("**The chart**: f and f′."),
}
POINTS = 801  # labs.explore.GRID_POINTS: what the page measures


def parts(key: str, params: Mapping, lo: float, hi: float) -> list[tuple[str, str]]:
    """The script of activation `key` at `params` on [lo, hi] (the page's checked values)."""
    own = is_own(key)
    if own:  # the learner's formula, printed from its checked tree as the app's torch twin computes it
        function = "\n" + function_code(own_formula(key), "f", dict(params))  # two blank lines around a def
    else:
        module = common.activation(key, params)
        if module.startswith("nn.PReLU("):  # its slope a float64 parameter, as the page's (not float32's 0.1)
            module = module[:-1] + ", dtype=torch.float64)"
        function = f"f = {module}.double().eval()  # float64 as the page; RReLU: its fixed evaluation slope"
    return [
        ("setup", f"""# {common.PIP}
import json

import matplotlib.pyplot as plt
import numpy as np
import torch{"" if own else chr(10) + "from torch import nn"}"""),
        ("function", function),
        ("curve", f"""{chr(10) if own else ""}x = np.linspace({float(lo)!r}, {float(hi)!r}, {POINTS})  # the page's grid
x = torch.from_numpy(x).requires_grad_(True)
y = f(x)
(dy,) = torch.autograd.grad(y.sum(), x)  # f'(x), element by element
x, y = x.detach(), y.detach()"""),
        ("figures", """zero = torch.zeros(1, dtype=torch.float64, requires_grad=True)
(d0,) = torch.autograd.grad(f(zero).sum(), zero)
figures = {"f(0)": f(zero).item(), "f'(0)": d0.item(), "max |f'|": dy.abs().max().item(),
           "f range on the chart": [y.min().item(), y.max().item()]}
for name, value in figures.items():
    print(f"{name}: {value}")
print("FIGURES", json.dumps(figures))"""),
        ("plot", """fig, ax = plt.subplots(figsize=(8, 4.5))
ax.plot(x, y, label="f(x)")
ax.plot(x, dy, "--", label="f'(x)")
ax.axhline(0, color="grey", linewidth=0.5)
ax.set(xlabel="x", title=(getattr(f, "__doc__", None) or repr(f)).splitlines()[0][:70])
ax.legend()
fig.tight_layout()
plt.show()"""),
    ]


def script(key: str, params: Mapping, lo: float, hi: float, title: str = TITLE) -> str:
    return common.join(parts(key, params, lo, hi), title)
