"""Read report files into records: ``.txt``/``.md`` (optional front matter), ``.json`` and ``.jsonl``.

Nothing here touches the store. Every problem is reported as a :class:`Problem` naming the file and,
where it helps, the line; one bad file or record never hides the good ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from retrieval import split_sentences

MAX_FILE_BYTES = 5 * 1024 * 1024
REPORT_SUFFIXES = (".txt", ".md", ".json", ".jsonl")
# A first line longer than this is a paragraph, not a headline.
_HEADLINE_MAX_CHARS = 250
_FRONT_MATTER_KEYS = ("title", "url", "published", "source")


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """One report read from a file, not yet analysed or stored."""

    origin: str
    title: str
    body: str
    url: str | None = None
    source: str | None = None
    published: str | None = None
    where: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a file, or one record in it, could not be read."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class RecordError(ValueError):
    """A record's fields are unusable; the message says which and why."""


def parse_date(value: object) -> str | None:
    """An ISO ``YYYY-MM-DD`` date from an ISO date/datetime or an RFC 2822 date, or ``None``.

    Raises:
        RecordError: the value is not a date in one of those forms.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"published must be a date string like 2023-03-17, not {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        raise RecordError(f"published {text!r} is not a date (use 2023-03-17)") from None


def split_title(text: str) -> tuple[str, str]:
    """Title and body of a plain-text report.

    The title is the first line when it reads as a headline: short, and followed by more text on
    later lines. Otherwise it is the first sentence, and the body is the whole text.
    """
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    if rest.strip() and len(first) <= _HEADLINE_MAX_CHARS:
        return first, rest.strip()
    return first_sentence(stripped), stripped


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` as a title, cut at a word boundary with "…" when it is long.

    The sentences are the ones retrieval quotes (a full stop glued to the next word ends one too).
    """
    spans = split_sentences(text)
    title = text[spans[0].start : spans[0].end] if spans else text.strip()
    title = " ".join(title.split())
    if len(title) > _HEADLINE_MAX_CHARS:
        head = title[: _HEADLINE_MAX_CHARS - 1]
        title = (head.rsplit(" ", 1)[0] if " " in head else head) + "…"
    return title


def _front_matter(text: str, where: str) -> tuple[dict[str, str], str, int]:
    """Split a leading ``---`` block of ``key: value`` lines from the text.

    Returns the fields, the rest of the text, and how many lines the block took.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 0
    fields: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return fields, "\n".join(lines[number:]), number
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or not key:
            raise RecordError(f"line {number}: front matter lines look like `title: ...`")
        if key in _FRONT_MATTER_KEYS:
            fields[key] = value.strip().strip("\"'")
    raise RecordError("line 1: front matter opened with --- is never closed")


def _decode(data: bytes) -> str:
    """Text of a report file: UTF-8 (a BOM is dropped).

    Raises:
        RecordError: binary or not UTF-8, naming the line.
    """
    if b"\x00" in data:
        raise RecordError("binary file (contains NUL bytes), not a report")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RecordError(
            f"line {line}: not UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None


def _text_report(path: Path, text: str) -> ReportRecord:
    fields, rest, _ = _front_matter(text.replace("\r\n", "\n"), str(path))
    if not rest.strip():
        raise RecordError("empty report: no text")
    title, body = split_title(rest)
    if fields.get("title"):
        title, body = fields["title"], rest.strip()
    url = fields.get("url") or None
    return ReportRecord(
        origin=url or f"file:{path.resolve()}",
        title=title,
        body=body,
        url=url,
        source=fields.get("source") or None,
        published=parse_date(fields.get("published")),
        where=str(path),
    )


def record_from_mapping(item: object, origin_hint: str, where: str) -> ReportRecord:
    """A report from a JSON object.

    The object has ``body`` (or ``text``), and optionally ``title``, ``url``, ``published``, ``source``.

    Raises:
        RecordError: not an object, no body, a field of the wrong type, or a bad date.
    """
    if not isinstance(item, dict):
        raise RecordError(f"expected a JSON object, got {type(item).__name__}")
    body = item.get("body", item.get("text"))
    if not isinstance(body, str) or not body.strip():
        raise RecordError("record has no body (give `body` or `text`)")
    for key in ("title", "url", "source"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise RecordError(f"`{key}` must be a string")
    title = (item.get("title") or "").strip()
    if not title:
        # A record has no headline line: its first sentence names it, and the text stays whole.
        title = first_sentence(body)
    url = (item.get("url") or "").strip() or None
    return ReportRecord(
        origin=url or origin_hint,
        title=title,
        body=body.strip(),
        url=url,
        source=(item.get("source") or "").strip() or None,
        published=parse_date(item.get("published")),
        where=where,
    )


def _json_reports(path: Path, text: str) -> Iterator[ReportRecord | Problem]:
    if path.suffix == ".jsonl":
        lines = text.split("\n")
        if not any(line.strip() for line in lines):
            yield Problem(str(path), "empty file")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                item = json.loads(line)
                key = item.get("id") if isinstance(item, dict) else None
                yield record_from_mapping(item, f"file:{path.resolve()}#{key or number}", where)
            except json.JSONDecodeError as error:
                yield Problem(where, f"not valid JSON ({error.msg} at column {error.colno})")
            except RecordError as error:
                yield Problem(where, str(error))
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        yield Problem(f"{path}:{error.lineno}", f"not valid JSON ({error.msg})")
        return
    items = data if isinstance(data, list) else [data]
    if not items:
        yield Problem(str(path), "empty file: no records")
    for number, item in enumerate(items, start=1):
        where = f"{path} record {number}" if isinstance(data, list) else str(path)
        key = item.get("id") if isinstance(item, dict) else None
        try:
            yield record_from_mapping(item, f"file:{path.resolve()}#{key or number}", where)
        except RecordError as error:
            yield Problem(where, str(error))


def read_report_file(path: Path) -> Iterator[ReportRecord | Problem]:
    """The reports in one file, and a :class:`Problem` for each thing that could not be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield Problem(str(path), f"file is {size / 1_048_576:.1f} MB; the limit is 5 MB")
            return
        text = _decode(path.read_bytes())
    except OSError as error:
        yield Problem(str(path), f"cannot read: {error.strerror or error}")
        return
    except RecordError as error:
        yield Problem(str(path), str(error))
        return
    if not text.strip():
        yield Problem(str(path), "empty file")
        return
    if path.suffix.lower() in (".json", ".jsonl"):
        yield from _json_reports(path, text)
        return
    try:
        yield _text_report(path, text)
    except RecordError as error:
        yield Problem(str(path), str(error))


def find_report_files(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Report files under these paths: files as given, folders searched recursively in name order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in REPORT_SUFFIXES:
                    yield child
        elif path.is_file():
            if path.suffix.lower() in REPORT_SUFFIXES:
                yield path
            else:
                yield Problem(str(path), f"not a report file (use {', '.join(REPORT_SUFFIXES)})")
        else:
            yield Problem(str(path), "no such file or folder")
