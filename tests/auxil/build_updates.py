"""Factories for Bot API objects as JSON dicts: users, chats, messages, updates.

Like PTB's ``tests/auxil/build_messages.py`` (``make_message``, ``make_command_message``), but
returning the JSON the Bot API sends, so the emulator can serve them through ``getUpdates``.
``as_update`` turns one into a ``telegram.Update`` for tests that call a handler directly.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from telegram import Update

if TYPE_CHECKING:
    from telegram import Bot

JSONDict = dict[str, Any]

CHAT_TYPES = ("private", "group", "supergroup", "channel")
MEMBER_STATUSES = ("member", "kicked", "left", "administrator")

# What Telegram marks as a bot command in a user's message: /name or /name@bot_username.
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def make_user(
    user_id: int,
    *,
    first_name: str | None = None,
    username: str | None = None,
    language_code: str | None = "hi",
    is_bot: bool = False,
) -> JSONDict:
    """A User; the name defaults to ``User<id>``."""
    user: JSONDict = {
        "id": user_id,
        "is_bot": is_bot,
        "first_name": first_name or f"User{user_id}",
    }
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def make_chat(
    chat_id: int,
    chat_type: str = "private",
    *,
    title: str | None = None,
    first_name: str | None = None,
) -> JSONDict:
    """A Chat; private chats get a first name, the others a title."""
    if chat_type not in CHAT_TYPES:
        raise ValueError(f"chat_type must be one of {CHAT_TYPES}, not {chat_type!r}")
    chat: JSONDict = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = first_name or f"User{chat_id}"
    else:
        chat["title"] = title or f"Chat {chat_id}"
    return chat


def default_chat(chat_id: int) -> JSONDict:
    """The chat a bare id most likely names: positive ids are users, -100… ids supergroups."""
    if chat_id > 0:
        return make_chat(chat_id)
    return make_chat(chat_id, "supergroup" if str(chat_id).startswith("-100") else "group")


def command_entities(text: str) -> list[JSONDict]:
    """The ``bot_command`` entities Telegram adds to a user's message text."""
    entities = []
    for match in _COMMAND.finditer(text):
        prefix = text[: match.start()]
        entities.append(
            {
                "type": "bot_command",
                "offset": _utf16_len(prefix),
                "length": _utf16_len(match.group()),
            }
        )
    return entities


def make_message(
    text: str,
    *,
    message_id: int,
    chat: Mapping[str, Any],
    user: Mapping[str, Any] | None,
    date: int | None = None,
    entities: Sequence[Mapping[str, Any]] | None = None,
    reply_to_message: Mapping[str, Any] | None = None,
    reply_markup: Mapping[str, Any] | None = None,
) -> JSONDict:
    """A text Message. With ``entities=None`` the bot commands in ``text`` are marked."""
    message: JSONDict = {
        "message_id": message_id,
        "date": int(time.time()) if date is None else date,
        "chat": dict(chat),
        "text": text,
    }
    if user is not None:
        message["from"] = dict(user)
    found = command_entities(text) if entities is None else [dict(e) for e in entities]
    if found:
        message["entities"] = found
    if reply_to_message is not None:
        message["reply_to_message"] = dict(reply_to_message)
    if reply_markup is not None:
        message["reply_markup"] = dict(reply_markup)
    return message


def command_text(command: str, args: str = "", *, bot_username: str | None = None) -> str:
    """``/command[@bot] args``; ``command`` may be given with or without its slash."""
    name = command.removeprefix("/")
    if not re.fullmatch(r"[A-Za-z0-9_]{1,32}", name):
        raise ValueError(f"a command is 1-32 letters, digits or underscores, not {command!r}")
    text = f"/{name}@{bot_username}" if bot_username else f"/{name}"
    return f"{text} {args}" if args else text


def make_callback_query(
    query_id: str,
    *,
    user: Mapping[str, Any],
    message: Mapping[str, Any],
    data: str,
) -> JSONDict:
    """A CallbackQuery for a button pressed under ``message``."""
    return {
        "id": query_id,
        "from": dict(user),
        "chat_instance": str(message["chat"]["id"]),
        "message": dict(message),
        "data": data,
    }


def make_inline_query(
    query_id: str,
    *,
    user: Mapping[str, Any],
    query: str,
    offset: str = "",
    chat_type: str | None = "sender",
) -> JSONDict:
    """An InlineQuery, as typed after ``@bot`` in some chat."""
    inline: JSONDict = {"id": query_id, "from": dict(user), "query": query, "offset": offset}
    if chat_type:
        inline["chat_type"] = chat_type
    return inline


def make_chat_member(status: str, user: Mapping[str, Any]) -> JSONDict:
    """A ChatMember of one of ``MEMBER_STATUSES`` with every field PTB requires."""
    if status not in MEMBER_STATUSES:
        raise ValueError(f"status must be one of {MEMBER_STATUSES}, not {status!r}")
    member: JSONDict = {"status": status, "user": dict(user)}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "administrator":
        rights = (
            "can_be_edited is_anonymous can_delete_messages can_manage_video_chats "
            "can_restrict_members can_promote_members can_change_info can_invite_users "
            "can_post_stories can_edit_stories can_delete_stories"
        )
        member.update(dict.fromkeys(rights.split(), False))
        member["can_manage_chat"] = True
    return member


def make_chat_member_updated(
    *,
    chat: Mapping[str, Any],
    user: Mapping[str, Any],
    member: Mapping[str, Any],
    old_status: str,
    new_status: str,
    date: int | None = None,
) -> JSONDict:
    """A ChatMemberUpdated: ``user`` changed ``member``'s status in ``chat``."""
    return {
        "chat": dict(chat),
        "from": dict(user),
        "date": int(time.time()) if date is None else date,
        "old_chat_member": make_chat_member(old_status, member),
        "new_chat_member": make_chat_member(new_status, member),
    }


def make_update(update_id: int, kind: str, payload: Mapping[str, Any]) -> JSONDict:
    """An Update carrying ``payload`` under ``kind`` (``"message"``, ``"callback_query"``, …)."""
    return {"update_id": update_id, kind: dict(payload)}


def update_kind(update: Mapping[str, Any]) -> str:
    """The field an Update carries besides ``update_id``: ``"message"``, ``"inline_query"``, …"""
    kinds = [key for key in update if key != "update_id"]
    if len(kinds) != 1:
        raise ValueError(f"an update carries exactly one object, this one has {kinds}")
    return kinds[0]


def as_update(update: Mapping[str, Any], bot: Bot | None = None) -> Update:
    """The ``telegram.Update`` PTB would build from this JSON."""
    return Update.de_json(dict(update), bot)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
