"""Benchmark client: import generated contact files through a running service.

`make bench` starts a stack and runs this against it (then devtools/bench_burst.py); on
its own it measures any running stack: `python -m devtools.bench --addr localhost:50051`
(process ids found by their command line). After a 200-row warm-up import (the idle
memory is read then), for CSV, XLSX and XLS it generates `--rows` realistic contacts (about
5% invalid) and imports a file of them `--runs` times (upload, StartImport with the
suggested mapping, WatchImport to the end); each CSV is also imported by the one-process
reference (devtools/bench_reference.py) with the service's phone library and with
phonenumbers; then the CSV by a tenant with `--existing` contacts and a CSV of
BIG_CSV_BYTES (long notes). Every import but those of the matching case is a tenant's
first (a tenant of its own per format and run), so the formats and runs compare alike: an
import into a tenant with contacts also reads and matches them, which the matching case
measures. It prints the median of each figure and the ratios:

- upload: client wall time of UploadFile (the server checks and stores the file);
- queue: from StartImport's answer until the import was first seen RUNNING;
- parse / validate / match / insert / workbook: the worker's own `timings` of the import;
- total: upload start to the terminal state seen by the client;
- peak RSS: VmHWM of the API process and of the worker's processes (the largest one and
  the sum over the tree), reset before each import through /proc/<pid>/clear_refs; after:
  VmRSS of the API and of the largest worker process once the import is over.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import grpc
import psutil  # type: ignore[import-untyped]
from google.protobuf.duration_pb2 import Duration

from devtools.bench_matching import seed_contacts
from services.cli.dev_token import signing_key
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.identity import mint_token
from shared.mapping.folding import fold_text

FORMATS = ("csv", "xlsx", "xls")
CHUNK_SIZE = 256 * 1024
AFTER_IMPORT_SETTLE = 0.5
# The large-file case: as many rows as a file may have, made this large by long notes.
BIG_CSV_BYTES = 20_000_000
HEADERS = ["First name", "Last name", "Company", "Email", "Phone", "Mobile", "Address", "Notes"]
# Every INVALID_EVERY-th row breaks one row rule: 5% of the rows.
INVALID_EVERY = 20
TERMINAL = {
    pb.ContactImport.STATE_SUCCEEDED,
    pb.ContactImport.STATE_PARTIALLY_SUCCEEDED,
    pb.ContactImport.STATE_FAILED,
}

FIRST_NAMES = [
    "Jan", "Sanne", "Pieter", "Emma", "Daan", "Julia", "Lars", "Sophie", "Bram", "Lotte",
    "Thomas", "Fleur", "Ruben", "Noor", "Sem", "Zoë", "Mohammed", "Fatima", "Léa", "François",
    "Oliver", "Amelia", "Jack", "Isla", "Lukas", "Anna", "Björn", "Chloé", "Sven", "Aïcha",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "El Amrani", "Yılmaz",
    "Dubois", "Lefèvre", "Müller", "Schmidt", "Smith", "O'Brien", "van den Berg", "Kuipers",
]  # fmt: skip
COMPANIES = [
    "Bakkerij De Vries", "Jansen Installatietechniek", "Visser & Zn", "Bos Schilderwerken",
    "Groen Hoveniers", "Amrani Schoonmaak", "Dijkstra Loodgieters", "Koster Elektra",
    "Noord Dakwerken", "Smit Glaszetters", "Atelier Dubois", "Müller Haustechnik", "",
]  # fmt: skip
STREETS = [
    ("Keizersgracht", "1015 CJ", "Amsterdam"), ("Oudegracht", "3511 AB", "Utrecht"),
    ("Coolsingel", "3011 AD", "Rotterdam"), ("Lange Voorhout", "2514 EA", "Den Haag"),
    ("Stratumseind", "5611 ER", "Eindhoven"), ("Grote Markt", "9711 LV", "Groningen"),
    ("Vrijthof", "6211 LD", "Maastricht"), ("Breestraat", "2311 CH", "Leiden"),
]  # fmt: skip
AREA_CODES = ["20", "30", "10", "70", "40", "50", "43", "71", "23", "24", "26", "35"]
NOTES = [
    "",
    "",
    "Klant sinds 2019",
    "Bel liever 's middags",
    "Sleutel ligt bij de buren",
    "Factuur per e-mail",
    "Prefers a call before 10:00",
    "Hond aanwezig; bel aan bij de achterdeur",
]


def _ascii(text: str) -> str:
    return "".join(ch for ch in fold_text(text) if ch.isascii() and (ch.isalnum() or ch == "."))


def generate_rows(count: int, seed: int = 20251126) -> tuple[list[list[str]], int]:
    """`count` contact rows in HEADERS order and how many of them break a row rule."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    invalid = 0
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company = rng.choice(COMPANIES)
        domain = _ascii(company.split(" ")[0]) + ".nl" if company else "example.nl"
        email = f"{_ascii(first)}.{_ascii(last.replace(' ', ''))}{index}@{domain}"
        area = rng.choice(AREA_CODES)
        local = rng.randrange(1_000_000, 9_999_999) if len(area) == 2 else 0
        phone = f"0{area} {str(local)[:3]} {str(local)[3:]}"
        if rng.random() < 0.3:
            phone = f"+31 {area} {local}"
        mobile = f"06 {rng.randrange(1, 6)}{rng.randrange(0, 10_000_000):07d}"
        if rng.random() < 0.4:
            mobile = ""
        street, postcode, city = rng.choice(STREETS)
        address = f"{street} {rng.randrange(1, 300)}, {postcode} {city}"
        row = [first, last, company, email, phone, mobile, address, rng.choice(NOTES)]
        if index % INVALID_EVERY == INVALID_EVERY // 2:
            invalid += 1
            kind = (index // INVALID_EVERY) % 4
            if kind == 0:
                row[3] = email.replace("@", " at ")  # EMAIL_INVALID
            elif kind == 1:
                row[4], row[5] = "12345", ""  # PHONE_INVALID
            elif kind == 2:
                row[0], row[1] = "", ""  # NAME_MISSING
            else:
                row[4], row[5] = "", ""  # PHONE_MISSING
        rows.append(row)
    return rows, invalid


def to_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode()


def to_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_xls(rows: list[list[str]]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Contacts")
    for col, header in enumerate(HEADERS):
        sheet.write(0, col, header)
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value:
                sheet.write(row_index, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "xls": to_xls}


# --- memory -----------------------------------------------------------------------------


def _tree(pid: int | None) -> list[psutil.Process]:
    if pid is None:
        return []
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _vm_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _vm_hwm_kib(pid: int) -> int:
    return _vm_kib(pid, "VmHWM:")


def _reset_hwm(pid: int) -> bool:
    """Reset the process's peak RSS to its current RSS (Linux ≥ 4.0, same user)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class MemoryProbe:
    """Peak RSS of the API process and of the worker's process tree."""

    api_pid: int | None
    worker_pid: int | None
    resettable: bool = True

    def reset(self) -> None:
        for proc in _tree(self.api_pid) + _tree(self.worker_pid):
            self.resettable = _reset_hwm(proc.pid) and self.resettable

    def rss_mib(self) -> tuple[float, float]:
        """(API, largest worker process) resident now, in MiB."""
        api = _vm_kib(self.api_pid, "VmRSS:") if self.api_pid else 0
        workers = [_vm_kib(p.pid, "VmRSS:") for p in _tree(self.worker_pid)]
        return api / 1024, max(workers, default=0) / 1024

    def cpu_seconds(self) -> tuple[float, float, float, float]:
        """CPU seconds used so far by the API, the worker processes (Dramatiq's and its
        own), their check processes, and PostgreSQL's processes."""
        database = [
            p for p in psutil.process_iter(["name"]) if (p.info.get("name") or "") == "postgres"
        ]
        workers = _tree(self.worker_pid)
        # Dramatiq's main process, its worker processes; below them, the check processes.
        top = {self.worker_pid} | {p.pid for p in workers if p.ppid() == self.worker_pid}
        return (
            _cpu(_tree(self.api_pid)[:1]),
            _cpu([p for p in workers if p.pid in top]),
            _cpu([p for p in workers if p.pid not in top]),
            _cpu(database),
        )

    def peaks_mib(self) -> tuple[float, float, float]:
        """(API, largest worker process, sum over the worker tree) in MiB."""
        api = _vm_hwm_kib(self.api_pid) if self.api_pid else 0
        workers = [_vm_hwm_kib(p.pid) for p in _tree(self.worker_pid)]
        return api / 1024, max(workers, default=0) / 1024, sum(workers) / 1024


def _cpu(processes: list[psutil.Process]) -> float:
    """CPU seconds of these processes and of their children that have exited (PostgreSQL's
    postmaster reaps the backends of closed connections)."""
    total = 0.0
    for proc in processes:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def find_service_pid(module: str) -> int | None:
    """The top process running `python -m <module>` (or Dramatiq for the worker)."""
    markers = [module] + (["services.validator_worker.dramatiq_app"] if "worker" in module else [])
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info.get("cmdline") or [])
        if any(marker in cmdline for marker in markers):
            found.append(proc)
    pids = {p.pid for p in found}
    tops = [p for p in found if p.ppid() not in pids]
    return tops[0].pid if len(tops) == 1 else None


# --- one import -------------------------------------------------------------------------


@dataclass
class Result:
    """The figures of one import."""

    upload: float
    queue: float
    parse: float
    validate: float
    insert: float
    workbook: float
    total: float
    imported: int
    failed: int
    state: str
    api_mib: float
    worker_max_mib: float
    worker_sum_mib: float
    match: float = 0.0
    created: int = 0
    api_after_mib: float = 0.0
    worker_after_mib: float = 0.0
    cpu_api: float = 0.0
    cpu_worker: float = 0.0
    cpu_checks: float = 0.0
    cpu_db: float = 0.0


def _seconds(duration: Duration) -> float:
    return duration.seconds + duration.nanos / 1e9


def _upload_requests(name: str, data: bytes) -> Iterator[pb.UploadFileRequest]:
    digest = hashlib.sha256(data).hexdigest()
    yield pb.UploadFileRequest(
        metadata=pb.FileMetadata(file_name=name, size=len(data), sha256=digest)
    )
    for offset in range(0, len(data), CHUNK_SIZE):
        yield pb.UploadFileRequest(chunk=data[offset : offset + CHUNK_SIZE])


def import_once(
    stub: pb_grpc.ImportServiceStub,
    metadata: Sequence[tuple[str, str]],
    name: str,
    data: bytes,
    probe: MemoryProbe,
    timeout: float,
) -> Result:
    """Upload, start with the suggested mapping, watch to the end; measure each stage."""
    probe.reset()
    cpu_before = probe.cpu_seconds()
    began = time.perf_counter()
    uploaded = stub.UploadFile(_upload_requests(name, data), metadata=metadata, timeout=timeout)
    upload = time.perf_counter() - began
    import_id = uploaded.contact_import.import_id
    stub.StartImport(
        pb.StartImportRequest(
            import_id=import_id,
            mapping=uploaded.suggested_mapping,
            default_country="NL",
            request_id=str(uuid.uuid4()),
        ),
        metadata=metadata,
        timeout=timeout,
    )
    queued_at = time.perf_counter()
    running_at: float | None = None
    final: pb.ContactImport | None = None
    watch = pb.WatchImportRequest(import_id=import_id)
    for update in stub.WatchImport(watch, metadata=metadata, timeout=timeout):
        current = update.contact_import
        if running_at is None and current.state != pb.ContactImport.STATE_QUEUED:
            running_at = time.perf_counter()
        if current.state in TERMINAL:
            final = current
            break
    if final is None:  # the stream ended early: ask once more
        request = pb.GetImportRequest(import_id=import_id)
        final = stub.GetImport(request, metadata=metadata, timeout=timeout).contact_import
    total = time.perf_counter() - began
    cpu_api, cpu_worker, cpu_checks, cpu_db = (
        after - before for after, before in zip(probe.cpu_seconds(), cpu_before, strict=True)
    )
    api_mib, worker_max, worker_sum = probe.peaks_mib()
    # Resident size once the import is over: the worker frees the file's data as its run
    # returns, right after the commit the client just saw; half a second covers that.
    time.sleep(AFTER_IMPORT_SETTLE)
    api_after, worker_after = probe.rss_mib()
    timings = final.timings
    return Result(
        upload=upload,
        queue=(running_at if running_at is not None else began + total) - queued_at,
        parse=_seconds(timings.parse),
        validate=_seconds(timings.validate),
        insert=_seconds(timings.insert),
        workbook=_seconds(timings.workbook),
        total=total,
        imported=final.counts.imported,
        failed=final.counts.failed,
        match=_seconds(timings.match),
        created=final.counts.created,
        state=pb.ContactImport.State.Name(final.state),
        api_mib=api_mib,
        worker_max_mib=worker_max,
        worker_sum_mib=worker_sum,
        api_after_mib=api_after,
        worker_after_mib=worker_after,
        cpu_api=cpu_api,
        cpu_worker=cpu_worker,
        cpu_checks=cpu_checks,
        cpu_db=cpu_db,
    )


def _metadata(tenant: str) -> list[tuple[str, str]]:
    token = mint_token(
        key=signing_key(os.environ),
        tenant_id=tenant,
        name="Benchmark",
        country="NL",
        audience=os.environ.get("CONTACTIMPORT_JWT_AUDIENCE") or "contactimport",
    )
    return [("authorization", f"Bearer {token}")]


def _tenant_per_run(prefix: str) -> Callable[[int], str]:
    """A tenant of its own for each run: each import is that tenant's first."""
    return lambda run: f"{prefix}-{run}"


def _measure(
    stub: pb_grpc.ImportServiceStub,
    tenant: Callable[[int], str],
    fmt: str,
    seeds: Sequence[int],
    probe: MemoryProbe,
    options: argparse.Namespace,
    *,
    references: dict[str, list[Result]] | None = None,
    big: bool = False,
) -> tuple[list[Result], int, bool]:
    """One import per seed (rows of their own each), by the tenant `tenant(run)`.

    With `references`, each file is also imported by the one-process reference, once per
    phone library named there, right after the service imported it; `big` pads the rows'
    notes to make a file of BIG_CSV_BYTES.
    """
    results: list[Result] = []
    size = 0
    ok = True
    for run, seed in enumerate(seeds, start=1):
        rows, invalid = generate_rows(options.rows, seed=seed)
        if big:
            rows = big_rows(options.rows, BIG_CSV_BYTES, seed)
        expected_imported = len(rows) - invalid
        started = time.perf_counter()
        data = WRITERS[fmt](rows)
        size = len(data)
        print(
            f"bench: {fmt} run {run}: {size:,} bytes, written in "
            f"{time.perf_counter() - started:.2f} s",
            flush=True,
        )
        if options.keep_files and run == 1:
            options.keep_files.mkdir(parents=True, exist_ok=True)
            (options.keep_files / f"bench-contacts.{fmt}").write_bytes(data)
        try:
            result = import_once(
                stub, _metadata(tenant(run)), f"bench-contacts.{fmt}", data, probe, options.timeout
            )
        except grpc.RpcError as exc:
            print(f"bench: {fmt} run {run}: {exc.code().name}: {exc.details()}")
            return [], size, False
        results.append(result)
        counts_ok = result.imported == expected_imported and result.failed == invalid
        ok = ok and counts_ok
        print(
            f"bench: {fmt} run {run}: {result.state} in {result.total:.2f} s, "
            f"imported {result.imported} (created {result.created}), failed {result.failed}"
            + ("" if counts_ok else f" (expected {expected_imported}/{invalid})"),
            flush=True,
        )
        for library, measured in (references or {}).items():
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"bench-contacts.{fmt}"
                path.write_bytes(data)
                reference = run_reference(path, library, os.environ["DATABASE_URL"], probe)
            measured.append(reference)
            print(
                f"bench: {fmt} run {run}: one-process reference ({library}) in"
                f" {reference.total:.2f} s, imported {reference.imported}, failed"
                f" {reference.failed}",
                flush=True,
            )
    return results, size, ok


def _matching_case(
    stub: pb_grpc.ImportServiceStub, probe: MemoryProbe, options: argparse.Namespace
) -> tuple[list[Result], bool]:
    """The CSV imported by a tenant that has `--existing` contacts already."""
    tenant = f"bench-match-{int(time.time())}"
    seeds = [7000 + run for run in range(1, options.runs + 1)]
    overlap = [generate_rows(options.rows, seed=seed)[0][: options.rows // 5] for seed in seeds]
    shared = [row for rows in overlap for row in rows]
    others, _ = generate_rows(max(options.existing - len(shared), 0), seed=424242)
    # The others share nothing with the measured rows (random mobiles would now and then),
    # so every row's outcome is known: a fifth unchanged, the rest created.
    others = [[*row[:3], f"seed.{row[3]}", row[4], "", *row[6:]] for row in others]
    started = time.perf_counter()
    seed_contacts(os.environ["DATABASE_URL"], tenant, [*others, *shared])
    print(
        f"bench: seeded {len(others) + len(shared):,} contacts for the matching case in "
        f"{time.perf_counter() - started:.2f} s",
        flush=True,
    )
    results, _, ok = _measure(stub, lambda run: tenant, "csv", seeds, probe, options)
    return results, ok


# --- the one-process reference ----------------------------------------------------------


def run_reference(
    path: Path, library: str, database_url: str, probe: MemoryProbe | None = None
) -> Result:
    """devtools.bench_reference on `path` as a process of its own; total = its wall time."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    database = probe.cpu_seconds()[3] if probe else 0.0
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "devtools.bench_reference", str(path),
         "--database-url", database_url, "--phone-library", library],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    total = time.perf_counter() - began
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = json.loads(done.stdout)
    times = report["times"]
    return Result(
        upload=0.0, queue=0.0, parse=times["parse"], validate=times["validate"],
        insert=times["insert"], workbook=times["workbook"], total=total,
        imported=report["imported"], failed=report["failed"], state="reference",
        api_mib=0.0, worker_max_mib=0.0, worker_sum_mib=0.0,
        cpu_worker=used.ru_utime + used.ru_stime - children.ru_utime - children.ru_stime,
        cpu_db=probe.cpu_seconds()[3] - database if probe else 0.0,
    )  # fmt: skip


def big_rows(count: int, size: int, seed: int) -> list[list[str]]:
    """`count` bench rows whose notes (accents and emoji: 2-4 bytes a character) make a
    CSV of about `size` bytes."""
    rows, _ = generate_rows(count, seed=seed)
    base = len(to_csv(rows))
    phrase = "Klant wil graag 's ochtends gebeld worden ☎️ — café Zoë, ölçü 😀. "
    extra = max(size - base, 0) // count
    notes = (phrase * (extra // len(phrase.encode()) + 1)).encode()[:extra].decode(errors="ignore")
    return [[*row[:7], notes] for row in rows]


# --- report -----------------------------------------------------------------------------

COLUMNS = [
    ("format", 6, ""),
    ("size", 8, ""),
    ("upload", 7, "upload"),
    ("queue", 7, "queue"),
    ("parse", 7, "parse"),
    ("validate", 8, "validate"),
    ("match", 7, "match"),
    ("insert", 7, "insert"),
    ("workbook", 8, "workbook"),
    ("total", 7, "total"),
    ("imported", 8, "imported"),
    ("failed", 6, "failed"),
    ("API MiB", 7, "api_mib"),
    ("API aft", 7, "api_after_mib"),
    ("wrk MiB", 7, "worker_max_mib"),
    ("wrk aft", 7, "worker_after_mib"),
    ("wrk tree", 8, "worker_sum_mib"),
    ("cpu API", 7, "cpu_api"),
    ("cpu wrk", 7, "cpu_worker"),
    ("cpu chk", 7, "cpu_checks"),
    ("cpu db", 6, "cpu_db"),
]


def median_row(fmt: str, size: int, results: list[Result]) -> list[str]:
    cells = [fmt, f"{size / 1e6:.2f}MB"]
    for _, _, attr in COLUMNS[2:]:
        value = statistics.median(getattr(r, attr) for r in results)
        if attr in {"imported", "failed"} or attr.endswith("mib"):
            cells.append(f"{value:.0f}")
        else:
            cells.append(f"{value:.3f}s")
    return cells


def render_table(rows: list[list[str]]) -> str:
    header = " ".join(f"{title:>{width}}" for title, width, _ in COLUMNS)
    lines = [header, "-" * len(header)]
    lines += [
        " ".join(f"{cell:>{w}}" for cell, (_, w, _) in zip(row, COLUMNS, strict=True))
        for row in rows
    ]
    return "\n".join(lines)


def _idle_after_warm_up(
    options: argparse.Namespace, metadata: Sequence[tuple[str, str]], probe: MemoryProbe
) -> tuple[float, float]:
    """Import one small file (every module loaded, every process started), then the RSS.

    The idle size the after-import figures are compared with: a process that has never
    imported anything has not loaded openpyxl, email-validator and the rest yet.
    """
    rows, _ = generate_rows(200, seed=424_200)
    with grpc.insecure_channel(options.addr) as channel:
        stub = pb_grpc.ImportServiceStub(channel)  # type: ignore[no-untyped-call]
        import_once(stub, metadata, "warm-up.csv", to_csv(rows), probe, options.timeout)
    return probe.rss_mib()


def _ratios(totals: dict[str, float], library: str, existing: int) -> list[str]:
    lines = []
    if "csv" in totals and f"ref:{library}" in totals:
        ratio = totals["csv"] / totals[f"ref:{library}"]
        lines.append(f"CSV / one-process reference ({library}): {ratio:.2f}x")
    if "csv" in totals and library != "phonenumbers" and "ref:phonenumbers" in totals:
        lines.append(
            f"CSV / one-process reference (phonenumbers): "
            f"{totals['csv'] / totals['ref:phonenumbers']:.2f}x"
        )
    for fmt in ("xlsx", "xls"):
        if fmt in totals and "csv" in totals:
            lines.append(f"{fmt.upper()} / CSV: {totals[fmt] / totals['csv']:.2f}x")
    if "existing" in totals and "csv" in totals:
        lines.append(
            f"CSV by a tenant with {existing:,} contacts (a fifth of its rows among them) /"
            f" CSV on an empty tenant: {totals['existing'] / totals['csv']:.2f}x"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench", description=__doc__)
    parser.add_argument("--addr", default=os.environ.get("CONTACTIMPORT_ADDR", "localhost:50051"))
    parser.add_argument("--rows", type=int, default=10_000, help="data rows per file")
    parser.add_argument("--runs", type=int, default=3, help="imports per format (median)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="csv,xlsx,xls")
    parser.add_argument("--api-pid", type=int, help="the API process (default: found)")
    parser.add_argument("--worker-pid", type=int, help="the worker's main process (found)")
    parser.add_argument("--keep-files", type=Path, help="also write the files to this folder")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per call")
    parser.add_argument(
        "--existing",
        type=int,
        default=100_000,
        help="contacts the tenant of the matching case has (0 skips that case)",
    )
    parser.add_argument(
        "--no-reference", dest="reference", action="store_false",
        help="skip the one-process reference beside the CSV imports",
    )  # fmt: skip
    parser.add_argument(
        "--no-big", dest="big", action="store_false",
        help=f"skip the CSV of {BIG_CSV_BYTES // 1_000_000} MB (same rows, long notes)",
    )  # fmt: skip
    options = parser.parse_args(argv)
    formats = [f.strip() for f in options.formats.split(",") if f.strip()]
    if unknown := set(formats) - set(FORMATS):
        parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")

    api_pid = options.api_pid or find_service_pid("services.import_api")
    worker_pid = options.worker_pid or find_service_pid("services.validator_worker")
    probe = MemoryProbe(api_pid, worker_pid)
    stamp = int(time.time())
    metadata = _metadata(f"bench-{stamp}")

    # Every import gets rows of its own (a seed per format and run): the worker caches
    # parsed numbers and e-mails per process, and repeating a file would time the cache.
    sample, invalid = generate_rows(options.rows)
    print(
        f"bench: {len(sample)} rows per file ({invalid} invalid), {options.runs} run(s) per "
        f"format, against {options.addr}; API pid {api_pid}, worker pid {worker_pid}",
        flush=True,
    )
    library = os.environ.get("CONTACTIMPORT_PHONE_LIBRARY") or "phonenumbers"
    # The reference with the service's phone library, and with phonenumbers (the default,
    # which the rphonenumbers target is measured against).
    references: dict[str, list[Result]] = {
        name: [] for name in dict.fromkeys([library, "phonenumbers"])
    }
    idle_api, idle_worker = _idle_after_warm_up(options, metadata, probe)
    table: list[list[str]] = []
    totals: dict[str, float] = {}
    ok = True
    with grpc.insecure_channel(options.addr) as channel:
        stub = pb_grpc.ImportServiceStub(channel)  # type: ignore[no-untyped-call]
        for number, fmt in enumerate(formats):
            seeds = [1000 * number + run for run in range(1, options.runs + 1)]
            results, size, counts_ok = _measure(
                stub, _tenant_per_run(f"bench-{stamp}-{fmt}"), fmt, seeds, probe, options,
                references=references if fmt == "csv" and options.reference else None,
            )  # fmt: skip
            if not results:
                return 1
            ok = ok and counts_ok
            table.append(median_row(fmt, size, results))
            totals[fmt] = statistics.median(r.total for r in results)
            if fmt == "csv" and options.reference:
                for name, measured in references.items():
                    table.append(median_row(f"ref:{name[:3]}", size, measured))
                    totals[f"ref:{name}"] = statistics.median(r.total for r in measured)
        if options.existing and "csv" in formats:
            matching, counts_ok = _matching_case(stub, probe, options)
            if not matching:
                return 1
            ok = ok and counts_ok
            csv_size = len(to_csv(generate_rows(options.rows, seed=7001)[0]))
            table.append(median_row(f"csv+{options.existing // 1000}k", csv_size, matching))
            totals["existing"] = statistics.median(r.total for r in matching)
        if options.big and "csv" in formats:
            seeds = [9000 + run for run in range(1, options.runs + 1)]
            big, big_size, counts_ok = _measure(
                stub, _tenant_per_run(f"bench-{stamp}-big"), "csv", seeds, probe, options, big=True
            )
            if not big:
                return 1
            ok = ok and counts_ok
            table.append(median_row(f"csv{big_size // 1_000_000}MB", big_size, big))
    print()
    print(f"Median of {options.runs} run(s), {options.rows:,} rows per file (times in seconds):")
    print(render_table(table))
    print(
        "upload = UploadFile round trip; queue = StartImport answered until seen RUNNING;\n"
        "parse..workbook = the worker's timings (the workbook is written while contacts are\n"
        "stored); total = upload start to terminal state; ref:xxx = the one-process reference\n"
        "(devtools/bench_reference.py) on the same files with that phone library, total = its\n"
        "wall time as a process; MiB = peak RSS (VmHWM) of the API and of the largest worker\n"
        "process, aft = resident (VmRSS) after the import, tree = peak sum over the worker's\n"
        "processes; cpu = CPU seconds during the import of the API, the worker processes (of\n"
        "the reference: its process), their check processes and PostgreSQL's processes.\n"
        f"Idle (after a 200-row warm-up import): API {idle_api:.0f} MiB, largest worker\n"
        f"process {idle_worker:.0f} MiB. Phone library of the service: {library}."
    )
    print("Ratios (medians of this run):")
    for line in _ratios(totals, library, options.existing):
        print(f"  {line}")
    if not probe.resettable:
        print("(peaks could not be reset between imports: they are lifetime peaks)")
    if not ok:
        print("bench: some imports did not give the expected counts", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
