"""The English meeting rules: "X met Y", "X and Y met", "talks between X and Y", "X held talks with Y".

Parties are runs of capitalised words; leading title words ("Chief Minister", "Dr.") become the
role, and group nouns ("party workers") cancel the meeting.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.meetings.names import Person
from retrieval.meetings.words import word_set
from retrieval.types import Token

EN_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_EN_TITLES: frozenset[str] = (
    word_set("""Chief Minister Prime President Vice Governor Mr Mrs Ms Dr Shri Smt Foreign Home Defence
    Finance External Affairs Union Deputy Leader Chairman Speaker Ambassador High Commissioner
    CM PM Secretary General King Queen Senator Chancellor Premier Former US UK The""")
)
EN_SKIP: frozenset[str] = word_set(
    f"""on today yesterday also later earlier reportedly finally had has have will would
    recently last this week morning evening night separately briefly
    {EN_WEEKDAYS.replace("|", " ")} {EN_MONTHS.replace("|", " ")}"""
)
# Group nouns: "met Congress workers", "met party MLAs" are no meetings of two named parties.
_EN_GROUPS: frozenset[str] = (
    word_set("""workers leaders officials farmers members supporters delegation delegates MLAs MPs
    ministers students volunteers representatives activists legislators councillors officers
    team executives people residents journalists reporters media party""")
)
# Lowercase role nouns between a modifier and a name ("Russian counterpart Sergei Lavrov").
_EN_ROLE_NOUNS: frozenset[str] = word_set(
    "counterpart leader chief minister president founder head spokesperson"
)
_EN_DETERMINERS: frozenset[str] = word_set("with the his her their its visiting")
EN_VERBS: frozenset[str] = frozenset({"met", "meets", "meet"})
EN_NOUNS: frozenset[str] = frozenset({"talks", "meeting", "talked", "discussions"})


def capitalised(token: Token) -> bool:
    """Whether a token is a capitalised Latin word, the stuff of English names."""
    return token.text[:1].isupper() and token.text.isalpha()


def _en_person(words: list[str]) -> Person | None:
    """A Latin phrase → person: leading title words become the role."""
    if not words or words[-1] in _EN_GROUPS:
        return None
    k = 0
    while k < len(words) - 1 and words[k].rstrip(".") in _EN_TITLES:
        k += 1
    if k == len(words) - 1 and words[k] in _EN_TITLES:
        k = len(words)
    role = " ".join(w for w in words[:k] if w != "The") or None
    name = " ".join(words[k:])
    if not name:
        return Person(role, role) if role else None
    return Person(name, role)


def _en_run_before(tokens: Sequence[Token], end: int) -> list[str]:
    j = end - 1
    skipped = 0
    while j >= 0 and skipped < 4 and (tokens[j].text in EN_SKIP or tokens[j].text.isdigit()):
        j -= 1
        skipped += 1
    words: list[str] = []
    while j >= 0 and (
        capitalised(tokens[j]) or (tokens[j].text == "." and j > 0 and capitalised(tokens[j - 1]))
    ):
        if tokens[j].text == ".":
            words.insert(0, tokens[j - 1].text + ".")
            j -= 2
            continue
        words.insert(0, tokens[j].text)
        j -= 1
    return words


def _en_run_after(tokens: Sequence[Token], begin: int) -> list[str] | None:
    """The capitalised run starting at ``begin``; ``None`` when it only modifies a group noun."""
    j = begin
    while j < len(tokens) and tokens[j].text in _EN_DETERMINERS:
        j += 1
    words: list[str] = []
    while j < len(tokens):
        tok = tokens[j]
        if capitalised(tok):
            words.append(tok.text)
        elif tok.text == "." and words and len(words[-1]) == 1:
            words[-1] += "."  # an initial: "S. Jaishankar"
        elif tok.text in _EN_ROLE_NOUNS and j + 1 < len(tokens) and capitalised(tokens[j + 1]):
            words = []  # "his Russian counterpart Sergei Lavrov": the name comes after the role
        else:
            break
        j += 1
    if j < len(tokens) and tokens[j].text in _EN_GROUPS:
        return None
    return words


def _split_and(words: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for w in words:
        if w == "and":
            parts.append([])
        else:
            parts[-1].append(w)
    return parts


def english_pairs(tokens: Sequence[Token]) -> list[tuple[Person, Person]]:
    """Pairs from "X met Y", "X and Y met", "talks between X and Y", "X held talks with Y"."""
    pairs: list[tuple[Person, Person]] = []
    texts = [tok.text for tok in tokens]
    for t, surface in enumerate(texts):
        word = surface.lower()
        left: list[list[str]] = []
        right: list[str] | None = None
        if word in EN_NOUNS and t + 1 < len(texts) and texts[t + 1] == "between":
            run: list[str] = []
            j = t + 2
            while j < len(texts) and (capitalised(tokens[j]) or texts[j] == "and"):
                run.append(texts[j])
                j += 1
            parts = [p for p in _split_and(run) if p]
            if len(parts) == 2:
                left, right = [parts[0]], parts[1]
        elif word in EN_VERBS | EN_NOUNS:
            before = _before_with_and(tokens, t)
            after = _en_run_after(tokens, t + 1)
            if word in EN_NOUNS and (t + 1 >= len(texts) or texts[t + 1] != "with"):
                after = None
            if after:
                left, right = before, after
            elif len(before) == 2 and word in {"met", "meet"}:
                left, right = [before[0]], before[1]
        if not left or not right:
            continue
        b = _en_person(right)
        for part in left:
            a = _en_person(part)
            if a is not None and b is not None:
                pairs.append((a, b))
    return pairs


def _before_with_and(tokens: Sequence[Token], t: int) -> list[list[str]]:
    """The party (or "X and Y") before an English meeting word, skipping auxiliaries and dates."""
    j = t
    while j > 0 and tokens[j - 1].text in {"held", "had", "a", "'", "’", "s", "with", "the"}:
        j -= 1
    last = _en_run_before(tokens, j)
    if not last:
        return []
    # Walk back over "X and" to a second party.
    k = j - 1
    while k >= 0 and (capitalised(tokens[k]) or tokens[k].text in EN_SKIP or tokens[k].text == "."):
        k -= 1
    if k >= 1 and tokens[k].text == "and":
        first = _en_run_before(tokens, k)
        if first:
            return [first, last]
    return [last]
