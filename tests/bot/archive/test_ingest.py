"""The analysis side of ingest: chunks over a shared vocabulary, and their term blobs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.archive.ingest import AnalysedChunk, analyse_records
from bot.archive.report_files import ReportRecord
from retrieval import analyze_document, encode_terms, split_passages

terms = st.text(alphabet="कखगabc:", min_size=1, max_size=4)
passages = st.dictionaries(terms, st.integers(1, 70_000), max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(passages, max_size=8), st.data())
def test_chunk_blobs_are_what_encode_terms_gives_each_passage(
    counts: list[dict[str, int]], data: st.DataObject
) -> None:
    vocab: dict[str, int] = {}
    local = [vocab.setdefault(term, len(vocab)) for c in counts for term in c]
    ids = data.draw(
        st.lists(st.integers(0, 2**32 - 1), min_size=len(vocab), max_size=len(vocab), unique=True)
    )
    offsets = np.concatenate(([0], np.cumsum([len(c) for c in counts]))).astype(np.int64)
    chunk = AnalysedChunk(
        [],
        list(vocab),
        offsets,
        np.asarray(local, dtype=np.int32),
        np.asarray([tf for c in counts for tf in c.values()], dtype=np.int32),
    )
    term_ids = np.asarray(ids, dtype=np.uint32)
    expected = [
        encode_terms([ids[vocab[t]] for t in c], [min(tf, 0xFFFF) for tf in c.values()]) for c in counts
    ]
    assert chunk.blobs(term_ids) == expected


def test_a_chunk_holds_every_passage_of_every_report_with_its_terms() -> None:
    records = [
        ReportRecord("a", "ममता बनर्जी कोलकाता में", "अखिलेश यादव ने ममता बनर्जी से मुलाकात की। दोनों नेता मिले।"),
        ReportRecord("b", "Cricket", "भारत ने मैच जीता। Rohit scored 80 runs."),
    ]
    chunk = analyse_records(records)
    texts = [text for report in chunk.reports for text, _ in report.passages]
    # Neither headline is in its body, so each is a passage of its own, before the body's.
    expected = [
        *[p.text for p in split_passages("ममता बनर्जी कोलकाता में")],
        *[p.text for p in split_passages("अखिलेश यादव ने ममता बनर्जी से मुलाकात की। दोनों नेता मिले।")],
        *[p.text for p in split_passages("Cricket")],
        *[p.text for p in split_passages("भारत ने मैच जीता। Rohit scored 80 runs.")],
    ]
    assert texts == expected
    assert len(chunk.offsets) == len(texts) + 1
    for i, text in enumerate(texts):
        lo, hi = chunk.offsets[i], chunk.offsets[i + 1]
        got = {chunk.vocab[t]: int(tf) for t, tf in zip(chunk.terms[lo:hi], chunk.tfs[lo:hi], strict=True)}
        assert got == analyze_document(text).counts
    assert len(set(chunk.vocab)) == len(chunk.vocab)
    assert [len(r.meetings) for r in chunk.reports] == [1, 0]
