"""Questions about who met whom: is a question about a meeting, and which parties does it name?

Names match through the same romanized keys as search, so "akhilesh", "Akhilesh" and "अखिलेश" all
name अखिलेश यादव, and "mamta" names ममता बनर्जी (Mamata Banerjee) whichever script the report used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrieval.normalize import normalize_term
from retrieval.stopwords import is_stopword
from retrieval.tokenize import tokenize
from retrieval.transliterate import deva_key, latin_key, query_variants

# Meeting words of questions, in Devanagari and as people type them in Latin letters; compared
# by key, so spellings vary freely ("mulaqat", "mulakaat", "mile", "milee").
_MEETING_WORDS = (
    "मुलाकात मिले मिला मिली मिलीं मिलने मिलना भेंट बातचीत वार्ता बैठक "
    "mulakat mile mila mili milne bhent baatcheet batchit varta baithak"
)
# English meeting words match as written: their keys would collide with Hindi names ("met" and
# "mamta" share one).
_ENGLISH_MEETING_WORDS = frozenset({"met", "meet", "meets", "meeting", "meetings", "talks"})
# A word of a name shorter than this (in key letters) is too weak to name anyone alone.
_MIN_KEY = 2


def _word_keys(word: str, script: str) -> frozenset[str]:
    if script == "deva":
        key = deva_key(word)
        return frozenset({key} if key else ())
    if script == "latin":
        return frozenset(k for k in (latin_key(word), *query_variants(word)) if k)
    return frozenset()


_MEETING_KEYS = frozenset(
    key for token in tokenize(_MEETING_WORDS) for key in _word_keys(token.text, token.script)
)


# Words that ask for the other party. With meeting words and stopwords they make a question that
# names nobody and asks about every meeting ("kaun kisse mila", "who met whom"); with one name, a
# question asks whom that person met only when it has one ("शिवपाल यादव बैठक छोड़कर कहां गए?" names a
# meeting but asks something else).
_ASKING_WORDS = "किससे किसके किनसे किनके कौन kisse kisase kinse kiske kaun who whom whose with"
_ASKING_KEYS = frozenset(
    key for token in tokenize(_ASKING_WORDS) for key in _word_keys(token.text, token.script)
)


@dataclass(frozen=True, slots=True)
class QuestionWords:
    """The keys of a question's words, each word a set of candidate keys.

    ``content`` holds the words that are neither stopwords nor meeting or question words.
    """

    words: tuple[frozenset[str], ...]
    latin: frozenset[str] = frozenset()
    content: int = 0
    # The keys of the words that can name someone: not stopwords, meeting or question words ("se"
    # has the spelling "sen", which is सेना's key, but names nobody).
    naming: tuple[frozenset[str], ...] | None = None

    def has(self, key: str) -> bool:
        """Whether any word of the question has this key."""
        return any(key in word for word in self.words)

    def names(self, key: str) -> bool:
        """Whether a word of the question that can name someone has this key."""
        return any(key in word for word in (self.words if self.naming is None else self.naming))


def question_words(question: str) -> QuestionWords:
    """Analyse a question's words into keys."""
    tokens = tokenize(question)
    latin = frozenset(t.text.casefold() for t in tokens if t.script == "latin")
    content = 0
    naming: list[frozenset[str]] = []
    for token in tokens:
        keys = _word_keys(token.text, token.script)
        if not keys or is_stopword(normalize_term(token.text)) or keys & (_MEETING_KEYS | _ASKING_KEYS):
            continue
        naming.append(keys)
        if token.text.casefold() not in _ENGLISH_MEETING_WORDS:
            content += 1
    every = tuple(k for t in tokens if (k := _word_keys(t.text, t.script)))
    return QuestionWords(every, latin, content, tuple(naming))


def asks_for_partner(words: QuestionWords) -> bool:
    """Whether the question asks who the other party was ("किससे", "kaun", "who", "with")."""
    return any(word & _ASKING_KEYS for word in words.words) or bool(words.latin & {"who", "whom", "with"})


def asks_about_everyone(words: QuestionWords) -> bool:
    """Whether a meeting question names nothing at all: "kaun kisse mila", "who met whom"."""
    return is_meeting_question(words) and words.content == 0


def is_meeting_question(words: QuestionWords) -> bool:
    """Whether the question asks about a meeting (any meeting word, either script)."""
    return bool(words.latin & _ENGLISH_MEETING_WORDS) or any(word & _MEETING_KEYS for word in words.words)


def name_keys(name: str) -> tuple[str, ...]:
    """The key of each word of a name, in order (words without letters are left out)."""
    keys = []
    for token in tokenize(name):
        if token.script == "deva":
            key = deva_key(token.text)
        elif token.script == "latin":
            key = latin_key(normalize_term(token.text))
        else:
            continue
        if key:
            keys.append(key)
    return tuple(keys)


def names_person(words: QuestionWords, names: Iterable[str]) -> bool:
    """Whether the question names the person known by any of ``names`` (a name and its aliases).

    A person is named by their first name word, or by all their name words together; a surname
    alone ("यादव") names nobody in particular.
    """
    for name in names:
        keys = [k for k in name_keys(name) if len(k) >= _MIN_KEY]
        if not keys:
            continue
        if words.names(keys[0]) or all(words.names(k) for k in keys):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Picked:
    """The meetings a question names: their indexes, and whether it named both parties."""

    indexes: tuple[int, ...]
    between: bool


def pick_meetings(words: QuestionWords, parties: Sequence[tuple[Sequence[str], Sequence[str]]]) -> Picked:
    """The meetings a question asks about.

    Args:
        words: the analysed question.
        parties: for each meeting, the names (name and aliases) of its two parties.

    Returns:
        The meetings whose parties the question names: those between two named people when it names
        two (``between``), otherwise every meeting of the one named person; none when it names nobody.
    """
    named = [(names_person(words, a), names_person(words, b)) for a, b in parties]
    both = tuple(i for i, (x, y) in enumerate(named) if x and y)
    if both:
        return Picked(both, True)
    return Picked(tuple(i for i, (x, y) in enumerate(named) if x or y), False)
