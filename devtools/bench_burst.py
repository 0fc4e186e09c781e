"""A burst of imports at once: how many imports a minute the running worker finishes.

`make bench` runs it after the lone imports, once with each worker process count it tries
(the worker restarted with `--processes K` in between). On its own:
`python -m devtools.bench_burst --addr localhost:50051 --imports 10 --rows 10000`.

It uploads `--imports` CSVs of generated rows (a seed each, so no cache of the worker's
helps), first imports one small file to the end (the worker is up and warm), then starts
every upload at once and waits until all are finished. Printed, and written as JSON to
`--record` when given: imports, seconds from the first start to the last terminal state,
imports per minute, and the memory of the API and the worker (peak RSS during the burst,
resident after it, and idle before it, as `devtools.bench` measures a lone import).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import grpc

from devtools.bench import (
    AFTER_IMPORT_SETTLE,
    TERMINAL,
    MemoryProbe,
    _metadata,
    _upload_requests,
    find_service_pid,
    generate_rows,
    to_csv,
)
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc


def _upload(
    stub: pb_grpc.ImportServiceStub, metadata: list[tuple[str, str]], data: bytes, timeout: float
) -> pb.UploadFileResponse:
    requests = _upload_requests("burst.csv", data)
    response: pb.UploadFileResponse = stub.UploadFile(requests, metadata=metadata, timeout=timeout)
    return response


def _start(
    stub: pb_grpc.ImportServiceStub,
    metadata: list[tuple[str, str]],
    uploaded: pb.UploadFileResponse,
    timeout: float,
) -> str:
    stub.StartImport(
        pb.StartImportRequest(
            import_id=uploaded.contact_import.import_id,
            mapping=uploaded.suggested_mapping,
            default_country="NL",
            request_id=str(uuid.uuid4()),
        ),
        metadata=metadata,
        timeout=timeout,
    )
    return uploaded.contact_import.import_id


def _finished(
    stub: pb_grpc.ImportServiceStub,
    metadata: list[tuple[str, str]],
    import_id: str,
    timeout: float,
) -> pb.ContactImport:
    watch = pb.WatchImportRequest(import_id=import_id)
    for update in stub.WatchImport(watch, metadata=metadata, timeout=timeout):
        current: pb.ContactImport = update.contact_import
        if current.state in TERMINAL:
            return current
    request = pb.GetImportRequest(import_id=import_id)
    final: pb.ContactImport = stub.GetImport(
        request, metadata=metadata, timeout=timeout
    ).contact_import
    return final


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench_burst", description=__doc__)
    parser.add_argument("--addr", default="localhost:50051")
    parser.add_argument("--imports", type=int, default=10)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--label", default="", help="what this run is (printed)")
    parser.add_argument("--record", type=Path, help="also write the result here as JSON")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per call")
    options = parser.parse_args(argv)
    metadata = _metadata(f"bench-burst-{uuid.uuid4().hex[:8]}")
    files = [
        to_csv(generate_rows(options.rows, seed=50_000 + n)[0]) for n in range(options.imports)
    ]
    with grpc.insecure_channel(options.addr) as channel:
        stub = pb_grpc.ImportServiceStub(channel)  # type: ignore[no-untyped-call]
        warm = _upload(stub, metadata, to_csv(generate_rows(200, seed=49_999)[0]), options.timeout)
        _finished(stub, metadata, _start(stub, metadata, warm, options.timeout), options.timeout)
        probe = MemoryProbe(
            find_service_pid("services.import_api"), find_service_pid("services.validator_worker")
        )
        idle = probe.rss_mib()
        probe.reset()  # the peaks below are the uploads' and the burst's
        uploads = [_upload(stub, metadata, data, options.timeout) for data in files]
        began = time.perf_counter()
        started = [_start(stub, metadata, u, options.timeout) for u in uploads]
        states = [
            pb.ContactImport.State.Name(_finished(stub, metadata, i, options.timeout).state)
            for i in started
        ]
        seconds = time.perf_counter() - began
        peaks = probe.peaks_mib()
        time.sleep(AFTER_IMPORT_SETTLE)
        after = probe.rss_mib()
    result = {
        "label": options.label,
        "imports": options.imports,
        "rows": options.rows,
        "seconds": round(seconds, 3),
        "imports_per_minute": round(options.imports / seconds * 60, 2),
        "states": sorted(set(states)),
        "api_mib": {"idle": idle[0], "peak": peaks[0], "after": after[0]},
        "worker_mib": {"idle": idle[1], "peak": peaks[1], "after": after[1], "tree": peaks[2]},
    }
    print(
        f"bench: burst{' ' + options.label if options.label else ''}: {options.imports} imports"
        f" of {options.rows:,} rows in {seconds:.2f} s = {result['imports_per_minute']:.1f}"
        f" imports a minute ({', '.join(result['states'])}); API {idle[0]:.0f} MiB idle, peak"
        f" {peaks[0]:.0f}, after {after[0]:.0f}; largest worker process {idle[1]:.0f} idle, peak"
        f" {peaks[1]:.0f}, after {after[1]:.0f} (worker tree peak {peaks[2]:.0f})",
        flush=True,
    )
    if options.record:
        options.record.write_text(json.dumps(result))
    ok = set(states) == {"STATE_PARTIALLY_SUCCEEDED"}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
