"""The Hindi constructions that report a meeting, read around one meeting word.

"X ने Y से मुलाकात की", "X की Y से मुलाकात", "Y से मिले X", "X और Y के बीच वार्ता",
"X ने कहा कि Y से बातचीत हुई" and their kin: `hindi_pairs` finds the parties around the meeting
word at one token, within its clause (`clause.clause_window`), walking left over the postpositions;
`subjects` finds the parties that stand elsewhere, `guards` rejects meetings not held.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.meetings.clause import (
    NOUN_TRIGGERS,
    TIME_WORDS,
    VERB_TRIGGERS,
    bare_subject,
    clause_window,
    opens_clause,
)
from retrieval.meetings.guards import not_held, permitted
from retrieval.meetings.names import Person
from retrieval.meetings.phrases import GENITIVES, Phrase, phrase_before, word_key
from retrieval.meetings.speaker import FIRST_PERSON, speaker
from retrieval.meetings.subjects import (
    comma_subject,
    coordinated_subject,
    genitive_subject,
    hyphenated_pair,
    initial_subject,
    object_after,
    quoted_speaker,
    subject_after,
    subject_later,
)
from retrieval.meetings.words import word_set
from retrieval.types import Token

# "बात" is a talk only as "Y से बात की/करते/हुई"; "इस बात की" is "the matter".
_TALK_VERBS: frozenset[str] = word_set("की कर करते करके करने करनी करना करेंगे करेंगी करेगा करता करती हुई हो होती होगी")
_NOT_TALK_BEFORE: frozenset[str] = word_set("इस उस यह वह किसी कोई एक अपनी इसी उसी ऐसी कई सारी यही वही हर")
# Talks, not meetings in person: "X और Y में बातचीत हुई" reads "between" only for these.
_TALK_NOUNS: frozenset[str] = word_set("बातचीत वार्ता वार्ताएं बात")
# Pronoun subjects fused with ने, and pronoun genitives ("उनकी भेंट Y से हुई").
_PRONOUN_SUBJECTS: frozenset[str] = (
    word_set("उन्होंने उसने इन्होंने उनकी उसकी इनकी उनका उसका उनके उसके वह वे वो") | FIRST_PERSON
)
_POSSESSIVES: frozenset[str] = word_set("उनके उनकी उनका उसके उसकी अपने अपनी अपना")
# "के" before these is a compound postposition ("के बाद"), not a genitive of a party.
_COMPOUND_TAILS: frozenset[str] = word_set(
    "बाद दौरान लिए लिये पहले बारे खिलाफ मुताबिक अनुसार कारण तहत बजाय अलावा सामने बीच साथ"
)
# Plural verb forms: only these report "X और Y मिले" (singular "मिला"/"मिली" also mean "got").
_PLURAL_MEET: frozenset[str] = word_set("मिले मिलीं मिलेंगे मिलेंगी मिलें")
# After a verb of meeting, these make it mean "mixed", "similar", "made of" or "to be had", not "met".
_NOT_MEETING_NEXT: frozenset[str] = word_set("- जुले जुलते बना बनी बने बनता बनती हुआ वाले वाली वाला")
# Auxiliaries and verbs that close a clause: between "Y से" and the meeting word they show
# that से belonged to another verb ("सिंहासन से उतार दिया गया और ... बातचीत").
_CLAUSE_VERBS: frozenset[str] = word_set("है हैं था थी थे गया गई गए दिया दी दिए किया किए लिया बना और तथा एवं")
# Words that may stand between "Y से" and a verb of meeting without breaking the construction.
_FILLERS: frozenset[str] = word_set("भी ही नहीं न जाकर आकर फिर दोबारा अलग अलग से")
_HAPPENED_AFTER: frozenset[str] = word_set("हुई होगी हुआ होती हो")


def hindi_pairs(tokens: Sequence[Token], t: int, text: str) -> list[tuple[Person, Person]]:
    """The pairs of parties around the meeting word at token ``t``."""
    lo, hi = clause_window(tokens, t)
    trigger = word_key(tokens[t].text)
    if not_held(tokens, t, lo, hi):
        return []
    nxt_word = word_key(tokens[t + 1].text) if t + 1 < len(tokens) else ""
    if trigger in VERB_TRIGGERS and nxt_word in _NOT_MEETING_NEXT:
        return []
    if trigger == "बात" and (
        nxt_word not in _TALK_VERBS or (t > lo and word_key(tokens[t - 1].text) in _NOT_TALK_BEFORE)
    ):
        return []
    if trigger == "भेंट" and not _held_visit(tokens, t, hi):
        return []  # "भेजी गई भेंट के विवरण": a gift; a meeting "भेंट" is done or held
    if trigger in NOUN_TRIGGERS and (pair := hyphenated_pair(tokens, t, lo, text)) is not None:
        return [pair]
    loose = 0  # words between "Y से" and a meeting noun that belong to no phrase
    obj: Phrase | None = None
    between: Phrase | None = None
    subj: Phrase | None = None
    gens: list[tuple[int, Phrase]] = []
    pronoun: str | None = None  # the pronoun standing as subject, if any
    dative: Phrase | None = None  # "X को": the one allowed to meet in "X को Y से मिलने की इजाजत"
    adjacent = True  # nothing but places, dates and fillers between "Y से" and the verb
    leftmost = t
    j = t - 1
    while j >= lo:
        word = word_key(tokens[j].text)
        prev = word_key(tokens[j - 1].text) if j - 1 >= lo else ""
        nxt = word_key(tokens[j + 1].text) if j + 1 < len(tokens) else ""
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
            and all(word_key(x.text) in {"हुई", "हुईं"} for x in tokens[j + 1 : t])
        ):
            kind = "among"  # "X और Y में बातचीत हुई"
        elif word == "ने":
            kind = "subj"
        elif word == "द्वारा":  # the passive's agent: "X द्वारा Y से मुलाकात की गई"
            kind, marker_start = "subj", j - 1 if prev == "के" else j
        elif word in GENITIVES:
            kind = "skip" if nxt in _COMPOUND_TAILS else "gen"
        elif word in {"में", "को", "पर"}:
            kind = "skip"
        elif word in _PRONOUN_SUBJECTS:
            pronoun = pronoun or word
            adjacent = False
        elif word not in _FILLERS and word not in TIME_WORDS and not word.isdigit():
            adjacent = False
            if obj is None and between is None:
                loose += 3 if word in _CLAUSE_VERBS else 1
        if not kind:
            j -= 1
            continue
        phrase = phrase_before(tokens, marker_start, lo, text)
        j = (phrase.start if phrase else marker_start) - 1
        if kind == "skip" and j >= lo and word_key(tokens[j].text) in _POSSESSIVES:
            j -= 1  # "उनके आवास पर", "अपने घर में": a place, not a party
        leftmost = j + 1
        if kind == "skip" and word == "को" and obj is not None and dative is None:
            dative = phrase
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
        obj = object_after(tokens, t, hi, text)
    if any(p.group for p in (between, obj) if p is not None):
        return []  # a meeting with a group is no meeting between two named parties
    if trigger == "बात" and obj is None and between is None and (subj is None or len(subj.persons) < 2):
        return []  # "बात" is a talk only with both parties: "Y से बात की", "X और Y ने बात की"
    plural = trigger in _PLURAL_MEET or trigger in NOUN_TRIGGERS
    if between is not None or obj is None:
        if trigger == "मिलकर" and between is None:
            return []  # "X और Y ने मिलकर": together, not a meeting
        together = between or coordinated_subject(subj, gens if plural else [], t)
        if together is None and not gens and subj is None and plural:
            together = bare_subject(tokens, leftmost, lo, text)
            # "X और Y मिले" opens its clause; "ना जाने कैसे शक्ति और साधन मिले" means "got".
            if together is not None and not opens_clause(tokens, lo, together.start):
                together = None
        if together is None or len(together.persons) < 2:
            return []
        first = together.persons[0]
        return [(first, other) for other in together.persons[1:]]
    if subj is None and trigger in NOUN_TRIGGERS:
        # Only a meeting noun takes a genitive party ("X की Y से मुलाकात").
        subj = genitive_subject(tokens, gens, obj)
    if subj is None:
        subj = subject_after(tokens, t, hi, text, trigger)
    if subj is None and trigger in NOUN_TRIGGERS and pronoun is None:
        subj = subject_later(tokens, t, text)
    if subj is None and pronoun is None:
        subj = bare_subject(tokens, min(leftmost, obj.start), lo, text)
    if subj is None and pronoun is None and trigger in VERB_TRIGGERS:
        subj = initial_subject(tokens, lo, obj.start, text) or comma_subject(tokens, lo, text)
    if subj is None and pronoun is not None:
        subj = speaker(tokens, lo, text, pronoun)
    if subj is None and permitted([word_key(tok.text) for tok in tokens[t + 1 : t + 4]]):
        subj = dative
    if subj is None:
        subj = quoted_speaker(tokens, lo, text)
    if subj is None or not subj.persons or subj.group:
        return []
    if dative is not None and subj is not dative and subj.end <= dative.start:
        return []  # "X ने Y को Z से मिलकर ... की सलाह दी": X made or told Y meet Z
    return [(a, b) for a in subj.persons for b in obj.persons]


def _held_visit(tokens: Sequence[Token], t: int, hi: int) -> bool:
    """Whether "भेंट" at ``t`` is a meeting: "भेंट की/हुई", "भेंट के बाद", "की भेंट Y से हुई"."""
    after = [word_key(tok.text) for tok in tokens[t + 1 : hi]]
    if after and after[0] in _TALK_VERBS:
        return True
    if len(after) > 1 and after[0] == "के" and after[1] in _COMPOUND_TAILS:
        return True
    return any(
        w == "से" and i + 1 < len(after) and after[i + 1] in _HAPPENED_AFTER for i, w in enumerate(after[:8])
    )
