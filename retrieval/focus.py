"""The focal words of a question: what it is about, which an answering report must carry.

A Hindi question names its topic in noun phrases marked by a postposition: "दिल्ली मेट्रो का किराया",
"विराट कोहली ने किससे शादी की", "bitcoin ka rate", or standing just before its question word: "ताजमहल के
टिकट कितने के हैं". The one or two content words just before a postposition (का की के को से में पर ने
और, and their romanized forms) or a question word form a focal phrase; a report
that carries none of a phrase's words does not answer the question, however many of its other words
it shares. Words never focal: question words, time words (आज, कल, अब, aaj) — they qualify any
report —, and the noun right after किस/कितने/which, which names the kind of answer rather than the
topic ("किस शहर", "कितने साल"). A meeting question's meeting word is focal: a report about the two
people that reports no meeting does not say where they met.

An English question has no postpositions: its focal phrases are its runs of content words between
function words, a run split where names (capitalised) meet other words, each its last two words
("Whom did Virat Kohli marry": (virat, kohli), (marry)).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from retrieval.answer_types import QUESTION_WORDS, WHICH_WORDS, which_nouns
from retrieval.english import ENGLISH_FUNCTION_WORDS, is_clitic, is_english_question
from retrieval.normalize import normalize_term, term_set
from retrieval.stopwords import is_stopword
from retrieval.tokenize import tokenize
from retrieval.types import Token

__all__ = [
    "focal_phrases",
    "is_generic",
    "is_meeting_word",
    "is_time_word",
    "lacking_focus",
    "surface_words",
    "unmet_focus",
]


_GENITIVES = term_set("का की के ka ki ke")
_POSTPOSITIONS = term_set("का की के को से में पर ने और तक ka ki ke ko se me mein main par pe ne aur tak")
_TIME_WORDS = term_set(
    "आज कल अब अभी परसों इस बार पहले बाद फिर हाल aaj kal ab abhi parson pehle pahle baad phir today now "
    "time yesterday tomorrow recently currently"
)
# Verbs that go with any topic ("चल रहा है", "kiya tha"): like time words, they never make a report
# an answer on their own.
_GENERIC_VERBS = term_set(
    "चल चला चली चले चलता चलती चलते रहा रही रहे हुआ हुई हुए होता होती होते होगा होगी होंगे किया किए किये "
    "करता करती करते करना करने दिया दिए देता देती देते देना देने लिया लिए लेता लेती लेते लेना लेने गया गई गए "
    "जाता जाती जाते आया आई आए बना बनी बने लगा लगी लगे रखा रखी रखे "
    "chal chala chali chale chalta chalti chalte raha rahi rahe hua hui hue hota hoti hote hoga hogi honge "
    "kiya kiye karta karti karte karna karne diya diye deta deti dete dena dene liya liye leta leti lete "
    "lena lene gaya gayi gaye jata jati jate aaya aayi aaye bana bani bane laga lagi lage rakha"
)
# Nouns only: "मिला" also means "found", "got".
_MEETING_WORDS = term_set(
    "मुलाकात मुलाक़ात भेंट बातचीत वार्ता बैठक mulakat mulaqat mulakaat bhent batchit baatcheet baatchit "
    "varta vaarta baithak meeting"
)
# Nouns that form compound postpositions after के/की ("के पास", "के दौरान", "के रूप में", "के अनुसार"):
# grammar, not topic.
_COMPOUND_POSTPOSITIONS = term_set(
    "पास बीच दौरान रूप अनुसार मुताबिक़ मुताबिक बारे ख़िलाफ़ खिलाफ जगह तहत ज़रिए जरिए बजाय कारण वजह सामने "
    "बाहर ऊपर नीचे पीछे आगे बदले सिलसिले मामले बावजूद अलावा ओर तरफ़ तरफ paas beech dauran roop anusar "
    "mutabik bare baare khilaf jagah tahat zariye jariye bajay karan wajah samne bahar upar niche peeche "
    "aage badle silsile mamle bavjood alawa taraf"
)
# The nouns a focal phrase takes before its postposition: the head and one modifier.
_PHRASE_WORDS = 2


def is_meeting_word(word: str) -> bool:
    """Whether a word (in `normalize_term` form) names a meeting: मुलाकात, बैठक, mulakat."""
    return word in _MEETING_WORDS


def is_time_word(word: str) -> bool:
    """Whether a word (in `normalize_term` form) only places the question in time: आज, अब, aaj."""
    return word in _TIME_WORDS


def is_generic(word: str) -> bool:
    """Whether a word (in `normalize_term` form) fits any topic: a time word or a common verb."""
    return word in _TIME_WORDS or word in _GENERIC_VERBS


def focal_phrases(question: str) -> tuple[tuple[str, ...], ...]:
    """The question's focal phrases, each a tuple of words in `normalize_term` form.

    Args:
        question: The question as typed, in any script.

    Returns:
        Phrases in question order; empty when the question marks no topic (then nothing is required).
    """
    tokens = tokenize(question)
    norms = [normalize_term(t.text) for t in tokens]
    content = [
        bool(n)
        and t.script != "digit"
        and not is_stopword(n)
        and n not in QUESTION_WORDS
        and n not in _TIME_WORDS
        and n not in _GENERIC_VERBS
        and not (n in _COMPOUND_POSTPOSITIONS and i > 0 and norms[i - 1] in _GENITIVES)
        for i, (t, n) in enumerate(zip(tokens, norms, strict=True))
    ]
    # The noun after "किस"/"कितने"/"which" names the kind of answer, not the topic; after किस all of
    # the noun phrase does ("kis test ground par").
    for i in range(1, len(norms)):
        if norms[i - 1] in WHICH_WORDS:
            content[i] = False
            for j in which_nouns(norms, i - 1):
                content[j] = False
    phrases: list[tuple[str, ...]] = []
    meeting = [n for n in norms if n in _MEETING_WORDS]
    clitic = [is_clitic(question, t.start, t.text) for t in tokens]
    if is_english_question(
        (n for t, n in zip(tokens, norms, strict=True) if t.script == "latin"), sum(clitic)
    ):
        return _english_phrases(tokens, norms, content, clitic)
    for j, norm in enumerate(norms):
        # A topic stands before a postposition ("मेट्రो का") or before the question word ("टिकट कितने").
        if norm not in _POSTPOSITIONS and norm not in QUESTION_WORDS:
            continue
        start = j
        while start > 0 and j - start < _PHRASE_WORDS and content[start - 1]:
            start -= 1
        phrase = tuple(n for n in norms[start:j] if n not in _MEETING_WORDS)
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    if meeting:
        phrases.append((meeting[0],))
    return tuple(phrases)


def _english_phrases(
    tokens: Sequence[Token], norms: Sequence[str], content: list[bool], clitic: Sequence[bool]
) -> tuple[tuple[str, ...], ...]:
    """The focal phrases of an English question (see the module's docstring); ``clitic`` per token."""
    content = [
        c and n not in ENGLISH_FUNCTION_WORDS and len(n) > 1 and not cl
        for c, n, cl in zip(content, norms, clitic, strict=True)
    ]
    for i in range(1, len(norms)):
        if norms[i - 1] == "what" and content[i]:
            content[i] = False  # "what date", "what rank": the kind asked for, like "which"
    phrases: list[tuple[str, ...]] = []
    run: list[int] = []
    for i in [*range(len(tokens)), None]:
        named = i is not None and tokens[i].text[:1].isupper()
        if run and (i is None or not content[i] or named != tokens[run[-1]].text[:1].isupper()):
            phrase = tuple(norms[j] for j in run[-_PHRASE_WORDS:])
            if phrase not in phrases:
                phrases.append(phrase)
            run = []
        if i is not None and content[i]:
            run.append(i)
    return tuple(phrases)


def surface_words(question: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The question's own spelling of each of ``words`` (given in `normalize_term` form), in order.

    A word the question does not hold is returned as it is.
    """
    spelled: dict[str, str] = {}
    for token in tokenize(question):
        spelled.setdefault(normalize_term(token.text), token.text)
    return tuple(spelled.get(word, word) for word in words)


# A report that carries none of the words of a focal phrase of the question ("दिल्ली मेट्रो",
# "bitcoin", `focal_phrases`) does not answer it, unless what it misses weighs at most this share of
# the question: news often says "गेंद" where a question says "बॉल", and a long question can lose one
# phrase to a synonym.
FOCAL_MISSING_SHARE = 0.15
# Only a specific word counts as a topic: a focal word weighing less than this share of an unknown
# word's weight (नाम, लोग, जन्म) is often put otherwise by a report that answers. Measured on XQuAD-hi:
# 95 answerable questions told "not found" instead of 127, news dev unchanged.
FOCAL_RARITY = 0.5


def lacking_focus(
    focus: Sequence[Sequence[str]],
    missing: Collection[str],
    weights: Mapping[str, float],
    *,
    unknown_idf: float,
) -> tuple[str, ...]:
    """The focal words a report lacks when they keep it from answering the question; () when it may.

    Args:
        focus: the question's focal phrases (`focal_phrases`).
        missing: the question's words the report carries in no spelling of its own.
        weights: each content word's weight (its best alternative's ``weight × idf``).
        unknown_idf: the weight of a word the archive has never seen.
    """
    unmet = unmet_focus(focus, missing, weights, unknown_idf=unknown_idf)
    unmet = tuple(w for w in unmet if weights[w] >= FOCAL_RARITY * unknown_idf or is_meeting_word(w))
    heads = [_head(p, weights, unknown_idf) for p in focus]
    if not unmet or not _mostly_unmet(heads, unmet, {w for w in unmet if weights[w] >= unknown_idf}):
        return ()
    if sum(weights[w] for w in unmet) <= FOCAL_MISSING_SHARE * sum(weights.values()):
        return ()
    return unmet


def _mostly_unmet(heads: Sequence[str | None], unmet: Collection[str], unknown: Collection[str] = ()) -> bool:
    """Whether the report misses enough of the question's focus not to answer it.

    That is half of the focal phrases, or any for a meeting question, or one whose head (in
    ``unknown``) the archive has never seen. A long question often names one thing in other words
    than its report (XQuAD's paraphrases); a question whose topic is absent misses most of it.
    """
    phrases = [h for h in heads if h]
    missed = [h for h in phrases if h in unmet]
    if any(h in unknown for h in missed):
        # A topic word the archive has never seen, in any spelling, is nothing a report can answer
        # about ("engagement" of two people whose break-up it reports), however much else it shares.
        return True
    if any(is_meeting_word(h) for h in phrases):
        # A meeting between named people is told by a report that names them all and the meeting.
        return bool(missed)
    return 2 * len(missed) >= len(phrases)


def unmet_focus(
    focus: Sequence[Sequence[str]],
    missing: Collection[str],
    weights: Mapping[str, float],
    *,
    unknown_idf: float | None = None,
) -> tuple[str, ...]:
    """The missing words of the focal phrases whose head the report lacks, in question order.

    A Hindi noun phrase ends in its head, just before the postposition: "दिल्ली मेट्रो का" stands or
    falls with मेट्रो, and a report that only says दिल्ली is not about it.
    """
    unmet: list[str] = []
    for phrase in focus:
        words = [w for w in phrase if w in weights]
        if words and _head(words, weights, unknown_idf) in missing:
            unmet.extend(w for w in words if w in missing and w not in unmet)
    return tuple(unmet)


def _head(phrase: Sequence[str], weights: Mapping[str, float], unknown_idf: float | None) -> str | None:
    """The word a focal phrase stands or falls with: its last content word, or its last specific one.

    A Hindi noun phrase ends in its head ("दिल्ली मेट्रो"), but when the head is a word many reports
    hold (a surname, "वर्मा" of "सुनील वर्मा"; `FOCAL_RARITY`), the phrase is only met by its specific
    word: a report on another Verma's wedding does not tell Sunil Verma's. With no ``unknown_idf``
    the head is the last word, as it reads. Measured: news dev no_answer_accuracy 0.80 -> 0.90, hit@1
    and hit@3, XQuAD-hi and the seeds unchanged (taking the rarest word as head instead, a misspelled
    modifier became the head and cost ten XQuAD questions).
    """
    words = [w for w in phrase if w in weights]
    if not words:
        return phrase[-1] if phrase else None
    if unknown_idf is not None:
        specific = [w for w in words if weights[w] >= FOCAL_RARITY * unknown_idf]
        if specific:
            return specific[-1]
    return words[-1]
