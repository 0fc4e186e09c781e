"""`client.Pages`: following page tokens up to a limit."""

from __future__ import annotations

import pytest

from services.cli.client import Pages, PagingError

PAGED = {"": ([1, 2], "a"), "a": ([3, 4], "b"), "b": ([5], "")}


@pytest.mark.parametrize(
    ("limit", "pages", "more", "tokens"),
    [
        pytest.param(None, [[1, 2], [3, 4], [5]], False, ["", "a", "b"], id="all"),
        pytest.param(1, [[1]], True, [""], id="within-first-page"),
        pytest.param(2, [[1, 2]], True, [""], id="end-of-a-page-with-more"),
        pytest.param(3, [[1, 2], [3]], True, ["", "a"], id="into-second-page"),
        pytest.param(5, [[1, 2], [3, 4], [5]], False, ["", "a", "b"], id="exactly-all"),
        pytest.param(9, [[1, 2], [3, 4], [5]], False, ["", "a", "b"], id="more-than-all"),
    ],
)
def test_pages_follow_tokens_up_to_the_limit(
    limit: int | None, pages: list[list[int]], more: bool, tokens: list[str]
) -> None:
    asked: list[str] = []

    def fetch(token: str) -> tuple[list[int], str]:
        asked.append(token)
        return PAGED[token]

    paged = Pages(fetch, limit=limit)
    assert list(paged) == pages
    assert paged.more is more
    assert asked == tokens


def test_pages_skip_empty_pages_and_stop_on_a_repeated_token() -> None:
    answers = iter([([], "x"), ([1], "y"), ([2], "x")])
    paged = Pages(lambda _token: next(answers))
    seen: list[list[int]] = []
    with pytest.raises(PagingError) as error:
        seen.extend(paged)
    assert seen == [[1], [2]]
    assert error.value.error.reason == "PAGE_TOKEN_REPEATED"
