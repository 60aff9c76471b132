"""Reports, passages and subscriptions kept on SQLite (aiosqlite) or PostgreSQL (psycopg); no Telegram.

The public surface is listed in ``__all__``; ``bot`` uses nothing else.
"""

from storage.coordination import LeaseHolder
from storage.db import Store, open_store
from storage.errors import (
    NotFoundError,
    ReadOnlyStoreError,
    SchemaError,
    StoreError,
    StoreFault,
    StoreFullError,
)
from storage.models import (
    Delivery,
    DeliveryState,
    Feed,
    MeetingRow,
    NewDelivery,
    NewMeeting,
    NewPassage,
    NewReport,
    PackedTerms,
    Party,
    Passage,
    PassageChange,
    PassageOp,
    RankedReports,
    Report,
    ReportSummary,
    SaveResult,
    SaveStatus,
    Snapshot,
    Subscription,
    WholeReports,
)
from storage.postgres import is_postgres_url
from storage.reports import content_hash
from storage.transfer import CopyReport, TableCheck, copy_store

__all__ = [
    "CopyReport",
    "Delivery",
    "DeliveryState",
    "Feed",
    "LeaseHolder",
    "MeetingRow",
    "NewDelivery",
    "NewMeeting",
    "NewPassage",
    "NewReport",
    "NotFoundError",
    "PackedTerms",
    "Party",
    "Passage",
    "PassageChange",
    "PassageOp",
    "RankedReports",
    "ReadOnlyStoreError",
    "Report",
    "ReportSummary",
    "SaveResult",
    "SaveStatus",
    "SchemaError",
    "Snapshot",
    "Store",
    "StoreError",
    "StoreFault",
    "StoreFullError",
    "Subscription",
    "TableCheck",
    "WholeReports",
    "content_hash",
    "copy_store",
    "is_postgres_url",
    "open_store",
]
