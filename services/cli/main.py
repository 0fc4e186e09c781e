"""`contactimport`: the command line of the contact import service (argparse only; thin)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from services.cli import commands
from services.cli.client import DEFAULT_ADDRESS, Connection
from services.cli.mapping_overrides import FIELD_NAMES, parse_override

DESCRIPTION = f"""\
Import customer contacts from CSV, XLSX and XLS files through the contactimport service.

The server address is CONTACTIMPORT_ADDR (default {DEFAULT_ADDRESS}); the bearer token is
CONTACTIMPORT_TOKEN or --token. For local development:
  export CONTACTIMPORT_TOKEN="$(contactimport token --tenant acme --name 'Ann Admin' --country NL)"
  contactimport import contacts.csv --wait
"""

MAP_HELP = f"""\
change the suggested mapping; repeatable, applied in order. FIELD is one of: {FIELD_NAMES}.
For a single-valued field (first_name, last_name, full_name, company, notes) HEADER becomes
its only column; for email, phone, mobile and address HEADER is added as one more column;
an empty HEADER (`--map notes=`) removes every column of FIELD. A header already mapped to
another field moves. Headers compare trimmed and case-insensitively."""

IMPORT_EPILOG = """\
exit status: 0 when the import was started (without --wait) or ended SUCCEEDED or
PARTIALLY_SUCCEEDED (with --wait); 1 when the file was refused, a call failed or the
token is missing; 2 when the import ended FAILED (with --wait) or the command line is wrong;
130 when interrupted.

--json prints exactly one JSON object on stdout: the import resource in protobuf's JSON
mapping (camelCase names, enums by name), or on failure
  {"error": {"code": "INVALID_ARGUMENT", "reason": "NOT_UTF8", "message": "..."}}
(code: the gRPC status name; reason: the ErrorInfo reason, "" when there is none).
Progress goes to stderr, as a bar on a terminal; in --json mode only on a terminal.

examples:
  contactimport import contacts.csv --wait
  contactimport import export.xlsx --map mobile=GSM --map notes= --country BE --dry-run
  contactimport import contacts.csv --wait --json | jq .counts
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="contactimport",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    token = sub.add_parser(
        "token",
        help="print a development token signed with the local key",
        description="Print a bearer token signed with CONTACTIMPORT_JWT_KEY, else the file "
        "CONTACTIMPORT_JWT_KEY_FILE, else the repository's .local/dev-jwt.key (the key "
        "`make run` uses; made when missing). Audience: CONTACTIMPORT_JWT_AUDIENCE "
        "(default contactimport).",
    )
    token.add_argument("--tenant", required=True, type=_non_empty, help="tenant id")
    token.add_argument("--name", required=True, type=_non_empty, help="display name")
    token.add_argument(
        "--country", default="", type=_country, help="head-office country (ISO alpha-2)"
    )
    token.add_argument(
        "--ttl", type=_positive, default=12 * 3600, metavar="SECONDS", help="lifetime (12 h)"
    )

    imp = sub.add_parser(
        "import",
        help="upload a file, show its preview and mapping, and start the import",
        description="Upload FILE, print its headers, preview rows and suggested mapping,\n"
        "start the import with that mapping (changed by --map) and, with --wait, follow it\n"
        "to the end and print the counts.",
        epilog=IMPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="CSV, XLSX or XLS file")
    imp.add_argument(
        "--map",
        dest="overrides",
        action="append",
        default=[],
        type=parse_override,
        metavar="FIELD=HEADER",
        help=MAP_HELP,
    )
    imp.add_argument(
        "--country",
        default="",
        type=_country,
        help="default country for numbers without a country code (default: the token's)",
    )
    imp.add_argument("--dry-run", action="store_true", help="check every row but store no contact")
    imp.add_argument("--wait", action="store_true", help="follow the import to its end")
    _add_connection_flags(imp)

    get = sub.add_parser(
        "get",
        help="show an import; --wait follows it to its end",
        description="Show IMPORT_ID's state and counts; --wait follows it to its end (exit "
        "status and --json as for `import`).",
    )
    get.add_argument("import_id", metavar="IMPORT_ID")
    get.add_argument("--wait", action="store_true", help="follow the import to its end")
    _add_connection_flags(get)

    failures = sub.add_parser(
        "failures",
        help="save an import's failure workbook (rejected rows with reasons)",
        description="Save the failure workbook of IMPORT_ID to FILE (written to FILE.part, "
        'renamed when complete); prints the path and size (--json: {"path": ..., "size": N}).',
    )
    failures.add_argument("import_id", metavar="IMPORT_ID")
    failures.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to save it (default: the server's file name, here)",
    )
    _add_connection_flags(failures)
    return parser


def _add_connection_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token", help="bearer token (default: $CONTACTIMPORT_TOKEN)")
    parser.add_argument("--tls", action="store_true", help="use TLS (default: plaintext)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object on stdout and nothing else"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "token":
        return commands.run_token(
            tenant=args.tenant,
            name=args.name,
            country=args.country,
            ttl_seconds=args.ttl,
            out=sys.stdout,
        )
    connection = Connection.from_env(token=args.token, tls=args.tls)
    output = commands.standard_output(as_json=args.json)
    if args.command == "import":
        options = commands.ImportOptions(
            path=args.file,
            overrides=args.overrides,
            country=args.country,
            dry_run=args.dry_run,
            wait=args.wait,
        )
        return commands.run_import(connection, options, output)
    if args.command == "get":
        return commands.run_get(connection, args.import_id, wait=args.wait, output=output)
    return commands.run_failures(connection, args.import_id, args.output, output)


def _non_empty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text.strip()


def _country(text: str) -> str:
    code = text.strip().upper()
    if code and not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 3166-1 alpha-2 code (NL, BE)")
    return code


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


if __name__ == "__main__":
    sys.exit(main())
