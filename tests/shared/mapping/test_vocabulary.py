"""The vocabulary as data: consistent spellings, and one module per tool layout."""

from __future__ import annotations

import pkgutil

from shared.mapping.folding import fold_header
from shared.mapping.vocabulary import VOCABULARY, layouts


def test_vocabulary_has_no_conflicting_spellings() -> None:
    # Two entries of one spelling must agree, unless a layout overrides a synonym for its
    # own files (Outlook's German "Ort" is the office location, not the city).
    seen: dict[tuple[str, str], tuple[object, ...]] = {}
    for entry in VOCABULARY:
        key = ("".join(ch for ch in fold_header(entry.phrase) if ch.isalnum() or ch == "#"),
               entry.layout)  # fmt: skip
        meaning = (entry.field, entry.part, entry.group)
        assert seen.setdefault(key, meaning) == meaning, entry


def test_every_layout_module_is_loaded_with_its_own_entries() -> None:
    # Adding a tool is adding its module to vocabulary/layouts: nothing else lists it.
    names = {info.name for info in pkgutil.iter_modules(layouts.__path__)}
    loaded = {entry.layout for entry in layouts.LAYOUTS}
    assert len(loaded) == len(names)
    assert {"google", "outlook", "salesforce", "failure_workbook"} <= names
    assert all(entry.layout for entry in layouts.LAYOUTS)
    assert set(layouts.LAYOUTS) <= set(VOCABULARY)
