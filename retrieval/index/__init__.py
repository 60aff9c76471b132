"""The BM25 index: what the archive ranks with, and the blobs the store keeps a passage's terms in.

- ``bm25``: `Index`, Okapi BM25 over integer term and document ids, growing batch by batch,
  with tombstones for removed documents (its docstring states the formula and where it stands
  against rank-bm25, the oracle of the tests and the benchmark).
- ``plan``: a query validated, folded into scoring coefficients, ordered and located.
- ``postings``: the immutable segments and the log-structured merge policy.
- ``kernels``: the compiled loops (numba) that score postings into a heap or a shortlist.
- ``codec``: one document's terms as bytes for the store, and back in batches.
"""

from retrieval.index.bm25 import Index
from retrieval.index.codec import decode_batch, decode_joined, encode_batch, encode_terms

__all__ = ["Index", "decode_batch", "decode_joined", "encode_batch", "encode_terms"]
