"""When a meeting word reports no meeting held: offered, wanted, refused, denied, asked, or media.

"Y से बातचीत की पेशकश", "मिलने की कोशिश", "बात करने के लिए राजी", "मिलने से मना कर दिया",
"मुलाकात नहीं हुई", "क्या वो Y से मिलने गई", "बीबीसी से बातचीत में", "प्रेस वार्ता": `not_held`
says whether the meeting word at one token is one of these, reading its clause.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.meetings.phrases import GENITIVES, word_key
from retrieval.meetings.words import MEDIA, word_set
from retrieval.types import Token

# "Y से बातचीत की पेशकश/जरूरत": talks offered, asked for or wanted, not held.
UNREALISED: frozenset[str] = word_set("""पेशकश प्रस्ताव अपील मांग जरूरत आवश्यकता इच्छा कोशिश प्रयास न्योता निमंत्रण
    आग्रह तैयारी संभावना उम्मीद गुंजाइश मार्ग रास्ता समय अनुमति इजाजत योजना""")
# Willingness and permission after "मिलने के लिए", and wishes after an infinitive ("मिलना चाहती").
_WILLING: frozenset[str] = word_set("राजी तैयार सहमत इच्छुक उत्सुक अनुमति इजाजत समय चाहते चाहती चाहता चाहेंगे चाहिए")
_LIGHT_VERBS: frozenset[str] = word_set("करने कर करनी करना")
# Refusing, cancelling, putting off or denying, anywhere in the clause after the meeting word.
_REFUSAL: frozenset[str] = word_set("""इनकार इंकार मना ठुकरा ठुकराया खारिज रद्द टाल टाली टला टल टली स्थगित
    खंडन गलत अफवाह अफवाहें झूठ झूठी बेबुनियाद बंद""")
# Verbs of saying: "Y से बातचीत में कहा" is an interview.
SAYING: frozenset[str] = word_set("कहा बताया बोले बोलीं दावा जानकारी")
_NEGATIONS: frozenset[str] = word_set("नहीं न ना")
_SKIPPED: frozenset[str] = word_set("कोई भी किसी")


def not_held(tokens: Sequence[Token], t: int, lo: int, hi: int) -> bool:
    """Whether the meeting word at token ``t`` (clause ``lo``..``hi``) reports no meeting held."""
    after = [word_key(tok.text) for tok in tokens[t + 1 : hi]]
    before = [word_key(tok.text) for tok in tokens[lo:t]]
    return (
        _unrealised(after, word_key(tokens[t].text))
        or _wished(after)
        or any(w in _REFUSAL for w in after[:10])
        or _negated(before, after)
        or "क्या" in before
        or any(w in MEDIA for w in before + after)
        or _interview(after, word_key(tokens[t].text))
    )


def _unrealised(after: list[str], trigger: str) -> bool:
    """Offered or tried: "बातचीत की पेशकश", "करने की कोशिश", "की कोई कोशिश", "मिलने की इजाजत".

    An infinitive with "का"/"की" names something about a meeting, not one held ("मिलने का मौका",
    "बात करने का कोई मतलब"); with "के" it may be "के बाद", so that is left to the rules.
    """
    if permitted(after):
        return False
    k = 0
    if k < len(after) and after[k] in _LIGHT_VERBS:
        k += 1
    infinitive = k == 1 or trigger in {"मिलने", "मिलना"}
    if infinitive and k < len(after) and after[k] in {"का", "की"}:
        return True
    if k >= len(after) or after[k] not in GENITIVES:
        return False
    k += 1
    while k < len(after) and after[k] in _SKIPPED:
        k += 1
    return k < len(after) and after[k] in UNREALISED


def permitted(after: list[str]) -> bool:
    """Whether the words after a meeting word grant it: "मिलने की इजाजत दी गई/मिली"."""
    return (
        len(after) >= 3
        and after[0] in GENITIVES
        and after[1] in {"इजाजत", "अनुमति"}
        and after[2] in {"दी", "दे", "दिया", "मिली", "मिल"}
    )


def _wished(after: list[str]) -> bool:
    """Wanted or allowed: "मिलने के लिए अनुमति", "बात करने के लिए तभी राजी", "मिलना चाहती हैं"."""
    k = 1 if after and after[0] in _LIGHT_VERBS else 0
    if k < len(after) and after[k] in _WILLING:
        return True
    if after[k : k + 2] == ["के", "लिए"]:
        return any(w in _WILLING for w in after[k + 2 : k + 5])
    return False


def _negated(before: list[str], after: list[str]) -> bool:
    """Denied: "मुलाकात नहीं हुई", "बातचीत नहीं करनी चाहिए", "नहीं मिले"; not "न सिर्फ मिले"."""
    if before and before[-1] in _NEGATIONS:
        return True
    head = after[:3]
    return any(w in _NEGATIONS for w in head) and not any(w in {"सिर्फ", "केवल"} for w in head)


def _interview(after: list[str], trigger: str) -> bool:
    """Whether "Y से बातचीत में कहा" makes this an interview with Y, not a meeting.

    Only talks are interviews: "Y के साथ बैठक में कहा" was said at a meeting.
    """
    talk = trigger in {"बातचीत", "बात", "वार्ता", "भेंटवार्ता"}
    return talk and bool(after) and after[0] == "में" and any(k in SAYING for k in after[:5])
