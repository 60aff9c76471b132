"""What users do, as updates for the bot: write, send commands, press buttons, query inline, block."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.auxil.botapi.chats import ChatModel
from tests.auxil.botapi.records import Call, JSONDict
from tests.auxil.botapi.updates import UpdateQueue
from tests.auxil.build_updates import (
    command_text,
    make_callback_query,
    make_chat_member_updated,
    make_inline_query,
    make_message,
    make_user,
)


class UserActions(ChatModel, UpdateQueue):
    """Each action queues the update Telegram would send and returns its ``update_id``."""

    def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to_bot: bool = False,
        entities: list[JSONDict] | None = None,
    ) -> int:
        """A user writes ``text``; returns the update id.

        Args:
            user_id: the sender.
            text: the message text; bot commands in it are marked unless ``entities`` is given.
            chat_id: defaults to ``user_id`` (the private chat); give it for groups.
            chat_type: ``private``, ``group``, ``supergroup`` or ``channel``.
            reply_to_bot: reply to the bot's latest message in that chat.
            entities: the message entities, as Telegram would send them.
        """
        if chat_id is None:
            if chat_type != "private":
                raise ValueError(f"a {chat_type} message needs a chat_id")
            chat_id = user_id
        chat = self._register_chat(chat_id, chat_type, user_id)
        reply = self._latest_bot_message(chat_id) if reply_to_bot else None
        if reply_to_bot and reply is None:
            raise ValueError(f"the bot has sent nothing to chat {chat_id} to reply to")
        message = make_message(
            text,
            message_id=self._new_message_id(chat_id),
            chat=chat,
            user=make_user(user_id),
            entities=entities,
            reply_to_message=reply,
        )
        self._store_message(message)
        return self.push_update({"message": message})

    def send_command(
        self,
        user_id: int,
        command: str,
        args: str = "",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """A user sends ``/command args`` (``/command@bot`` outside private chats)."""
        username = None if chat_type == "private" else self.bot_user["username"]
        text = command_text(command, args, bot_username=username)
        return self.send_text(user_id, text, chat_id=chat_id, chat_type=chat_type)

    def press_button(self, message: Call | Mapping[str, Any], data: str, user_id: int | None = None) -> int:
        """A user presses the inline button with callback ``data`` under a bot message.

        Args:
            message: the bot's message (a recorded ``Call`` of sendMessage/editMessageText or
                its result dict); its current version, after edits, is used.
            data: the button's callback_data; it must be on the message now.
            user_id: who presses; defaults to the private chat's user.
        """
        if isinstance(message, Call):
            message = message.result
        elif isinstance(message, Mapping) and isinstance(message.get("result"), Mapping):
            message = message["result"]
        if not isinstance(message, Mapping) or "message_id" not in message:
            raise ValueError("press_button needs a message the bot sent")
        chat_id = message["chat"]["id"]
        current = self._state.messages.get((chat_id, message["message_id"]))
        if current is None or not self._sent_by_bot(current):
            raise ValueError(f"no bot message {message['message_id']} in chat {chat_id}")
        choices = [
            button.get("callback_data")
            for row in current.get("reply_markup", {}).get("inline_keyboard", [])
            for button in row
            if "callback_data" in button
        ]
        if data not in choices:
            raise ValueError(f"no button with callback_data {data!r}; the message has {choices}")
        if user_id is None:
            if current["chat"]["type"] != "private":
                raise ValueError("press_button in a group needs a user_id")
            user_id = int(chat_id)
        query_id = self._new_query_id()
        self._state.callback_queries[query_id] = {"chat_id": chat_id, "answered": False}
        query = make_callback_query(query_id, user=make_user(user_id), message=current, data=data)
        return self.push_update({"callback_query": query})

    def inline_query(self, user_id: int, query: str, offset: str = "") -> int:
        """A user types ``@bot query``; returns the update id."""
        query_id = self._new_query_id()
        self._state.inline_queries[query_id] = False
        inline = make_inline_query(query_id, user=make_user(user_id), query=query, offset=offset)
        return self.push_update({"inline_query": inline})

    def my_chat_member(
        self,
        user_id: int,
        new_status: str = "kicked",
        old_status: str = "member",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """The bot's membership changes; ``kicked`` in a private chat means the user blocked it.

        As on Telegram, a private chat with ``new_status="kicked"`` is blocked from then on
        (403 on every send) and ``"member"`` unblocks it.
        """
        chat_id = user_id if chat_id is None else chat_id
        chat = self._register_chat(chat_id, chat_type, user_id)
        member = {k: v for k, v in self.bot_user.items() if k in ("id", "is_bot", "first_name")}
        change = make_chat_member_updated(
            chat=chat,
            user=make_user(user_id),
            member={**member, "username": self.bot_user["username"]},
            old_status=old_status,
            new_status=new_status,
        )
        if chat_type == "private":
            if new_status == "kicked":
                self._state.blocked.add(chat_id)
            elif new_status == "member":
                self._state.blocked.discard(chat_id)
        return self.push_update({"my_chat_member": change})
