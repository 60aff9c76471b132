import re
import unicodedata

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from retrieval.tokenize import split_sentences, tokenize

# Text that mixes Devanagari, Latin, digits, danda and punctuation, like news copy.
NEWSY = st.text(
    alphabet=st.sampled_from(
        list("कखगमनसपरलतदयािीुूेैोौंँ़्ःअआइएओ।॥०१२abcXYZ 0123456789.,?!|\n\u200d\u200c'\"’”()-")
    ),
    max_size=80,
)


def test_naive_word_regex_tears_devanagari_apart():
    text = "कोलकाता में शिवपाल यादव"
    naive = re.findall(r"(?u)\b\w\w+\b", text)
    assert naive != ["कोलकाता", "में", "शिवपाल", "यादव"]
    assert [t.text for t in tokenize(text)] == ["कोलकाता", "में", "शिवपाल", "यादव"]


def test_scripts_and_offsets():
    text = "UPमें 2024में, सपा और BJP। ठीक|है"
    tokens = tokenize(text)
    assert [(t.text, t.script) for t in tokens] == [
        ("UP", "latin"),
        ("में", "deva"),
        ("2024", "digit"),
        ("में", "deva"),
        ("सपा", "deva"),
        ("और", "deva"),
        ("BJP", "latin"),
        ("ठीक", "deva"),
        ("है", "deva"),
    ]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_joiners_stay_inside_a_word():
    assert [t.text for t in tokenize("क्\u200dष बात")] == ["क्\u200dष", "बात"]


@given(NEWSY)
def test_token_invariants(text):
    tokens = tokenize(text)
    last_end = 0
    for token in tokens:
        assert token.text
        assert text[token.start : token.end] == token.text
        assert token.start >= last_end
        last_end = token.end
        assert not any(ch.isspace() or ch in "।॥|" for ch in token.text)
        assert token.script in {"deva", "latin", "digit"}


@given(NEWSY)
def test_marks_never_start_a_token_after_a_letter(text):
    for token in tokenize(text):
        first = text[token.start]
        if token.start > 0 and unicodedata.category(first).startswith("M"):
            assert not regex.match(r"[\p{L}\p{M}\p{Nd}]", text[token.start - 1])


def sentences(text):
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_sentence_rules():
    text = (
        "डॉ. ए.के. सिंह ने 3.5 करोड़ दिए. यह है. फिर? "
        "‘‘बंगाल में हम ममता दीदी के साथ हैं.’’ U.P. में N. Modi आए|ठीक\nशीर्षक"
    )
    assert sentences(text) == [
        "डॉ. ए.के. सिंह ने 3.5 करोड़ दिए.",
        "यह है.",
        "फिर?",
        "‘‘बंगाल में हम ममता दीदी के साथ हैं.’’",
        "U.P. में N. Modi आए|",
        "ठीक",
        "शीर्षक",
    ]


def test_danda_and_blank_lines():
    assert sentences("पहला वाक्य। दूसरा वाक्य॥\n\nशीर्षक बिना विराम\nअंत!") == [
        "पहला वाक्य।",
        "दूसरा वाक्य॥",
        "शीर्षक बिना विराम",
        "अंत!",
    ]


def test_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []


@given(NEWSY)
def test_sentences_cover_every_non_space_character_once(text):
    spans = split_sentences(text)
    covered = [0] * len(text)
    last = 0
    for span in spans:
        assert span.start < span.end
        assert span.start >= last
        last = span.end
        chunk = text[span.start : span.end]
        assert chunk == chunk.strip()
        for i in range(span.start, span.end):
            covered[i] += 1
    for i, ch in enumerate(text):
        if ch.isspace():
            assert covered[i] <= 1
        else:
            assert covered[i] == 1


@given(NEWSY)
def test_sentences_never_split_inside_numbers(text):
    spans = split_sentences(text)
    for match in re.finditer(r"\d\.\d", text):
        assert any(s.start <= match.start() and match.end() <= s.end for s in spans)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # News glues the next sentence to the full stop.
        ("टीम कल लौटेगी.कप्तान ने कहा कि सब ठीक है.", ["टीम कल लौटेगी.", "कप्तान ने कहा कि सब ठीक है."]),
        ("क्या वह आएगा?सबको यही उम्मीद है।अब देखना है!", ["क्या वह आएगा?", "सबको यही उम्मीद है।", "अब देखना है!"]),
        ("मैच रद्द हुआ|दर्शक लौट गए", ["मैच रद्द हुआ|", "दर्शक लौट गए"]),
        # Decimals, abbreviations, initials and domains keep their dots.
        ("उसने 100 मीटर 9.58 सेकेंड में दौड़े.फिर आराम किया.", ["उसने 100 मीटर 9.58 सेकेंड में दौड़े.", "फिर आराम किया."]),
        ("डा. वर्मा और डॉ.शर्मा आए.", ["डा. वर्मा और डॉ.शर्मा आए."]),
        ("एल.एस. मेनन और एम.एस.धोनी मिले.", ["एल.एस. मेनन और एम.एस.धोनी मिले."]),
        ("ए. के. सिंह ने कहा.पी. चिदंबरम चुप रहे.", ["ए. के. सिंह ने कहा.", "पी. चिदंबरम चुप रहे."]),
        ("ख़बर www.example.co.in पर है.वहां पढ़ें.", ["ख़बर www.example.co.in पर है.", "वहां पढ़ें."]),
        ("उसने रु.500 दिए.बाक़ी बाद में.", ["उसने रु.500 दिए.", "बाक़ी बाद में."]),
        ("वह गई.वो नहीं गया.", ["वह गई.", "वो नहीं गया."]),
        ("मैच पूरा हुआ की.डा. राव बोले.", ["मैच पूरा हुआ की.", "डा. राव बोले."]),
        # Quote marks glued to the next word open it; after a space they close the sentence before.
        ("उसने कहा.''मैं नहीं आऊंगा.'' फिर चला गया.", ["उसने कहा.", "''मैं नहीं आऊंगा.''", "फिर चला गया."]),
        ('वे बोले, "हम जीतेंगे."अगले दिन हार गए.', ['वे बोले, "हम जीतेंगे."', "अगले दिन हार गए."]),
    ],
)
def test_news_sentence_ends(text, expected):
    assert sentences(text) == expected
