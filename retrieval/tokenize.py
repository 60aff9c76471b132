r"""Devanagari-aware word tokens and sentence spans, with offsets into the original text.

A word is a run of letters, combining marks and decimal digits (``[\p{L}\p{M}\p{Nd}]``), so
vowel signs, virama and nukta (Unicode Mn/Mc) stay with their consonant; ZWJ/ZWNJ between two
such characters stay inside the word. An ASCII-minded ``\w`` regex would tear "कोलकाता" apart.
Danda, ``|`` and all punctuation separate words. A run that changes script ("UPमें", "2024में")
is cut where a letter or digit of another script begins; combining marks always stay with the
character before them.

Over 300 lines on purpose: the one sentence splitter (``split_sentences``, used by passages,
quotes, meetings and titles) reads the same tokens, and its news rules (a full stop glued to the
next word, but not in decimals, abbreviations, initials or domains) are only sound beside them.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from retrieval.normalize import normalize_term
from retrieval.stopwords import is_stopword
from retrieval.types import Span, Token

__all__ = ["WORD_PATTERN", "split_sentences", "split_word", "tokenize"]

# Letters, marks and digits; ZWJ/ZWNJ only between two of them.
WORD_PATTERN = regex.compile(r"[\p{L}\p{M}\p{Nd}]+(?:[\u200c\u200d]+[\p{L}\p{M}\p{Nd}]+)*")

_DEVA_LETTERS = regex.compile(r"[\p{Devanagari}\uA8E0-\uA8FF]")
# Runs that need no splitting: Devanagari letters and marks only, or Latin letters and marks only.
_PURE_RUN = regex.compile(
    r"(?P<deva>[\u0900-\u0963\u0970-\u097f\ua8e0-\ua8ff\u200c\u200d]+)"
    r"|(?P<latin>[\p{Latin}\p{M}]+)|(?P<digit>\p{Nd}+)"
)


def _char_script(ch: str) -> str | None:
    """Script class of a character that can start a token part, or None for a joining mark."""
    if ch.isdecimal():
        return "digit"
    if ch in "\u200c\u200d" or unicodedata.category(ch)[0] == "M":
        return None
    if _DEVA_LETTERS.match(ch):
        return "deva"
    # Other scripts' letters are treated as Latin: they are casefolded like Latin and their
    # romanized key is empty, which is harmless.
    return "latin"


@lru_cache(maxsize=200_000)
def split_word(word: str) -> tuple[tuple[int, int, str], ...]:
    """Cut one letter/mark/digit run into script-homogeneous parts.

    Args:
        word: A run matched by `WORD_PATTERN`.

    Returns:
        ``(start, end, script)`` triples relative to ``word``, in order, covering it.
    """
    pure = _PURE_RUN.fullmatch(word)
    if (
        pure is not None
        and pure.lastgroup is not None
        # A run that starts with a mark is labelled by the block of the mark below.
        and unicodedata.category(word[0])[0] != "M"
    ):
        return ((0, len(word), pure.lastgroup),)
    parts: list[tuple[int, int, str]] = []
    start = 0
    script: str | None = None
    for i, ch in enumerate(word):
        cls = _char_script(ch)
        if cls is None:
            continue
        if script is None:
            script = cls
        elif cls != script:
            parts.append((start, i, script))
            start, script = i, cls
    if word:
        if script is None:
            # Only marks: label them by the block they come from.
            script = "deva" if _DEVA_LETTERS.search(word) else "latin"
        parts.append((start, len(word), script))
    return tuple(parts)


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens.

    Args:
        text: Any text; it is not modified, so offsets refer to it directly.

    Returns:
        Tokens in order with ``text[t.start:t.end] == t.text`` and ``script`` one of ``"deva"``,
        ``"latin"`` or ``"digit"``. A short text's tokens are kept for the next call.
    """
    if len(text) <= _CACHED_CHARS:
        return list(_cached_tokens(text))
    return _tokens(text)


# Selection reads the same sentences several times (to match, to find the kind of answer, to mark
# them): their tokens are kept, a bounded number of them.
_CACHED_CHARS = 2_000


@lru_cache(maxsize=8_192)
def _cached_tokens(text: str) -> tuple[Token, ...]:
    return tuple(_tokens(text))


def _tokens(text: str) -> list[Token]:
    """The tokens of ``text``, worked out anew."""
    tokens: list[Token] = []
    for match in WORD_PATTERN.finditer(text):
        word = match.group()
        offset = match.start()
        for start, end, script in split_word(word):
            tokens.append(Token(word[start:end], offset + start, offset + end, script))
    return tokens


# Sentence boundaries: a run of terminators, a run of dots, or a line break.
_BOUNDARY = regex.compile(r"[।॥?!|…]+[.।॥?!|…]*|\.+[।॥?!|…]*|\n")
# Closing quotes and brackets that belong to the sentence they follow.
_CLOSERS = "’”\"'»›)]}"
_QUOTES = "’”\"'»›‘“"
# Abbreviations after which a full stop does not end the sentence (normalised to lower case).
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "jr",
        "sr",
        "vs",
        "mt",
        "lt",
        "col",
        "gen",
        "capt",
        "smt",
        "shri",
        "sh",
        "no",
        "nos",
        "fig",
        "ft",
        "डॉ",
        "डा",
        "प्रो",
        "मि",
        "श्रीमती",
        "सं",
        "पृ",
        "रु",
        "रू",
        "rs",
    ]
)
# One Devanagari syllable without a conjunct: a candidate initial such as ए or के.
_DEVA_INITIAL = regex.compile(r"^[\u0904-\u0939\u0958-\u0961\u0972-\u097f][\p{M}--[\u094d]]*$", regex.V1)
# English letters as Hindi news spells them in initials and acronyms (एल.एस., एम.एस. धोनी).
_LETTER_NAMES = frozenset(
    "ए बी सी डी ई एफ जी एच आई जे के एल एम एन ओ पी क्यू आर एस टी यू वी डब्ल्यू एक्स वाई ज़ेड जेड".split()  # noqa: SIM905
)
# Letter names that are also words a sentence can end on ("नमस्ते जी.").
_LETTER_WORDS = frozenset(["जी", "ई", "ओ"])
_PREV_WORD = regex.compile(r"[\p{L}\p{M}]+$")
_NEXT_INITIAL = regex.compile(r"\s*([\p{L}\p{M}]+)\.")


def _is_initial(word: str) -> bool:
    """Whether a word can be an initial: a letter's name (एल, एम), or one syllable that is no function word.

    Function words such as की, है, थी end sentences far more often than they abbreviate a name.
    """
    if word in _LETTER_NAMES:
        return True
    if _DEVA_INITIAL.match(word):
        return not is_stopword(normalize_term(word))
    return len(word) == 1 and word.isalpha()


def _dot_ends_sentence(text: str, dot: int) -> bool:
    """Decide whether the single full stop at ``dot`` ends a sentence.

    News copy often glues the next sentence to the full stop ("देना होगा.लैंगटन ने कहा"), so a dot
    followed directly by a letter ends the sentence too, unless it sits inside a number (9.63), a
    Latin token (www.webdunia.com, U.P.), or after an abbreviation or a chain of initials (डा., एल.एस.).
    """
    after = text[dot + 1 : dot + 2]
    before = text[dot - 1 : dot] if dot else ""
    if after.isdecimal() and before.isdecimal():
        return False  # 9.63
    glued = bool(after) and (after.isalnum() or regex.match(r"\p{M}", after) is not None)
    if glued and (_is_latin_or_digit(before) and _is_latin_or_digit(after)):
        return False  # www.bbc.co.uk, U.P., v2.0
    prev = _PREV_WORD.search(text, 0, dot)
    if prev is None:
        return not glued
    word = prev.group()
    if word.casefold() in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isascii() and word.isupper():
        # Latin initials: "N. Modi", "A. P. J. Abdul Kalam".
        return False
    if word in _LETTER_NAMES and word not in _LETTER_WORDS:
        # "पी. चिदंबरम", "के. नटवर सिंह": a sentence rarely ends on a letter's name.
        return False
    if not word.isascii() and _is_initial(word):
        # A Devanagari syllable is an initial only inside a chain of initials (ए. के. सिंह, एल.एस.);
        # alone it is usually a word such as है that ends the sentence.
        head = text[max(0, prev.start() - 12) : prev.start()].rstrip()
        before_initial = _PREV_WORD.search(head, 0, len(head) - 1) if head.endswith(".") else None
        if (
            before_initial is not None
            and before_initial.end() == len(head) - 1
            and _is_initial(before_initial.group())
        ):
            return False
        nxt = _NEXT_INITIAL.match(text, dot + 1)
        if (
            nxt is not None
            and _is_initial(nxt.group(1))
            and len(nxt.group(1)) <= 3
            and nxt.group(1).casefold() not in _ABBREVIATIONS
        ):
            return False
    return True


def _is_latin_or_digit(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


def _quote_open(sentence: str) -> bool:
    """Whether a quotation opened in ``sentence`` is still open at its end."""
    symmetric = sentence.count('"') + sentence.replace("''", "\0").count("\0")
    return (
        symmetric % 2 == 1
        or sentence.count("“") > sentence.count("”")
        or sentence.count("‘") > sentence.count("’")
    )


def _closed(text: str, start: int, end: int) -> int:
    """Where a sentence from ``start`` ending at ``end`` stops, with the closing quotes and brackets after it.

    Quote marks glued to the next word ("कहा.''मैं") open the next sentence, unless the sentence has a
    quotation still open for them to close.
    """
    stop = end
    while stop < len(text) and text[stop] in _CLOSERS:
        stop += 1
    if (
        stop > end
        and stop < len(text)
        and text[stop].isalnum()
        and text[end:stop].strip(_QUOTES) == ""
        and not _quote_open(text[start:end])
    ):
        return end
    return stop


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def split_sentences(text: str) -> list[Span]:
    """Split text into sentence spans.

    A sentence ends after ``।``, ``॥``, ``?``, ``!``, ``|``, ``…`` or a full stop, and at every
    line break (headlines have no final punctuation). A full stop does not end a sentence inside a
    number (3.5), after a known abbreviation (Dr., डॉ.) or after initials (U.P., ए.के., N. Modi).
    Closing quotes and brackets after the end mark stay in the sentence.

    Args:
        text: Any text.

    Returns:
        Non-empty spans, trimmed of whitespace, in order, together holding every non-space
        character of ``text`` exactly once.
    """
    spans: list[Span] = []
    start = 0
    pos = 0
    while True:
        match = _BOUNDARY.search(text, pos)
        if match is None:
            break
        pos = match.end()
        mark = match.group()
        if mark == "\n":
            end = match.start()
        else:
            if mark == "." and not _dot_ends_sentence(text, match.start()):
                continue
            end = _closed(text, start, match.end())
            pos = end
        span = _trimmed(text, start, end)
        if span is not None:
            spans.append(span)
        start = pos
    span = _trimmed(text, start, len(text))
    if span is not None:
        spans.append(span)
    return spans
