"""The application core, where a report lands and a question is answered; it knows nothing of Telegram.

``core`` holds :class:`~bot.archive.core.Archive`: open and close the store and the index, ingest
(dedupe, store, sync), ``ask`` and the seeds; ``ingest`` analyses reports into passages and terms in a
process pool; ``keys`` keeps the lexicon snapshot of spelling keys; ``report_files`` reads report files
(text with front matter, or JSON records) and says what is wrong with a bad one. ``search`` is the seam
to the search index (the embedded one by default); ``opensearch`` with ``opensearch_query`` and
``opensearch_reindex`` searches an OpenSearch cluster instead (``KHABRI_SEARCH``), ``search_url`` reads
its URL.
"""
