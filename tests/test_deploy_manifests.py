"""deploy/: the school's manifests (docker compose, HAProxy, Kubernetes), checked offline.

No Docker engine, no cluster and no network where these tests run, so each file is checked against the schema its
tool checks it with, kept here: the Compose Specification's JSON schema (vendored in deploy/schemas/), the Kubernetes
API's schemas (the kubernetes-validate package, strict: an unknown or misspelt field fails, as `kubectl apply`'s
strict field validation fails it), the Dask operator's DaskCluster CRD (vendored in deploy/schemas/, made strict the
same way) and `haproxy -c` (skipped where haproxy is not installed). Then what no schema knows: the pieces must agree
with each other (names, ports, the scheduler's address) and with what the app and its image expect (the settings of
docs/deploy.md's "A school: replicas and a Dask cluster").
"""
from __future__ import annotations

import ast
import contextlib
import copy
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml
from referencing import Registry, Resource

from bench import school

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
SCHEMAS = DEPLOY / "schemas"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the CRD is 280 KB: libyaml reads it in a tenth of the time
# Kubernetes versions to validate against: an older one still common on school clusters, and the newest bundled.
K8S_VERSIONS = ("1.30", kubernetes_validate.latest_version())
# The settings deploy/ gives the workers and the scheduler (docs/deploy.md; the app: ui/workers.py, labs/remote.py).
WORKER_ENV = {"OMP_NUM_THREADS": "1", "ACTIVATION_LAB_WORKER_NICE": "10", "PYTHONPATH": "/app"}
SCHEDULER_ENV = {"DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0", "PYTHONPATH": "/app"}
HEALTH = "/_stcore/health"


def load(path: Path) -> list[dict]:
    return [d for d in yaml.load_all(path.read_text(encoding="utf-8"), Loader=LOADER) if d is not None]


def dockerfile_setting(instruction: str) -> str:
    """The last value of a one-line Dockerfile instruction (WORKDIR, EXPOSE...)."""
    values = re.findall(rf"^{instruction}\s+(.+)$", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE)
    assert values, f"no {instruction} in the Dockerfile"
    return values[-1].strip()


def app_port() -> int:
    return int(dockerfile_setting("EXPOSE"))


def flag(argv: list[str], name: str) -> str:
    assert name in argv, f"{name} missing from {argv}"
    return argv[argv.index(name) + 1]


def env_of(container: dict) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container.get("env", [])}


def assert_schema_valid(validator: jsonschema.Validator, doc, what: str) -> None:
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, f"{what}:\n" + "\n".join(
        f"  {'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}" for e in errors)


# --- docker compose --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compose() -> dict:
    return load(DEPLOY / "compose.yaml")[0]


def test_compose_file_follows_the_compose_specification(compose):
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert_schema_valid(jsonschema.Draft7Validator(schema), compose, "deploy/compose.yaml")


def test_compose_services_make_one_school(compose):
    services = compose["services"]
    assert set(services) == {"app", "proxy", "scheduler", "worker"}
    app, proxy, scheduler, worker = (services[n] for n in ("app", "proxy", "scheduler", "worker"))

    # one image, built once from the repository's Dockerfile, run by the app, the scheduler and the workers
    build = app["build"]
    assert (DEPLOY / build["context"]).resolve() == ROOT and (ROOT / build["dockerfile"]).is_file()
    assert "deploy" in (ROOT / ".dockerignore").read_text().split()  # deploy/ itself stays out of the image
    for s in (scheduler, worker):
        assert s["image"] == app["image"] and "build" not in s and s["pull_policy"] == "never"
    replicas = app["deploy"]["replicas"], worker["deploy"]["replicas"]
    assert all(isinstance(n, int) for n in replicas) and replicas[0] >= 2 and replicas[1] >= 1, replicas

    # the scheduler: its port is the address every replica and worker uses; queueing as the app expects
    s_argv = scheduler["command"]
    assert s_argv[:2] == ["dask", "scheduler"] and "--no-dashboard" in s_argv
    address = f"tcp://scheduler:{flag(s_argv, '--port')}"
    assert app["environment"]["ACTIVATION_LAB_DASK"] == address
    assert scheduler["environment"] == SCHEDULER_ENV
    assert float(SCHEDULER_ENV["DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION"]) == 1.0
    assert SCHEDULER_ENV["PYTHONPATH"] == dockerfile_setting("WORKDIR")  # it unpickles the labs' tasks

    # the workers: one process of one thread each, at a lower priority, importing the app's code
    w_argv = worker["command"]
    assert w_argv[:3] == ["dask", "worker", address]
    assert flag(w_argv, "--nworkers") == "1" and flag(w_argv, "--nthreads") == "1" and "--no-dashboard" in w_argv
    assert worker["environment"] == WORKER_ENV
    assert WORKER_ENV["PYTHONPATH"] == dockerfile_setting("WORKDIR")
    assert worker["cpu_shares"] < 1024  # Docker's default weight, which the app replicas keep

    # health: the image's HEALTHCHECK probes the app's port, so the scheduler and the workers need their own
    assert f"localhost:{app_port()}{HEALTH}" in " ".join(app["healthcheck"]["test"])
    assert "localhost:8787/health" in " ".join(scheduler["healthcheck"]["test"])
    w_health_port = flag(w_argv, "--dashboard-address").rsplit(":", 1)[1]
    assert f"localhost:{w_health_port}/health" in " ".join(worker["healthcheck"]["test"])
    for dependant, needed in ((app, "scheduler"), (worker, "scheduler"), (proxy, "app")):
        assert dependant["depends_on"][needed]["condition"] == "service_healthy"

    # the proxy: its config file is deploy/haproxy.cfg, published on the port it binds, and it reaches the app
    source, target = proxy["volumes"][0].split(":")[:2]
    assert (DEPLOY / source).resolve() == DEPLOY / "haproxy.cfg" and target.endswith("/haproxy.cfg")
    published_to = {p.split(":")[-1] for p in proxy["ports"]}
    cfg = (DEPLOY / "haproxy.cfg").read_text()
    assert published_to == {re.search(r"^\s+bind\s+:(\d+)", cfg, flags=re.MULTILINE)[1]}
    assert re.search(rf"^\s+server-template\s+\S+\s+\S+\s+app:{app_port()}\s", cfg, flags=re.MULTILINE)


# --- HAProxy ---------------------------------------------------------------------------------------------------

def bench_config() -> str:
    return school.haproxy_config((DEPLOY / "haproxy.cfg").read_text(), "127.0.0.1:8080",
                                 [("127.0.0.1", 8501), ("127.0.0.1", 8502)])


def test_haproxy_keeps_a_learner_on_one_replica_and_passes_websockets():
    cfg = (DEPLOY / "haproxy.cfg").read_text()
    for text in (cfg, bench_config()):
        assert re.search(r"^\s+cookie SERVERID insert indirect nocache\b", text, flags=re.MULTILINE)
        assert re.search(r"^\s+mode http$", text, flags=re.MULTILINE)  # HTTP mode: upgrades to websockets as is
        assert re.search(r"^\s+timeout tunnel\s+\S+", text, flags=re.MULTILINE)  # a quiet websocket stays open
        assert re.search(rf"^\s+http-check send meth GET uri {HEALTH}$", text, flags=re.MULTILINE)
    bench = bench_config()
    assert not re.search(r"^resolvers\s|^\s+server-template\s", bench, flags=re.MULTILINE)
    assert re.findall(r"^\s+server (app\d) 127\.0\.0\.1:(\d+) check$", bench, flags=re.MULTILINE) == [
        ("app1", "8501"), ("app2", "8502")]
    # the bench's environment for its processes is deploy/'s
    assert school.SCHEDULER_ENV.items() <= SCHEDULER_ENV.items()
    assert school.WORKER_ENV == {k: v for k, v in WORKER_ENV.items() if k != "PYTHONPATH"}


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy is not installed (apt-get install haproxy)")
def test_haproxy_accepts_the_configs(tmp_path):
    bench = tmp_path / "bench.cfg"
    bench.write_text(bench_config())
    for cfg in (DEPLOY / "haproxy.cfg", bench):
        done = subprocess.run(["haproxy", "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, f"haproxy -c -f {cfg.name}:\n{done.stdout}{done.stderr}"
        assert "[WARNING]" not in done.stdout + done.stderr, done.stdout + done.stderr


# --- Kubernetes ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kustomization() -> dict:
    return load(K8S / "kustomization.yaml")[0]


@pytest.fixture(scope="module")
def k8s(kustomization) -> dict[tuple[str, str], dict]:
    """Every object that `kubectl apply -k deploy/k8s` creates, by (kind, name)."""
    objects = {}
    for name in kustomization["resources"]:
        for doc in load(K8S / name):
            key = (doc["kind"], doc["metadata"]["name"])
            assert key not in objects, f"{key} twice"
            objects[key] = doc
    return objects


def strict(schema):
    """An openAPIV3Schema as the API server applies it with strict field validation: an object's properties are all
    it may have (unless it says otherwise)."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out \
                and not out.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


@pytest.fixture(scope="module")
def daskcluster_validator() -> jsonschema.Validator:
    """The Dask Kubernetes operator's own DaskCluster schema (deploy/schemas/daskcluster-crd.yaml), strict."""
    crd = load(SCHEMAS / "daskcluster-crd.yaml")[0]
    assert crd["spec"]["group"] == "kubernetes.dask.org" and crd["spec"]["names"]["kind"] == "DaskCluster"
    (version,) = [v for v in crd["spec"]["versions"] if v["name"] == "v1"]
    schema = strict(copy.deepcopy(version["schema"]["openAPIV3Schema"]))
    schema["properties"] |= {"apiVersion": {"const": "kubernetes.dask.org/v1"}, "kind": {"const": "DaskCluster"},
                             "metadata": {"$ref": "https://kubernetes.io/api/_definitions.json#/$defs/"
                                                  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}}
    schema["required"] = [*schema.get("required", []), "apiVersion", "kind", "metadata"]
    definitions = kubernetes_validate.utils.schema_contents(
        f"kubernetes-json-schema/v{kubernetes_validate.latest_version()}-local-strict/_definitions.json", "")
    registry = Resource.from_contents(definitions) @ Registry()
    return jsonschema.Draft202012Validator(schema, registry=registry)


def test_kustomization_applies_every_manifest(kustomization):
    assert kustomization["kind"] == "Kustomization"
    manifests = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert sorted(kustomization["resources"]) == sorted(manifests)
    assert [i["name"] for i in kustomization["images"]] == ["activation-lab"]


def test_kubernetes_manifests_follow_their_schemas(k8s, daskcluster_validator):
    errors, checked = [], set()
    for (kind, name), doc in k8s.items():
        checked.add(kind)
        if kind == "DaskCluster":
            assert_schema_valid(daskcluster_validator, doc, f"DaskCluster {name}")
            continue
        for version in K8S_VERSIONS:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as e:
                errors.append(f"{kind} {name} (Kubernetes {version}): {'.'.join(map(str, e.path))}: {e.message}")
            except kubernetes_validate.SchemaNotFoundError as e:
                errors.append(f"{kind} {name}: no schema to check it against ({e.message}); add one to this test")
    assert not errors, "\n".join(errors)
    assert checked == {"Namespace", "Deployment", "Service", "Ingress", "DaskCluster"}


def pod_specs(k8s) -> dict[str, dict]:
    deployment = k8s[("Deployment", "activation-lab")]
    cluster = k8s[("DaskCluster", "activation-lab")]
    return {"app": deployment["spec"]["template"]["spec"], "scheduler": cluster["spec"]["scheduler"]["spec"],
            "worker": cluster["spec"]["worker"]["spec"]}


def test_kubernetes_pods_run_the_app_image_unprivileged(k8s, kustomization):
    for role, spec in pod_specs(k8s).items():
        ctx = spec["securityContext"]
        assert ctx["runAsNonRoot"] is True and ctx["runAsUser"] == 1000, role  # the Dockerfile's USER
        for c in spec["containers"]:
            assert c["image"] == kustomization["images"][0]["name"], role  # one image: the same code everywhere
            assert c["securityContext"]["allowPrivilegeEscalation"] is False, role
            assert "memory" in c["resources"]["limits"] and "cpu" in c["resources"]["requests"], role
            mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
            assert not c["securityContext"].get("readOnlyRootFilesystem") or "/tmp" in mounts, role


def test_kubernetes_pieces_agree(k8s):
    deployment, service = k8s[("Deployment", "activation-lab")], k8s[("Service", "activation-lab")]
    ingress, cluster = k8s[("Ingress", "activation-lab")], k8s[("DaskCluster", "activation-lab")]
    pods = pod_specs(k8s)
    (app,) = pods["app"]["containers"]

    # the app: its port, probes on Streamlit's health endpoint, the Service in front of it
    ports = {p["name"]: p["containerPort"] for p in app["ports"]}
    assert ports == {"http": app_port()}
    for probe in ("readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"] == {"path": HEALTH, "port": "http"}
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    (svc_port,) = service["spec"]["ports"]
    assert svc_port["targetPort"] in ports
    assert deployment["spec"]["replicas"] >= 2

    # the Ingress: to that Service, with cookie affinity and websocket-friendly timeouts
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["backend"]["service"] == {"name": service["metadata"]["name"], "port": {"name": svc_port["name"]}}
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == "SERVERID"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 600

    # the scheduler Service the operator makes ("<cluster>-scheduler", ports found by these names) is the app's
    # ACTIVATION_LAB_DASK
    sched = cluster["spec"]["scheduler"]
    svc_ports = {p["name"]: p for p in sched["service"]["ports"]}
    assert sched["service"]["selector"] == {"dask.org/cluster-name": cluster["metadata"]["name"],
                                            "dask.org/component": "scheduler"}
    (s,) = sched["spec"]["containers"]
    s_ports = {p["name"]: p["containerPort"] for p in s["ports"]}
    assert {n: p["targetPort"] for n, p in svc_ports.items()} == {n: n for n in s_ports} == {
        "tcp-comm": "tcp-comm", "http-dashboard": "http-dashboard"}
    assert env_of(app)["ACTIVATION_LAB_DASK"] == \
        f"tcp://{cluster['metadata']['name']}-scheduler:{svc_ports['tcp-comm']['port']}"
    assert s["args"][:2] == ["dask", "scheduler"] and "--no-dashboard" in s["args"]
    assert flag(s["args"], "--port") == str(s_ports["tcp-comm"]) and s_ports["http-dashboard"] == 8787
    s_env = env_of(s)
    assert SCHEDULER_ENV.items() <= s_env.items()
    routes = ast.literal_eval(s_env["DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES"])
    assert "distributed.http.scheduler.api" in routes and "distributed.http.health" in routes
    spec = importlib.util.find_spec("distributed")  # its defaults file, read without importing Dask (0.4 s)
    if spec is not None and spec.origin:  # Dask's own routes are all kept: only "api" is added
        defaults = yaml.load((Path(spec.origin).parent / "distributed.yaml").read_text(), Loader=LOADER)
        assert set(defaults["distributed"]["scheduler"]["http"]["routes"]) <= set(routes)
    for probe in ("readinessProbe", "livenessProbe"):
        assert s[probe]["httpGet"] == {"path": "/health", "port": "http-dashboard"}

    # the workers: one process of one thread, named as the operator names them, at a lower priority
    (w,) = pods["worker"]["containers"]
    assert w["args"][:3] == ["dask", "worker", "$(DASK_SCHEDULER_ADDRESS)"]
    assert flag(w["args"], "--name") == "$(DASK_WORKER_NAME)"
    assert flag(w["args"], "--nworkers") == "1" and flag(w["args"], "--nthreads") == "1"
    assert "--no-dashboard" in w["args"]
    assert env_of(w) == WORKER_ENV
    health_port = int(flag(w["args"], "--dashboard-address").rsplit(":", 1)[1])
    assert {p["containerPort"] for p in w["ports"]} == {health_port}
    assert w["livenessProbe"]["httpGet"]["path"] == "/health"
    assert w["resources"]["requests"]["cpu"] in ("1", 1)  # one thread: one core
    assert cluster["spec"]["worker"]["replicas"] >= 1


def constants(path: Path) -> dict[str, object]:
    """A module's top-level NAME = literal assignments, read without importing it (and numpy with it)."""
    out = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    with contextlib.suppress(ValueError):
                        out[t.id] = ast.literal_eval(node.value)
    return out


def test_the_manifests_name_the_apps_own_settings():
    """The variable names deploy/ sets are the ones the app reads (once its Dask support is in the tree)."""
    workers, remote = ROOT / "ui" / "workers.py", ROOT / "labs" / "remote.py"
    if not (workers.exists() and remote.exists()):
        pytest.skip("the app's Dask support (ui/workers.py, labs/remote.py) is not in this tree")
    app, worker = constants(workers), constants(remote)
    assert app["SETTING_ENV"] == "ACTIVATION_LAB_DASK"
    assert worker["NICE_ENV"] in WORKER_ENV
    assert app["PREFIX"] == school.TASK_PREFIX
