"""English words → the Hindi words a dictionary gives for them, as query alternatives.

Hindi news writes most names and many English words by their sound (फ़ेडरर, मैच), which the spelling
model follows; but it translates others (idea → विचार, music director → संगीत निर्देशक, country →
देश), and an English question is mostly such words. `EnglishHindi` reads an English–Hindi
dictionary in the dictd format (the format of the FreeDict dictionaries; Debian ships FreeDict's
English–Hindi one as ``dict-freedict-eng-hin``) and answers a word's first senses that are single
Hindi words: a verb phrase loses its light verb (विवाह करना → विवाह), and a sense is searched by its
key and by its stem, which for a verb is its root (जीतना → जित: जीत, जिताया). A word the dictionary
lacks is looked up again by its lemmas (won → win, married → marry, countries → country; LemmInflect).

Pure text processing: the caller reads the two files (``bot.archive.dictionary``) and hands their
text here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

import regex
from lemminflect import getAllLemmas  # type: ignore[import-untyped]

from retrieval.lexicon import Lexicon
from retrieval.normalize import normalize_term
from retrieval.stem import stem
from retrieval.transliterate import deva_key
from retrieval.types import Alternative, QueryGroup

__all__ = ["MAX_SENSES", "EnglishHindi", "Sense", "Translations", "english_lemmas"]

# How many senses of a word join the query. Measured on news questions (dev, and the retyped romanized
# and English ones, `tools/retyped_questions.py`), before the later steps: 3 finds the sense Hindi news
# uses without drowning it (English hit@3 2: 0.62, 3: 0.67, 4: 0.71, but romanized no better and a
# fourth sense is mostly noise: match → मुकाबला, जोड़ीदार, विवाह, …).
MAX_SENSES = 3
# Verbs that make a verb phrase of a noun (विवाह करना, प्रतिबंध लगाना): the noun is the content word.
LIGHT_VERBS = frozenset(
    ["करना", "होना", "देना", "लेना", "जाना", "आना", "लगाना", "पड़ना", "रखना", "निकलना", "कराना"]
)
# dictd keeps its offsets and lengths in this base-64 alphabet.
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_SENSE = regex.compile(r"^\d+\.\s+(.+)$", regex.MULTILINE)
_NOTE = regex.compile(r"[\[{(][^\]})]*[\]})]")
_DEVANAGARI_WORD = regex.compile(r"[\p{Devanagari}]+")
_ENGLISH_WORD = regex.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class Sense:
    """One Hindi word a dictionary gives for an English word."""

    word: str

    @property
    def terms(self) -> tuple[str, ...]:
        """The index terms that find the word: its key, and its stem (a verb's root: जीतना → जित)."""
        return (self.key, f"s:{stem(normalize_term(self.word))}")

    @property
    def key(self) -> str:
        """The ``k:`` term of the word (how a romanized spelling of it would be matched)."""
        return f"k:{deva_key(self.word)}"


def english_lemmas(word: str) -> Iterator[str]:
    """The word itself, then the lemmas its English inflection may come from (won → win, married → marry).

    From LemmInflect's lexicon (the NIH SPECIALIST Lexicon's inflections), irregular forms too.
    """
    yield word
    lemmas = getAllLemmas(word)
    yield from dict.fromkeys(lemma for found in lemmas.values() for lemma in found if lemma != word)


def _decode(number: str) -> int:
    value = 0
    for ch in number:
        value = value * 64 + _B64[ch]
    return value


def _senses_of(entry: str) -> list[Sense]:
    """The single-word senses of one dictd entry, in its order."""
    found: list[Sense] = []
    for match in _SENSE.finditer(entry):
        for part in match.group(1).split(","):
            words = _NOTE.sub(" ", part.replace("~", " ")).split()
            while len(words) > 1 and words[-1] in LIGHT_VERBS:
                words.pop()
            if len(words) == 1 and _DEVANAGARI_WORD.fullmatch(words[0]):
                found.append(Sense(words[0]))
    return found


class EnglishHindi:
    """An English–Hindi dictionary: each headword's single-word Hindi senses, in the dictionary's order."""

    def __init__(self, senses: dict[str, tuple[Sense, ...]]) -> None:
        """Wrap headwords (lower case) and their senses; `from_dictd` reads a dictd dictionary."""
        self._senses = senses

    @classmethod
    def from_dictd(cls, index: str, body: bytes) -> EnglishHindi:
        """Read a dictd dictionary: the ``.index`` file's text and the ``.dict`` file's bytes (unzipped).

        Raises:
            ValueError: the index is not a dictd index of this body (a line without its three
                tab-separated fields, an offset outside the body, an entry that is not UTF-8).
        """
        senses: dict[str, list[Sense]] = {}
        for number, line in enumerate(index.splitlines(), 1):
            fields = line.split("\t")
            if len(fields) != 3 or not all(ch in _B64 for ch in fields[1] + fields[2]):
                raise ValueError(f"not a dictd index: line {number} is not headword, offset, length")
            headword, start, length = fields[0].strip().lower(), _decode(fields[1]), _decode(fields[2])
            if start + length > len(body):
                raise ValueError(f"not the index of this dictionary: line {number} points past its end")
            if headword.startswith("00") or not _ENGLISH_WORD.fullmatch(headword):
                continue  # dictd's own entries (00databaseinfo) and headwords no question types
            try:
                entry = body[start : start + length].decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValueError(f"not a UTF-8 dictionary: the entry of line {number}") from error
            got = senses.setdefault(headword, [])
            got += [s for s in _senses_of(entry) if s not in got]
        return cls({word: tuple(found) for word, found in senses.items() if found})

    def prepare(self) -> None:
        """Load the lemma tables now (0.2 s) rather than at the first English question."""
        for _ in english_lemmas("prepared"):
            pass

    def __len__(self) -> int:
        """How many headwords have a single-word sense."""
        return len(self._senses)

    def senses(self, word: str) -> tuple[Sense, ...]:
        """The first `MAX_SENSES` senses of an English word, or of its lemma; () when it has none."""
        word = word.lower()
        for lemma in english_lemmas(word):
            found = self._senses.get(lemma)
            if found:
                return found[:MAX_SENSES]
        return ()


@dataclass(slots=True)
class Translations:
    """One question's translations: the dictionary, the weight its senses get, and what each word got.

    ``fuzzy``: the senses help rank and quote but do not carry the word (see ``analyze_query``).
    """

    dictionary: EnglishHindi
    weight: float
    fuzzy: bool = False
    # (query word, term) -> the key of the sense that term came from.
    _added: dict[tuple[str, str], str] = field(default_factory=dict)

    def alternatives(self, word: str, lexicon: Lexicon, known: Collection[str]) -> list[Alternative]:
        """The senses of a Latin content word as alternatives; a key only when the archive holds it."""
        alternatives: list[Alternative] = []
        seen = set(known)
        for sense in self.dictionary.senses(word):
            for term in sense.terms:
                if term in seen or (term.startswith("k:") and term[2:] not in lexicon):
                    continue
                seen.add(term)
                self._added[(word, term)] = sense.key
                alternatives.append(Alternative(term, self.weight, fuzzy=self.fuzzy))
        return alternatives

    def without_echoes(self, groups: Sequence[QueryGroup]) -> tuple[QueryGroup, ...]:
        """The groups without a word's senses that another word of the question already is.

        "jis phobia me hansi se dar lagta hai": phobia's sense डर is the question's own "dar", and
        counting it twice made sentences about fear outweigh the one that names the phobia.
        """
        own: dict[str, set[str]] = {}
        for group in groups:
            for alt in group.alternatives:
                if (group.word, alt.term) not in self._added:
                    own.setdefault(alt.term, set()).add(group.word)
        kept = []
        for group in groups:
            alternatives = tuple(
                alt
                for alt in group.alternatives
                if (group.word, alt.term) not in self._added
                or not own.get(self._added[(group.word, alt.term)], set()) - {group.word}
            )
            kept.append(
                group
                if len(alternatives) == len(group.alternatives)
                else QueryGroup(group.word, group.field, alternatives)
            )
        return tuple(kept)
