"""The repeated-header rule of an upload: a header written twice may not be mapped.

Mapping is by header, so two columns of one name would be ambiguous. A repeated header the
suggested mapping leaves out holds no contact data and is accepted: French Outlook writes
"Titre" twice (salutation and job title), and that export must import as it is. The reader
reports the repeats (`Sheet.repeated_headers`); the rule needs the matcher's answer, so it
is applied after matching, once, at upload. A caller's own mapping of a repeated header is
refused by `rules.check_mapping` (HEADER_AMBIGUOUS).
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.errors import FileRejected, Reason
from shared.i18n.text import t
from shared.mapping.matcher import Suggestion
from shared.spreadsheet.sheet import RepeatedHeader
from shared.spreadsheet.sheet_rules import column_name


def check_repeated_headers(repeated: Sequence[RepeatedHeader], suggestion: Suggestion) -> None:
    """Raise FileRejected (DUPLICATE_HEADER) when the suggestion maps a repeated header.

    `suggestion` is the matcher's: headers that repeat have no signature
    (`signature.header_signature`), so no remembered mapping is recalled for them.
    """
    if not repeated:
        return
    mapped = {header.casefold() for header in suggestion.mapping.headers()}
    for repeat in repeated:
        if repeat.header.casefold() in mapped:
            raise FileRejected(
                Reason.DUPLICATE_HEADER,
                # Translators: {first_number} and {number} are column positions (1, 2, ...),
                # {first_letters} and {letters} the same columns' letters (A, B, ...).
                t(
                    'The header "{header}" appears twice: Column {first_number} '
                    "({first_letters}) and column {number} ({letters}). Rename one of them (for "
                    'example "{header} 2") so each header is used once.',
                    header=repeat.header,
                    first_number=str(repeat.first_column + 1),
                    first_letters=column_name(repeat.first_column),
                    number=str(repeat.column + 1),
                    letters=column_name(repeat.column),
                ),
            )
