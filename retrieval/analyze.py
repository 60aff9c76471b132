"""The analysis pipeline shared by indexing and querying.

Every word yields field-prefixed index terms (see docs note ``hindi-analysis.md`` §3):

========  =====================================  ======================================
field     Devanagari word                        Latin word
========  =====================================  ======================================
``w:``    `normalize_term` form                  casefolded, no diacritics
``s:``    light stem of the normalised form      (none)
``k:``    K2 key, `deva_key`                     K2 key, `latin_key`
``@:``    alias id when the word or a phrase of up to four words is in the alias table
``f:``    K2 key of a stopword (instead of the fields above)
========  =====================================  ======================================

A name followed by its Latin spelling in parentheses ("बनर्जी (Banerjee)") also gives the passage
a ``k:<latin key>><deva key>`` term (`retrieval.name_aliases`): the key lexicon learns the pair,
and a query typing the Latin spelling then matches the Devanagari name in every report.

Digits give only ``w:``. Stopwords get a field of their own rather than being dropped: content
fields keep Lucene-like statistics, while short questions such as "jahan tak iske prakashan" can
still use their function words (dropping them entirely cost 3.5 points of top-1 on the Dakshina
sentence benchmark). A scorer may skip ``f:`` groups when it is short of time.

A query becomes one `QueryGroup` per (word, field); a document scores the best alternative of a
group and the groups add up. `Alternative.term` is the full prefixed index term (``"k:mmt"``).

Over 300 lines on purpose: the document side (`analyze_document`) and the query side
(`analyze_query`, `match_spans`) of one field scheme stay together, so that a change to a field is
made to both at once; a query term that the documents never index would silently match nothing.
What is not the scheme lives beside it (`aliases`, `transliterate`, `stem`, `loanwords`, `lexicon`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain

from retrieval.aliases import PHRASE_HEADS, alias_of, phrase_aliases
from retrieval.english import ENGLISH_FUNCTION_WORDS, is_clitic, is_english_question
from retrieval.lexicon import Lexicon
from retrieval.loanwords import default_model
from retrieval.name_aliases import alias_terms
from retrieval.normalize import clean_text, normalize_term
from retrieval.numerals import ENGLISH_NUMBERS, HINDI_NUMBERS, roman_value
from retrieval.stem import stem
from retrieval.stopwords import is_stopword
from retrieval.tokenize import WORD_PATTERN, split_word, tokenize
from retrieval.translate import EnglishHindi, Translations
from retrieval.transliterate import (
    deva_key,
    latin_key,
    latin_key_input,
    query_variants,
    read_letters,
    spell_acronym,
)
from retrieval.types import Alternative, DocTerms, QueryGroup, Span

__all__ = [
    "ALIAS_WEIGHT",
    "DEVA_WEIGHTS",
    "FUNCTION_FIELD",
    "FUZZY_WEIGHT",
    "KEY_PREFIX",
    "LATIN_VARIANT_WEIGHT",
    "MAX_QUERY_WORDS",
    "STOPWORD_WEIGHT",
    "TRANSLATION_WEIGHTS",
    "analyze_document",
    "analyze_query",
    "match_spans",
]

# The field codes other code needs (this module owns them): the stopword field, which a scorer or a
# matcher may leave out, and the prefix of the key field's terms, from which the key lexicon is read.
FUNCTION_FIELD = "f"
KEY_PREFIX = "k:"

# Weights per field for a Devanagari query word (note §3: exact form, stem, romanized key).
DEVA_WEIGHTS = {"w": 1.0, "s": 0.7, "k": 0.8}
# A Latin query word's own key counts fully; a generated spelling variant less, so the word's
# own key wins when both exist in a document. 0.8 beat 0.9 and 1.0 on the Dakshina benchmark.
LATIN_VARIANT_WEIGHT = 0.8
ALIAS_WEIGHT = 1.0
# Stopwords are matched in their own field. BM25's IDF already makes the common ones nearly
# free; the rarer ones (sakta, jahan, tak) separate short sentences. 1.0 beat 0.3-0.8 and 1.2.
STOPWORD_WEIGHT = 1.0
# Fuzzy lexicon neighbours (only for keys the index lacks) weigh this times their similarity;
# 0.8 beat 0.3 and 0.5 on the Dakshina benchmark.
FUZZY_WEIGHT = 0.8
FUZZY_LIMIT = 3
# Keys the learned spelling model (`retrieval.loanwords`) proposes for a Latin word, when the archive
# holds them, weigh SPELLING_WEIGHT × (p / p_best) ** (1 / SPELLING_TEMPERATURE), p being a key's
# posterior among the model's n-best: the model is over-sure (a joint n-gram scores one segmentation
# per key), and the second and third renderings are often the archive's. From SPELLING_TRUSTED up a
# key counts as a spelling of the word, below it as a fuzzy neighbour. Measured by
# `tools/measure_spelling_bands.py`: of the keys an archive holds, those at a share of 0.4-0.5 are
# right 39% of the time, as near those at 0.5-0.7 (43-52%) as those are to each other, and far above
# 0.2-0.4 (20-31%); 0.4 let news dev find "pistorius" as पिस्टोरियस (romanized hit@3 0.73 -> 0.77)
# and changed no refusal.
SPELLING_WEIGHT = 0.8
SPELLING_TEMPERATURE = 2.0
SPELLING_MIN = 0.2
SPELLING_TRUSTED = 0.4
# A Latin content word's senses in an English–Hindi dictionary (`retrieval.translate`) weigh this
# much: in an English question its words are English, in romanized Hindi a Latin word may be Hindi
# that happens to spell an English word too, and its sense must not outweigh its transliteration.
# In an English question, where every word is translated, a sense is a fuzzy alternative: it helps
# rank and quote, but a report holding only it does not carry the word (so "not found" stays
# honest); in romanized Hindi a Latin word is a loan the report may have translated, and counts.
# Measured on news questions (the dev set, and 24 romanized and 24 English questions retyped from
# the Devanagari dev ones, `tools/retyped_questions.py`): romanized 0.5 beat 0.4 and 0.6-0.8 (0.6
# lost two dev rows whose answer was only offered, 0.4 two of the retyped), English 0.8 beat 0.6 and
# 1.0; fuzzy English senses lifted retyped English hit@3 0.71 -> 0.75 and no_answer 0.6 -> 1.0
# (fuzzy romanized ones lost a dev row, and English senses counting as the word only where none of
# its own spellings is in the archive gave 0.67 / 0.6); no Dakshina sentence changed its first report.
TRANSLATION_WEIGHTS = {"english": 0.8, "romanized": 0.5}
# A Latin word up to this long may be an acronym whose letters a report spelled out.
_ACRONYM_LETTERS = 6
# A digit also matches the number spelled out in Hindi ("5" / पांच), a little below the digit itself.
NUMBER_WORD_WEIGHT = 0.9
# Questions are short; a pasted article is cut here so one query cannot cost unbounded time.
MAX_QUERY_WORDS = 32


@lru_cache(maxsize=500_000)
def _part_analysis(part: str, script: str) -> tuple[str, tuple[str, ...]]:
    """Return a script-homogeneous word's normalised form and its index terms."""
    norm = normalize_term(part)
    alias = alias_of((norm,))
    terms: list[str] = [f"@:{alias}"] if alias is not None else []
    if script == "digit":
        if norm:
            terms.append(f"w:{norm}")
        return norm, tuple(terms)
    if not norm:
        return norm, tuple(terms)
    key = deva_key(part) if script == "deva" else latin_key(part)
    if is_stopword(norm):
        if key:
            terms.append(f"f:{key}")
        return norm, tuple(terms)
    terms.append(f"w:{norm}")
    if script == "deva":
        terms.append(f"s:{stem(norm)}")
    if key:
        terms.append(f"k:{key}")
    return norm, tuple(terms)


@lru_cache(maxsize=500_000)
def _run_analysis(run: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return a letter/mark/digit run's normalised words and the index terms of all its parts.

    Also records the run in ``_HEAD_RUNS`` when one of its words can start an alias phrase.
    """
    if len(parts := split_word(run)) == 1:
        norm, terms = _part_analysis(run, parts[0][2])
        if norm in PHRASE_HEADS:
            _HEAD_RUNS.add(run)
        return (norm,), terms
    norms: list[str] = []
    all_terms: list[str] = []
    for start, end, script in parts:
        norm, part_terms = _part_analysis(run[start:end], script)
        norms.append(norm)
        all_terms.extend(part_terms)
    if not PHRASE_HEADS.isdisjoint(norms):
        _HEAD_RUNS.add(run)
    return tuple(norms), tuple(all_terms)


@lru_cache(maxsize=500_000)
def _run_terms(run: str) -> tuple[str, ...]:
    """Return the index terms of a run (the hot path of `analyze_document`)."""
    return _run_analysis(run)[1]


# Surface runs seen so far that contain a phrase head (a handful of spellings; grows slowly).
_HEAD_RUNS: set[str] = set()


def analyze_document(text: str) -> DocTerms:
    """Return the index terms of a passage with their frequencies.

    Args:
        text: The passage.

    Returns:
        Field-prefixed term counts (``w:``, ``s:``, ``k:``, ``@:``).
    """
    runs = WORD_PATTERN.findall(clean_text(text))
    counts = Counter(chain.from_iterable(map(_run_terms, runs)))
    # _run_analysis has just recorded every run that holds a phrase head, so this set test
    # keeps the word-by-word phrase scan off the common path.
    if not _HEAD_RUNS.isdisjoint(runs):
        norms = list(chain.from_iterable(_run_analysis(run)[0] for run in runs))
        counts.update(f"@:{alias}" for _, _, alias in phrase_aliases(norms))
    if "(" in text:
        # "बनर्जी (Banerjee)": the key lexicon learns the Latin spelling as an alias of the name.
        counts.update(alias_terms(clean_text(text)))
    return DocTerms(dict(counts))


def _fuzzy(lexicon: Lexicon | None, key: str, known: set[str]) -> list[Alternative]:
    """Return lexicon neighbours of a key the index does not know, as weaker alternatives."""
    if lexicon is None or not key or key in lexicon:
        return []
    return [
        Alternative(f"k:{cand}", FUZZY_WEIGHT * sim, fuzzy=True)
        for cand, sim in lexicon.similar(key, FUZZY_LIMIT)
        if f"k:{cand}" not in known
    ]


def _learned(lexicon: Lexicon | None, part: str, known: set[str]) -> list[Alternative]:
    """Return the archive's keys that the spelling model takes a Latin word to be rendered as."""
    if lexicon is None:
        return []
    letters = "".join(ch for ch in latin_key_input(part) if "a" <= ch <= "z")
    candidates = default_model().candidates(letters)
    if not candidates:
        return []
    best = candidates[0][1]
    alternatives = []
    for key, p in candidates:
        share = (p / best) ** (1.0 / SPELLING_TEMPERATURE)
        if share >= SPELLING_MIN and f"k:{key}" not in known and key in lexicon:
            alternatives.append(
                Alternative(f"k:{key}", SPELLING_WEIGHT * share, fuzzy=share < SPELLING_TRUSTED)
            )
    return alternatives


def _initial(surface: str, script: str) -> bool:
    """Whether a Latin word is one capital letter other than I: an initial ("A R rahman").

    Read out like an acronym (ए आर) when it is not the question's first word, where "A" and "I"
    open English sentences. Measured on the Dakshina sentences: hit@1 0.9216 -> 0.9220.
    """
    return script == "latin" and len(surface) == 1 and surface.isupper() and surface != "I"


def _in_capitals(surface: str, script: str) -> bool:
    """Whether a Latin word is two to five capital letters: an acronym when typed among lower case."""
    return script == "latin" and 2 <= len(surface) <= 5 and surface.isupper()


def _function_variants(part: str) -> tuple[str, ...]:
    """Return the keys of a romanized function word: `query_variants` but its spelling as an acronym.

    A function word is never letters read out: "se" spelled out is एसई, whose key is that of ऐसे,
    and "me" that of एमई. Measured on the Dakshina sentences (`--words 5`): hit@1 0.9188 -> 0.9202.
    """
    keys = query_variants(part)
    spelled = _read_out_key(part)
    return tuple(key for i, key in enumerate(keys) if i == 0 or key != spelled)


def _read_out_key(part: str) -> str:
    """Return the key of a Latin word read out letter by letter ("us": यूएस, "se": एसई)."""
    return deva_key(spell_acronym(latin_key_input(part)))


def _number_words(digits: str) -> tuple[Alternative, ...]:
    """Return the index terms of a small number spelled out in Hindi, as alternatives of its digits."""
    words = HINDI_NUMBERS.get(int(digits), ()) if digits.isascii() and digits.isdigit() else ()
    return tuple(
        Alternative(term, NUMBER_WORD_WEIGHT)
        for word in words
        for term in _part_analysis(word, "deva")[1]
        if term.startswith("w:")
    )


def _alias_free(norm: str, alternatives: list[Alternative]) -> list[QueryGroup]:
    """Return one key group of the given alternatives, or none when there are none."""
    return [QueryGroup(norm, "k", tuple(alternatives))] if alternatives else []


def _word_groups(
    part: str,
    script: str,
    norm: str,
    lexicon: Lexicon | None,
    alone: bool = True,
    capitals: bool = False,
    translations: Translations | None = None,
) -> list[QueryGroup]:
    """Return the non-alias query groups of one script-homogeneous query word.

    ``alone`` is False for a part of a mixed token ("5" of "5C", "20" of "t20"), whose digits are a
    name rather than a count, so they are not spelled out in Hindi. ``capitals`` is True for an
    acronym in capitals among lower-case words ("US" of "nadal US open"), which is a content word
    even when its letters spell a function word (us, उस). ``translations``: the dictionary senses
    of a Latin content word join its key group.
    """
    if not norm:
        return []
    if is_stopword(norm) and not capitals:
        keys = (deva_key(part),) if script == "deva" else _function_variants(part)
        alts = tuple(Alternative(f"f:{k}", STOPWORD_WEIGHT) for k in keys if k)
        return [QueryGroup(norm, FUNCTION_FIELD, alts)] if alts else []
    if script == "digit":
        spelled = _number_words(norm) if alone else ()
        return [QueryGroup(norm, "w", (Alternative(f"w:{norm}", 1.0), *spelled))]
    if script == "deva":
        key = deva_key(part)
        groups = [
            QueryGroup(norm, "w", (Alternative(f"w:{norm}", DEVA_WEIGHTS["w"]),)),
            QueryGroup(norm, "s", (Alternative(f"s:{stem(norm)}", DEVA_WEIGHTS["s"]),)),
        ]
        if key:
            deva_alts = [Alternative(f"k:{key}", DEVA_WEIGHTS["k"])]
            if lexicon is not None:
                # An acronym a report spelled out ("कोलकाता नाइट राइडर्स (केकेआर)") matches the name.
                named = lexicon.acronym_words(read_letters(part))
                deva_alts += [Alternative(f"k:{d}", DEVA_WEIGHTS["k"]) for d in named if d != key]
            deva_alts += _fuzzy(lexicon, key, {a.term for a in deva_alts})
            groups.append(QueryGroup(norm, "k", tuple(deva_alts)))
        return groups
    number = roman_value(part)
    if number is not None:
        # A Roman numeral ("kings XI") is read as an English number in Hindi news (इलेवन), or
        # written in digits.
        spoken = _learned(lexicon, ENGLISH_NUMBERS[number], set())
        digits = Alternative(f"w:{number}", NUMBER_WORD_WEIGHT)
        return [QueryGroup(norm, "w", (digits, *_number_words(str(number)))), *_alias_free(norm, spoken)]
    keys = query_variants(part)
    # An acronym in capitals is read out letter by letter (US: यूएस) before it is read as a word.
    read_out = _read_out_key(part) if capitals else ""
    own = read_out if read_out in keys else keys[0] if keys else ""
    latin_alts = [Alternative(f"k:{k}", 1.0 if k == own else LATIN_VARIANT_WEIGHT) for k in keys]
    if lexicon is not None and keys:
        # A report spelled this name in Latin letters in parentheses: its Devanagari form counts
        # as the word's own spelling; and one spelled out what the letters stand for ("kkr":
        # कोलकाता नाइट राइडर्स (केकेआर)): the name's words count too.
        letters = latin_key_input(part).lower() if len(part) <= _ACRONYM_LETTERS else ""
        latin_alts += [
            Alternative(f"k:{deva}", 1.0)
            for deva in (*lexicon.aliases(keys[0]), *lexicon.acronym_words(letters))
            if f"k:{deva}" not in {a.term for a in latin_alts}
        ]
    latin_alts += _learned(lexicon, part, {a.term for a in latin_alts})
    if keys:
        latin_alts += _fuzzy(lexicon, keys[0], {a.term for a in latin_alts})
    if translations is not None and lexicon is not None and not capitals:
        latin_alts += translations.alternatives(norm, lexicon, {a.term for a in latin_alts})
    groups = [QueryGroup(norm, "w", (Alternative(f"w:{norm}", 1.0),))]
    if latin_alts:
        groups.append(QueryGroup(norm, "k", tuple(latin_alts)))
    return groups


def analyze_query(
    text: str, lexicon: Lexicon | None = None, dictionary: EnglishHindi | None = None
) -> tuple[QueryGroup, ...]:
    """Turn a question in Devanagari, romanized Hindi or both into weighted query groups.

    Args:
        text: The question. Only its first `MAX_QUERY_WORDS` words are used.
        lexicon: The index's key vocabulary; when given, words whose own key it lacks get
            fuzzy neighbours from it (weight ``FUZZY_WEIGHT`` × similarity).
        dictionary: An English–Hindi dictionary; with a lexicon, a Latin content word's senses
            that the archive holds join its alternatives (``TRANSLATION_WEIGHTS``), but not a
            name's (a capitalised word after the first) nor an acronym's.

    Returns:
        One group per distinct query word and field, in query order; empty when the text has no
        content word. Never raises on any string.
    """
    words: list[tuple[str, str, str, bool]] = []  # (surface, script, normalised, a run of its own)
    clitics = 0
    cleaned = clean_text(text)
    for match in WORD_PATTERN.finditer(cleaned):
        run = match.group()
        if is_clitic(cleaned, match.start(), run):
            clitics += 1
            continue
        norms, _ = _run_analysis(run)
        for (start, end, script), norm in zip(split_word(run), norms, strict=True):
            words.append((run[start:end], script, norm, len(norms) == 1))
        if len(words) >= MAX_QUERY_WORDS:
            break
    words = words[:MAX_QUERY_WORDS]
    groups: list[QueryGroup] = []
    seen_words: set[str] = set()
    seen_aliases: set[str] = set()

    def add_alias(word: str, alias: str) -> None:
        if alias not in seen_aliases:
            seen_aliases.add(alias)
            groups.append(QueryGroup(word, "@", (Alternative(f"@:{alias}", ALIAS_WEIGHT),)))

    # A Latin word in capitals among lower-case ones is an acronym ("US open", "IT sector") or an
    # initial ("A R rahman"), even when its letters spell a function word; a question typed all in
    # capitals says nothing.
    lower = any(ch.islower() for surface, script, _, _ in words if script == "latin" for ch in surface)
    capitals = {
        i
        for i, (surface, script, _, _) in enumerate(words)
        if lower and (_in_capitals(surface, script) or (i > 0 and _initial(surface, script)))
    }
    # A capitalised word after the first is a name ("Mark Changizi": not translated as निशान), when
    # the question is not typed all in capitals.
    names = {i for i, (surface, _, _, _) in enumerate(words) if lower and i > 0 and surface[:1].isupper()}
    # An English question drops its function words ("the", "did"); romanized Hindi keeps its own.
    english = is_english_question((norm for _, script, norm, _ in words if script == "latin"), clitics)
    if english:
        kept = [
            i
            for i, w in enumerate(words)
            if i in capitals or not (w[1] == "latin" and w[2] in ENGLISH_FUNCTION_WORDS)
        ]
        capitals = {kept.index(i) for i in capitals}
        names = {kept.index(i) for i in names if i in kept}
        words = [words[i] for i in kept]
    word_norms = [norm for _, _, norm, _ in words]
    phrases = {first: (last, alias) for first, last, alias in phrase_aliases(word_norms)}
    translations = (
        Translations(dictionary, TRANSLATION_WEIGHTS["english" if english else "romanized"], fuzzy=english)
        if dictionary is not None
        else None
    )
    for i, (surface, script, norm, alone) in enumerate(words):
        if i in phrases:
            last, phrase_alias = phrases[i]
            add_alias(" ".join(word_norms[i:last]), phrase_alias)
        if norm in seen_words:
            continue
        seen_words.add(norm)
        single_alias = alias_of((norm,))
        if single_alias is not None:
            add_alias(norm, single_alias)
        translated = None if i in names else translations
        groups.extend(_word_groups(surface, script, norm, lexicon, alone, i in capitals, translated))
    return translations.without_echoes(groups) if translations is not None else tuple(groups)


def match_spans(sentence: str, query: Sequence[QueryGroup]) -> list[Span]:
    """Return the spans of the sentence's words that match any alternative of the query.

    Args:
        sentence: A sentence (or any text); spans index into it.
        query: Groups from `analyze_query`.

    Returns:
        Word spans in order, without duplicates. Both words of a matched alias phrase are marked;
        matches in the stopword field ``f`` are not.
    """
    # Stopword-field matches are left out: highlighting every से and की helps no reader.
    wanted = {alt.term for group in query if group.field != FUNCTION_FIELD for alt in group.alternatives}
    if not wanted:
        return []
    tokens = tokenize(sentence)
    analyses = [_part_analysis(t.text, t.script) for t in tokens]
    hit = [not wanted.isdisjoint(terms) for _, terms in analyses]
    norms = [norm for norm, _ in analyses]
    for first, last, alias in phrase_aliases(norms):
        if f"@:{alias}" in wanted:
            hit[first:last] = [True] * (last - first)
    return [Span(t.start, t.end) for t, matched in zip(tokens, hit, strict=True) if matched]
