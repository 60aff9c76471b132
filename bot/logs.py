"""Logging for ``khabri``: one format, the token redacted everywhere, other libraries kept quiet.

The promise of ``bot.tg.errors`` holds at every level, DEBUG included: no token and no message text
or user names. Our own loggers log ids only. The libraries underneath do not: at DEBUG PTB logs the
Bot API url with the token in it and every update in full (texts, first names, usernames), and
aiosqlite logs each SQL statement with its parameters. So:

- :class:`RedactingFilter`, on every handler, replaces the token (and its secret half alone) in the
  message, its arguments and any traceback, whichever logger wrote it;
- the libraries' loggers are held at INFO or above (httpx and httpcore at WARNING: at INFO they log
  every request's url) whatever ``LOG_LEVEL`` says, unless asked for by name:
  ``LOG_LEVEL=DEBUG,telegram=DEBUG`` (that debug output may then hold message texts; the token is
  still redacted).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"

# Libraries that log request urls, update payloads or SQL parameters below these levels.
QUIET_LOGGERS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "aiosqlite": logging.INFO,
    "apscheduler": logging.INFO,
    "tornado": logging.INFO,
    "hpack": logging.INFO,
    "asyncio": logging.INFO,
    "trafilatura": logging.INFO,
    "htmldate": logging.INFO,
    "charset_normalizer": logging.INFO,
    "numba": logging.INFO,
}


def secrets_of(token: str | None) -> tuple[str, ...]:
    """What to redact for a bot token: the token, and its secret half (after the colon) alone."""
    if not token:
        return ()
    secret = token.partition(":")[2]
    return tuple(s for s in (token, secret) if len(s) >= 8)


class RedactingFilter(logging.Filter):
    """Replaces each secret in a record (message, arguments, traceback) with ``[redacted]``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so the token goes whole before its secret half is looked for.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; it is always kept."""
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a record whose arguments do not fit its format
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self._redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


def parse_log_level(value: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``"DEBUG,telegram=DEBUG"`` → ``("DEBUG", (("telegram", "DEBUG"),))``; names are not checked here."""
    level = "WARNING"
    overrides: list[tuple[str, str]] = []
    for part in value.replace(" ", "").split(","):
        if not part:
            continue
        name, equals, named_level = part.partition("=")
        if equals:
            overrides.append((name, named_level.upper()))
        else:
            level = part.upper()
    return level, tuple(overrides)


def configure_logging(
    level: str,
    *,
    token: str | None,
    overrides: Iterable[tuple[str, str]] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Log to ``stream`` (stderr) at ``level``, redacting the token, with the libraries held quiet.

    Returns:
        The handler installed on the root logger (tests read what it wrote).
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter(secrets_of(token)))
    root = logging.getLogger()
    for old in list(root.handlers):
        if isinstance(old, logging.StreamHandler) and getattr(old, "_khabri", False):
            root.removeHandler(old)
    handler._khabri = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    numeric = logging.getLevelName(level)
    root.setLevel(numeric)
    for name, floor in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(floor, numeric))
    for name, named_level in overrides:
        logging.getLogger(name).setLevel(named_level)
    return handler
