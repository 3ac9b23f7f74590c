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
# nn.PReLU keeps its (learned) slope as a float32 parameter, so .double() widens float32(init): 1e-8 relative.
RTOL_MODULE = {"prelu": 3e-8}

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


@pytest.mark.parametrize("key,raw", CASES)
def test_torch_module_twin_matches_the_function_twin(key, raw):
    """The module the experiments train with computes what the reference function computes, at every test
    value of every parameter (not only PyTorch's defaults), in float64 and float32."""
    import torch

    from activations.reference import torch_function, torch_module

    x = torch.linspace(-8, 8, 321, dtype=torch.float64)
    twin = torch_function(key, raw)
    with torch.no_grad():
        out = torch_module(key, raw).double().eval()(x).numpy()
        out32 = torch_module(key, raw).eval()(x.float()).numpy()  # as the labs run it
        ref, ref32 = twin(x).numpy(), twin(x.float()).numpy()
    rtol = RTOL_MODULE.get(key, 1e-12)
    np.testing.assert_allclose(out, ref, rtol=rtol, atol=1e-14, err_msg=f"{key} module vs function")
    params, _ = activations.get(key).resolve(raw)
    np.testing.assert_allclose(out, activations.get(key).f(x.numpy(), **params), rtol=rtol, atol=1e-14)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, ref32, rtol=1e-6, atol=1e-7, err_msg=f"{key} float32 module vs function")


@pytest.mark.parametrize("key", list(activations.REGISTRY))
def test_the_named_pytorch_class_is_the_one_the_labs_use(key):
    """The Explorer names `nn.X` under the picker: at PyTorch's defaults the labs' module is that class; an
    activation with no nn class says why in its torch note."""
    from activations.reference import torch_module

    spec = activations.get(key)
    module = torch_module(key)
    assert spec.torch_name, key
    if spec.torch_name.startswith("nn."):
        assert type(module).__name__ == spec.torch_name.removeprefix("nn."), key
        assert type(module).__module__.startswith("torch.nn"), key
    else:
        assert spec.torch_note, f"{key}: {spec.torch_name} is no nn class; its torch_note must say so"
        assert not type(module).__module__.startswith("torch."), key


def test_selu_with_other_constants_is_no_longer_nn_selu():
    from activations.reference import torch_module

    assert type(torch_module("selu")).__name__ == "SELU"
    other = torch_module("selu", {"alpha": 1.0, "scale": 1.0})
    assert type(other).__name__ != "SELU"
    assert other(torch_tensor([-1.0, 2.0])).tolist() == pytest.approx([np.expm1(-1.0), 2.0], rel=1e-12)


def torch_tensor(values):
    import torch

    return torch.tensor(values, dtype=torch.float64)


@pytest.mark.parametrize("alpha", [0.05, 0.3, 1.1415, 3.0])
def test_celu_derivative_exact(alpha):
    """Autograd through CELU's own formula (exp(x/alpha) in float64) agrees with our df to 1e-12."""
    import torch

    x = torch.tensor(grid_for(activations.get("celu"), {"alpha": alpha}), requires_grad=True)
    y = torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0) / alpha))
    (g,) = torch.autograd.grad(y.sum(), x)
    np.testing.assert_allclose(activations.get("celu").df(x.detach().numpy(), alpha=alpha), g.numpy(),
                               rtol=RTOL, atol=ATOL)
