"""Real data: activations raced on scikit-learn's own data sets, several seeds each, so the numbers answer.

The rule of thumb in the learners' notes (Géron, *Hands-On Machine Learning*, 2nd ed. (2019), ch. 11: "in general
SELU > ELU > leaky ReLU > ReLU > tanh > logistic"; the 3rd edition (2022) changed this advice) is tested, not quoted:
the same MLP is trained once per activation and seed on `load_digits` (1,797 8x8 digits, 10 classes) or
`load_breast_cancer` (569 x 30, 2 classes), both shipped inside scikit-learn (no download). scikit-learn loads and
splits the data; the nets are PyTorch, built from the registry's torch twins, so every activation (a learner's formula
too) runs the same way. Deterministic from the seeds: the same link gives bit-identical numbers. No Streamlit here.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, fields, replace
from functools import cache

import numpy as np

import activations
from activations import OWN, is_own, known
from activations.lookup import get
from activations.registry import REGISTRY
from i18n import N_, Msg, Nn_, Note

from . import inits, nets, optim
from .controls import Choice, Multi, Number, Preset, Schema, Steps, seed
from .optim import OPTIMIZER_LABELS, OPTIMIZERS
from .progress import Progress, silent
from .seeding import DATA, derived_seed, generator, seeded

RULE = ("selu", "elu", "leaky_relu", "relu", "tanh", "sigmoid")  # the rule of thumb's order, best first
SOURCE = N_("Géron, *Hands-On Machine Learning*, 2nd ed. (2019), ch. 11")
LEVEL = 0.95  # two activations are told apart when their Student-t intervals over seeds at this level do not overlap
KEYS = (*activations.keys_grouped(), OWN)
DATASETS = ("digits", "breast_cancer")
DATASET_LABELS = {"digits": N_("digits: 1,797 handwritten digits, 8×8 pixels, 10 classes"),
                  "breast_cancer": N_("breast cancer: 569 tumours, 30 measurements, 2 classes")}
INITS = (inits.MATCHED, "default", "kaiming_normal", "xavier_normal", "lecun_normal")
# He here is He for a ReLU (gain √2) whatever the activation, as its label says; Xavier's gain is the activation's.
RELU_GAIN = ("kaiming_normal",)
INIT_LABELS = inits.labels(INITS, relu=RELU_GAIN)
WIDTHS = (16, 32, 64, 128, 256)
BATCHES = (16, 32, 64, 128, 256)
LRS = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
TEST_SHARE = 0.25
MAX_SECONDS = 60.0  # the longest race a link may start (estimated): beyond it, fewer epochs (said so)
SHUFFLE = 0x5F1E  # derived_seed(seed, SHUFFLE): the mini-batch order, independent of the weights

RACE = Schema(
    Choice("data", N_("Data set"), N_("Both ship inside scikit-learn: nothing is downloaded."), "digits",
           options=DATASETS, labels=DATASET_LABELS),
    Multi("activations", N_("Activations"), N_("By default the six of the rule of thumb; add any other, or your own."),
          list(RULE), url="acts", options=KEYS, max_count=8, cost=True),
    Number("depth", N_("Hidden layers"), N_("Deeper nets make the activation and its init matter more."), 2,
           low=1, high=20, step=1, cost=True),
    Steps("width", N_("Units per layer"), N_("Width of every hidden layer."), 64, options=WIDTHS, cost=True),
    Choice("init", N_("Weight init"), N_("Matched: He for the ReLU family, LeCun for SELU, Xavier for tanh and "
                                          "sigmoid, as the rule of thumb assumes."), "matched", options=INITS,
           labels=INIT_LABELS),
    Choice("optimizer", N_("Optimizer"), N_("Mini-batch updates."), "momentum", url="opt", options=OPTIMIZERS,
           labels=OPTIMIZER_LABELS),
    Steps("lr", N_("Learning rate"), N_("Step size of every update."), 0.03, options=LRS),
    Number("epochs", N_("Epochs"), N_("Passes over the training split."), 20, low=1, high=100, step=1, cost=True),
    Steps("batch", N_("Batch size"), N_("Training examples per update."), 64, options=BATCHES),
    Number("seeds", N_("Seeds"), N_("Each activation is trained once per seed: the spread shows what luck does."),
           3, low=1, high=10, step=1, cost=True),
    seed(),
)
SCHEMAS = {"race": RACE}

MODERN = ("relu", "silu", "gelu", "selu", "elu", "leaky_relu")  # Géron's 3rd edition's picks, and the rule's

# What a preset's race showed, under it (labs.lessons.MEASURES fill it); the preset's own text only asks.
RACED = N_("{n_learned} of the activations learned (mean accuracy above 50%): {learned}. Means from {worst_accuracy} "
           "to {best_accuracy}, the best {winner}'s.")
PRESETS = {
    "shallow": Preset(N_("Shallow, matched"), N_("Two layers, each activation with its own init: do all six learn "
                                                 "the digits, and how far apart do they end?"),
                      {"depth": 2, "init": "matched"}, shows=RACED),
    "deep-default": Preset(N_("Deep, default init"),
                           N_("Ten layers with PyTorch's default init: which activations still learn, and which "
                              "stay at chance (10%)?"),
                           {"depth": 10, "init": "default"}, shows=RACED),
    "deep-matched": Preset(N_("Deep, matched"),
                           N_("The same ten layers with each activation's own init: which learn now, and with every "
                              "seed? Compare with *Deep, default init*."),
                           {"depth": 10, "init": "matched"}, shows=RACED),
    "selu-no-lecun": Preset(N_("SELU, He init"),
                            N_("SELU, ELU and ReLU at ten layers, all with He init: compare SELU with its LeCun init "
                               "in *Deep, matched*."), {"depth": 10, "init": "kaiming_normal",
                                                         "activations": ["selu", "elu", "relu"]}, shows=RACED),
    "lr-too-high": Preset(N_("Rate too high"), N_("A learning rate of 1: which activations blow up or stall at chance, "
                                                  "and does sigmoid, whose small gradient is usually its weakness, "
                                                  "survive it?"),
                          {"lr": 1.0}, shows=RACED),
    "modern": Preset(N_("3rd edition's picks"),
                     N_("Géron's 3rd edition (2022) calls ReLU a good default and Swish (SiLU here) probably better "
                        "on complex tasks: SiLU and GELU race ReLU, LeakyReLU, ELU and SELU. The verdict still judges "
                        "the 2nd edition's rule."), {"activations": list(MODERN)}, shows=RACED),
}

# ---- messages ------------------------------------------------------------------------------------------------
LOADING = N_("loading {data}")
RACING = N_("{name}, seed {seed}: epoch {epoch} of {epochs}")
TOO_LONG = N_("This race would take about {estimate} on this server: {epochs_was} epochs became {epochs} so that "
              "it finishes in about a minute. Fewer activations or seeds, or a smaller net, allow more epochs.")
TOO_LONG_SEEDS = N_("This race would take about {estimate} on this server even with 1 epoch: it runs 1 epoch and "
                    "{seeds} seed(s). Fewer activations or a smaller net allow more.")
DIVERGED = Nn_("{name}: {n} run of {runs} diverged (the loss became inf or nan); its accuracy counts as chance.",
               "{name}: {n} runs of {runs} diverged (the loss became inf or nan); their accuracy counts as chance.")
AT_CHANCE = N_("At chance level ({chance:.0%}) after training, within 5 points: {names}.")
SIGNAL_AT_INIT = N_("Before training, the last hidden layer's outputs varied with the input by: {values} (each unit's "
                    "standard deviation over the training examples, averaged over the units and seeds; the input's "
                    "is 1).")
HELD = N_("The rule of thumb ({rule}, from {source}) **held** here: {agree} of its {total} pairs are told apart, "
          "all in its order; the other {ties} tie.")
HELD_EXCEPT = N_("The rule of thumb ({rule}, from {source}) **held except** for {pairs}: {against} of its {total} "
                 "pairs are told apart against its order, {agree} in its order; the other {ties} tie.")
NOT_HELD = N_("The rule of thumb ({rule}, from {source}) **did not hold** at these settings: {pairs}. {against} of "
              "its {total} pairs are told apart against its order, {agree} in its order; the other {ties} tie.")
NO_DIFFERENCE = N_("The rule of thumb ({rule}, from {source}): **no measurable difference** at these settings. All "
                   "{total} pairs of its activations tie: their intervals overlap. {next}")
SEEDS_WOULD = N_("If the means and spreads stayed as measured, {seeds} seeds would tell {first} and {second} apart, "
                 "the pair nearest to it.")
SEEDS_WOULD_NOT = N_("Even {most} seeds, the most this page runs, would not tell any pair apart at these spreads: the "
                     "differences are smaller than what the seed changes.")
ONE_SEED = N_("One seed measures no spread, so nothing can be told apart: race 3 seeds or more.")
STUCK = N_("The rule of thumb ({rule}, from {source}) **cannot be judged** here: {names} stayed at chance, so "
           "their order is a tie at the bottom. Change the depth, the init or the learning rate.")
TOO_FEW = N_("The rule of thumb ranks {rule}; this race has fewer than two of them, so it says nothing about it.")


# ---- data ----------------------------------------------------------------------------------------------------
@cache
def dataset(name: str) -> tuple[np.ndarray, np.ndarray, int]:
    """(X float64, y int64, number of classes) of a data set that ships with scikit-learn."""
    from sklearn import datasets

    loader = {"digits": datasets.load_digits, "breast_cancer": datasets.load_breast_cancer}[name]
    bunch = loader()
    y = bunch.target.astype(np.int64)
    return bunch.data.astype(np.float64), y, int(y.max()) + 1


@cache
def split(name: str, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A stratified train/test split from `seed`, standardized with the training split's mean and std (a
    constant pixel keeps std 1): float32 X, int64 y."""
    from sklearn.model_selection import train_test_split

    X, y, _ = dataset(name)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=TEST_SHARE, stratify=y,
                                          random_state=derived_seed(seed, DATA) % (2**32))
    mean, std = Xtr.mean(axis=0), Xtr.std(axis=0)
    std[std == 0] = 1.0
    return ((Xtr - mean) / std).astype(np.float32), ytr, ((Xte - mean) / std).astype(np.float32), yte


def sizes(name: str) -> tuple[int, int]:
    """(training examples, test examples) of the split."""
    Xtr, _, Xte, _ = split(name, 0)
    return len(Xtr), len(Xte)


# ---- the config ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RaceConfig:
    data: str = RACE.data.default
    activations: tuple[str, ...] = RULE  # registry keys, or a formula's key (activations.own_key)
    depth: int = RACE.depth.default
    width: int = RACE.width.default
    init: str = RACE.init.default
    optimizer: str = RACE.optimizer.default
    lr: float = RACE.lr.default
    epochs: int = RACE.epochs.default
    batch: int = RACE.batch.default
    seeds: int = RACE.seeds.default
    seed: int = RACE.seed.default

    @classmethod
    def of(cls, values: Mapping) -> RaceConfig:
        known_fields = {f.name for f in fields(cls)}
        v = {k: val for k, val in values.items() if k in known_fields}
        if "activations" in v:
            v["activations"] = tuple(v["activations"])
        return cls(**v)

    def clamped(self) -> tuple[RaceConfig, list[Note]]:
        """Every value checked by its declaration (a link, a hand-made config), then the race's size bounded by its
        estimated run time (MAX_SECONDS): a race any link can start finishes in about a minute."""
        values = {c.name: getattr(self, c.name) for c in RACE if c.name != "activations"}
        checked, notes = RACE.check(values)
        acts = [a for a in self.activations if isinstance(a, str) and known(a)]
        options = (*REGISTRY, *(a for a in acts if is_own(a)))
        from activations import validate

        chosen, note = validate.choices(RACE.activations.url, list(self.activations), options, list(RULE),
                                        RACE.activations.max_count)
        notes += [note] if note else []
        cfg = replace(self, activations=tuple(chosen), **{k: checked[k] for k in values})
        return bounded(cfg, notes)


def _flops_per_sample(cfg: RaceConfig, features: int, classes: int) -> float:
    w = cfg.width
    return 6.0 * (features * w + (cfg.depth - 1) * w * w + w * classes)  # forward + backward, multiply-adds x 2


# Fitted to runs on a 2-core test machine, one thread (5 sizes, depth 1-20, width 16-256, batch 16-256; within
# 25%): the effective rate of these small nets' arithmetic, and the Python/autograd cost of each optimizer step,
# per step and per layer, that dominates the small ones. An estimate: it bounds a race, it is not a promise.
FLOPS_PER_S = 3.5e10
STEP_S, LAYER_STEP_S = 1.5e-4, 2.2e-4


def seconds(cfg: RaceConfig) -> float:
    """The race's run time on this server, estimated from its size (cfg checked; labs.progress)."""
    X, _, classes = dataset(cfg.data)
    n, features = round(len(X) * (1 - TEST_SHARE)), X.shape[1]
    runs = len(cfg.activations) * cfg.seeds
    steps = math.ceil(n / cfg.batch) * cfg.epochs
    per_step = STEP_S + cfg.depth * LAYER_STEP_S
    return runs * (cfg.epochs * n * _flops_per_sample(cfg, features, classes) / FLOPS_PER_S + steps * per_step)


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


def bounded(cfg: RaceConfig, notes: list[Note] | None = None) -> tuple[RaceConfig, list[Note]]:
    notes = list(notes or [])
    est = seconds(cfg)
    if est <= MAX_SECONDS:
        return cfg, notes
    per_epoch = est / cfg.epochs
    epochs = max(1, int(MAX_SECONDS // per_epoch))
    if per_epoch <= MAX_SECONDS:
        notes.append(Note.of(TOO_LONG, estimate=_duration(est), epochs_was=cfg.epochs, epochs=epochs))
        return replace(cfg, epochs=epochs), notes
    seeds = max(1, int(cfg.seeds * MAX_SECONDS // per_epoch))
    notes.append(Note.of(TOO_LONG_SEEDS, estimate=_duration(est), seeds=seeds))
    return replace(cfg, epochs=1, seeds=seeds), notes


# ---- one run ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunCurves:
    loss: np.ndarray  # (epochs,) mean training loss of each epoch (nan once diverged)
    test_accuracy: np.ndarray  # (epochs,) after each epoch
    seconds_per_epoch: float
    diverged: bool
    train_accuracy: float = float("nan")  # after the last epoch, on the training split
    signal_at_init: float = float("nan")  # spread_across_examples of the last hidden layer, before any update


def spread_across_examples(h) -> float:
    """How much a layer's output (examples x units) varies with the input: each unit's standard deviation over the
    examples, averaged over the units. Near 0, the layer answers every input alike and the head sees no input."""
    return float(h.double().std(dim=0, unbiased=False).mean())


def _build(cfg: RaceConfig, key: str, features: int, classes: int):
    """The MLP for `key`: depth x [Linear -> activation], then a Linear head. Call inside seeded(run seed): with He,
    LeCun or the default init the weights depend on (sizes, init, seed) only, so every activation starts from the same
    weights (with Xavier, the same draws scaled by its gain)."""
    scheme = inits.scheme(cfg.init, key)
    return nets.build(nets.MLP(inputs=features, depth=cfg.depth, width=cfg.width, outputs=classes, activation=key,
                               init=scheme, init_for="relu" if scheme in RELU_GAIN else None,
                               bias_init="default" if scheme == "default" else "zeros", defaults_first=True))


def _accuracy(net, x, target, classes: int) -> float:
    """The net's accuracy on (x, target) in evaluation mode; chance where its outputs are not finite."""
    import torch

    net.eval()
    with torch.no_grad():
        logits = net(x)
    return float((logits.argmax(1) == target).double().mean()) if torch.isfinite(logits).all() else 1.0 / classes


def train_one(cfg: RaceConfig, key: str, run_seed: int, on_epoch: Callable[[int], None] | None = None) -> RunCurves:
    """One activation, one seed (cfg already checked). The weights and the batch order come from run_seed."""
    import torch
    from torch import nn

    Xtr, ytr, Xte, yte = split(cfg.data, cfg.seed)
    classes = dataset(cfg.data)[2]
    xtr, ttr = torch.from_numpy(Xtr), torch.from_numpy(ytr)
    xte, tte = torch.from_numpy(Xte), torch.from_numpy(yte)
    loss_fn = nn.CrossEntropyLoss()
    losses = np.full(cfg.epochs, np.nan)
    accs = np.full(cfg.epochs, np.nan)
    order = generator(run_seed, SHUFFLE)
    diverged = False
    with seeded(run_seed):  # the weights, and RReLU's random slopes while training
        net = _build(cfg, key, Xtr.shape[1], classes)
        net.eval()  # evaluation mode draws no random numbers: the training below is the same with or without this
        with torch.no_grad():
            signal = spread_across_examples(net[:-1](xtr))
        opt = optim.make(cfg.optimizer, net.parameters(), cfg.lr)
        start = time.perf_counter()
        for epoch in range(cfg.epochs):
            net.train()
            perm = torch.randperm(len(xtr), generator=order)
            total = torch.zeros((), dtype=torch.float64)
            for i in range(0, len(xtr), cfg.batch):
                idx = perm[i:i + cfg.batch]
                loss = loss_fn(net(xtr[idx]), ttr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.detach() * len(idx)  # a tensor: no sync with Python at every step
            mean_loss = float(total) / len(xtr)
            if not math.isfinite(mean_loss):  # checked once per epoch: a non-finite loss stays non-finite
                diverged = True
                break
            losses[epoch] = mean_loss
            accs[epoch] = _accuracy(net, xte, tte, classes)
            if on_epoch:
                on_epoch(epoch)
        elapsed = time.perf_counter() - start
        train_acc = _accuracy(net, xtr, ttr, classes)
    done = int(np.isfinite(losses).sum()) or 1
    if diverged:  # what a diverged net predicts is noise: it counts as chance from there on
        accs[np.isnan(accs)] = 1.0 / classes
        train_acc = 1.0 / classes
    return RunCurves(losses, accs, elapsed / done, diverged, train_acc, signal)


# ---- the race --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Race:
    config: RaceConfig
    keys: tuple[str, ...]
    run_seeds: tuple[int, ...]
    loss: np.ndarray  # (activations, seeds, epochs)
    test_accuracy: np.ndarray  # (activations, seeds, epochs)
    seconds_per_epoch: np.ndarray  # (activations,) median over seeds
    chance: float
    notes: tuple[Note, ...]
    train_accuracy: np.ndarray | None = None  # (activations, seeds) after the last epoch
    signal_at_init: np.ndarray | None = None  # (activations, seeds) spread_across_examples, last hidden layer

    @property
    def final(self) -> np.ndarray:
        """(activations, seeds): test accuracy after the last epoch."""
        return self.test_accuracy[:, :, -1]

    def results(self) -> dict[str, np.ndarray]:
        return dict(zip(self.keys, self.final, strict=True))

    def mean(self) -> np.ndarray:
        return self.final.mean(axis=1)

    def spread(self) -> np.ndarray:
        """Sample standard deviation over seeds (ddof 1; nan with one seed: one run measures no spread)."""
        return np.array([sample_std(v) for v in self.final])

    def intervals(self) -> np.ndarray:
        """(activations, 2): each one's LEVEL interval over seeds, low and high (±inf with one seed)."""
        return np.array([interval(v) for v in self.final]).reshape(len(self.keys), 2)

    def ranking(self) -> list[Standing]:
        return ranking(self.results())

    def at_chance(self) -> list[str]:
        """The activations whose mean final accuracy is within 5 points of chance."""
        return [k for k, m in zip(self.keys, self.mean(), strict=True) if m <= self.chance + 0.05]

    def verdict(self) -> Note:
        return verdict(self.results(), self.at_chance())


def sample_std(values) -> float:
    v = np.asarray(values, dtype=float)
    return float(v.std(ddof=1)) if len(v) > 1 else float("nan")


@cache  # the ranking, the verdict and the seeds-to-separate search ask for the same few df on every rerun
def t_quantile(df: int) -> float:
    """Student's t quantile for a two-sided LEVEL interval with `df` degrees of freedom."""
    from scipy import stats

    return float(stats.t.ppf(0.5 + LEVEL / 2, df))


def interval(values) -> tuple[float, float]:
    """The mean's LEVEL Student-t interval over seeds, mean ± t·s/√n (s the sample standard deviation). One seed
    measures no spread: its interval is unbounded (it ties with everything)."""
    v = np.asarray(values, dtype=float)
    if len(v) < 2:
        return -math.inf, math.inf
    half = t_quantile(len(v) - 1) * sample_std(v) / math.sqrt(len(v))
    return float(v.mean()) - half, float(v.mean()) + half


def tie(a, b) -> bool:
    """Two activations tie when their own intervals overlap (pairwise: ties do not chain)."""
    (lo_a, hi_a), (lo_b, hi_b) = interval(a), interval(b)
    return lo_a <= hi_b and lo_b <= hi_a


@dataclass(frozen=True)
class Standing:
    key: str
    mean: float
    low: float  # the LEVEL interval over seeds (±inf with one seed)
    high: float
    ties: tuple[str, ...]  # the activations whose own intervals overlap this one's, best first


def ranking(results: Mapping[str, np.ndarray]) -> list[Standing]:
    """Every activation, best mean final accuracy first, with the others it ties with, pair by pair: A may tie with
    B and B with C while A and C are told apart."""
    order = sorted(results, key=lambda k: -float(np.mean(results[k])))
    return [Standing(k, float(np.mean(results[k])), *interval(results[k]),
                     tuple(o for o in order if o != k and tie(results[k], results[o]))) for k in order]


def seeds_to_separate(a, b, most: int) -> int | None:
    """The fewest seeds (up to `most`) whose intervals would no longer overlap if the two means and sample standard
    deviations stayed as measured; None if even `most` would not, or if a spread is unknown (one seed)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    gap, width = abs(float(a.mean() - b.mean())), sample_std(a) + sample_std(b)
    if not math.isfinite(width) or gap == 0:
        return None
    for n in range(max(len(a), len(b), 2), most + 1):
        if t_quantile(n - 1) * width / math.sqrt(n) < gap:
            return n
    return None


def _name(key: str) -> str:
    return get(key).name


def verdict(results: Mapping[str, np.ndarray], stuck: Collection[str] = ()) -> Note:
    """One sentence: does the measured order agree with the rule of thumb? Each pair of the rule's activations is
    separated in its order, separated against it, or tied (their intervals overlap). `stuck`: the activations that
    stayed at chance (two or more of the rule's, and there is no order to judge)."""
    present = [k for k in RULE if k in results]
    rule = " > ".join(_name(k) for k in RULE)
    if len(present) < 2:
        return Note.of(TOO_FEW, rule=rule)
    source = Msg(SOURCE)
    at_chance = [k for k in present if k in stuck]
    if len(at_chance) >= 2:
        return Note.of(STUCK, rule=rule, source=source, names=", ".join(_name(k) for k in at_chance))
    pairs = [(a, b) for i, a in enumerate(present) for b in present[i + 1:]]  # a above b in the rule
    apart = [(a, b) for a, b in pairs if not tie(results[a], results[b])]
    against = [(a, b) for a, b in apart if np.mean(results[b]) > np.mean(results[a])]
    agree = len(apart) - len(against)
    counts = {"rule": rule, "source": source, "agree": agree, "total": len(pairs), "ties": len(pairs) - len(apart)}
    if not apart:
        return Note.of(NO_DIFFERENCE, **counts, next=_next_step(results, pairs))
    if not against:
        return Note.of(HELD, **counts)
    listed = ", ".join(f"{_name(b)} > {_name(a)}" for a, b in against)
    msg = HELD_EXCEPT if agree >= 2 * len(against) else NOT_HELD
    return Note.of(msg, **counts, against=len(against), pairs=listed)


def _next_step(results: Mapping[str, np.ndarray], pairs: list[tuple[str, str]]) -> Note:
    """What would tell the tied pairs apart: the fewest seeds for the pair nearest to separating, if the page can run
    them."""
    most = RACE.seeds.high
    if min(len(results[k]) for pair in pairs for k in pair) < 2:
        return Note.of(ONE_SEED)
    needed = [(n, a, b) for a, b in pairs if (n := seeds_to_separate(results[a], results[b], most)) is not None]
    if not needed:
        return Note.of(SEEDS_WOULD_NOT, most=most)
    n, a, b = min(needed, key=lambda t: t[0])
    return Note.of(SEEDS_WOULD, seeds=n, first=_name(a), second=_name(b))


def race_parts(cfg: RaceConfig) -> list[tuple[str, int]]:
    """The race's runs (cfg already checked): every activation once per seed (seeds cfg.seed, cfg.seed + 1, …).
    Each is independent of the others (its own weights and batch order from its seed, the same split), so they may
    run in any order, on any worker: ui.cache.lab_parts spreads them."""
    return [(key, cfg.seed + i) for key in cfg.activations for i in range(cfg.seeds)]


def run_part(cfg: RaceConfig, key: str, run_seed: int, progress: Progress | None = None) -> RunCurves:
    """One run of the race; progress(fraction of this run, note) after every epoch."""
    say = progress or silent
    return train_one(cfg, key, run_seed, lambda epoch: say(
        (epoch + 1) / cfg.epochs, Note.of(RACING, name=_name(key), seed=run_seed, epoch=epoch + 1, epochs=cfg.epochs)))


def assemble(cfg: RaceConfig, runs: list[RunCurves], notes: list[Note] | None = None) -> Race:
    """The Race from its runs, in race_parts' order."""
    notes = list(notes or [])
    classes = dataset(cfg.data)[2]
    run_seeds = tuple(cfg.seed + i for i in range(cfg.seeds))
    n_acts, n_seeds = len(cfg.activations), len(run_seeds)
    if len(runs) != n_acts * n_seeds:
        raise ValueError(f"{len(runs)} runs for {n_acts} activations x {n_seeds} seeds")
    loss = np.full((n_acts, n_seeds, cfg.epochs), np.nan)
    acc = np.full_like(loss, np.nan)
    secs = np.zeros((n_acts, n_seeds))
    train_acc, signal = np.zeros_like(secs), np.zeros_like(secs)
    for n, run in enumerate(runs):
        a, s = divmod(n, n_seeds)
        loss[a, s], acc[a, s], secs[a, s] = run.loss, run.test_accuracy, run.seconds_per_epoch
        train_acc[a, s], signal[a, s] = run.train_accuracy, run.signal_at_init
    for a, key in enumerate(cfg.activations):
        diverged = sum(run.diverged for run in runs[a * n_seeds:(a + 1) * n_seeds])
        if diverged:
            notes.append(Note.count(DIVERGED, diverged, name=_name(key), runs=n_seeds))
    result = Race(cfg, cfg.activations, run_seeds, loss, acc, np.median(secs, axis=1), 1.0 / classes, (),
                  train_acc, signal)
    chance = result.at_chance()
    if chance:
        notes.append(Note.of(AT_CHANCE, chance=result.chance, names=", ".join(_name(k) for k in chance)))
        # what the run shows of the forward signal, stuck ones first: no cause named beyond what is measured
        signal = dict(zip(cfg.activations, signal.mean(axis=1), strict=True))
        order = chance + [k for k in cfg.activations if k not in chance]
        notes.append(Note.of(SIGNAL_AT_INIT, values=", ".join(f"{_name(k)} {signal[k]:.1g}" for k in order)))
    return replace(result, notes=tuple(notes))


def race(cfg: RaceConfig, progress: Progress | None = None) -> Race:
    """Every activation of cfg trained once per seed on the same split, one run after another here (the pages
    spread the runs over the workers: race_parts, run_part, assemble); progress(fraction, note) after every epoch
    of every run."""
    say = progress or silent
    cfg, notes = cfg.clamped()
    say(0.0, Note.of(LOADING, data=Msg(DATASET_LABELS[cfg.data])))
    parts = race_parts(cfg)
    runs = [run_part(cfg, key, run_seed, lambda f, note=None, n=n: say((n + f) / len(parts), note))
            for n, (key, run_seed) in enumerate(parts)]
    say(1.0, None)
    return assemble(cfg, runs, notes)
