"""Cleaning pasted text: markup and control characters go, the words and their order stay."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import analyze_query, clean_text


@pytest.mark.parametrize(
    ("pasted", "clean"),
    [
        ("<b>ममता</b> <script>", "ममता"),
        ("shivpal\tyadav\x1b[31m kahan\x07 gaye", "shivpal yadav kahan gaye"),
        ("<script>alert(1)</script>ममता बनर्जी", "ममता बनर्जी"),
        ("<style>p {color: red}</style>अखिलेश", "अखिलेश"),
        ("<a href='x'>अखिलेश</a>&nbsp;यादव", "अखिलेश यादव"),
        ("&lt;b&gt;ममता&lt;/b&gt;", "ममता"),
        ("&amp;lt;i&amp;gt;mamta", "mamta"),
        ("**akhilesh** ne `mamta` se ~~kab~~ mulakat ki", "akhilesh ne mamta se kab mulakat ki"),
        ("<!-- note -->शिवपाल", "शिवपाल"),
        ("ममता\u202eबनर्जी\ufeff", "ममताबनर्जी"),
        ("\x1b]0;title\x07कोलकाता", "कोलकाता"),
        ("line one\r\nline two", "line one line two"),
        ("a < b and <3", "a < b and <3"),
        ("क्\u200dष", "क्\u200dष"),
    ],
    ids=[
        "bold-and-script",
        "tab-ansi-bell",
        "script-element",
        "style-element",
        "link-and-nbsp",
        "escaped-tags",
        "double-escaped",
        "markdown",
        "comment",
        "bidi-and-bom",
        "osc-title",
        "crlf",
        "less-than-is-text",
        "zwj-kept",
    ],
)
def test_clean_text_drops_markup_and_control_characters(pasted: str, clean: str) -> None:
    assert clean_text(pasted) == clean


def test_cleaned_question_has_the_same_words_as_the_typed_one() -> None:
    typed = analyze_query("shivpal yadav kahan gaye")
    assert analyze_query(clean_text("shivpal\tyadav\x1b[31m kahan\x07 gaye")) == typed
    assert analyze_query("shivpal\tyadav\x1b[31m kahan\x07 gaye") != typed


@given(st.text())
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@given(st.text())
def test_clean_text_leaves_no_control_characters_or_tags(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(unicodedata.category(c) == "Cc" for c in cleaned)
    assert "\x1b" not in cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned


@given(st.lists(st.sampled_from(["ममता", "अखिलेश", "yadav", "कोलकाता", "mulakat"]), min_size=1))
def test_clean_text_keeps_plain_words_as_they_are(words: list[str]) -> None:
    assert clean_text(" ".join(words)) == " ".join(words)
