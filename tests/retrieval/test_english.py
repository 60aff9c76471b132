import pytest

from retrieval.english import ENGLISH_FUNCTION_WORDS, is_clitic, is_english_question


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


@pytest.mark.parametrize(
    ("text", "start", "clitic"),
    [
        ("Dhoni's record", 6, True),
        ("dhoni\u2019s record", 6, True),
        ("didn't", 5, True),
        ("they're", 5, True),
        ("o'brien", 2, False),  # a name, not a clitic
        ("'s alone", 1, False),  # no word before the apostrophe
        ("5's", 2, False),
        ("dhoni s", 6, False),
    ],
)
def test_is_clitic(text, start, clitic):
    run = text[start:].split()[0]
    assert is_clitic(text, start, run) is clitic


def test_a_clitic_is_a_sign_of_english():
    assert not is_english_question(["rank", "in", "the", "index"])
    assert is_english_question(["rank", "in", "the", "index"], clitics=1)
    assert not is_english_question(["dhoni", "ka", "record", "kisne", "toda"], clitics=1)
