import random
import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.lexicon import Lexicon, trigrams
from retrieval.transliterate import deva_key, latin_key

KEYS = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=10)


def test_trigrams_have_boundaries():
    assert trigrams("mmt") == {"^mm", "mmt", "mt$"}
    assert trigrams("k") == {"^k$"}


def test_add_contains_len():
    lex = Lexicon(["mmt", "bnrji"])
    lex.add(["mmt", "", "klkt"])
    assert len(lex) == 3
    assert "klkt" in lex
    assert "xyz" not in lex


def test_add_rejects_non_strings():
    with pytest.raises(ValueError, match="str"):
        Lexicon([3])  # type: ignore[list-item]


def test_limit_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        Lexicon(["a"]).similar("a", 0)


def test_exact_key_ranks_first_and_similar_keys_follow():
    vocab = [deva_key(w) for w in ["बनर्जी", "बैनर", "बंगाल", "कोलकाता", "ममता", "मुलाकात"]]
    lex = Lexicon(vocab)
    assert lex.similar(deva_key("ममता"), 1) == [(deva_key("ममता"), 1.0)]
    # English spelling misses the key but the fuzzy lookup finds the word.
    assert latin_key("banerjee") not in lex
    assert lex.similar(latin_key("banerjee"), 1)[0][0] == deva_key("बनर्जी")


def test_skeleton_is_a_candidate_source():
    lex = Lexicon([deva_key("थर्ड"), deva_key("तीसरा")])
    best, sim = lex.similar(latin_key("third"), 1)[0]
    assert best == deva_key("थर्ड")
    assert sim >= 0.5


def test_empty_lexicon_and_key():
    assert Lexicon().similar("abc") == []
    assert Lexicon(["abc"]).similar("") == []


@given(st.lists(KEYS, max_size=40), KEYS, st.randoms(use_true_random=False))
def test_similarity_range_and_order_independent_of_insertion(keys, query, rnd):
    shuffled = list(keys)
    rnd.shuffle(shuffled)
    a, b = Lexicon(keys), Lexicon(shuffled)
    result = a.similar(query, 5)
    assert result == b.similar(query, 5)
    assert all(0.0 < s <= 1.0 for _, s in result)
    assert [s for _, s in result] == sorted((s for _, s in result), reverse=True)
    assert len(result) <= 5


@pytest.mark.slow
def test_scales_to_many_keys():
    rnd = random.Random(3)
    keys = {"".join(rnd.choices("bcdfgjklmnprstv" + "eiou", k=rnd.randint(3, 9))) for _ in range(120_000)}
    start = time.perf_counter()
    lex = Lexicon(keys)
    added = time.perf_counter() - start
    start = time.perf_counter()
    for key in list(keys)[:200]:
        lex.similar(key + "i", 5)
    per_lookup = (time.perf_counter() - start) / 200
    assert added < 10
    assert per_lookup < 0.05


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdkmnrst", min_size=1, max_size=8), max_size=40),
    st.text(alphabet="abcdkmnrst", min_size=1, max_size=8),
)
def test_a_lexicon_read_back_from_bytes_answers_the_same(keys: list[str], query: str) -> None:
    lexicon = Lexicon(keys)
    back = Lexicon.from_bytes(lexicon.to_bytes())
    assert len(back) == len(lexicon)
    assert all(key in back for key in keys)
    assert back.similar(query, limit=8) == lexicon.similar(query, limit=8)
    back.add(["zzz", query])  # and it keeps growing as the original would
    lexicon.add(["zzz", query])
    assert back.similar(query, limit=8) == lexicon.similar(query, limit=8)


@pytest.mark.parametrize("data", [b"", b"not a lexicon", b"PK\x03\x04 broken zip"])
def test_bytes_that_are_not_a_lexicon_are_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a lexicon"):
        Lexicon.from_bytes(data)


def test_a_lexicon_whose_parts_disagree_is_refused() -> None:
    import io

    import numpy as np

    with np.load(io.BytesIO(Lexicon(["mmt", "mamta"]).to_bytes())) as arrays:
        parts = dict(arrays)
    parts["next"] = parts["next"][:1]  # one key's chain link lost
    out = io.BytesIO()
    np.savez(out, **parts)
    with pytest.raises(ValueError, match="disagree"):
        Lexicon.from_bytes(out.getvalue())


def test_name_aliases_survive_a_snapshot_and_stay_out_of_the_keys():
    lexicon = Lexicon(["bnrji", "bnerji>bnrji", "bnerji>bnrji", "federer>fedr"])
    again = Lexicon.from_bytes(lexicon.to_bytes())
    assert again.aliases("bnerji") == ("bnrji",)
    assert again.aliases("federer") == ("fedr",)
    assert again.aliases("mmt") == ()
    assert len(again) == 1
    assert "bnerji>bnrji" not in again


def test_acronym_words_are_the_aliases_of_its_letters_only():
    lexicon = Lexicon(["=kkr>kolkt", "=kkr>redrs", "kr>kolkt"])
    assert lexicon.acronym_words("kkr") == ("kolkt", "redrs")
    assert lexicon.acronym_words("kr") == ()  # a key's alias is no acronym's
    assert lexicon.acronym_words("") == ()
