"""Causeway's exceptions, chosen from core's error classification.

Every error core reports has a stable ``code`` (``"decode.truncated"``, ``"decrypt"``,
``"verify.revoked"``, ...; the same strings in Rust, the CLI's ``--json`` output, the shared
test vectors and JS) and a ``kind`` (``"malformed"``, ``"denied"``, ``"unsupported"``, ``"io"``,
``"internal"``). Each kind is a class here; a few codes get a finer subclass. Malformed input
is also a :class:`ValueError`, an I/O failure also an :class:`OSError`, so callers that already
catch those keep working.

::

    CausewayError
    ├── MalformedError (ValueError)          kind "malformed"
    │   ├── DecodeError                      code "decode.*"
    │   │   └── TooLongError (LimitError)    code "decode.too_long"
    │   ├── LimitError                       over a length or count cap
    │   └── IntegerRangeError (OverflowError) a Python int outside the signed 64-bit range
    ├── DeniedError                          kind "denied": well formed, but does not open/verify
    │   ├── DecryptionError                  code "decrypt" (deliberately opaque)
    │   ├── NotARecipientError               code "not_a_recipient"
    │   ├── VerificationError                codes "verify.*", "log.*", "snark.*", "anchor.*"
    │   └── NotOwnerError                    code "seal.not_owner"
    ├── UnsupportedError                     kind "unsupported" (e.g. an unknown format version)
    ├── StorageError (OSError)               kind "io"
    └── InternalError                        kind "internal": a defect or a platform failure
"""

from __future__ import annotations

from typing import Any

__all__ = [
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


class CausewayError(Exception):
    """Base of every Causeway exception.

    ``code`` is core's stable error code, ``kind`` its kind; ``str(e)`` is core's message,
    which never contains secrets or the raw input.
    """

    code: str
    kind: str

    def __init__(self, message: str, *, code: str, kind: str) -> None:
        super().__init__(message)
        self.code = code
        self.kind = kind

    def __reduce__(self) -> tuple[Any, tuple[type[CausewayError], str, str, str]]:
        # keep code and kind through pickling (multiprocessing)
        return (_rebuild, (type(self), str(self), self.code, self.kind))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, code={self.code!r})"


def _rebuild(cls: type[CausewayError], message: str, code: str, kind: str) -> CausewayError:
    return cls(message, code=code, kind=kind)


class MalformedError(CausewayError, ValueError):
    """The input is malformed, over a limit or inconsistent (kind ``"malformed"``)."""


class DecodeError(MalformedError):
    """Bytes or text that do not decode (codes ``decode.*``)."""


class LimitError(MalformedError):
    """A length or count over one of Causeway's caps."""


class TooLongError(DecodeError, LimitError):
    """A length or count over its cap, refused before allocation (``decode.too_long``)."""


class IntegerRangeError(MalformedError, OverflowError):
    """A Python ``int`` outside the signed 64-bit range of record integers."""


class DeniedError(CausewayError):
    """Well formed, but it does not open, verify or hold (kind ``"denied"``)."""


class DecryptionError(DeniedError):
    """Decryption failed (code ``"decrypt"``). Deliberately opaque: a wrong key, a tampered
    byte, a key commitment that does not match all look the same."""


class NotARecipientError(DeniedError):
    """None of the party's keys is a recipient (code ``"not_a_recipient"``)."""


class VerificationError(DeniedError):
    """A signature, proof, log or anchor check failed."""


class NotOwnerError(DeniedError):
    """Only the owner of a sealed record can change its recipients (``"seal.not_owner"``)."""


class UnsupportedError(CausewayError):
    """A format version, key shape or feature this build does not support (kind
    ``"unsupported"``)."""


class StorageError(CausewayError, OSError):
    """The file system, the database or the network failed (kind ``"io"``)."""


class InternalError(CausewayError):
    """A failure inside Causeway or the platform (kind ``"internal"``): please report it."""


_BY_KIND: dict[str, type[CausewayError]] = {
    "malformed": MalformedError,
    "denied": DeniedError,
    "unsupported": UnsupportedError,
    "io": StorageError,
    "internal": InternalError,
}

_BY_CODE: dict[str, type[CausewayError]] = {
    "decrypt": DecryptionError,
    "not_a_recipient": NotARecipientError,
    "seal.not_owner": NotOwnerError,
    "decode.too_long": TooLongError,
    "record.limit": LimitError,
    "prove.limit": LimitError,
    "ledger.too_large": LimitError,
    "seal.payload_too_large": LimitError,
    "seal.too_many_recipients": LimitError,
}

_VERIFY_PREFIXES = ("verify.", "log.", "snark.", "anchor.", "keyring.")


def _class_for(code: str, kind: str) -> type[CausewayError]:
    cls = _BY_CODE.get(code)
    if cls is not None:
        return cls
    base = _BY_KIND.get(kind, InternalError)
    if code.startswith("decode.") and base is MalformedError:
        return DecodeError
    if code.startswith(_VERIFY_PREFIXES) and base is DeniedError:
        return VerificationError
    return base


def _from_native(code: str, kind: str, message: str, special: str | None = None) -> CausewayError:
    """The exception for an error from the native module (called by it)."""
    if special == "int_range":
        return IntegerRangeError(message, code=code, kind=kind)
    return _class_for(code, kind)(message, code=code, kind=kind)
