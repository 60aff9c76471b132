"""What kind of answer a question asks for, and where a sentence holds one.

A question word asks for a kind: कौन/किसने/who a person or name, कब/किस साल/when a date, कहां/किस
शहर/where a place (कहां से/where … from: the place before से), कितने/how many a number or amount,
क्यों/why a reason. `question_kind` reads it in Devanagari, in romanized Hindi and in English;
`typed_spans` finds, in a sentence, the words that can be such an answer and that are not the
question's own words. The rules are general (digits, Hindi
number words, months and weekdays, postpositions, the agent marker ने, a role word followed by a
name), with no names in them: selection prefers the sentences that hold the kind and shows it in
bold. A rule that misfires only makes the preference weaker, never hides a sentence.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from enum import StrEnum

import regex

from retrieval.normalize import normalize_term, term_set
from retrieval.stopwords import is_stopword
from retrieval.tokenize import tokenize
from retrieval.transliterate import deva_key, query_variants
from retrieval.types import Span, Token

__all__ = [
    "QUESTION_WORDS",
    "WHICH_WORDS",
    "AnswerKind",
    "act_asked",
    "asked_for",
    "counts_what_was_asked",
    "merge_spans",
    "names_the_agent",
    "names_the_role",
    "question_kind",
    "role_asked",
    "typed_spans",
    "which_nouns",
]


class AnswerKind(StrEnum):
    """The kind of answer a question asks for."""

    PERSON = "person"
    NUMBER = "number"
    DATE = "date"
    PLACE = "place"
    # "कहां से", "where … from": the place something came from, which news marks with से.
    ORIGIN = "origin"
    REASON = "reason"


# Question words in the form `normalize_term` gives them (romanized words are casefolded).
_PERSON_WORDS = term_set(
    "कौन किसने किससे किसको किसे किसका किसकी किसके किन्होंने किनसे किनको "
    "kaun kon koun kisne kisse kisko kise kiska kiski kiske kinhone who whom whose"
)
# Each with the chat spellings that drop vowels ("kb", "ktne"), as typed Hinglish writes them.
_DATE_WORDS = term_set("कब kab kb when")
_PLACE_WORDS = term_set("कहां कहाँ कहा किधर kahan kahaan kaha kidhar where")
_NUMBER_WORDS = term_set("कितने कितना कितनी kitne kitna kitni kitane kitana ktne ktna ktni")
_REASON_WORDS = term_set("क्यों क्यूं kyon kyun kyu kyo kiyon why")
# "किस <noun>" (and "which <noun>") asks for the kind of the noun that follows.
_WHICH_WORDS = term_set("किस किन कौनसा कौनसी कौनसे kis kin konsa konsi konse kaunsa kaunsi which")
_DATE_NOUNS = term_set(
    "साल वर्ष सन दिन तारीख तारीख़ महीने महीना तिथि समय saal sal varsh din tarikh mahine year day date month time"
)
_PLACE_NOUNS = term_set(
    "शहर देश जगह राज्य गांव गाँव जिले ज़िले जिला इलाके स्थान कस्बे क़स्बे मैदान ग्राउंड अदालत "
    "shahar shehar desh jagah rajya gaon jile jila ilake sthan kasbe maidan ground city country place state"
)
# "how many", "how much", and the measures that ask for a number ("how long", "how old", "how far").
_NUMBER_NOUNS = term_set("many much long old far big tall high deep wide large often")


def _keys(nouns: frozenset[str]) -> frozenset[str]:
    return frozenset(deva_key(n) for n in nouns if not n.isascii()) - {""}


# A romanized kind noun is also known by its key, as the index knows words: "tareekh" and "taarikh"
# are तारीख as much as "tarikh" is. Only the word's own key (no variant) is compared.
_DATE_KEYS = _keys(_DATE_NOUNS)
_PLACE_KEYS = _keys(_PLACE_NOUNS)


def _is_noun_of(word: str, nouns: frozenset[str], keys: frozenset[str]) -> bool:
    """Whether a question word (in `normalize_term` form) is one of ``nouns``, or types one's key."""
    if word in nouns:
        return True
    if not (word.isascii() and word.isalpha()):
        return False
    own = query_variants(word)
    return bool(own) and own[0] in keys


# After a place question word, these ask where from ("कहां से लौटे", "where did he come from").
_FROM_WORDS = term_set("से se from")
# Words that ask rather than tell: never the topic of a question.
QUESTION_WORDS = (
    _PERSON_WORDS
    | _DATE_WORDS
    | _PLACE_WORDS
    | _NUMBER_WORDS
    | _REASON_WORDS
    | _WHICH_WORDS
    | term_set("क्या कैसे कैसा कैसी kya ky kaise kaisa kaisi what how")
)
# Words after which a noun names the kind of answer asked for ("किस शहर", "कितने साल", "which city").
WHICH_WORDS = _WHICH_WORDS | _NUMBER_WORDS | term_set("कौन kaun kon many much")
# "कौन सी संस्था", "किस फ़िल्म": a name of the noun's kind, which reads like a person's name.
_NAME_FILLERS = term_set("सा सी से sa si se")


def question_kind(question: str) -> AnswerKind | None:
    """The kind of answer a question asks for, or None when it asks for none in particular.

    Args:
        question: The question as the user typed it, in any script.

    Returns:
        The kind its question word asks for; for "किस/which <noun>" the kind of the noun
        (a date for साल/दिन, a place for शहर/देश, a name otherwise).
    """
    words = [normalize_term(t.text) for t in tokenize(question)]
    for i, word in enumerate(words):
        if word in _NUMBER_WORDS or (word == "how" and i + 1 < len(words) and words[i + 1] in _NUMBER_NOUNS):
            return AnswerKind.NUMBER
        if word in _DATE_WORDS:
            return AnswerKind.DATE
        if word in _PLACE_WORDS:
            return _place_or_origin(words, i)
        if word in _REASON_WORDS:
            return AnswerKind.REASON
        if word == "what":
            # "what date", "in what city" ask like "which"; "what is the price" asks for no kind.
            kind = _kind_of_nouns(words, which_nouns(words, i))
            if kind is not None:
                return kind
            continue
        if word in _WHICH_WORDS or word in _PERSON_WORDS:
            nouns = which_nouns(words, i)
            kind = _kind_of_nouns(words, nouns)
            if kind is not None:
                return kind
            if word in _PERSON_WORDS or nouns:
                return AnswerKind.PERSON
    return None


def _kind_of_nouns(words: Sequence[str], nouns: Sequence[int]) -> AnswerKind | None:
    """A date or a place when the nouns after a question word name one; None otherwise."""
    if any(_is_noun_of(words[j], _DATE_NOUNS, _DATE_KEYS) for j in nouns):
        return AnswerKind.DATE
    place = next((j for j in nouns if _is_noun_of(words[j], _PLACE_NOUNS, _PLACE_KEYS)), None)
    return None if place is None else _place_or_origin(words, place)


def which_nouns(words: Sequence[str], at: int) -> list[int]:
    """The indices of the noun phrase after the question word ``words[at]`` that names the kind asked.

    "कौन सी संस्था" -> संस्था; after किस/which up to two words before a postposition, since the
    head of "kis test ground par" is its last word ("ground"), while "किस साल" names the kind at once.

    Args:
        words: The question's words in order, in `normalize_term` form.
        at: The index of a question word.
    """
    start = at + 1
    while start < len(words) and words[start] in _NAME_FILLERS:
        start += 1
    size = 2 if words[at] in _WHICH_WORDS else 1
    nouns: list[int] = []
    for j in range(start, min(start + size, len(words))):
        if is_stopword(words[j]) or words[j] in QUESTION_WORDS:
            break
        nouns.append(j)
    return nouns


def _place_or_origin(words: Sequence[str], at: int) -> AnswerKind:
    """A place, or the place something came from when से follows the place word (``words[at]``).

    English puts "from" anywhere after "where" ("where was he returning from").
    """
    if words[at] == "where":
        return AnswerKind.ORIGIN if "from" in words[at + 1 :] else AnswerKind.PLACE
    return AnswerKind.ORIGIN if words[at + 1 : at + 2] and words[at + 1] in _FROM_WORDS else AnswerKind.PLACE


_HINDI_NUMBERS = term_set(
    "एक दो तीन चार पांच पाँच छह छः सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस "
    "बीस पच्चीस तीस चालीस पचास साठ सत्तर अस्सी नब्बे सौ हज़ार हजार लाख करोड़ अरब दर्जन दर्जनों सैकड़ों "
    "हज़ारों हजारों लाखों करोड़ों आधा आधे डेढ़ ढाई दोगुना दुगना "
    # Ordinals answer "कितनी बार" ("छठी बार"); not पहली/पहले, which mostly mean "first", "before".
    "दूसरी दूसरा दूसरे तीसरी तीसरा तीसरे चौथी चौथा चौथे पांचवीं पांचवें पांचवां छठी छठा छठे "
    "सातवीं सातवें आठवीं आठवें नौवीं नौवें दसवीं दसवें"
)
_MONTHS = term_set(
    "जनवरी फ़रवरी फरवरी मार्च अप्रैल अप्रेल मई जून जुलाई अगस्त सितंबर सितम्बर अक्टूबर अक्तूबर नवंबर नवम्बर "
    "दिसंबर दिसम्बर january february march april may june july august september october november december"
)
_WEEKDAYS = term_set(
    "सोमवार मंगलवार बुधवार गुरुवार बृहस्पतिवार शुक्रवार शनिवार रविवार "
    "monday tuesday wednesday thursday friday saturday sunday"
)
_YEAR = regex.compile(r"^(1[5-9]\d\d|20\d\d)$")
# Centuries and decades answer "when" as a year does ("उन्नीसवीं सदी तक", "1990 के दशक में").
_ERAS = term_set("सदी सदियों शताब्दी शताब्दियों दशक दशकों century centuries decade decades")
# Postpositions after which the word before names where something happened.
_PLACE_MARKERS = term_set("में पर पास बाहर नज़दीक नजदीक निकट पहुंचे पहुँचे पहुंची")
# Nouns that "X में" often follows without naming a place.
_NOT_PLACES = term_set(
    "फ़िल्म फिल्म मामले मामला समय दौरान साल वर्ष बारे तरह रूप मुक़ाबले मुकाबले मैच बीच हाथ बात "
    "बयान रिपोर्ट ख़बर खबर सवाल जवाब जांच चुनाव सरकार पार्टी सभा बैठक शुरुआत अंत पहले बाद मौक़े मौके "
    "कारण वजह दिनों महीने हफ़्ते हफ्ते घंटे मिनट सेकेंड प्रतियोगिता टूर्नामेंट सीरीज़ सिरीज"
)
# "X से" is where someone came from only for an origin question: elsewhere से means with, by, than.
_FROM_MARKERS = term_set("से")
# Nouns before से that name a side or a time, not a place ("की ओर से", "तब से").
_NOT_ORIGINS = _NOT_PLACES | term_set("ओर तरफ़ तरफ जब तब")
_REASON_MARKERS = regex.compile(r"(?:के|की)\s+(?:कारण|वजह)|क्योंकि|चलते|because|due to", regex.IGNORECASE)
_AGENT = normalize_term("ने")
_GENITIVES = term_set("के की का")
_MAX_NAME_WORDS = 3


def typed_spans(sentence: str, kind: AnswerKind, matched: Collection[Span]) -> list[Span]:
    """Where ``sentence`` holds an answer of ``kind`` that is not one of the question's own words.

    Args:
        sentence: One sentence.
        kind: What the question asks for.
        matched: The spans of the sentence's words that match the question (`match_spans`), in any
            script; they never count as the answer.

    Returns:
        Spans into ``sentence``, in order, without overlaps; empty when it holds no such answer.
    """
    tokens, asked = _read(sentence, matched)
    norms = [normalize_term(t.text) for t in tokens]
    fresh = [not a and not is_stopword(n) for a, n in zip(asked, norms, strict=True)]
    if kind is AnswerKind.NUMBER:
        found = [
            i
            for i, t in enumerate(tokens)
            if not asked[i] and (t.script == "digit" or norms[i] in _HINDI_NUMBERS)
        ]
        return _spans(tokens, _runs(found, tokens, sentence), sentence)
    if kind is AnswerKind.DATE:
        found = [i for i, t in enumerate(tokens) if not asked[i] and _is_date_word(tokens, norms, i)]
        return _spans(tokens, _runs(found, tokens, sentence), sentence)
    if kind is AnswerKind.REASON:
        return [Span(m.start(), m.end()) for m in _REASON_MARKERS.finditer(sentence)]
    if kind is AnswerKind.PLACE:
        return _spans(tokens, _before_markers(tokens, norms, fresh, _PLACE_MARKERS, _NOT_PLACES), sentence)
    if kind is AnswerKind.ORIGIN:
        return _spans(tokens, _before_markers(tokens, norms, fresh, _FROM_MARKERS, _NOT_ORIGINS), sentence)
    return _spans(tokens, _names(tokens, norms, fresh, asked), sentence)


# "कौन" after which the noun before it is the role asked about ("वार्डन कौन थी", "director kaun hai");
# किसने/किससे ask about an act or a partner, not a role.
_ROLE_QUESTION_WORDS = term_set("कौन kaun kon koun who")
# What may stand between a role and the name that fills it: "निर्देशक हैं प्रभु देवा".
_COPULA = term_set("है हैं था थी थे थीं रहे रही रहा hai hain tha thi the")


def asked_for(words: Sequence[str]) -> tuple[str, ...]:
    """The words that name what a question asks for, to say what no report holds.

    That is the noun after किस/कितने ("तारिख", "run"), or else the question word itself ("कब").

    Args:
        words: The question's words in order, in `normalize_term` form.
    """
    for i, word in enumerate(words):
        if word in WHICH_WORDS or word in _DATE_WORDS:
            after = words[i + 1 : i + 3]
            following = [w for w in after if w not in _NAME_FILLERS and w not in QUESTION_WORDS]
            noun = following[0] if following and word in WHICH_WORDS else ""
            return (noun,) if noun and not is_stopword(noun) else (word,)
    return ()


def role_asked(words: Sequence[str]) -> int | None:
    """The index in ``words`` of the role a "who is the <role>" question asks to be filled, or None.

    Args:
        words: The question's content words, in order and in `normalize_term` form, with its
            question words among them ("वार्डन", "कौन").
    """
    for i, word in enumerate(words):
        if word in _ROLE_QUESTION_WORDS:
            if i and words[i - 1] not in QUESTION_WORDS:
                return i - 1
            if word == "who" and i + 1 < len(words) and words[i + 1] not in QUESTION_WORDS:
                return i + 1  # "who is the director"
            return None
    return None


# "किसने <act>": who did it, told by "<name> ने … <act>".
_AGENT_QUESTION_WORDS = term_set("किसने किन्होंने kisne kinhone")


def act_asked(words: Sequence[str]) -> int | None:
    """The index in ``words`` of the act a "किसने <act>" question asks the doer of, or None.

    Args:
        words: The question's content and question words, in order and in `normalize_term` form
            ("लेंस", "किसने", "विकसित").
    """
    for i, word in enumerate(words):
        if word in _AGENT_QUESTION_WORDS:
            after = [j for j in range(i + 1, len(words)) if words[j] not in QUESTION_WORDS]
            return after[0] if after else None
    return None


def names_the_agent(sentence: str, act: Collection[Span], matched: Collection[Span]) -> bool:
    """Whether a name stands before ने in a sentence that tells the act asked about.

    "मार्क चांगिज़ी ने इस लेंस को विकसित किया" answers "लेंस किसने विकसित किया".

    Args:
        sentence: One sentence.
        act: The spans of the sentence's words that match the act asked about (`act_asked`).
        matched: The spans of all its words that match the question: never part of the name.
    """
    if not act:
        return False
    tokens, asked = _read(sentence, matched)
    norms = [normalize_term(t.text) for t in tokens]
    fresh = [not a and not is_stopword(n) for a, n in zip(asked, norms, strict=True)]
    return bool(_before_markers(tokens, norms, fresh, frozenset([_AGENT]), frozenset()))


def names_the_role(sentence: str, role: Collection[Span], matched: Collection[Span]) -> bool:
    """Whether a name stands right after the role the question asks about ("वार्डन बबीता मरकाम").

    Args:
        sentence: One sentence.
        role: The spans of the sentence's words that match the role asked about (`role_asked`).
        matched: The spans of all its words that match the question: never part of the name.
    """
    if not role:
        return False
    tokens, asked = _read(sentence, matched)
    norms = [normalize_term(t.text) for t in tokens]
    for i, token in enumerate(tokens):
        if not any(r.start < token.end and token.start < r.end for r in role):
            continue
        j = i + 1
        while j < len(tokens) and norms[j] in _COPULA:
            j += 1
        name = j < len(tokens) and not asked[j] and not is_stopword(norms[j]) and tokens[j].script != "digit"
        if name and all(_adjacent(tokens, k, k + 1, sentence) for k in range(i, j)):
            return True
    return False


def counts_what_was_asked(
    sentence: str, matched: Collection[Span], counted: Collection[Span] | None = None
) -> bool:
    """Whether a number in the sentence counts one of the question's own words ("180 देशों", "सात घंटे").

    "कितने देशों को" is answered by the number that stands before देशों, not by any number.

    Args:
        sentence: One sentence.
        matched: The spans of its words that match the question.
        counted: The spans of the noun the question counts (the one after कितने), when it names
            one: then only a number before that noun counts it ("कितने साल का बैन" is answered by
            "पांच साल", not by "एक बैन", which only says "a ban").
    """
    tokens, asked = _read(sentence, matched)
    target = asked if counted is None else _read(sentence, counted)[1]
    for i, token in enumerate(tokens[:-1]):
        number = token.script == "digit" or normalize_term(token.text) in _HINDI_NUMBERS
        if number and not asked[i] and target[i + 1] and _adjacent(tokens, i, i + 1, sentence):
            return True
    return False


def _read(sentence: str, matched: Collection[Span]) -> tuple[list[Token], list[bool]]:
    """The sentence's tokens, and for each whether it is one of the question's own words."""
    tokens = tokenize(sentence)
    return tokens, [any(m.start < t.end and t.start < m.end for m in matched) for t in tokens]


def _is_date_word(tokens: Sequence[Token], norms: Sequence[str], i: int) -> bool:
    """A month, a weekday, a year, or the day before a month ("25 जुलाई")."""
    if norms[i] in _MONTHS or norms[i] in _WEEKDAYS or norms[i] in _ERAS:
        return True
    if tokens[i].script != "digit":
        return False
    return bool(_YEAR.match(tokens[i].text)) or (i + 1 < len(tokens) and norms[i + 1] in _MONTHS)


def _before_markers(
    tokens: Sequence[Token],
    norms: Sequence[str],
    fresh: Sequence[bool],
    markers: frozenset[str],
    excluded: frozenset[str],
) -> list[tuple[int, int]]:
    """Runs of up to three fresh words just before one of ``markers`` ("इंदापुर में", "कोर्ट के बाहर")."""
    runs = []
    for j, norm in enumerate(norms):
        if norm not in markers:
            continue
        end = j - 1 if j and norms[j - 1] in _GENITIVES else j
        start = end
        while (
            start > 0
            and end - start < _MAX_NAME_WORDS
            and fresh[start - 1]
            and tokens[start - 1].script != "digit"
        ):
            start -= 1
        if start < end and norms[end - 1] not in excluded:
            runs.append((start, end))
    return runs


def _names(
    tokens: Sequence[Token], norms: Sequence[str], fresh: Sequence[bool], asked: Sequence[bool]
) -> list[tuple[int, int]]:
    """Name-like runs: fresh words before the agent marker ने, or after one of the question's words.

    "मार्क चांगिज़ी ने … विकसित किया", "आश्रम की वार्डन बबीता मरकाम": a role or topic word the question
    names, followed at once by words it does not, is how news introduces the person it asks about.
    """
    runs = _before_markers(tokens, norms, fresh, frozenset([_AGENT]), frozenset())
    for i in range(len(tokens) - 1):
        if asked[i] and not is_stopword(norms[i]) and fresh[i + 1]:
            end = i + 1
            while end < len(tokens) and end - i <= _MAX_NAME_WORDS and fresh[end]:
                end += 1
            runs.append((i + 1, end))
    return runs


def _runs(found: Sequence[int], tokens: Sequence[Token], sentence: str) -> list[tuple[int, int]]:
    """Consecutive found tokens joined into runs, with a unit or ordinal word that follows a number."""
    runs: list[tuple[int, int]] = []
    for i in found:
        if runs and runs[-1][1] == i and _adjacent(tokens, i - 1, i, sentence):
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _adjacent(tokens: Sequence[Token], a: int, b: int, sentence: str) -> bool:
    """Whether only spaces, a hyphen, a dot or a comma stand between two tokens ("4-2", "9.63", "17 मार्च")."""
    gap = sentence[tokens[a].end : tokens[b].start]
    return len(gap) <= 3 and all(c in " -–.,:" for c in gap)


def _spans(tokens: Sequence[Token], runs: Sequence[tuple[int, int]], sentence: str) -> list[Span]:
    """Token runs as character spans, sorted, overlaps merged."""
    return list(merge_spans(Span(tokens[a].start, tokens[b - 1].end) for a, b in runs if a < b))


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans sorted, with overlapping ones joined."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return tuple(merged)
