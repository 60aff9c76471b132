"""Who may change a group's subscriptions: its administrators, as Telegram says (getChatMember).

In a private chat the user decides alone. In a group or supergroup, subscribing or unsubscribing
the group needs a group administrator (or the group's owner, or an anonymous admin writing as the
group itself). Telegram is asked with ``getChatMember``; the answer is cached for ``ADMIN_TTL``
seconds, so a burst of commands costs one call, and a demoted admin loses the right within a minute.
A failed lookup refuses: changing nothing is the safe side.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

if TYPE_CHECKING:  # bot.tg.context keeps an AdminCache in BotData
    from bot.tg.context import CustomContext

logger = logging.getLogger(__name__)

ADMIN_TTL = 60.0
_ADMINS = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
_GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})


@dataclass
class AdminCache:
    """Whether (chat, user) is an administrator, as Telegram said within the last ``ttl`` seconds."""

    ttl: float = ADMIN_TTL
    _answers: dict[tuple[int, int], tuple[bool, float]] = field(default_factory=dict)

    def get(self, chat_id: int, user_id: int) -> bool | None:
        """The cached answer, or None when there is none still fresh."""
        found = self._answers.get((chat_id, user_id))
        if found is None or time.monotonic() - found[1] >= self.ttl:
            return None
        return found[0]

    def put(self, chat_id: int, user_id: int, is_admin: bool) -> None:
        """Remember an answer; stale ones are dropped when the cache grows."""
        now = time.monotonic()
        if len(self._answers) > 10_000:
            self._answers = {k: v for k, v in self._answers.items() if now - v[1] < self.ttl}
        self._answers[(chat_id, user_id)] = (is_admin, now)


async def may_change_subscriptions(update: Update, context: CustomContext) -> bool:
    """Whether the sender may change this chat's subscriptions: anyone in private, admins in groups."""
    chat = update.effective_chat
    if chat is None or chat.type not in _GROUPS:
        return True
    message = update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator, writing as the group
    user = update.effective_user
    if user is None:
        return False
    cache = context.bot_data.admin_cache
    known = cache.get(chat.id, user.id)
    if known is not None:
        return known
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as error:
        logger.warning("cannot tell whether user %d administers chat %d: %s", user.id, chat.id, error)
        return False
    is_admin = member.status in _ADMINS
    cache.put(chat.id, user.id, is_admin)
    return is_admin
