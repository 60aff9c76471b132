"""Reports and helpers shared by the subscription end-to-end tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.archive.core import Archive
from bot.archive.report_files import ReportRecord
from bot.notify.delivery import DeliveryOptions
from bot.notify.feeds import FeedOptions
from bot.notify.sender import SenderOptions
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator

REPORTS = {
    "mamata": (
        "ममता बनर्जी ने कोलकाता में रैली की",
        "पश्चिम बंगाल की मुख्यमंत्री ममता बनर्जी ने रविवार को कोलकाता में एक बड़ी रैली को संबोधित किया। "
        "उन्होंने केंद्र सरकार की नीतियों की आलोचना की।",
    ),
    "cricket": (
        "भारत ने क्रिकेट मैच जीता",
        "मुंबई में खेले गए क्रिकेट मैच में भारत ने ऑस्ट्रेलिया को हराया। कप्तान ने शानदार शतक बनाया।",
    ),
    # The seeds are about Akhilesh Yadav: a name in half the passages has an Okapi idf of 0.
    "nitish": (
        "नीतीश कुमार का पटना दौरा",
        "जनता दल यूनाइटेड के नेता नीतीश कुमार ने पटना में कार्यकर्ताओं से मुलाकात की। "
        "उन्होंने आगामी चुनाव की तैयारी पर चर्चा की।",
    ),
    "election": (
        "सहकारिता चुनाव की तारीख घोषित",
        "राज्य में सहकारिता चुनाव अगले महीने होंगे। चुनाव आयोग ने कार्यक्रम जारी किया।",
    ),
    "cricket_election": (
        "क्रिकेट संघ के चुनाव",
        "राज्य क्रिकेट संघ के चुनाव में नया अध्यक्ष चुना गया। चुनाव में कई पूर्व खिलाड़ी खड़े थे।",
    ),
}

# Quick timings, so a test sees the sync job, the sender and the feed job within a second or two.
FAST = DeliveryOptions(
    sender=SenderOptions(idle_poll=0.5), feeds=FeedOptions(interval=3600.0, timeout=3.0), feed_check=0.3
)
FAST_APP = {"sync_interval": 0.3, "delivery": FAST}


def report(key: str, *, origin: str | None = None, url: str | None = None) -> ReportRecord:
    title, body = REPORTS[key]
    return ReportRecord(origin or f"test:{key}", title, body, url=url, source="टेस्ट", published="2024-05-01")


def archive_of(application: KhabriApplication) -> Archive:
    archive = application.bot_data.archive
    assert archive is not None
    return archive


async def subscribe_many(archive: Archive, chats: range, topic: str = "") -> None:
    """Subscribe many chats at once through the store (the commands are tested elsewhere)."""
    store = archive.store
    async with store.transaction():
        since = await store.reports.last_change()
        for chat in chats:
            await store.subscriptions.add(chat, topic, "hi", since)


async def eventually(check: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition did not come true in time")
        await asyncio.sleep(0.05)


def notifications(botapi: BotApiEmulator, chat_id: int) -> list[str]:
    """The texts of the notifications (not command replies) a chat received."""
    return [t for t in botapi.sent_texts(chat_id) if t.startswith("🔔")]
