"""The application core, where a report lands and a question is answered; it knows nothing of Telegram.

``core`` holds :class:`~bot.archive.core.Archive`: open and close the store and the index, ingest
(dedupe, store, sync), ``ask`` and the seeds; ``ingest`` analyses reports into passages and terms in a
process pool; ``keys`` keeps the lexicon snapshot of spelling keys; ``report_files`` reads report files
(text with front matter, or JSON records) and says what is wrong with a bad one.
"""
