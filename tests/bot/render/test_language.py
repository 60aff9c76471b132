"""``bot.render.language``: Hindi for Hindi in either script, English only for English words."""

from __future__ import annotations

import pytest

from bot.render.language import DEFAULT_LANGUAGE, LANGUAGES, detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("अखिलेश ने ममता से कब मुलाकात की?", "hi"),
        ("akhilesh ne mamta se kab mulakat ki", "hi"),
        ("akhilesh yadav", "hi"),  # names alone: the default
        ("Who did Akhilesh meet?", "en"),
        ("who met mamata in kolkata", "en"),
        ("What कब", "hi"),  # any Devanagari is Hindi
        ("", None),
        ("123 ?!", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_the_default_is_one_of_the_languages() -> None:
    assert DEFAULT_LANGUAGE == "hi"
    assert DEFAULT_LANGUAGE in LANGUAGES
