"""Khabri's development tools: the benchmark (``khabri bench``) and the evaluation (``khabri eval``).

Not shipped with khabri: this is the khabri-tools distribution of the checkout's ``tools/`` folder,
installed beside khabri (``make`` does, editable). The ``khabri`` command finds the two subcommands
through the ``khabri.tools`` entry points (``commands``), so no shipped module names this package.

- ``commands``: the entry points, ``register_bench`` and ``register_eval``.
- ``bench``: ``khabri bench``, the hot paths at several archive sizes, rank-bm25 side by side;
  ``bench_corpus`` its inputs; ``bench_load`` ``khabri bench load``, the running bot under load,
  with ``balancer`` (nginx in front of several workers); ``search_bench`` ``khabri bench --search``.
- ``evaluate``: ``khabri eval``, answer quality on the evaluation sets.
"""
