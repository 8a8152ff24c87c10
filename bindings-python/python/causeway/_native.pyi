"""Type stubs of the native module ``causeway._native`` (the Rust half of the package)."""

import datetime
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal, Optional, Union, final

__all__ = [
    "__version__",
    "PublicKeys",
    "Party",
    "Record",
    "Sealed",
    "Opened",
    "seal",
    "open",
    "open_foreign_jwe",
    "grant",
    "revoke",
    "inspect",
    "error_codes",
    "seal_table",
    "open_table",
    "inspect_table",
    "_boundary_self_test",
]

__version__: str

_BytesLike = Union[bytes, bytearray, memoryview]
"""``bytes``, ``bytearray`` or ``memoryview``."""
_SealedLike = Union[bytes, bytearray, memoryview, str]
"""A sealed object: its bytes, or JWE JSON text."""
_Value = Union[bool, int, Decimal, datetime.date, str, bytes]
"""A record value: ``int`` is signed 64-bit, ``datetime.date`` not ``datetime``."""
_ValueIn = Union[bool, int, Decimal, datetime.date, str, bytes, bytearray, memoryview]
"""What a record field may be set to."""

@final
class PublicKeys:
    """A party's public keys (Ed25519 for signatures, X25519 for encryption)."""

    @staticmethod
    def from_text(text: str) -> PublicKeys:
        """Parses ``cwpub1…`` text only."""
    @staticmethod
    def parse(text: str) -> PublicKeys:
        """Parses ``cwpub1…`` text, a public JWK Set, or a key file's text."""
    @staticmethod
    def from_jwk(jwk: Union[str, Mapping[str, Any]]) -> PublicKeys:
        """Parses a public JWK Set (``{"keys": [Ed25519, X25519]}``)."""
    def to_text(self) -> str:
        """The ``cwpub1…`` text."""
    def to_jwk(self) -> dict[str, Any]:
        """The public JWK Set."""
    @property
    def key_id(self) -> str:
        """The key id (32 hex digits)."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Party:
    """A party: current keys and retired keys. Holds secrets: not picklable."""

    @staticmethod
    def generate() -> Party:
        """A new party with fresh keys from the operating system's RNG."""
    @staticmethod
    def from_secret_text(text: str) -> Party:
        """Parses a key file's text (``CW-SECRET-1…`` lines, current key first)."""
    def to_secret_text(self) -> str:
        """The key file's text: a secret."""
    @property
    def public_keys(self) -> PublicKeys:
        """The current public keys."""
    @property
    def key_id(self) -> str:
        """The current key id."""
    @property
    def retired_key_ids(self) -> list[str]:
        """The retired keys' ids, newest first."""
    def rotate(self) -> None:
        """Fresh current keys; the old ones are retired (kept for opening)."""

@final
class Record:
    """A schema id and named, typed fields, used like a ``dict``."""

    def __new__(
        cls, schema: str, fields: Optional[Mapping[str, _ValueIn]] = None, **kwargs: _ValueIn
    ) -> Record: ...
    @property
    def schema(self) -> str:
        """The schema id."""
    def __getitem__(self, name: str, /) -> _Value: ...
    def __setitem__(self, name: str, value: _ValueIn, /) -> None: ...
    def __delitem__(self, name: str, /) -> None: ...
    def __contains__(self, name: object, /) -> bool: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[str]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def keys(self) -> list[str]:
        """The field names, sorted."""
    def values(self) -> list[_Value]:
        """The values, in field-name order."""
    def items(self) -> list[tuple[str, _Value]]:
        """``(name, value)`` pairs, in field-name order."""
    def get(self, name: str, default: Any = None) -> Any:
        """A field's value, or ``default``."""
    def to_dict(self) -> dict[str, _Value]:
        """The fields as a new ``dict``."""
    def types(self) -> list[tuple[str, str]]:
        """``(name, type)``: ``int``, ``decimal``, ``date``, ``string``, ``bytes``, ``bool``."""
    def to_json(self) -> str:
        """The JSON view."""
    @staticmethod
    def from_json(text: str) -> Record:
        """Parses the JSON view."""
    def to_bytes(self) -> bytes:
        """The canonical binary encoding."""
    @staticmethod
    def from_bytes(data: _BytesLike) -> Record:
        """Decodes the canonical binary encoding strictly."""

@final
class Sealed:
    """A sealed record or sealed bytes."""

    @staticmethod
    def from_bytes(data: _BytesLike) -> Sealed:
        """Decodes the canonical binary form."""
    @staticmethod
    def from_jwe(text: _SealedLike) -> Sealed:
        """Parses the JWE JSON form strictly."""
    @staticmethod
    def parse(data: _SealedLike) -> Sealed:
        """Decodes either form."""
    def to_bytes(self) -> bytes:
        """The canonical binary form."""
    def to_jwe(self) -> str:
        """The JWE JSON form."""
    def open(self, party: Party) -> Union[Record, bytes]:
        """Opens as ``party`` (current or retired keys)."""
    def grant(self, owner: Party, to: PublicKeys) -> Sealed:
        """Adds a recipient (owner only)."""
    def revoke(self, owner: Party, recipient: Union[PublicKeys, str]) -> Sealed:
        """Removes a recipient (owner only): a new content key, epoch + 1."""
    def inspect(self) -> dict[str, Any]:
        """What the object says about itself (no secrets)."""
    @property
    def record_id(self) -> str: ...
    @property
    def epoch(self) -> int: ...
    @property
    def owner(self) -> str: ...
    @property
    def recipients(self) -> list[str]: ...
    @property
    def content_type(self) -> str: ...
    @property
    def version(self) -> int: ...

@final
class Opened:
    """What :func:`open` opened."""

    @property
    def content(self) -> Union[Record, bytes]:
        """The plaintext."""
    @property
    def record(self) -> Record:
        """The content as a ``Record`` (sealed bytes raise ``DecodeError``)."""
    @property
    def format(self) -> Literal["binary", "jwe", "stream", "foreign-jwe"]: ...
    @property
    def version(self) -> Optional[int]: ...
    @property
    def owner(self) -> Optional[str]:
        """The owner's key id if the owner signed the object, else ``None``."""
    @property
    def owner_signed(self) -> bool: ...
    @property
    def record_id(self) -> Optional[str]: ...
    @property
    def epoch(self) -> Optional[int]: ...

def seal(
    content: Union[Record, _BytesLike],
    *,
    owner: Party,
    recipients: Optional[Iterable[PublicKeys]] = None,
    form: Literal["binary", "jwe"] = "binary",
) -> bytes:
    """Seals a record or bytes for ``recipients`` (the owner is always one)."""

def open(
    sealed: _SealedLike, *, party: Party, expect_owner: Union[PublicKeys, str, None] = None
) -> Opened:
    """Opens any sealed object as ``party``."""

def open_foreign_jwe(jwe: _SealedLike, *, party: Party) -> bytes:
    """Opens a plain JWE made by another JOSE library."""

def grant(sealed: Union[_SealedLike, Sealed], *, owner: Party, to: PublicKeys) -> bytes:
    """Adds a recipient; returns the object in the form it came in."""

def revoke(sealed: Union[_SealedLike, Sealed], *, owner: Party, recipient: Union[PublicKeys, str]) -> bytes:
    """Removes a recipient (new key, epoch + 1); returns the object in the form it came in."""

def inspect(sealed: Union[_SealedLike, Sealed]) -> dict[str, Any]:
    """What a sealed record says about itself, without opening it."""

def seal_table(
    *,
    owner: Party,
    content_type: str,
    rows: int,
    columns: list[tuple[str, str]],
    parts: list[tuple[list[str], list[PublicKeys], _BytesLike]],
) -> bytes:
    """Seals column groups as one sealed table (``causeway.frame`` builds the parts)."""

def open_table(
    sealed: _BytesLike, party: Party, *, owner: Optional[PublicKeys] = None
) -> dict[str, Any]:
    """Opens a sealed table as ``party``: the manifest, each part's payload or ``None``,
    and the indices of the unreadable parts."""

def inspect_table(sealed: _BytesLike) -> dict[str, Any]:
    """A sealed table's manifest and parts (payloads ``None``), every part checked."""

def error_codes() -> list[tuple[str, str]]:
    """Every core error code with its kind."""

def _boundary_self_test() -> None:
    """Panics inside the error boundary (raises ``InternalError``). Only in builds with the
    ``self-test`` feature (the test suite), never in a released wheel."""
