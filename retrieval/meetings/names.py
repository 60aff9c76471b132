"""Name spans in Hindi and English news text: titles, honorifics and coreference.

A *party* of a meeting is a noun phrase ending right before a postposition ("ने", "से", "की",
"के साथ"). This module finds such phrases by walking over word tokens and stopping at words that
cannot belong to a name (postpositions, pronouns, verbs, time words), then separates the title
("पश्चिम बंगाल की मुख्यमंत्री ममता बनर्जी" → role "मुख्यमंत्री", name "ममता बनर्जी").

Everything is table-driven generic vocabulary (`retrieval.meetings.words`); no particular person
is named here. Within one report, `Registry` resolves short references ("सीएम ममता", "ममता दीदी",
"सपा प्रमुख") to the full name introduced earlier; across reports, `same_person` compares
Devanagari and Latin spellings through the transliteration's consonant skeleton. Tokens are the
one `retrieval.types.Token`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from retrieval.meetings.words import (
    GROUP_NOUNS,
    HONORIFIC_SUFFIXES,
    KIN,
    PRONOUNS,
    ROLE_MODIFIERS,
    TITLE_SYNONYMS,
    TITLES,
)
from retrieval.tokenize import split_word
from retrieval.transliterate import deva_key, latin_key, skeleton
from retrieval.types import Token

__all__ = [
    "Person",
    "Registry",
    "Token",
    "names_match",
    "normalize_name",
    "party_form",
    "person_from_tokens",
    "same_person",
    "tokenize_words",
]


def is_word_char(ch: str) -> bool:
    """Letters, combining marks (vowel signs, virama, nukta) and digits: the stuff of words.

    Python's ``str.isalnum`` is false for Devanagari vowel signs, so categories are checked.
    """
    return unicodedata.category(ch)[0] in "LMN"


def has_latin(text: str, run: int = 1) -> bool:
    """Whether ``text`` has ``run`` consecutive ASCII letters (a Latin spelling)."""
    count = 0
    for ch in text:
        count = count + 1 if ch.isascii() and ch.isalpha() else 0
        if count >= run:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Person:
    """A party of a meeting: the name without its title, the title, and other spellings.

    ``aliases`` holds, for example, the Latin spelling given in parentheses after the name.
    When no name is given, ``name`` is the office itself ("विदेश मंत्री").
    """

    name: str
    role: str | None = None
    aliases: tuple[str, ...] = ()


def tokenize_words(text: str) -> list[Token]:
    """Split text into word tokens (letters with their marks) and single punctuation tokens.

    Letters keep their combining marks, so "कोलकाता" stays one token; every other non-space
    character is a token of its own so punctuation can end a phrase. Unlike `retrieval.tokenize`,
    a word that changes script ("G20") stays one token, labelled by its first part's script, and
    punctuation comes back with the script ``"mark"``.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif is_word_char(ch):
            j = i + 1
            while j < n and is_word_char(text[j]):
                j += 1
            word = text[i:j]
            tokens.append(Token(word, i, j, split_word(word)[0][2]))
            i = j
        else:
            tokens.append(Token(ch, i, i + 1, "mark"))
            i += 1
    return tokens


_FOLD = str.maketrans({"\u093c": None, "\u200c": None, "\u200d": None, "\u0901": "\u0902"})


def party_form(name: str) -> str:
    """The form parties are compared in: "फ़ारुख़  शेख़" and "फारुख शेख" give the same.

    NFC with nukta, ZWJ/ZWNJ and chandrabindu folded (news spells one name several ways in one
    report), whitespace collapsed, Latin casefolded.
    """
    decomposed = unicodedata.normalize("NFD", name).translate(_FOLD)
    return " ".join(unicodedata.normalize("NFC", decomposed).split()).casefold()


def normalize_name(name: str) -> str:
    """NFC, collapsed whitespace and casefold: the form names are compared in."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def names_match(a: str, b: str) -> bool:
    """Whether two names match for evaluation: one contains the other after normalisation."""
    na, nb = normalize_name(a), normalize_name(b)
    return bool(na) and bool(nb) and (na in nb or nb in na)


def is_group(words: Sequence[str]) -> bool:
    """Whether a phrase names a group ("पार्टी विधायकों", "अधिकारियों") rather than a party.

    The Hindi oblique plural ending "-ों" on the head word is the generic sign of a group: names
    of people and places practically never end in it.
    """
    if not words:
        return True
    head = words[-1]
    return head in GROUP_NOUNS or head.endswith(("ों", "ओं"))


def _title_key(word: str) -> str:
    return TITLE_SYNONYMS.get(word, word)


def is_title(word: str) -> bool:
    """Whether a word is a title or office ("मुख्यमंत्री", "अध्यक्ष", any "...मंत्री")."""
    return _is_title(word)


def _is_title(word: str) -> bool:
    word = _plain(word)
    return word in TITLES or word in KIN or word.endswith("मंत्री")


def _plain(word: str) -> str:
    """The word with the nukta removed, as the vocabulary tables are written."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", word).replace("\u093c", ""))


def person_from_tokens(words: Sequence[str], aliases: tuple[str, ...] = ()) -> Person | None:
    """Split a phrase into title and name.

    Args:
        words: the phrase's words in order, e.g. ``["केंद्रीय", "मंत्री", "नितिन", "गडकरी"]``.
        aliases: other spellings of the name found next to it.

    Returns:
        The person, with the office as name when the phrase holds a title only; ``None`` for an
        empty phrase, a pronoun or a group.
    """
    words = list(words)
    while words and words[-1] in HONORIFIC_SUFFIXES:
        words.pop()
    if not words or (len(words) == 1 and words[0] in PRONOUNS):
        return None
    last_title = max((i for i, w in enumerate(words) if _is_title(w)), default=-1)
    if last_title == len(words) - 1 and _plain(words[-1]) in KIN:
        # A person noun at the end: alone or after roles it names nobody ("वरिष्ठ अधिकारी",
        # "अपनी माँ"); after a name it is a surname ("सुवेंदु अधिकारी").
        if all(_is_title(w) or _plain(w) in ROLE_MODIFIERS | GROUP_NOUNS for w in words[:-1]):
            return None
        last_title = max((i for i, w in enumerate(words[:-1]) if _is_title(w)), default=-1)
    # A title vouches for a person even if the name ends like a plural ("राष्ट्रपति ... मैक्रों").
    if last_title == -1 and is_group(words):
        return None
    if last_title == -1:
        return Person(" ".join(words), None, aliases)
    role_words = words[: last_title + 1]
    name_words = words[last_title + 1 :]
    role = " ".join(role_words)
    if not name_words:
        return Person(role, role, aliases)
    return Person(" ".join(name_words), role, aliases)


def _skeleton(name: str) -> str:
    """A script-independent key of a name: the K3 skeleton (`retrieval.transliterate`) of each word.

    The same key the lexicon's fuzzy lookup uses, so Devanagari and Latin spellings of a name
    are compared the way the archive compares words.
    """
    return " ".join(skeleton(latin_key(word) or deva_key(word)) for word in name.split())


def same_person(a: Person, b: Person) -> bool:
    """Whether two persons (possibly from different reports) are the same person.

    Names or aliases match when one contains the other; a Devanagari and a Latin spelling match
    when their consonant skeletons are equal ("ममता बनर्जी" and "Mamata Banerjee").
    """
    forms_a = (a.name, *a.aliases)
    forms_b = (b.name, *b.aliases)
    if any(names_match(x, y) for x in forms_a for y in forms_b):
        return True
    if a.role == a.name or b.role == b.name:
        return False  # an office alone is too vague to compare across reports
    keys_a = {_skeleton(x) for x in forms_a}
    return any(len(k.replace(" ", "")) >= 4 and k in keys_a for k in (_skeleton(y) for y in forms_b))


@dataclass(slots=True)
class Registry:
    """The persons a report has introduced so far, to resolve later short references."""

    persons: list[Person] = field(default_factory=list)

    def add(self, person: Person) -> None:
        """Remember a person given with a full (two-word) name, merging role and aliases."""
        if len(person.name.split()) < 2 or person.name == person.role:
            return
        for i, known in enumerate(self.persons):
            if party_form(known.name) == party_form(person.name):
                aliases = tuple(dict.fromkeys((*known.aliases, *person.aliases)))
                self.persons[i] = Person(known.name, known.role or person.role, aliases)
                return
        self.persons.append(person)

    def resolve(self, person: Person) -> Person:
        """Replace a short reference with the full person introduced earlier, when unique.

        A single word resolves to the one known person whose name has that word; an office
        alone resolves to the one known person holding the same office (synonyms such as
        "प्रमुख"/"अध्यक्ष" and "सीएम"/"मुख्यमंत्री" count as the same, and a qualifier such as
        "सपा" must agree). Anything ambiguous stays as it is.
        """
        words = party_form(person.name).split()
        if person.role is not None and person.name == person.role:
            candidates = [p for p in self.persons if _same_office(person.role, p.role)]
        elif len(words) == 1:
            candidates = [p for p in self.persons if words[0] in party_form(p.name).split()]
        else:
            candidates = [p for p in self.persons if party_form(p.name) == party_form(person.name)]
        if len({party_form(p.name) for p in candidates}) != 1:
            return person
        found = candidates[0]
        aliases = tuple(dict.fromkeys((*found.aliases, *person.aliases)))
        return Person(found.name, person.role or found.role, aliases)


def _same_office(short: str, known: str | None) -> bool:
    """Whether office words such as "सपा प्रमुख" name the same office as "सपा अध्यक्ष"."""
    if known is None:
        return False
    short_words = [w for w in short.split() if w not in ROLE_MODIFIERS]
    known_words = [w for w in known.split() if w not in ROLE_MODIFIERS]
    if not short_words or not known_words:
        return False
    if _title_key(short_words[-1]) != _title_key(known_words[-1]):
        return False
    # Every qualifier given ("सपा") must appear with the known office too.
    return set(short_words[:-1]) <= set(known_words[:-1])
