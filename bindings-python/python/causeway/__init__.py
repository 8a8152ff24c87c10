"""Causeway for Python: parties and keys, records, and sealed records and bytes.

A native package over the ``causeway`` Rust crate (pyo3, abi3): every operation runs in the
same code as the Rust SDK and the CLI, and every error carries core's stable ``code``
(:mod:`causeway.errors`).

>>> import causeway
>>> bank, partner = causeway.Party.generate(), causeway.Party.generate()
>>> rec = causeway.Record("kyc/v1", score=712, name="Ada")
>>> sealed = causeway.seal(rec, owner=bank, recipients=[partner.public_keys])
>>> causeway.open(sealed, party=partner).content == rec
True
"""

from __future__ import annotations

from . import errors, frame
from ._native import (
    Opened,
    Party,
    PublicKeys,
    Record,
    Sealed,
    __version__,
    grant,
    inspect,
    open,
    open_foreign_jwe,
    revoke,
    seal,
)
from .errors import (
    CausewayError,
    DecodeError,
    DecryptionError,
    DeniedError,
    IntegerRangeError,
    InternalError,
    LimitError,
    MalformedError,
    NotARecipientError,
    NotOwnerError,
    StorageError,
    TooLongError,
    UnsupportedError,
    VerificationError,
)

__all__ = [
    "__version__",
    "errors",
    "frame",
    "Party",
    "PublicKeys",
    "Record",
    "Sealed",
    "Opened",
    "seal",
    "open",
    "open_foreign_jwe",
    "grant",
    "revoke",
    "inspect",
    "CausewayError",
    "MalformedError",
    "DecodeError",
    "LimitError",
    "TooLongError",
    "IntegerRangeError",
    "DeniedError",
    "DecryptionError",
    "NotARecipientError",
    "VerificationError",
    "NotOwnerError",
    "UnsupportedError",
    "StorageError",
    "InternalError",
]
