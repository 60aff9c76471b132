"""Recognising who-met-whom questions and the people they name, in both scripts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.meetings.query import (
    asks_about_everyone,
    asks_for_partner,
    is_meeting_question,
    names_person,
    pick_meetings,
    question_words,
)

AKHILESH = ("अखिलेश यादव",)
MAMATA = ("ममता बनर्जी", "Mamata Banerjee")
SHIVPAL = ("शिवपाल यादव",)
MEETINGS = [(AKHILESH, MAMATA), (SHIVPAL, MAMATA), (("नितिन गडकरी",), ("मुख्यमंत्री",))]


@pytest.mark.parametrize(
    "question",
    [
        "अखिलेश यादव ने किससे मुलाकात की?",
        "ममता से कौन मिला?",
        "kaun kisse mila",
        "akhilesh mamta mulakat kab hui",
        "akhilesh ne mamta se mulaqat ki",
        "Who met Mamata Banerjee?",
        "शिवपाल की ममता से बातचीत",
    ],
)
def test_meeting_questions_are_recognised(question: str) -> None:
    assert is_meeting_question(question_words(question))


@pytest.mark.parametrize(
    "question",
    ["सपा की राष्ट्रीय कार्यकारिणी कहां है?", "cricket world cup kisne jeeta", "mamta banerji kolkata"],
)
def test_other_questions_are_not(question: str) -> None:
    assert not is_meeting_question(question_words(question))


@pytest.mark.parametrize(
    ("question", "names", "expected"),
    [
        ("akhilesh ne kisse mulakat ki", AKHILESH, True),
        ("अखिलेश से कौन मिला", AKHILESH, True),
        ("mamta se kaun mila", MAMATA, True),
        ("mamata banerjee met whom", MAMATA, True),
        ("ममता बनर्जी किससे मिलीं", MAMATA, True),
        ("yadav kisse mile", AKHILESH, False),
        ("akhilesh kisse mile", SHIVPAL, False),
    ],
)
def test_names_person_by_key(question: str, names: tuple[str, ...], expected: bool) -> None:
    assert names_person(question_words(question), names) is expected


def test_one_name_lists_every_meeting_of_that_person() -> None:
    assert pick_meetings(question_words("ममता से कौन मिला?"), MEETINGS).indexes == (0, 1)


def test_two_names_give_the_meetings_between_them() -> None:
    picked = pick_meetings(question_words("akhilesh mamta mulakat kab hui"), MEETINGS)
    assert (picked.indexes, picked.between) == ((0,), True)


def test_no_known_name_gives_nothing() -> None:
    assert pick_meetings(question_words("kaun kisse mila"), MEETINGS).indexes == ()


@given(st.text(max_size=60))
def test_never_raises(question: str) -> None:
    words = question_words(question)
    is_meeting_question(words)
    assert all(i in range(len(MEETINGS)) for i in pick_meetings(words, MEETINGS).indexes)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("kaun kisse mila", True),
        ("कौन किससे मिला?", True),
        ("who met whom", True),
        ("akhilesh kisse mile", False),
        ("बैठक में किन मुद्दों पर चर्चा हुई?", False),
        ("cricket world cup kisne jeeta", False),
    ],
)
def test_a_question_that_names_nobody_asks_about_everyone(question: str, expected: bool) -> None:
    assert asks_about_everyone(question_words(question)) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("अखिलेश यादव ने किससे मुलाकात की?", True),
        ("ममता से कौन मिला?", True),
        ("akhilesh kisse mile", True),
        ("Who met Mamata Banerjee?", True),
        ("शिवपाल यादव बैठक छोड़कर कहां गए?", False),
        ("akhilesh mamta mulakat kab hui", False),
    ],
)
def test_asking_for_the_other_party(question: str, expected: bool) -> None:
    assert asks_for_partner(question_words(question)) is expected


def test_a_function_word_names_nobody_even_when_its_spelling_is_a_name_key():
    # "se" has the spelling "sen", the key of सेना: the postposition must not pick the army's meetings.
    words = question_words("ramesh se kaun mila")
    picked = pick_meetings(words, [(("सेना",), ("सरकार",)), (("रमेश",), ("सुरेश",))])
    assert picked.indexes == (1,)
