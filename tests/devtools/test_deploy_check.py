"""devtools/deploy_check.py: the real deploy files pass; a broken manifest fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

from devtools import deploy_check

K8S = deploy_check.K8S


def test_the_real_files_pass(capsys):
    assert deploy_check.main([]) == 0
    assert "deploy/k8s/overlays/production" in capsys.readouterr().out


def test_the_overlay_renders_its_patches():
    docs = {
        (d["kind"], d["metadata"]["name"]): d
        for d in deploy_check.render(K8S / "overlays" / "production")
    }
    api = docs[("Deployment", "contactimport-api")]
    assert api["spec"]["replicas"] == 3
    assert api["metadata"]["namespace"] == "contactimport"
    assert api["spec"]["template"]["spec"]["containers"][0]["image"] == (
        "registry.example.com/contactimport:0.1.0"
    )
    assert docs[("ScaledObject", "contactimport-worker")]["spec"]["maxReplicaCount"] == 20
    assert len(docs[("ScaledObject", "contactimport-worker")]["spec"]["triggers"]) == 2
    assert (
        docs[("ConfigMap", "contactimport-config")]["data"]["CONTACTIMPORT_LOG_LEVEL"] == "WARNING"
    )
    assert (
        docs[("ConfigMap", "contactimport-config")]["data"]["CONTACTIMPORT_WORKER_RETENTION"]
        == "false"
    )


def _api(doc):
    return doc["spec"]["template"]["spec"]


@pytest.mark.parametrize(
    ("file", "kind", "breaks", "message"),
    [
        pytest.param(
            "api-deployment.yaml",
            "Deployment",
            lambda d: _api(d)["containers"][0].update(imagePullPolicyy="Always"),
            "imagePullPolicyy",
            id="unknown-field",
        ),
        pytest.param(
            "api-deployment.yaml",
            "Deployment",
            lambda d: _api(d)["containers"][0]["securityContext"].update(
                readOnlyRootFilesystem=False
            ),
            "readOnlyRootFilesystem",
            id="writable-root",
        ),
        pytest.param(
            "api-deployment.yaml",
            "Deployment",
            lambda d: _api(d).update(terminationGracePeriodSeconds=5),
            "terminationGracePeriodSeconds",
            id="api-grace-too-short",
        ),
        pytest.param(
            "worker-deployment.yaml",
            "Deployment",
            lambda d: _api(d).update(terminationGracePeriodSeconds=40),
            "Dramatiq",
            id="worker-grace-too-short",
        ),
        pytest.param(
            "worker-deployment.yaml",
            "Deployment",
            lambda d: _api(d)["containers"][0].update(command=["python", "-m", "services.nope"]),
            "not an entry point",
            id="no-such-command",
        ),
        pytest.param(
            "worker-scaledobject.yaml",
            "ScaledObject",
            lambda d: d["spec"]["triggers"][0]["metadata"].update(value=1),
            "is not of type 'string'",
            id="keda-metadata-not-a-string",
        ),
        pytest.param(
            "worker-scaledobject.yaml",
            "ScaledObject",
            lambda d: d["spec"].update(maxReplicas=3),
            "maxReplicas",
            id="keda-unknown-field",
        ),
        pytest.param(
            "worker-scaledobject.yaml",
            "TriggerAuthentication",
            lambda d: d["spec"]["secretTargetRef"][0].update(key="NOPE"),
            "no key NOPE",
            id="missing-secret-key",
        ),
    ],
)
def test_a_broken_manifest_fails(tmp_path, capsys, file, kind, breaks, message):
    # Given a copy of deploy/k8s with one document broken
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    path = copy / "base" / file
    docs = list(yaml.safe_load_all(path.read_text()))
    breaks(next(d for d in docs if d["kind"] == kind))
    path.write_text(yaml.safe_dump_all(docs))

    # When the check runs on the base and the overlay of the copy
    code = deploy_check.main(
        [
            str(copy / "base"),
            str(copy / "overlays" / "production"),
            "--secret",
            str(copy / "base" / "secret.example.yaml"),
        ]
    )

    # Then it fails, naming the problem
    assert code == 1
    assert message in capsys.readouterr().err


def test_an_unsupported_kustomize_field_is_an_error(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources: []\ncommonAnnotations: {a: b}\n")
    with pytest.raises(deploy_check.DeployError, match="commonAnnotations"):
        deploy_check.render(tmp_path)


def test_the_containerfile_copies_existing_files_and_names_entry_points(tmp_path):
    assert deploy_check.check_containerfile() == []
    broken = tmp_path / "Containerfile"
    text = deploy_check.CONTAINERFILE.read_text()
    broken.write_text(
        text.replace("COPY shared ./shared", "COPY nothing-here ./shared").replace(
            '"services.import_api"]', '"services.import_apu"]'
        )
    )
    problems = deploy_check.check_containerfile(broken, Path(deploy_check.ROOT))
    assert any("nothing-here" in p for p in problems)
    assert any("CMD" in p for p in problems)
