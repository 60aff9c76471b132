"""Pure Hindi text retrieval: analysis, BM25 ranking, answer selection and meeting extraction; no I/O.

The stages are pure functions over text: normalize -> tokenize -> analyze -> index -> score -> select.
``bot`` uses exactly the names in ``__all__``.
"""

from retrieval.analyze import FUNCTION_FIELD, KEY_PREFIX, analyze_document, analyze_query, match_spans
from retrieval.answer_types import AnswerKind, merge_spans, question_kind, typed_spans
from retrieval.clean import clean_text
from retrieval.focus import focal_phrases, surface_words
from retrieval.index import Index, decode_batch, decode_joined, encode_batch, encode_terms
from retrieval.lexicon import Lexicon
from retrieval.loanwords import default_model as load_spelling_model
from retrieval.meetings import (
    Meeting,
    Person,
    QuestionWords,
    asks_about_everyone,
    asks_for_partner,
    extract_meetings,
    group_meetings,
    is_meeting_question,
    pick_meetings,
    question_words,
)
from retrieval.meetings import evaluate as evaluate_meetings
from retrieval.passages import PassageText, split_passages
from retrieval.question import Question, read_question
from retrieval.search import (
    BM25_B,
    BM25_K1,
    RERANK,
    RankedQuery,
    idf_by_term,
    new_index,
    rank,
    ranked_query,
    terms_held,
    unknown_idf,
)
from retrieval.select import select_answer
from retrieval.tokenize import split_sentences, tokenize
from retrieval.translate import EnglishHindi
from retrieval.types import (
    Alternative,
    Answer,
    Candidate,
    DocTerms,
    Hit,
    QueryGroup,
    Quote,
    ReportAnswer,
    Span,
    Token,
)
from retrieval.version import ANALYSIS_VERSION, analysis_fingerprint

__all__ = [
    "ANALYSIS_VERSION",
    "BM25_B",
    "BM25_K1",
    "FUNCTION_FIELD",
    "KEY_PREFIX",
    "RERANK",
    "Alternative",
    "Answer",
    "AnswerKind",
    "Candidate",
    "DocTerms",
    "EnglishHindi",
    "Hit",
    "Index",
    "Lexicon",
    "Meeting",
    "PassageText",
    "Person",
    "QueryGroup",
    "Question",
    "QuestionWords",
    "Quote",
    "RankedQuery",
    "ReportAnswer",
    "Span",
    "Token",
    "analysis_fingerprint",
    "analyze_document",
    "analyze_query",
    "asks_about_everyone",
    "asks_for_partner",
    "clean_text",
    "decode_batch",
    "decode_joined",
    "encode_batch",
    "encode_terms",
    "evaluate_meetings",
    "extract_meetings",
    "focal_phrases",
    "group_meetings",
    "idf_by_term",
    "is_meeting_question",
    "load_spelling_model",
    "match_spans",
    "merge_spans",
    "new_index",
    "pick_meetings",
    "question_kind",
    "question_words",
    "rank",
    "ranked_query",
    "read_question",
    "select_answer",
    "split_passages",
    "split_sentences",
    "surface_words",
    "terms_held",
    "tokenize",
    "typed_spans",
    "unknown_idf",
]
