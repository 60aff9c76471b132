"""The English–Hindi dictionary the archive translates English words with, read from the system.

Khabri does not ship a dictionary: FreeDict's English–Hindi one (GPL-2+, 25k headwords) comes with
the Debian package ``dict-freedict-eng-hin`` at `SYSTEM_DICTIONARY`, and ``KHABRI_DICTIONARY`` may
name another in the dictd format (``NAME.index`` beside ``NAME.dict.dz`` or ``NAME.dict``). Without
one, questions are still read, only no English word is translated; a broken one is reported once
and treated as absent, so a bad file never stops the bot.
"""

from __future__ import annotations

import logging
import zlib
from functools import lru_cache
from pathlib import Path

from retrieval import EnglishHindi

__all__ = [
    "SYSTEM_DICTIONARY",
    "DictionaryError",
    "dictionary_files",
    "index_of",
    "load_dictionary",
    "read_dictionary",
]

log = logging.getLogger(__name__)

SYSTEM_DICTIONARY = Path("/usr/share/dictd/freedict-eng-hin")
"""Where Debian's ``dict-freedict-eng-hin`` puts FreeDict's English–Hindi dictionary."""

# A dictd dictionary larger than this is not an English–Hindi word list (FreeDict's is 3.7 MB).
MAX_DICTIONARY_BYTES = 64 * 1024 * 1024


class DictionaryError(ValueError):
    """A dictionary's files are missing, too large or not a dictd dictionary; the message says which."""


def index_of(name: Path) -> Path:
    """The index file of the dictd dictionary ``name``: ``name.index``."""
    return name.with_name(name.name + ".index")


def dictionary_files(name: Path) -> tuple[Path, Path]:
    """The index and body of the dictd dictionary ``name`` (``name.index``, ``name.dict[.dz]``).

    Raises:
        DictionaryError: one of the two files is not there.
    """
    index = index_of(name)
    if not index.is_file():
        raise DictionaryError(f"no dictionary index {index}")
    for suffix in (".dict.dz", ".dict"):
        body = name.with_name(name.name + suffix)
        if body.is_file():
            return index, body
    raise DictionaryError(f"no dictionary body {name}.dict.dz or {name}.dict beside {index}")


def _read_bytes(path: Path) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(MAX_DICTIONARY_BYTES + 1)
    if len(data) > MAX_DICTIONARY_BYTES:
        raise DictionaryError(f"{path} is larger than {MAX_DICTIONARY_BYTES // 2**20} MB")
    return data


@lru_cache(maxsize=4)
def read_dictionary(name: Path) -> EnglishHindi:
    """Read the dictd dictionary ``name`` (once per process and path).

    Raises:
        DictionaryError: its files are missing, unreadable, too large or not a dictd dictionary.
    """
    index_path, body_path = dictionary_files(name)
    try:
        index = _read_bytes(index_path).decode("utf-8")
        body = _read_bytes(body_path)
        if body_path.suffix == ".dz":
            # dictzip is gzip with an index of its chunks in a header field: it unpacks as gzip, and
            # no further than the limit (a small file can unpack to gigabytes).
            body = zlib.decompressobj(wbits=31).decompress(body, MAX_DICTIONARY_BYTES + 1)
            if len(body) > MAX_DICTIONARY_BYTES:
                raise DictionaryError(f"{body_path} unpacks to more than {MAX_DICTIONARY_BYTES // 2**20} MB")
        return EnglishHindi.from_dictd(index, body)
    except DictionaryError:
        raise
    except (OSError, zlib.error, UnicodeDecodeError) as error:
        raise DictionaryError(f"{name} is not a readable dictd dictionary: {error}") from error
    except ValueError as error:
        raise DictionaryError(f"{name}: {error}") from error


def load_dictionary(name: Path | None) -> EnglishHindi | None:
    """The dictionary ``name``, or None (and one log line saying why) when there is none to use."""
    if name is None:
        return None
    try:
        dictionary = read_dictionary(name)
        dictionary.prepare()
        return dictionary
    except DictionaryError as error:
        if name == SYSTEM_DICTIONARY and not index_of(name).exists():
            log.info("English words are not translated: install dict-freedict-eng-hin for %s", name)
        else:
            log.warning("English words are not translated: %s", error)
        return None
