"""Where and when: sentence splitting, dates and places, for one sentence and for a whole report.

`sentence_spans` cuts a report into sentence spans; `sentence_place` and `sentence_date` read a sentence's
place and date; `date_of_report` and `place_of_report` give the date and place a report as a whole
agrees on or dwells on, to fill the gaps of meetings whose sentence names none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from retrieval.meetings.clause import ARRIVAL
from retrieval.meetings.english import EN_MONTHS, EN_SKIP, EN_WEEKDAYS, capitalised
from retrieval.meetings.names import is_word_char
from retrieval.meetings.phrases import phrase_before, word_key
from retrieval.meetings.words import word_set
from retrieval.tokenize import split_sentences
from retrieval.types import Token

# Nouns that are not places although "X में" often follows them.
_NOT_PLACES: frozenset[str] = (
    word_set("""बैठक मुलाकात बातचीत वार्ता सभा कार्यक्रम चुनाव अधिवेशन सम्मेलन समारोह रैली बयान पत्र
    रिपोर्ट गठबंधन सरकार पार्टी मामले मुद्दे समय दौरान साल वर्ष संगठन कार्यसमिति कार्यकारिणी
    नेतृत्व दिशा तरह बारे मौके अवसर सिलसिले सिलसिला अंदाज तरीके तरीका रूप ढंग तौर हालत स्थिति दौर
    जवाब सवाल इंटरव्यू साक्षात्कार फिल्म किताब पुस्तक स्क्रिप्ट लेख चिट्ठी आखिर पास अंत शुरुआत आगे पीछे
    भविष्य""")
)
# A place is named: "इसी सिलसिले में", "अपने ट्रेनिंग सेंटर में", "एक होटल में" name no place.
_NOT_PLACE_BEFORE: frozenset[str] = word_set("इस उस इसी उसी अपने अपनी उनके उनकी किसी एक उसके इसके हर")

_WEEKDAYS = "सोमवार|मंगलवार|बुधवार|गुरुवार|बृहस्पतिवार|शुक्रवार|शनिवार|रविवार"
_MONTHS = "जनवरी|फरवरी|मार्च|अप्रैल|अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर"
_DAY_MONTH = rf"\d{{1,2}}\s+(?:{_MONTHS})(?:\s*,?\s*\d{{4}})?"
_EN_DAY_MONTH = (
    rf"\d{{1,2}}\s+(?:{EN_MONTHS})(?:\s*,?\s*\d{{4}})?|(?:{EN_MONTHS})\s+\d{{1,2}}(?:,?\s*\d{{4}})?"
)
# Specific dates first so "शुक्रवार (17 मार्च)" wins over its parts; relative words last.
_DATE_RE = re.compile(
    rf"(?:{_WEEKDAYS})(?:\s*\(\s*{_DAY_MONTH}\s*\))?|{_DAY_MONTH}"
    rf"|(?:{EN_WEEKDAYS})(?:\s*\(?,?\s*(?:{_EN_DAY_MONTH})\)?)?|{_EN_DAY_MONTH}"
    r"|(?:आज|कल|परसों)|\b(?:today|yesterday)\b"
)
RELATIVE_DATES: frozenset[str] = frozenset({"आज", "कल", "परसों", "today", "yesterday"})

# Words after which a full stop abbreviates rather than ends the sentence ("डॉ. सिंह", "Dr. Rao").
_ABBREVIATIONS: frozenset[str] = word_set("डॉ श्री प्रो Dr Mr Mrs Ms St Jr No Prof Gen Lt Col")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of ``text`` that hold a letter or digit (the one splitter's)."""
    return [
        (span.start, span.end)
        for span in split_sentences(text)
        if any(c.isalnum() for c in text[span.start : span.end])
    ]


def sentence_place(tokens: Sequence[Token], text: str, near: int) -> str | None:
    """The place the sentence gives ("X में", "X पहुंचे", "in X"), nearest to token ``near``."""
    best: tuple[int, str] | None = None
    for j, tok in enumerate(tokens):
        word = word_key(tok.text)
        name: str | None = None
        if word == "में" or word in ARRIVAL:
            phrase = phrase_before(tokens, j, 0, text)
            if phrase is not None and len(phrase.persons) == 1 and not phrase.group:
                words = [word_key(tokens[k].text) for k in range(phrase.start, phrase.end)]
                before = word_key(tokens[phrase.start - 1].text) if phrase.start > 0 else ""
                if not any(w in _NOT_PLACES for w in words) and before not in _NOT_PLACE_BEFORE:
                    name = text[tokens[phrase.start].start : tokens[phrase.end - 1].end]
        elif tok.text in {"in", "at"} and j + 1 < len(tokens) and capitalised(tokens[j + 1]):
            k = j + 1
            while k < len(tokens) and capitalised(tokens[k]):
                k += 1
            name = text[tokens[j + 1].start : tokens[k - 1].end]
            if name in EN_SKIP:
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


def sentence_date(sentence: str) -> str | None:
    """The most specific date phrase in a sentence ("शुक्रवार (17 मार्च)" before "आज")."""
    found = _dates(sentence)
    specific = [d for d in found if d not in RELATIVE_DATES]
    if specific:
        return max(specific, key=len)
    return found[0] if found else None


def date_of_report(sentences: Iterable[str]) -> str | None:
    """The report's date, when all its specific date phrases agree; else ``None``."""
    found = [d for s in sentences for d in _dates(s)]
    specific = [d for d in found if d not in RELATIVE_DATES]
    if not specific:
        return None
    longest = max(specific, key=len)
    # Agreement: every phrase is part of the longest ("शुक्रवार" inside "शुक्रवार (17 मार्च)").
    if all(d in longest for d in specific):
        return longest
    return None


def place_of_report(places: Sequence[str]) -> str | None:
    """The place a report dwells on: most mentioned, twice at least, 60% of mentions or more."""
    if not places:
        return None
    counts = Counter(places).most_common()
    name, count = counts[0]
    if count >= 2 and count >= 0.6 * len(places):
        return name
    return None
