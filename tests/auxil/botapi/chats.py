"""The model of chats and messages: who is in which chat, what the bot sent, edits and replies."""

from __future__ import annotations

import time

from tests.auxil.botapi.params import as_chat_id, as_int
from tests.auxil.botapi.records import ApiError, ChatId, JSONDict
from tests.auxil.botapi.rules import NOT_MODIFIED
from tests.auxil.botapi.state import EmulatorCore
from tests.auxil.build_updates import default_chat, make_chat, make_user


class ChatModel(EmulatorCore):
    """Chats by id and messages by ``(chat id, message id)``, as they are now."""

    def message(self, chat_id: ChatId, message_id: int) -> JSONDict | None:
        """A message as it is now, after edits; None once deleted or never sent."""
        return self._state.messages.get((chat_id, message_id))

    def _register_chat(self, chat_id: int, chat_type: str, user_id: int) -> JSONDict:
        if chat_type == "private" and chat_id != user_id:
            raise ValueError(f"a private chat's id is its user's id ({user_id}), not {chat_id}")
        chat = make_chat(chat_id, chat_type, first_name=make_user(user_id)["first_name"])
        self._state.chats[chat_id] = chat
        return chat

    def _chat(self, chat_id: ChatId) -> JSONDict:
        if chat_id in self._state.chats:
            return self._state.chats[chat_id]
        return default_chat(int(chat_id))

    def _chat_of(self, method: str, params: JSONDict) -> ChatId | None:
        """The chat a call is about, to record it and to apply faults and blocks by chat."""
        if "chat_id" in params:
            return as_chat_id(params["chat_id"])
        if method == "answerCallbackQuery":
            query = self._state.callback_queries.get(str(params.get("callback_query_id")))
            return query["chat_id"] if query else None
        return None

    def _require_chat(self, params: JSONDict) -> int:
        chat_id = as_chat_id(params.get("chat_id", ""))
        if not isinstance(chat_id, int) or chat_id == 0:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _store_message(self, message: JSONDict) -> None:
        self._state.messages[message["chat"]["id"], message["message_id"]] = message

    def _sent_by_bot(self, message: JSONDict) -> bool:
        return bool(message.get("from", {}).get("id") == self.bot_user["id"])

    def _latest_bot_message(self, chat_id: ChatId) -> JSONDict | None:
        mine = [
            message
            for (chat, _), message in self._state.messages.items()
            if chat == chat_id and self._sent_by_bot(message)
        ]
        return max(mine, key=lambda m: m["message_id"]) if mine else None

    def _reply_target(self, chat_id: int, reply: object) -> JSONDict | None:
        if not isinstance(reply, dict) or "message_id" not in reply:
            return None
        target_chat = as_chat_id(reply.get("chat_id", chat_id))
        target = self._state.messages.get((target_chat, as_int(reply["message_id"])))
        if target is None and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        return target

    def _editable(self, params: JSONDict, missing: str) -> JSONDict:
        chat_id = self._require_chat(params)
        message = self._state.messages.get((chat_id, as_int(params.get("message_id"))))
        if message is None:
            raise ApiError(400, f"Bad Request: {missing}")
        if not self._sent_by_bot(message):
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _apply_edit(self, message: JSONDict, changes: JSONDict, *, drop_markup: bool) -> JSONDict:
        edited = {**message, **changes}
        if "entities" in changes and not changes["entities"]:
            edited.pop("entities")
        if drop_markup:
            # As on Telegram, an edit without reply_markup removes the inline keyboard.
            edited.pop("reply_markup", None)
        unchanged = {k: v for k, v in edited.items() if k != "edit_date"}
        if unchanged == {k: v for k, v in message.items() if k != "edit_date"}:
            raise ApiError(400, NOT_MODIFIED)
        edited["edit_date"] = int(time.time())
        self._store_message(edited)
        return edited
