"""The address groups that a file's address columns form, and the part each column is.

The matcher hands over every column it matched to an address, with what its spelling says
(`AddressColumn`); `form_address_groups` decides the group and part of each, and which
columns stay unmapped because an earlier column of their group has their part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.mapping.fields import AddressPart
from shared.mapping.vocabulary import DEFAULT_ADDRESS_GROUP

_LINES = (AddressPart.STREET, AddressPart.WHOLE, AddressPart.FORMATTED)
_WHOLE = (AddressPart.WHOLE, AddressPart.FORMATTED)


@dataclass
class AddressColumn:
    """An address column while its group and part are decided."""

    index: int
    header: str
    part: AddressPart
    """The part its spelling names (WHOLE for a plain address); decided by the groups."""
    named_group: str = ""
    """The group its spelling, a group word or a qualifier names; "" for none."""
    number: int | None = None
    """A trailing repeat number ("City 2")."""
    fallback: bool = False
    """Its spelling takes the part only when no other column of the group claims it."""
    house_number: bool = False
    """A street part with only the house number ("Huisnummer")."""
    group: str = ""
    """The group decided: "" for a whole address of its own."""


def form_address_groups(
    columns: Sequence[AddressColumn],
) -> list[tuple[AddressColumn, AddressColumn]]:
    """Put address parts into groups and decide what a plain address column is.

    Parts without a group word share the default group; a numbered part ("City 2") makes
    group "Address 2", except a numbered street with no other part of that number, which
    is an extra street line ("Business Street 2"), and so is a numbered plain address
    beside unnumbered parts of its group ("Address | Address 2 | City"). A plain address
    column beside parts of its group is their street (Dutch "Adres | Postcode | Plaats"),
    or their formatted address when the group has a street other than a house number;
    alone it is a whole address of its own. Like a single-column field, a part other than
    a street line goes to the first column that claims it in its group ("City" beside
    "Woonplaats"), fallback spellings last ("County" beside "State"); the others stay
    unmapped.

    Sets each column's `group` and `part`; returns the columns left out, each with the
    column that took its part.
    """
    base = {c.index: c.named_group or DEFAULT_ADDRESS_GROUP for c in columns}
    numbered_parts = {
        (base[c.index], c.number) for c in columns if c.number is not None and c.part not in _LINES
    }
    unnumbered_parts = {base[c.index] for c in columns if c.number is None and c.part not in _LINES}
    for c in columns:
        group = base[c.index]
        line = (group, c.number) not in numbered_parts and (
            c.part is AddressPart.STREET
            or (c.part is AddressPart.WHOLE and group in unnumbered_parts)
        )
        if c.number is not None and not line:
            group = f"{group} {c.number}"
        c.group = group
    parts = [c for c in columns if c.part not in _WHOLE]
    for c in columns:
        if c.part is not AddressPart.WHOLE:
            continue
        siblings = [p for p in parts if p.group == c.group]
        if not siblings:
            c.group = ""
        elif any(p.part is AddressPart.STREET and not p.house_number for p in siblings):
            c.part = AddressPart.FORMATTED
        else:
            c.part = AddressPart.STREET
    claimed: dict[tuple[str, AddressPart], AddressColumn] = {}
    taken: list[tuple[AddressColumn, AddressColumn]] = []
    claimants = (c for c in columns if c.group and c.part is not AddressPart.STREET)
    for c in sorted(claimants, key=lambda c: (c.fallback, c.index)):
        if taker := claimed.get((c.group, c.part)):
            taken.append((c, taker))
        else:
            claimed[(c.group, c.part)] = c
    return taken
