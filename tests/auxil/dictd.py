"""Writing small dictionaries in the dictd format (as FreeDict ships them) for the translation tests.

An entry is written as FreeDict writes one: the headword, its pronunciation and part of speech, then
numbered senses, words of a phrase joined by ``~``. The index gives each entry's offset and length in
dictd's base-64 digits.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from pathlib import Path

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(number: int) -> str:
    """A number in dictd's base-64 digits."""
    digits = ""
    while True:
        number, digit = divmod(number, 64)
        digits = _B64[digit] + digits
        if not number:
            return digits


def entry(headword: str, part_of_speech: str, *senses: str) -> tuple[str, str]:
    """One dictd entry: (headword, text)."""
    lines = [f"{headword} /-/ <{part_of_speech}>"]
    lines += [f'{i}. {sense}\n      "an example"' for i, sense in enumerate(senses, 1)]
    return headword, "\n".join(lines) + "\n"


def dictd(entries: Sequence[tuple[str, str]]) -> tuple[str, bytes]:
    """The index text and the body bytes of a dictionary of these entries."""
    body = b""
    index = []
    for headword, text in entries:
        data = text.encode("utf-8")
        index.append(f"{headword}\t{b64(len(body))}\t{b64(len(data))}")
        body += data
    return "\n".join(index) + "\n", body


def write_dictd(name: Path, entries: Sequence[tuple[str, str]], *, zipped: bool = True) -> Path:
    """Write ``name.index`` and ``name.dict.dz`` (or ``name.dict``); return ``name``."""
    index, body = dictd(entries)
    name.with_name(name.name + ".index").write_text(index, encoding="utf-8")
    if zipped:
        name.with_name(name.name + ".dict.dz").write_bytes(gzip.compress(body))
    else:
        name.with_name(name.name + ".dict").write_bytes(body)
    return name


# A small English–Hindi dictionary in FreeDict's manner, for tests that translate.
SMALL = (
    entry("music", "N", "संगीत"),
    entry("director", "N", "अध्यक्ष", "निर्देशक"),
    entry("idea", "N", "विचार", "योजना", "मत", "अनुमान"),
    entry("marry", "V", "विवाह~करना"),
    entry("win", "V", "जीतना"),
    entry("country", "N", "देश", "प्रदेश~का~छोटा~खण्ड"),
    entry("ban", "N", "प्रतिबंध"),
    entry("ban", "VT", "प्रतिबंध~लगाना"),
    entry("phobia", "N", "डर, भीति"),
    entry("mark", "N", "निशान"),
    entry("court", "N", "कचहरी, न्यायालय{विधि}"),
)
