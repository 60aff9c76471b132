"""The Bot API methods about the bot itself: getMe, getUpdates, webhooks, command menus, getChat.

Each takes the call's decoded parameters and returns its ``result``, or raises ``ApiError``.
"""

from __future__ import annotations

from tests.auxil.botapi.chats import ChatModel
from tests.auxil.botapi.records import ApiError, JSONDict
from tests.auxil.botapi.rules import POLL_CONFLICT, WEBHOOK_ACTIVE, check_commands, check_webhook_url
from tests.auxil.botapi.state import Handler, commands_key
from tests.auxil.botapi.updates import UpdateQueue


class BotMethods(ChatModel, UpdateQueue):
    """getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo, *MyCommands, getChat, close."""

    def _bot_methods(self) -> dict[str, Handler]:
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getChat": self._get_chat,
            "close": self._return_true,
            "logOut": self._return_true,
        }

    async def _return_true(self, params: JSONDict) -> bool:
        return True

    async def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self._state.webhook.get("url"):
            raise ApiError(409, WEBHOOK_ACTIVE)
        offset = int(params.get("offset", 0))
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        timeout = max(float(params.get("timeout", 0)), 0.0)
        if "allowed_updates" in params:
            self._state.allowed_updates = list(params["allowed_updates"] or [])
        self._confirm(offset)
        # As on Telegram, a new poll ends the one still waiting (a second bot instance, or a
        # request its client already abandoned) with 409 Conflict.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        await self._wait_until(
            lambda: generation != self._poll_generation or bool(self._deliverable(limit)),
            timeout,
        )
        if generation != self._poll_generation:
            raise ApiError(409, POLL_CONFLICT)
        return self._deliverable(limit)

    async def _set_webhook(self, params: JSONDict) -> bool:
        url = str(params.get("url", ""))
        check_webhook_url(url)
        self._state.webhook = dict(params) if url else {}
        if params.get("drop_pending_updates"):
            self._state.updates.clear()
        self._webhook_changed()
        return True

    async def _delete_webhook(self, params: JSONDict) -> bool:
        self._state.webhook = {}
        if params.get("drop_pending_updates"):
            self._state.updates.clear()
        self._webhook_changed()
        return True

    async def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": self._state.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._state.updates),
        }
        if self._state.webhook.get("allowed_updates"):
            info["allowed_updates"] = self._state.webhook["allowed_updates"]
        for key in ("max_connections", "last_error_date", "last_error_message"):
            if self._state.webhook.get(key):
                info[key] = self._state.webhook[key]
        return info

    async def _set_my_commands(self, params: JSONDict) -> bool:
        commands = check_commands(params.get("commands"))
        key = commands_key(params.get("scope"), str(params.get("language_code", "")))
        self._state.commands[key] = [dict(c) for c in commands]
        return True

    async def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        key = commands_key(params.get("scope"), str(params.get("language_code", "")))
        return list(self._state.commands.get(key, []))

    async def _delete_my_commands(self, params: JSONDict) -> bool:
        key = commands_key(params.get("scope"), str(params.get("language_code", "")))
        self._state.commands.pop(key, None)
        return True

    async def _get_chat(self, params: JSONDict) -> JSONDict:
        chat = self._chat(self._require_chat(params))
        gifts = "unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels"
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(gifts.split(), False),
        }
