"""Name spans in Hindi and English news text: titles, honorifics and coreference.

A *party* of a meeting is a noun phrase ending right before a postposition ("ने", "से", "की",
"के साथ"). This module finds such phrases by walking over word tokens and stopping at words that
cannot belong to a name (postpositions, pronouns, verbs, time words), then separates the title
("पश्चिम बंगाल की मुख्यमंत्री ममता बनर्जी" → role "मुख्यमंत्री", name "ममता बनर्जी").

Everything is table-driven generic vocabulary; no particular person is named here. Within one
report, `Registry` resolves short references ("सीएम ममता", "ममता दीदी", "सपा प्रमुख") to the
full name introduced earlier; across reports, `same_person` compares Devanagari and Latin
spellings through a consonant skeleton.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from indic_transliteration import sanscript

__all__ = [
    "Person",
    "Registry",
    "Token",
    "names_match",
    "normalize_name",
    "party_form",
    "person_from_tokens",
    "same_person",
    "tokenize_words",
]


def word_set(words: str) -> frozenset[str]:
    """A vocabulary table written as whitespace-separated words."""
    return frozenset(words.split())


def is_word_char(ch: str) -> bool:
    """Letters, combining marks (vowel signs, virama, nukta) and digits: the stuff of words.

    Python's ``str.isalnum`` is false for Devanagari vowel signs, so categories are checked.
    """
    return unicodedata.category(ch)[0] in "LMN"


def has_latin(text: str, run: int = 1) -> bool:
    """Whether ``text`` has ``run`` consecutive ASCII letters (a Latin spelling)."""
    count = 0
    for ch in text:
        count = count + 1 if ch.isascii() and ch.isalpha() else 0
        if count >= run:
            return True
    return False


# Words that hold an office or a title. A phrase's last title word splits it into role and name.
TITLES: frozenset[str] = word_set("""मुख्यमंत्री सीएम उपमुख्यमंत्री प्रधानमंत्री पीएम राष्ट्रपति उपराष्ट्रपति मंत्री केंद्रीय
    गृहमंत्री वित्तमंत्री रक्षामंत्री राज्यमंत्री राज्यपाल उपराज्यपाल अध्यक्ष उपाध्यक्ष प्रमुख मुखिया
    सुप्रीमो नेता सांसद विधायक महासचिव सचिव प्रवक्ता राजदूत उच्चायुक्त चांसलर संस्थापक संयोजक
    प्रभारी निदेशक आयुक्त जिलाधिकारी डीएम एसपी न्यायाधीश सेनाध्यक्ष कप्तान कोच अभिनेता अभिनेत्री
    उद्योगपति राजा रानी महाराजा सम्राट सुल्तान पंडित स्वामी संत श्री श्रीमती डॉ डॉक्टर प्रोफेसर
    प्रो महामहिम सीईओ चेयरमैन सभापति महापौर मेयर कुलपति प्राचार्य पार्षद प्रिंस प्रिंसेस राजकुमार
    राजकुमारी सरदार बेगम रजिस्ट्रार प्रिंसिपल डीजी डीजीपी डीआईजी आईजी एसएसपी डीएसपी एसएचओ इंस्पेक्टर
    दरोगा जज न्यायमूर्ति कमिश्नर कलेक्टर समकक्ष""")
# Two-word offices whose first word alone is not a title ("विदेश मंत्री").
TITLE_SYNONYMS: dict[str, str] = {
    "सीएम": "मुख्यमंत्री",
    "पीएम": "प्रधानमंत्री",
    "प्रमुख": "अध्यक्ष",
    "मुखिया": "अध्यक्ष",
    "सुप्रीमो": "अध्यक्ष",
    "चेयरमैन": "अध्यक्ष",
    "मेयर": "महापौर",
}
# Modifiers that make no title on their own but belong to the role ("पूर्व सीएम").
ROLE_MODIFIERS: frozenset[str] = word_set("पूर्व वरिष्ठ कार्यवाहक नवनियुक्त तत्कालीन")
# Kinship and respect words written after a name ("ममता दीदी", "सुन्दरलाल जी").
HONORIFIC_SUFFIXES: frozenset[str] = word_set("जी दीदी दादा साहब साहेब बाबू")

# Words that never belong to a name: postpositions, pronouns, auxiliaries and common verbs,
# discourse words, quantifiers, time words. Reaching one ends a name phrase.
STOPWORDS: frozenset[str] = (
    word_set("""ने से को में पर का की के तक लिए द्वारा साथ संग बीच बाद पहले दौरान मध्य बारे तरफ ओर
    वह वे वो यह ये उस इस उन इन उनकी उनके उनका इनकी उसकी उसके उसका उन्होंने इन्होंने उसने इसने
    उनसे इनसे उससे इससे मैं मैंने हम हमने हमारे हमारी मेरी मेरे तुम आपके आपकी अपने अपनी अपना
    खुद स्वयं जो जिस जिन जिसने जिन्होंने जिसमें जिसके जिनके कौन क्या किस किसी कोई कुछ सब सभी दोनों
    है हैं था थी थीं थे हो होगा होगी होंगे होगें हुआ हुई हुए होने होती होता होते रहा रही रहे रहेगी रहेगा
    किया की कर करके करते करने करना करें करेंगे करेगी करता करती कराई कराया करवाई
    कहा कहे कहीं कहते बताया बोले बोला बोली दिया दी दिए दे देते देने लिया ली लिए ले गया गई गए
    गयी आया आई आए आये पहुंचे पहुँचे पहुंची पहुँची पहुंचीं लौटे निकले रवाना बने बना बनी चुके चुकी
    मिले मिली मिलीं मिला मिलने मिलकर मिलेंगे मिलेंगी मिलेगा मिलें मुलाकात मुलाक़ात भेंट बातचीत
    वार्ता बैठक मीटिंग चर्चा शामिल मौजूद उपस्थित
    और व तथा एवं या अथवा लेकिन मगर परंतु परन्तु किंतु किन्तु कि तो भी ही तक न नहीं ना
    वहीं वहाँ वहां यहां यहाँ इसी उसी तभी जब तब अब फिर दरअसल हालांकि हालाँकि यानी बता दें
    आज कल परसों सुबह शाम रात दोपहर देर हाल ही पिछले अगले इसके उसके बाद जबकि साल वर्ष
    सोमवार मंगलवार बुधवार गुरुवार बृहस्पतिवार शुक्रवार शनिवार रविवार
    जनवरी फरवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर सितम्बर अक्टूबर नवंबर नवम्बर दिसंबर दिसम्बर
    एक दो तीन चार कई अच्छी अच्छा बड़ी बड़ा बड़े अहम लंबी लम्बी गुप्त निजी अलग सीधे करीब लगभग
    छोड़कर छोडकर देकर जाकर आकर करके होकर बनाकर सुनकर लिखकर
    प्रकार जरिए माध्यम अनुसार आदि नामक कारण
    अगली अगला पहली पहला पहले नई नए नया दूसरी दूसरे लेकर बयान देते हुए करीबी द्विपक्षीय
    बैठकों मुलाकातों लोग लोगों
    बैठे बैठी बैठा खडे खडी खडा वाले वाली वाला इतनी इतना इतने हुईं गईं रहीं चुकीं होंगी
    माह महीने महीना हफ्ते हफ्ता सप्ताह दिन दिनों बजे घंटे मिनट सदी दशक
    किसने किससे किसको किसकी किसके किसका कैसे कैसी कैसा क्यों कहां कहाँ कब जाने
    जिसे जिन्हें जिसका जिसकी जिनकी जिनका जिनसे जिससे जिसको जिन्हों
    मुताबिक हवाले मशहूर प्रसिद्ध चर्चित विख्यात लोकप्रिय दिग्गज दिवंगत मरहूम स्वर्गीय""")
)
# Singular nouns naming a group or an institution rather than a person or a named body.
GROUP_NOUNS: frozenset[str] = (
    word_set("""प्रतिनिधिमंडल शिष्टमंडल मंडल मण्डल टीम दल समूह मीडिया पत्रकार संवाददाता परिजन समर्थक जनता लोग
    कर्मचारी प्रशासन अखबार चैनल पुलिस""")
)
# The media: talking to them is an interview or a statement, never a meeting ("बीबीसी से बातचीत
# में", "प्रेस वार्ता"). Compared by key (nukta removed).
MEDIA: frozenset[str] = word_set(
    """मीडिया प्रेस पत्रकार पत्रकारों संवाददाता संवाददाताओं रिपोर्टर रिपोर्टरों अखबार अखबारों चैनल चैनलों
    रेडियो टीवी टेलीविजन न्यूज समाचार एजेंसी इंटरव्यू साक्षात्कार बीबीसी पीटीआई एएनआई रॉयटर्स"""
)
# Words before a party that leave it unnamed: "किसी भी छात्र", "दोनों नेता", "एक कारोबारी".
QUANTIFIERS: frozenset[str] = word_set("किसी कोई दोनों कुछ कई सभी सब अन्य एक तमाम अनेक किन्हीं")
# Pronouns that may stand for the speaker of the sentence ("उन्होंने कहा कि ...").
PRONOUNS: frozenset[str] = word_set("वह वे वो उन्होंने उसने इन्होंने उनकी उसकी उनके उसके उनका उसका हम हमने मैं मैंने आप")
# Kinship and everyday person nouns: a role before a name ("उनकी पत्नी कृष्णा", "ड्राइवर रामू"), and
# alone no name at all ("अपनी माँ", "ड्राइवर से कहा"), unlike an office ("मुख्यमंत्री से मिले").
KIN: frozenset[str] = word_set("""पत्नी पति बेटे बेटी बेटा पुत्र पुत्री पोते पोती नाती भाई बहन पिता मां माँ माता
    चाचा चाची मामा मामी दादी नानी ससुर सास दोस्त मित्र
    ड्राइवर चालक डॉक्टर डाक्टर अधिकारी कर्मचारी पुलिसकर्मी सिपाही जवान किसान छात्र छात्रा शिक्षक अध्यापक
    वकील मरीज युवक युवती महिला पुरुष बच्चे बच्चा बच्ची लडका लडकी आदमी व्यक्ति शख्स पडोसी ग्रामीण
    दुकानदार मालिक नौकर यात्री गवाह आरोपी पीडित पीडिता अभियुक्त विशेषज्ञ कारोबारी व्यापारी राजनयिक""")
CONJUNCTIONS: frozenset[str] = frozenset({"और", "व", "तथा", "एवं", ","})


@dataclass(frozen=True, slots=True)
class Token:
    """One word or punctuation mark of a sentence and its offsets in that sentence."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Person:
    """A party of a meeting: the name without its title, the title, and other spellings.

    ``aliases`` holds, for example, the Latin spelling given in parentheses after the name.
    When no name is given, ``name`` is the office itself ("विदेश मंत्री").
    """

    name: str
    role: str | None = None
    aliases: tuple[str, ...] = ()


def tokenize_words(text: str) -> list[Token]:
    """Split text into word tokens (letters with their marks) and single punctuation tokens.

    Letters keep their combining marks, so "कोलकाता" stays one token; every other non-space
    character is a token of its own so punctuation can end a phrase.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif is_word_char(ch):
            j = i + 1
            while j < n and is_word_char(text[j]):
                j += 1
            tokens.append(Token(text[i:j], i, j))
            i = j
        else:
            tokens.append(Token(ch, i, i + 1))
            i += 1
    return tokens


_FOLD = str.maketrans({"\u093c": None, "\u200c": None, "\u200d": None, "\u0901": "\u0902"})


def party_form(name: str) -> str:
    """The form parties are compared in: "फ़ारुख़  शेख़" and "फारुख शेख" give the same.

    NFC with nukta, ZWJ/ZWNJ and chandrabindu folded (news spells one name several ways in one
    report), whitespace collapsed, Latin casefolded.
    """
    decomposed = unicodedata.normalize("NFD", name).translate(_FOLD)
    return " ".join(unicodedata.normalize("NFC", decomposed).split()).casefold()


def normalize_name(name: str) -> str:
    """NFC, collapsed whitespace and casefold: the form names are compared in."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def names_match(a: str, b: str) -> bool:
    """Whether two names match for evaluation: one contains the other after normalisation."""
    na, nb = normalize_name(a), normalize_name(b)
    return bool(na) and bool(nb) and (na in nb or nb in na)


def is_group(words: Sequence[str]) -> bool:
    """Whether a phrase names a group ("पार्टी विधायकों", "अधिकारियों") rather than a party.

    The Hindi oblique plural ending "-ों" on the head word is the generic sign of a group: names
    of people and places practically never end in it.
    """
    if not words:
        return True
    head = words[-1]
    return head in GROUP_NOUNS or head.endswith(("ों", "ओं"))


def _title_key(word: str) -> str:
    return TITLE_SYNONYMS.get(word, word)


def is_title(word: str) -> bool:
    """Whether a word is a title or office ("मुख्यमंत्री", "अध्यक्ष", any "...मंत्री")."""
    return _is_title(word)


def _is_title(word: str) -> bool:
    word = _plain(word)
    return word in TITLES or word in KIN or word.endswith("मंत्री")


def _plain(word: str) -> str:
    """The word with the nukta removed, as the vocabulary tables are written."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", word).replace("\u093c", ""))


def person_from_tokens(words: Sequence[str], aliases: tuple[str, ...] = ()) -> Person | None:
    """Split a phrase into title and name.

    Args:
        words: the phrase's words in order, e.g. ``["केंद्रीय", "मंत्री", "नितिन", "गडकरी"]``.
        aliases: other spellings of the name found next to it.

    Returns:
        The person, with the office as name when the phrase holds a title only; ``None`` for an
        empty phrase, a pronoun or a group.
    """
    words = list(words)
    while words and words[-1] in HONORIFIC_SUFFIXES:
        words.pop()
    if not words or (len(words) == 1 and words[0] in PRONOUNS):
        return None
    last_title = max((i for i, w in enumerate(words) if _is_title(w)), default=-1)
    if last_title == len(words) - 1 and _plain(words[-1]) in KIN:
        # A person noun at the end: alone or after roles it names nobody ("वरिष्ठ अधिकारी",
        # "अपनी माँ"); after a name it is a surname ("सुवेंदु अधिकारी").
        if all(_is_title(w) or _plain(w) in ROLE_MODIFIERS | GROUP_NOUNS for w in words[:-1]):
            return None
        last_title = max((i for i, w in enumerate(words[:-1]) if _is_title(w)), default=-1)
    # A title vouches for a person even if the name ends like a plural ("राष्ट्रपति ... मैक्रों").
    if last_title == -1 and is_group(words):
        return None
    if last_title == -1:
        return Person(" ".join(words), None, aliases)
    role_words = words[: last_title + 1]
    name_words = words[last_title + 1 :]
    role = " ".join(role_words)
    if not name_words:
        return Person(role, role, aliases)
    return Person(" ".join(name_words), role, aliases)


def _skeleton(name: str) -> str:
    """A script-independent key: Latin consonants of the name, vowels and marks dropped."""
    if not has_latin(name):
        name = str(sanscript.transliterate(name, sanscript.DEVANAGARI, sanscript.IAST))
    plain = unicodedata.normalize("NFD", name.casefold())
    letters = "".join(c for c in plain if c.isalpha() and c.isascii())
    # Doubled letters and aspiration are spelled inconsistently in Latin ("ee", "kh").
    letters = re.sub(r"[aeiouyh]", "", letters)
    return re.sub(r"(.)\1+", r"\1", letters.replace("w", "v"))


def same_person(a: Person, b: Person) -> bool:
    """Whether two persons (possibly from different reports) are the same person.

    Names or aliases match when one contains the other; a Devanagari and a Latin spelling match
    when their consonant skeletons are equal ("ममता बनर्जी" and "Mamata Banerjee").
    """
    forms_a = (a.name, *a.aliases)
    forms_b = (b.name, *b.aliases)
    if any(names_match(x, y) for x in forms_a for y in forms_b):
        return True
    if a.role == a.name or b.role == b.name:
        return False  # an office alone is too vague to compare across reports
    keys_a = {_skeleton(x) for x in forms_a}
    return any(len(k) >= 4 and k in keys_a for k in (_skeleton(y) for y in forms_b))


@dataclass(slots=True)
class Registry:
    """The persons a report has introduced so far, to resolve later short references."""

    persons: list[Person] = field(default_factory=list)

    def add(self, person: Person) -> None:
        """Remember a person given with a full (two-word) name, merging role and aliases."""
        if len(person.name.split()) < 2 or person.name == person.role:
            return
        for i, known in enumerate(self.persons):
            if party_form(known.name) == party_form(person.name):
                aliases = tuple(dict.fromkeys((*known.aliases, *person.aliases)))
                self.persons[i] = Person(known.name, known.role or person.role, aliases)
                return
        self.persons.append(person)

    def resolve(self, person: Person) -> Person:
        """Replace a short reference with the full person introduced earlier, when unique.

        A single word resolves to the one known person whose name has that word; an office
        alone resolves to the one known person holding the same office (synonyms such as
        "प्रमुख"/"अध्यक्ष" and "सीएम"/"मुख्यमंत्री" count as the same, and a qualifier such as
        "सपा" must agree). Anything ambiguous stays as it is.
        """
        words = party_form(person.name).split()
        if person.role is not None and person.name == person.role:
            candidates = [p for p in self.persons if _same_office(person.role, p.role)]
        elif len(words) == 1:
            candidates = [p for p in self.persons if words[0] in party_form(p.name).split()]
        else:
            candidates = [p for p in self.persons if party_form(p.name) == party_form(person.name)]
        if len({party_form(p.name) for p in candidates}) != 1:
            return person
        found = candidates[0]
        aliases = tuple(dict.fromkeys((*found.aliases, *person.aliases)))
        return Person(found.name, person.role or found.role, aliases)


def _same_office(short: str, known: str | None) -> bool:
    """Whether office words such as "सपा प्रमुख" name the same office as "सपा अध्यक्ष"."""
    if known is None:
        return False
    short_words = [w for w in short.split() if w not in ROLE_MODIFIERS]
    known_words = [w for w in known.split() if w not in ROLE_MODIFIERS]
    if not short_words or not known_words:
        return False
    if _title_key(short_words[-1]) != _title_key(known_words[-1]):
        return False
    # Every qualifier given ("सपा") must appear with the known office too.
    return set(short_words[:-1]) <= set(known_words[:-1])
