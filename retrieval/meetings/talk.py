"""Talking, phoning and visiting: "X ने Y से कहा/पूछा", "X ने Y को फ़ोन किया", "X Y के घर गए".

Speaking to a named person counts as talking to them, so "X ने Y से कहा कि ..." and "X ने Y को
कहा कि ..." report X and Y; a call ("Y को फ़ोन किया", "फ़ोन करके Y से") and a visit to Y's home
("Y के घर/आवास पहुंचे") do too. Each needs its construction exactly (the party right before the
verb or the noun, the subject with ने, a quoted speaker for a pronoun), because "से कहा" is also
"proudly said" ("गर्व से कहा") and "कहा गया" is passive.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.meetings.clause import bare_subject, clause_window
from retrieval.meetings.names import Person
from retrieval.meetings.phrases import Phrase, phrase_after, phrase_before, word_key
from retrieval.meetings.speaker import FIRST_PERSON, THIRD_PERSON, speaker
from retrieval.meetings.words import MEDIA, word_set
from retrieval.types import Token

# Not "बताया": "X ने अदालत/सीबीआई को बताया" is testimony more often than a talk.
TOLD: frozenset[str] = word_set("कहा पूछा")
PHONE: frozenset[str] = word_set("फोन टेलीफोन")
HOMES: frozenset[str] = word_set("घर आवास निवास बंगले")
TALK_TRIGGERS: frozenset[str] = TOLD | PHONE | HOMES
# "कहा गया", "पूछा जाता है": passive, with nobody named as speaking.
_PASSIVE: frozenset[str] = word_set("गया गई गए गयी जाता जाती जाते जाएगा जाएगी")
# "गर्व से कहा", "साफ तौर से कहा", "मंच से कहा", "शुरू से कहा": the manner, place or time of saying.
_MANNER: frozenset[str] = word_set("""गर्व जोर विश्वास भरोसे दृढता मजबूती खुशी दुख दुःख प्यार गुस्से नाराजगी तौर
    रूप ढंग तरीके सख्ती स्पष्टता शिद्दत ईमानदारी विनम्रता चिंता हैरानी आश्चर्य अफसोस मंच दिल मन तरफ
    आधार हवाले उम्मीद आत्मविश्वास हंसते मुस्कुराते शुरू शुरुआत हमेशा समय अरसे तरह क्रोध गुस्सा
    प्रेम आदर सम्मान""")
_OPENERS: frozenset[str] = frozenset(",:-\"“”'‘’")
_GOING: frozenset[str] = word_set("गए गई गया गये गयी गईं पहुंचे पहुंची पहुंचा पहुँचे पहुँची पहुंचीं आए आये आई")
_DIALLED: frozenset[str] = word_set("किया किए की कर करके करते करती")
_NE_PRONOUNS: frozenset[str] = word_set("उन्होंने उसने इन्होंने मैंने हमने")


def talk_pairs(tokens: Sequence[Token], t: int, text: str) -> list[tuple[Person, Person]]:
    """The pairs a verb of saying, a call or a visit at token ``t`` reports."""
    lo, hi = clause_window(tokens, t)
    if any(word_key(tok.text) in MEDIA or word_key(tok.text) == "क्या" for tok in tokens[lo:hi]):
        return []  # telling the press, or a question about talking
    word = word_key(tokens[t].text)
    if word in TOLD:
        obj, subj = _told(tokens, t, lo, hi, text)
    elif word in PHONE:
        obj, subj = _phoned(tokens, t, lo, hi, text)
    else:
        obj, subj = _visited(tokens, t, lo, hi, text)
    if obj is None or subj is None or obj.group or subj.group or not obj.persons:
        return []
    return [(a, b) for a in subj.persons for b in obj.persons]


def _party(tokens: Sequence[Token], end: int, lo: int, text: str) -> Phrase | None:
    """The named party ending right before the postposition at ``end``; no manner, no group."""
    phrase = phrase_before(tokens, end, lo, text)
    if phrase is None or phrase.group or not phrase.persons:
        return None
    if word_key(tokens[phrase.end - 1].text) in _MANNER:
        return None
    return phrase


def _ne_subject(tokens: Sequence[Token], before: int, lo: int, text: str) -> Phrase | None:
    """The subject with ने nearest before token ``before``, a pronoun resolved to a quoted speaker."""
    for k in range(before - 1, lo - 1, -1):
        word = word_key(tokens[k].text)
        if word == "ने":
            return phrase_before(tokens, k, lo, text)
        if word in _NE_PRONOUNS:
            return speaker(tokens, lo, text, word)
    return None


def _told(
    tokens: Sequence[Token], t: int, lo: int, hi: int, text: str
) -> tuple[Phrase | None, Phrase | None]:
    """Telling: "X ने Y से कहा/पूछा", "X ने Y को कहा कि", "X ने Y से Z करने को कहा"."""
    after = [tok.text for tok in tokens[t + 1 : t + 3]]
    if after and (word_key(after[0]) in _PASSIVE or after[0] == "-"):
        return None, None  # "कहा गया" is passive, "कहा-सुनी" a quarrel
    j = t - 1
    while j > lo and word_key(tokens[j].text) in {"भी", "ही"}:
        j -= 1
    marker = word_key(tokens[j].text) if j >= lo else ""
    if marker == "को" and j - 1 >= lo and word_key(tokens[j - 1].text).endswith("ने"):
        return _asked_to(tokens, j, lo, text)
    if marker == "को":
        # "को कहा" also means "called (it) X"; only words that follow, after कि or a quote, are told.
        k = t + 1
        while k < len(tokens) and word_key(tokens[k].text) in {"था", "है", "थी", "थे"}:
            k += 1
        opens = k < len(tokens) and (tokens[k].text in _OPENERS or word_key(tokens[k].text) == "कि")
        if not opens:
            return None, None
    elif marker != "से":
        return None, None
    obj = _party(tokens, j, lo, text)
    if obj is None:
        return None, None
    return obj, _ne_subject(tokens, obj.start, lo, text)


def _phoned(
    tokens: Sequence[Token], t: int, lo: int, hi: int, text: str
) -> tuple[Phrase | None, Phrase | None]:
    """Calling: "X ने Y को फ़ोन किया", "X ने फ़ोन करके Y से ..."."""
    nxt = word_key(tokens[t + 1].text) if t + 1 < hi else ""
    if nxt not in _DIALLED:
        return None, None
    if t - 1 >= lo and word_key(tokens[t - 1].text) == "को":
        obj = _party(tokens, t - 1, lo, text)
        return obj, (_ne_subject(tokens, obj.start, lo, text) if obj else None)
    if nxt in {"करके", "कर"}:
        phrase = phrase_after(tokens, t + 2, hi, text)
        if phrase is not None and phrase.end < hi and word_key(tokens[phrase.end].text) == "से":
            if phrase.group or not phrase.persons:
                return None, None
            return phrase, _ne_subject(tokens, t, lo, text)
    return None, None


def _visited(
    tokens: Sequence[Token], t: int, lo: int, hi: int, text: str
) -> tuple[Phrase | None, Phrase | None]:
    """Visiting: "X कल Y के घर गए", "Y के आवास पहुंचे X", "हम Y के घर गए" (a quoted speaker)."""
    if t - 1 < lo or word_key(tokens[t - 1].text) != "के":
        return None, None
    k = t + 1
    if k < hi and word_key(tokens[k].text) in {"पर", "तक"}:
        k += 1
    if k >= hi or word_key(tokens[k].text) not in _GOING:
        return None, None
    host = _party(tokens, t - 1, lo, text)
    if host is None:
        return None, None
    b = host.start - 1
    while b >= lo and word_key(tokens[b].text) in {"भी", "ही"}:
        b -= 1
    before = word_key(tokens[b].text) if b >= lo else ""
    if before in FIRST_PERSON or before in THIRD_PERSON:
        return host, speaker(tokens, lo, text, before)
    if k + 1 < hi:
        guest = phrase_after(tokens, k + 1, hi, text)  # headline order: "Y के घर पहुंचे X"
        if guest is not None and guest.persons and guest.end >= hi:
            return host, guest
    return host, bare_subject(tokens, host.start, lo, text)


def _asked_to(tokens: Sequence[Token], j: int, lo: int, text: str) -> tuple[Phrase | None, Phrase | None]:
    """Asking to do: "X ने Y से/को [...] करने को कहा", Y named right after "X ने"."""
    ne = next((k for k in range(j - 1, lo - 1, -1) if word_key(tokens[k].text) == "ने"), None)
    if ne is None:
        return None, None
    addressee = phrase_after(tokens, ne + 1, j, text)
    if addressee is None or addressee.end >= j or word_key(tokens[addressee.end].text) not in {"से", "को"}:
        return None, None
    if addressee.group or not addressee.persons or word_key(tokens[addressee.end - 1].text) in _MANNER:
        return None, None
    # Far from the infinitive, "से" is more often "from" ("X ने राज्य से ... लाकर ... करने को कहा").
    if j - addressee.end > 8 or any(
        word_key(tok.text) in {"से", "को"} for tok in tokens[addressee.end + 1 : j]
    ):
        return None, None
    return addressee, phrase_before(tokens, ne, lo, text)
