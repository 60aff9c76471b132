"""The parties that stand apart from the meeting word: subjects before, after or elsewhere.

"X की Y से मुलाकात" (a genitive), "X की मुलाकात Y से हुई" (the party after the noun), "Y से मिले X"
(headline order), "Y से मुलाकात के बाद X ने", memory ("Y से मुलाकात X को याद है"), "X ने कहा कि Y से
बातचीत हुई" (the speaker), "X और Y की मुलाकात" (coordinated), and "X ... हैं और Y से मिले थे".
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.meetings.clause import (
    AND_WORDS,
    ARRIVAL,
    BOUNDARY_MARKS,
    VERB_TRIGGERS,
    is_boundary,
)
from retrieval.meetings.guards import SAYING
from retrieval.meetings.names import Person, person_from_tokens
from retrieval.meetings.phrases import (
    GENITIVES,
    Phrase,
    nameish,
    phrase_after,
    phrase_before,
    surface,
    word_key,
)
from retrieval.meetings.words import word_set
from retrieval.types import Token

# After "Y से मुलाकात", these words introduce the clause whose subject met Y.
_AFTER_LINKS: frozenset[str] = word_set("बाद दौरान पश्चात कर करके पहले हुए")
# "Y के साथ बैठक में X ने कहा": a meeting in person, unlike "Y से बातचीत में", an interview.
_IN_PERSON: frozenset[str] = word_set("मुलाकात मुलाकातें भेंट बैठक बैठकें मीटिंग")
# "X की मुलाकात Y से हुई": the verb that must follow the party named after the noun.
_HAPPENED: frozenset[str] = word_set(
    "हुई हुआ हुए होगी होगा होंगी होती होता हो की किया करेंगे करेंगी करेगा कर करने कराई करवाई कराया करवाया"
)
# Verbs and auxiliaries that end a clause before "और" starts the next one.
_CLAUSE_ENDS: frozenset[str] = word_set("है हैं था थे थी गए गई गया आए आई पहुंचे पहुंची हुए")
_POSTPOSITIONS: frozenset[str] = word_set("ने से को में पर का की के तक")
# "Y से मिलने गए X": going to meet, like arriving to meet.
_GONE: frozenset[str] = word_set("गए गई गया गये गयी गईं")
_HEADLINE_ENDS: frozenset[str] = frozenset(",।.!?|:;-")


def quoted_speaker(tokens: Sequence[Token], lo: int, text: str) -> Phrase | None:
    """For a clause after "X ने ... कहा कि", the phrase X; else ``None``."""
    if lo == 0 or word_key(tokens[lo - 1].text) != "कि":
        return None
    start = lo - 1
    while start > 0 and tokens[start - 1].text not in BOUNDARY_MARKS:
        start -= 1
    keys = [word_key(tok.text) for tok in tokens[start : lo - 1]]
    if not any(k in SAYING for k in keys):
        return None
    for j in range(lo - 2, start - 1, -1):
        if word_key(tokens[j].text) == "ने":
            return phrase_before(tokens, j, start, text)
    return None


def genitive_subject(tokens: Sequence[Token], gens: list[tuple[int, Phrase]], obj: Phrase) -> Phrase | None:
    """The genitive naming the other party: "X की Y से मुलाकात", "Y से X की मुलाकात".

    Meeting nouns are feminine, so only "की" names a party; "X के Y से" qualifies Y ("पाकिस्तान के
    हॉकी संघ से बातचीत"). A genitive right before a title ("पश्चिम बंगाल की मुख्यमंत्री Y")
    qualifies the title and names no party, unless it carries a title itself ("जदयू अध्यक्ष X की").
    """
    for marker, gen in gens:
        if word_key(tokens[marker].text) != "की":
            continue
        qualifies = marker + 1 == obj.start and obj.first_is_title
        has_role = any(p.role is not None for p in gen.persons)
        if gen.persons and (has_role or not qualifies):
            return gen
    return None


def object_after(tokens: Sequence[Token], t: int, hi: int, text: str) -> Phrase | None:
    """The party named after the meeting noun with से/के साथ: "X की मुलाकात Y से हुई"."""
    phrase = phrase_after(tokens, t + 1, hi, text)
    if phrase is None or phrase.end >= hi:
        return None
    word = word_key(tokens[phrase.end].text)
    nxt = word_key(tokens[phrase.end + 1].text) if phrase.end + 1 < len(tokens) else ""
    after = phrase.end + (1 if word == "से" else 2)
    happened = word_key(tokens[after].text) if after < len(tokens) else ""
    if (word == "से" or (word == "के" and nxt in {"साथ", "संग"})) and happened in _HAPPENED:
        return phrase
    return None


def coordinated_subject(subj: Phrase | None, gens: list[tuple[int, Phrase]], t: int) -> Phrase | None:
    """A phrase naming both parties: "X और Y ने मुलाकात की", "X और Y की मुलाकात"."""
    if subj is not None and len(subj.persons) >= 2:
        return subj
    if gens:
        marker, gen = gens[0]
        # Only the genitive of the meeting itself, a few words before it, names its parties.
        if t - marker <= 5 and len(gen.persons) >= 2:
            return gen
    return None


def subject_after(tokens: Sequence[Token], t: int, hi: int, text: str, trigger: str) -> Phrase | None:
    """The party named after the meeting word.

    Headlines put the subject last ("Y से मिले X"); and "Y से मुलाकात के बाद X ने ..." names
    the subject in the next clause.
    """
    if trigger in VERB_TRIGGERS and t + 1 < hi:
        begin = t + 1
        # "Y से मिलने (उनके आवास) पहुंचे X": step over the place of arrival.
        arrival = next(
            (k for k in range(t + 1, min(hi, t + 6)) if word_key(tokens[k].text) in ARRIVAL | _GONE), None
        )
        if arrival is not None:
            begin = arrival + 1
        # "Y से मिलने [कहीं] निकले": without a verb of going the infinitive is followed by no name.
        headline = arrival is not None or trigger != "मिलने"
        phrase = phrase_after(tokens, begin, hi, text) if begin < hi and headline else None
        # The subject ends a headline: at the end of the sentence or before a comma, not a quote.
        ends = hi >= len(tokens) or tokens[hi].text in _HEADLINE_ENDS
        if phrase is not None and phrase.persons and phrase.end >= hi and ends:
            return phrase
        # "Y से मिलीं बंगाल की मुख्यमंत्री": the genitive qualifies the title that follows.
        if phrase is not None and phrase.end + 1 < hi and word_key(tokens[phrase.end].text) in GENITIVES:
            titled = phrase_after(tokens, phrase.end + 1, hi, text)
            if titled is not None and titled.persons and titled.first_is_title:
                return titled
    following = [word_key(tok.text) for tok in tokens[t + 1 : t + 4]]
    links = _AFTER_LINKS | {"में"} if trigger in _IN_PERSON else _AFTER_LINKS
    if not any(k in links for k in following):
        return None
    end = len(tokens)
    for j in range(t + 1, min(end, t + 16)):
        if tokens[j].text in BOUNDARY_MARKS and tokens[j].text != ",":
            break
        if word_key(tokens[j].text) == "ने":
            return phrase_before(tokens, j, t + 1, text)
    return None


def subject_later(tokens: Sequence[Token], t: int, text: str) -> Phrase | None:
    """The party named after a meeting noun that has only its other party before it.

    "Y से हुई मुलाकात ने X के जीवन को बदल दिया" (the meeting changed X's life), and the memory of
    a meeting: "Y से मुलाकात को याद करते हुए X ने लिखा", "Y से मुलाकात X को आज भी याद है".
    """
    n = len(tokens)
    if t + 1 < n and word_key(tokens[t + 1].text) == "ने":
        phrase = phrase_after(tokens, t + 2, n, text)
        if phrase is None or not phrase.persons or phrase.group or phrase.end >= n:
            return None
        return phrase if word_key(tokens[phrase.end].text) in GENITIVES else None
    end = t + 1
    while end < min(n, t + 14) and not is_boundary(tokens[end]):
        end += 1
    keys = [word_key(tok.text) for tok in tokens[t + 1 : end]]
    if "याद" not in keys:
        return None
    for j in range(t + 1, end):
        word = keys[j - t - 1]
        remembers = word == "को" and "याद" in keys[j - t : j - t + 4]
        if word == "ने" or remembers:
            phrase = phrase_before(tokens, j, t + 1, text)
            if phrase is not None and phrase.persons and not phrase.group:
                return phrase
    return None


def initial_subject(tokens: Sequence[Token], lo: int, end: int, text: str) -> Phrase | None:
    """The subject of "X [कुछ] हैं और ... Y से मिले थे": the nominative that opens the clause."""
    joined = any(
        word_key(tokens[k].text) in AND_WORDS and word_key(tokens[k - 1].text) in _CLAUSE_ENDS
        for k in range(lo + 1, end)
    )
    if not joined:
        return None
    k = lo
    # An oblique plural ("बंदूकों के विशेषज्ञ") starts the predicate, not the name.
    while k < end and nameish(tokens[k]) and not word_key(tokens[k].text).endswith(("ों", "ओं")):
        k += 1
    if k == lo or k >= end or word_key(tokens[k].text) in _POSTPOSITIONS:
        return None
    phrase = phrase_after(tokens, lo, k, text)
    if phrase is None or phrase.group or len(phrase.persons) != 1:
        return None
    return phrase


def comma_subject(tokens: Sequence[Token], lo: int, text: str) -> Phrase | None:
    """The subject set off by a comma at the start of the sentence: "X, Y से मिलीं"."""
    if lo < 2 or tokens[lo - 1].text != ",":
        return None
    start = lo - 1
    while start > 0 and tokens[start - 1].text not in BOUNDARY_MARKS:
        start -= 1
    phrase = phrase_before(tokens, lo - 1, start, text)
    if phrase is None or phrase.start != start or phrase.group or len(phrase.persons) != 1:
        return None
    return phrase


def hyphenated_pair(tokens: Sequence[Token], t: int, lo: int, text: str) -> tuple[Person, Person] | None:
    """The headline pair "X-Y (की) मुलाकात", "X-Y वार्ता": two single names joined by a hyphen."""
    k = t - 1
    if k >= lo and word_key(tokens[k].text) in GENITIVES:
        k -= 1
    if k - 2 != lo or tokens[k - 1].text != "-" or word_key(tokens[t].text) == "भेंट":
        return None  # a headline opens its clause; "गैर-हिंसक बातचीत", "धनुष-बाण भेंट" are compounds
    left, dash, right = tokens[k - 2], tokens[k - 1], tokens[k]
    if left.end != dash.start or dash.end != right.start:
        return None  # "X - Y" with spaces is a dash, not a compound
    names = [left, right]
    # Prefixes such as "अल-" are shorter than any name.
    if not all(nameish(tok) and len(tok.text) >= 3 for tok in names):
        return None
    a = person_from_tokens([surface(left)])
    b = person_from_tokens([surface(right)])
    if a is None or b is None:
        return None
    return a, b
