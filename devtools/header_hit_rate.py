"""The matcher's hit rate on real header spellings (tests/shared/mapping/header_spellings.tsv).

`python -m devtools.header_hit_rate [path]` prints the hit rate overall and per section
(a tool's layout or a hand-made sheet), then every miss with what the matcher gave; `path`
is the list to read (default: the one the tests use, in the checkout).

The list holds real spellings collected from the tools' documentation and public code that
reads or writes their exports, each with the field a user means. Section lines group them:
a `layout` section is one file's header row and is evaluated as a whole (so that label
columns, address groups and layout evidence work as they do on a real upload); an `alone`
section evaluates each spelling on its own; a `with` section evaluates each spelling beside
the section's context headers. A spelling is a hit when the suggested field (and address
part, where given) is the expected one, or when it stays unmapped and `-` was expected; a
value column that its label column types ("Phone 1 - Value") is a hit as a phone with that
label column.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from shared.mapping.fields import NUMBER_FIELDS, AddressPart, ColumnMapping, ContactField
from shared.mapping.matcher import suggest_mapping

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "tests/shared/mapping/header_spellings.tsv"
UNMAPPED = "-"
_MODES = ("layout", "alone", "with")


@dataclass(frozen=True)
class Spelling:
    """One line of the list: a header as a tool or a person writes it, and what it means."""

    spelling: str
    expected: str
    """A field name, `address:<part>`, or `-` for a column that must stay unmapped."""
    source: str
    section: str
    line: int


@dataclass(frozen=True)
class Section:
    """Spellings evaluated the same way: one layout, or one context."""

    mode: str
    name: str
    context: tuple[str, ...]
    spellings: tuple[Spelling, ...]


@dataclass(frozen=True)
class Result:
    spelling: Spelling
    got: str
    """What the matcher suggested, in the notation of `expected` (plus the label column)."""
    hit: bool


def load(path: Path = DEFAULT_PATH) -> list[Section]:
    """The sections of a spellings file."""
    sections: list[Section] = []
    mode, name = "", ""
    context: tuple[str, ...] = ()
    spellings: list[Spelling] = []

    def close() -> None:
        if spellings:
            sections.append(Section(mode, name, context, tuple(spellings)))

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if raw.startswith("@"):
            close()
            spellings = []
            mode, name = cells[0][1:], cells[1] if len(cells) > 1 else ""
            if mode not in _MODES:
                raise ValueError(f"{path}:{number}: unknown section mode {mode!r}")
            ctx = cells[2] if len(cells) > 2 else ""
            context = tuple(h.strip() for h in ctx.split("|") if h.strip())
            continue
        if len(cells) != 3 or not mode:
            raise ValueError(f"{path}:{number}: expected spelling<TAB>expected<TAB>source")
        spelling, expected, source = cells
        _check_expected(expected, f"{path}:{number}")
        spellings.append(Spelling(spelling, expected, source, name, number))
    close()
    return sections


def _check_expected(expected: str, where: str) -> None:
    if expected == UNMAPPED:
        return
    field, _, part = expected.partition(":")
    try:
        ContactField(field)
        if part:
            AddressPart(part)
    except ValueError:
        raise ValueError(f"{where}: unknown expected value {expected!r}") from None


def _describe(column: ColumnMapping | None) -> str:
    if column is None:
        return UNMAPPED
    text = column.field.value
    if column.field is ContactField.ADDRESS:
        text += f":{column.address_part.value}"
    if column.label_header:
        text += f" (label {column.label_header!r})"
    return text


def _is_hit(expected: str, column: ColumnMapping | None) -> bool:
    if column is None:
        return expected == UNMAPPED
    field, _, part = expected.partition(":")
    if field == UNMAPPED:
        return False
    if column.field.value == field:
        return not part or column.address_part.value == part
    # A value column whose label column decides its kind ("Phone 1 - Value").
    return (
        ContactField(field) in NUMBER_FIELDS
        and column.field is ContactField.PHONE
        and bool(column.label_header)
    )


def evaluate(sections: Iterable[Section]) -> list[Result]:
    """Each spelling's result in its section's context."""
    results: list[Result] = []
    for section in sections:
        if section.mode == "layout":
            headers = [s.spelling for s in section.spellings]
            duplicates = {h for h in headers if headers.count(h) > 1}
            if duplicates:
                raise ValueError(f"section {section.name!r} repeats {sorted(duplicates)}")
            by_header = {c.header: c for c in suggest_mapping(headers).mapping.columns}
            for s in section.spellings:
                column = by_header.get(s.spelling)
                results.append(Result(s, _describe(column), _is_hit(s.expected, column)))
            continue
        for s in section.spellings:
            headers = [s.spelling, *section.context]
            columns = suggest_mapping(headers).mapping.columns
            column = next((c for c in columns if c.header == s.spelling), None)
            results.append(Result(s, _describe(column), _is_hit(s.expected, column)))
    return results


def hit_rate(results: list[Result]) -> float:
    return sum(r.hit for r in results) / len(results) if results else 0.0


def report(results: list[Result]) -> str:
    """The overall and per-section hit rates, then the misses."""
    lines = [f"overall: {_rate(results)}"]
    mapped = [r for r in results if r.spelling.expected != UNMAPPED]
    unmapped = [r for r in results if r.spelling.expected == UNMAPPED]
    lines.append(f"  contact data columns: {_rate(mapped)}")
    lines.append(f"  columns that must stay unmapped: {_rate(unmapped)}")
    lines.append("")
    lines.append("per source:")
    sections: dict[str, list[Result]] = {}
    for r in results:
        sections.setdefault(r.spelling.section, []).append(r)
    width = max(len(name) for name in sections)
    for name, group in sections.items():
        lines.append(f"  {name:<{width}}  {_rate(group)}")
    misses = [r for r in results if not r.hit]
    lines.append("")
    lines.append(f"misses ({len(misses)}):")
    for r in misses:
        s = r.spelling
        lines.append(f"  [{s.section}] {s.spelling!r}: expected {s.expected}, got {r.got}")
    return "\n".join(lines)


def _rate(results: list[Result]) -> str:
    hits = sum(r.hit for r in results)
    return f"{hit_rate(results):.1%} ({hits}/{len(results)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.header_hit_rate")
    parser.add_argument(
        "path", nargs="?", type=Path, default=DEFAULT_PATH, help="header_spellings.tsv to read"
    )
    path: Path = parser.parse_args(argv).path
    if not path.is_file():
        parser.error(f"{path} does not exist: name the spellings list to read")
    print(report(evaluate(load(path))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
