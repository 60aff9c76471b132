"""Frozen row types: what the store hands out and takes in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SaveStatus(StrEnum):
    """What saving a report did (:class:`SaveResult`)."""

    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    """This origin already holds exactly this content; nothing was written."""
    DUPLICATE = "duplicate"
    """Another origin holds this content; nothing was written."""


class PassageOp(StrEnum):
    """What a passage-log entry records (:class:`PassageChange`); the values are the schema's."""

    ADD = "add"
    DELETE = "del"


class DeliveryState(StrEnum):
    """Where an outbox row stands (:class:`Delivery`); the values are the schema's."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    UNKNOWN = "unknown"
    FAILED = "failed"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class NewReport:
    """A report about to be stored.

    ``origin`` names where it came from (its url, or the file it was read from): a later report with
    the same origin and other content replaces this one.
    """

    origin: str
    title: str
    body: str
    url: str | None = None
    source: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class NewPassage:
    """A passage of a report about to be stored.

    Args:
        text: the passage, an exact substring of the report.
        sentences: ``(start, end)`` offsets of its sentences inside ``text``, in order.
        terms: the passage's index entry, opaque to the store.
    """

    text: str
    sentences: tuple[tuple[int, int], ...]
    terms: bytes


@dataclass(frozen=True, slots=True)
class Report:
    """A stored report."""

    id: int
    origin: str
    title: str
    body: str
    url: str | None
    source: str | None
    published: str | None
    content_hash: str
    ingested_at: str


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """One line of the report list."""

    id: int
    title: str
    url: str | None
    source: str | None
    published: str | None
    ingested_at: str
    passages: int


@dataclass(frozen=True, slots=True)
class Passage:
    """A stored passage with its sentences as ``(start, end)`` offsets into ``text``."""

    id: int
    report_id: int
    ord: int
    text: str
    sentences: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class PassageChange:
    """One entry of the passage log, which the search index follows.

    ``op`` is :attr:`PassageOp.ADD` or :attr:`PassageOp.DELETE`; ``terms`` is the passage's index entry
    (``None`` for an add whose passage has since been removed again).
    """

    seq: int
    op: PassageOp
    passage_id: int
    report_id: int
    terms: bytes | None


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What saving a report did: ``status`` is one of :class:`SaveStatus`.

    ``unchanged`` means this origin already holds exactly this content; ``duplicate`` means another
    origin does. Neither wrote anything.
    """

    status: SaveStatus
    report_id: int


@dataclass(frozen=True, slots=True)
class Subscription:
    """A chat's standing request: ``topic`` is the text as written ('' means every new report).

    ``since_seq`` is the passage-log position when it was made or revived; only reports logged after
    it are matched. An inactive subscription (the chat blocked the bot) is kept but matches nothing.
    """

    id: int
    chat_id: int
    topic: str
    lang: str
    active: bool
    since_seq: int
    created_at: str


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """A notification owed to a chat: the rendered HTML and its buttons as ``[[label, data], ...]`` JSON."""

    chat_id: int
    report_id: int
    subscription_id: int | None
    text: str
    markup: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """An outbox row.

    ``state`` goes ``pending`` -> ``sending`` -> ``sent``; ``sending`` is committed before the request
    leaves, so a row found in ``sending`` at start-up may or may not have arrived and becomes ``unknown``
    (never resent). ``failed`` (Telegram refused it for good) and ``dropped`` (the chat blocked the bot)
    are final too.
    """

    id: int
    chat_id: int
    report_id: int
    subscription_id: int | None
    text: str
    markup: str | None
    state: DeliveryState
    attempts: int
    next_attempt_at: float
    last_error: str | None
    message_id: int | None


@dataclass(frozen=True, slots=True)
class Feed:
    """A news feed the bot polls, with its conditional-request validators and backoff state."""

    id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    failures: int
    next_poll_at: float
    last_polled_at: str | None
    last_error: str | None
    added_at: str


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a meeting: a name, the office it was given with, other spellings of it."""

    name: str
    role: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NewMeeting:
    """A meeting found in a report: two parties, where and when if said, and the sentence saying it.

    ``start`` and ``end`` place the sentence in the report's body.
    """

    a: Party
    b: Party
    place: str | None
    when: str | None
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """A stored meeting, with its report's id and date (published, else arrival) for ordering."""

    id: int
    report_id: int
    meeting: NewMeeting
    report_date: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Derived data saved in the store: opaque bytes reflecting the source data up to ``upto``."""

    name: str
    upto: int
    data: bytes
    saved_at: str


@dataclass(frozen=True, slots=True)
class PackedTerms:
    """Many passages' term blobs in one piece: passage ``ids[i]`` has ``sizes[i]`` bytes of ``blob``."""

    ids: list[int]
    sizes: list[int]
    blob: bytes


@dataclass(frozen=True, slots=True)
class WholeReports:
    """Reports read whole for answering: their rows, their passages in reading order, and index entries."""

    reports: dict[int, Report]
    """The rows of the reports read (and of any asked for besides), by id."""
    passages: dict[int, list[Passage]]
    """Each report's passages in reading order, by report id."""
    terms: dict[int, bytes]
    """Each of those passages' index entries, by passage id."""


@dataclass(frozen=True, slots=True)
class RankedReports:
    """The reports of a ranked list of passages, best first, and the first few of them read whole."""

    order: list[int]
    """The id of every report the passages belong to, in the order of its best passage."""
    whole: WholeReports
