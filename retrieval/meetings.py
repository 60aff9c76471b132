"""Who met whom: meetings and talks between two named parties in Hindi and English news.

A sentence reports a meeting when a meeting word (मुलाकात, भेंट, बातचीत, वार्ता, बैठक, मिले ...;
"met", "talks") has two parties around it in one of the constructions Hindi news uses:

- "X ने Y से मुलाकात की", "X ने Y के साथ वार्ता की" (subject with ने, other party with से/के साथ);
- "X की Y से (हुई) मुलाकात", "Y से X की मुलाकात" (genitive subject);
- "Y से मिले X" (headline order), "X Y से मिलने पहुंचे", "Y से मुलाकात के बाद X ने ...";
- "X और Y के बीच बैठक/वार्ता", "X और Y की मुलाकात हुई", "X और Y मिले";
- "X ने कहा कि Y से बातचीत हुई" (the speaker is the other party);
- English "X met Y", "X and Y met", "talks between X and Y", "X held talks with Y".

A party that is a group ("पार्टी विधायकों के साथ बैठक") or the media ("मीडिया से बातचीत में") cancels
the meeting. `extract_meetings` reads a whole report: it resolves short references to names
introduced earlier (`retrieval.names.Registry`), fills the date and the place from the report
when the sentence has none and the report is unambiguous, and keeps one meeting per pair.
`evaluate` scores sentence-level extraction against labelled rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from retrieval.names import (
    CONJUNCTIONS,
    ROLE_MODIFIERS,
    STOPWORDS,
    Person,
    Registry,
    Token,
    has_latin,
    is_group,
    is_title,
    is_word_char,
    names_match,
    person_from_tokens,
    tokenize_words,
    word_set,
)

__all__ = [
    "Meeting",
    "MeetingScores",
    "Miss",
    "Person",
    "evaluate",
    "extract_from_sentence",
    "extract_meetings",
    "names_match",
]

# Meeting nouns and verb forms (nukta already folded away by `_key`).
NOUN_TRIGGERS: frozenset[str] = word_set("""मुलाकात मुलाकातें भेंट भेंटवार्ता बातचीत वार्ता वार्ताएं बैठक बैठकें मीटिंग""")
VERB_TRIGGERS: frozenset[str] = word_set("""मिले मिलीं मिली मिला मिलने मिलकर मिलेंगे मिलेंगी मिलेगा मिलें""")
# Words that end the stretch of a sentence a meeting's parties are looked for in.
_BOUNDARY_WORDS: frozenset[str] = word_set("कि जबकि लेकिन मगर परंतु किंतु जिसमें जहां जहाँ")
_BOUNDARY_MARKS: frozenset[str] = frozenset("।॥.!?;:,\"“”‘’'|")
# Verbs of saying: "X ने कहा कि Y से बातचीत हुई" makes X the other party.
_SAYING: frozenset[str] = word_set("कहा बताया बोले बोलीं दावा जानकारी")
# After "Y से मुलाकात", these words introduce the clause whose subject met Y.
_AFTER_LINKS: frozenset[str] = word_set("बाद दौरान पश्चात कर करके पहले")
# Pronoun subjects fused with ने, and pronoun genitives ("उनकी भेंट Y से हुई").
_PRONOUN_SUBJECTS: frozenset[str] = word_set(
    "उन्होंने उसने इन्होंने हमने मैंने उनकी उसकी इनकी उनका उसका उनके उसके मेरी हमारी"
)
# "X की मुलाकात Y से हुई": the verb that must follow the party named after the noun.
_HAPPENED: frozenset[str] = word_set("हुई हुआ हुए होगी होगा होंगी होती होता हो की किया करेंगे करेंगी करेगा कर करने")
_NAME_AFTER_TITLE: frozenset[str] = frozenset({"जो"})
_POSSESSIVES: frozenset[str] = word_set("उनके उनकी उनका उसके उसकी अपने अपनी अपना")
_GENITIVES: frozenset[str] = frozenset({"की", "का", "के"})
_AND: frozenset[str] = frozenset({"और", "व", "तथा", "एवं"})
# "के" before these is a compound postposition ("के बाद"), not a genitive of a party.
_COMPOUND_TAILS: frozenset[str] = word_set(
    "बाद दौरान लिए लिये पहले बारे खिलाफ मुताबिक अनुसार कारण तहत बजाय अलावा सामने बीच साथ"
)
# "Y से बातचीत की पेशकश/जरूरत": talks offered or wanted, not held.
_UNREALISED: frozenset[str] = word_set("""पेशकश प्रस्ताव अपील मांग जरूरत आवश्यकता इच्छा कोशिश प्रयास न्योता निमंत्रण आग्रह
    तैयारी संभावना उम्मीद गुंजाइश मार्ग रास्ता समय अनुमति""")
# Plural verb forms: only these report "X और Y मिले" (singular "मिला"/"मिली" also mean "got").
_PLURAL_MEET: frozenset[str] = word_set("मिले मिलीं मिलेंगे मिलेंगी मिलें")
# After a verb of meeting, these make it mean "mixed", "similar" or "made of", not "met".
_NOT_MEETING_NEXT: frozenset[str] = word_set("- जुले जुलते बना बनी बने बनता बनती हुआ")
# Auxiliaries and verbs that close a clause: between "Y से" and the meeting word they show
# that से belonged to another verb ("सिंहासन से उतार दिया गया और ... बातचीत").
_CLAUSE_VERBS: frozenset[str] = word_set("है हैं था थी थे गया गई गए दिया दी दिए किया किए लिया बना और तथा एवं")
# Words that may stand between "Y से" and a verb of meeting without breaking the construction.
_FILLERS: frozenset[str] = word_set("भी ही नहीं न जाकर आकर फिर दोबारा अलग अलग से")
# Time words skipped between a bare subject and the rest ("X कल Y से मिलेंगे").
_TIME_WORDS: frozenset[str] = (
    word_set("""आज कल परसों सुबह शाम रात दोपहर देर को सोमवार मंगलवार बुधवार गुरुवार बृहस्पतिवार शुक्रवार
    शनिवार रविवार""")
)
# Nouns that are not places although "X में" often follows them.
_NOT_PLACES: frozenset[str] = (
    word_set("""बैठक मुलाकात बातचीत वार्ता सभा कार्यक्रम चुनाव अधिवेशन सम्मेलन समारोह रैली बयान पत्र
    रिपोर्ट गठबंधन सरकार पार्टी मामले मुद्दे समय दौरान साल वर्ष संगठन कार्यसमिति कार्यकारिणी
    नेतृत्व दिशा तरह बारे मौके अवसर""")
)
# Verbs of arrival: "कोलकाता पहुंचे X" gives the place.
_ARRIVAL: frozenset[str] = word_set("पहुंचे पहुँचे पहुंची पहुँची पहुंचीं पहुंचा")

_WEEKDAYS = "सोमवार|मंगलवार|बुधवार|गुरुवार|बृहस्पतिवार|शुक्रवार|शनिवार|रविवार"
_MONTHS = "जनवरी|फरवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर"
_EN_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAY_MONTH = rf"\d{{1,2}}\s+(?:{_MONTHS})(?:\s*,?\s*\d{{4}})?"
_EN_DAY_MONTH = (
    rf"\d{{1,2}}\s+(?:{_EN_MONTHS})(?:\s*,?\s*\d{{4}})?|(?:{_EN_MONTHS})\s+\d{{1,2}}(?:,?\s*\d{{4}})?"
)
# Specific dates first so "शुक्रवार (17 मार्च)" wins over its parts; relative words last.
_DATE_RE = re.compile(
    rf"(?:{_WEEKDAYS})(?:\s*\(\s*{_DAY_MONTH}\s*\))?|{_DAY_MONTH}"
    rf"|(?:{_EN_WEEKDAYS})(?:\s*\(?,?\s*(?:{_EN_DAY_MONTH})\)?)?|{_EN_DAY_MONTH}"
    r"|(?:आज|कल|परसों)|\b(?:today|yesterday)\b"
)
_RELATIVE_DATES: frozenset[str] = frozenset({"आज", "कल", "परसों", "today", "yesterday"})

# Words after which a full stop abbreviates rather than ends the sentence ("डॉ. सिंह", "Dr. Rao").
_ABBREVIATIONS: frozenset[str] = word_set("डॉ श्री प्रो Dr Mr Mrs Ms St Jr No Prof Gen Lt Col")


@dataclass(frozen=True, slots=True)
class Meeting:
    """One reported meeting: both parties, where and when, and the sentence that says so.

    ``start``/``end`` are the sentence's character offsets in the text given to
    `extract_meetings`, so ``text[start:end] == sentence``.
    """

    a: Person
    b: Person
    place: str | None
    when: str | None
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Miss:
    """A row the extractor got wrong: what was expected and what it found."""

    id: str
    text: str
    expected: tuple[tuple[str, str], ...]
    found: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class MeetingScores:
    """Pair-level precision, recall and F1 over ``n`` rows, with the rows missed."""

    precision: float
    recall: float
    f1: float
    n: int
    misses: tuple[Miss, ...]


@dataclass(frozen=True, slots=True)
class _Phrase:
    """A noun phrase found next to a postposition: token range and the parties it names."""

    start: int
    end: int
    persons: tuple[Person, ...]
    group: bool
    first_is_title: bool


@dataclass(frozen=True, slots=True)
class _Found:
    """Pairs found in one sentence, with the sentence-level place and date."""

    pairs: list[tuple[Person, Person]]
    place: str | None
    when: str | None


def _key(word: str) -> str:
    """The form words are looked up in: NFC with the nukta removed ("मुलाक़ात" → "मुलाकात")."""
    decomposed = unicodedata.normalize("NFD", word).replace("\u093c", "")
    return unicodedata.normalize("NFC", decomposed)


def _surface(token: Token) -> str:
    """A word as written (NFC), for names: lookups use `_key`, output keeps the spelling."""
    return unicodedata.normalize("NFC", token.text)


def _is_word(token: Token) -> bool:
    return unicodedata.category(token.text[0])[0] in "LM"


def _nameish(token: Token) -> bool:
    """Whether a token can be part of a name: a word that is no function word or time word."""
    return _is_word(token) and _key(token.text) not in STOPWORDS


def _alias_before(tokens: Sequence[Token], close: int, text: str) -> tuple[int, str] | None:
    """For ")" at ``close``, the index of its "(" and the Latin text inside, if any."""
    for k in range(close - 1, max(close - 9, -1), -1):
        if tokens[k].text == "(":
            inner = text[tokens[k].end : tokens[close].start].strip()
            if inner and has_latin(inner):
                return k, inner
            return None
    return None


def _phrase(words: list[str], aliases: list[str], start: int, end: int) -> _Phrase | None:
    """Build a phrase from its words; coordinated parts ("X और Y") become separate persons."""
    while words and _key(words[0]) in CONJUNCTIONS:
        words.pop(0)
    if not words:
        return None
    parts: list[list[str]] = [[]]
    for w in words:
        if _key(w) in CONJUNCTIONS:
            parts.append([])
        else:
            parts[-1].append(w)
    persons: list[Person] = []
    group = False
    for i, part in enumerate(parts):
        # The alias in parentheses belongs to the part right before it: the last one.
        part_aliases = tuple(aliases) if i == len(parts) - 1 else ()
        person = person_from_tokens(part, part_aliases)
        if person is None:
            group = group or (bool(part) and is_group(part))
            continue
        persons.append(person)
    first_is_title = is_title(_key(words[0])) or _key(words[0]) in ROLE_MODIFIERS
    return _Phrase(start, end, tuple(persons), group, first_is_title)


def _phrase_before(
    tokens: Sequence[Token], end: int, lo: int, text: str, *, coordinate: bool = True
) -> _Phrase | None:
    """The name phrase ending right before token ``end``, not reaching left of ``lo``."""
    words: list[str] = []
    aliases: list[str] = []
    j = end - 1
    while j >= lo and len(words) < 8:
        tok = tokens[j]
        if tok.text == ")" and not words:
            found = _alias_before(tokens, j, text)
            if found is None:
                break
            j, alias = found[0] - 1, found[1]
            aliases.append(alias)
            continue
        word = _key(tok.text)
        if coordinate and word in CONJUNCTIONS and word != "," and words and j - 1 >= lo:
            if _nameish(tokens[j - 1]):
                words.insert(0, word)
                j -= 1
                continue
            break
        if not _nameish(tok):
            # A few function words double as given names right after a title ("राष्ट्रपति जो").
            if not (words and word in _NAME_AFTER_TITLE and j - 1 >= lo):
                break
            if not is_title(_key(tokens[j - 1].text)):
                break
        words.insert(0, _surface(tok))
        j -= 1
    own = _phrase(words, aliases, j + 1, end)
    # "X और [राज्य के] मुख्यमंत्री Y": coordination reaches over the genitive qualifying a title.
    if not coordinate or own is None or not own.first_is_title or j < lo:
        return own
    if _key(tokens[j].text) not in _GENITIVES:
        return own
    qualifier = _phrase_before(tokens, j, lo, text, coordinate=False)
    q = qualifier.start if qualifier else j
    if q - 1 < lo or _key(tokens[q - 1].text) not in _AND:
        return own
    head = _phrase_before(tokens, q - 1, lo, text)
    if head is None or not head.persons:
        return own
    return _Phrase(head.start, end, head.persons + own.persons, head.group, head.first_is_title)


def _phrase_after(tokens: Sequence[Token], begin: int, hi: int, text: str) -> _Phrase | None:
    """The name phrase starting at token ``begin``, ending before ``hi`` or a non-name word."""
    words: list[str] = []
    aliases: list[str] = []
    j = begin
    while j < hi and len(words) < 8:
        tok = tokens[j]
        word = _key(tok.text)
        if tok.text == "(" and words:
            close = next((k for k in range(j + 1, min(j + 9, hi)) if tokens[k].text == ")"), None)
            inner = text[tok.end : tokens[close].start].strip() if close is not None else ""
            if close is None or not has_latin(inner):
                break
            aliases.append(inner)
            j = close + 1
            continue
        if word in {"और", "व", "तथा", "एवं"} and words and j + 1 < hi and _nameish(tokens[j + 1]):
            words.append(word)
            j += 1
            continue
        if not _nameish(tok):
            break
        words.append(_surface(tok))
        j += 1
    return _phrase(words, aliases, begin, j)


def _is_boundary(token: Token) -> bool:
    return token.text in _BOUNDARY_MARKS or _key(token.text) in _BOUNDARY_WORDS


def _window(tokens: Sequence[Token], t: int) -> tuple[int, int]:
    """The token range of the clause around trigger ``t``."""
    lo = t
    while lo > 0 and not _is_boundary(tokens[lo - 1]):
        lo -= 1
    hi = t + 1
    while hi < len(tokens) and not _is_boundary(tokens[hi]):
        hi += 1
    return lo, hi


def _speaker(tokens: Sequence[Token], lo: int, text: str) -> _Phrase | None:
    """For a clause after "X ने ... कहा कि", the phrase X; else ``None``."""
    if lo == 0 or _key(tokens[lo - 1].text) != "कि":
        return None
    start = lo - 1
    while start > 0 and tokens[start - 1].text not in _BOUNDARY_MARKS:
        start -= 1
    keys = [_key(tok.text) for tok in tokens[start : lo - 1]]
    if not any(k in _SAYING for k in keys):
        return None
    for j in range(lo - 2, start - 1, -1):
        if _key(tokens[j].text) == "ने":
            return _phrase_before(tokens, j, start, text)
    return None


def _pairs_at(tokens: Sequence[Token], t: int, text: str) -> list[tuple[Person, Person]]:
    """The pairs of parties around the meeting word at token ``t``."""
    lo, hi = _window(tokens, t)
    trigger = _key(tokens[t].text)
    if _unrealised(tokens, t, hi) or _interview(tokens, t, hi):
        return []
    nxt_word = _key(tokens[t + 1].text) if t + 1 < len(tokens) else ""
    if trigger in VERB_TRIGGERS and nxt_word in _NOT_MEETING_NEXT:
        return []
    loose = 0  # words between "Y से" and a meeting noun that belong to no phrase
    obj: _Phrase | None = None
    between: _Phrase | None = None
    subj: _Phrase | None = None
    gens: list[tuple[int, _Phrase]] = []
    pronoun_subject = False
    adjacent = True  # nothing but places, dates and fillers between "Y से" and the verb
    leftmost = t
    j = t - 1
    while j >= lo:
        word = _key(tokens[j].text)
        prev = _key(tokens[j - 1].text) if j - 1 >= lo else ""
        nxt = _key(tokens[j + 1].text) if j + 1 < len(tokens) else ""
        marker_start = j
        kind = ""
        if word == "से":
            kind = "obj"
        elif word in {"साथ", "संग"} and prev == "के":
            kind, marker_start = "obj", j - 1
        elif word in {"बीच", "मध्य"} and prev == "के":
            kind, marker_start = "between", j - 1
        elif word == "ने":
            kind = "subj"
        elif word in _GENITIVES:
            kind = "skip" if nxt in _COMPOUND_TAILS else "gen"
        elif word in {"में", "को", "पर"}:
            kind = "skip"
        elif word in _PRONOUN_SUBJECTS:
            pronoun_subject = True
            adjacent = False
        elif word not in _FILLERS and word not in _TIME_WORDS and not word.isdigit():
            adjacent = False
            if obj is None and between is None:
                loose += 3 if word in _CLAUSE_VERBS else 1
        if not kind:
            j -= 1
            continue
        phrase = _phrase_before(tokens, marker_start, lo, text)
        j = (phrase.start if phrase else marker_start) - 1
        if kind == "skip" and j >= lo and _key(tokens[j].text) in _POSSESSIVES:
            j -= 1  # "उनके आवास पर", "अपने घर में": a place, not a party
        leftmost = j + 1
        if phrase is None or kind == "skip":
            continue
        if kind == "obj" and obj is None and between is None:
            if trigger in VERB_TRIGGERS and not adjacent:
                return []  # "उत्खनन से कुछ सामान मिले": से is not the party met
            if loose > 3:
                return []
            if trigger == "मिलकर" and kind == "obj" and word != "से":
                return []  # "X के साथ मिलकर": together with, not a meeting
            obj = phrase
        elif kind == "between" and between is None and obj is None:
            between = phrase
        elif kind == "subj" and subj is None:
            subj = phrase
        elif kind == "gen":
            gens.append((marker_start, phrase))
            adjacent = False
    if obj is None and between is None and trigger in NOUN_TRIGGERS:
        obj = _object_after(tokens, t, hi, text)
    if any(p.group for p in (between, obj) if p is not None):
        return []  # a meeting with a group is no meeting between two named parties
    plural = trigger in _PLURAL_MEET or trigger in NOUN_TRIGGERS
    if between is not None or obj is None:
        together = between or _coordinated(subj, gens if plural else [], t)
        if together is None and not gens and subj is None and plural:
            together = _bare_subject(tokens, leftmost, lo, text)
        if together is None or len(together.persons) < 2:
            return []
        first = together.persons[0]
        return [(first, other) for other in together.persons[1:]]
    if subj is None and trigger in NOUN_TRIGGERS:
        # Only a meeting noun takes a genitive party ("X की Y से मुलाकात").
        subj = _genitive_subject(gens, obj)
    if subj is None:
        subj = _subject_after(tokens, t, hi, text, trigger)
    if subj is None and not pronoun_subject:
        subj = _bare_subject(tokens, min(leftmost, obj.start), lo, text)
    if subj is None:
        subj = _speaker(tokens, lo, text)
    if subj is None or not subj.persons or subj.group:
        return []
    return [(a, b) for a in subj.persons for b in obj.persons]


def _genitive_subject(gens: list[tuple[int, _Phrase]], obj: _Phrase) -> _Phrase | None:
    """The genitive naming the other party: "X की Y से मुलाकात", "Y से X की मुलाकात".

    A genitive right before a title ("पश्चिम बंगाल की मुख्यमंत्री Y") qualifies the title and
    names no party, unless it carries a title itself ("जदयू अध्यक्ष X की ...").
    """
    for marker, gen in gens:
        qualifies = marker + 1 == obj.start and obj.first_is_title
        has_role = any(p.role is not None for p in gen.persons)
        if gen.persons and (has_role or not qualifies):
            return gen
    return None


def _object_after(tokens: Sequence[Token], t: int, hi: int, text: str) -> _Phrase | None:
    """The party named after the meeting noun with से/के साथ: "X की मुलाकात Y से हुई"."""
    phrase = _phrase_after(tokens, t + 1, hi, text)
    if phrase is None or phrase.end >= hi:
        return None
    word = _key(tokens[phrase.end].text)
    nxt = _key(tokens[phrase.end + 1].text) if phrase.end + 1 < len(tokens) else ""
    after = phrase.end + (1 if word == "से" else 2)
    happened = _key(tokens[after].text) if after < len(tokens) else ""
    if (word == "से" or (word == "के" and nxt in {"साथ", "संग"})) and happened in _HAPPENED:
        return phrase
    return None


def _bare_subject(tokens: Sequence[Token], end: int, lo: int, text: str) -> _Phrase | None:
    """A subject without ने ("X कल Y से मिलेंगे"), skipping time words before ``end``."""
    k = end
    while k > lo and (_key(tokens[k - 1].text) in _TIME_WORDS or tokens[k - 1].text.isdigit()):
        k -= 1
    if k <= lo:
        return None
    return _phrase_before(tokens, k, lo, text)


def _unrealised(tokens: Sequence[Token], t: int, hi: int) -> bool:
    """Whether a meeting is only offered or wanted: "वार्ता की पेशकश", "मिलने की इच्छा"."""
    following = [_key(tok.text) for tok in tokens[t + 1 : min(hi, t + 3)]]
    return len(following) == 2 and following[0] in _GENITIVES and following[1] in _UNREALISED


def _coordinated(subj: _Phrase | None, gens: list[tuple[int, _Phrase]], t: int) -> _Phrase | None:
    """A phrase naming both parties: "X और Y ने मुलाकात की", "X और Y की मुलाकात"."""
    if subj is not None and len(subj.persons) >= 2:
        return subj
    if gens:
        marker, gen = gens[0]
        # Only the genitive of the meeting itself, a few words before it, names its parties.
        if t - marker <= 5 and len(gen.persons) >= 2:
            return gen
    return None


def _interview(tokens: Sequence[Token], t: int, hi: int) -> bool:
    """Whether "Y से बातचीत में कहा" makes this an interview with Y, not a meeting."""
    following = [_key(tok.text) for tok in tokens[t + 1 : min(hi, t + 6)]]
    return bool(following) and following[0] == "में" and any(k in _SAYING for k in following)


def _subject_after(tokens: Sequence[Token], t: int, hi: int, text: str, trigger: str) -> _Phrase | None:
    """The party named after the meeting word.

    Headlines put the subject last ("Y से मिले X"); and "Y से मुलाकात के बाद X ने ..." names
    the subject in the next clause.
    """
    if trigger in VERB_TRIGGERS and t + 1 < hi:
        begin = t + 1
        # "Y से मिलने (उनके आवास) पहुंचे X": step over the place of arrival.
        arrival = next((k for k in range(t + 1, min(hi, t + 6)) if _key(tokens[k].text) in _ARRIVAL), None)
        if arrival is not None:
            begin = arrival + 1
        phrase = _phrase_after(tokens, begin, hi, text) if begin < hi else None
        if phrase is not None and phrase.persons and phrase.end >= hi:
            return phrase
        # "Y से मिलीं बंगाल की मुख्यमंत्री": the genitive qualifies the title that follows.
        if phrase is not None and phrase.end + 1 < hi and _key(tokens[phrase.end].text) in _GENITIVES:
            titled = _phrase_after(tokens, phrase.end + 1, hi, text)
            if titled is not None and titled.persons and titled.first_is_title:
                return titled
    following = [_key(tok.text) for tok in tokens[t + 1 : t + 4]]
    if not any(k in _AFTER_LINKS for k in following):
        return None
    end = len(tokens)
    for j in range(t + 1, min(end, t + 16)):
        if tokens[j].text in _BOUNDARY_MARKS and tokens[j].text != ",":
            break
        if _key(tokens[j].text) == "ने":
            return _phrase_before(tokens, j, t + 1, text)
    return None


# --- English -----------------------------------------------------------------------------------

_EN_TITLES: frozenset[str] = (
    word_set("""Chief Minister Prime President Vice Governor Mr Mrs Ms Dr Shri Smt Foreign Home Defence
    Finance External Affairs Union Deputy Leader Chairman Speaker Ambassador High Commissioner
    CM PM Secretary General King Queen Senator Chancellor Premier Former US UK The""")
)
_EN_SKIP: frozenset[str] = word_set(
    f"""on today yesterday also later earlier reportedly finally had has have will would
    recently last this week morning evening night separately briefly
    {_EN_WEEKDAYS.replace("|", " ")} {_EN_MONTHS.replace("|", " ")}"""
)
# Group nouns: "met Congress workers", "met party MLAs" are no meetings of two named parties.
_EN_GROUPS: frozenset[str] = (
    word_set("""workers leaders officials farmers members supporters delegation delegates MLAs MPs
    ministers students volunteers representatives activists legislators councillors officers
    team executives people residents journalists reporters media party""")
)
# Lowercase role nouns between a modifier and a name ("Russian counterpart Sergei Lavrov").
_EN_ROLE_NOUNS: frozenset[str] = word_set(
    "counterpart leader chief minister president founder head spokesperson"
)
_EN_DETERMINERS: frozenset[str] = word_set("with the his her their its visiting")
_EN_VERBS: frozenset[str] = frozenset({"met", "meets", "meet"})
_NUKTA = "\u093c"
_EN_NOUNS: frozenset[str] = frozenset({"talks", "meeting", "talked", "discussions"})
# Any meeting word of either language, as a substring: a text without one holds no meeting.
_ANY_TRIGGER = re.compile(
    "|".join(sorted(map(re.escape, NOUN_TRIGGERS | VERB_TRIGGERS), key=len, reverse=True))
    + r"|\b(?:"
    + "|".join(sorted(_EN_VERBS | _EN_NOUNS))
    + r")\b",
    re.IGNORECASE,
)


def _cap(token: Token) -> bool:
    return token.text[:1].isupper() and token.text.isalpha()


def _en_person(words: list[str]) -> Person | None:
    """A Latin phrase → person: leading title words become the role."""
    if not words or words[-1] in _EN_GROUPS:
        return None
    k = 0
    while k < len(words) - 1 and words[k].rstrip(".") in _EN_TITLES:
        k += 1
    if k == len(words) - 1 and words[k] in _EN_TITLES:
        k = len(words)
    role = " ".join(w for w in words[:k] if w != "The") or None
    name = " ".join(words[k:])
    if not name:
        return Person(role, role) if role else None
    return Person(name, role)


def _en_run_before(tokens: Sequence[Token], end: int) -> list[str]:
    j = end - 1
    skipped = 0
    while j >= 0 and skipped < 4 and (tokens[j].text in _EN_SKIP or tokens[j].text.isdigit()):
        j -= 1
        skipped += 1
    words: list[str] = []
    while j >= 0 and (_cap(tokens[j]) or (tokens[j].text == "." and j > 0 and _cap(tokens[j - 1]))):
        if tokens[j].text == ".":
            words.insert(0, tokens[j - 1].text + ".")
            j -= 2
            continue
        words.insert(0, tokens[j].text)
        j -= 1
    return words


def _en_run_after(tokens: Sequence[Token], begin: int) -> list[str] | None:
    """The capitalised run starting at ``begin``; ``None`` when it only modifies a group noun."""
    j = begin
    while j < len(tokens) and tokens[j].text in _EN_DETERMINERS:
        j += 1
    words: list[str] = []
    while j < len(tokens):
        tok = tokens[j]
        if _cap(tok):
            words.append(tok.text)
        elif tok.text == "." and words and len(words[-1]) == 1:
            words[-1] += "."  # an initial: "S. Jaishankar"
        elif tok.text in _EN_ROLE_NOUNS and j + 1 < len(tokens) and _cap(tokens[j + 1]):
            words = []  # "his Russian counterpart Sergei Lavrov": the name comes after the role
        else:
            break
        j += 1
    if j < len(tokens) and tokens[j].text in _EN_GROUPS:
        return None
    return words


def _split_and(words: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for w in words:
        if w == "and":
            parts.append([])
        else:
            parts[-1].append(w)
    return parts


def _english_pairs(tokens: Sequence[Token]) -> list[tuple[Person, Person]]:
    """Pairs from "X met Y", "X and Y met", "talks between X and Y", "X held talks with Y"."""
    pairs: list[tuple[Person, Person]] = []
    texts = [tok.text for tok in tokens]
    for t, surface in enumerate(texts):
        word = surface.lower()
        left: list[list[str]] = []
        right: list[str] | None = None
        if word in _EN_NOUNS and t + 1 < len(texts) and texts[t + 1] == "between":
            run: list[str] = []
            j = t + 2
            while j < len(texts) and (_cap(tokens[j]) or texts[j] == "and"):
                run.append(texts[j])
                j += 1
            parts = [p for p in _split_and(run) if p]
            if len(parts) == 2:
                left, right = [parts[0]], parts[1]
        elif word in _EN_VERBS | _EN_NOUNS:
            before = _before_with_and(tokens, t)
            after = _en_run_after(tokens, t + 1)
            if word in _EN_NOUNS and (t + 1 >= len(texts) or texts[t + 1] != "with"):
                after = None
            if after:
                left, right = before, after
            elif len(before) == 2 and word in {"met", "meet"}:
                left, right = [before[0]], before[1]
        if not left or not right:
            continue
        b = _en_person(right)
        for part in left:
            a = _en_person(part)
            if a is not None and b is not None:
                pairs.append((a, b))
    return pairs


def _before_with_and(tokens: Sequence[Token], t: int) -> list[list[str]]:
    """The party (or "X and Y") before an English meeting word, skipping auxiliaries and dates."""
    j = t
    while j > 0 and tokens[j - 1].text in {"held", "had", "a", "'", "’", "s", "with", "the"}:
        j -= 1
    last = _en_run_before(tokens, j)
    if not last:
        return []
    # Walk back over "X and" to a second party.
    k = j - 1
    while k >= 0 and (_cap(tokens[k]) or tokens[k].text in _EN_SKIP or tokens[k].text == "."):
        k -= 1
    if k >= 1 and tokens[k].text == "and":
        first = _en_run_before(tokens, k)
        if first:
            return [first, last]
    return [last]


# --- sentences, places, dates ------------------------------------------------------------------


def _split_sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of ``text``, whitespace trimmed, none empty.

    Sentences end at "।", "॥", "?", "!", a line break (headlines carry no full stop), and a
    full stop followed by a space, unless it closes an initial or an abbreviation.
    """
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch in "।॥?!\n":
            ends.append(i + 1)
        elif ch == "." and (i + 1 == len(text) or text[i + 1].isspace()):
            k = i
            while k > 0 and is_word_char(text[k - 1]):
                k -= 1
            word = text[k:i]
            is_initial = len(word) == 1 and word.isupper()
            if word not in _ABBREVIATIONS and not is_initial:
                ends.append(i + 1)
    spans: list[tuple[int, int]] = []
    start = 0
    for end in [*ends, len(text)]:
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and any(c.isalnum() for c in text[s:e]):
            spans.append((s, e))
        start = max(start, end)
    return spans


def _place(tokens: Sequence[Token], text: str, near: int) -> str | None:
    """The place the sentence gives ("X में", "X पहुंचे", "in X"), nearest to token ``near``."""
    best: tuple[int, str] | None = None
    for j, tok in enumerate(tokens):
        word = _key(tok.text)
        name: str | None = None
        if word == "में" or word in _ARRIVAL:
            phrase = _phrase_before(tokens, j, 0, text)
            if phrase is not None and len(phrase.persons) == 1 and not phrase.group:
                words = [_key(tokens[k].text) for k in range(phrase.start, phrase.end)]
                if not any(w in _NOT_PLACES for w in words):
                    name = text[tokens[phrase.start].start : tokens[phrase.end - 1].end]
        elif tok.text in {"in", "at"} and j + 1 < len(tokens) and _cap(tokens[j + 1]):
            k = j + 1
            while k < len(tokens) and _cap(tokens[k]):
                k += 1
            name = text[tokens[j + 1].start : tokens[k - 1].end]
            if name in _EN_SKIP:
                name = None
        if name is not None and (best is None or abs(j - near) < best[0]):
            best = (abs(j - near), name)
    return best[1] if best else None


def _dates(sentence: str) -> list[str]:
    """Date phrases standing as whole words ("आज", not the start of "आजाद")."""
    found: list[str] = []
    for m in _DATE_RE.finditer(sentence):
        before = sentence[m.start() - 1] if m.start() > 0 else " "
        after = sentence[m.end()] if m.end() < len(sentence) else " "
        if not is_word_char(before) and not is_word_char(after):
            found.append(m.group())
    return found


def _date(sentence: str) -> str | None:
    """The most specific date phrase in a sentence ("शुक्रवार (17 मार्च)" before "आज")."""
    found = _dates(sentence)
    specific = [d for d in found if d not in _RELATIVE_DATES]
    if specific:
        return max(specific, key=len)
    return found[0] if found else None


def _report_date(sentences: Iterable[str]) -> str | None:
    """The report's date, when all its specific date phrases agree; else ``None``."""
    found = [d for s in sentences for d in _dates(s)]
    specific = [d for d in found if d not in _RELATIVE_DATES]
    if not specific:
        return None
    longest = max(specific, key=len)
    # Agreement: every phrase is part of the longest ("शुक्रवार" inside "शुक्रवार (17 मार्च)").
    if all(d in longest for d in specific):
        return longest
    return None


def _report_place(places: Sequence[str]) -> str | None:
    """The place a report dwells on: most mentioned, twice at least, 60% of mentions or more."""
    if not places:
        return None
    counts = Counter(places).most_common()
    name, count = counts[0]
    if count >= 2 and count >= 0.6 * len(places):
        return name
    return None


def _analyse(sentence: str) -> tuple[_Found, list[Token]]:
    """Pairs, place and date of one sentence, without any report context."""
    tokens = tokenize_words(sentence)
    pairs: list[tuple[Person, Person]] = []
    first_trigger = -1
    for t, tok in enumerate(tokens):
        word = _key(tok.text)
        if word in NOUN_TRIGGERS or word in VERB_TRIGGERS:
            found = _pairs_at(tokens, t, sentence)
            if found and first_trigger < 0:
                first_trigger = t
            pairs.extend(found)
    if has_latin(sentence, 2):
        english = _english_pairs(tokens)
        if english and first_trigger < 0:
            first_trigger = next(
                (i for i, tok in enumerate(tokens) if tok.text.lower() in _EN_VERBS | _EN_NOUNS), 0
            )
        pairs.extend(english)
    pairs = _dedupe_pairs(pairs)
    if not pairs:
        return _Found([], None, None), tokens
    return _Found(pairs, _place(tokens, sentence, first_trigger), _date(sentence)), tokens


def _dedupe_pairs(pairs: list[tuple[Person, Person]]) -> list[tuple[Person, Person]]:
    kept: list[tuple[Person, Person]] = []
    for a, b in pairs:
        if names_match(a.name, b.name):
            continue  # one party named twice ("X ने X से") is a parsing slip, not a meeting
        if any(_same_pair((a, b), k) for k in kept):
            continue
        kept.append((a, b))
    return kept


def _same_pair(p: tuple[Person, Person], q: tuple[Person, Person]) -> bool:
    (a, b), (c, d) = p, q
    return (a.name == c.name and b.name == d.name) or (a.name == d.name and b.name == c.name)


def extract_from_sentence(sentence: str) -> list[tuple[str, str]]:
    """The pairs of names one sentence reports as meeting, read without any other context."""
    found, _ = _analyse(sentence)
    return [(a.name, b.name) for a, b in found.pairs]


def _register_mentions(registry: Registry, tokens: Sequence[Token], text: str) -> None:
    """Remember every titled or full name a sentence introduces, for later short references."""
    markers = {"ने", "से", "की", "का", "के", "को", "में", "और", "पर"}
    for j, tok in enumerate(tokens):
        if _key(tok.text) in markers or tok.text in _BOUNDARY_MARKS:
            phrase = _phrase_before(tokens, j, 0, text)
            if phrase is not None:
                for person in phrase.persons:
                    registry.add(person)


def _informative(m: Meeting) -> int:
    return (m.place is not None) + (m.when is not None) + (m.a.role is not None) + (m.b.role is not None)


def mentions_meeting(text: str) -> bool:
    """Whether the text holds any meeting word at all.

    A cheap test that spares most reports the full analysis; it never says no to a text the rules
    would find a meeting in.
    """
    return _ANY_TRIGGER.search(unicodedata.normalize("NFC", text).replace(_NUKTA, "")) is not None


def extract_meetings(text: str, *, title: str | None = None) -> list[Meeting]:
    """Every meeting between two named parties a report tells of, one per pair.

    Short references resolve to the full names the report introduced earlier (the title
    counts as earlier). A meeting without a date in its sentence takes the report's date when
    every specific date phrase in the report (and title) agrees; one without a place takes the
    place the report mentions most, if it clearly dominates. The same pair reported twice keeps
    the most informative sentence (place, date and roles given; the first on a tie), and takes
    a missing place or date from the other reports of it.

    Args:
        text: the report body.
        title: the report's headline, if kept apart from the body; read first.

    Returns:
        The meetings in order of first mention; an empty list when there are none.
    """
    if not mentions_meeting(f"{title or ''}\n{text}"):
        return []
    registry = Registry()
    spans = _split_sentences(text)
    sentences = [text[s:e] for s, e in spans]
    titled = ([title] if title else []) + sentences
    report_date = _report_date(titled)
    places: list[str] = []
    raw: list[tuple[Meeting, bool]] = []
    if title:
        _register_mentions(registry, tokenize_words(title), title)
        found, _ = _analyse(title)
        # A title meeting has no offsets in ``text``; it only lends place and date below.
        for a, b in found.pairs:
            m = Meeting(registry.resolve(a), registry.resolve(b), found.place, found.when, "", 0, 0)
            raw.append((m, False))
    for (start, end), sentence in zip(spans, sentences, strict=True):
        found, tokens = _analyse(sentence)
        _register_mentions(registry, tokens, sentence)
        sentence_places = _place(tokens, sentence, 0)
        if sentence_places:
            places.append(sentence_places)
        for a, b in found.pairs:
            m = Meeting(
                registry.resolve(a), registry.resolve(b), found.place, found.when, sentence, start, end
            )
            raw.append((m, True))
    return _merge(raw, report_date, _report_place(places))


def _merge(
    raw: list[tuple[Meeting, bool]], report_date: str | None, report_place: str | None
) -> list[Meeting]:
    """One meeting per pair: the most informative sentence, gaps filled from the others."""
    groups: list[list[tuple[Meeting, bool]]] = []
    for item in raw:
        m = item[0]
        for group in groups:
            g = group[0][0]
            if _same_pair((m.a, m.b), (g.a, g.b)):
                group.append(item)
                break
        else:
            groups.append([item])
    merged: list[Meeting] = []
    for group in groups:
        in_text = [m for m, ok in group if ok]
        if not in_text:
            continue
        best = max(in_text, key=_informative)  # max keeps the first on a tie
        place = best.place or next((m.place for m, _ in group if m.place), None) or report_place
        when = best.when
        if when is None or when in _RELATIVE_DATES:
            specific = next((m.when for m, _ in group if m.when and m.when not in _RELATIVE_DATES), None)
            when = specific or report_date or when
        merged.append(replace(best, place=place, when=when))
    return merged


# --- evaluation --------------------------------------------------------------------------------


def evaluate(rows: Iterable[Mapping[str, object]]) -> MeetingScores:
    """Score `extract_from_sentence` against rows of ``{"id", "text", "pairs"}``.

    A found pair matches an expected one, in either order, when both names match
    (`names_match`: one contains the other). Each expected pair is matched at most once.

    Raises:
        ValueError: a row lacks ``text`` or ``pairs``.
    """
    tp = fp = fn = n = 0
    misses: list[Miss] = []
    for row in rows:
        text, expected = _row(row)
        n += 1
        found = extract_from_sentence(text)
        unmatched = list(expected)
        hits = 0
        for a, b in found:
            for i, (x, y) in enumerate(unmatched):
                if (names_match(a, x) and names_match(b, y)) or (names_match(a, y) and names_match(b, x)):
                    del unmatched[i]
                    hits += 1
                    break
        tp += hits
        fp += len(found) - hits
        fn += len(unmatched)
        if unmatched or hits < len(found):
            misses.append(Miss(str(row.get("id", n)), text, tuple(expected), tuple(found)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return MeetingScores(precision, recall, f1, n, tuple(misses))


def _row(row: Mapping[str, object]) -> tuple[str, list[tuple[str, str]]]:
    text = row.get("text")
    pairs = row.get("pairs")
    if not isinstance(text, str) or not isinstance(pairs, list):
        raise ValueError("each row needs 'text' (a string) and 'pairs' (a list of [name, name])")
    expected: list[tuple[str, str]] = []
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(f"a pair must be two names, got {pair!r}")
        expected.append((str(pair[0]), str(pair[1])))
    return text, expected
