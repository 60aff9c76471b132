import pytest

from retrieval.numerals import ENGLISH_NUMBERS, HINDI_NUMBERS, roman_value


@pytest.mark.parametrize(
    ("word", "value"),
    [("XI", 11), ("II", 2), ("IV", 4), ("XIX", 19), ("XX", 20), ("VIII", 8)],
)
def test_roman_numerals(word, value):
    assert roman_value(word) == value


@pytest.mark.parametrize("word", ["xi", "Xi", "I", "V", "X", "IIII", "VX", "XXX", "MIX", "IIX", ""])
def test_words_that_are_not_read_as_numbers(word):
    assert roman_value(word) is None


def test_tables_cover_the_same_numbers():
    assert set(HINDI_NUMBERS) == set(ENGLISH_NUMBERS) == set(range(1, 21))
