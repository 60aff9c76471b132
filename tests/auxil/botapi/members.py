"""Chat members: getChatMember, as Telegram answers it, and who is an administrator of which group.

Tests say who is what with ``set_member_status(chat_id, user_id, "administrator")``; anyone not set
is a plain ``member`` of a group, and the user of a private chat is its ``member``. Forged button
presses (``press_forged_button``) send a callback query whose data no button carried, as a
modified client can.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.auxil.botapi.chats import ChatModel
from tests.auxil.botapi.params import as_int
from tests.auxil.botapi.records import ApiError, JSONDict
from tests.auxil.botapi.state import Handler
from tests.auxil.botapi.updates import UpdateQueue
from tests.auxil.build_updates import make_callback_query, make_user

STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
_RESTRICTIONS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)


class MemberMethods(ChatModel, UpdateQueue):
    """getChatMember over the statuses tests set; and button presses no button offered."""

    def _member_methods(self) -> dict[str, Handler]:
        return {"getChatMember": self._get_chat_member}

    def _member_statuses(self) -> dict[tuple[int, int], str]:
        # Kept on the state object, so reset() forgets them with everything else.
        statuses: dict[tuple[int, int], str] = self._state.__dict__.setdefault("member_statuses", {})
        return statuses

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Make ``user_id`` a creator, administrator, member … of the group ``chat_id``."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        self._member_statuses()[(int(chat_id), int(user_id))] = status

    def member_lookups(self, chat_id: int | None = None) -> int:
        """How many getChatMember calls the bot made (for one chat, or all)."""
        return len(self.calls("getChatMember", chat_id))

    async def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat_id = self._require_chat(params)
        user_id = as_int(params.get("user_id"))
        if user_id <= 0:
            raise ApiError(400, "Bad Request: invalid user_id specified")
        status = self._member_statuses().get((chat_id, user_id), "member")
        member: JSONDict = {"status": status, "user": make_user(user_id)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
            member.update(can_be_edited=False, is_anonymous=False)
        elif status == "restricted":
            member.update(dict.fromkeys(_RESTRICTIONS, False))
            member.update(is_member=True, until_date=0)
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def press_forged_button(self, message: Mapping[str, Any], data: str, user_id: int) -> int:
        """A callback query with ``data`` under a bot message, though no button there carries it."""
        chat_id = message["chat"]["id"]
        current = self._state.messages.get((chat_id, message["message_id"]))
        if current is None or not self._sent_by_bot(current):
            raise ValueError(f"no bot message {message['message_id']} in chat {chat_id}")
        query_id = self._new_query_id()
        self._state.callback_queries[query_id] = {"chat_id": chat_id, "answered": False}
        query = make_callback_query(query_id, user=make_user(user_id), message=current, data=data)
        return self.push_update({"callback_query": query})
