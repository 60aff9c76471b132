"""The Hindi constructions that report a meeting, read around one meeting word.

"X ने Y से मुलाकात की", "X की Y से मुलाकात", "Y से मिले X", "X और Y के बीच वार्ता",
"X ने कहा कि Y से बातचीत हुई" and their kin: `_pairs_at` finds the parties around the meeting
word at one token, within its clause (`_window`), and rejects talks only offered or wanted, interviews
and meetings with groups. The word lists that steer these rules live here too.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.meeting_guards import SAYING, not_held
from retrieval.meeting_phrases import _GENITIVES, _key, _nameish, _Phrase, _phrase_after, _phrase_before
from retrieval.meeting_speaker import FIRST_PERSON, speaker
from retrieval.names import Person, Token, word_set

# Meeting nouns and verb forms (nukta already folded away by `_key`).
NOUN_TRIGGERS: frozenset[str] = word_set("""मुलाकात मुलाकातें भेंट भेंटवार्ता बातचीत वार्ता वार्ताएं बैठक बैठकें मीटिंग
    बात""")
# "बात" is a talk only as "Y से बात की/करते/हुई"; "इस बात की" is "the matter".
_TALK_VERBS: frozenset[str] = word_set("की कर करते करके करने करनी करना करेंगे करेंगी करेगा करता करती हुई हो होती होगी")
_NOT_TALK_BEFORE: frozenset[str] = word_set("इस उस यह वह किसी कोई एक अपनी इसी उसी ऐसी कई सारी यही वही हर")
# Talks, not meetings in person: "X और Y में बातचीत हुई" reads "between" only for these.
_TALK_NOUNS: frozenset[str] = word_set("बातचीत वार्ता वार्ताएं बात")
VERB_TRIGGERS: frozenset[str] = word_set("""मिले मिलीं मिली मिला मिलने मिलकर मिलेंगे मिलेंगी मिलेगा मिलें""")
# Words that end the stretch of a sentence a meeting's parties are looked for in.
_BOUNDARY_WORDS: frozenset[str] = word_set("कि जबकि लेकिन मगर परंतु किंतु जिसमें जहां जहाँ")
_BOUNDARY_MARKS: frozenset[str] = frozenset("।॥.!?;:,\"“”‘’'|")
# After "Y से मुलाकात", these words introduce the clause whose subject met Y.
_AFTER_LINKS: frozenset[str] = word_set("बाद दौरान पश्चात कर करके पहले")
# Pronoun subjects fused with ने, and pronoun genitives ("उनकी भेंट Y से हुई").
_PRONOUN_SUBJECTS: frozenset[str] = (
    word_set("उन्होंने उसने इन्होंने उनकी उसकी इनकी उनका उसका उनके उसके वह वे वो") | FIRST_PERSON
)
# "X की मुलाकात Y से हुई": the verb that must follow the party named after the noun.
_HAPPENED: frozenset[str] = word_set(
    "हुई हुआ हुए होगी होगा होंगी होती होता हो की किया करेंगे करेंगी करेगा कर करने कराई करवाई कराया करवाया"
)
_POSSESSIVES: frozenset[str] = word_set("उनके उनकी उनका उसके उसकी अपने अपनी अपना")
# "के" before these is a compound postposition ("के बाद"), not a genitive of a party.
_COMPOUND_TAILS: frozenset[str] = word_set(
    "बाद दौरान लिए लिये पहले बारे खिलाफ मुताबिक अनुसार कारण तहत बजाय अलावा सामने बीच साथ"
)
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
    शनिवार रविवार बजे पिछले अगले इस माह महीने हफ्ते सप्ताह दिन साल""")
)
_AND_WORDS: frozenset[str] = word_set("और तथा एवं")
# Verbs and auxiliaries that end a clause before "और" starts the next one.
_CLAUSE_ENDS: frozenset[str] = word_set("है हैं था थे थी गए गई गया आए आई पहुंचे पहुंची हुए")
_POSTPOSITIONS: frozenset[str] = word_set("ने से को में पर का की के तक")
# Verbs of arrival: "कोलकाता पहुंचे X" gives the place.
_ARRIVAL: frozenset[str] = word_set("पहुंचे पहुँचे पहुंची पहुँची पहुंचीं पहुंचा")
# "Y से मिलने गए X": going to meet, like arriving to meet.
_GONE: frozenset[str] = word_set("गए गई गया गये गयी गईं")
_HEADLINE_ENDS: frozenset[str] = frozenset(",।.!?|:;-")
_OWN: frozenset[str] = word_set("अपने अपनी अपना भी")


def _is_boundary(token: Token) -> bool:
    return token.text in _BOUNDARY_MARKS or _key(token.text) in _BOUNDARY_WORDS


def _window(tokens: Sequence[Token], t: int) -> tuple[int, int]:
    """The token range of the clause around trigger ``t``; the commas of a list ("A, B और C") stay inside."""
    lo = t
    while lo > 0 and (not _is_boundary(tokens[lo - 1]) or _list_comma(tokens, lo - 1)):
        lo -= 1
    hi = t + 1
    while hi < len(tokens) and (not _is_boundary(tokens[hi]) or _list_comma(tokens, hi)):
        hi += 1
    return lo, hi


def _list_comma(tokens: Sequence[Token], c: int) -> bool:
    """Whether the comma at ``c`` separates names of a list that "और" closes: "A, B और C"."""
    if tokens[c].text != "," or c == 0 or not _nameish(tokens[c - 1]):
        return False
    for k in range(c + 1, min(len(tokens), c + 8)):
        if _key(tokens[k].text) in _AND_WORDS:
            return k > c + 1
        if not _nameish(tokens[k]):
            return False
    return False


def _speaker(tokens: Sequence[Token], lo: int, text: str) -> _Phrase | None:
    """For a clause after "X ने ... कहा कि", the phrase X; else ``None``."""
    if lo == 0 or _key(tokens[lo - 1].text) != "कि":
        return None
    start = lo - 1
    while start > 0 and tokens[start - 1].text not in _BOUNDARY_MARKS:
        start -= 1
    keys = [_key(tok.text) for tok in tokens[start : lo - 1]]
    if not any(k in SAYING for k in keys):
        return None
    for j in range(lo - 2, start - 1, -1):
        if _key(tokens[j].text) == "ने":
            return _phrase_before(tokens, j, start, text)
    return None


def _pairs_at(tokens: Sequence[Token], t: int, text: str) -> list[tuple[Person, Person]]:
    """The pairs of parties around the meeting word at token ``t``."""
    lo, hi = _window(tokens, t)
    trigger = _key(tokens[t].text)
    if not_held(tokens, t, lo, hi):
        return []
    nxt_word = _key(tokens[t + 1].text) if t + 1 < len(tokens) else ""
    if trigger in VERB_TRIGGERS and nxt_word in _NOT_MEETING_NEXT:
        return []
    if trigger == "बात" and (
        nxt_word not in _TALK_VERBS or (t > lo and _key(tokens[t - 1].text) in _NOT_TALK_BEFORE)
    ):
        return []
    loose = 0  # words between "Y से" and a meeting noun that belong to no phrase
    obj: _Phrase | None = None
    between: _Phrase | None = None
    subj: _Phrase | None = None
    gens: list[tuple[int, _Phrase]] = []
    pronoun: str | None = None  # the pronoun standing as subject, if any
    adjacent = True  # nothing but places, dates and fillers between "Y से" and the verb
    leftmost = t
    j = t - 1
    while j >= lo:
        word = _key(tokens[j].text)
        prev = _key(tokens[j - 1].text) if j - 1 >= lo else ""
        nxt = _key(tokens[j + 1].text) if j + 1 < len(tokens) else ""
        marker_start = j
        kind = ""
        if word == "से" and not (
            j - 1 >= lo and j + 1 < len(tokens) and tokens[j - 1].text == tokens[j + 1].text
        ):
            kind = "obj"  # but "जल्द से जल्द", "कम से कम" are idioms, not a party
        elif word in {"साथ", "संग"} and prev == "के":
            kind, marker_start = "obj", j - 1
        elif word in {"बीच", "मध्य"} and prev in {"के", "की"}:  # "की बीच" is a common slip
            kind, marker_start = "between", j - 1
        elif (
            word == "में"
            and trigger in _TALK_NOUNS
            and all(_key(x.text) in {"हुई", "हुईं"} for x in tokens[j + 1 : t])
        ):
            kind = "among"  # "X और Y में बातचीत हुई"
        elif word == "ने":
            kind = "subj"
        elif word in _GENITIVES:
            kind = "skip" if nxt in _COMPOUND_TAILS else "gen"
        elif word in {"में", "को", "पर"}:
            kind = "skip"
        elif word in _PRONOUN_SUBJECTS:
            pronoun = pronoun or word
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
        elif (
            between is None
            and obj is None
            and (kind == "between" or (kind == "among" and len(phrase.persons) >= 2))
        ):
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
    if trigger == "बात" and obj is None and between is None:
        return []  # "बात" names a talk only with its other party: "Y से बात की"
    plural = trigger in _PLURAL_MEET or trigger in NOUN_TRIGGERS
    if between is not None or obj is None:
        if trigger == "मिलकर" and between is None:
            return []  # "X और Y ने मिलकर": together, not a meeting
        together = between or _coordinated(subj, gens if plural else [], t)
        if together is None and not gens and subj is None and plural:
            together = _bare_subject(tokens, leftmost, lo, text)
            # "X और Y मिले" opens its clause; "ना जाने कैसे शक्ति और साधन मिले" means "got".
            if together is not None and not _opens_clause(tokens, lo, together.start):
                together = None
        if together is None or len(together.persons) < 2:
            return []
        first = together.persons[0]
        return [(first, other) for other in together.persons[1:]]
    if subj is None and trigger in NOUN_TRIGGERS:
        # Only a meeting noun takes a genitive party ("X की Y से मुलाकात").
        subj = _genitive_subject(tokens, gens, obj)
    if subj is None:
        subj = _subject_after(tokens, t, hi, text, trigger)
    if subj is None and trigger in NOUN_TRIGGERS and pronoun is None:
        subj = _subject_later(tokens, t, text)
    if subj is None and pronoun is None:
        subj = _bare_subject(tokens, min(leftmost, obj.start), lo, text)
    if subj is None and pronoun is None and trigger in VERB_TRIGGERS:
        subj = _initial_subject(tokens, lo, obj.start, text)
    if subj is None and pronoun is not None:
        subj = speaker(tokens, lo, text, pronoun)
    if subj is None:
        subj = _speaker(tokens, lo, text)
    if subj is None or not subj.persons or subj.group:
        return []
    return [(a, b) for a in subj.persons for b in obj.persons]


def _genitive_subject(
    tokens: Sequence[Token], gens: list[tuple[int, _Phrase]], obj: _Phrase
) -> _Phrase | None:
    """The genitive naming the other party: "X की Y से मुलाकात", "Y से X की मुलाकात".

    Meeting nouns are feminine, so only "की" names a party; "X के Y से" qualifies Y ("पाकिस्तान के
    हॉकी संघ से बातचीत"). A genitive right before a title ("पश्चिम बंगाल की मुख्यमंत्री Y")
    qualifies the title and names no party, unless it carries a title itself ("जदयू अध्यक्ष X की").
    """
    for marker, gen in gens:
        if _key(tokens[marker].text) != "की":
            continue
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
    # "X अपने कोच Y से मिलने पहुंचे": the possessive belongs to Y, the subject stands before it.
    while k > lo and (_key(tokens[k - 1].text) in _TIME_WORDS | _OWN or tokens[k - 1].text.isdigit()):
        k -= 1
    if k <= lo:
        return None
    return _phrase_before(tokens, k, lo, text)


def _opens_clause(tokens: Sequence[Token], lo: int, start: int) -> bool:
    """Whether only time words and digits stand between the clause start ``lo`` and ``start``."""
    return all(_key(tok.text) in _TIME_WORDS or tok.text.isdigit() for tok in tokens[lo:start])


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


def _subject_after(tokens: Sequence[Token], t: int, hi: int, text: str, trigger: str) -> _Phrase | None:
    """The party named after the meeting word.

    Headlines put the subject last ("Y से मिले X"); and "Y से मुलाकात के बाद X ने ..." names
    the subject in the next clause.
    """
    if trigger in VERB_TRIGGERS and t + 1 < hi:
        begin = t + 1
        # "Y से मिलने (उनके आवास) पहुंचे X": step over the place of arrival.
        arrival = next(
            (k for k in range(t + 1, min(hi, t + 6)) if _key(tokens[k].text) in _ARRIVAL | _GONE), None
        )
        if arrival is not None:
            begin = arrival + 1
        # "Y से मिलने [कहीं] निकले": without a verb of going the infinitive is followed by no name.
        headline = arrival is not None or trigger != "मिलने"
        phrase = _phrase_after(tokens, begin, hi, text) if begin < hi and headline else None
        # The subject ends a headline: at the end of the sentence or before a comma, not a quote.
        ends = hi >= len(tokens) or tokens[hi].text in _HEADLINE_ENDS
        if phrase is not None and phrase.persons and phrase.end >= hi and ends:
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


def _subject_later(tokens: Sequence[Token], t: int, text: str) -> _Phrase | None:
    """The party named after a meeting noun that has only its other party before it.

    "Y से हुई मुलाकात ने X के जीवन को बदल दिया" (the meeting changed X's life), and the memory of
    a meeting: "Y से मुलाकात को याद करते हुए X ने लिखा", "Y से मुलाकात X को आज भी याद है".
    """
    n = len(tokens)
    if t + 1 < n and _key(tokens[t + 1].text) == "ने":
        phrase = _phrase_after(tokens, t + 2, n, text)
        if phrase is None or not phrase.persons or phrase.group or phrase.end >= n:
            return None
        return phrase if _key(tokens[phrase.end].text) in _GENITIVES else None
    end = t + 1
    while end < min(n, t + 14) and not _is_boundary(tokens[end]):
        end += 1
    keys = [_key(tok.text) for tok in tokens[t + 1 : end]]
    if "याद" not in keys:
        return None
    for j in range(t + 1, end):
        word = keys[j - t - 1]
        remembers = word == "को" and "याद" in keys[j - t : j - t + 4]
        if word == "ने" or remembers:
            phrase = _phrase_before(tokens, j, t + 1, text)
            if phrase is not None and phrase.persons and not phrase.group:
                return phrase
    return None


def _initial_subject(tokens: Sequence[Token], lo: int, end: int, text: str) -> _Phrase | None:
    """The subject of "X [कुछ] हैं और ... Y से मिले थे": the nominative that opens the clause."""
    joined = any(
        _key(tokens[k].text) in _AND_WORDS and _key(tokens[k - 1].text) in _CLAUSE_ENDS
        for k in range(lo + 1, end)
    )
    if not joined:
        return None
    k = lo
    # An oblique plural ("बंदूकों के विशेषज्ञ") starts the predicate, not the name.
    while k < end and _nameish(tokens[k]) and not _key(tokens[k].text).endswith(("ों", "ओं")):
        k += 1
    if k == lo or k >= end or _key(tokens[k].text) in _POSTPOSITIONS:
        return None
    phrase = _phrase_after(tokens, lo, k, text)
    if phrase is None or phrase.group or len(phrase.persons) != 1:
        return None
    return phrase
