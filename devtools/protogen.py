"""Generate the Python stubs of protos/ into a package, or check that they are current.

protoc writes imports as `from contactimport.v1 import ...` (the proto path); the stubs
live inside the `shared` package, so those imports are rewritten to the package path.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROTO_ROOT = Path("protos")


def generate(out: Path, package: str) -> None:
    """Run protoc for every proto under protos/ into `out`, importing as `package`."""
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            f"-I{PROTO_ROOT}",
            f"--python_out={out}",
            f"--pyi_out={out}",
            f"--grpc_python_out={out}",
            *protos,
        ],
        check=True,
    )
    top_level = "|".join(sorted({re.escape(p.split("/")[0]) for p in protos}))
    pattern = re.compile(rf"^(from|import) ({top_level})([. ])", re.M)
    for path in out.rglob("*.py*"):
        path.write_text(pattern.sub(rf"\1 {package}.\2\3", path.read_text()))
    for folder in [out, *(d for d in out.rglob("*") if d.is_dir())]:
        (folder / "__init__.py").touch()


def stale_files(committed: Path) -> list[str]:
    """Name the files under `committed` that differ from a fresh generation."""
    package = ".".join(committed.parts)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        generate(fresh, package)
        names = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
        names |= {
            p.relative_to(committed)
            for p in committed.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        return [
            str(committed / name)
            for name in sorted(names)
            if not (fresh / name).exists()
            or not (committed / name).exists()
            or (fresh / name).read_bytes() != (committed / name).read_bytes()
        ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="package folder of the stubs, e.g. shared/gen")
    parser.add_argument("--check", action="store_true", help="fail when the stubs are stale")
    args = parser.parse_args()
    if args.check:
        stale = stale_files(args.out)
        if stale:
            print("Stubs are stale or hand-edited; run `make proto`:", *stale, sep="\n  ")
            return 1
        return 0
    shutil.rmtree(args.out, ignore_errors=True)
    generate(args.out, ".".join(args.out.parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
