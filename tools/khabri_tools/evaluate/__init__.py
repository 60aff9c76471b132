"""``khabri eval``: the development runner that measures answer quality (docs/quality.md has the figures).

``command`` holds the parser and the run (a table for people, JSON for tools); ``suites`` the
measurements: questions on a store or on report files, XQuAD, romanized queries, meetings.
"""

from khabri_tools.evaluate.command import add_eval_parser, run_eval

__all__ = ["add_eval_parser", "run_eval"]
