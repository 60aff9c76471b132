"""The clause around a meeting word, and the word lists every meeting rule shares.

The meeting words themselves (`NOUN_TRIGGERS`, `VERB_TRIGGERS`), what ends a clause (`clause_window`
keeps the commas of a list "A, B और C" inside), time words, and the bare subject that stands
before a party without a postposition ("X कल Y से मिलेंगे").
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.meetings.phrases import Phrase, nameish, phrase_before, word_key
from retrieval.meetings.words import word_set
from retrieval.types import Token

# Meeting nouns and verb forms (nukta already folded away by `word_key`).
NOUN_TRIGGERS: frozenset[str] = word_set("""मुलाकात मुलाकातें भेंट भेंटवार्ता बातचीत वार्ता वार्ताएं बैठक बैठकें मीटिंग
    बात""")
VERB_TRIGGERS: frozenset[str] = word_set("""मिले मिलीं मिली मिला मिलने मिलकर मिलेंगे मिलेंगी मिलेगा मिलें""")
# Words that end the stretch of a sentence a meeting's parties are looked for in.
_BOUNDARY_WORDS: frozenset[str] = word_set("कि जबकि लेकिन मगर परंतु किंतु जिसमें जहां जहाँ")
BOUNDARY_MARKS: frozenset[str] = frozenset("।॥.!?;:,\"“”‘’'|")
# Time words skipped between a bare subject and the rest ("X कल Y से मिलेंगे").
TIME_WORDS: frozenset[str] = (
    word_set("""आज कल परसों सुबह शाम रात दोपहर देर को सोमवार मंगलवार बुधवार गुरुवार बृहस्पतिवार शुक्रवार
    शनिवार रविवार बजे पिछले अगले इस माह महीने हफ्ते सप्ताह दिन साल""")
)
AND_WORDS: frozenset[str] = word_set("और तथा एवं")
# Verbs of arrival: "कोलकाता पहुंचे X" gives the place.
ARRIVAL: frozenset[str] = word_set("पहुंचे पहुँचे पहुंची पहुँची पहुंचीं पहुंचा")
_OWN: frozenset[str] = word_set("अपने अपनी अपना भी")


def is_boundary(token: Token) -> bool:
    """Whether a token ends the clause: a sentence mark or a conjunction such as कि, लेकिन."""
    return token.text in BOUNDARY_MARKS or word_key(token.text) in _BOUNDARY_WORDS


def clause_window(tokens: Sequence[Token], t: int) -> tuple[int, int]:
    """The token range of the clause around trigger ``t``; the commas of a list ("A, B और C") stay inside."""
    lo = t
    while lo > 0 and (not is_boundary(tokens[lo - 1]) or _list_comma(tokens, lo - 1)):
        lo -= 1
    hi = t + 1
    while hi < len(tokens) and (not is_boundary(tokens[hi]) or _list_comma(tokens, hi)):
        hi += 1
    return lo, hi


def _list_comma(tokens: Sequence[Token], c: int) -> bool:
    """Whether the comma at ``c`` separates names of a list that "और" closes: "A, B और C"."""
    if tokens[c].text != "," or c == 0 or not nameish(tokens[c - 1]):
        return False
    for k in range(c + 1, min(len(tokens), c + 8)):
        if word_key(tokens[k].text) in AND_WORDS:
            return k > c + 1
        if not nameish(tokens[k]):
            return False
    return False


def bare_subject(tokens: Sequence[Token], end: int, lo: int, text: str) -> Phrase | None:
    """A subject without ने ("X कल Y से मिलेंगे"), skipping time words before ``end``."""
    k = end
    # "X अपने कोच Y से मिलने पहुंचे": the possessive belongs to Y, the subject stands before it.
    while k > lo and (word_key(tokens[k - 1].text) in TIME_WORDS | _OWN or tokens[k - 1].text.isdigit()):
        k -= 1
    if k <= lo:
        return None
    return phrase_before(tokens, k, lo, text)


def opens_clause(tokens: Sequence[Token], lo: int, start: int) -> bool:
    """Whether only time words and digits stand between the clause start ``lo`` and ``start``."""
    return all(word_key(tok.text) in TIME_WORDS or tok.text.isdigit() for tok in tokens[lo:start])
