"""The exceptions the store raises, all in one place.

    StoreError                 anything the store could not do
    ├── SchemaError            the file is not a Khabri store, or a newer one than this code knows
    ├── NotFoundError          a report, question, feed or subscription asked for by id is not there
    └── StoreFault             the file cannot be written: its message names the file and what to do
        ├── StoreFullError     the disk (or the file system) is full
        └── ReadOnlyStoreError the file, its directory or its disk is read-only

Callers catch ``StoreError`` to report a failure to the user. The database driver's errors never
leave this package: every query runs through :class:`storage.query.Query`, and opening the store and
applying migrations through :func:`storage.db.open_store`, and both map the driver's errors to one of
these here: ``sqlite3.Error`` with :func:`classify`, psycopg's ``psycopg.Error`` with
:func:`classify_postgres`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

_WHERE = "or point KHABRI_DB (or --db) at another file"


class StoreError(Exception):
    """The store could not complete an operation."""


class SchemaError(StoreError):
    """The database file is not a Khabri store this code can use."""


class NotFoundError(StoreError):
    """The requested row does not exist."""


class StoreFault(StoreError):
    """The store's file could not be opened or written; the message says which file and what to do."""


class StoreFullError(StoreFault):
    """The disk holding the store is full; what was written before stays, the failed transaction not."""


class ReadOnlyStoreError(StoreFault):
    """The store cannot be written: the file, its directory or its file system is read-only."""


def classify(error: sqlite3.Error, path: Path) -> StoreError:
    """The store's own error for a SQLite error about the file at ``path``, with what to do about it."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return StoreFullError(
            f"the disk holding {path} is full ({error}): free some space on it and run the command again"
        )
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnlyStoreError(
            f"the store {path} is read-only ({error}): make the file and its directory writable "
            f"by this user, {_WHERE}"
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        directory = path.parent
        if path.exists():
            what = (
                f"cannot open the store {path} for writing ({error}): SQLite writes {path.name}-wal and "
                f"{path.name}-shm beside it, so {directory} must be writable by this user (and not on a "
                f"read-only disk); fix that, {_WHERE}"
            )
        else:
            what = (
                f"cannot create the store {path} ({error}): {directory} is not writable by this user "
                f"or is on a read-only disk; fix that, {_WHERE}"
            )
        return ReadOnlyStoreError(what)
    if code == sqlite3.SQLITE_IOERR:
        return StoreFault(f"the disk failed while writing {path} ({error}): check the disk, then try again")
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return SchemaError(f"{path} is not a Khabri store ({error}); {_WHERE}")
    return StoreError(f"the store {path} failed: {error}")


_PG_WHERE = "or point KHABRI_DB (or --db) at another store"


def classify_postgres(error: psycopg.Error, where: str) -> StoreError:
    """The store's own error for a psycopg error about the database at ``where`` (a URL, no password).

    PostgreSQL names its errors by SQLSTATE (Appendix A of its manual): class 53 is a lack of resources
    (53100 a full disk), 25006 a read-only transaction (a standby, or ``default_transaction_read_only``),
    42501 a missing privilege, classes 08 and 57P a connection lost or refused, 3D000 a database that
    does not exist. A connection that cannot be made at all has no SQLSTATE.
    """
    import psycopg

    state = error.sqlstate or ""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if state == "53100":
        return StoreFullError(
            f"the disk holding the database {where} is full ({message}): free some space on the "
            "PostgreSQL server and run the command again"
        )
    if state == "25006":
        return ReadOnlyStoreError(
            f"the database {where} is read-only ({message}): point KHABRI_DB at the primary server, "
            f"{_PG_WHERE}"
        )
    if state == "42501":
        return ReadOnlyStoreError(
            f"the database user may not do this in {where} ({message}): grant it the rights on the "
            f"database's tables, {_PG_WHERE}"
        )
    # A connection refused by the server itself carries no SQLSTATE, only the server's message.
    text = str(error)
    if state == "3D000" or (not state and 'database "' in text and "does not exist" in text):
        return StoreError(
            f"the database {where} does not exist ({message}): create it (createdb), {_PG_WHERE}"
        )
    if state.startswith("28") or (not state and "authentication failed" in text):
        return StoreError(
            f"PostgreSQL refused the login to {where} ({message}): check the user and password in the URL, "
            f"{_PG_WHERE}"
        )
    if state.startswith(("53", "08", "57P")) or (not state and isinstance(error, psycopg.OperationalError)):
        return StoreFault(
            f"cannot use the PostgreSQL server of {where} ({message}): check that it runs and can be "
            "reached, then try again"
        )
    return StoreError(f"the store {where} failed: {message}")
