"""Type stubs of the native module ``causeway._native`` (the Rust half of the package)."""

import datetime
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Callable, Literal, Optional, TypedDict, Union, final, type_check_only

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
    "seal_table_written",
    "_TableSink",
    "verify_range_vector",
    "open_table",
    "inspect_table",
    "_boundary_self_test",
    "_seal_stream_io",
    "_open_stream_io",
    "Attestation",
    "AttestedRecord",
    "RevocationList",
    "Statement",
    "attest",
    "attest_rows",
    "Presentation",
    "VerifiedPresentation",
    "present",
    "new_challenge",
    "KeyRing",
    "VerifyingKey",
    "Groth16Export",
    "MemberSecret",
    "membership_root",
    "prove_membership",
    "verify_membership",
    "read_key_manifest",
    "Receipt",
    "Ledger",
    "AuditReport",
    "VerifiedBundle",
    "VerifiedAnchor",
    "verify_bundle",
    "verify_inclusion",
    "verify_consistency",
    "merkle_leaf_hash",
    "verify_anchor_receipt",
    "open_checkpoint",
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

def seal_table_written(
    *,
    owner: Party,
    content_type: str,
    rows: int,
    columns: list[tuple[str, str]],
    parts: list[tuple[list[str], list[PublicKeys], int, Callable[[Any], None]]],
) -> bytes:
    """Seals column groups as one sealed table from payloads written piece by piece: each part
    is ``(columns, recipients, payload_len, write)`` and ``write(sink)`` writes exactly
    ``payload_len`` bytes to the file-like ``sink`` (a :class:`_TableSink`), sealed on a
    thread without the GIL straight into the returned bytes (``causeway.frame`` uses it)."""

@final
class _TableSink:
    """A write-only file object handing what is written to the sealer of
    :func:`seal_table_written`; valid only during that call."""

    def write(self, data: Any) -> int:
        """Hands ``data`` (bytes-like) to the sealer; returns its length."""
    def flush(self) -> None:
        """Nothing to flush."""
    def close(self) -> None:
        """Does nothing: the part ends when the writer returns."""
    @property
    def closed(self) -> bool:
        """Always ``False`` while in use."""
    def writable(self) -> bool:
        """``True``."""
    def readable(self) -> bool:
        """``False``."""
    def seekable(self) -> bool:
        """``False``."""

def verify_range_vector(
    *,
    challenge: _BytesLike,
    claims: list[tuple[_BytesLike, Optional[int], Optional[int]]],
    proof: _BytesLike,
) -> None:
    """Verifies a raw aggregated range proof under the range vectors' fixed transcript
    (``causeway.hazmat.verify_range_vector``)."""

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

# --------------------------------------------------------------------------------------------
# Streams (issue 12): the native loops; paths, files and progress in ``causeway.stream``.

_StreamInfo = dict[str, Any]
"""``record_id``, ``epoch``, ``owner``, ``recipients``, ``plaintext_len``, ``signed``."""

def _seal_stream_io(
    reader: Any,
    writer: Any,
    *,
    owner: Party,
    recipients: Optional[Iterable[PublicKeys]] = None,
    progress: Optional[Callable[[int], Any]] = None,
    chunk_size: Optional[int] = None,
) -> _StreamInfo:
    """Seals what ``reader.read(n)`` gives into ``writer.write(b)`` (GIL released between
    calls); use :func:`causeway.seal_stream`."""

def _open_stream_io(
    reader: Any,
    writer: Any,
    *,
    party: Party,
    expect_owner: Union[PublicKeys, str, None] = None,
    progress: Optional[Callable[[int], Any]] = None,
    chunk_size: Optional[int] = None,
) -> _StreamInfo:
    """Opens a stream from ``reader`` into ``writer``; use :func:`causeway.open_stream`."""

# --------------------------------------------------------------------------------------------
# Attestations, revocation lists, statements

_BoundIn = Union[int, Decimal, datetime.date, str]
"""A statement bound: ``int``, ``Decimal`` (exact at the field's scale), ``date`` or text."""

@final
class Attestation:
    """An issuer's signed attestation over a record's commitments (public: no values)."""

    @staticmethod
    def from_bytes(data: _SealedLike) -> Attestation:
        """Decodes canonical bytes or base64url text."""
    def to_bytes(self) -> bytes:
        """The canonical bytes."""
    def to_text(self) -> str:
        """The base64url text."""
    @property
    def id(self) -> str:
        """The attestation id (64 hex digits)."""
    @property
    def issuer(self) -> str:
        """The issuer's key id."""
    @property
    def subject(self) -> str:
        """The holder's key id."""
    @property
    def schema(self) -> str:
        """The schema id."""
    @property
    def not_before(self) -> int:
        """First second of validity (unix seconds)."""
    @property
    def not_after(self) -> int:
        """Last second of validity (unix seconds)."""
    @property
    def revocation_handle(self) -> str:
        """The revocation handle (64 hex digits)."""
    @property
    def record_id(self) -> Optional[str]:
        """The signed record id (``None`` for version 1)."""
    @property
    def version(self) -> int:
        """The format version."""
    @property
    def numeric_fields(self) -> list[str]:
        """The fields with Pedersen commitments."""
    def verify(
        self,
        *,
        issuers: Iterable[PublicKeys],
        now: Optional[int] = None,
        revocations: Optional[Iterable[RevocationList]] = None,
        revocations_max_age: Optional[int] = None,
        require_revocation_lists: bool = False,
    ) -> str:
        """Full verification (trusted issuer, signature, window at ``now``, revocation);
        returns the issuer's key id or raises ``VerificationError``."""
    def __eq__(self, other: object, /) -> bool: ...

@final
class AttestedRecord:
    """The holder's copy: record, attestation and secret openings. Not picklable."""

    @staticmethod
    def from_secret_bytes(data: _SealedLike) -> AttestedRecord:
        """Decodes a holder file (bytes or base64url text)."""
    def to_secret_bytes(self) -> bytes:
        """The holder file: a secret."""
    @property
    def record(self) -> Record:
        """The attested record."""
    @property
    def attestation(self) -> Attestation:
        """The issuer's attestation."""

@final
class RevocationList:
    """An issuer's signed list of revoked attestation handles."""

    @staticmethod
    def issue(
        *,
        issuer: Party,
        revoked: Iterable[Union[Attestation, AttestedRecord, str]],
        issued_at: Optional[int] = None,
    ) -> RevocationList:
        """Signs a list revoking ``revoked`` as of ``issued_at`` (default: now)."""
    @staticmethod
    def from_bytes(data: _SealedLike) -> RevocationList:
        """Decodes canonical bytes or base64url text."""
    def to_bytes(self) -> bytes:
        """The canonical bytes."""
    def verify(self, issuer: PublicKeys) -> None:
        """Verifies the issuer's signature (``VerificationError`` if not)."""
    @property
    def issuer(self) -> str:
        """The issuer's key id."""
    @property
    def issued_at(self) -> int:
        """When it was signed (unix seconds)."""
    @property
    def handles(self) -> list[str]:
        """The revoked handles (hex), sorted."""
    def __contains__(self, item: object, /) -> bool: ...
    def __len__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Statement:
    """A statement about attested fields (text or a builder)."""

    @staticmethod
    def parse(text: str, *, attestations: Optional[int] = None) -> Statement:
        """Parses ``"score >= 700"``, ``"income in [50000, 120000]"``, ``"sum(amount) >= t"``."""
    @staticmethod
    def at_least(field: str, bound: _BoundIn, *, attestation: Optional[int] = None) -> Statement:
        """``field >= bound``."""
    @staticmethod
    def at_most(field: str, bound: _BoundIn, *, attestation: Optional[int] = None) -> Statement:
        """``field <= bound``."""
    @staticmethod
    def above(field: str, bound: _BoundIn, *, attestation: Optional[int] = None) -> Statement:
        """``field > bound``."""
    @staticmethod
    def below(field: str, bound: _BoundIn, *, attestation: Optional[int] = None) -> Statement:
        """``field < bound``."""
    @staticmethod
    def between(field: str, lo: _BoundIn, hi: _BoundIn, *, attestation: Optional[int] = None) -> Statement:
        """``lo <= field <= hi``."""
    @staticmethod
    def equals(field: str, value: _BoundIn, *, attestation: Optional[int] = None) -> Statement:
        """``field == value``."""
    @staticmethod
    def not_equals(field: str, value: _BoundIn, *, attestation: Optional[int] = None) -> Statement:
        """``field != value``."""
    @staticmethod
    def sum(field: str, *, attestations: list[int], at_least: _BoundIn) -> Statement:
        """``sum(field) >= at_least`` over the attested records ``attestations``."""
    @staticmethod
    def all(
        field: str,
        *,
        attestations: list[int],
        at_least: Optional[_BoundIn] = None,
        at_most: Optional[_BoundIn] = None,
    ) -> Statement:
        """``all(field) in [at_least, at_most]``: every one of the records ``attestations``."""
    @property
    def field(self) -> str:
        """The field."""
    @property
    def attestations(self) -> list[int]:
        """The attested records it is about."""
    @property
    def is_sum(self) -> bool:
        """Whether it sums several records."""
    @property
    def is_all(self) -> bool:
        """Whether it is a column statement (every one of several records)."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def attest(
    record: Record,
    *,
    issuer: Party,
    subject: PublicKeys,
    not_before: Optional[int] = None,
    not_after: Optional[int] = None,
    valid_days: Optional[int] = None,
    record_id: Optional[str] = None,
    now: Optional[int] = None,
) -> AttestedRecord:
    """Issues an attestation over ``record`` for ``subject``; returns the holder's copy."""

def attest_rows(
    records: Sequence[Record],
    *,
    issuer: Party,
    subject: PublicKeys,
    not_before: Optional[int] = None,
    not_after: Optional[int] = None,
    valid_days: Optional[int] = None,
    now: Optional[int] = None,
) -> list[AttestedRecord]:
    """Attests rows (records of one schema) in one call; returns the holders' copies."""

# --------------------------------------------------------------------------------------------
# Presentations

_Challenge = Union[bytes, bytearray, memoryview, str]
"""A challenge: 16 to 64 bytes, or their hex."""

def new_challenge() -> bytes:
    """32 random bytes from the OS: a verifier's challenge."""

@final
class Presentation:
    """What a holder gives a verifier (public)."""

    @staticmethod
    def from_bytes(data: _SealedLike) -> Presentation:
        """Decodes canonical bytes, base64url, or the JSON view."""
    def to_bytes(self) -> bytes:
        """The canonical bytes."""
    def to_json(self) -> str:
        """The JSON view."""
    @property
    def backend(self) -> Literal["bulletproofs", "groth16"]: ...
    @property
    def holder(self) -> PublicKeys: ...
    @property
    def statements(self) -> list[Statement]:
        """The statements claimed (verify to know)."""
    @property
    def attestations(self) -> list[Attestation]: ...
    def groth16_exports(self, challenge: _Challenge) -> list[Groth16Export]:
        """Each Groth16 proof with the public inputs recomputed for ``challenge``."""
    def verify(
        self,
        *,
        issuers: Iterable[PublicKeys],
        challenge: _Challenge,
        now: Optional[int] = None,
        revocations: Optional[Iterable[RevocationList]] = None,
        revocations_max_age: Optional[int] = None,
        require_revocation_lists: bool = False,
        keys: Optional[KeyRing] = None,
        require: Optional[Iterable[Union[Statement, str]]] = None,
        require_schema: Optional[str] = None,
        backend: Optional[Literal["bulletproofs", "groth16"]] = None,
    ) -> VerifiedPresentation:
        """Verifies as the verifier; raises ``VerificationError`` (or another Causeway error)."""

@final
class VerifiedPresentation:
    """What a verified presentation established (renders as a table in Jupyter)."""

    @property
    def backend(self) -> str: ...
    @property
    def subject(self) -> str:
        """The holder's key id."""
    @property
    def now(self) -> int:
        """The verification time used."""
    @property
    def statements(self) -> list[str]:
        """The statements proven."""
    @property
    def requirements(self) -> list[str]:
        """The requirements checked (met)."""
    @property
    def attestations(self) -> list[dict[str, Any]]: ...
    @property
    def disclosed(self) -> dict[str, _Value]:
        """Disclosed fields of attestation 0."""
    @property
    def disclosed_fields(self) -> list[tuple[int, str, _Value]]:
        """Every disclosed field as ``(attestation, name, value)``."""
    def value(self, name: str, *, attestation: Optional[int] = None) -> _Value:
        """A disclosed value (``KeyError`` if not disclosed)."""
    def to_json(self) -> str:
        """The JSON view."""
    def _repr_html_(self) -> str: ...

def present(
    *,
    holder: Party,
    attested: Iterable[AttestedRecord],
    challenge: _Challenge,
    disclose: Optional[Iterable[str]] = None,
    prove: Optional[Iterable[Union[Statement, str]]] = None,
    backend: Literal["bulletproofs", "groth16"] = "bulletproofs",
    keys: Optional[KeyRing] = None,
) -> Presentation:
    """Builds a presentation for the verifier's challenge (GIL released while proving)."""

# --------------------------------------------------------------------------------------------
# Groth16 and membership

@type_check_only
class QueryTable(TypedDict):
    """One fixed-base table: the query (``"h"``, ``"l"``, ``"a"``, ``"b_g1"``, ``"b_g2"``), its
    points, window width and bytes."""

    query: str
    points: int
    window_bits: int
    bytes: int

@type_check_only
class PrecomputedTables(TypedDict):
    """A proving key's fixed-base tables and their total bytes."""

    bytes: int
    tables: list[QueryTable]

@final
class KeyRing:
    """Groth16 keys by circuit (``"attribute"``, ``"sum:K"``, ``"membership:D[:nullifier]"``)."""

    def __init__(self) -> None: ...
    @staticmethod
    def setup(
        circuits: Iterable[str], *, progress: Optional[Callable[[int, int, str], Any]] = None
    ) -> KeyRing:
        """Single-party trusted setup for each circuit (its operator must be trusted)."""
    @staticmethod
    def load(
        path: Union[str, "os.PathLike[str]"],
        *,
        circuits: Iterable[str],
        use: Literal["prove", "verify"] = "verify",
        pins: Optional[dict[str, str]] = None,
        trust_manifest: bool = False,
    ) -> KeyRing:
        """Loads keys from a key directory (manifest-pinned key ids). Proving keys are checked
        point by point unless ``pins`` (``{circuit: "groth16pk1…"}``, kept apart from the
        directory) pins each circuit's key, or ``trust_manifest=True`` says you control the
        directory's ``keys.json``."""
    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes content-addressed key files and the manifest."""
    def add_proving_key(self, circuit: str, data: _SealedLike, *, key_id: Optional[str] = None) -> None:
        """Adds a proving key from bytes (refused if ``key_id`` is given and differs)."""
    def add_verifying_key(
        self, circuit: str, key: Union[VerifyingKey, _SealedLike], *, key_id: Optional[str] = None
    ) -> None:
        """Adds a verifying key (refused if ``key_id`` is given and differs)."""
    def verifying_key(self, circuit: str) -> VerifyingKey:
        """The verifying key for a circuit (``KeyError`` if none)."""
    def proving_key_bytes(self, circuit: str) -> bytes:
        """The proving key's bytes (``KeyError`` if none)."""
    def keys(self) -> list[tuple[str, str]]:
        """``(circuit, key id)`` of each key held."""
    def can_prove(self, circuit: str) -> bool:
        """Whether a proving key is held for the circuit."""
    def precompute(self, circuit: str, budget: Optional[int] = None) -> PrecomputedTables:
        """Builds fixed-base tables over the circuit's proving key within ``budget`` bytes
        (default 256 MiB), GIL released: later proofs are faster, the same proofs. ``budget=0``
        drops them; afterwards the key builds no tables on its own. ``KeyError`` if no proving
        key is held for the circuit."""
    def precomputed(self, circuit: str) -> PrecomputedTables:
        """The tables the circuit's proving key holds now. ``KeyError`` if none is held."""
    def set_auto_tables(self, circuit: str, on: bool) -> None:
        """Whether the key builds its tables on its own (by default after 32 good proofs, within
        16 times its points' bytes, at most 256 MiB). ``KeyError`` if none is held."""
    def __len__(self) -> int: ...
    def _repr_html_(self) -> str: ...

@final
class VerifyingKey:
    """A Groth16 verifying key (``groth16vk1…`` id)."""

    @staticmethod
    def from_bytes(data: _SealedLike) -> VerifyingKey:
        """Decodes bytes, base64url text, or snarkjs ``verification_key.json``."""
    def to_bytes(self) -> bytes:
        """The canonical bytes."""
    def to_snarkjs_json(self) -> str:
        """snarkjs ``verification_key.json``."""
    @property
    def id(self) -> str: ...
    @property
    def public_inputs(self) -> int: ...
    def solidity(self, *, contract_name: str = "CausewayVerifier") -> str:
        """Solidity source of a verifier contract for this key."""
    def __eq__(self, other: object, /) -> bool: ...

@final
class Groth16Export:
    """A Groth16 proof with its public inputs, for snarkjs or the Solidity verifier."""

    @property
    def circuit(self) -> str: ...
    @property
    def key_id(self) -> str: ...
    @property
    def public_inputs(self) -> list[str]:
        """Decimal strings."""
    def proof_json(self) -> str:
        """snarkjs ``proof.json``."""
    def public_json(self) -> str:
        """snarkjs ``public.json``."""
    def calldata(self) -> bytes:
        """Calldata of ``verifyProof(proof, inputs)``."""
    def check(self, vk: VerifyingKey) -> None:
        """Raw pairing check only (raises ``VerificationError``)."""

@final
class MemberSecret:
    """A member's identity secret. Not picklable; ``repr`` shows only its leaf."""

    @staticmethod
    def generate() -> MemberSecret: ...
    @staticmethod
    def from_secret_text(text: str) -> MemberSecret:
        """Parses 64 hex digits."""
    def to_secret_text(self) -> str:
        """The secret (64 hex digits)."""
    @property
    def leaf(self) -> str:
        """The public leaf ``Poseidon(secret)`` (hex)."""

def membership_root(leaves: Union[str, Iterable[str]], *, depth: int) -> str:
    """The Merkle root (hex) of a member list."""

def prove_membership(
    *,
    secret: MemberSecret,
    leaves: Union[str, Iterable[str]],
    depth: int,
    challenge: _Challenge,
    keys: KeyRing,
    nullifier_context: Optional[str] = None,
    backend: Literal["bulletproofs", "groth16"] = "groth16",
) -> str:
    """Proves membership (Groth16) without saying which member; returns the proof JSON."""

def verify_membership(
    proof: _SealedLike,
    *,
    root: str,
    depth: int,
    challenge: _Challenge,
    keys: KeyRing,
    nullifier_context: Optional[str] = None,
) -> Optional[str]:
    """Verifies against your root, depth, context and challenge; returns the nullifier."""

def read_key_manifest(path: Union[str, "os.PathLike[str]"]) -> list[tuple[str, str]]:
    """``(circuit, key id)`` pairs of a key directory's manifest."""

# --------------------------------------------------------------------------------------------
# Ledger and anchors

@final
class Receipt:
    """A signed ledger entry."""

    @staticmethod
    def sealed(sealed: Union[_SealedLike, Sealed], *, owner: Party, origin: str, time_ms: Optional[int] = None) -> Receipt:
        """A record-sealed receipt, signed by the owner."""
    @staticmethod
    def granted(
        granted: Union[_SealedLike, Sealed],
        *,
        owner: Party,
        grantee: Union[PublicKeys, str],
        origin: str,
        time_ms: Optional[int] = None,
    ) -> Receipt:
        """An access-granted receipt."""
    @staticmethod
    def revoked(
        resealed: Union[_SealedLike, Sealed],
        *,
        owner: Party,
        revoked: Union[PublicKeys, str],
        origin: str,
        time_ms: Optional[int] = None,
    ) -> Receipt:
        """An access-revoked receipt."""
    @staticmethod
    def attestation_issued(
        attestation: Attestation, *, issuer: Party, origin: str, time_ms: Optional[int] = None
    ) -> Receipt:
        """An attestation-issued receipt, signed by the issuer."""
    @staticmethod
    def attestation_revoked(
        attestation: Attestation, *, issuer: Party, origin: str, time_ms: Optional[int] = None
    ) -> Receipt:
        """An attestation-revoked receipt, signed by the issuer."""
    @staticmethod
    def from_bytes(data: _SealedLike) -> Receipt:
        """Parses and verifies a receipt."""
    def to_bytes(self) -> bytes: ...
    def to_dict(self) -> dict[str, Any]: ...
    @property
    def kind(self) -> str: ...
    @property
    def origin(self) -> str: ...
    @property
    def time_ms(self) -> int: ...
    @property
    def signer(self) -> PublicKeys: ...
    @property
    def leaf_hash(self) -> str: ...

@final
class AuditReport:
    """What a ledger audit checked (renders as a table in Jupyter)."""

    @property
    def entries(self) -> int: ...
    @property
    def nodes(self) -> int: ...
    @property
    def checkpoints(self) -> int: ...
    @property
    def revocations(self) -> int: ...
    @property
    def root(self) -> str: ...
    def _repr_html_(self) -> str: ...

@final
class Ledger:
    """A local SQLite ledger; a context manager."""

    @staticmethod
    def create(path: Union[str, "os.PathLike[str]"], *, origin: str, log_key: PublicKeys) -> Ledger:
        """Creates a new ledger."""
    @staticmethod
    def open(path: Union[str, "os.PathLike[str]"]) -> Ledger:
        """Opens an existing ledger."""
    def close(self) -> None: ...
    def __enter__(self) -> Ledger: ...
    def __exit__(self, *args: object) -> bool: ...
    @property
    def origin(self) -> str: ...
    @property
    def log_key(self) -> PublicKeys: ...
    def size(self) -> int: ...
    def __len__(self) -> int: ...
    def root(self) -> str:
        """The current root (hex)."""
    def append(self, receipts: Union[Receipt, Iterable[Receipt]]) -> int:
        """Appends durably; returns the first index."""
    def receipt(self, index: int) -> Receipt: ...
    def checkpoint(self, log: Party) -> str:
        """Signs and stores a checkpoint; returns the note."""
    def latest_checkpoint(self) -> Optional[str]: ...
    def prove_inclusion(self, index: int, *, size: Optional[int] = None) -> str:
        """An inclusion proof bundle (JSON)."""
    def prove_consistency(self, old_size: int, *, size: Optional[int] = None) -> str:
        """A consistency proof bundle (JSON)."""
    def prove_revocation(self, attestation: Attestation, *, size: Optional[int] = None) -> str:
        """A revocation-status proof bundle (JSON)."""
    def audit(self, *, log_key: Optional[PublicKeys] = None) -> AuditReport:
        """Replays the whole log; raises if anything is wrong."""

@final
class VerifiedBundle:
    """What a verified proof bundle established (renders as a table in Jupyter)."""

    @property
    def kind(self) -> Literal["inclusion", "consistency", "revocation", "unknown"]: ...
    @property
    def origin(self) -> str: ...
    @property
    def origin_source(self) -> Literal["caller", "trusted-checkpoint", "bundle"]: ...
    @property
    def tree_size(self) -> int: ...
    @property
    def root(self) -> str: ...
    @property
    def index(self) -> Optional[int]: ...
    @property
    def receipt(self) -> Optional[Receipt]: ...
    @property
    def old_size(self) -> Optional[int]: ...
    @property
    def old_checkpoint_signed(self) -> Optional[bool]: ...
    @property
    def revoked(self) -> Optional[bool]: ...
    def _repr_html_(self) -> str: ...

@final
class VerifiedAnchor:
    """What an anchor receipt established (offline)."""

    @property
    def index(self) -> int: ...
    @property
    def chain_id(self) -> int: ...
    @property
    def contract(self) -> str: ...
    @property
    def block_number(self) -> int: ...
    @property
    def anchored_size(self) -> int: ...
    @property
    def anchored_value(self) -> str: ...
    @property
    def tx_hash(self) -> str: ...
    @property
    def origin(self) -> str: ...
    def _repr_html_(self) -> str: ...

def verify_bundle(
    bundle: _SealedLike,
    *,
    log_key: PublicKeys,
    origin: Optional[str] = None,
    trusted_checkpoint: Optional[str] = None,
) -> VerifiedBundle:
    """Verifies a ledger proof bundle (JSON)."""

def verify_inclusion(*, leaf_hash: _BytesLike, index: int, size: int, proof: Optional[Iterable[_BytesLike]], root: _BytesLike) -> None:
    """RFC 9162 inclusion check (raises ``VerificationError``)."""

def verify_consistency(*, size1: int, size2: int, proof: Optional[Iterable[_BytesLike]], root1: _BytesLike, root2: _BytesLike) -> None:
    """RFC 9162 consistency check (raises ``VerificationError``)."""

def merkle_leaf_hash(data: _BytesLike) -> bytes:
    """The RFC 9162 leaf hash."""

def verify_anchor_receipt(
    receipt: _SealedLike,
    *,
    log_key: PublicKeys,
    origin: str,
    anchored_checkpoint: str,
    chain_id: int,
    contract: str,
) -> VerifiedAnchor:
    """Verifies an anchor receipt offline against the checkpoint and chain you trust."""

def open_checkpoint(note: str, *, log_key: PublicKeys, origin: str) -> dict[str, Any]:
    """Verifies a checkpoint note; returns origin, size, root and extension lines."""
