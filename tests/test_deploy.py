"""The Docker image, checked without a Docker engine.

No engine runs where these tests run, so `docker build` itself cannot be. What can go wrong inside the
image can still be checked with the same parts: the files the build context keeps (by `.dockerignore`),
the Dockerfile's own ENV, CMD, USER and HEALTHCHECK, and the pins it installs. The app is started from a
read-only copy of exactly the build context, with the Dockerfile's environment and command (as uid 1000
when the tests run as root and uid 1000 can reach the interpreter), its health check is run as the
Dockerfile writes it, and a teacher's Korean link is opened in Chromium: it reads every kind of file the app
reads.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from browserkit import ROOT, free_port, launch_browser, running_server
from layoutkit import translated

from labs.pages import PAGES

CHART = ".js-plotly-plot .main-svg"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
# What the app reads at run time (.dockerignore's comment says the same): code, Markdown texts, catalogs.
RUNTIME_DIRS = ["activations", "labs", "charts", "ui", "views", "i18n", "assets", "locales"]


# --- reading the Dockerfile and .dockerignore ----------------------------------------------------------------

def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; continuation lines joined, comments dropped."""
    out, pending = [], ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = pending + stripped
        pending = ""
        instr, _, args = full.partition(" ")
        out.append((instr.upper(), args.strip()))
    return out


def instructions(name: str) -> list[str]:
    return [args for instr, args in dockerfile() if instr == name]


def image_env() -> dict[str, str]:
    env = {}
    for args in instructions("ENV"):
        for item in shlex.split(args):
            key, sep, value = item.partition("=")
            assert sep, f"ENV without '=' is ambiguous: {args!r}"
            env[key] = value
    return env


def exec_form(args: str) -> list[str]:
    argv = json.loads(args)
    assert isinstance(argv, list) and all(isinstance(a, str) for a in argv), args
    return argv


def ignore_patterns() -> list[re.Pattern]:
    patterns = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        # Negations would need Docker's ordered semantics, which this reading does not implement.
        assert not line.startswith("!"), "update build_context() before using '!' in .dockerignore"
        rx = re.escape(line.strip("/")).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        patterns.append(re.compile(rx))
    return patterns


def build_context() -> list[str]:
    """The repository's files that `COPY . .` puts in the image (a path goes if it or a parent matches)."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        files = [f for f in listed.decode().split("\0") if f and (ROOT / f).is_file()]
    else:
        files = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()]
    patterns = ignore_patterns()

    def ignored(path: str) -> bool:
        parts = path.split("/")
        return any(rx.fullmatch("/".join(parts[:i])) for i in range(1, len(parts) + 1) for rx in patterns)

    return sorted(f for f in files if not ignored(f))


def host_env() -> dict[str, str]:
    """This machine's environment without what the test session sets for itself (conftest.py's pseudo-locale,
    thread limits): under the image's ENV, only the Dockerfile may decide those."""
    session = ("ACTIVATION_LAB_PSEUDO", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "ACTIVATION_LAB_DASK")
    return {k: v for k, v in os.environ.items() if k not in session}


def cmd_port() -> int:
    argv = exec_form(instructions("CMD")[-1])
    return int(argv[argv.index("--server.port") + 1])


@pytest.fixture(scope="module")
def image_copy(tmp_path_factory) -> Path:
    """The build context copied as the image holds it: owned by whoever runs the tests, read-only."""
    dest = tmp_path_factory.mktemp("image") / "app"
    for rel in build_context():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    for path in sorted(dest.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    dest.chmod(0o555)
    yield dest
    for path in [dest, *dest.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def as_uid_1000(home: Path):
    """A preexec_fn that drops to uid/gid 1000 (the image's USER) when the tests run as root, else None."""
    if os.geteuid() != 0:
        return None

    def drop() -> None:
        os.setgroups([])
        os.setgid(1000)
        os.setuid(1000)
        os.environ["HOME"] = str(home)

    # The test's interpreter and packages must be readable by uid 1000: not so if they live under /root, and
    # then the app runs as root. The listing check below still catches any file the app writes.
    try:
        probe = subprocess.run([sys.executable, "-c", "import streamlit, torch"], preexec_fn=drop,
                               capture_output=True)
    except OSError:
        return None
    return drop if probe.returncode == 0 else None


# --- the tests ------------------------------------------------------------------------------------------------

def test_dockerfile_runs_the_app_unprivileged_and_reachable():
    user = instructions("USER")[-1].split(":")[0]
    assert user not in ("root", "0"), "the image must not run as root"
    assert instructions("EXPOSE") == [str(cmd_port())]
    health = instructions("HEALTHCHECK")[-1]
    assert "/_stcore/health" in health and f":{cmd_port()}/" in health
    argv = exec_form(instructions("CMD")[-1])
    assert argv[:3] == ["streamlit", "run", "app.py"]
    assert argv[argv.index("--server.address") + 1] == "0.0.0.0"  # reachable from outside the container
    # The last instruction before CMD that changes the user must come after COPY: the code stays root's.
    order = [instr for instr, _ in dockerfile()]
    assert order.index("USER") > max(i for i, name in enumerate(order) if name == "COPY")


def test_build_context_keeps_the_app_and_leaves_out_the_rest():
    files = set(build_context())
    for needed in ["app.py", "requirements.txt", ".streamlit/config.toml", "locales/en/LC_MESSAGES/messages.po"]:
        assert needed in files
    for package in RUNTIME_DIRS:
        tracked = {p.relative_to(ROOT).as_posix() for p in (ROOT / package).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
        assert tracked and tracked <= files, f"{package}/ is not wholly in the image (untracked? git add): " \
                                             f"{sorted(tracked - files)}"
    for kept_out in ["tests/", "bench/", "scripts/", "docs/", ".git/", ".venv/", ".ci/"]:
        assert not [f for f in files if f.startswith(kept_out)], kept_out
    assert "babel.cfg" not in files  # pybabel's extraction settings: for translators, not for the app
    # whatever of the repository the image's code imports is a runtime directory (so wholly in the image, above)
    first_party = {p.stem for p in ROOT.iterdir() if not p.name.startswith(".") and (p.is_dir() or p.suffix == ".py")}
    imported = {m.split(".")[0] for f in files if f.endswith(".py") for m in _imports(ROOT / f)} & first_party
    top_level = {f[:-3] for f in files if "/" not in f and f.endswith(".py")}
    assert imported <= set(RUNTIME_DIRS) | top_level, imported - set(RUNTIME_DIRS) - top_level
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]


def _imports(path: Path) -> set[str]:
    import ast

    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
    return out


def test_every_streamlit_variable_names_a_real_option_and_takes_effect(image_copy):
    """A misspelt STREAMLIT_* variable is silently ignored by Streamlit; `streamlit config show` tells."""
    from streamlit import config

    by_env = {opt.env_var: key for key, opt in config._config_options_template.items()}
    wanted = {name: value for name, value in image_env().items() if name.startswith("STREAMLIT_")}
    assert {"STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "STREAMLIT_SERVER_FILE_WATCHER_TYPE",
            "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION", "STREAMLIT_SERVER_HEADLESS"} <= wanted.keys()
    unknown = sorted(set(wanted) - set(by_env))
    assert not unknown, f"not Streamlit options: {unknown}"

    shown = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=image_copy,
                           env={**host_env(), **image_env()}, capture_output=True, text=True, check=True).stdout
    settings, section, from_env = {}, "", False
    for line in shown.splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif "set in command-line argument or environment variable" in line:
            from_env = True
        elif re.match(r"^\w+ = ", line):
            settings[f"{section}.{line.split(' = ')[0]}"] = (tomllib.loads(line).popitem()[1], from_env)
            from_env = False
    for name, value in wanted.items():
        got, was_from_env = settings[by_env[name]]
        assert was_from_env, f"{by_env[name]} was not taken from {name}"
        assert str(got).lower() == value.lower(), (name, got)


def test_torch_runs_on_one_thread_in_the_image():
    env = {**host_env(), **image_env()}
    out = subprocess.run([sys.executable, "-c", "import torch; print(torch.get_num_threads())"], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "1"


@pytest.mark.long
def test_the_image_contents_serve_every_page_read_only(image_copy, tmp_path):
    """CMD, ENV and HEALTHCHECK as written, from a read-only copy of the build context: the server answers its
    health check and a deep link in Chromium (a hosted demo restarts, and its first visitor may come through a
    teacher's link), and pages run from those files without writing to them."""
    home = tmp_path / "home"
    home.mkdir()
    if os.geteuid() == 0:
        os.chown(home, 1000, 1000)
    drop = as_uid_1000(home)
    port = free_port()
    env = {**host_env(), **image_env(), "HOME": str(home),
           # Not what this test checks, and the CPU the suite's other process needs: the warm-up's 11 s of
           # experiments, and workers at nice 10 that the other process's browser walk starves (26 s in the suite)
           "ACTIVATION_LAB_WARMUP": "0", "ACTIVATION_LAB_WORKER_NICE": "0"}
    argv = [a if a != str(cmd_port()) else str(port) for a in exec_form(instructions("CMD")[-1])]
    before = sorted(p.relative_to(image_copy).as_posix() for p in image_copy.rglob("*"))

    with running_server(argv, cwd=image_copy, env=env, port=port, preexec_fn=drop) as base:
        health = exec_form(instructions("HEALTHCHECK")[-1].split(" CMD ", 1)[1])
        assert health[0] == "python"
        health = [sys.executable, *[a.replace(f":{cmd_port()}/", f":{port}/") for a in health[1:]]]
        assert subprocess.run(health, env=env, preexec_fn=drop, timeout=10).returncode == 0

        with launch_browser() as browser:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.set_default_timeout(60_000)
            page = context.new_page()
            # the server's first request: a teacher's Korean link, which reads every kind of file the app reads
            # (code, the registry, Korean prose in assets/ko, the ko catalog); torch in the image has its own test
            page.goto(base + "/explorer?lang=ko&fn=gelu&approximate=tanh")
            page.wait_for_selector(CHART)
            page.wait_for_selector(IDLE)
            assert page.locator(EXCEPTION).count() == 0
            nav = [t.strip().splitlines()[-1] for t in  # each link: its icon's name, then its title
                   page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()]
            assert nav == [translated(p.title, "ko") for p in PAGES], nav  # the whole navigation, in Korean
            main = page.locator("[data-testid='stMain']")
            assert re.search("[가-힣]", main.locator("h1").first.inner_text())
            assert "nn.GELU" in main.inner_text()  # the function the link named
            # a lab's experiment runs on the worker processes the server starts (ui.workers), as in the image
            page.goto(base + "/self_normalizing?lang=ko")
            page.wait_for_selector(CHART)
            page.wait_for_selector(IDLE)
            assert page.locator(EXCEPTION).count() == 0
            assert worker_processes(port) == len(os.sched_getaffinity(0))  # one per core, and no more
            context.close()
    after = sorted(p.relative_to(image_copy).as_posix() for p in image_copy.rglob("*"))
    assert after == before, "the app wrote into its own directory"


def worker_processes(port: int) -> int:
    """The Dask worker processes of the server on `port` (multiprocessing's spawned children under its nannies)."""
    import psutil

    servers = [p for p in psutil.process_iter(["cmdline"]) if f"--server.port={port}" in " ".join(
        p.info["cmdline"] or []).replace("--server.port ", "--server.port=")]
    assert len(servers) == 1, servers
    return sum("spawn_main" in " ".join(c.cmdline()) and "--multiprocessing-fork" in " ".join(c.cmdline())
               for c in servers[0].children(recursive=True))


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if m := re.fullmatch(r"([A-Za-z0-9_.-]+)\s*==\s*(\S+)", line):
            pins[m[1].lower()] = m[2]
        elif m := re.fullmatch(r"([A-Za-z0-9_.-]+)\s*@\s*(\S+)", line):
            version = re.search(r"-(\d[^-]*?)(?:%2B|\+)cpu-", m[2])
            assert version, f"no version in {m[2]}"
            pins[m[1].lower()] = version[1]
            assert "cp311" in m[2] and "x86_64" in m[2], "the wheel must fit Cloud's Python 3.11 on x86-64"
    return pins


def test_every_install_path_pins_the_same_versions():
    main = _pins(ROOT / "requirements.txt")
    assert main.keys() == {"streamlit", "plotly", "numpy", "babel", "torch", "scikit-learn", "dask", "distributed",
                           "segno", "markdown-it-py", "nbformat"}
    assert _pins(ROOT / "requirements-cloud.txt") == main
    torch_in_image = re.search(r"torch==(\S+)\+cpu", " ".join(instructions("RUN")))
    assert torch_in_image and torch_in_image[1] == main["torch"]
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()


def test_hugging_face_front_matter_points_at_the_image_port():
    text = (ROOT / "docs" / "hf-space-README.md").read_text()
    assert text.startswith("---\n")
    header = dict(line.split(": ", 1) for line in text.split("---\n")[1].splitlines() if ": " in line)
    assert header["sdk"] == "docker"
    assert int(header["app_port"]) == cmd_port()
    assert len(header["short_description"]) <= 60  # the Hub's limit for the Space card


def test_the_image_and_ci_have_a_korean_font():
    """Korean glyphs wherever this project renders pages itself: the image, and CI's browser."""
    assert any("fonts-noto-cjk" in run for run in instructions("RUN"))
    assert "fonts-noto-cjk" in (ROOT / ".ci" / "run").read_text()


def test_no_full_garbage_collection_after_every_run():
    """Streamlit's runner.postScriptGC runs gc.collect(2) after every script run: 150-170 ms with the app's modules
    loaded, holding the interpreter lock, so each learner's rerun stopped every other (61% of the server's samples
    under the class load test). The config every deployment reads turns it off; the warm-up freezes the
    long-lived objects instead (ui.warmup)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
    assert image_env().get("STREAMLIT_RUNNER_POST_SCRIPT_GC", "false") == "false"  # not turned back on
