"""Questions asked in English: telling them from romanized Hindi, and their function words.

Romanized Hindi and English share the Latin script and a few short words ("is" is इस, "the" is थे,
"to" is तो, "in" is इन), so an English function word is dropped only when the question as a whole
reads as English: it has at least two words found only in English and more of them than of
romanized Hindi's own function words. Names, numbers and content words stay; they reach the
Devanagari archive through the keys and the learned spelling model like any Latin word.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ENGLISH_CLITICS", "ENGLISH_FUNCTION_WORDS", "is_clitic", "is_english_question"]


def _word_set(words: str) -> frozenset[str]:
    """A vocabulary table written as whitespace-separated words."""
    return frozenset(words.split())


# Words English questions are made of that carry no topic. Question words are here too: the answer
# kind they ask for is the answer-type module's business, not the ranker's.
ENGLISH_FUNCTION_WORDS: frozenset[str] = _word_set(
    """a an the of in on at to for by with from into onto about after before during since until
    than as over under between against through and or but nor not no so if then that this these
    those there here it its it's he she they them their his her hers him we us our you your i me my
    is are was were be been being am do does did done has have had having will would shall should
    can could may might must what which who whom whose when where why how many much whom s
    any some all each every other another such same own very also just only ever get gets got"""
)

# Words that occur only in English (never as romanized Hindi), the evidence that a question is
# English. Kept apart from the list above because "is", "in", "the", "to", "us" are Hindi too.
_ONLY_ENGLISH: frozenset[str] = _word_set(
    """the of what which who whom whose when where why how did does was were been being has have
    had will would should could an and for with from into about after before during than this
    that these those their his her they them it its is are many much"""
) - frozenset({"is", "the"})

# Romanized Hindi never opens a question with these.
_QUESTION_WORDS: frozenset[str] = _word_set("what which who whom whose when where why how")

# Romanized Hindi's commonest function words: a question with more of these is Hindi. "the" (थे)
# and "is" (इस) are left out of both lists: they say nothing about the language.
_HINDI_MARKERS: frozenset[str] = _word_set(
    """ka ki ke ne se me mein main ko par pe hai hain tha thi kya kaun kon kab kahan kaha kitne
    kitna kitni kyun kyon kaise kisne kisko kiska kiski kis aur bhi ho hua hui raha rahi rahe"""
)


# What English writes after an apostrophe ("Azerbaijan's", "didn't", "they're"); romanized Hindi
# writes none of these, so each is dropped and counts as a word found only in English. Kept as a
# word, the "s" of "Azerbaijan's" was a content word of the question matching सा and एस.
ENGLISH_CLITICS: frozenset[str] = _word_set("s t re ve ll d m")
_APOSTROPHES = "'\u2019"


def is_clitic(text: str, start: int, run: str) -> bool:
    """Whether a word of ``text`` is an English clitic: the "s" of "Dhoni's", the "t" of "didn't".

    Args:
        text: The question.
        start: Where the word starts in ``text``.
        run: The word (a whole letter run, so nothing but its end follows it).

    Returns:
        True when the word is one of `ENGLISH_CLITICS` right after an apostrophe that follows a
        Latin letter.
    """
    return (
        run.casefold() in ENGLISH_CLITICS
        and start >= 2
        and text[start - 1] in _APOSTROPHES
        and text[start - 2].isascii()
        and text[start - 2].isalpha()
    )


def is_english_question(words: Iterable[str], clitics: int = 0) -> bool:
    """Whether casefolded Latin words read as an English question rather than romanized Hindi.

    Args:
        words: The question's Latin words, casefolded.
        clitics: How many English clitics (`is_clitic`) the question had; each counts as a word
            found only in English.

    Returns:
        True when words found only in English outnumber romanized Hindi's function words and
        there are at least two of them, or the question opens with an English question word, or
        it has a clitic (one is as sure a sign as two English words).
    """
    english, hindi = clitics, 0
    first = None
    for word in words:
        first = word if first is None else first
        english += word in _ONLY_ENGLISH
        hindi += word in _HINDI_MARKERS
    return english > hindi and (english >= 2 or first in _QUESTION_WORDS or clitics > 0)
