"""The callback data every inline button carries: built and parsed here, and nowhere else.

Telegram gives a button at most 64 bytes of data and hands them back when it is pressed, possibly
long after (old messages stay in chats, and the bot may have restarted): the strings below are a
wire format, kept exactly as earlier versions wrote them so that old buttons still work.

| data                           | button                                            |
|--------------------------------|---------------------------------------------------|
| ``q:<question id>``            | a suggested question (/start): answer it          |
| ``m:<question id>:<page>``     | "more" under an answer: its next page             |
| ``r:<report id>``              | a report under an answer, a list or a notification|
| ``l:<offset>``                 | previous / next page of /latest                   |
| ``lang:hi``, ``lang:en``       | the interface language (/lang)                    |
| ``s:<question id>``            | subscribe to the answer's question                |
| ``u:<subscription id>``        | stop one subscription (/subscriptions, a notification) |

`encode` writes a button's data, `parse` reads it back (``None`` for anything else: a button of an
older version, or forged data), and `matches` gives the per-kind test that PTB's
``CallbackQueryHandler(pattern=...)`` routes with. Pure: no Telegram objects, so the notifier and the
Telegram front end can both build buttons from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AnswerPage",
    "Callback",
    "ChooseLanguage",
    "LatestPage",
    "ShowReport",
    "Subscribe",
    "Unsubscribe",
    "encode",
    "matches",
    "parse",
]


@dataclass(frozen=True, slots=True)
class AnswerPage:
    """Answer a stored question, at ``page`` (0: the suggested question itself, ``q:``; else ``m:``)."""

    question_id: int
    page: int = 0


@dataclass(frozen=True, slots=True)
class ShowReport:
    """Send the full text of one report."""

    report_id: int


@dataclass(frozen=True, slots=True)
class LatestPage:
    """Show the page of /latest that starts at ``offset``."""

    offset: int


@dataclass(frozen=True, slots=True)
class ChooseLanguage:
    """Set the user's interface language."""

    lang: Literal["hi", "en"]


@dataclass(frozen=True, slots=True)
class Subscribe:
    """Subscribe the chat to a stored question."""

    question_id: int


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    """Remove one of the chat's subscriptions."""

    subscription_id: int


Callback = AnswerPage | ShowReport | LatestPage | ChooseLanguage | Subscribe | Unsubscribe

# The bounds on the digits are those the bot has always accepted; anything longer is no button of ours.
_WIRE = re.compile(
    r"q:(?P<q>\d{1,12})|m:(?P<m>\d{1,12}):(?P<page>\d{1,3})|r:(?P<r>\d{1,12})|l:(?P<l>\d{1,9})"
    r"|lang:(?P<lang>hi|en)|s:(?P<s>\d{1,12})|u:(?P<u>\d{1,12})"
)


def encode(callback: Callback) -> str:
    """The data a button carries for ``callback``.

    Args:
        callback: What pressing the button should do.

    Returns:
        The wire string (at most 64 bytes); ``parse`` gives ``callback`` back.
    """
    match callback:
        case AnswerPage(question_id, 0):
            return f"q:{question_id}"
        case AnswerPage(question_id, page):
            return f"m:{question_id}:{page}"
        case ShowReport(report_id):
            return f"r:{report_id}"
        case LatestPage(offset):
            return f"l:{offset}"
        case ChooseLanguage(lang):
            return f"lang:{lang}"
        case Subscribe(question_id):
            return f"s:{question_id}"
        case Unsubscribe(subscription_id):
            return f"u:{subscription_id}"


def parse(data: object) -> Callback | None:
    """What a pressed button asks for.

    Args:
        data: The button's callback data as Telegram returns it (a string, or ``None``).

    Returns:
        The callback, or ``None`` when the data is none of ours (an older version's button).
    """
    found = _WIRE.fullmatch(data) if isinstance(data, str) else None
    if found is None:
        return None
    groups = found.groupdict()
    if groups["q"] is not None:
        return AnswerPage(int(groups["q"]))
    if groups["m"] is not None:
        return AnswerPage(int(groups["m"]), int(groups["page"]))
    if groups["r"] is not None:
        return ShowReport(int(groups["r"]))
    if groups["l"] is not None:
        return LatestPage(int(groups["l"]))
    if groups["lang"] is not None:
        return ChooseLanguage("hi" if groups["lang"] == "hi" else "en")
    if groups["s"] is not None:
        return Subscribe(int(groups["s"]))
    return Unsubscribe(int(groups["u"]))


def matches(*kinds: type[Callback]) -> Callable[[object], bool]:
    """A test of callback data for PTB's ``CallbackQueryHandler(pattern=...)``: one of ``kinds``?"""

    def test(data: object) -> bool:
        return isinstance(parse(data), kinds)

    return test
