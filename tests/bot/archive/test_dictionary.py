"""The English–Hindi dictionary read from real files, and English questions answered through it."""

from __future__ import annotations

import gzip
import logging
import os
from pathlib import Path

import pytest

from bot.archive.core import Archive
from bot.archive.dictionary import (
    MAX_DICTIONARY_BYTES,
    SYSTEM_DICTIONARY,
    DictionaryError,
    index_of,
    load_dictionary,
    read_dictionary,
)
from bot.archive.report_files import ReportRecord
from tests.auxil.dictd import SMALL, write_dictd


@pytest.mark.parametrize("zipped", [True, False])
def test_a_dictd_dictionary_is_read_zipped_or_plain(tmp_path: Path, zipped: bool) -> None:
    name = write_dictd(tmp_path / f"eng-hin-{zipped}", SMALL, zipped=zipped)
    dictionary = read_dictionary(name)
    assert [s.word for s in dictionary.senses("directors")] == ["अध्यक्ष", "निर्देशक"]
    assert len(dictionary) == len({headword for headword, _ in SMALL})


def test_missing_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match="no dictionary index"):
        read_dictionary(tmp_path / "none")
    (tmp_path / "half.index").write_text("music\tA\tB\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"no dictionary body .*half\.dict\.dz"):
        read_dictionary(tmp_path / "half")


@pytest.mark.parametrize(
    ("index", "body", "says"),
    [
        ("music\tA\n", gzip.compress(b"x"), "not a dictd index"),
        ("music\tA\tB\n", b"not gzip at all", "not a readable dictd dictionary"),
        ("music\tA\tB\n", gzip.compress(b"\0" * (MAX_DICTIONARY_BYTES + 1)), "unpacks to more than"),
    ],
)
def test_a_broken_dictionary_is_refused_with_what_is_wrong(
    tmp_path: Path, index: str, body: bytes, says: str
) -> None:
    (tmp_path / "bad.index").write_text(index, encoding="utf-8")
    (tmp_path / "bad.dict.dz").write_bytes(body)
    with pytest.raises(DictionaryError, match=says):
        read_dictionary(tmp_path / "bad")


def test_without_a_usable_dictionary_the_archive_translates_nothing_and_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert load_dictionary(None) is None
    (tmp_path / "bad.index").write_text("not an index\n", encoding="utf-8")
    (tmp_path / "bad.dict").write_bytes(b"")
    with caplog.at_level(logging.INFO, logger="bot.archive.dictionary"):
        assert load_dictionary(tmp_path / "bad") is None
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "not translated" in caplog.text


# CI installs Debian's package (.ci/run) and must not skip this; elsewhere it may be absent.
@pytest.mark.skipif(
    not index_of(SYSTEM_DICTIONARY).exists() and not os.environ.get("CI"),
    reason="dict-freedict-eng-hin is not installed",
)
def test_the_systems_freedict_dictionary_reads_and_translates() -> None:
    dictionary = read_dictionary(SYSTEM_DICTIONARY)
    assert len(dictionary) > 10_000
    assert "संगीत" in [s.word for s in dictionary.senses("music")]
    assert "देश" in [s.word for s in dictionary.senses("countries")]


FILM = ReportRecord(
    origin="https://news.example/film",
    title="नीला आसमान की टीम",
    body=(
        "फ़िल्म नीला आसमान के लिए अमन वर्मा को संगीत निर्देशक चुना गया है। फ़िल्म की शूटिंग अगले महीने "
        "मुंबई में शुरू होगी। निर्माता ने कहा कि फ़िल्म दिसंबर में रिलीज़ होगी।"
    ),
    where="film",
)
SHOOTING = ReportRecord(
    origin="https://news.example/shooting",
    title="नीला आसमान की शूटिंग पूरी",
    body=(
        "नीला आसमान की शूटिंग दिल्ली में पूरी हो गई है। नीला आसमान के निर्माता ने कहा कि नीला आसमान "
        "की कहानी दो भाइयों की है।"
    ),
    where="shooting",
)
MARKET = ReportRecord(
    origin="https://news.example/market",
    title="मंडी में प्याज",
    body="नासिक की मंडी में प्याज के दाम गिरे। किसानों ने कहा कि लागत भी नहीं निकल रही।",
    where="market",
)


async def ask_film(tmp_path: Path, dictionary: Path | None, question: str) -> list[str]:
    """The sentences the reply quotes, answering or offered as related, in the order shown."""
    archive = await Archive.open(tmp_path / f"{dictionary is None}.db", seed=False, dictionary=dictionary)
    try:
        await archive.ingest_records([FILM, SHOOTING, MARKET])
        asked = await archive.ask(question)
        return [q.text for r in (*asked.answer.reports, *asked.answer.related) for q in r.quotes]
    finally:
        await archive.close()


ANSWER = "फ़िल्म नीला आसमान के लिए अमन वर्मा को संगीत निर्देशक चुना गया है।"


@pytest.mark.parametrize(
    "question", ["Who is the music director of Neela Aasman?", "neela aasman ka music director kaun hai"]
)
async def test_a_question_finds_the_words_the_report_translated(tmp_path: Path, question: str) -> None:
    name = write_dictd(tmp_path / "eng-hin", SMALL)
    assert (await ask_film(tmp_path, name, question))[:1] == [ANSWER]
    # Without the dictionary, music and director are only their sounds, which the report never wrote.
    assert (await ask_film(tmp_path, None, question))[:1] != [ANSWER]


async def test_a_romanized_questions_translated_loan_answers_but_an_english_one_is_only_offered(
    tmp_path: Path,
) -> None:
    name = write_dictd(tmp_path / "eng-hin", SMALL)
    archive = await Archive.open(tmp_path / "film.db", seed=False, dictionary=name)
    try:
        await archive.ingest_records([FILM, SHOOTING, MARKET])
        romanized = await archive.ask("neela aasman ka music director kaun hai")
        english = await archive.ask("Who is the music director of Neela Aasman?")
    finally:
        await archive.close()
    assert romanized.answer.answered
    # In English every word is translated, so a sense finds the report but does not stand for the
    # word: the reply says what no report holds in its own words, and offers the report.
    assert not english.answer.answered
    assert english.missing == ("music", "director")
