import collections
import json
import random
import string
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from retrieval.lexicon import Lexicon
from retrieval.normalize import normalize_term
from retrieval.stopwords import is_stopword
from retrieval.transliterate import (
    canonical_key,
    deva_key,
    deva_unmerged_key,
    latin_key,
    query_variants,
    read_letters,
    skeleton,
    spell_acronym,
    unmerged_key,
)

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
WIKI = SHARED / "hindi_wiki_lines.jsonl"
TRAIN = SHARED / "dakshina_hi" / "lexicon.train.tsv"
LETTERS = set(string.ascii_lowercase)


def load_pairs():
    rows = []
    for line in (DATA / "roman_pairs.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            roman, native, source = line.split("\t")
            rows.append((roman, native, source))
    return rows


PAIRS = load_pairs()


@pytest.mark.parametrize(
    ("roman", "native"),
    [
        ("mamta", "ममता"),
        ("mulakat", "मुलाक़ात"),
        ("mulaqat", "मुलाकात"),
        ("rashtriya", "राष्ट्रीय"),
        ("rastriya", "राष्ट्रीय"),
        ("chunao", "चुनाव"),
        ("mehngai", "महंगाई"),
        ("party", "पार्टी"),
        ("kolkata", "कोलकाता"),
        ("sammelan", "सम्मेलन"),
    ],
)
def test_key_equality(roman, native):
    assert latin_key(roman) == deva_key(native)


@pytest.mark.parametrize(
    ("roman", "native"),
    [("bjp", "बीजेपी"), ("cm", "सीएम"), ("up", "यूपी"), ("tmc", "टीएमसी"), ("kisano", "किसानों")],
)
def test_query_variants_reach_the_devanagari_key(roman, native):
    assert deva_key(native) in query_variants(roman)
    assert latin_key(roman) != deva_key(native) or roman == "kisano"


def test_spell_acronym():
    assert spell_acronym("BJP") == "बीजेपी"
    assert spell_acronym("42") == ""


def test_skeleton_rescues_vowel_mismatch():
    assert latin_key("third") != deva_key("थर्ड")
    assert skeleton(latin_key("third")) == skeleton(deva_key("थर्ड"))


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_keys_total_and_deterministic_over_ascii(word):
    key = latin_key(word)
    assert set(key) <= LETTERS
    assert key == canonical_key(word) or key == latin_key(word)
    assert latin_key(word) == key
    variants = query_variants(word)
    assert variants == query_variants(word)
    assert all(v and set(v) <= LETTERS for v in variants)
    assert set(skeleton(key)) <= LETTERS


@given(st.text(max_size=20))
def test_keys_total_over_any_text(word):
    assert set(latin_key(word)) <= LETTERS
    assert set(deva_key(word)) <= LETTERS | set(word)  # foreign letters pass through, then drop
    assert set(canonical_key(word)) <= LETTERS


@pytest.mark.parametrize(
    ("native", "unmerged", "key"),
    [
        ("लेनन", "lenn", "len"),
        ("ममता", "mmt", "mt"),
        ("अलगाववाद", "algvvd", "algvd"),
        ("सम्मेलन", "smeln", "smeln"),
    ],
)
def test_unmerged_key_keeps_the_letters_the_a_drop_brings_together(native, unmerged, key):
    assert deva_unmerged_key(native) == unmerged
    assert deva_key(native) == key


@given(st.text(max_size=20))
def test_merging_the_unmerged_key_gives_the_key(word):
    assert regex.sub(r"(.)\1+", r"\1", unmerged_key(word)) == canonical_key(word)
    assert set(unmerged_key(word)) <= LETTERS


def test_deva_key_is_letters_only_for_devanagari():
    for word in ["क्षेत्र", "ज्ञान", "दुःख", "ॐ", "ऋषि", "पहुँचे", "ऑफ़िस"]:
        assert set(deva_key(word)) <= LETTERS


def accuracy(rows):
    exact = sum(latin_key(r) == deva_key(d) for r, d, _ in rows) / len(rows)
    variants = sum(deva_key(d) in query_variants(r) for r, d, _ in rows) / len(rows)
    return exact, variants


def test_table_key_accuracy():
    sampled = [p for p in PAIRS if p[2] == "dakshina"]
    news = [p for p in PAIRS if p[2] == "news"]
    assert len(sampled) == 300
    # Measured: 0.770 exact, 0.813 with variants (Dakshina sample); news words 0.771 / 0.979.
    exact, variants = accuracy(sampled)
    assert exact >= 0.74
    assert variants >= 0.78
    assert accuracy(news)[1] >= 0.95


@pytest.mark.slow
@pytest.mark.skipif(not TRAIN.exists(), reason="shared Dakshina data not available")
def test_table_top3_with_lexicon_fuzzy():
    vocab = Lexicon(deva_key(line.split("\t")[0]) for line in TRAIN.read_text("utf-8").splitlines())
    vocab.add(deva_key(d) for _, d, _ in PAIRS)
    hits = 0
    for roman, native, _ in PAIRS:
        ranked = [k for k in query_variants(roman) if k in vocab]
        ranked += [k for k, _ in vocab.similar(latin_key(roman), 3) if k not in ranked]
        hits += deva_key(native) in ranked[:3]
    # Measured 0.931 over 20.7k distinct keys.
    assert hits / len(PAIRS) >= 0.90


def wiki_vocabulary(limit_lines=None):
    words = {}
    with WIKI.open(encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if limit_lines is not None and i >= limit_lines:
                break
            for word in regex.findall(r"[\p{Devanagari}]+", json.loads(line)["text"]):
                norm = normalize_term(word)
                if regex.search(r"\p{L}", word) and not is_stopword(norm):
                    words.setdefault(norm, word)
    return words


@pytest.mark.slow
@pytest.mark.skipif(not WIKI.exists(), reason="shared wiki data not available")
def test_collision_rate_on_wiki_vocabulary():
    words = wiki_vocabulary()
    by_key = collections.defaultdict(set)
    for norm, word in words.items():
        by_key[deva_key(word)].add(norm)
    colliding = sum(len(v) for v in by_key.values() if len(v) > 1) / len(words)
    # Measured 0.259 on 35.6k distinct normalised content words; K3 would be 0.66.
    assert colliding < 0.28


ITRANS_TO_PLAIN = [("RRi", "ri"), ("RRI", "ri"), ("LLi", "li"), ("~N", "n"), ("~n", "n")]
ITRANS_TO_PLAIN += [("Ch", "chh"), ("Sh", "sh"), (".D", "d"), (".N", "n"), ("M", "n"), ("N", "n")]


@pytest.mark.slow
@pytest.mark.skipif(not WIKI.exists(), reason="shared wiki data not available")
def test_own_table_agrees_with_indic_transliteration():
    from indic_transliteration import sanscript

    words = sorted(set(wiki_vocabulary(limit_lines=3000).values()))
    random.Random(7).shuffle(words)
    agree = 0
    for word in words[:2000]:
        itrans = sanscript.transliterate(word.replace("\u093c", ""), sanscript.DEVANAGARI, sanscript.ITRANS)
        for old, new in ITRANS_TO_PLAIN:
            itrans = itrans.replace(old, new)
        itrans = itrans.replace("H", "").replace(".", "")
        agree += canonical_key(itrans) == deva_key(word)
    assert agree / 2000 >= 0.98


@pytest.mark.parametrize(
    ("spoken", "letters"),
    [
        ("केकेआर", "kkr"),
        ("बीसीसीआई", "bcci"),
        ("डब्ल्यूएचओ", "who"),
        ("पीएम", "pm"),
        ("भाजपा", ""),
        ("एक", ""),
        ("", ""),
    ],
)
def test_read_letters_reads_out_an_acronym_or_nothing(spoken, letters):
    assert read_letters(spoken) == letters


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8))
def test_read_letters_undoes_spell_acronym(word):
    # The fewest letter names: a name that is two others run together would read as the shorter.
    assert len(read_letters(spell_acronym(word))) <= len(word)
    assert spell_acronym(read_letters(spell_acronym(word))) == spell_acronym(word)
