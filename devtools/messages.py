"""The message catalogues: extract the texts from the code, bring every language up to date.

`python -m devtools.messages` (`make messages`) collects every `t(...)`/`tn(...)` text of
services/ and shared/ (with their `# Translators:` comments) into
shared/i18n/locale/contactimport.pot and merges it into each language's .po: a new text
arrives untranslated, a changed one is marked fuzzy, a removed one becomes obsolete — a
translator then edits the .po file. `--check` (in `make lint`) changes nothing and fails
when a catalogue is not in step with the code; tests/shared/test_catalogues.py checks that
every text is translated with the same placeholders.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from shared.i18n.catalogues import DOMAIN, LOCALE_DIR, catalogue_path
from shared.i18n.negotiation import DEFAULT_LANGUAGE, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("shared", "services")
KEYWORDS = {"t": None, "tn": (1, 2)}
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
HEADER = {
    "project": "contactimport",
    "version": "1",
    "copyright_holder": "the contactimport team",
    "msgid_bugs_address": "the contactimport team",
    "last_translator": "the contactimport team",
    "language_team": "the contactimport team",
}


def extract() -> Catalog:
    """Every text of the code, with where it is and its translator comments."""
    template = Catalog(domain=DOMAIN, fuzzy=False, **HEADER)
    template.header_comment = (
        "# The texts of contactimport, extracted from the code by `make messages`.\n"
        "# Translations: <language>/LC_MESSAGES/contactimport.po (never edit this file)."
    )
    for folder in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder,
            method_map=[("**/gen/**.py", "ignore"), ("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=["Translators:"],
            strip_comment_tags=True,
        ):
            template.add(
                message,
                None,
                [(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def _text(catalog: Catalog, **options: bool) -> str:
    out = io.BytesIO()
    # No line numbers: a text's place is its file; moving code does not touch the catalogues.
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, **options)
    # The creation date changes on every run; it is not part of what must be in step.
    lines = out.getvalue().decode().splitlines(keepends=True)
    return "".join(line for line in lines if "-Creation-Date:" not in line)


def updated(template: Catalog, language: str) -> Catalog:
    path = catalogue_path(language)
    if path.exists():
        with path.open("rb") as po:
            catalog = read_po(po, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, fuzzy=False, **HEADER)
        catalog.header_comment = (
            f"# The {language} texts of contactimport. Translate each msgstr as an admin of\n"
            "# that language would say it; keep every {placeholder} exactly as written."
        )
    catalog.update(template, update_header_comment=False)
    return catalog


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.messages", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a catalogue is stale")
    options = parser.parse_args(argv)
    template = extract()
    wanted = {TEMPLATE: _text(template)}
    for language in LANGUAGES:
        if language != DEFAULT_LANGUAGE:
            wanted[catalogue_path(language)] = _text(updated(template, language))
    stale = [p for p, text in wanted.items() if not p.exists() or _strip(p) != text]
    if options.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is not in step with the code: run `make messages`")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


def _strip(path: Path) -> str:
    lines = path.read_text().splitlines(keepends=True)
    return "".join(line for line in lines if "-Creation-Date:" not in line)


if __name__ == "__main__":
    sys.exit(main())
