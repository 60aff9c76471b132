"""The subscription matcher: new reports in the store become outbox rows for the chats that want them.

The matcher keeps its own cursor in the passage log (``cursors.match``). Each run reads the reports
whose passages were added after the cursor, decides for every active subscription whether the report
matches (:mod:`bot.notify.topics`), renders the notifications, and writes them to the outbox together with
the new cursor in one transaction. Running it again is harmless: ``UNIQUE (chat_id, report_id)``
ignores what is already owed, so restarts, a crash between runs, the same report ingested twice, a
report ingested by another process, and a report replaced by a newer version of itself (storage keeps
its id) never owe a chat the same report twice. A subscription gets only reports logged after it was
made (``since_seq``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.archive.core import Archive
from bot.notify.topics import (
    PreparedReport,
    Topic,
    TopicMatch,
    analyze_topic,
    lead,
    match_topic,
    prepare_report,
)
from bot.render.formatting import report_heading
from bot.render.markup import escape, fit, highlighted, link, web_url
from bot.render.texts import text
from retrieval import Quote
from storage import NewDelivery, NotFoundError, Report, Subscription

logger = logging.getLogger(__name__)

CURSOR = "match"
# Reports matched per transaction: a long backlog is worked through in bounded steps.
_BATCH = 50


@dataclass(frozen=True, slots=True)
class MatchRun:
    """What one matcher run did: reports looked at and deliveries added."""

    reports: int
    deliveries: int


def notification(
    report: Report,
    quotes: Sequence[Quote],
    subscription: Subscription,
    *,
    bot_username: str | None,
) -> tuple[str, str]:
    """The HTML of a notification and its buttons (``[[label, callback data]]`` as JSON).

    Title, date and source, the quoted sentences with matched words in bold, the source link, and
    which subscription sent it; buttons: the full report and unsubscribe.
    """
    lang = subscription.lang
    lines = ["🔔 " + report_heading(report)]
    body = "\n".join(highlighted(q.text, q.highlights) for q in quotes)
    if body:
        lines.append(f"<blockquote>{body}</blockquote>")
    if url := web_url(report.url):
        lines.append(link(url, text("source", lang)))
    elif bot_username:
        lines.append(link(f"https://t.me/{bot_username}?start=r_{report.id}", text("source", lang)))
    if subscription.topic:
        lines.append(text("sub_because", lang, topic=escape(subscription.topic)))
    else:
        lines.append(text("sub_because_all", lang))
    buttons = [
        [
            [text("full_report", lang), f"r:{report.id}"],
            [text("sub_stop", lang), f"u:{subscription.id}"],
        ]
    ]
    return fit("\n".join(lines)), json.dumps(buttons, ensure_ascii=False)


class Matcher:
    """Turns new reports into outbox rows; one per process, runs serialised by a lock."""

    def __init__(self, archive: Archive, *, bot_username: str | None = None) -> None:
        self.archive = archive
        self.bot_username = bot_username
        self._lock = asyncio.Lock()
        self._topics: dict[str, Topic] = {}

    def topic(self, text_: str) -> Topic:
        """The analysed topic, cached: analysis is the costly part of matching many subscriptions."""
        found = self._topics.get(text_)
        if found is None:
            found = self._topics[text_] = analyze_topic(text_, self.archive.lexicon)
        return found

    async def run(self) -> MatchRun:
        """Match every report logged since the last run; return what was done."""
        async with self._lock:
            store = self.archive.store
            upto = await store.reports.last_change()
            # The index must hold these reports, so that their words have an idf.
            await self.archive.sync()
            cursor = await store.outbox.cursor(CURSOR) or 0
            if upto <= cursor:
                return MatchRun(0, 0)
            subscriptions = await store.subscriptions.active()
            # Nothing before the oldest subscription can be owed to anyone.
            start = max(cursor, min((s.since_seq for s in subscriptions), default=upto))
            added = await store.outbox.added_reports(after_seq=start, upto_seq=upto)
            reports = deliveries = 0
            for i in range(0, max(len(added), 1), _BATCH):
                batch = added[i : i + _BATCH]
                rows: list[NewDelivery] = []
                for report_id, first_seq in batch:
                    eligible = [s for s in subscriptions if s.since_seq < first_seq]
                    if eligible:
                        rows += await self._deliveries(report_id, eligible)
                    reports += 1
                # Up to just before the next batch's first report, or the end of what was read.
                position = added[i + _BATCH][1] - 1 if i + _BATCH < len(added) else upto
                async with store.transaction():
                    deliveries += await store.outbox.enqueue(rows)
                    await store.outbox.set_cursor(CURSOR, position)
            if deliveries:
                logger.info("matched %d reports: %d deliveries", reports, deliveries)
            return MatchRun(reports, deliveries)

    async def _deliveries(self, report_id: int, subscriptions: Sequence[Subscription]) -> list[NewDelivery]:
        store = self.archive.store
        try:
            report = await store.reports.get(report_id)
        except NotFoundError:
            # Deleted since it was logged: nobody is owed it.
            return []
        passages = await store.reports.passages_of(report_id)
        prepared = prepare_report(report_id, [(p.id, p.text, p.sentences) for p in passages])
        matches = await self.match(prepared, subscriptions)
        rows = []
        for subscription, found in matches:
            # The headline is shown in bold already; quote it again only when nothing else matched.
            quotes = tuple(q for q in found if q.text.strip() != report.title.strip()) or found
            html, markup = notification(report, quotes, subscription, bot_username=self.bot_username)
            rows.append(NewDelivery(subscription.chat_id, report_id, subscription.id, html, markup))
        return rows

    async def match(
        self, report: PreparedReport, subscriptions: Sequence[Subscription]
    ) -> list[tuple[Subscription, tuple[Quote, ...]]]:
        """For each chat, the first subscription the report matches (topics before "everything")."""
        idf, unknown_idf = await self._idf(report, subscriptions)
        by_topic: dict[str, TopicMatch | None] = {}
        chosen: dict[int, tuple[Subscription, tuple[Quote, ...]]] = {}
        ordered = sorted(subscriptions, key=lambda s: (s.topic == "", s.id))
        for subscription in ordered:
            if subscription.chat_id in chosen:
                continue
            if not subscription.topic:
                chosen[subscription.chat_id] = (subscription, lead(report))
                continue
            if subscription.topic not in by_topic:
                by_topic[subscription.topic] = match_topic(
                    self.topic(subscription.topic), report, idf, unknown_idf
                )
            found = by_topic[subscription.topic]
            if found is not None:
                chosen[subscription.chat_id] = (subscription, found.quotes)
        return list(chosen.values())

    async def _idf(
        self, report: PreparedReport, subscriptions: Sequence[Subscription]
    ) -> tuple[dict[str, float], float]:
        """The idf of the topic terms that matter for this report, as ``Archive.ask`` computes it."""
        topics = {s.topic for s in subscriptions if s.topic}
        wanted: set[str] = set()
        # Only topics sharing a term with the report can match; their terms need an idf.
        for topic_text in topics:
            terms = self.topic(topic_text).terms
            if not terms.isdisjoint(report.terms):
                wanted |= terms
        ids = self.archive.term_ids(wanted)
        return await self.archive.idf_of(ids)
