"""A lossy romanized matching key shared by Devanagari words and casually typed Latin words.

Casual romanized Hindi ("mamta", "mulakat", "bjp") rarely round-trips through a scholarly scheme, so
we never transliterate queries to Devanagari. Instead both scripts are mapped into one lossy Latin
key space (see docs note ``hindi-analysis.md`` §2.2):

1. Devanagari → ITRANS-like lowercase Latin, with a table equivalent to indic_transliteration's
   ``DEVANAGARI → ITRANS`` followed by lower-casing (a differential test checks this on a real
   vocabulary). The table is ours because the library costs ~23 µs per word and analysis must
   run at hundreds of thousands of words per second.
2. Canonicalisation, the same for both scripts: aspirates merge, sh → s, ph → f, q → k, z → j,
   w → v, long vowels shortened, ai → e, au → o, doubled letters collapsed, and English habits
   (c → k before a/o/u, final y → i, final ao → av, eh → ah before a consonant).
3. K2 ("a-drop"): every non-initial ``a`` is deleted, which sidesteps schwa deletion and ā/a length.

K3 (`skeleton`) also deletes every other non-initial vowel and ``y``; it is a fuzzy candidate source
only, because it collides too often to be an index key.

Query words get extra candidate keys (`query_variants`): nasal ±n, spelled-out acronyms (bjp →
key of बीजेपी), and English spelling habits (c → s before e/i, medial e or u written for a schwa,
an omitted or added nasal). The table of abbreviated names news uses (बीजेपी, सीएम) is
`retrieval.aliases`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

__all__ = [
    "canonical_key",
    "deva_key",
    "deva_unmerged_key",
    "latin_key",
    "query_variants",
    "skeleton",
    "spell_acronym",
    "unmerged_key",
]

_VIRAMA = "\u094d"

# Devanagari consonants (nukta letters folded to their base) → lowercase ITRANS.
_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n",
    "च": "ch", "छ": "chh", "ज": "j", "झ": "jh", "ञ": "n",
    "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n",
    "त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
    "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m",
    "य": "y", "र": "r", "ल": "l", "व": "v",
    "श": "sh", "ष": "sh", "स": "s", "ह": "h", "ळ": "l",
    "ऩ": "n", "ऱ": "r", "ऴ": "l",
    "क़": "k", "ख़": "kh", "ग़": "g", "ज़": "j", "ड़": "d", "ढ़": "dh", "फ़": "ph", "य़": "y",
}  # fmt: skip

_INDEPENDENT_VOWELS = {
    "अ": "a", "आ": "aa", "इ": "i", "ई": "ii", "उ": "u", "ऊ": "uu", "ऋ": "ri", "ॠ": "ri",
    "ऌ": "li", "ॡ": "li", "ए": "e", "ऐ": "ai", "ओ": "o", "औ": "au", "ऍ": "e", "ऎ": "e",
    "ऑ": "o", "ऒ": "o", "ॲ": "a", "ऄ": "e", "ॐ": "om",
}  # fmt: skip

_VOWEL_SIGNS = {
    "ा": "aa", "ि": "i", "ी": "ii", "ु": "u", "ू": "uu", "ृ": "ri", "ॄ": "ri", "ॢ": "li",
    "ॣ": "li", "े": "e", "ै": "ai", "ो": "o", "ौ": "au", "ॅ": "e", "ॆ": "e", "ॉ": "o",
    "ॊ": "o", "ॏ": "o", "ॎ": "e",
}  # fmt: skip

# Anusvara and chandrabindu are a nasal "n"; visarga, avagraha and stray signs carry nothing.
_OTHER_SIGNS = {"ं": "n", "ँ": "n", "ः": "", "ऽ": "", "़": "", "ॱ": ""}


def _devanagari_to_latin(word: str) -> str:
    """Romanise Devanagari like lowercase ITRANS; characters of other scripts pass through."""
    out: list[str] = []
    pending_a = False  # a consonant waits to learn whether it carries the inherent "a"
    for ch in unicodedata.normalize("NFC", word):
        cons = _CONSONANTS.get(ch)
        if cons is not None:
            if pending_a:
                out.append("a")
            out.append(cons)
            pending_a = True
            continue
        sign = _VOWEL_SIGNS.get(ch)
        if sign is not None:
            out.append(sign)
            pending_a = False
            continue
        if ch == _VIRAMA:
            pending_a = False
            continue
        if ch == "\u093c" or ch in "\u200c\u200d":
            # Nukta and joiners do not end the syllable.
            continue
        if pending_a:
            out.append("a")
            pending_a = False
        vowel = _INDEPENDENT_VOWELS.get(ch)
        if vowel is not None:
            out.append(vowel)
            continue
        other = _OTHER_SIGNS.get(ch)
        out.append(other if other is not None else ch)
    if pending_a:
        out.append("a")
    return "".join(out)


# Canonicalisation of lowercase Latin letters, applied in order (see the module docstring).
# Each step is (trigger, pattern, replacement): the step runs only when the trigger letter
# occurs, and a plain-string pattern is replaced literally, which keeps a key at a few µs.
_Step = tuple[str, "str | regex.Pattern[str]", str]
_CANON_STEPS: tuple[_Step, ...] = tuple(
    (trigger, pattern if literal else regex.compile(pattern), repl)
    for trigger, literal, pattern, repl in (
        # English c: k except before e/i/y (congress, croma, static); before ch → c merges it.
        ("c", False, r"c(?=[^eihy]|$)", "k"),
        ("c", True, "chh", "c"),
        ("c", True, "ch", "c"),
        ("s", True, "sh", "s"),
        ("p", True, "ph", "f"),
        ("h", False, r"(?<=[kgcjtdpbr])h", ""),  # aspirates merge with the plain stop
        ("q", True, "q", "k"),
        ("z", True, "z", "j"),
        ("w", True, "w", "v"),
        ("x", True, "x", "ks"),
        ("m", False, r"m(?=[bpvf])", "n"),  # anusvara before a labial is typed as m
        ("h", False, r"eh(?=[^aeiouh]|$)", "ah"),  # mehngai / महंगाई, pehle / पहले, yeh / यह
        ("y", False, r"(?<=[^aeiou])y$", "i"),  # party / पार्टी
        ("y", False, r"(?<=[^aeiou])y(?=[^aeiou])", "i"),  # gymnastics / जिम्नास्टिक्स
        ("y", False, r"ey$", "e"),  # laaganey / लागने
        ("y", False, r"(?<=i)y(?=a)", ""),  # rashtriya / राष्ट्रिय: an optional glide
        ("y", False, r"(?<=[aeiou])y(?=e)", ""),  # gaye / गए, bataayegi / बताएगी
        ("o", False, r"ao$", "av"),  # chunao / चुनाव
        ("a", True, "aa", "a"),
        ("e", True, "ee", "i"),
        ("i", True, "ii", "i"),
        ("o", True, "oo", "u"),
        ("u", True, "uu", "u"),
        ("y", True, "aiy", "ay"),
        ("e", True, "ei", "e"),
        ("i", True, "ai", "e"),
        ("u", True, "au", "o"),
    )
)
_NOT_ASCII_LETTER = regex.compile(r"[^a-z]+")
_DOUBLED = regex.compile(r"(.)\1+")
_NON_INITIAL_VOWEL = regex.compile(r"(?<=.)[aeiouy]")


def canonical_key(latin: str) -> str:
    """Canonicalise lowercase Latin letters and apply the K2 a-drop.

    Args:
        latin: Any string; everything but ASCII letters is removed after lower-casing.

    Returns:
        The K2 key: lowercase ASCII letters only, possibly empty.
    """
    return _DOUBLED.sub(r"\1", unmerged_key(latin))


def unmerged_key(latin: str) -> str:
    """Return the K2 key of `canonical_key` before its last merge of doubled letters.

    The a-drop brings together letters that a vowel kept apart: लेनन (lenana) is "lenn" here and
    "len" as a key. The spelling model learns from these letters ("lennon" → "lenn": each typed n
    is a written न) and merges what it writes as the key does.

    Args:
        latin: Any string; everything but ASCII letters is removed after lower-casing.

    Returns:
        Lowercase ASCII letters, possibly empty; no letter is doubled except across a dropped "a".
    """
    text = _NOT_ASCII_LETTER.sub("", latin.lower())
    for trigger, pattern, repl in _CANON_STEPS:
        if trigger in text:
            text = text.replace(pattern, repl) if isinstance(pattern, str) else pattern.sub(repl, text)
    # Doubled letters collapse before the a-drop (सम्मेलन / sammelan) and again after it
    # (अलगाववाद / algavwad, in `canonical_key`); the second pass merges a few more words (ममता, मत)
    # but measured +0.4 points of key accuracy against +1.5 points of collisions.
    text = _DOUBLED.sub(r"\1", text)
    if len(text) > 1 and "a" in text:
        text = text[0] + text[1:].replace("a", "")
    return text


@lru_cache(maxsize=300_000)
def deva_key(word: str) -> str:
    """Return the K2 romanized key of a Devanagari word.

    Args:
        word: A Devanagari word, raw or normalised (the virama matters, so raw is better).

    Returns:
        Lowercase ASCII letters, possibly empty.
    """
    return canonical_key(_devanagari_to_latin(word))


def deva_unmerged_key(word: str) -> str:
    """Return `unmerged_key` of a Devanagari word: its K2 key before the last merge ("lenn" for लेनन).

    Args:
        word: A Devanagari word, raw or normalised.

    Returns:
        Lowercase ASCII letters, possibly empty; merging doubled letters gives `deva_key`.
    """
    return unmerged_key(_devanagari_to_latin(word))


@lru_cache(maxsize=300_000)
def latin_key(word: str) -> str:
    """Return the K2 key of a casually romanized word.

    Args:
        word: Any string; diacritics are stripped and non-letters dropped.

    Returns:
        Lowercase ASCII letters, possibly empty. Never raises.
    """
    folded = unicodedata.normalize("NFKD", word.casefold())
    return canonical_key("".join(ch for ch in folded if ch.isascii()))


@lru_cache(maxsize=300_000)
def skeleton(key: str) -> str:
    """Return the K3 skeleton of a key: its first letter and its consonants except y.

    Args:
        key: A K2 key (other strings are canonicalised first).

    Returns:
        Lowercase ASCII letters, possibly empty.
    """
    letters = _NOT_ASCII_LETTER.sub("", key.lower())
    return _DOUBLED.sub(r"\1", _NON_INITIAL_VOWEL.sub("", letters))


# How Hindi news spells out Latin letters of an acronym (बीजेपी, सीएम, यूपी, टीएमसी).
_LETTER_NAMES = {
    "a": "ए", "b": "बी", "c": "सी", "d": "डी", "e": "ई", "f": "एफ", "g": "जी", "h": "एच",
    "i": "आई", "j": "जे", "k": "के", "l": "एल", "m": "एम", "n": "एन", "o": "ओ", "p": "पी",
    "q": "क्यू", "r": "आर", "s": "एस", "t": "टी", "u": "यू", "v": "वी", "w": "डब्ल्यू",
    "x": "एक्स", "y": "वाई", "z": "जेड",
}  # fmt: skip
_ACRONYM_MAX = 4


_LETTER_OF_NAME = {name: letter for letter, name in _LETTER_NAMES.items()}
_LONGEST_LETTER = max(map(len, _LETTER_OF_NAME))


@lru_cache(maxsize=100_000)
def read_letters(word: str) -> str:
    """The Latin letters a Devanagari word reads out (केकेआर: "kkr", बीसीसीआई: "bcci"), or "".

    The word must be letter names and nothing else (`spell_acronym`'s names), read as the fewest of
    them. The inverse of `spell_acronym`.
    """
    # best[i]: the fewest letters spelling word[:i], None when no letter names do.
    best: list[str | None] = [""] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for size in range(1, min(_LONGEST_LETTER, end) + 1):
            before = best[end - size]
            letter = _LETTER_OF_NAME.get(word[end - size : end])
            if before is not None and letter is not None:
                found = before + letter
                current = best[end]
                if current is None or len(found) < len(current):
                    best[end] = found
    return best[-1] or ""


def spell_acronym(word: str) -> str:
    """Return the Devanagari spelling of a Latin acronym ("bjp" → "बीजेपी"), or "".

    Args:
        word: A Latin word; only ASCII letters are spelled out.

    Returns:
        The letter names joined, or "" when ``word`` has no ASCII letter.
    """
    return "".join(_LETTER_NAMES.get(ch, "") for ch in word.lower())


_VOWELS = "aeiou"
_QUERY_RULES: tuple[tuple[regex.Pattern[str], str], ...] = tuple(
    (regex.compile(pattern), repl)
    for pattern, repl in (
        (r"c(?=[eiy])", "s"),  # police / पुलिस, cinema / सिनेमा
        (r"sch", "sk"),  # school / स्कूल
        (r"igh", "ai"),  # right / राइट
        (r"[st]ion$", "shan"),  # station / स्टेशन
        (r"ey$", "i"),  # mickey / मिकी
        (r"(?<=[^aeiou])ru(?=[^aeiou])", "ri"),  # sanskrutik / सांस्कृतिक: ऋ typed as ru
        (r"(?<=[^aeiou])e(?=[^aeiouhy])(?=.)", "a"),  # banerjee / बनर्जी: e for a schwa
        (r"(?<=[^aeiou])u(?=[^aeiou])", "a"),  # jung / जंग: English u for a schwa
        (r"(?<=[aeiou])n(?=[^aeiou])", ""),  # an anusvara typed where none is written
        (r"(?<=[aeiou])(?=[bcdfgjklpstv][aeiou])", "n"),  # an anusvara left out (pahuche)
    )
)


@lru_cache(maxsize=100_000)
def query_variants(word: str) -> tuple[str, ...]:
    """Return the candidate K2 keys of a Latin query word, most likely first.

    Args:
        word: One Latin query word (any string is accepted).

    Returns:
        Distinct non-empty keys: the word's own key, then the spelled-acronym key for words of at
        most four letters, the nasal ±n variants and the English-spelling variants.
    """
    lower = _NOT_ASCII_LETTER.sub("", latin_key_input(word))
    keys: list[str] = [latin_key(word)]
    if 0 < len(lower) <= _ACRONYM_MAX:
        keys.append(deva_key(spell_acronym(lower)))
    if lower:
        if lower[-1] in _VOWELS:
            keys.append(canonical_key(lower + "n"))
        elif lower.endswith("n") and len(lower) > 2 and lower[-2] in _VOWELS:
            keys.append(canonical_key(lower[:-1]))
        for pattern, repl in _QUERY_RULES:
            changed = pattern.sub(repl, lower)
            if changed != lower:
                keys.append(canonical_key(changed))
    seen: dict[str, None] = {}
    for key in keys:
        if key:
            seen.setdefault(key)
    return tuple(seen)


def latin_key_input(word: str) -> str:
    """Return ``word`` casefolded and stripped of diacritics: the input `latin_key` works on."""
    folded = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in folded if ch.isascii())
