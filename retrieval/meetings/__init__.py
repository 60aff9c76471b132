"""Who met whom in news reports: the meeting extractor and the meeting questions, as one package.

A report flows ``extract`` → ``sentence`` → the rules → ``names``; a question flows through
``query``; what the bot shows is grouped by ``groups``. The modules, from the entry points down:

- ``extract``: `extract_meetings` for a whole report (names resolved across sentences, date and
  place filled from the report, one meeting per pair) and `mentions_meeting`, the cheap pre-test.
- ``sentence``: one sentence on its own (`extract_from_sentence`): runs the rules at each
  meeting word, drops pairs found twice, reads the sentence's place and date.
- ``hindi``, ``subjects``, ``talk``: the Hindi constructions ("X ने Y से मुलाकात की", subjects
  standing elsewhere in the clause, "X ने Y से कहा", calls and visits); ``english``: "X met Y".
- ``speaker`` (a pronoun that stands for the speaker the sentence names), ``guards`` (meetings
  offered, refused, denied, or with the media), ``clause`` (the clause around a meeting word and
  the word lists the rules share), ``phrases`` (name phrases before and after postpositions, and
  `word_key`, the form every word is looked up in).
- ``context``: sentence spans (the one splitter of `retrieval.tokenize`), dates and places.
- ``names``: `Person`, titles and the per-report `Registry`; ``words``: the vocabulary tables.
- ``query`` (what a question asks and which meetings answer it), ``groups`` (one meeting told by
  several reports), ``scoring`` (`evaluate` against labelled sentences).

Only the names below are for use outside the package; the modules share the rest among
themselves by their public names (none imports another's underscore names).
"""

from retrieval.meetings.extract import Meeting, extract_meetings, mentions_meeting
from retrieval.meetings.groups import group_meetings, party_form
from retrieval.meetings.names import Person, names_match
from retrieval.meetings.query import (
    QuestionWords,
    asks_about_everyone,
    asks_for_partner,
    is_meeting_question,
    pick_meetings,
    question_words,
)
from retrieval.meetings.scoring import MeetingScores, Miss, evaluate
from retrieval.meetings.sentence import extract_from_sentence

__all__ = [
    "Meeting",
    "MeetingScores",
    "Miss",
    "Person",
    "QuestionWords",
    "asks_about_everyone",
    "asks_for_partner",
    "evaluate",
    "extract_from_sentence",
    "extract_meetings",
    "group_meetings",
    "is_meeting_question",
    "mentions_meeting",
    "names_match",
    "party_form",
    "pick_meetings",
    "question_words",
]
