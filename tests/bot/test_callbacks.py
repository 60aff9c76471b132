"""Callback data: the wire strings old buttons carry, read back and written the same way."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import (
    AnswerPage,
    Callback,
    ChooseLanguage,
    LatestPage,
    ShowReport,
    Subscribe,
    Unsubscribe,
    encode,
    matches,
    parse,
)
from bot.notify.matcher import notification
from storage import Report, Subscription

# The exact strings earlier versions put on buttons; buttons in chats still carry them.
WIRE = [
    ("q:17", AnswerPage(17)),
    ("m:17:2", AnswerPage(17, 2)),
    ("r:345", ShowReport(345)),
    ("l:10", LatestPage(10)),
    ("l:0", LatestPage(0)),
    ("lang:hi", ChooseLanguage("hi")),
    ("lang:en", ChooseLanguage("en")),
    ("s:5", Subscribe(5)),
    ("u:999999999999", Unsubscribe(999999999999)),
]


@pytest.mark.parametrize(("data", "callback"), WIRE)
def test_old_wire_strings_parse(data: str, callback: Callback) -> None:
    assert parse(data) == callback


@pytest.mark.parametrize(("data", "callback"), WIRE)
def test_encode_writes_the_old_wire_strings(data: str, callback: Callback) -> None:
    assert encode(callback) == data


@pytest.mark.parametrize(
    "data",
    [
        "",
        "x",
        "ans:old:1",
        "lang:fr",
        "q:",
        "q:-1",
        "q:1 ",
        "s:12\n",
        "q:1234567890123",  # more digits than any id the bot wrote
        "m:1:1234",
        "l:1234567890",
        None,
        12,
    ],
)
def test_anything_else_is_no_button_of_ours(data: object) -> None:
    assert parse(data) is None


ids = st.integers(min_value=0, max_value=10**9)
callbacks = st.one_of(
    st.builds(AnswerPage, ids, st.integers(min_value=0, max_value=999)),
    st.builds(ShowReport, ids),
    st.builds(LatestPage, st.integers(min_value=0, max_value=10**8)),
    st.builds(ChooseLanguage, st.sampled_from(["hi", "en"])),
    st.builds(Subscribe, ids),
    st.builds(Unsubscribe, ids),
)


@given(callbacks)
def test_parse_reads_back_what_encode_writes_within_telegrams_64_bytes(callback: Callback) -> None:
    data = encode(callback)
    assert len(data.encode()) <= 64
    assert parse(data) == callback


def test_matches_routes_each_kind_to_its_handler_only() -> None:
    assert matches(ShowReport)("r:3")
    assert not matches(ShowReport)("u:3")
    assert matches(Subscribe, Unsubscribe)("u:3")
    assert not matches(AnswerPage)("lang:hi")
    assert not matches(AnswerPage)(None)


def test_a_notifications_buttons_are_a_full_report_and_unsubscribe() -> None:
    # The notifier stores its buttons as JSON in the outbox; pressed later, they must parse.
    report = Report(
        id=7,
        origin="feed",
        title="शीर्षक",
        body="पाठ",
        url=None,
        source=None,
        published=None,
        content_hash="hash",
        ingested_at="2026-12-01",
    )
    subscription = Subscription(
        id=42, chat_id=1001, topic="ममता", lang="hi", active=True, since_seq=0, created_at="2026-12-01"
    )
    _, markup = notification(report, [], subscription, bot_username=None)
    pressed = [parse(data) for row in json.loads(markup) for _, data in row]
    assert pressed == [ShowReport(7), Unsubscribe(42)]
