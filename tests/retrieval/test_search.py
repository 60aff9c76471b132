"""The ranking policy: query groups to term ids, content words choose, function words reorder."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from retrieval import (
    FUNCTION_FIELD,
    Alternative,
    QueryGroup,
    analyze_query,
    decode_batch,
    encode_terms,
    new_index,
    rank,
    ranked_query,
    terms_held,
    unknown_idf,
)


def index_of(docs: dict[int, dict[int, int]]):  # type: ignore[no-untyped-def]
    """An index of documents given as {doc id: {term id: tf}}, among filler documents (ids 1000+).

    The filler keeps every test term rare enough to have a positive idf.
    """
    docs = {**docs, **{1000 + n: {100 + n: 1} for n in range(20)}}
    index = new_index()
    ids = list(docs)
    index.add(*decode_batch(ids, [encode_terms(list(docs[d]), list(docs[d].values())) for d in ids]))
    return index


def test_ranked_query_drops_unknown_terms_and_empty_groups_and_splits_function_words() -> None:
    query = (
        QueryGroup("नासिक", "w", (Alternative("w:नासिक", 1.0), Alternative("w:नाशिक", 0.5))),
        QueryGroup("अनजान", "w", (Alternative("w:अनजान", 1.0),)),
        QueryGroup("में", FUNCTION_FIELD, (Alternative("f:में", 0.3),)),
    )
    ranked = ranked_query(query, {"w:नासिक": 7, "f:में": 9, "w:other": 3})
    assert ranked.content == [[(7, 1.0)]]
    assert ranked.function == [[(9, 0.3)]]
    assert ranked.term_ids == {"w:नासिक": 7, "f:में": 9}
    assert ranked.groups == [[(7, 1.0)], [(9, 0.3)]]


def test_a_real_question_keeps_its_function_words_apart() -> None:
    query = analyze_query("किसानों ने प्याज का दाम मांगा")
    every = {alt.term: n for n, alt in enumerate(a for g in query for a in g.alternatives)}
    ranked = ranked_query(query, every)
    fields = {g.field for g in query}
    assert FUNCTION_FIELD in fields
    assert ranked.function
    assert ranked.content
    assert len(ranked.content) + len(ranked.function) == len(query)


def test_function_words_reorder_the_front_runners_but_never_bring_in_a_passage() -> None:
    content, function = 1, 2
    index = index_of({10: {content: 1}, 11: {content: 1, function: 1}, 12: {function: 3}})
    ranked = ranked_query(
        (
            QueryGroup("a", "w", (Alternative("w:a", 1.0),)),
            QueryGroup("b", FUNCTION_FIELD, (Alternative("f:b", 1.0),)),
        ),
        {"w:a": content, "f:b": function},
    )
    hits = rank(index, ranked, 10)
    # 11 has both and leads; 12 has only the function word, so the content words never chose it.
    assert [h.doc_id for h in hits] == [11, 10]
    assert hits[0].score > hits[1].score


def test_a_question_of_function_words_alone_is_ranked_by_them() -> None:
    index = index_of({10: {5: 1}, 11: {6: 2}})
    ranked = ranked_query((QueryGroup("b", FUNCTION_FIELD, (Alternative("f:b", 1.0),)),), {"f:b": 6})
    assert [h.doc_id for h in rank(index, ranked, 10)] == [11]


def test_an_unknown_word_weighs_as_a_term_in_one_passage_of_n_plus_one() -> None:
    assert unknown_idf(0) == 1.0
    assert unknown_idf(99) == math.log(99.5 / 0.5)
    assert unknown_idf(1000) > unknown_idf(10)


@given(
    st.dictionaries(
        st.integers(1, 50),
        st.dictionaries(st.integers(0, 30), st.integers(1, 5), max_size=8),
        max_size=6,
    ),
    st.sets(st.integers(0, 40), max_size=6),
)
def test_terms_held_are_the_query_terms_in_each_passage(
    docs: dict[int, dict[int, int]], wanted: set[int]
) -> None:
    term_ids = {f"w:{t}": t for t in wanted}
    blobs = {d: encode_terms(list(terms), list(terms.values())) for d, terms in docs.items()}
    held = terms_held(term_ids, blobs)
    if not wanted:
        assert held == {}
        return
    assert set(held) == set(docs)
    for d, terms in docs.items():
        assert held[d] == frozenset(f"w:{t}" for t in terms if t in wanted)
