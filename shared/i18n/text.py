"""A message in no language yet: its English source, named parameters and plural form.

Domain code writes `t("Column {column}: {value} is not a valid phone number.", ...)` or
`tn("{count} row", "{count} rows", count)`; the text is rendered in the reader's language
where it is read (an RPC's answer, the failure workbook), so the same rejected row can be
shown in Dutch today and in German tomorrow. `pybabel extract` finds the `t`/`tn` calls
(`make messages`); placeholders are named, `{count}` picks the plural form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

# A parameter: a value to show as it is (a header, a cell's value), a number (formatted
# in the reader's locale) or another text (rendered in the same language).
Param = Union[str, int, "Text"]


@dataclass(frozen=True, slots=True)
class Text:
    """A message to render: English source with `{named}` placeholders, and its parameters."""

    source: str
    params: tuple[tuple[str, Param], ...] = ()
    plural: str = ""  # the English plural; `count` chooses between the two
    count: int | None = None

    def __str__(self) -> str:
        from shared.i18n.catalogues import render

        return render(self, "en")

    def arguments(self) -> dict[str, Param]:
        return dict(self.params)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able form (stored with the import; `from_json` reads it back)."""
        data: dict[str, Any] = {"s": self.source}
        if self.params:
            data["a"] = {
                k: {"t": v.to_json()} if isinstance(v, Text) else v for k, v in self.params
            }
        if self.plural:
            data["p"], data["n"] = self.plural, self.count
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> Text:
        if isinstance(data, str):  # stored before texts were: shown as written
            return cls(data.replace("{", "{{").replace("}", "}}"))
        params = tuple(
            (k, cls.from_json(v["t"]) if isinstance(v, dict) else v)
            for k, v in (data.get("a") or {}).items()
        )
        return cls(data["s"], params, data.get("p", ""), data.get("n"))


def t(source: str, **params: Param) -> Text:
    """A text to translate (a literal string, for `pybabel extract`)."""
    return Text(source, tuple(params.items()))


def tn(singular: str, plural: str, count: int, **params: Param) -> Text:
    """A text with a plural form, chosen by `count` (also the `{count}` placeholder)."""
    return Text(singular, (("count", count), *params.items()), plural, count)


def verbatim(value: str) -> Text:
    """A text that is shown as it is in every language (a name, an upstream message)."""
    return t("{value}", value=value)
