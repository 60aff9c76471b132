"""``khabri eval SUITE`` through the command line, on small fixtures and real temporary stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("KHABRI_DB", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_eval_questions_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = [
        {
            "id": "a",
            "query": "शिवपाल यादव बैठक छोड़कर कहां गए?",
            "script": "deva",
            "kind": "fact",
            "answer_any": ["उत्तर प्रदेश"],
        },
        {
            "id": "b",
            "query": "shivpal yadav sahkarita chunav",
            "script": "roman",
            "kind": "fact",
            "answer_any": ["सहकारिता"],
        },
        {
            "id": "c",
            "query": "ओलंपिक में भाला फेंक का स्वर्ण पदक",
            "script": "deva",
            "kind": "none",
            "answer_any": [],
        },
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    status, out, _ = run(capsys, "eval", "questions", str(path), "--json", "--db", str(tmp_path / "k.db"))
    assert status == 0
    data = json.loads(out)
    assert (data["suite"], data["n"]) == ("questions", 3)
    assert data["metrics"]["hit@3"] == 1.0
    assert data["metrics"]["no_answer_accuracy"] == 1.0
    assert set(data["metrics"]["by_script"]) == {"deva", "roman"}


def test_eval_xquad_on_a_small_fixture(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    passages = [
        {"passage_id": "p1", "title": "नदी", "context": "गंगा भारत की सबसे लंबी नदी है। यह हिमालय से निकलती है।"},
        {"passage_id": "p2", "title": "पर्वत", "context": "एवरेस्ट दुनिया का सबसे ऊंचा पर्वत है। यह नेपाल में है।"},
    ]
    questions = [
        {"id": "q1", "question": "गंगा कहां से निकलती है?", "answers": [{"text": "हिमालय"}], "passage_id": "p1"},
        {
            "id": "q2",
            "question": "सबसे ऊंचा पर्वत कौन सा है?",
            "answers": [{"text": "एवरेस्ट"}],
            "passage_id": "p2",
        },
    ]
    distractors = [{"line": 1, "text": "पर्वतारोही हर साल नेपाल जाते हैं।"}]
    for name, rows in (("p.jsonl", passages), ("q.jsonl", questions), ("d.jsonl", distractors)):
        (tmp_path / name).write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8"
        )
    status, out, _ = run(
        capsys,
        "eval",
        "xquad",
        "--passages",
        str(tmp_path / "p.jsonl"),
        "--questions",
        str(tmp_path / "q.jsonl"),
        "--distractors",
        str(tmp_path / "d.jsonl"),
        "--json",
    )
    assert status == 0
    metrics = json.loads(out)["metrics"]
    assert metrics == {"answer@1": 1.0, "answer@3": 1.0, "passage@1": 1.0, "mrr": 1.0}


def test_eval_roman_on_a_small_fixture(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # BM25Okapi gives a term found in half the documents an idf of 0, so use more than two.
    pairs = [
        {"native": "मेरा गांव नदी के किनारे है", "roman": "mera gaon nadi ke kinare hai"},
        {"native": "बाजार में आज बहुत भीड़ थी", "roman": "bazar me aaj bahut bheed thi"},
        {"native": "स्कूल की छुट्टी कल से शुरू होगी", "roman": "school ki chhutti kal se shuru hogi"},
        {"native": "किसान बारिश का इंतजार कर रहे हैं", "roman": "kisan barish ka intezar kar rahe hain"},
        {"native": "रेलगाड़ी दो घंटे देर से पहुंची", "roman": "railgadi do ghante der se pahunchi"},
    ]
    (tmp_path / "p.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in pairs), encoding="utf-8"
    )
    status, out, _ = run(
        capsys, "eval", "roman", "--pairs", str(tmp_path / "p.jsonl"), "--words", "3", "--json"
    )
    assert status == 0
    data = json.loads(out)
    assert data["suite"] == "roman"
    assert data["metrics"]["hit@1"] == 1.0
    assert data["metrics"]["native_hit@1"] == 1.0


def test_eval_roman_builds_its_store_at_db_and_keeps_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pairs = [{"native": f"गांव {n} में मेला लगा", "roman": f"gaon {n} me mela laga"} for n in range(5)]
    (tmp_path / "p.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in pairs), encoding="utf-8"
    )
    db = tmp_path / "roman.db"
    status, _, _ = run(
        capsys, "eval", "roman", "--pairs", str(tmp_path / "p.jsonl"), "--db", str(db), "--json"
    )
    assert status == 0
    status, out, _ = run(capsys, "reports", "--db", str(db))
    assert status == 0
    assert "गांव 3 में मेला लगा" in out
    # An existing store is never written into.
    status, _, err = run(capsys, "eval", "roman", "--pairs", str(tmp_path / "p.jsonl"), "--db", str(db))
    assert status == 2
    assert "exists" in err


def test_eval_meetings_on_a_labelled_file(capsys: pytest.CaptureFixture[str]) -> None:
    # The project's own labelled sentences (meetings_dev.jsonl's format), so it never skips.
    path = Path(__file__).resolve().parents[2] / "retrieval" / "meetings" / "data" / "meetings_extra.jsonl"
    status, out, _ = run(capsys, "eval", "meetings", str(path), "--json")
    assert status == 0
    metrics = json.loads(out)["metrics"]
    assert metrics["f1"] >= 0.85
    assert metrics["precision"] >= 0.9


def test_eval_with_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(
        capsys, "eval", "questions", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "k.db")
    )
    assert status == 2
    assert "nope.jsonl" in err


def test_eval_questions_on_report_files_builds_its_own_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    reports = tmp_path / "news.jsonl"
    bodies = [
        "असम में बाढ़ से कई सड़कें बंद हो गईं.प्रशासन ने गुवाहाटी में राहत शिविर खोले.",
        "दिल्ली में रविवार को नए पुस्तकालय का उद्घाटन हुआ.",
        "पुणे की टीम ने फ़ाइनल में मुंबई को 3-1 से हराया.",
    ]
    reports.write_text(
        "\n".join(json.dumps({"row": i, "text": b}, ensure_ascii=False) for i, b in enumerate(bodies)),
        encoding="utf-8",
    )
    questions = tmp_path / "q.jsonl"
    rows = [
        {
            "id": "q1",
            "query": "बाढ़ के बाद राहत शिविर कहां खोले गए?",
            "script": "deva",
            "kind": "fact",
            "answer_any": ["गुवाहाटी"],
        },
        {
            "id": "q2",
            "query": "pune ne mumbai ko kitne se haraya",
            "script": "roman",
            "kind": "fact",
            "answer_any": ["3-1"],
        },
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    db = tmp_path / "untouched.db"
    status, out, _ = run(
        capsys, "eval", "questions", str(questions), "--reports", str(reports), "--db", str(db), "--json"
    )
    assert status == 0
    metrics = json.loads(out)["metrics"]
    assert metrics["hit@3"] == 1.0
    # The temporary store is used, not the --db one (and the seeds are not loaded into it).
    assert not db.exists()


def test_eval_questions_on_unreadable_reports_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "q", "query": "x", "kind": "fact", "answer_any": ["x"]}', encoding="utf-8")
    status, _, err = run(capsys, "eval", "questions", str(questions), "--reports", str(tmp_path / "none"))
    assert status == 2
    assert "no report could be read" in err
