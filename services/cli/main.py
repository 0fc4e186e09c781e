"""`contactimport`: the command line of the contact import service (argparse only; thin)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from services.cli.client import DEFAULT_ADDRESS, ClientTls, Connection
from services.cli.commands import deletion, downloads, importing, listing
from services.cli.commands.output import EXIT_ERROR, os_message, standard_output
from services.cli.commands.token import run_token
from services.cli.mapping_overrides import FIELD_NAMES, parse_override
from shared.i18n.negotiation import DEFAULT_LANGUAGE, LANGUAGES, supported_language
from shared.settings import Settings

# The server's defaults, named in the help texts (a server may be configured otherwise).
HISTORY_DAYS = Settings.model_fields["history_days"].default
DELETED_VISIBLE_DAYS = Settings.model_fields["deleted_visible_days"].default

DESCRIPTION = f"""\
Import customer contacts from CSV, vCard, XLSX and XLS files through the contactimport service.

The server address is CONTACTIMPORT_ADDR (default {DEFAULT_ADDRESS}); the bearer token is
CONTACTIMPORT_TOKEN or --token. TLS: --tls (the system's roots), --ca FILE (roots of
your own), --cert FILE --key FILE (a client certificate); or CONTACTIMPORT_TLS=1,
CONTACTIMPORT_TLS_CA, CONTACTIMPORT_TLS_CERT, CONTACTIMPORT_TLS_KEY. For local development:
  export CONTACTIMPORT_TOKEN="$(contactimport token --tenant acme --name 'Ann Admin' --country NL)"
  contactimport import contacts.csv --wait
  contactimport history
  contactimport contacts jansen
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


LIST_EPILOG = """\
Every page is followed (--page-size only sets how many items one call fetches); --limit N
stops after N. Times are UTC.

--json prints one JSON object per line, each {what} in protobuf's JSON mapping
(camelCase names, enums by name){order}, and nothing else on stdout. On failure
the last line is the error object
  {{"error": {{"code": "INVALID_ARGUMENT", "reason": "...", "message": "..."}}}}
and the exit status is 1 (the lines of the pages before it stand).

examples:
{examples}
"""

HISTORY_EPILOG = LIST_EPILOG.format(
    what="an import",
    order=", newest first",
    examples="""\
  contactimport history
  contactimport history --limit 5
  contactimport history --json | jq -r 'select(.deletion) | .deletion.summary'""",
)

CONTACTS_EPILOG = LIST_EPILOG.format(
    what="a contact",
    order="",
    examples="""\
  contactimport contacts
  contactimport contacts jansen
  contactimport contacts "06 1234 5678"      # any spelling of the number matches
  contactimport contacts --import IMPORT_ID --json | jq -r '.emails[]?'""",
)

DELETE_EPILOG = f"""\
The import itself stays in the history, marked deleted ("N deleted by NAME."), for
{DELETED_VISIBLE_DAYS} days (the server's default). Deleting it again answers the same and
deletes nothing more. An import that is still QUEUED or RUNNING is refused
(FAILED_PRECONDITION, IMPORT_RUNNING).

--json prints the import, marked deleted, as one JSON object in protobuf's JSON mapping
(its "deletion": deletedCount, deletedBy, deleteTime, summary), or on failure the error
object; exit status 1 on failure.
"""

TEMPLATE_EPILOG = """\
The template has one worksheet: a header row naming every contact field (the extra slots
numbered, "Email 2" … "Email 5") in the chosen language, and one example row. Fill it in
and upload it with `contactimport import FILE`: every column is matched.

examples:
  contactimport template -o contacts.xlsx
  contactimport template --locale nl -o contacten.xlsx
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
    token.add_argument(
        "--locale", default="", help="the person's language, a `locale` claim (nl-BE, de, ...)"
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
    imp.add_argument("file", type=Path, metavar="FILE", help="CSV, XLSX, XLS or vCard file")
    imp.add_argument(
        "--encoding",
        default="",
        help="the text encoding of a CSV or vCard without a byte-order mark: utf-8 "
        "(default), utf-16, windows-1252, iso-8859-1 or iso-8859-15",
    )
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
    imp.add_argument(
        "--duplicates",
        choices=sorted(importing.DUPLICATE_POLICIES),
        default="skip",
        help="a row that is already a contact (same e-mail, mobile, or phone and name): "
        "skip it (default), update the contact with its new values, or create another",
    )
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

    history = sub.add_parser(
        "history",
        help=f"list the imports of the last {HISTORY_DAYS} days, newest first",
        description=f"List your tenant's imports of the last {HISTORY_DAYS} days (the server's "
        "default),\n"
        "newest first, those never started included: id, time, file, format, state, counts\n"
        'and uploaded by; under a deleted import "N deleted by NAME.".',
        epilog=HISTORY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_list_flags(history)
    _add_connection_flags(history, json_help=JSON_LINES_HELP)

    delete = sub.add_parser(
        "delete",
        help="delete the contacts an import created",
        description="Delete the contacts IMPORT_ID created (never any other) and show what\n"
        "was deleted.",
        epilog=DELETE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    delete.add_argument("import_id", metavar="IMPORT_ID")
    _add_connection_flags(delete)

    template = sub.add_parser(
        "template",
        help="save the XLSX template with every contact field",
        description="Save the XLSX template to FILE (written to FILE.part, renamed when\n"
        'complete); prints the path and size (--json: {"path": ..., "size": N}).',
        epilog=TEMPLATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    template.add_argument(
        "--locale",
        default="",
        type=str.lower,
        choices=downloads.TEMPLATE_LOCALES,
        help="language of the headers: en, nl, fr or de (default: --language)",
    )
    template.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to save it (default: the server's file name, here)",
    )
    _add_connection_flags(template)

    contacts = sub.add_parser(
        "contacts",
        help="list or search your contacts",
        description="List your tenant's contacts: name, company, e-mails, phones, mobiles and\n"
        "the import each came from. QUERY matches a name or company (ignoring case and\n"
        "accents), part of an e-mail address, or a phone or mobile number in any spelling\n"
        "(read with your tenant's country).",
        epilog=CONTACTS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    contacts.add_argument(
        "query", nargs="?", default="", metavar="QUERY", help="what to search for (default: all)"
    )
    contacts.add_argument(
        "--import",
        dest="import_id",
        default="",
        metavar="IMPORT_ID",
        help="only the contacts of this import",
    )
    _add_list_flags(contacts)
    _add_connection_flags(contacts, json_help=JSON_LINES_HELP)
    return parser


JSON_HELP = "print one JSON object on stdout and nothing else"
JSON_LINES_HELP = "print one JSON object per line on stdout and nothing else"


def _add_connection_flags(parser: argparse.ArgumentParser, *, json_help: str = JSON_HELP) -> None:
    parser.add_argument("--token", help="bearer token (default: $CONTACTIMPORT_TOKEN)")
    _add_language_flag(parser)
    parser.add_argument(
        "--tls",
        action="store_true",
        default=None,
        help="use TLS, trusting the system's roots (default: $CONTACTIMPORT_TLS, else plaintext)",
    )
    parser.add_argument(
        "--ca",
        type=Path,
        metavar="FILE",
        help="PEM roots that sign the server's certificate; implies --tls "
        "(default: $CONTACTIMPORT_TLS_CA)",
    )
    parser.add_argument(
        "--cert",
        type=Path,
        metavar="FILE",
        help="PEM client certificate chain, for a server that asks for one; needs --key, "
        "implies --tls (default: $CONTACTIMPORT_TLS_CERT)",
    )
    parser.add_argument(
        "--key",
        type=Path,
        metavar="FILE",
        help="PEM private key of --cert, unencrypted (default: $CONTACTIMPORT_TLS_KEY)",
    )
    # Errors about these flags are reported with this command's usage line.
    parser.set_defaults(usage_error=parser.error)
    parser.add_argument("--json", action="store_true", help=json_help)


def default_language(env: Mapping[str, str]) -> str:
    """The language of the user's locale (LC_ALL, LC_MESSAGES, LANG: "nl_BE.UTF-8" → nl)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := env.get(name, ""):
            return supported_language(value.split(".")[0]) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _add_language_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--language",
        type=str.lower,
        choices=LANGUAGES,
        default=default_language(os.environ),
        help="language of the server's messages and of the failure workbook: "
        f"{', '.join(LANGUAGES)} (default: from LANG, else en)",
    )


def _add_list_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help="show at most N (default: all, following every page)",
    )
    parser.add_argument(
        "--page-size",
        type=_positive,
        default=listing.DEFAULT_PAGE_SIZE,
        metavar="N",
        help=f"items per call (default {listing.DEFAULT_PAGE_SIZE}, the server's maximum)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command != "token":
        try:
            args.client_tls = client_tls(args, os.environ)
        except TlsUsageError as exc:
            args.usage_error(str(exc))
    try:
        return _run(args)
    except BrokenPipeError:
        # The reader went away (`contactimport contacts --json | head -1`): no traceback, and
        # no second one when Python flushes stdout at exit.
        _discard_stdout()
        return EXIT_ERROR


class TlsUsageError(Exception):
    """Raised when the TLS flags (or their variables) do not go together or cannot be read."""


TLS_ON = {"1", "true", "yes", "on"}


def client_tls(args: argparse.Namespace, env: Mapping[str, str]) -> ClientTls | None:
    """The channel's TLS from --tls/--ca/--cert/--key, else CONTACTIMPORT_TLS*; None: plaintext.

    A flag wins over its variable; --ca, --cert or --key (or their variables) imply --tls.
    """
    files: dict[str, Path | None] = {}
    for flag, variable in (("ca", "CA"), ("cert", "CERT"), ("key", "KEY")):
        value = getattr(args, flag) or env.get(f"CONTACTIMPORT_TLS_{variable}", "").strip()
        files[flag] = Path(value) if value else None
    if (files["cert"] is None) != (files["key"] is None):
        given, missing = ("cert", "key") if files["key"] is None else ("key", "cert")
        raise TlsUsageError(
            f"--{given} (or CONTACTIMPORT_TLS_{given.upper()}) needs --{missing} "
            f"(or CONTACTIMPORT_TLS_{missing.upper()}): a client certificate and its key"
        )
    wanted = (
        args.tls if args.tls is not None else env.get("CONTACTIMPORT_TLS", "").lower() in TLS_ON
    )
    if not wanted and all(path is None for path in files.values()):
        return None
    try:
        return ClientTls.from_files(**files)
    except OSError as exc:
        flag = next((f for f, path in files.items() if path and str(path) == exc.filename), "")
        raise TlsUsageError(f"--{flag} {os_message(exc)}" if flag else os_message(exc)) from None


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (tests, embedding)
        pass


def _run(args: argparse.Namespace) -> int:
    if args.command == "token":
        return run_token(
            tenant=args.tenant,
            name=args.name,
            country=args.country,
            ttl_seconds=args.ttl,
            locale=args.locale,
            out=sys.stdout,
        )
    connection = Connection.from_env(token=args.token, tls=args.client_tls, language=args.language)
    output = standard_output(as_json=args.json)
    if args.command == "import":
        options = importing.ImportOptions(
            path=args.file,
            overrides=args.overrides,
            country=args.country,
            dry_run=args.dry_run,
            wait=args.wait,
            duplicates=args.duplicates,
            encoding=args.encoding,
        )
        return importing.run_import(connection, options, output)
    if args.command == "get":
        return importing.run_get(connection, args.import_id, wait=args.wait, output=output)
    if args.command == "failures":
        return downloads.run_failures(connection, args.import_id, args.output, output)
    if args.command == "history":
        return listing.run_history(connection, _list_options(args), output)
    if args.command == "delete":
        return deletion.run_delete(connection, args.import_id, output)
    if args.command == "template":
        return downloads.run_template(connection, args.locale, args.output, output)
    return listing.run_contacts(connection, args.query, args.import_id, _list_options(args), output)


def _list_options(args: argparse.Namespace) -> listing.ListOptions:
    return listing.ListOptions(page_size=args.page_size, limit=args.limit)


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
