"""Addresses: the parts of one group joined into one address, or a whole-address cell.

Parts join one per line in a fixed order (street lines, extended, PO box, "postal code
city", region, country), empty parts skipped; a filled formatted or whole cell beats the
group's parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.mapping.fields import AddressPart
from shared.value_cleaning import (
    MULTI_VALUE_SEPARATOR,
    clean_multiline,
    split_addresses,
)


@dataclass(frozen=True)
class Column:
    """A mapped column of the file: its index and its header (for messages)."""

    index: int
    header: str


# The order address parts are joined in, one line each (postal code and city share a line,
# as most of Europe writes them); empty parts are skipped.
ADDRESS_LINES: tuple[tuple[AddressPart, ...], ...] = (
    (AddressPart.STREET,),
    (AddressPart.EXTENDED,),
    (AddressPart.PO_BOX,),
    (AddressPart.POSTAL_CODE, AddressPart.CITY),
    (AddressPart.REGION,),
    (AddressPart.COUNTRY,),
)
WHOLE_PARTS = frozenset({AddressPart.WHOLE, AddressPart.FORMATTED})


@dataclass(frozen=True)
class AddressSource:
    """Where addresses come from: a whole-address column, or the parts of one group."""

    headers: tuple[str, ...]  # for messages
    formatted: tuple[int, ...]  # column indices of whole/formatted cells: filled ones win
    lines: tuple[tuple[int, ...], ...]  # column indices of the parts, line by line

    @classmethod
    def of(cls, columns: Sequence[tuple[AddressPart, Column]]) -> AddressSource:
        formatted = tuple(c.index for part, c in columns if part in WHOLE_PARTS)
        lines: list[tuple[int, ...]] = []
        for line_parts in ADDRESS_LINES:
            indices = tuple(c.index for want in line_parts for part, c in columns if part is want)
            if len(line_parts) == 1:
                lines.extend((i,) for i in indices)  # several street columns: a line each
            elif indices:
                lines.append(indices)
        return cls(tuple(c.header for _, c in columns), formatted, tuple(lines))


def addresses_of(source: AddressSource, cells: dict[int, list[str | None]], row: int) -> list[str]:
    """The addresses of one source: filled formatted cells win, else the parts joined."""
    formatted = [
        address
        for i in source.formatted
        if (cell := cells[i][row])
        for address in split_addresses(cell)
    ]
    if formatted:
        return formatted
    raw = [[cells[i][row] or "" for i in line] for line in source.lines]
    if any(MULTI_VALUE_SEPARATOR in cell for line in raw for cell in line):
        # Google joins the parts of several same-label addresses with " ::: " in each part
        # cell: the n-th piece of every part makes the n-th address.
        split = [[cell.split(MULTI_VALUE_SEPARATOR) for cell in line] for line in raw]
        count = max(len(pieces) for line in split for pieces in line)
        addresses = []
        for n in range(count):
            nth = [[pieces[n] if n < len(pieces) else "" for pieces in line] for line in split]
            addresses.append(joined(nth))
        return [a for a in addresses if a]
    address = joined(raw)
    return [address] if address else []


def joined(lines: list[list[str]]) -> str:
    """One address from its part cells, line by line; empty parts and lines skipped."""
    out: list[str] = []
    for line in lines:
        words = [w for cell in line if cell and (w := clean_multiline(cell))]
        if words:
            out.append(" ".join(words))
    return "\n".join(out)
