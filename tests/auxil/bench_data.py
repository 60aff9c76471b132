"""A benchmark data folder shaped like the shared one, written by the test: no test needs shared data."""

from __future__ import annotations

import json
from pathlib import Path

LINES = [f"यह पंक्ति संख्या {i} है जिसमें कुछ शब्द हैं।" for i in range(50)]


def write_data(folder: Path) -> Path:
    """Write the lines, four XQuAD-shaped questions and four romanized queries under ``folder``."""
    (folder / "xquad_hi_dev").mkdir(parents=True)
    (folder / "dakshina_hi").mkdir()
    rows = [json.dumps({"text": line}, ensure_ascii=False) for line in LINES]
    (folder / "hindi_wiki_lines.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    questions = [json.dumps({"question": f"पंक्ति संख्या {i} में क्या है?"}, ensure_ascii=False) for i in range(4)]
    (folder / "xquad_hi_dev" / "questions.jsonl").write_text("\n".join(questions) + "\n", encoding="utf-8")
    roman = [json.dumps({"roman": f"yah pankti sankhya {i} hai"}) for i in range(4)]
    (folder / "dakshina_hi" / "sentences.dev.jsonl").write_text("\n".join(roman) + "\n", encoding="utf-8")
    return folder
