"""What one header says on its own: the vocabulary compiled, and a header looked up in it.

Exact field names, phrases and `#` patterns, numbered repeats ("E-mail 2"), group words
("Business Street", "Telefon geschäftlich"), qualifiers in parentheses or after a slash
("Telefoon (werk)", "Mobile/Cell"). The file's other headers are the matcher's business.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from shared.mapping.fields import FIELD_SPECS, NUMBER_FIELDS, AddressPart, ContactField
from shared.mapping.folding import compact, fold_header
from shared.mapping.labels import label_number_field
from shared.mapping.vocabulary import GROUP_WORDS, VOCABULARY, GroupWord, VocabularyEntry

_WHITESPACE = re.compile(r"\s+")
_QUALIFIER = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_TRAILING_NUMBER = re.compile(r"^(?P<base>.*?[^\W\d_])[\s#._-]*(?P<number>\d{1,3})$")
_NUMBER_IN_PHRASE = r"(\d{1,3})"


@dataclass(frozen=True)
class Found:
    """What a spelling matched, before the file's other headers are considered."""

    field: ContactField | None
    entry: VocabularyEntry | None = None
    number: int | None = None
    """A trailing repeat number ("E-mail 2")."""
    pattern_number: int | None = None
    """The number a `#` of the phrase captured ("Phone 1 - Value")."""
    group: str = ""
    """An address group named by a group word or a qualifier."""
    layouts: frozenset[str] = frozenset()
    """Every layout that writes this spelling (evidence of the file's layout)."""
    not_a_phone: bool = False
    """A number qualified as fax, pager or telex ("Phone (fax)"): known, and left out."""


@dataclass(frozen=True)
class _Phrase:
    """A vocabulary look-up: the chosen entry, its `#` number, and who else spells it so."""

    entry: VocabularyEntry
    number: int | None
    layouts: frozenset[str]


class _Vocabulary:
    """The vocabulary compiled for look-ups by compact spelling."""

    def __init__(
        self,
        entries: tuple[VocabularyEntry, ...],
        group_words: tuple[GroupWord, ...],
    ) -> None:
        self.names: dict[str, ContactField] = {}
        for spec in FIELD_SPECS.values():
            self.names[compact(spec.field.value)] = spec.field
            self.names[compact(str(spec.display_name))] = spec.field
        self.phrases: dict[str, list[VocabularyEntry]] = defaultdict(list)
        self.patterns: list[tuple[re.Pattern[str], VocabularyEntry]] = []
        for entry in entries:
            if "#" in entry.phrase:
                pieces = (compact(piece) for piece in entry.phrase.split("#"))
                self.patterns.append((re.compile(_NUMBER_IN_PHRASE.join(pieces)), entry))
            else:
                self.phrases[compact(entry.phrase)].append(entry)
        self.group_words = sorted(
            ((compact(w.phrase), w) for w in group_words), key=lambda item: -len(item[0])
        )

    def phrase(self, key: str, layouts: frozenset[str], *, patterns: bool = True) -> _Phrase | None:
        """The entry for a compact spelling: the file's layouts first, then synonyms."""
        candidates: list[tuple[VocabularyEntry, int | None]] = [
            (entry, None) for entry in self.phrases.get(key, ())
        ]
        if patterns and not candidates:
            for pattern, entry in self.patterns:
                if match := pattern.fullmatch(key):
                    candidates.append((entry, int(match.group(1))))
        if not candidates:
            return None
        # A spelling that hand-made sheets use with another meaning (German "Ort": a city
        # there, Outlook's office location) is no evidence of the layout.
        generic = {(entry.field, entry.part) for entry, _ in candidates if not entry.layout}
        known_in = frozenset(
            entry.layout
            for entry, _ in candidates
            if entry.layout and (not generic or (entry.field, entry.part) in generic)
        )
        # The file's own layouts first, then plain synonyms, then other tools' spellings.
        entry, number = min(
            candidates, key=lambda c: (c[0].layout not in layouts, bool(c[0].layout))
        )
        return _Phrase(entry, number, known_in)

    def lookup(self, text: str, layouts: frozenset[str]) -> Found | None:
        """What a folded spelling (without qualifiers) matches, if anything."""
        key = compact(text)
        if field := self.names.get(key):
            return Found(field)
        if hit := self.phrase(key, layouts):
            return Found(hit.entry.field, hit.entry, pattern_number=hit.number, layouts=hit.layouts)
        bases: list[tuple[str, int | None]] = [(key, None)]
        if numbered := _TRAILING_NUMBER.match(text):
            bases.insert(0, (compact(numbered["base"]), int(numbered["number"])))
        for base, number in bases:
            if number is not None and (found := self._plain(base, layouts, number)):
                return found
            for word_key, word in self.group_words:
                if base.startswith(word_key):
                    rest = base[len(word_key) :]
                elif base.endswith(word_key):
                    rest = base[: -len(word_key)]
                else:
                    continue
                found = self._plain(rest, layouts, number, group=word.group)
                # Group words only qualify numbers, e-mail and addresses, or mark a known
                # unmapped column: "Business Name" is not a name.
                if found and (found.field is None or FIELD_SPECS[found.field].multi_column):
                    return found
        return None

    def _plain(
        self, key: str, layouts: frozenset[str], number: int | None, group: str = ""
    ) -> Found | None:
        if not key:
            return None
        if field := self.names.get(key):
            return Found(field, number=number, group=group)
        if hit := self.phrase(key, layouts, patterns=False):
            return Found(hit.entry.field, hit.entry, number, group=group, layouts=hit.layouts)
        return None


_VOCABULARY = _Vocabulary(VOCABULARY, GROUP_WORDS)


def _group_for_qualifier(qualifier: str) -> str:
    key = compact(qualifier)
    for word_key, word in _VOCABULARY.group_words:
        if key == word_key:
            return word.group
    return _WHITESPACE.sub(" ", qualifier).strip()


def match_header(header: str, layouts: frozenset[str]) -> Found | None:
    """A header's match on its own, with qualifiers and slash alternatives applied."""
    folded = fold_header(header)
    if not folded:
        return None
    qualifiers = [a or b for a, b in _QUALIFIER.findall(folded)]
    written = [a or b for a, b in _QUALIFIER.findall(_WHITESPACE.sub(" ", header))]
    body = _WHITESPACE.sub(" ", _QUALIFIER.sub(" ", folded)).strip()
    alternatives = [folded, body]
    if "/" in body:
        alternatives += [alt.strip() for alt in body.split("/") if alt.strip()]
    matches = (
        (index, found)
        for index, text in enumerate(alternatives)
        if text and (found := _VOCABULARY.lookup(text, layouts)) is not None
    )
    first = next(matches, None)
    if first is None:
        return None
    index, found = first
    if index == 0:
        others: list[str] = []
    elif index == 1:
        others = qualifiers
    else:
        others = qualifiers + [a for i, a in enumerate(alternatives[2:], 2) if i != index]
    if found.field in NUMBER_FIELDS:
        # "Telefoon (mobiel)" is a mobile; "Phone (fax)" or "Tel/Fax" is not a phone.
        for other in others:
            kind = label_number_field(other, found.field)
            if kind is None:
                return Found(None, not_a_phone=True)
            found = replace(found, field=kind)
    if found.field is ContactField.ADDRESS and index > 0 and qualifiers:
        if part := _part_in_qualifiers(found, qualifiers, layouts):
            return part
        if not found.group:
            raw = written[0] if len(written) == len(qualifiers) else qualifiers[0]
            found = replace(found, group=_group_for_qualifier(raw))
    return found


def _part_in_qualifiers(
    address: Found, qualifiers: list[str], layouts: frozenset[str]
) -> Found | None:
    """ "Rechnungsanschrift (Straße)": a whole address qualified by a part is that part."""
    if address.entry is not None and address.entry.part is not AddressPart.WHOLE:
        return None
    group = (address.entry.group if address.entry is not None else "") or address.group
    for qualifier in qualifiers:
        part = _VOCABULARY.lookup(qualifier, layouts)
        if (
            part is not None
            and part.entry is not None
            and part.field is ContactField.ADDRESS
            and part.entry.part not in (AddressPart.WHOLE, AddressPart.FORMATTED)
        ):
            return replace(part, group=group)
    return None
