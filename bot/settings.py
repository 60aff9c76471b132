"""Settings, read once from the environment into a frozen object: the only module that reads os.environ."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.archive.dictionary import SYSTEM_DICTIONARY, DictionaryError, dictionary_files
from bot.archive.search_url import SearchConfigError, parse_search_url
from bot.logs import parse_log_level
from storage import is_postgres_url

# Telegram tokens look like "123456789:AAE...": the bot's numeric id, a colon, then a 35-char secret.
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

ENVIRONMENT = (
    ("TELEGRAM_BOT_TOKEN", "token from @BotFather; without it `khabri run` opens the terminal chat"),
    ("TELEGRAM_API_BASE_URL", "self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot (token appended)"),
    ("KHABRI_DB", "the store: a SQLite file (default: $XDG_DATA_HOME/khabri/khabri.db) or postgresql://..."),
    ("KHABRI_SEARCH", "opensearch+http://host:9200[,host2:9200] to search OpenSearch (default: in memory)"),
    ("KHABRI_ADMINS", "comma-separated Telegram user ids allowed admin commands"),
    ("KHABRI_OUTBOX_KEEP_DAYS", "days a delivered notification keeps its text (default 30)"),
    (
        "KHABRI_DICTIONARY",
        "English-Hindi dictd dictionary to translate English words with, as NAME for NAME.index and "
        "NAME.dict[.dz] (default: Debian's dict-freedict-eng-hin when installed); off: none",
    ),
    ("LOG_LEVEL", "DEBUG, INFO, WARNING (default) or ERROR; libraries by name: DEBUG,telegram=DEBUG"),
)
DEFAULT_OUTBOX_KEEP_DAYS = 30.0


class SettingsError(ValueError):
    """The environment holds a value Khabri cannot use; the message names every such variable."""


def default_db_path(env: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/khabri/khabri.db``, with the XDG default ``~/.local/share``."""
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local" / "share")
    return Path(base) / "khabri" / "khabri.db"


def data_dir() -> Path:
    """Where Khabri keeps its files by default (the terminal chat's history beside a PostgreSQL store)."""
    return default_db_path(os.environ).parent


def store_location(text: str) -> Path | str:
    """A ``KHABRI_DB`` / ``--db`` value: a ``postgresql://`` URL as it is, anything else a file path."""
    return text if is_postgres_url(text) else Path(text).expanduser()


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, typed."""

    # The SQLite file, or the URL of a PostgreSQL database (``postgresql://user@host:port/db``).
    db_path: Path | str
    token: str | None = None
    api_base_url: str | None = None
    admins: frozenset[int] = frozenset()
    log_level: str = "WARNING"
    outbox_keep_days: float = DEFAULT_OUTBOX_KEEP_DAYS
    # Library loggers asked for by name in LOG_LEVEL ("DEBUG,telegram=DEBUG"): (name, level).
    log_overrides: tuple[tuple[str, str], ...] = ()
    search: str | None = None
    """``KHABRI_SEARCH``: an OpenSearch cluster's ``opensearch+http://…`` URL; None searches in memory."""
    fetch_loopback: bool = False
    """Tests only (no variable sets it): let feeds and article pages come from ``127.0.0.1``."""
    dictionary: Path | None = SYSTEM_DICTIONARY
    """``KHABRI_DICTIONARY``: the English–Hindi dictd dictionary; None translates no English word."""

    def is_admin(self, user_id: int | None) -> bool:
        """Whether this Telegram user is one of the operators named in ``KHABRI_ADMINS``."""
        return user_id is not None and user_id in self.admins

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``env`` (default: the process environment).

        Raises:
            SettingsError: one message naming every malformed variable.
        """
        env = os.environ if env is None else env
        problems = []
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip() or None
        if token is not None and not _TOKEN.match(token):
            problems.append("TELEGRAM_BOT_TOKEN does not look like a token from @BotFather (123456:ABC...)")
        base_url = env.get("TELEGRAM_API_BASE_URL", "").strip() or None
        if base_url is not None and not re.match(r"^https?://", base_url):
            problems.append("TELEGRAM_API_BASE_URL must start with http:// or https://")
        admins: set[int] = set()
        for part in env.get("KHABRI_ADMINS", "").replace(" ", "").split(","):
            if part:
                if part.lstrip("-").isdigit():
                    admins.add(int(part))
                else:
                    problems.append(f"KHABRI_ADMINS must be comma-separated user ids, not {part!r}")
        level, overrides = parse_log_level(env.get("LOG_LEVEL") or "WARNING")
        for wrong in [level] + [named for _, named in overrides]:
            if wrong not in LOG_LEVELS:
                problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {wrong!r}")
        if any(not name for name, _ in overrides):
            problems.append("LOG_LEVEL names a logger as NAME=LEVEL, e.g. DEBUG,telegram=DEBUG")
        keep = (env.get("KHABRI_OUTBOX_KEEP_DAYS") or "").strip()
        keep_days = DEFAULT_OUTBOX_KEEP_DAYS
        if keep:
            try:
                keep_days = float(keep)
            except ValueError:
                keep_days = -1.0
            if not 0 <= keep_days < 100_000:
                problems.append(f"KHABRI_OUTBOX_KEEP_DAYS must be a number of days, 0 or more, not {keep!r}")
        search = env.get("KHABRI_SEARCH", "").strip() or None
        if search is not None:
            try:
                parse_search_url(search)
            except SearchConfigError as error:
                problems.append(str(error))
        dictionary = _dictionary(env.get("KHABRI_DICTIONARY", ""), problems)
        if problems:
            raise SettingsError("; ".join(problems))
        db = env.get("KHABRI_DB", "").strip()
        return cls(
            db_path=store_location(db) if db else default_db_path(env),
            token=token,
            api_base_url=base_url,
            admins=frozenset(admins),
            log_level=level,
            outbox_keep_days=keep_days,
            log_overrides=overrides,
            search=search,
            dictionary=dictionary,
        )


def _dictionary(value: str, problems: list[str]) -> Path | None:
    """``KHABRI_DICTIONARY``: unset for the system's, ``off`` for none, else a dictionary that exists."""
    value = value.strip()
    if not value:
        return SYSTEM_DICTIONARY
    if value.lower() in ("off", "none", "no"):
        return None
    name = Path(value).expanduser()
    for suffix in (".index", ".dict.dz", ".dict"):
        # The files' own names are accepted too: NAME.index is NAME.
        if name.name.endswith(suffix):
            name = name.with_name(name.name[: -len(suffix)])
            break
    try:
        dictionary_files(name)
    except DictionaryError as error:
        problems.append(f"KHABRI_DICTIONARY: {error} (or set it to off)")
    return name
