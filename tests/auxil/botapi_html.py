"""The checks the Bot API makes on outgoing content, for the emulator in ``tests.auxil.botapi``.

``parse_html`` follows TDLib's ``parse_html`` (``td/telegram/MessageEntity.cpp``), which the
Bot API server runs on every ``parse_mode="HTML"`` text: the same tags, attributes, character
references, entity types and error messages, with byte offsets into the UTF-8 text.
One deliberate difference: with ``strict_entities`` (the default) an unknown named reference
such as ``&foo;`` is an error, where Telegram would show it literally. That is almost always
an unescaped ``&`` in our own text, so the tests should hear about it.

Lengths are counted in UTF-16 code units after entity parsing, as Telegram's entity offsets are.

Errors raise ``ContentError`` whose ``description`` is what the Bot API puts after
``"Bad Request: "``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50

# TDLib's is_space: the C string's terminating NUL counts as space, so does the end of text here.
_SPACE = frozenset(" \t\r\n\v\0")
_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NAMED_REFERENCE = re.compile(r"&[A-Za-z]+;")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_TRIMMED = " \t\r\n\v\f\0"
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_PARSE_ERROR = "can't parse entities: "


class ContentError(ValueError):
    """Content the Bot API refuses with 400 Bad Request.

    Attributes:
        description: Telegram's text after ``"Bad Request: "``.
    """

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


@dataclass(frozen=True)
class FormattedText:
    """A message text as Telegram stores it: plain text plus JSON-ready MessageEntity dicts."""

    text: str
    entities: tuple[dict[str, Any], ...] = ()


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int  # UTF-16 offset of the entity in the output
    start: int  # index in the output list, to recover the text of an <a> without href


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram's limits and offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def parse_html(html: str, *, strict_entities: bool = True) -> FormattedText:
    """Parse Telegram HTML into plain text and entities, or raise ``ContentError``."""
    parser = _HtmlParser(html, strict_entities=strict_entities)
    return parser.parse()


class _HtmlParser:
    def __init__(self, html: str, *, strict_entities: bool) -> None:
        self.html = html
        self.strict = strict_entities
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def at(self, i: int) -> str:
        """The character at ``i``; NUL past the end, as TDLib reads its C string."""
        return self.html[i] if i < len(self.html) else "\0"

    def byte_offset(self, i: int) -> int:
        return len(self.html[:i].encode("utf-8", "surrogatepass"))

    def fail(self, message: str) -> ContentError:
        return ContentError(_PARSE_ERROR + message)

    def parse(self) -> FormattedText:
        html = self.html
        i = 0
        while i < len(html):
            c = html[i]
            if c == "&":
                decoded, end = _decode_reference(html, i)
                if decoded is not None:
                    self.emit(decoded)
                    i = end
                    continue
                bad = _NAMED_REFERENCE.match(html, i)
                if self.strict and bad:
                    raise self.fail(
                        f'Unsupported HTML entity "{bad.group()}" at byte offset {self.byte_offset(i)}'
                    )
            if c != "<":
                self.emit(c)
                i += 1
            elif self.at(i + 1) == "/":
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
        text = "".join(self.out)
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            raise self.fail(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)  # a language counts only inside <pre>
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return FormattedText(text, tuple(entities))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.utf16 += utf16_len(text)

    def start_tag(self, begin: int) -> int:
        """Read ``<name attr=...>`` from ``begin``; return the index after its ``>``."""
        i = begin + 1
        while self.at(i) not in _SPACE and self.at(i) != ">":
            i += 1
        if i >= len(self.html):
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = self.html[begin + 1 : i].lower()
        if tag not in _TAGS:
            raise self.fail(f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}')
        argument = ""
        while self.at(i) != ">":
            while i < len(self.html) and self.at(i) in _SPACE:
                i += 1
            if self.at(i) == ">":
                break
            name_begin = i
            while self.at(i) not in _SPACE and self.at(i) not in "=>/\"'":
                i += 1
            name = self.html[name_begin:i]
            if not name:
                raise self.fail(
                    f'Empty attribute name in the tag "{tag}" at byte offset {self.byte_offset(begin)}'
                )
            while i < len(self.html) and self.at(i) in _SPACE:
                i += 1
            if self.at(i) != "=":
                if i >= len(self.html):
                    raise self.fail(f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}')
                if tag == "blockquote" and name == "expandable":
                    argument = "1"
                continue
            i += 1
            while i < len(self.html) and self.at(i) in _SPACE:
                i += 1
            if i >= len(self.html):
                raise self.fail(f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}')
            value, i = self.attribute_value(i)
            if i >= len(self.html):
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            argument = _tag_argument(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            raise self.fail(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(_Open(tag, argument, self.utf16, len(self.out)))
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        """Read a name token (lowercased) or a quoted string with its references decoded."""
        quote = self.at(i)
        if quote not in "\"'":
            token_begin = i
            while self.at(i) in _ASCII_ALNUM or self.at(i) in ".-":
                i += 1
            if self.at(i) not in _SPACE and self.at(i) != ">":
                raise self.fail(
                    f"Unexpected end of name token at byte offset {self.byte_offset(token_begin)}"
                )
            return self.html[token_begin:i].lower(), i
        i += 1
        value: list[str] = []
        while i < len(self.html) and self.html[i] != quote:
            if self.html[i] == "&":
                decoded, end = _decode_reference(self.html, i)
                if decoded is not None:
                    value.append(decoded)
                    i = end
                    continue
            value.append(self.html[i])
            i += 1
        if self.at(i) == quote:
            i += 1
        return "".join(value), i

    def end_tag(self, begin: int) -> int:
        """Read ``</name>`` from ``begin``, close the open entity; return the index after ``>``."""
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while self.at(i) not in _SPACE and self.at(i) != ">":
            i += 1
        name = self.html[begin + 2 : i].lower()
        while i < len(self.html) and self.at(i) in _SPACE:
            i += 1
        if self.at(i) != ">":
            raise self.fail(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise self.fail(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.tag}>", found "</{name}>"'
            )
        if self.utf16 > opened.offset:
            self.add_entity(opened, self.utf16 - opened.offset)
        return i + 1

    def add_entity(self, opened: _Open, length: int) -> None:
        offset, tag, argument = opened.offset, opened.tag, opened.argument
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and last["offset"] == offset and last["length"] == length
        entity: dict[str, Any] = {"offset": offset, "length": length}
        if tag in _SIMPLE_TYPES:
            entity["type"] = _SIMPLE_TYPES[tag]
        elif tag == "blockquote":
            entity["type"] = "expandable_blockquote" if argument else "blockquote"
        elif tag == "tg-emoji":
            if not argument.isdigit() or int(argument) <= 0:
                raise self.fail("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=argument)
        elif tag == "a":
            url = argument or "".join(self.out[opened.start :])
            user_id = _user_link_id(url)
            if user_id is not None:
                user = {"id": user_id, "is_bot": False, "first_name": ""}
                entity.update(type="text_mention", user=user)
            elif check_url(url) is None:
                entity.update(type="text_link", url=url)
            else:
                return  # Telegram drops a link it cannot use instead of failing
        elif tag == "pre":
            if last is not None and same_span and last["type"] == "code" and last.get("language"):
                last["type"] = "pre"
                return
            entity["type"] = "pre"
        else:  # code
            if last is not None and same_span and last["type"] == "pre" and argument:
                last["language"] = argument
                return
            entity["type"] = "code"
            if argument:
                entity["language"] = argument
        self.entities.append(entity)


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    if (tag, attribute) in {("a", "href"), ("tg-emoji", "emoji-id")}:
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    return current


def _decode_reference(html: str, i: int) -> tuple[str | None, int]:
    """Decode the character reference at ``html[i] == "&"``, as TDLib's decode_html_entity.

    Returns the character and the index after the reference (its ``;`` is optional), or
    ``(None, i)`` when the ``&`` starts no reference Telegram knows: it then stays literal.
    """
    end = i + 1
    if html.startswith("&#", i):
        end += 1
        hexadecimal = html.startswith("&#x", i)
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        end += hexadecimal
        start = end
        while end < len(html) and html[end] in digits:
            end += 1
        if end == start or end - i >= 10:
            return None, i
        code = int(html[start:end], 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF:
            return None, i
        char = chr(code)
    else:
        while end < len(html) and html[end].isascii() and html[end].isalpha():
            end += 1
        named = _NAMED_REFERENCES.get(html[i + 1 : end])
        if named is None:
            return None, i
        char = named
    if end < len(html) and html[end] == ";":
        end += 1
    return char, end


def _user_link_id(url: str) -> int | None:
    match = re.fullmatch(r"tg://user\?id=(\d{1,19})", url)
    return int(match.group(1)) if match else None


def check_url(url: str) -> str | None:
    """Return why Telegram would refuse ``url`` as a link or button URL, or None if it is fine."""
    if not url or any(ch.isspace() for ch in url):
        return "Wrong HTTP URL"
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "http", url
    scheme = scheme.lower()
    if scheme in {"tg", "ton"}:
        return None if rest else "Wrong URL"
    if scheme not in {"http", "https"}:
        return "Unsupported URL protocol"
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    host = re.sub(r":\d{1,5}$", "", host)
    if "." not in host.strip(".") or not all(ch.isalnum() or ch in ".-_" for ch in host):
        return "Wrong HTTP URL"
    return None


def format_text(
    text: str,
    parse_mode: str | None = None,
    entities: Sequence[Mapping[str, Any]] | None = None,
    *,
    strict_entities: bool = True,
) -> FormattedText:
    """Turn a ``text`` + ``parse_mode``/``entities`` pair into what the user would see.

    Leading and trailing whitespace is trimmed, as Telegram does, and entities follow the trim.
    """
    if parse_mode:
        if parse_mode.lower() != "html":
            # Only HTML is implemented: fail loudly rather than show unparsed Markdown.
            raise ContentError(f"unsupported parse_mode {parse_mode!r} (the emulator parses HTML)")
        parsed = parse_html(text, strict_entities=strict_entities)
    else:
        parsed = FormattedText(text, tuple(dict(e) for e in entities or ()))
    return _trim(parsed)


def _trim(parsed: FormattedText) -> FormattedText:
    text = parsed.text.rstrip(_TRIMMED)
    stripped = text.lstrip(_TRIMMED)
    shift = utf16_len(text) - utf16_len(stripped)
    limit = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, tuple(entities))


def check_message_text(
    text: object,
    parse_mode: str | None = None,
    entities: Sequence[Mapping[str, Any]] | None = None,
    *,
    strict_entities: bool = True,
) -> FormattedText:
    """Validate a message text as sendMessage/editMessageText do; return the visible text."""
    if not isinstance(text, str) or not text:
        raise ContentError("message text is empty")
    formatted = format_text(text, parse_mode, entities, strict_entities=strict_entities)
    if not formatted.text:
        raise ContentError("message text is empty")
    if utf16_len(formatted.text) > MAX_MESSAGE_LENGTH:
        raise ContentError("message is too long")
    return formatted


def check_reply_markup(markup: object) -> None:
    """Validate a reply_markup object the way the Bot API does, raising ``ContentError``."""
    if markup is None:
        return
    if not isinstance(markup, Mapping):
        raise ContentError("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for button in _buttons(markup["inline_keyboard"], "inline_keyboard"):
            _check_inline_button(button)
    elif "keyboard" in markup:
        for button in _buttons(markup["keyboard"], "keyboard"):
            text = button.get("text") if isinstance(button, Mapping) else button
            if not isinstance(text, str) or not text.strip():
                raise ContentError("can't parse keyboard button: Text must be non-empty")


def _buttons(rows: object, field: str) -> list[Any]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ContentError(f'Field "{field}" of the markup must be an Array of Arrays')
    return [button for row in rows for button in row]


def _check_inline_button(button: object) -> None:
    if not isinstance(button, Mapping):
        raise ContentError("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ContentError("can't parse inline keyboard button: Text must be non-empty")
    if not any(action in button for action in _BUTTON_ACTIONS):
        raise ContentError(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise ContentError("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        problem = check_url(url) if isinstance(url, str) else "Wrong HTTP URL"
        if problem is not None:
            raise ContentError(f"inline keyboard button URL '{url}' is invalid: {problem}")
