"""Check the deploy/ files offline: `python -m devtools.deploy_check` (in `make lint`).

1. Each kustomization (deploy/k8s/base, deploy/k8s/overlays/production) is rendered by the
   small part of kustomize the files use, implemented here: `resources` (files and
   directories), `namespace`, `labels` (pairs, includeSelectors, includeTemplates), `images`,
   `replicas`, and `patches` given as a `path` to a strategic-merge patch of whole documents
   matched by kind and name. Any other kustomization field is an error, not silently ignored.
2. Every rendered document, and the example Secret, is validated against the Kubernetes
   OpenAPI schema of K8S_VERSION with kubernetes-validate in strict mode (unknown fields
   are errors); KEDA's ScaledObject and TriggerAuthentication, which kubernetes-validate
   does not know (it has no custom schemas), against their CRD schemas kept in
   deploy/k8s/schemas/keda/ with jsonschema, undeclared properties rejected too.
3. Rules the schemas cannot state: every container runs non-root on a read-only root
   filesystem with no privilege escalation and ALL capabilities dropped, has an emptyDir at
   /tmp, memory and CPU requests and limits, and a `python -m` command that is a real entry
   point of the package; the API has gRPC readiness and liveness probes on 50051 and a grace
   period above CONTACTIMPORT_GRACE_SECONDS, the worker one above Dramatiq's shutdown timeout;
   a metrics port has matching Prometheus annotations; every ConfigMap, Secret key, scale
   target and TriggerAuthentication referred to exists.
4. deploy/Containerfile: the files it copies exist, it installs the hashed runtime lock and
   the project with --no-deps, runs as a numeric non-root user, and each command it names is
   an entry point (hadolint lints it separately in `make lint`).
5. deploy/systemd/*.service: the hardening options are set, and ExecStart is an entry point.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import kubernetes_validate  # type: ignore[import-untyped]
import yaml  # type: ignore[import-untyped]

from services.validator_worker.shutdown import dramatiq_shutdown_timeout_ms
from shared.settings import Settings

# The Kubernetes version the manifests are validated against (and written for).
K8S_VERSION = "1.33.0"

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
KUSTOMIZATIONS = (K8S / "base", K8S / "overlays" / "production")
# Applied by hand (not part of a kustomization), validated all the same.
STANDALONE = (K8S / "base" / "secret.example.yaml",)
SCHEMAS = K8S / "schemas"
CONTAINERFILE = DEPLOY / "Containerfile"
SYSTEMD = DEPLOY / "systemd"

Document = dict[str, Any]

KUSTOMIZATION_FIELDS = {
    "apiVersion",
    "kind",
    "resources",
    "namespace",
    "labels",
    "images",
    "replicas",
    "patches",
}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"}
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}
# Strategic merge: lists of objects merged by these keys (the first the items all have);
# other lists are replaced, as Kubernetes does for lists without a merge key.
MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "containers": ("name",),
    "initContainers": ("name",),
    "env": ("name",),
    "volumes": ("name",),
    "volumeMounts": ("mountPath",),
    "ports": ("containerPort", "port"),
    "triggers": ("name",),
}
SYSTEMD_HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
}


class DeployError(Exception):
    """A kustomization that cannot be rendered."""


# --- rendering (the kustomize subset) -------------------------------------------------------


def load_documents(path: Path) -> list[Document]:
    """The non-empty YAML documents of a file."""
    try:
        docs = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    except (OSError, yaml.YAMLError) as exc:
        raise DeployError(f"{_rel(path)}: {exc}") from exc
    for doc in docs:
        if not isinstance(doc, dict) or "kind" not in doc or "metadata" not in doc:
            raise DeployError(f"{_rel(path)}: a document without kind and metadata")
    return docs


def render(directory: Path) -> list[Document]:
    """The documents `kustomize build directory` gives, for the fields this module knows."""
    path = directory / "kustomization.yaml"
    if not path.is_file():
        raise DeployError(f"{_rel(directory)}: no kustomization.yaml")
    spec = yaml.safe_load(path.read_text()) or {}
    unknown = set(spec) - KUSTOMIZATION_FIELDS
    if unknown:
        raise DeployError(f"{_rel(path)}: fields not supported here: {', '.join(sorted(unknown))}")
    docs: list[Document] = []
    for resource in spec.get("resources", []):
        target = (directory / resource).resolve()
        docs += render(target) if target.is_dir() else load_documents(target)
    seen: set[tuple[str, str]] = set()
    for doc in docs:
        key = _key(doc)
        if key in seen:
            raise DeployError(f"{_rel(path)}: {key[0]}/{key[1]} defined twice")
        seen.add(key)
    for patch in spec.get("patches", []):
        if set(patch) != {"path"}:
            raise DeployError(f"{_rel(path)}: only `patches: [{{path: file}}]` is supported")
        for change in load_documents(directory / patch["path"]):
            matches = [i for i, doc in enumerate(docs) if _key(doc) == _key(change)]
            if len(matches) != 1:
                kind, name = _key(change)
                raise DeployError(f"{_rel(path)}: patch {patch['path']}: no {kind}/{name}")
            docs[matches[0]] = strategic_merge(docs[matches[0]], change)
    for replica in spec.get("replicas", []):
        targets = [d for d in docs if d["kind"] in {"Deployment", "StatefulSet"}]
        found = [d for d in targets if d["metadata"]["name"] == replica["name"]]
        if not found:
            raise DeployError(f"{_rel(path)}: replicas: no workload {replica['name']}")
        for doc in found:
            doc["spec"]["replicas"] = replica["count"]
    for label in spec.get("labels", []):
        _add_labels(docs, label)
    for image in spec.get("images", []):
        _set_image(docs, image)
    if "namespace" in spec:
        for doc in docs:
            if doc["kind"] not in CLUSTER_SCOPED:
                doc["metadata"]["namespace"] = spec["namespace"]
    return docs


def strategic_merge(base: Any, patch: Any, field: str = "") -> Any:
    """`patch` merged into a copy of `base` (null deletes a key; see MERGE_KEYS for lists)."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = copy.deepcopy(base)
        for key, value in patch.items():
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = strategic_merge(merged[key], value, key)
            else:
                merged[key] = copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(patch, list) and field in MERGE_KEYS:
        items = base + patch
        merge_key = next(
            (k for k in MERGE_KEYS[field] if all(isinstance(i, dict) and k in i for i in items)),
            None,
        )
        if merge_key is not None:
            merged_list = copy.deepcopy(base)
            for item in patch:
                index = next(
                    (i for i, old in enumerate(merged_list) if old[merge_key] == item[merge_key]),
                    None,
                )
                if index is None:
                    merged_list.append(copy.deepcopy(item))
                else:
                    merged_list[index] = strategic_merge(merged_list[index], item)
            return merged_list
    return copy.deepcopy(patch)


def _add_labels(docs: list[Document], label: dict[str, Any]) -> None:
    pairs: dict[str, str] = label["pairs"]
    for doc in docs:
        doc["metadata"].setdefault("labels", {}).update(pairs)
        spec = doc.get("spec", {})
        if label.get("includeTemplates") or label.get("includeSelectors"):
            for template in _pod_templates(doc):
                template.setdefault("metadata", {}).setdefault("labels", {}).update(pairs)
        if label.get("includeSelectors"):
            if doc["kind"] == "Service":
                spec.setdefault("selector", {}).update(pairs)
            elif "selector" in spec:
                spec["selector"].setdefault("matchLabels", {}).update(pairs)


def _set_image(docs: list[Document], image: dict[str, str]) -> None:
    for doc in docs:
        for pod in _pod_specs(doc):
            for container in pod.get("containers", []) + pod.get("initContainers", []):
                name = re.split(r"[@:]", container["image"], maxsplit=1)[0]
                if name != image["name"]:
                    continue
                ref = image.get("newName", name)
                if "digest" in image:
                    ref += "@" + image["digest"]
                elif "newTag" in image:
                    ref += ":" + image["newTag"]
                container["image"] = ref


def _pod_templates(doc: Document) -> list[dict[str, Any]]:
    spec = doc.get("spec", {})
    if doc["kind"] == "CronJob":
        return [spec["jobTemplate"]["spec"]["template"]]
    if doc["kind"] in WORKLOADS:
        return [spec["template"]]
    return []


def _pod_specs(doc: Document) -> list[dict[str, Any]]:
    return [t["spec"] for t in _pod_templates(doc)]


def _key(doc: Document) -> tuple[str, str]:
    return doc["kind"], doc["metadata"].get("name", "")


# --- validation -----------------------------------------------------------------------------


def validate_schema(doc: Document, k8s_version: str = K8S_VERSION) -> list[str]:
    """Schema problems of one document (Kubernetes' own, or a CRD's kept in SCHEMAS)."""
    where = f"{doc['kind']}/{doc['metadata'].get('name', '?')}"
    group, _, version = doc.get("apiVersion", "").rpartition("/")
    if group.endswith("keda.sh"):
        path = SCHEMAS / "keda" / f"{doc['kind'].lower()}-keda-{version}.json"
        if not path.is_file():
            return [f"{where}: no schema {_rel(path)}"]
        schema = _strict(json.loads(path.read_text()))
        validator = jsonschema.Draft202012Validator(schema)
        return [
            f"{where}: {'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        ]
    try:
        kubernetes_validate.validate(doc, k8s_version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        return [f"{where}: {'.'.join(map(str, exc.path)) or '<root>'}: {exc.message}"]
    except kubernetes_validate.SchemaNotFoundError as exc:
        return [f"{where}: {exc.message}"]
    return []


def _strict(schema: Any) -> Any:
    """The schema with `additionalProperties: false` wherever properties are declared."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def is_entry_point(module: str) -> bool:
    """Whether `python -m module` runs something: a package's __main__ or a __main__ guard."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return False
    if spec is None or spec.origin is None:
        return False
    if spec.submodule_search_locations is not None:
        return is_entry_point(module + ".__main__") or module.endswith(".__main__")
    if module.endswith(".__main__"):
        return True
    source = Path(spec.origin).read_text()
    return re.search(r"^if __name__ == [\"']__main__[\"']:", source, re.MULTILINE) is not None


def python_module(command: list[str]) -> str | None:
    """The module of a `python -m module ...` command, else None."""
    if len(command) >= 3 and Path(command[0]).name.startswith("python") and command[1] == "-m":
        return command[2]
    return None


def check_documents(docs: list[Document], *, secrets: list[Document]) -> list[str]:
    """Every problem of rendered documents: schemas and the rules in this module's doc."""
    problems: list[str] = []
    for doc in docs:
        problems += validate_schema(doc)
    config = {
        k: str(v)
        for d in docs
        if d["kind"] == "ConfigMap"
        for k, v in (d.get("data") or {}).items()
    }
    configmaps = {d["metadata"]["name"] for d in docs if d["kind"] == "ConfigMap"}
    secret_keys = {
        d["metadata"]["name"]: set(d.get("stringData", {})) | set(d.get("data", {}))
        for d in [*docs, *secrets]
        if d["kind"] == "Secret"
    }
    for doc in docs:
        for template in _pod_templates(doc):
            problems += _check_pod(doc, template, config, configmaps, secret_keys)
    problems += _check_keda(docs, secret_keys)
    return problems


def _check_pod(
    doc: Document,
    template: dict[str, Any],
    config: dict[str, str],
    configmaps: set[str],
    secret_keys: dict[str, set[str]],
) -> list[str]:
    where = f"{doc['kind']}/{doc['metadata']['name']}"
    pod = template["spec"]
    problems: list[str] = []
    pod_security = pod.get("securityContext", {})
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    annotations = template.get("metadata", {}).get("annotations", {})
    defaults = Settings(database_url="", broker_url="")
    for container in pod.get("containers", []) + pod.get("initContainers", []):
        at = f"{where} container {container['name']}"
        security = container.get("securityContext", {})
        if not (security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
            problems.append(f"{at}: runAsNonRoot is not true")
        if security.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{at}: readOnlyRootFilesystem is not true")
        if security.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{at}: allowPrivilegeEscalation is not false")
        if "ALL" not in security.get("capabilities", {}).get("drop", []):
            problems.append(f"{at}: capabilities do not drop ALL")
        tmp = [m for m in container.get("volumeMounts", []) if m["mountPath"] == "/tmp"]  # noqa: S108
        if not tmp or "emptyDir" not in volumes.get(tmp[0]["name"], {}):
            problems.append(f"{at}: no emptyDir at /tmp (the root filesystem is read-only)")
        resources = container.get("resources", {})
        for part in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in resources.get(part, {}):
                    problems.append(f"{at}: no {resource} in resources.{part}")
        module = python_module(container.get("command", []))
        if module is None:
            problems.append(f"{at}: the command is not `python -m <module>`")
        elif not is_entry_point(module):
            problems.append(f"{at}: python -m {module} is not an entry point of the package")
        for port in container.get("ports", []):
            if port.get("name") == "metrics" and (
                annotations.get("prometheus.io/scrape") != "true"
                or annotations.get("prometheus.io/port") != str(port["containerPort"])
            ):
                problems.append(f"{at}: metrics port without matching prometheus.io annotations")
        for source in container.get("envFrom", []):
            ref = source.get("configMapRef", {}).get("name")
            if ref is not None and ref not in configmaps:
                problems.append(f"{at}: no ConfigMap {ref}")
        for env in container.get("env", []):
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref and ref["key"] not in secret_keys.get(ref["name"], set()):
                problems.append(f"{at}: no key {ref['key']} in Secret {ref['name']}")
        grace = pod.get("terminationGracePeriodSeconds", 30)
        if module == "services.import_api":
            drain = float(config.get("CONTACTIMPORT_GRACE_SECONDS", defaults.grace_seconds))
            if grace <= drain:
                problems.append(f"{at}: terminationGracePeriodSeconds {grace} <= {drain}")
            for probe in ("readinessProbe", "livenessProbe"):
                grpc = container.get(probe, {}).get("grpc")
                if grpc is None or grpc.get("port") != 50051 or grpc.get("service", "") != "":
                    problems.append(f"{at}: {probe} is not gRPC health on 50051, service ''")
        if module == "services.validator_worker":
            seconds = float(
                config.get(
                    "CONTACTIMPORT_WORKER_SHUTDOWN_SECONDS", defaults.worker_shutdown_seconds
                )
            )
            stop = dramatiq_shutdown_timeout_ms(seconds) / 1000
            if grace <= stop:
                problems.append(
                    f"{at}: terminationGracePeriodSeconds {grace} <= Dramatiq's {stop:g} s"
                )
    return problems


def _check_keda(docs: list[Document], secret_keys: dict[str, set[str]]) -> list[str]:
    problems: list[str] = []
    deployments = {d["metadata"]["name"] for d in docs if d["kind"] == "Deployment"}
    auths = {d["metadata"]["name"] for d in docs if d["kind"] == "TriggerAuthentication"}
    for doc in docs:
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        spec = doc.get("spec", {})
        if doc["kind"] == "ScaledObject":
            target = spec.get("scaleTargetRef", {}).get("name")
            if target not in deployments:
                problems.append(f"{where}: no Deployment {target}")
            for trigger in spec.get("triggers", []):
                ref = trigger.get("authenticationRef", {}).get("name")
                if ref is not None and ref not in auths:
                    problems.append(f"{where}: no TriggerAuthentication {ref}")
        if doc["kind"] == "TriggerAuthentication":
            for ref in spec.get("secretTargetRef", []):
                if ref["key"] not in secret_keys.get(ref["name"], set()):
                    problems.append(f"{where}: no key {ref['key']} in Secret {ref['name']}")
    return problems


# --- the Containerfile and the systemd units ------------------------------------------------


def containerfile_instructions(path: Path) -> Iterator[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Containerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            instruction, _, rest = stripped.partition(" ")
            yield instruction.upper(), rest.strip()


def check_containerfile(path: Path = CONTAINERFILE, root: Path = ROOT) -> list[str]:
    problems: list[str] = []
    instructions = list(containerfile_instructions(path))
    runs = " ".join(rest for ins, rest in instructions if ins == "RUN")
    for instruction, rest in instructions:
        if instruction == "COPY" and "--from=" not in rest:
            for source in shlex.split(rest)[:-1]:
                if not (root / source).exists():
                    problems.append(f"{_rel(path)}: COPY {source}: no such file in the context")
        if instruction == "CMD":
            command = json.loads(rest)
            module = python_module(command)
            if module is None or not is_entry_point(module):
                problems.append(f"{_rel(path)}: CMD {command} is not an entry point")
    if "--require-hashes -r requirements.lock" not in runs:
        problems.append(f"{_rel(path)}: requirements.lock is not installed with --require-hashes")
    if not re.search(r"pip install --no-deps \S*\.whl", runs):
        problems.append(f"{_rel(path)}: the project's wheel is not installed with --no-deps")
    users = [rest for ins, rest in instructions if ins == "USER"]
    if not users or not re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", users[-1]):
        problems.append(f"{_rel(path)}: the last USER is not a numeric non-root user")
    # The commands the header names (one image, each process by its command).
    for module in re.findall(r"^#\s+python -m (\S+)", path.read_text(), re.MULTILINE):
        if not is_entry_point(module):
            problems.append(f"{_rel(path)}: python -m {module} is not an entry point")
    return problems


def check_systemd(directory: Path = SYSTEMD) -> list[str]:
    problems: list[str] = []
    for unit in sorted(directory.glob("*.service")):
        options: dict[str, str] = {}
        for line in unit.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and not line.startswith(("#", ";")):
                options[key.strip()] = value.strip()
        for key, wanted in SYSTEMD_HARDENING.items():
            if options.get(key) != wanted:
                problems.append(f"{_rel(unit)}: {key}={wanted} is missing")
        for key in ("ReadWritePaths", "TimeoutStopSec"):
            if key not in options:
                problems.append(f"{_rel(unit)}: no {key}")
        if "MemoryMax" not in options and options.get("Type") != "oneshot":
            problems.append(f"{_rel(unit)}: no MemoryMax")
        module = python_module(shlex.split(options.get("ExecStart", "")))
        if module is None or not is_entry_point(module):
            problems.append(f"{_rel(unit)}: ExecStart is not `python -m <entry point>`")
    return problems


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "kustomizations",
        nargs="*",
        type=Path,
        help="kustomization folders (default: the base and the production overlay)",
    )
    parser.add_argument("--secret", type=Path, action="append", help="example Secret file(s)")
    args = parser.parse_args(argv)
    directories = args.kustomizations or list(KUSTOMIZATIONS)
    secret_files = args.secret or list(STANDALONE)
    problems: list[str] = []
    try:
        secrets = [d for f in secret_files for d in load_documents(f)]
        for doc in secrets:
            problems += validate_schema(doc)
        for directory in directories:
            docs = render(directory)
            found = check_documents(docs, secrets=secrets)
            problems += [f"{_rel(directory)}: {p}" for p in found]
            if not found:
                print(
                    f"{_rel(directory)}: {len(docs)} documents valid "
                    f"(Kubernetes {K8S_VERSION}, KEDA v1alpha1)"
                )
    except DeployError as exc:
        problems.append(str(exc))
    if not args.kustomizations:
        problems += check_containerfile()
        problems += check_systemd()
    for problem in problems:
        print(f"ERROR {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
