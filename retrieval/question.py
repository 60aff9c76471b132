"""A question read once: its query groups, the kind of answer it asks for, its focal phrases, its names.

The archive reads a question here and hands the result on; ranking, answer selection, who-met-whom
and the "not found" wording all take the same reading instead of each analysing the text again.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.analyze import analyze_query
from retrieval.answer_types import AnswerKind, question_kind
from retrieval.clean import clean_text
from retrieval.focus import focal_phrases, surface_words
from retrieval.lexicon import Lexicon
from retrieval.meetings import QuestionWords, question_words
from retrieval.translate import EnglishHindi
from retrieval.types import QueryGroup

__all__ = ["Question", "read_question"]


@dataclass(frozen=True, slots=True)
class Question:
    """What a question asks, as every stage after analysis takes it."""

    text: str
    """The question with pasted markup and control characters cleaned off."""
    query: tuple[QueryGroup, ...]
    """Its weighted query groups (``analyze_query``)."""
    kind: AnswerKind | None
    """The kind of answer its question word asks for (``question_kind``)."""
    focus: tuple[tuple[str, ...], ...]
    """Its focal phrases (``focal_phrases``): what a report must carry to answer it."""
    words: QuestionWords
    """Its words as keys, for who-met-whom (``question_words``)."""

    def spelled(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """The question's own spelling of each of ``words`` (given in normalised form)."""
        return surface_words(self.text, words)


def read_question(
    text: str, lexicon: Lexicon | None = None, dictionary: EnglishHindi | None = None
) -> Question:
    """Read a question in any script; never raises on any string.

    Args:
        text: the question as the user sent it.
        lexicon: the archive's key vocabulary, for fuzzy and learned spellings (see ``analyze_query``).
        dictionary: an English–Hindi dictionary for the senses of Latin words (see ``analyze_query``).
    """
    text = clean_text(text)
    query = analyze_query(text, lexicon, dictionary)
    return Question(text, query, question_kind(text), focal_phrases(text), question_words(text))
