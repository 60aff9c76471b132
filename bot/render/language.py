"""Which interface language a text asks for: Hindi for Hindi in either script, English for English.

The interface language is the one the user chose with /lang; otherwise `detect_language` decides
from what they wrote. Latin letters are read as romanized Hindi unless the words are English ones.
"""

from __future__ import annotations

import re

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "detect_language"]

LANGUAGES = ("hi", "en")
DEFAULT_LANGUAGE = "hi"

_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# Words only English writes. Short words Hindi in Latin letters also writes ("to" तो, "the" थे, "is"
# इस, "me" में, "hi" ही, "par" पर) are left out: they would make romanized Hindi look English.
_ENGLISH_WORDS = frozenset(
    """
    a an and are about after all any as at be been before but by can could did do does done during
    for from had has have he her his how i if in into it its last latest meet meeting meetings met
    my new news not of on or our report reports said says she should that their them then there
    these they this those today was we were what when where which while who whom whose why will
    with would yesterday you your
    """.split()  # noqa: SIM905 -- a word list reads better as words
)
# Common Hindi words as people type them in Latin letters; any of them marks the text as Hindi.
_HINDI_WORDS = frozenset(
    """
    aaj ab abhi aur baad baat baithak bhi chunav gaya gaye gayi hai hain hua hue hui inhone ka kab
    kaha kahan kahaan kaise kal kar kare karne ke kha ki kiski kisne kisse kisase kiske kitna kitne
    ko kya kyon kyu kyun liya liye lekar mein mila mile mili milne mulakat mulaqat mulakaat ne nahi
    nahin pe raha rahe rahi se sath saath tak tha thi unhone unse wale wala wali woh yeh
    """.split()  # noqa: SIM905 -- a word list reads better as words
)


def detect_language(text: str) -> str | None:
    """The interface language ``text`` asks for: ``hi``, ``en``, or ``None`` when it has no letters.

    Devanagari is Hindi. Latin letters are Hindi too (romanized Hindi, "akhilesh ne mamta se kab
    mulakat ki"), unless the words are English ones more than Hindi ones ("who did akhilesh meet").
    Names alone ("akhilesh yadav") are Hindi: Hindi is the default.
    """
    if _DEVANAGARI.search(text):
        return "hi"
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    if not words:
        return None
    english = sum(w in _ENGLISH_WORDS for w in words)
    hindi = sum(w in _HINDI_WORDS for w in words)
    return "en" if english > hindi else "hi"
