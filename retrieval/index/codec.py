"""The term-blob codec: one document's index terms as bytes, for the store, and back in batches.

A document's terms are a little-endian, packed array of 6-byte records (``uint32`` term id,
``uint16`` frequency), sorted by term id, so that a whole batch of blobs decodes with one
``b"".join`` and one ``np.frombuffer`` into the CSR arrays `Index.add` takes. Frequencies above
65535 are clamped.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from retrieval.index.postings import MAX_TERM_ID, MAX_TF

__all__ = ["decode_batch", "decode_joined", "encode_batch", "encode_terms"]

_RECORD = np.dtype([("term", "<u4"), ("tf", "<u2")])


def encode_terms(
    term_ids: NDArray[np.integer] | Sequence[int], tfs: NDArray[np.integer] | Sequence[int]
) -> bytes:
    """Encode one document's terms as a blob: packed ``<u4`` term id, ``<u2`` tf records.

    Records are sorted by term id, so equal documents give equal bytes. Frequencies above 65535
    are clamped to 65535 (the document length then counts 65535 for that term).

    Raises:
        ValueError: the arrays differ in length, a term id is outside ``[0, 2**32)``, a term id
            repeats, or a frequency is below 1.
    """
    terms = np.asarray(term_ids)
    freqs = np.asarray(tfs)
    if terms.ndim != 1 or freqs.shape != terms.shape:
        raise ValueError("term_ids and tfs must be 1-D arrays of the same length")
    if len(terms) == 0:
        return b""
    if not (np.issubdtype(terms.dtype, np.integer) and np.issubdtype(freqs.dtype, np.integer)):
        raise ValueError("term_ids and tfs must be integers")
    if int(terms.min()) < 0 or int(terms.max()) > MAX_TERM_ID:
        raise ValueError(f"term ids must be in [0, {MAX_TERM_ID}]")
    if int(freqs.min()) < 1:
        raise ValueError("term frequencies must be at least 1")
    order = np.argsort(terms, kind="stable")
    records = np.empty(len(terms), dtype=_RECORD)
    records["term"] = terms[order]
    records["tf"] = np.minimum(freqs[order], MAX_TF)
    if bool(np.any(records["term"][1:] == records["term"][:-1])):
        raise ValueError("term ids must be distinct within a document")
    return records.tobytes()


def encode_batch(
    offsets: NDArray[np.integer], term_ids: NDArray[np.integer], tfs: NDArray[np.integer]
) -> list[bytes]:
    """The blob of each of many documents given in CSR form, as :func:`encode_terms` makes it.

    Document ``i`` has the terms ``term_ids[offsets[i]:offsets[i + 1]]`` (distinct within it,
    ``uint32``) with frequencies ``tfs[...]`` (at least 1; larger than 65535 is clamped). One sort
    of (document, term id) keys replaces a sort per document.
    """
    sizes = np.diff(offsets)
    ids = np.asarray(term_ids).astype(np.uint64)
    key = np.repeat(np.arange(len(sizes), dtype=np.uint64), sizes) << np.uint64(32)
    key |= ids
    order = np.argsort(key, kind="stable")
    records = np.empty(len(ids), dtype=_RECORD)
    records["term"] = ids[order]
    records["tf"] = np.minimum(np.asarray(tfs)[order], MAX_TF)
    raw = records.tobytes()
    ends = (np.asarray(offsets, dtype=np.int64) * _RECORD.itemsize).tolist()
    return [raw[a:z] for a, z in pairwise(ends)]


def decode_batch(
    doc_ids: Sequence[int] | NDArray[np.integer], blobs: Sequence[bytes]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.uint32], NDArray[np.uint16]]:
    """Decode the blobs of many documents into the CSR arrays that ``Index.add`` takes.

    Returns:
        ``(doc_ids, offsets, term_ids, tfs)``: document ``i`` has the terms
        ``term_ids[offsets[i]:offsets[i + 1]]`` with frequencies ``tfs[...]``.

    Raises:
        ValueError: the two sequences differ in length, or a blob is not a whole number of
            6-byte records.
    """
    ids = np.asarray(doc_ids, dtype=np.int64)
    if ids.ndim != 1 or len(ids) != len(blobs):
        raise ValueError("doc_ids and blobs must have the same length")
    return decode_joined(ids, np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs)), b"".join(blobs))


def decode_joined(
    doc_ids: Sequence[int] | NDArray[np.integer], sizes: Sequence[int] | NDArray[np.integer], blob: bytes
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.uint32], NDArray[np.uint16]]:
    """:func:`decode_batch` for blobs already joined: document ``i``'s blob is ``sizes[i]`` bytes.

    Raises:
        ValueError: ids and sizes differ in length, a size is not a whole number of 6-byte
            records, or the sizes do not add up to the blob.
    """
    ids = np.asarray(doc_ids, dtype=np.int64)
    lengths = np.asarray(sizes, dtype=np.int64)
    if ids.ndim != 1 or lengths.shape != ids.shape:
        raise ValueError("doc_ids and sizes must have the same length")
    if bool(np.any(lengths % _RECORD.itemsize)) or bool(np.any(lengths < 0)):
        raise ValueError(f"each blob must be a multiple of {_RECORD.itemsize} bytes")
    if int(lengths.sum()) != len(blob):
        raise ValueError("the sizes do not add up to the blob")
    offsets = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(lengths // _RECORD.itemsize, out=offsets[1:])
    records = np.frombuffer(blob, dtype=_RECORD)
    return ids, offsets, records["term"].astype(np.uint32), records["tf"].astype(np.uint16)
