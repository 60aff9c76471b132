"""Reading a Bot API call's parameters as Telegram does: query string, JSON, form or multipart."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from tests.auxil.botapi.records import ChatId, JSONDict

# Form fields that are strings even when they look like JSON ("123", "true").
_STRING_PARAMS = frozenset(
    {
        "text",
        "parse_mode",
        "caption",
        "action",
        "url",
        "callback_query_id",
        "inline_query_id",
        "next_offset",
        "language_code",
        "secret_token",
        "ip_address",
        "message_effect_id",
        "business_connection_id",
        "inline_message_id",
        "query",
        "description",
        "short_description",
        "name",
    }
)


async def read_params(request: web.Request) -> JSONDict:
    """The call's parameters from the query string and a JSON, form or multipart body.

    Raises:
        ValueError: the body cannot be parsed.
    """
    params: JSONDict = {name: _decode_param(name, value) for name, value in request.query.items()}
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError("the JSON body must be an object")
        params.update(body)
        return params
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            # Uploads are recorded by name and size, not kept.
            with value.file as upload:
                params[name] = {"file_name": value.filename, "size": len(upload.read())}
        elif isinstance(value, str):
            params[name] = _decode_param(name, value)
    return params


def _decode_param(name: str, value: str) -> Any:
    """PTB sends strings raw and everything else JSON-encoded in form fields."""
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def dumps(obj: Any) -> str:
    """JSON as Telegram sends it: UTF-8 text, not ``\\u`` escapes."""
    return json.dumps(obj, ensure_ascii=False)


def as_int(value: object) -> int:
    """An integer parameter; 0 when it is not one."""
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else 0


def as_chat_id(value: object) -> ChatId:
    """A chat id: an integer, or a ``@channelusername`` string."""
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else text
