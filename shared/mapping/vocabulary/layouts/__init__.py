"""Export layouts of other tools, one module per tool (SPEC "Real-world exports").

Each module holds `LAYOUT`, the tool's name as the preview shows it, and `ENTRIES`, the
spellings that are the tool's own (plain ones, "First Name", "Email", "City", are synonyms),
each with `layout=LAYOUT`. Adding a tool is adding its module here and a fixture with its
headers under tests/fixtures/layouts: the modules are found by name, in alphabetical order.
"""

from __future__ import annotations

import importlib
import pkgutil

from shared.mapping.vocabulary.entries import VocabularyEntry


def _load() -> tuple[VocabularyEntry, ...]:
    entries: list[VocabularyEntry] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        layout, own = getattr(module, "LAYOUT", None), getattr(module, "ENTRIES", None)
        if not isinstance(layout, str) or not isinstance(own, tuple):
            raise TypeError(f"{module.__name__} must define LAYOUT (str) and ENTRIES (tuple)")
        for entry in own:
            if not isinstance(entry, VocabularyEntry) or entry.layout != layout:
                raise TypeError(f"{module.__name__}: {entry!r} is not an entry of {layout!r}")
            entries.append(entry)
    return tuple(entries)


LAYOUTS: tuple[VocabularyEntry, ...] = _load()
