"""Normalisation of single words (Lucene-style Hindi rules) and of whole texts.

`normalize_term` conflates the spelling variation Hindi text shows for one word, following the rules
that Lucene's ``IndicNormalizer`` and ``HindiNormalizer`` apply (after Pingali & Varma, and Larkey et
al.), written here in our own table-driven form:

* canonical composition (NFC) plus the independent-vowel compositions NFC does not do (अ + ा → आ,
  ए + े → ऐ, …);
* ZWJ/ZWNJ deleted, nukta deleted (क़ → क, ड़ → ड), chandrabindu → anusvara;
* a dead न (न + virama) → anusvara, so पन्त and पंत match; then every virama is deleted;
* chandra and short e/o → plain e/o; vowel length merged (ई/ी → इ/ि, ऊ/ू → उ/ु, independent आ → अ,
  but the dependent ा is kept, as Lucene does); ai → e and au → o;
* decimal digits of any script → ASCII; Latin letters casefolded with their diacritics stripped.

The result is a fixed point: ``normalize_term(normalize_term(w)) == normalize_term(w)``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean_text", "normalize_term", "term_set"]

_VIRAMA = "\u094d"
_NUKTA = "\u093c"
_ANUSVARA = "\u0902"

# Characters that carry no meaning for search but split or disguise words: BOM, soft hyphen, word
# joiner, ZWJ, ZWNJ, zero-width space. Deleting them never joins two words that were apart,
# because none of them is whitespace.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u00ad\u2060\u200d\u200c\u200b"))

# Two- or three-code-point spellings of independent vowels that Unicode does not compose.
_COMPOSE = (
    ("\u0905\u093e", "\u0906"),  # अ + ा → आ
    ("\u0905\u0946", "\u0904"),  # अ + ॆ → ऄ
    ("\u0905\u0949", "\u0911"),  # अ + ॉ → ऑ
    ("\u0905\u094a", "\u0912"),  # अ + ॊ → ऒ
    ("\u0905\u094b", "\u0913"),  # अ + ो → ओ
    ("\u0905\u094c", "\u0914"),  # अ + ौ → औ
    ("\u0906\u0945", "\u0911"),  # आ + ॅ → ऑ
    ("\u0906\u0946", "\u0912"),  # आ + ॆ → ऒ
    ("\u0906\u0947", "\u0913"),  # आ + े → ओ
    ("\u0906\u0948", "\u0914"),  # आ + ै → औ
    ("\u0909\u0941", "\u090a"),  # उ + ु → ऊ
    ("\u090f\u0945", "\u090d"),  # ए + ॅ → ऍ
    ("\u090f\u0946", "\u090e"),  # ए + ॆ → ऎ
    ("\u090f\u0947", "\u0910"),  # ए + े → ऐ
    ("\u0972\u0945", "\u0911"),  # ॲ + ॅ → ऑ
)

# Single-character rewrites of the Hindi normaliser. Nukta consonants map to their base letter;
# the long, chandra and diphthong vowels to the short plain ones.
_FOLD = {
    ord(k): v
    for k, v in {
        "\u0929": "\u0928",  # ऩ → न
        "\u0931": "\u0930",  # ऱ → र
        "\u0934": "\u0933",  # ऴ → ळ
        "\u0958": "\u0915",  # क़ → क
        "\u0959": "\u0916",  # ख़ → ख
        "\u095a": "\u0917",  # ग़ → ग
        "\u095b": "\u091c",  # ज़ → ज
        "\u095c": "\u0921",  # ड़ → ड
        "\u095d": "\u0922",  # ढ़ → ढ
        "\u095e": "\u092b",  # फ़ → फ
        "\u095f": "\u092f",  # य़ → य
        _NUKTA: "",
        "\u0901": _ANUSVARA,  # chandrabindu → anusvara
        "\u0972": "\u0905",  # Marathi candra a → अ
        "\u0904": "\u090f",  # short independent e → ए
        "\u090d": "\u090f",  # ऍ → ए
        "\u090e": "\u090f",  # ऎ → ए
        "\u0910": "\u090f",  # ऐ → ए
        "\u0911": "\u0913",  # ऑ → ओ
        "\u0912": "\u0913",  # ऒ → ओ
        "\u0914": "\u0913",  # औ → ओ
        "\u0906": "\u0905",  # आ → अ
        "\u0908": "\u0907",  # ई → इ
        "\u090a": "\u0909",  # ऊ → उ
        "\u0960": "\u090b",  # ॠ → ऋ
        "\u0961": "\u090c",  # ॡ → ऌ
        "\u0945": "\u0947",  # ॅ → े
        "\u0946": "\u0947",  # ॆ → े
        "\u0948": "\u0947",  # ै → े
        "\u0949": "\u094b",  # ॉ → ो
        "\u094a": "\u094b",  # ॊ → ो
        "\u094c": "\u094b",  # ौ → ो
        "\u0940": "\u093f",  # ी → ि
        "\u0942": "\u0941",  # ू → ु
        "\u0944": "\u0943",  # ॄ → ृ
        "\u0963": "\u0962",  # ॣ → ॢ
    }.items()
}

_DEVANAGARI_ONLY = re.compile("[\u0900-\u097f]+")
_DEVANAGARI_DIGITS = {0x0966 + d: str(d) for d in range(10)}

# Upper bound on re-normalisation rounds; real words settle in one, odd mark sequences in two.
_MAX_ROUNDS = 4


def clean_text(text: str) -> str:
    """Return ``text`` in NFC with invisible format characters removed.

    Deletes BOM, soft hyphen, word joiner, zero-width space, ZWJ and ZWNJ. These never change
    what a Hindi word means but break exact matching. Offsets into the result differ from offsets
    into the input, so tokenize the original text when positions matter.

    Args:
        text: Any text.

    Returns:
        The cleaned text.
    """
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


def _is_devanagari(ch: str) -> bool:
    return "\u0900" <= ch <= "\u097f" or "\ua8e0" <= ch <= "\ua8ff"


def _fold_latin(word: str) -> str:
    """Casefold and strip combining marks that sit on non-Devanagari letters (é → e)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    out: list[str] = []
    base_is_deva = False
    for ch in decomposed:
        if unicodedata.category(ch).startswith("M"):
            if base_is_deva:
                out.append(ch)
            continue
        base_is_deva = _is_devanagari(ch)
        out.append(ch)
    return "".join(out)


def _digits_to_ascii(word: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in word)


def _normalize_once(word: str) -> str:
    if word.isascii():
        return word.lower()
    word = word.translate(_INVISIBLE)
    if _DEVANAGARI_ONLY.fullmatch(word):
        # The common case skips the Latin folding, which only matters for other scripts.
        word = word.translate(_DEVANAGARI_DIGITS)
    else:
        word = _digits_to_ascii(_fold_latin(word))
    word = unicodedata.normalize("NFC", word)
    for seq, composed in _COMPOSE:
        if seq in word:
            word = word.replace(seq, composed)
    word = word.translate(_FOLD)
    # Dead न becomes anusvara before the virama goes, so that न्त and ंत meet.
    word = word.replace("\u0928" + _VIRAMA, _ANUSVARA).replace(_VIRAMA, "")
    return word


@lru_cache(maxsize=200_000)
def normalize_term(word: str) -> str:
    """Return the search form of one word.

    Devanagari follows the Lucene Hindi normaliser rules (see the module docstring), decimal digits
    of any script become ASCII digits, and Latin letters are casefolded without diacritics.

    Args:
        word: One token's text; any string is accepted.

    Returns:
        The normalised word. The function is idempotent.
    """
    current = word
    # Removing a nukta or composing a vowel can expose another rule's input (for example a
    # dead न left after ऩ loses its nukta), so repeat until nothing changes.
    for _ in range(_MAX_ROUNDS):
        nxt = _normalize_once(current)
        if nxt == current:
            break
        current = nxt
    return current


def term_set(words: str) -> frozenset[str]:
    """A vocabulary table written as whitespace-separated words, in the form `normalize_term` gives."""
    return frozenset(normalize_term(w) for w in words.split())
