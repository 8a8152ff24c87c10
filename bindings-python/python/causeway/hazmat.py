"""Raw primitives of core, for test vectors and interoperability: **not for applications**.

Applications prove and verify through presentations (:func:`causeway.present`,
``Presentation.verify``), whose transcripts bind the statement, the attestation and the
verifier's challenge. The functions here check one primitive alone, under a fixed transcript,
with the same outcomes and error codes as the Rust crate:

- :func:`verify_range_vector`: an aggregated Bulletproofs range proof
  (``causeway::range::verify``) as the shared vectors in ``tests/vectors/range`` carry it.
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple, Union

from . import _native

__all__ = ["verify_range_vector"]

_BytesLike = Union[bytes, bytearray, memoryview]


def verify_range_vector(
    *,
    challenge: _BytesLike,
    claims: Sequence[Tuple[_BytesLike, Optional[int], Optional[int]]],
    proof: _BytesLike,
) -> None:
    """Verifies a raw aggregated range proof for ``claims``, each ``(commitment, lo, hi)``: a
    32-byte Ristretto commitment and inclusive bounds (``None`` leaves a side open).

    The transcript is the range vectors' fixed one: merlin ``causeway-range vector``, then
    the message ``challenge``. Returns ``None``, or raises what the Rust crate gives:
    :class:`~causeway.errors.DecodeError` for malformed proof or commitment bytes,
    :class:`~causeway.errors.VerificationError` for a proof that does not verify,
    :class:`~causeway.errors.MalformedError` for an invalid statement (an empty range).
    """
    _native.verify_range_vector(
        challenge=challenge, claims=[(c[0], c[1], c[2]) for c in claims], proof=proof
    )
