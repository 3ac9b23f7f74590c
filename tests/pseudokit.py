"""What a learner reads on a page, and which of it did not pass through gettext (the pseudo-locale check).

With ?lang=qps (enabled by ACTIVATION_LAB_PSEUDO=1) every translated message comes back wrapped in ⟦…⟧. A page
is walked element by element (markdown, captions, notices, labels, help, options, metrics, expanders, charts'
titles, axes, legends, hover and alt text); what is left outside the marks must be names, identifiers, numbers
or math. Anything else is a string that a translator would never see.
"""
from __future__ import annotations

import json
import re

import activations
from activations import vector  # noqa: F401  (vector-valued names below)

MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
STRIP = [
    re.compile(r"\$\$.*?\$\$", re.S), re.compile(r"\$[^$]*\$"),  # math
    re.compile(r"`[^`]*`"),  # code and identifiers
    re.compile(r"<[^>]*>"), re.compile(r"%\{[^}]*\}"),  # HTML and Plotly's %{placeholders}
    re.compile(r"https?://\S+"), re.compile(r"\b[a-z_]+\?[\w=&.,-]*"),  # links (explorer?fn=relu)
    re.compile(r":material/[a-z_]+:"),
]
WORD = re.compile(r"[A-Za-z][A-Za-z_′']*[A-Za-z]")

# Names stay as they are in every language: PyTorch's identifiers, function and people's names, units.
NAMES = {
    "PyTorch", "NumPy", "torch", "nn", "init", "functional", "autograd", "CSV", "PNG", "SGD", "Adam", "MLP",
    "XOR", "LeCun", "Xavier", "Glorot", "He", "Kaiming", "ns", "Softmax", "Softmin", "GLU", "Maxout", "softmax",
    "softmin", "log_softmax", "tanh", "exp", "erf", "sigmoid", "max", "min", "std", "mean", "Var", "Linear",
    "relu", "leaky_relu", "selu", "elu", "sin", "log", "AlphaDropout", "Dropout", "BCE", "ReLUs",
    "Snake", "SIREN", "Serf", "TanhExp", "Squareplus",  # the own activation's examples: functions' own names
}


def allowed_words() -> set[str]:
    out = set(NAMES)
    for spec in activations.REGISTRY.values():
        ids = re.findall(r"(?:nn|torch)\.[\w.]+", spec.torch_name)
        out |= {spec.key, spec.name, *spec.name.split(), *(w for i in ids for w in WORD.findall(i))}
        out |= {p.name for p in spec.params} | {c for p in spec.params for c in p.choices}
    return out


def unmarked(text: str) -> str:
    """`text` with every ⟦…⟧ (innermost first, so nested marks go too) replaced by a space."""
    prev = None
    while prev != text:
        prev, text = text, MARKED.sub(" ", text)
    return text


def leftovers(text: str, allowed: set[str] | None = None) -> list[str]:
    """Words outside the marks that are not names: each one is text shown without translation."""
    allowed = allowed_words() if allowed is None else allowed
    rest = unmarked(str(text))
    for pattern in STRIP:
        rest = pattern.sub(" ", rest)
    # snake_case is an identifier (clip_grad_norm_, kaiming_uniform_): no English word has an underscore
    return [w for w in WORD.findall(rest) if w not in allowed and w.strip("_") not in allowed and "_" not in w]


def _chart_texts(spec: dict) -> list[tuple[str, str]]:
    out = []
    layout = spec.get("layout", {})
    title = layout.get("title")
    if isinstance(title, dict) and title.get("text"):
        out.append(("chart title", title["text"]))
    for k, v in layout.items():
        if (k.startswith("xaxis") or k.startswith("yaxis")) and isinstance(v, dict):
            t = v.get("title", {})
            if isinstance(t, dict) and t.get("text"):
                out.append((f"{k} title", t["text"]))
            out += [(f"{k} tick", str(s)) for s in v.get("ticktext", []) or []]
    for a in layout.get("annotations", []) or []:
        out.append(("annotation", a.get("text", "")))
    for menu in layout.get("updatemenus", []) or []:
        out += [("button", b.get("label", "")) for b in menu.get("buttons", [])]
    for s in layout.get("sliders", []) or []:
        cv = s.get("currentvalue", {})
        out.append(("slider prefix", cv.get("prefix", "")))
    frames = spec.get("frames", []) or []
    for tr in spec.get("data", []) + [t for f in frames[:2] for t in f.get("data", [])]:
        if tr.get("showlegend", True) is not False and tr.get("name"):
            out.append(("legend", tr["name"]))
        if tr.get("hovertemplate"):
            out.append(("hover", tr["hovertemplate"]))
        cb = tr.get("colorbar", {})
        if isinstance(cb, dict) and isinstance(cb.get("title"), dict):
            out.append(("colorbar", cb["title"].get("text", "")))
        if tr.get("type") == "bar" and tr.get("text") and isinstance(tr["text"], list):
            out += [("bar text", str(t)) for t in tr["text"][:5]]
    for f in frames[:2]:
        t = f.get("layout", {}).get("title")
        if isinstance(t, dict) and t.get("text"):
            out.append(("frame title", t["text"]))
    return out


def visible_texts(at) -> list[tuple[str, str]]:
    """(where, text) for everything on the page a learner reads."""
    out: list[tuple[str, str]] = []
    for root in (at.main, at.sidebar):
        for el in root:
            kind = type(el).__name__
            if kind in ("Latex", "Code", "Json"):
                continue
            for attr in ("label", "help", "placeholder"):
                v = getattr(el, attr, None)
                if isinstance(v, str) and v:
                    out.append((f"{kind}.{attr}", v))
            if kind in ("Markdown", "Caption", "Title", "Header", "Subheader", "Warning", "Info", "Error",
                        "Success", "Text"):
                out.append((kind, str(el.value)))
            if kind == "Metric":
                out.append(("Metric.value", str(el.value)))
            if kind in ("Selectbox", "Radio", "Multiselect", "SelectSlider"):
                out += [(f"{kind}.option", str(o)) for o in el.options]
            proto = getattr(el, "proto", None)
            if kind == "UnknownElement" and proto is not None:
                fields = {f.name for f in proto.DESCRIPTOR.fields}
                if "spec" in fields and proto.spec:
                    out += [(f"chart {w}", t) for w, t in _chart_texts(json.loads(proto.spec))]
                    if proto.alt:
                        out.append(("chart alt", proto.alt))
                for attr in ("label", "help", "text"):
                    if attr in fields and isinstance(getattr(proto, attr), str) and getattr(proto, attr):
                        out.append((f"{kind}.{attr}", getattr(proto, attr)))
    return out


def untranslated(at) -> list[str]:
    allowed = allowed_words()
    found = []
    for where, text in visible_texts(at):
        bad = leftovers(text, allowed)
        if bad:
            found.append(f"{where}: {text[:90]!r} -> {sorted(set(bad))[:6]}")
    return found
