"""The parts every exported experiment shares, as PyTorch source text: the data, the activation's module, the
hidden layers' init, the optimizer. Each part is generated from the same declarations the lab computes with, and
tests/test_codegen.py runs the generated text against the lab (same data, same weights, same figures), so a change
to a lab fails its test until its generator follows. The text imports torch and NumPy, never this app.
"""
from __future__ import annotations

from collections.abc import Mapping

from i18n import N_

from .. import inits
from ..seeding import DATA

PIP = "pip install torch==2.13.0 numpy==2.4.6 matplotlib"  # the versions the page's numbers were computed with
ONE_THREAD = ("torch.set_num_threads(1)  # the app computes on one thread: the same order of operations, the same "
              "numbers")
# The notebook's Markdown before the parts every lab's script has (ui.takehome translates them)
SETUP_TEXT = N_("**Setup.** PyTorch and NumPy, on one thread as the app computes: the same order of operations gives "
                "the same numbers.")
FIGURES_TEXT = N_("**The figures the page shows**, then the same on one line to full precision.")


def setup(imports: str, pre: str = "", pip: str = PIP) -> str:
    """A script's first part: the pip line, its imports, one thread, and (for a learner's formula) the preamble."""
    return f"# {pip}\n{imports}\n\n{ONE_THREAD}{pre}"


def join(parts, title: str) -> str:
    """A script from its parts ((name, code) in order) under a docstring: what the page shows and downloads."""
    return f'"""{title}"""\n' + "\n\n".join(code for _name, code in parts) + "\n"


class NotExportable(ValueError):
    """This view cannot be written as plain PyTorch yet: its activation (`key`) has no torch.nn class."""

    def __init__(self, key: str, why: str):
        super().__init__(why)
        self.key = key


# ---- data: labs.toydata.two_classes, as text -----------------------------------------------------------------------

MAKERS = {  # the body of each data set's points (labs.toydata._MAKERS), with rng, n0 and n1 given
    "moons": """t0, t1 = rng.uniform(0.0, math.pi, n0), rng.uniform(0.0, math.pi, n1)
upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
X = np.concatenate([upper, lower])""",
    "circles": """t0, t1 = rng.uniform(0.0, 2 * math.pi, n0), rng.uniform(0.0, 2 * math.pi, n1)
outer = np.stack([np.cos(t0), np.sin(t0)], axis=1)
inner = 0.5 * np.stack([np.cos(t1), np.sin(t1)], axis=1)
X = np.concatenate([outer, inner])""",
    "spiral": """arms = []
for count, phase in ((n0, 0.0), (n1, math.pi)):
    s = np.sqrt(rng.uniform(0.0, 1.0, count))
    theta = 0.3 + s * 3 * math.pi
    r = 2.0 * theta / (0.3 + 3 * math.pi)
    arms.append(np.stack([r * np.cos(theta + phase), r * np.sin(theta + phase)], axis=1))
X = np.concatenate(arms)""",
    "xor": """def clusters(count, centres):
    which = np.arange(count) % 2
    return centres[which] + 0.3 * rng.standard_normal((count, 2))


X = np.concatenate([clusters(n0, np.array([[1.0, -1.0], [-1.0, 1.0]])),
                    clusters(n1, np.array([[1.0, 1.0], [-1.0, -1.0]]))])""",
    "blobs": """X = np.concatenate([np.array([-1.0, -1.0]) + 0.5 * rng.standard_normal((n0, 2)),
                    np.array([1.0, 1.0]) + 0.5 * rng.standard_normal((n1, 2))])""",
}


def two_classes(dataset: str, n: int, noise: float, seed: int) -> str:
    """Code that leaves X (n, 2) float32, standardized, and y (n,) int64 as labs.toydata.two_classes draws them."""
    return f"""rng = np.random.default_rng(np.random.SeedSequence([{seed}, {DATA:#x}]))  # the data's own stream
n0, n1 = {n // 2}, {n - n // 2}
{MAKERS[dataset]}
X = X + {noise!r} * rng.standard_normal(X.shape)  # Gaussian jitter
y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
order = rng.permutation({n})  # the classes interleaved
X, y = X[order], y[order]
std = X.std(axis=0)
X = ((X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)).astype(np.float32)  # each feature: mean 0, std 1"""


# ---- the activation's module ---------------------------------------------------------------------------------------

def activation(key: str, params: Mapping) -> str:
    """`nn.ReLU()`, `nn.LeakyReLU(negative_slope=0.2)`, …: the module the lab builds (activations.reference), as
    source text, checked by building it back and comparing outputs bit for bit; `Own()` for the learner's formula
    (preamble() defines it). NotExportable when it has no nn class (Swish, binary step)."""
    import torch
    from torch import nn

    import activations
    from activations.reference import torch_module

    if activations.is_own(key):
        return "Own()"  # defined by preamble(): the formula printed as torch code
    module = torch_module(key, params)
    if type(module).__module__.split(".")[:2] != ["torch", "nn"]:
        raise NotExportable(key, f"{key} has no torch.nn class")
    resolved = activations.get(key).resolve(params)[0]
    text = (f"nn.PReLU(init={float(resolved['init'])!r})" if isinstance(module, nn.PReLU)
            else f"nn.{module!r}")
    rebuilt = eval(text, {"nn": nn})  # noqa: S307 - our own text, from a module's repr
    x = torch.linspace(-6, 6, 241)
    module.eval()
    rebuilt.eval()
    if type(rebuilt) is not type(module) or not torch.equal(rebuilt(x), module(x)):
        raise NotExportable(key, f"{text} does not rebuild {key}")
    return text


# ---- the hidden layers' init (labs.nets.linears with defaults_first) ---------------------------------------------

def preamble(keys, params: Mapping) -> str:
    """The code an exported script needs before its network: for the learner's formula among `keys`, the formula as
    torch code (activations.formula.torchcode, at its resolved parameters) and an nn.Module around it, as the app's
    own module calls the formula's torch twin. Empty otherwise."""
    import activations
    from activations.formula.torchcode import function_code

    own = [k for k in ([keys] if isinstance(keys, str) else keys) if activations.is_own(k)]
    if not own:
        return ""
    key = own[0]
    resolved = activations.get(key).resolve(params)[0]
    return (f"\n\n{function_code(activations.registry.own_formula(key), 'formula', resolved)}\n\n"
            "class Own(nn.Module):\n"
            '    """The learner\'s activation."""\n\n'
            "    def forward(self, x):\n"
            "        return formula(x)")


def init_lines(init: str, bias_init: str, bias_value: float, init_for: str = "relu", params: Mapping | None = None,
               sigma: float = 1.0, indent: str = "    ") -> str:
    """The lines that draw a hidden Linear `lin` again as labs.inits does (none for PyTorch's default): He's slope and
    Xavier's gain those of `init_for` at `params`."""
    lines = []
    if init != "default":
        call = inits.code(init, init_for, params, sigma)
        lines.append(call.replace("(w,", "(lin.weight,").replace("(w)", "(lin.weight)"))
    if bias_init == "zeros":
        lines.append("nn.init.zeros_(lin.bias)")
    elif bias_init == "constant":
        lines.append(f"nn.init.constant_(lin.bias, {float(bias_value)!r})")
    return "\n".join(indent + line for line in lines)


def indented(text: str, prefix: str) -> str:
    """Each line of `text` with `prefix` before it."""
    return "\n".join(prefix + line for line in text.splitlines())


def optimizer(name: str, lr: float) -> str:
    """labs.optim.make as text."""
    if name == "adam":
        return f"torch.optim.Adam(net.parameters(), lr={lr!r}, foreach=True)"
    momentum = 0.9 if name == "momentum" else 0.0
    return f"torch.optim.SGD(net.parameters(), lr={lr!r}, momentum={momentum!r}, foreach=True)"
