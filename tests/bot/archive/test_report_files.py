"""Reading report files: formats, titles, front matter, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.archive.report_files import (
    Problem,
    ReportRecord,
    find_report_files,
    first_sentence,
    parse_date,
    read_report_file,
    record_from_mapping,
    split_title,
)


def read(path: Path) -> list[ReportRecord | Problem]:
    return list(read_report_file(path))


def only_record(path: Path) -> ReportRecord:
    (item,) = read(path)
    assert isinstance(item, ReportRecord), item
    return item


def only_problem(path: Path) -> str:
    (item,) = read(path)
    assert isinstance(item, Problem), item
    return str(item)


@pytest.mark.parametrize(
    ("text", "title", "body_starts"),
    [
        ("बड़ी खबर: बैठक आज\nपहला वाक्य है। दूसरा।", "बड़ी खबर: बैठक आज", "पहला वाक्य"),
        ("पहला वाक्य है। दूसरा वाक्य।", "पहला वाक्य है।", "पहला वाक्य"),
        ("Headline one. More text on one line", "Headline one.", "Headline one"),
        ("शीर्षक नहीं है बस एक पंक्ति", "शीर्षक नहीं है बस एक पंक्ति", "शीर्षक"),
    ],
)
def test_split_title(text: str, title: str, body_starts: str) -> None:
    got_title, body = split_title(text)
    assert got_title == title
    assert body.startswith(body_starts)


def test_a_long_first_line_is_a_paragraph_so_the_title_is_its_first_sentence() -> None:
    first = "यह एक लंबा वाक्य है " * 5 + "। " + "दूसरा वाक्य भी है। " * 15
    title, body = split_title(first + "\nअगला अनुच्छेद।")
    assert title.endswith("।")
    assert len(title) < len(first)
    assert body.startswith("यह एक")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-03-17", "2023-03-17"),
        ("2023-03-17T10:30:00+05:30", "2023-03-17"),
        ("2023-03-17T10:30:00Z", "2023-03-17"),
        ("Fri, 17 Mar 2023 10:30:00 +0530", "2023-03-17"),
        (None, None),
        ("", None),
    ],
)
def test_parse_date(value: str | None, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["17/03/2023", "kal", "2023-13-45", "20230317x"])
def test_parse_date_rejects_what_is_not_a_date(value: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date(value)


def test_txt_with_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: साफ़ शीर्षक\nurl: https://news.example/a\npublished: 2023-03-17\n"
        "source: उदाहरण न्यूज़\n---\nपहली पंक्ति\nदूसरी पंक्ति।\n",
        encoding="utf-8",
    )
    got = only_record(path)
    assert (got.title, got.url, got.published, got.source) == (
        "साफ़ शीर्षक",
        "https://news.example/a",
        "2023-03-17",
        "उदाहरण न्यूज़",
    )
    assert got.origin == "https://news.example/a"
    assert got.body == "पहली पंक्ति\nदूसरी पंक्ति।"


def test_txt_without_url_is_keyed_by_its_path(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text("शीर्षक\nपाठ।", encoding="utf-8")
    assert only_record(path).origin == f"file:{path.resolve()}"


def test_bom_and_crlf_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_bytes("\ufeffशीर्षक\r\nपाठ है।\r\n".encode())
    got = only_record(path)
    assert (got.title, got.body) == ("शीर्षक", "पाठ है।")


def test_jsonl_records_and_bad_lines_by_number(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    rows = [
        json.dumps({"title": "एक", "body": "पहली खबर।", "published": "2024-01-02"}),
        "",
        json.dumps({"title": "दो"}),
        "{not json",
        json.dumps({"text": "बिना शीर्षक की खबर। और वाक्य।", "url": "https://x.example/2"}),
        json.dumps({"body": "तारीख गलत।", "published": "कल"}),
    ]
    path.write_text("\n".join(rows), encoding="utf-8")
    items = read(path)
    records = [i for i in items if isinstance(i, ReportRecord)]
    problems = [str(i) for i in items if isinstance(i, Problem)]
    assert [r.title for r in records] == ["एक", "बिना शीर्षक की खबर।"]
    assert records[1].origin == "https://x.example/2"
    assert problems == [
        f"{path}:3: record has no body (give `body` or `text`)",
        f"{path}:4: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{path}:6: published 'कल' is not a date (use 2023-03-17)",
    ]


def test_json_array_names_the_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"body": "ठीक है।"}, {"body": ""}, "text"]), encoding="utf-8")
    problems = [str(i) for i in read(path) if isinstance(i, Problem)]
    assert problems == [
        f"{path} record 2: record has no body (give `body` or `text`)",
        f"{path} record 3: expected a JSON object, got str",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("bin.txt", b"abc\x00\x01\x02", "binary file"),
        ("latin1.txt", "line one\nनमस्ते".encode() + b"\nbad \xe9 byte", "line 3: not UTF-8"),
        ("open.md", b"---\ntitle: x\nurl: y\n", "never closed"),
        ("fm.md", "---\nबिना कोलन\n---\nपाठ".encode(), "line 2: front matter"),
        ("bad.json", b'[{"body": 1,}]', "not valid JSON"),
        ("empty.json", b"[]", "no records"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert message in only_problem(path)


def test_file_over_5_mb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    assert "limit is 5 MB" in only_problem(path)


def test_find_report_files_walks_folders_and_flags_odd_paths(tmp_path: Path) -> None:
    (tmp_path / "d" / "e").mkdir(parents=True)
    for name in ("d/b.txt", "d/e/a.jsonl", "d/skip.png", "x.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = list(find_report_files([tmp_path / "d", tmp_path / "x.csv", tmp_path / "missing"]))
    assert found[:2] == [tmp_path / "d/b.txt", tmp_path / "d/e/a.jsonl"]
    assert [str(p) for p in found[2:]] == [
        f"{tmp_path / 'x.csv'}: not a report file (use .txt, .md, .json, .jsonl)",
        f"{tmp_path / 'missing'}: no such file or folder",
    ]


def test_the_seeds_read_cleanly() -> None:
    seeds = sorted((Path(__file__).resolve().parents[3] / "seeds").glob("*.txt"))
    assert len(seeds) >= 2
    for path in seeds:
        got = only_record(path)
        assert got.title
        assert len(got.body) > len(got.title)


def test_a_record_without_title_is_named_by_its_first_sentence_and_keeps_its_text() -> None:
    body = "टीम कल लौटेगी.कप्तान ने कहा कि सब ठीक है.\n\nदूसरा पैराग्राफ़."
    record = record_from_mapping({"text": body}, "row:1", "news.jsonl:1")
    assert record.title == "टीम कल लौटेगी."
    assert record.body == body.strip()


def test_a_long_first_sentence_is_cut_at_a_word_boundary() -> None:
    words = ["शब्द"] * 120
    title = first_sentence(" ".join(words) + ". अगला वाक्य.")
    assert title.endswith("…")
    assert len(title) <= 250
    assert title[:-1].split(" ") == words[: len(title[:-1].split(" "))]
