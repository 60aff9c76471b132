"""Who a pronoun party stands for, within one sentence: the speaker of a quotation or a report.

"X कहती हैं, ''Y से मेरी मुलाकात ...''" and "X ने बताया, "हम Y के घर गए"": a first-person
pronoun in the words X says is X. "X ने कहा कि उन्होंने Y से बात की": the third-person subject of
the clause X reports is X. Nothing else resolves: a pronoun is a party only when its person is
named in the same sentence, and a quotation is the one place where that is certain.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.meetings.phrases import Phrase, phrase_before, word_key
from retrieval.meetings.words import word_set
from retrieval.types import Token

FIRST_PERSON: frozenset[str] = word_set("मैं मैंने मेरी मेरा मेरे मुझे मुझसे हम हमने हमारी हमारा हमारे हमें हमसे")
THIRD_PERSON: frozenset[str] = word_set("उन्होंने वह वे वो उनकी उनका उनके उसने उसकी उसका उसके इन्होंने")
# Verbs of saying, writing and telling that open the words of their subject.
_SAY: frozenset[str] = word_set("कहा बताया लिखा कहते कहती कहता बताते बताती बताता लिखते लिखती बोले बोलीं बोली कहना")
_AUXILIARIES: frozenset[str] = word_set("है हैं था थी थे")
# What follows a verb of saying when words of the speaker come next.
_OPENERS: frozenset[str] = frozenset(",:-\"“”'‘’")
_MARKS: frozenset[str] = frozenset("।॥.!?;|")
# Degree words of "X इतना ... कि ...": the clause after कि tells what X did.
_SO: frozenset[str] = word_set("इतना इतनी इतने ऐसा ऐसी ऐसे")


def speaker(tokens: Sequence[Token], before: int, text: str, pronoun: str) -> Phrase | None:
    """The named speaker whose words hold token ``before``, when ``pronoun`` can stand for them.

    A first-person pronoun resolves inside a quotation or after "कि"; a third-person one only
    after "X ने कहा कि" / "X कहते हैं कि", or after "X इतनी ख़ुश हुईं कि" (so ... that: the
    result clause has the same subject). The speaker is "X ने" before the verb, or the bare
    subject right before it ("X कहती हैं"); exactly one named person, or nothing.
    """
    first = pronoun in FIRST_PERSON
    if not first and pronoun not in THIRD_PERSON:
        return None
    if not first and before >= 1 and word_key(tokens[before - 1].text) == "कि":
        so = _so_that_subject(tokens, before - 1, text)
        if so is not None:
            return so
    for v in range(before - 1, -1, -1):
        if tokens[v].text in _MARKS:
            return None
        if word_key(tokens[v].text) not in _SAY:
            continue
        k = v + 1
        while k < before and word_key(tokens[k].text) in _AUXILIARIES:
            k += 1
        if k >= before:
            continue
        opener = word_key(tokens[k].text)
        if not (opener == "कि" or (first and opener in _OPENERS)):
            continue
        return _subject_of(tokens, v, text)
    return None


def _subject_of(tokens: Sequence[Token], v: int, text: str) -> Phrase | None:
    """The one named subject of the verb at ``v``: "X ने ... कहा", "X कहती हैं", "X का कहना है"."""
    start = v
    while start > 0 and tokens[start - 1].text not in _MARKS and tokens[start - 1].text not in _OPENERS:
        start -= 1
    phrase: Phrase | None = None
    if v - 1 >= start and word_key(tokens[v - 1].text) in {"का", "के"}:
        phrase = phrase_before(tokens, v - 1, start, text)
        return phrase if phrase is not None and not phrase.group and len(phrase.persons) == 1 else None
    for j in range(v - 1, start - 1, -1):
        if word_key(tokens[j].text) == "ने":
            phrase = phrase_before(tokens, j, start, text)
            break
    else:
        phrase = phrase_before(tokens, v, start, text)
    if phrase is None or phrase.group or len(phrase.persons) != 1:
        return None
    return phrase


def _so_that_subject(tokens: Sequence[Token], ki: int, text: str) -> Phrase | None:
    """For "X इतने/ऐसे ... कि" ending at token ``ki``, the one named X right before the degree word."""
    for d in range(ki - 1, max(-1, ki - 6), -1):
        if tokens[d].text in _MARKS or tokens[d].text in _OPENERS:
            return None
        if word_key(tokens[d].text) in _SO:
            start = d
            while (
                start > 0 and tokens[start - 1].text not in _MARKS and tokens[start - 1].text not in _OPENERS
            ):
                start -= 1
            phrase = phrase_before(tokens, d, start, text)
            if phrase is None or phrase.group or len(phrase.persons) != 1:
                return None
            return phrase
    return None
