"""Cutting reports into passages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import split_passages

TEXT = "पहला वाक्य है। दूसरा वाक्य है? तीसरा!\nनया अनुच्छेद. 3.5 प्रतिशत बढ़ा।"


def test_passages_are_exact_substrings_with_sentence_offsets() -> None:
    passages = split_passages(TEXT)
    assert [p.text for p in passages] == [
        "पहला वाक्य है।",
        "दूसरा वाक्य है?",
        "तीसरा!",
        "नया अनुच्छेद.",
        "3.5 प्रतिशत बढ़ा।",
    ]
    for passage in passages:
        assert passage.text in TEXT
        assert [passage.text[s.start : s.end] for s in passage.sentences] == [passage.text]


def test_groups_sentences_but_never_across_a_line_break() -> None:
    passages = split_passages(TEXT, max_sentences=3)
    assert [p.text for p in passages] == [
        "पहला वाक्य है। दूसरा वाक्य है? तीसरा!",
        "नया अनुच्छेद. 3.5 प्रतिशत बढ़ा।",
    ]
    assert [len(p.sentences) for p in passages] == [3, 2]


def test_max_chars_bounds_a_passage_unless_one_sentence_is_longer() -> None:
    long_sentence = "शब्द " * 50 + "।"
    passages = split_passages(f"छोटा। {long_sentence} छोटा।", max_sentences=3, max_chars=40)
    assert [len(p.sentences) for p in passages] == [1, 1, 1]


@pytest.mark.parametrize(("sentences", "chars"), [(0, 10), (1, 0)])
def test_bad_limits_raise(sentences: int, chars: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        split_passages(TEXT, max_sentences=sentences, max_chars=chars)


@given(st.text(max_size=400), st.integers(1, 4))
def test_passages_cover_every_non_space_character_once(text: str, size: int) -> None:
    passages = split_passages(text, max_sentences=size)
    joined = "".join(p.text for p in passages)
    assert "".join(joined.split()) == "".join(text.split())
    for passage in passages:
        assert passage.text.strip()
        for span in passage.sentences:
            assert 0 <= span.start < span.end <= len(passage.text)
