"""Which analysis the stored index entries were made with.

A store keeps every passage's index terms and every report's meetings as this code analysed them
when the report arrived. When the analysis of documents changes (sentence splitting, passages,
index terms, meeting extraction), entries made before no longer match what questions are analysed
into, and answers quietly get worse. So the store records the version it was analysed with, and the
archive analyses every report again when it differs (``Archive.open``).

Bump ``ANALYSIS_VERSION`` whenever ``analysis_fingerprint`` changes: ``tests/retrieval/test_version.py``
pins the fingerprint of each version and fails when the analysis moved but the version did not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from retrieval.analyze import analyze_document
from retrieval.meetings import extract_meetings
from retrieval.passages import split_passages

__all__ = ["ANALYSIS_VERSION", "analysis_fingerprint"]

ANALYSIS_VERSION = 4


def analysis_fingerprint(texts: Iterable[str]) -> str:
    """A digest of everything the store keeps of these texts' analysis: passages, terms and meetings."""
    digest = hashlib.sha256()
    for text in texts:
        for passage in split_passages(text):
            digest.update(
                json.dumps(
                    [
                        passage.text,
                        [(s.start, s.end) for s in passage.sentences],
                        sorted(analyze_document(passage.text).counts.items()),
                    ],
                    ensure_ascii=False,
                ).encode()
            )
        for meeting in extract_meetings(text):
            parties = [(p.name, p.role, p.aliases) for p in (meeting.a, meeting.b)]
            digest.update(json.dumps([parties, meeting.place, meeting.when], ensure_ascii=False).encode())
    return digest.hexdigest()
