"""Every spec's f equals its PyTorch reference and its df equals torch autograd (float64).

Generated from the registry: one new entry there is tested here with no new code.
"""
import itertools
import warnings

import numpy as np
import pytest

import activations
from activations.reference import torch_f_df

# |ours - torch| <= RTOL * |torch| + ATOL. The ATOL term is there because PyTorch's backward formulas
# lose digits where ours do not: sigmoid' = (1 - y) * y is exactly 0 once y rounds to 1 (x > 37),
# while e^-|x| / (1 + e^-|x|)^2 still gives 1e-17; tanh' and GELU's left tail likewise.
RTOL, ATOL = 1e-12, 1e-14
# PyTorch's float64 hardsigmoid backward multiplies by the float32 constant 1/6 = 0.16666667163...
# We keep the exact 1/6 and accept that difference (3e-8 relative) for this one function.
# PyTorch's float64 CELU backward loses digits for alpha that are not powers of 2 (up to ~1e-5 relative
# at x/alpha = -600); test_celu_derivative_exact below checks ours against autograd of the formula itself.
RTOL_OVERRIDE = {"hardsigmoid": 5e-8, "celu": 1e-4}

BASE = np.concatenate([
    np.linspace(-30.0, 30.0, 2401),
    [-1e4, -1e3, -750.0, -710.0, -100.0, -50.0, -40.0, -20.0, -1e-8, -1e-300, 0.0, -0.0,
     1e-300, 1e-8, 20.0, 40.0, 50.0, 100.0, 710.0, 750.0, 1e3, 1e4],
])


def param_sets(spec):
    """Defaults, each parameter at each of its test values (others default), all-low and all-high."""
    sets = [{}]
    for p in spec.params:
        sets += [{p.name: v} for v in p.values_to_test()]
    numeric = [p for p in spec.params if not p.is_choice]
    if len(numeric) > 1:
        sets.append({p.name: p.low for p in numeric})
        sets.append({p.name: p.high for p in numeric})
        sets += [dict(zip([p.name for p in numeric], combo, strict=True))
                 for combo in itertools.product(*[(p.low, p.default, p.high) for p in numeric])]
    return sets


CASES = [
    pytest.param(key, params, id=f"{key}-{'-'.join(f'{k}={v}' for k, v in params.items()) or 'default'}")
    for key, spec in activations.REGISTRY.items()
    for params in param_sets(spec)
]


def grid_for(spec, params):
    kinks = np.array(spec.kinks(params), dtype=float)
    near = np.concatenate([kinks, kinks - 1e-9, kinks + 1e-9, np.nextafter(kinks, -np.inf),
                           np.nextafter(kinks, np.inf)])
    return np.concatenate([BASE, near])


@pytest.mark.parametrize("key,raw", CASES)
def test_f_and_df_match_torch(key, raw):
    spec = activations.get(key)
    params, _ = spec.resolve(raw)
    x = grid_for(spec, params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any NumPy RuntimeWarning fails the test
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            f, df = spec.f(x, **params), spec.df(x, **params)
    ref_f, ref_df = torch_f_df(key, x, params)
    assert f.shape == x.shape and df.shape == x.shape
    assert f.dtype == np.float64 and df.dtype == np.float64
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(df))
    rtol = RTOL_OVERRIDE.get(key, RTOL)
    np.testing.assert_allclose(f, ref_f, rtol=RTOL, atol=ATOL, err_msg=f"{key} f vs torch")
    np.testing.assert_allclose(df, ref_df, rtol=rtol, atol=ATOL, err_msg=f"{key} df vs torch autograd")


@pytest.mark.parametrize("key", list(activations.REGISTRY))
def test_kinks_follow_pytorch_convention(key):
    """At each kink (and at 0) the derivative is exactly the one autograd returns, not an average."""
    spec = activations.get(key)
    params = spec.defaults
    x = np.array(sorted({0.0, *spec.kinks(params)}))
    _, ref_df = torch_f_df(key, x, params)
    rtol = RTOL_OVERRIDE.get(key, 1e-15)  # 1 ulp; a wrong branch at a kink is off by far more
    np.testing.assert_allclose(spec.df(x, **params), ref_df, rtol=rtol, atol=0)


@pytest.mark.parametrize("key", list(activations.REGISTRY))
def test_extreme_finite_inputs_stay_finite(key):
    spec = activations.get(key)
    x = np.array([-1e300, -1e154, -1e4, -5e-324, -0.0, 0.0, 5e-324, 1e4, 1e154, 1e300])
    for raw in param_sets(spec):
        params, _ = spec.resolve(raw)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                f, df = spec.f(x, **params), spec.df(x, **params)
        assert np.all(np.isfinite(f)) and np.all(np.isfinite(df)), (key, raw)


@pytest.mark.parametrize("key", list(activations.REGISTRY))
def test_shape_is_kept(key):
    spec = activations.get(key)
    x = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    assert spec.f(x).shape == (2, 3, 4) and spec.df(x).shape == (2, 3, 4)
    assert np.ndim(spec.f(0.5)) == 0


@pytest.mark.parametrize("key", list(activations.REGISTRY))
def test_torch_module_matches_function(key):
    import torch

    from activations.reference import torch_module

    x = torch.linspace(-5, 5, 101, dtype=torch.float64)
    module = torch_module(key).double().eval()
    with torch.no_grad():
        out = module(x).numpy()
    np.testing.assert_allclose(out, activations.get(key).f(x.numpy()), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("alpha", [0.05, 0.3, 1.1415, 3.0])
def test_celu_derivative_exact(alpha):
    """Autograd through CELU's own formula (exp(x/alpha) in float64) agrees with our df to 1e-12."""
    import torch

    x = torch.tensor(grid_for(activations.get("celu"), {"alpha": alpha}), requires_grad=True)
    y = torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0) / alpha))
    (g,) = torch.autograd.grad(y.sum(), x)
    np.testing.assert_allclose(activations.get("celu").df(x.detach().numpy(), alpha=alpha), g.numpy(),
                               rtol=RTOL, atol=ATOL)
