import pytest

from retrieval.english import ENGLISH_FUNCTION_WORDS, is_english_question


@pytest.mark.parametrize(
    ("question", "english"),
    [
        ("who is the chief minister of bengal", True),
        ("whose record did he break", True),
        ("which team won", True),
        ("what is the price", True),
        ("kya the wo log", False),  # the = थे
        ("is saal kaun jeeta", False),  # is = इस
        ("world cup kisne jeeta", False),
        ("akhilesh mamta mulakat", False),
        ("india ne pakistan ko kitne se haraya", False),
        ("", False),
    ],
)
def test_is_english_question(question, english):
    assert is_english_question(question.split()) is english


def test_function_words_are_lowercase_words():
    assert all(w == w.lower() and " " not in w for w in ENGLISH_FUNCTION_WORDS)
    assert {"the", "of", "did", "whose"} <= ENGLISH_FUNCTION_WORDS
