"""Name spans: titles, honorifics, groups, coreference within a report, and across scripts."""

from __future__ import annotations

import pytest

from retrieval.meetings import extract_meetings
from retrieval.meetings.names import Person, Registry, person_from_tokens, same_person


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("केंद्रीय मंत्री नितिन गडकरी", Person("नितिन गडकरी", "केंद्रीय मंत्री")),
        ("मुख्यमंत्री ममता बनर्जी", Person("ममता बनर्जी", "मुख्यमंत्री")),
        ("पूर्व सीएम अखिलेश", Person("अखिलेश", "पूर्व सीएम")),
        ("ममता दीदी", Person("ममता")),
        ("विदेश मंत्री", Person("विदेश मंत्री", "विदेश मंत्री")),
        ("राष्ट्रपति इमैनुएल मैक्रों", Person("इमैनुएल मैक्रों", "राष्ट्रपति")),
    ],
)
def test_person_from_tokens(words: str, expected: Person) -> None:
    assert person_from_tokens(words.split()) == expected


@pytest.mark.parametrize("words", ["पार्टी विधायकों", "अधिकारियों", "प्रतिनिधिमंडल", "उन्होंने"])
def test_groups_and_pronouns_are_no_person(words: str) -> None:
    assert person_from_tokens(words.split()) is None


def registry() -> Registry:
    r = Registry()
    r.add(Person("अखिलेश यादव", "सपा अध्यक्ष"))
    r.add(Person("ममता बनर्जी", "मुख्यमंत्री", ("Mamata Banerjee",)))
    r.add(Person("शिवपाल यादव", "सपा नेता"))
    return r


@pytest.mark.parametrize(
    ("short", "full"),
    [
        (Person("ममता", "सीएम"), "ममता बनर्जी"),
        (Person("ममता"), "ममता बनर्जी"),
        (Person("सपा प्रमुख", "सपा प्रमुख"), "अखिलेश यादव"),
        (Person("सपा अध्यक्ष", "सपा अध्यक्ष"), "अखिलेश यादव"),
        (Person("सीएम", "सीएम"), "ममता बनर्जी"),
    ],
)
def test_short_references_resolve(short: Person, full: str) -> None:
    assert registry().resolve(short).name == full


def test_ambiguous_reference_stays() -> None:
    assert registry().resolve(Person("यादव")).name == "यादव"


def test_resolved_person_keeps_latin_alias() -> None:
    assert registry().resolve(Person("ममता")).aliases == ("Mamata Banerjee",)


def test_report_coreference_resolves_short_names() -> None:
    text = (
        "सपा अध्यक्ष अखिलेश यादव ने कार्यकर्ताओं को संबोधित किया। पश्चिम बंगाल की मुख्यमंत्री ममता बनर्जी ने स्वागत किया। "
        "सपा प्रमुख ने सीएम ममता से मुलाकात की।"
    )
    (m,) = extract_meetings(text)
    assert {m.a.name, m.b.name} == {"अखिलेश यादव", "ममता बनर्जी"}


def test_dedupes_pair_across_short_and_full_names() -> None:
    text = "अखिलेश यादव ने ममता बनर्जी से मुलाकात की। बाद में सीएम ममता ने अखिलेश से वार्ता की।"
    assert len(extract_meetings(text)) == 1


def test_same_person_across_scripts() -> None:
    assert same_person(Person("ममता बनर्जी"), Person("Mamata Banerjee"))
    assert same_person(Person("अखिलेश यादव"), Person("Akhilesh Yadav"))
    assert not same_person(Person("अखिलेश यादव"), Person("Mamata Banerjee"))
    assert same_person(Person("ममता बनर्जी", aliases=("Mamata Banerjee",)), Person("Mamata Banerjee"))


def test_same_person_uses_the_transliteration_key() -> None:
    # The lexicon's skeleton keeps nasals the Latin spelling writes as n ("नरेंद्र", "ट्रंप").
    assert same_person(Person("नरेंद्र मोदी"), Person("Narendra Modi"))
    assert same_person(Person("डोनल्ड ट्रंप"), Person("Donald Trump"))
    assert not same_person(Person("नरेंद्र मोदी"), Person("Narendra Singh"))
    assert not same_person(Person("मुख्यमंत्री", "मुख्यमंत्री"), Person("Chief Minister"))


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("पत्नी सुधा मेहता", Person("सुधा मेहता", "पत्नी")),
        ("प्रिंस हैरी", Person("हैरी", "प्रिंस")),
        ("माँ", None),
        ("दोस्त", None),
        ("ड्राइवर", None),
        ("वरिष्ठ अधिकारी", None),
        ("सुवेंदु अधिकारी", Person("सुवेंदु अधिकारी")),
        ("भाजपा नेता सुवेंदु अधिकारी", Person("सुवेंदु अधिकारी", "भाजपा नेता")),
        ("आप", None),
    ],
)
def test_kin_is_a_role_and_alone_names_nobody(words: str, expected: Person | None) -> None:
    assert person_from_tokens(words.split()) == expected
