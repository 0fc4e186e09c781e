"""The one-process reference `make bench` compares the service with.

What one plain, hand-written process does to import a contacts CSV, no service around it:
read the file with pyarrow, check each row (a first or last name, an e-mail of plausible
shape, every phone and mobile parsed and validated with the phone library), COPY the valid
rows into a table with asyncpg, write the rejected rows to an openpyxl workbook. The bench
runs it as its own process on the same file as the service, so the ratio of the two is
measured in one run; its wall time includes interpreter start-up and imports, as the
service's includes the upload and the queue hop.

`python -m devtools.bench_reference FILE --database-url URL [--phone-library NAME]`
prints one JSON object: rows, imported, failed and the time of each stage.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import io
import json
import re
import sys
import time
from collections.abc import Sequence

_STARTED = time.perf_counter()

import asyncpg  # noqa: E402
import pyarrow.csv as pa_csv  # noqa: E402
from openpyxl import Workbook  # noqa: E402

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
COLUMNS = ("first_name", "last_name", "company", "emails", "phones", "mobiles", "addresses")


def check_rows(
    columns: dict[str, list[str | None]], country: str, library: object
) -> tuple[list[tuple[object, ...]], list[tuple[list[str], str]]]:
    """Valid rows as COPY records, rejected rows with their reason."""
    parse = library.parse  # type: ignore[attr-defined]
    is_valid = library.is_valid_number  # type: ignore[attr-defined]
    fmt = library.format_number  # type: ignore[attr-defined]
    e164 = library.PhoneNumberFormat.E164  # type: ignore[attr-defined]
    parse_error = library.NumberParseException  # type: ignore[attr-defined]

    def number(text: str) -> str | None:
        try:
            parsed = parse(text, country)
        except parse_error:
            return None
        return fmt(parsed, e164) if is_valid(parsed) else None

    valid: list[tuple[object, ...]] = []
    rejected: list[tuple[list[str], str]] = []
    names = list(columns)
    for cells in zip(*columns.values(), strict=True):
        row = dict(zip(names, ((c or "").strip() for c in cells), strict=True))
        first, last, company = row["First name"], row["Last name"], row["Company"]
        email, phone, mobile = row["Email"], row["Phone"], row["Mobile"]
        reason = ""
        if not (first or last):
            reason = "A first or last name is required"
        elif email and not _EMAIL.fullmatch(email):
            reason = "Email is not a valid e-mail address"
        elif not (phone or mobile):
            reason = "A phone or a mobile number is required"
        phones = [number(phone)] if phone else []
        mobiles = [number(mobile)] if mobile else []
        if not reason and None in phones + mobiles:
            reason = "Phone is not a valid phone number"
        if reason:
            rejected.append((list(row.values()), reason))
            continue
        valid.append(
            (first, last, company, [email] if email else [], phones, mobiles, [row["Address"]])
        )
    return valid, rejected


async def store(database_url: str, records: Sequence[tuple[object, ...]]) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            await conn.execute(
                "CREATE TEMP TABLE reference_contacts (first_name text, last_name text,"
                " company text, emails text[], phones text[], mobiles text[], addresses text[])"
                " ON COMMIT DROP"
            )
            await conn.copy_records_to_table("reference_contacts", records=records, columns=COLUMNS)
    finally:
        await conn.close()


def workbook(headers: list[str], rejected: list[tuple[list[str], str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Rejected rows")
    sheet.append([*headers, "Reason"])
    for cells, reason in rejected:
        sheet.append([*cells, reason])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench_reference")
    parser.add_argument("file")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--phone-library", default="phonenumbers")
    parser.add_argument("--country", default="NL")
    options = parser.parse_args(argv)
    library = importlib.import_module(options.phone_library)
    times = {"imports": time.perf_counter() - _STARTED}

    started = time.perf_counter()
    convert = pa_csv.ConvertOptions(column_types={}, strings_can_be_null=False)
    table = pa_csv.read_csv(options.file, convert_options=convert)
    columns = {name: table.column(name).cast("string").to_pylist() for name in table.column_names}
    times["parse"] = time.perf_counter() - started

    started = time.perf_counter()
    valid, rejected = check_rows(columns, options.country, library)
    times["validate"] = time.perf_counter() - started

    started = time.perf_counter()
    asyncio.run(store(options.database_url, valid))
    times["insert"] = time.perf_counter() - started

    started = time.perf_counter()
    workbook(table.column_names, rejected)
    times["workbook"] = time.perf_counter() - started

    print(
        json.dumps(
            {
                "rows": table.num_rows,
                "imported": len(valid),
                "failed": len(rejected),
                "times": times,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
