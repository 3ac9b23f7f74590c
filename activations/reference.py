"""The PyTorch twin of every spec: reference truth for the tests, autograd for the Explorer, modules
for the network experiments. torch is imported inside the functions so `import activations` stays light."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from .functions import SELU_ALPHA, SELU_SCALE
from .registry import get


def torch_function(key: str, params: Mapping | None = None) -> Callable:
    """A function of a torch tensor computing activation `key` with `params`, built from torch ops."""
    import torch
    import torch.nn.functional as tf

    p = get(key).resolve(params)[0]
    table: dict[str, Callable] = {
        "identity": lambda x: x,
        # no nn module: heaviside has no autograd formula, so add 0*x to give it PyTorch's zero gradient
        "binary_step": lambda x: torch.heaviside(x.detach(), torch.ones((), dtype=x.dtype)) + 0 * x,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "softsign": tf.softsign,
        "logsigmoid": tf.logsigmoid,
        "relu": tf.relu,
        "leaky_relu": lambda x: tf.leaky_relu(x, p.get("negative_slope", 0.01)),
        "prelu": lambda x: tf.prelu(x, torch.tensor([p.get("init", 0.25)], dtype=x.dtype)),
        "rrelu": lambda x: tf.rrelu(x, p.get("lower", 1 / 8), p.get("upper", 1 / 3), training=False),
        "elu": lambda x: tf.elu(x, p.get("alpha", 1.0)),
        "selu": lambda x: (tf.selu(x) if (p.get("alpha"), p.get("scale")) == (SELU_ALPHA, SELU_SCALE)
                           else p["scale"] * tf.elu(x, p["alpha"])),
        "celu": lambda x: tf.celu(x, p.get("alpha", 1.0)),
        "gelu": lambda x: tf.gelu(x, approximate=p.get("approximate", "none")),
        "silu": tf.silu,
        "swish": lambda x: x * torch.sigmoid(p.get("beta", 1.0) * x),
        "mish": tf.mish,
        "softplus": lambda x: tf.softplus(x, beta=p.get("beta", 1.0), threshold=p.get("threshold", 20.0)),
        "hardtanh": lambda x: tf.hardtanh(x, p.get("min_val", -1.0), p.get("max_val", 1.0)),
        "relu6": tf.relu6,
        "hardsigmoid": tf.hardsigmoid,
        "hardswish": tf.hardswish,
        "hardshrink": lambda x: tf.hardshrink(x, p.get("lambd", 0.5)),
        "softshrink": lambda x: tf.softshrink(x, p.get("lambd", 0.5)),
        "tanhshrink": tf.tanhshrink,
        "threshold": lambda x: tf.threshold(x, p.get("threshold", 1.0), p.get("value", 0.0)),
    }
    return table[key]


def torch_module(key: str, params: Mapping | None = None):
    """An nn.Module for activation `key` (the real nn class where PyTorch has one), for experiments."""
    import torch
    from torch import nn

    p = get(key).resolve(params)[0]
    simple = {
        "identity": nn.Identity, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "softsign": nn.Softsign,
        "logsigmoid": nn.LogSigmoid, "relu": nn.ReLU, "silu": nn.SiLU, "mish": nn.Mish, "relu6": nn.ReLU6,
        "hardsigmoid": nn.Hardsigmoid, "hardswish": nn.Hardswish, "tanhshrink": nn.Tanhshrink,
    }
    if key in simple:
        return simple[key]()
    if key == "leaky_relu":
        return nn.LeakyReLU(p["negative_slope"])
    if key == "prelu":
        return nn.PReLU(init=p["init"])
    if key == "rrelu":
        return nn.RReLU(p["lower"], p["upper"])
    if key == "elu":
        return nn.ELU(p["alpha"])
    if key == "selu" and (p["alpha"], p["scale"]) == (SELU_ALPHA, SELU_SCALE):
        return nn.SELU()
    if key == "celu":
        return nn.CELU(p["alpha"])
    if key == "gelu":
        return nn.GELU(approximate=p["approximate"])
    if key == "softplus":
        return nn.Softplus(p["beta"], p["threshold"])
    if key == "hardtanh":
        return nn.Hardtanh(p["min_val"], p["max_val"])
    if key in ("hardshrink", "softshrink"):
        return (nn.Hardshrink if key == "hardshrink" else nn.Softshrink)(p["lambd"])
    if key == "threshold":
        return nn.Threshold(p["threshold"], p["value"])

    fn = torch_function(key, p)  # swish, binary_step, SELU with custom constants: wrap the function

    class Lambda(nn.Module):
        def __init__(self):
            super().__init__()
            self.key = key

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return fn(x)

        def extra_repr(self) -> str:
            return f"{key}, {p}"

    return Lambda()


def torch_f_df(key: str, x: np.ndarray, params: Mapping | None = None) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and autograd's df/dx in float64, element by element (the activations are element-wise)."""
    import torch

    t = torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64, requires_grad=True)
    y = torch_function(key, params)(t)
    (g,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy().copy(), g.numpy().copy()
