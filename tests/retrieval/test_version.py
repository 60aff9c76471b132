"""The analysis version moves with the analysis: a store analysed by other code is found out."""

from __future__ import annotations

from pathlib import Path

from retrieval import ANALYSIS_VERSION, analysis_fingerprint

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))

# Written for this test in the shapes of real news: Latin names and acronyms, decimals, a sentence
# glued to the last one's full stop, a quotation, a meeting, a Latin spelling in parentheses.
SAMPLE = [
    "नासिक में प्याज किसानों ने मंडी के बाहर धरना दिया। किसानों ने न्यूनतम समर्थन मूल्य मांगा।",
    "फ़ेडरर ने क्वार्टर फ़ाइनल में मरे को हराया.उन्होंने 9.63 सेकेंड का रिकॉर्ड याद किया.",
    "IPL के T20 मैच में केकेआर ने 5 विकेट लिए। डा. एल.एस. राव ने www.example.com पर लिखा।",
    "मुख्यमंत्री ममता बनर्जी (Mamata Banerjee) से अखिलेश यादव ने कोलकाता में शुक्रवार को मुलाक़ात की।",
    "उन्होंने कहा, ''हम अगले साल फिर आएंगे'' और चले गए।",
    "Prime Minister met the President in Delhi on Monday.",
    "US Open में Dhoni's fan A R Rahman ने गाया, log bole h ki yeh se ka pr tk hi tha.",
    # Version 3 added this line (the recorded fingerprints of 1 and 2 are over the lines above, 3's
    # over these and this one).
    "kaha ki ve jaise hi baad me use mile, unhen hone wali baat bata di.",
    # Version 4 added this line.
    "इंडियन प्रीमियर लीग (आईपीएल) में राजस्थान रॉयल्स (आरआर) जीती।",
]

# The fingerprint of each analysis version over the texts above and the seeds.
FINGERPRINTS = {
    1: "ef76bf11f48a3c4e1cfcbc5c6865bc0cdc9a5b7ed2fd73a5e1cc88c3407d51df",
    # Latin chat spellings of function words are stopwords, capitals read out as acronyms.
    2: "1cb78f66773aa1573df191aeaaa95e93d2fde61517cdbf44be1d0cb270aab93f",
    # More romanized spellings of the Devanagari stopwords are stopwords (use, hone, ve, jaise …).
    3: "0062ca50dfa1bb7710fdc92e142ec2ab752f5b76f796ace94c508b829c1a7cec",
    # A name followed by its acronym in parentheses gives the acronym's letters as aliases.
    4: "dd18eccbf05a36ea70126f5193046e3dd1a0556781f9288fa65075fe8ae34118",
}


def texts() -> list[str]:
    return [*SAMPLE, *(path.read_text(encoding="utf-8") for path in SEEDS)]


def test_the_analysis_is_the_one_its_version_names() -> None:
    assert SEEDS
    assert analysis_fingerprint(texts()) == FINGERPRINTS[ANALYSIS_VERSION], (
        "the analysis of documents changed: bump retrieval.version.ANALYSIS_VERSION (stores made"
        " before are then analysed again at open) and record the new fingerprint here"
    )


def test_the_fingerprint_sees_a_change_of_one_character() -> None:
    changed = [*texts()[:-1], texts()[-1] + " एक।"]
    assert analysis_fingerprint(changed) != analysis_fingerprint(texts())
    assert analysis_fingerprint(texts()) == analysis_fingerprint(texts())
