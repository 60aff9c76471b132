"""The exceptions the store raises, all in one place.

    StoreError                 anything the store could not do
    ├── SchemaError            the file is not a Khabri store, or a newer one than this code knows
    └── NotFoundError          a report, passage or subscription that is not there

Callers catch ``StoreError`` to report a failure to the user; the database driver's own
exceptions never leave this package.
"""

from __future__ import annotations


class StoreError(Exception):
    """The store could not complete an operation."""


class SchemaError(StoreError):
    """The database file is not a Khabri store this code can use."""


class NotFoundError(StoreError):
    """The requested row does not exist."""
