"""The Bot API methods that talk to users: send, edit and delete messages, answer queries, chat actions.

Each takes the call's decoded parameters and returns its ``result``, or raises ``ApiError``
(``ContentError`` for text and keyboards Telegram would refuse).
"""

from __future__ import annotations

from tests.auxil.botapi.chats import ChatModel
from tests.auxil.botapi.params import as_int
from tests.auxil.botapi.records import ApiError, JSONDict
from tests.auxil.botapi.rules import (
    QUERY_EXPIRED,
    check_callback_answer,
    check_chat_action,
    check_inline_results,
)
from tests.auxil.botapi.state import Handler
from tests.auxil.botapi_html import FormattedText, check_message_text, check_reply_markup
from tests.auxil.build_updates import make_message


class MessageMethods(ChatModel):
    """sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, answer*Query, sendChatAction.

    Attributes:
        strict_entities: reject unknown ``&name;`` references in HTML (Telegram shows them).
    """

    strict_entities: bool

    def _message_methods(self) -> dict[str, Handler]:
        return {
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "sendChatAction": self._send_chat_action,
        }

    async def _send_message(self, params: JSONDict) -> JSONDict:
        chat_id = self._require_chat(params)
        text = self._checked_text(params)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        reply = self._reply_target(chat_id, params.get("reply_parameters"))
        message = make_message(
            text.text,
            message_id=self._new_message_id(chat_id),
            chat=self._chat(chat_id),
            user=self.bot_user,
            entities=list(text.entities),
            reply_to_message=reply,
            reply_markup=_inline_markup(markup),
        )
        self._store_message(message)
        return message

    async def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        text = self._checked_text(params)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if "inline_message_id" in params:
            return True
        message = self._editable(params, "message to edit not found")
        changes: JSONDict = {"text": text.text, "entities": list(text.entities)}
        if _inline_markup(markup) is not None:
            changes["reply_markup"] = _inline_markup(markup)
        return self._apply_edit(message, changes, drop_markup=markup is None)

    async def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if "inline_message_id" in params:
            return True
        message = self._editable(params, "message to edit not found")
        changes: JSONDict = {}
        if _inline_markup(markup) is not None:
            changes["reply_markup"] = _inline_markup(markup)
        return self._apply_edit(message, changes, drop_markup=markup is None)

    async def _delete_message(self, params: JSONDict) -> bool:
        chat_id = self._require_chat(params)
        key = (chat_id, as_int(params.get("message_id")))
        if self._state.messages.pop(key, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _answer_callback_query(self, params: JSONDict) -> bool:
        query = self._state.callback_queries.get(str(params.get("callback_query_id")))
        if query is None or query["answered"]:
            raise ApiError(400, QUERY_EXPIRED)
        check_callback_answer(params.get("text", ""))
        query["answered"] = True
        return True

    async def _answer_inline_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("inline_query_id"))
        if self._state.inline_queries.get(query_id, True):
            raise ApiError(400, QUERY_EXPIRED)
        next_offset = str(params.get("next_offset", ""))
        check_inline_results(params.get("results"), next_offset, strict_entities=self.strict_entities)
        self._state.inline_queries[query_id] = True
        return True

    async def _send_chat_action(self, params: JSONDict) -> bool:
        self._require_chat(params)
        check_chat_action(params.get("action"))
        return True

    def _checked_text(self, params: JSONDict) -> FormattedText:
        return check_message_text(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
            strict_entities=self.strict_entities,
        )


def _inline_markup(markup: object) -> JSONDict | None:
    """The inline keyboard a message keeps; other keyboards are not part of the message."""
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None
