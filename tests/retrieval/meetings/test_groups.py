"""Grouping the reports of one meeting: same two parties, either order, after name normalisation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from retrieval import group_meetings
from retrieval.meetings.groups import party_form


def test_same_parties_in_either_order_are_one_meeting() -> None:
    parties = [
        (["अखिलेश यादव"], ["ममता बनर्जी"]),
        (["ममता बनर्जी"], ["अखिलेश यादव"]),
        (["शिवपाल यादव"], ["ममता बनर्जी"]),
    ]
    assert group_meetings(parties) == [(0, 1), (2,)]


def test_spellings_differing_in_nukta_zwj_and_spaces_are_one_meeting() -> None:
    parties = [
        (["फ़ैज़ अहमद"], ["ज़ोया ख़ान"]),
        (["फैज  अहमद"], ["ज़ोया\u200d ख़ान"]),
        (["ज़ोया ख़ान"], ["फैज अहमद"]),
    ]
    assert group_meetings(parties) == [(0, 1, 2)]


def test_an_alias_joins_the_latin_spelling() -> None:
    parties = [
        (["ममता बनर्जी", "Mamata Banerjee"], ["अखिलेश यादव"]),
        (["mamata  banerjee"], ["अखिलेश यादव"]),
        (["Mamata Banerjee"], ["शिवपाल यादव"]),
    ]
    assert group_meetings(parties) == [(0, 1), (2,)]


def test_one_shared_party_is_not_the_same_meeting() -> None:
    assert group_meetings([(["राम"], ["श्याम"]), (["राम"], ["मोहन"])]) == [(0,), (1,)]


def test_party_form_folds_chandrabindu_and_case() -> None:
    assert party_form("माँ  Devi") == party_form("मां devi")


@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["राम", "श्याम", "Ram", ""]), max_size=2),
            st.lists(st.sampled_from(["सीता", "राम", "ram"]), max_size=2),
        )
    )
)
def test_every_meeting_is_in_exactly_one_group(parties: list[tuple[list[str], list[str]]]) -> None:
    groups = group_meetings(parties)
    assert sorted(i for g in groups for i in g) == list(range(len(parties)))
    assert all(list(g) == sorted(g) for g in groups)
