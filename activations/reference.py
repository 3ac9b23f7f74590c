"""The PyTorch twin of every spec, read from the spec itself (its `torch_fn` and `torch_nn`): reference truth
for the tests, autograd for the Explorer, modules for the experiments. torch is imported only when a twin is
built, so `import activations` stays light."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

import numpy as np

from .lookup import get


def torch_function(key: str, params: Mapping | None = None) -> Callable:
    """A function of a torch tensor computing activation `key` with `params` (checked by `spec.resolve`)."""
    spec = get(key)
    if spec.torch_fn is None:
        raise LookupError(f"{key} declares no torch twin (ActivationSpec.torch_fn)")
    return spec.torch_fn(spec.resolve(params)[0])


def torch_module(key: str, params: Mapping | None = None):
    """An nn.Module for activation `key`: the real nn class where PyTorch has one, else its function wrapped."""
    spec = get(key)
    p = spec.resolve(params)[0]
    module = spec.torch_nn(p) if spec.torch_nn is not None else None
    return module if module is not None else _wrapper()(key, torch_function(key, p), p)


@cache
def _wrapper() -> type:
    """nn.Module around a twin function (swish, binary_step, SELU with other constants); defined on first use."""
    from torch import nn

    class Activation(nn.Module):
        def __init__(self, key: str, fn: Callable, params: Mapping):
            super().__init__()
            self.key, self.fn, self.params = key, fn, dict(params)

        def forward(self, x):
            return self.fn(x)

        def extra_repr(self) -> str:
            return f"{self.key}, {self.params}"

    return Activation


def torch_f_df(key: str, x: np.ndarray, params: Mapping | None = None) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and autograd's df/dx in float64, element by element (the activations are element-wise)."""
    import torch

    t = torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64, requires_grad=True)
    y = torch_function(key, params)(t)
    (g,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy().copy(), g.numpy().copy()
