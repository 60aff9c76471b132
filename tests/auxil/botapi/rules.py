"""What the Bot API rejects in a method's parameters, with Telegram's own error descriptions.

The checks on message content (HTML entities, lengths, keyboards) live in ``tests.auxil.botapi_html``;
these are the rest: command menus, chat actions, webhook URLs, callback and inline answers. Each
``check_*`` raises ``ApiError`` as Telegram would answer.
"""

from __future__ import annotations

import re

from tests.auxil.botapi.records import ApiError, JSONDict
from tests.auxil.botapi_html import MAX_INLINE_RESULTS, check_message_text, check_reply_markup

QUERY_EXPIRED = "Bad Request: query is too old and response timeout expired or query ID is invalid"
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def check_webhook_url(url: str) -> None:
    """A webhook must be HTTPS; an empty url removes it."""
    if url and not url.startswith("https://"):
        raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")


def check_commands(commands: object) -> list[JSONDict]:
    """At most 100 commands, each named ``[a-z0-9_]{1,32}`` with a description of 1-256 characters.

    Returns:
        The commands, once they passed.
    """
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        name = command.get("command", "") if isinstance(command, dict) else ""
        if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    return commands


def check_chat_action(action: object) -> None:
    """The action must be one Telegram knows (``typing``, ``upload_photo``, …)."""
    if action not in _CHAT_ACTIONS:
        raise ApiError(400, "Bad Request: wrong parameter action in request")


def check_callback_answer(text: object) -> None:
    """The notification shown for a pressed button holds at most 200 characters."""
    if len(str(text)) > 200:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")


def check_inline_results(results: object, next_offset: str, *, strict_entities: bool) -> None:
    """At most 50 results with unique ids of 1-64 bytes, valid texts and keyboards; a short offset."""
    if not isinstance(results, list):
        raise ApiError(400, "Bad Request: can't parse inline query results")
    if len(results) > MAX_INLINE_RESULTS:
        raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
    if len(next_offset.encode()) > 64:
        raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
    ids = [str(result.get("id", "")) for result in results]
    if len(set(ids)) != len(ids):
        raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
    for result, result_id in zip(results, ids, strict=True):
        if not 1 <= len(result_id.encode()) <= 64:
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            check_message_text(
                content["message_text"],
                content.get("parse_mode"),
                content.get("entities"),
                strict_entities=strict_entities,
            )
        check_reply_markup(result.get("reply_markup"))
