"""Numbers written three ways: digits, Hindi number words, and Roman numerals read in English.

A question types "5 wicket" where the report writes "पांच विकेट", or "kings XI" where it writes
"किंग्स इलेवन": Hindi news spells small counts out and reads a team's Roman numeral in English.
These tables are the generic vocabulary of numbers, not words of any report.
"""

from __future__ import annotations

__all__ = ["ENGLISH_NUMBERS", "HINDI_NUMBERS", "roman_value"]

# Small numbers as Hindi news spells them out (both spellings of 6 and 9 are common).
HINDI_NUMBERS: dict[int, tuple[str, ...]] = {
    1: ("एक",), 2: ("दो",), 3: ("तीन",), 4: ("चार",), 5: ("पांच",), 6: ("छह", "छः"), 7: ("सात",),
    8: ("आठ",), 9: ("नौ",), 10: ("दस",), 11: ("ग्यारह",), 12: ("बारह",), 13: ("तेरह",),
    14: ("चौदह",), 15: ("पंद्रह", "पन्द्रह"), 16: ("सोलह",), 17: ("सत्रह",), 18: ("अठारह",),
    19: ("उन्नीस",), 20: ("बीस",),
}  # fmt: skip

# English names of the numbers a Roman numeral of a name usually is (XI, II, IV).
ENGLISH_NUMBERS: dict[int, str] = {
    1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
    9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen",
    15: "fifteen", 16: "sixteen", 17: "seventeen", 18: "eighteen", 19: "nineteen", 20: "twenty",
}  # fmt: skip

_ROMAN = {"i": 1, "v": 5, "x": 10}


def roman_value(word: str) -> int | None:
    """The value of an upper-case Roman numeral of two to five letters from II to XX, or None.

    Only upper case counts ("XI", not "xi" or "Xi"): in lower case "vi", "xi" and "ii" are as likely
    to be words or names. One letter ("I", "V", "X") is a pronoun or a letter, never read as a number.

    Args:
        word: One word as typed.

    Returns:
        The number, or None when ``word`` is not such a numeral in canonical form.
    """
    if not 2 <= len(word) <= 5 or not word.isupper() or not set(word.lower()) <= set(_ROMAN):
        return None
    total, prev = 0, 0
    for ch in reversed(word.lower()):
        value = _ROMAN[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    canonical = _to_roman(total) if 2 <= total <= 20 else ""
    return total if canonical == word.lower() else None


def _to_roman(number: int) -> str:
    out = "x" * (number // 10)
    rest = number % 10
    return out + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][rest]
