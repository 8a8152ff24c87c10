"""Data frames, sealed column by column (``causeway.frame``).

A frame is sealed as one **sealed table** (core's ``seal::table``, tag ``0x05``,
``docs/spec/sealed-table.md``): an owner-signed manifest of the column names, Arrow types and
row count, and one sealed part per column group, each under its own content key for its own
recipients (the owner always one). Each part's plaintext is an Arrow IPC stream of its columns.

::

    from causeway.frame import seal_frame, open_frame
    sealed = seal_frame(df, owner=bank, recipients=[partner.public_keys],
                        columns={"ssn": [regulator.public_keys]})
    opened = open_frame(sealed, party=partner)
    opened.frame          # a pandas DataFrame of the columns the partner may read
    opened.unreadable     # ["ssn"]

Accepted frames: a pandas ``DataFrame``, a pyarrow ``Table`` or ``RecordBatch``, and anything
that speaks the Arrow C stream interface (``__arrow_c_stream__``: polars, DuckDB results, …).
pyarrow is needed to call these functions (``pip install causeway[arrow]``; pandas:
``causeway[pandas]``), not to import :mod:`causeway`. Column types: integers, floats, booleans,
strings, binary, dates, times, timestamps, durations, decimals, nulls and dictionary
(categorical) columns of those. Anything else (Python objects, lists, structs, extension
types) is refused with a :class:`TypeError` before anything is sealed. Sealing and opening run
with the GIL released.

Column names, types and the row count are public: anyone holding the sealed bytes can read
them (:func:`inspect_frame`).

Attested rows and proofs over a column (core's ``attest::issue_rows`` and the column
statement ``all(field) in [a, b]``, ``docs/spec/statements.md``)::

    from causeway.frame import attest_rows, prove_column, verify_column
    held = attest_rows(invoices, issuer=bank, subject=shop.public_keys, schema="invoice/v1")
    p = prove_column(held, column="amount", within=(0, 10_000), holder=shop, challenge=ch)
    r = verify_column(p, column="amount", within=(0, 10_000), issuers=[bank.public_keys],
                      challenge=ch, rows=len(invoices))
    r.rows                # 1000: every presented row's amount is in [0, 10000]

``within=(a, b)`` is proven with one aggregated Bulletproofs range proof over every row (up to
4,096 rows); ``at_least=t`` proves ``sum(column) >= t`` (Bulletproofs up to 4,096 rows, Groth16
up to 64 with ``backend="groth16"`` and a ``KeyRing``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Iterator,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Union,
)

import datetime
import decimal

from . import _native
from ._native import (
    AttestedRecord,
    KeyRing,
    Party,
    Presentation,
    PublicKeys,
    Record,
    RevocationList,
    Statement,
    VerifiedPresentation,
)
from .errors import MalformedError, VerificationError

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa  # type: ignore[import-untyped]

__all__ = [
    "CONTENT_TYPE",
    "SealedFrameInfo",
    "OpenedFrame",
    "seal_frame",
    "open_frame",
    "inspect_frame",
    "to_arrow",
    "to_ipc",
    "attest_rows",
    "prove_column",
    "verify_column",
    "ColumnResult",
]

#: The most rows :func:`attest_rows` attests and one column proof covers (core's
#: ``attest::MAX_ROWS``).
MAX_ROWS = 4096

#: The content type of a sealed frame's parts (each an Arrow IPC stream).
CONTENT_TYPE = "application/vnd.apache.arrow.stream"

_Recipient = Union[PublicKeys, Party]
_ColumnKey = Union[str, Sequence[str]]


def _pa() -> Any:
    try:
        import pyarrow
    except ImportError as e:  # pragma: no cover - exercised only without pyarrow
        raise ImportError(
            "causeway.frame needs pyarrow: pip install 'causeway[arrow]' (or 'causeway[pandas]')"
        ) from e
    return pyarrow


def _supported(t: Any) -> bool:
    pa = _pa()
    types = pa.types
    if types.is_dictionary(t):
        return _supported(t.value_type)
    if isinstance(t, pa.ExtensionType):
        return False
    return bool(
        types.is_integer(t)
        or types.is_floating(t)
        or types.is_boolean(t)
        or types.is_string(t)
        or types.is_large_string(t)
        or types.is_binary(t)
        or types.is_large_binary(t)
        or types.is_fixed_size_binary(t)
        or types.is_temporal(t)
        or types.is_decimal(t)
        or types.is_null(t)
        or getattr(types, "is_string_view", lambda _: False)(t)
        or getattr(types, "is_binary_view", lambda _: False)(t)
    )


def to_arrow(frame: Any) -> "pa.Table":
    """The pyarrow ``Table`` that :func:`seal_frame` seals for ``frame``.

    Raises :class:`TypeError` for something that is not a frame, or a column whose type is not
    supported (naming the column), before anything is sealed.
    """
    pa = _pa()
    if isinstance(frame, pa.Table):
        table = frame
    elif isinstance(frame, pa.RecordBatch):
        table = pa.Table.from_batches([frame])
    elif _is_pandas(frame):
        try:
            table = pa.Table.from_pandas(frame)
        except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
            raise TypeError(f"a column cannot be sealed as a typed Arrow column: {e}") from None
    elif hasattr(frame, "__arrow_c_stream__"):
        table = pa.table(frame)
    else:
        raise TypeError(
            "frame must be a pandas DataFrame, a pyarrow Table or RecordBatch, or an object "
            f"with __arrow_c_stream__ (polars, ...), not {type(frame).__name__}"
        )
    bad = [(f.name, str(f.type)) for f in table.schema if not _supported(f.type)]
    if bad:
        listed = ", ".join(f"{n!r} ({t})" for n, t in bad)
        raise TypeError(
            f"unsupported column type for causeway.frame: {listed}; supported are integers, "
            "floats, booleans, strings, binary, dates, times, timestamps, durations, "
            "decimals, nulls and dictionaries of those"
        )
    return table


def _is_pandas(obj: Any) -> bool:
    mod = type(obj).__module__ or ""
    return mod.startswith("pandas") and type(obj).__name__ == "DataFrame"


def to_ipc(table: "pa.Table") -> bytes:
    """The Arrow IPC stream of ``table``, as :func:`seal_frame` writes each part."""
    pa = _pa()
    sink = pa.BufferOutputStream()
    _write_ipc(table, sink)
    buf = sink.getvalue()
    out: bytes = buf.to_pybytes()
    return out


def _keys(r: Any, what: str) -> PublicKeys:
    if isinstance(r, PublicKeys):
        return r
    if isinstance(r, Party):
        return r.public_keys
    raise TypeError(f"{what} must be PublicKeys or Party, not {type(r).__name__}")


def _recipient_list(rs: Any, what: str) -> list[PublicKeys]:
    if isinstance(rs, (PublicKeys, Party, str, bytes)):
        raise TypeError(f"{what} must be a list of PublicKeys (a list, even for one recipient)")
    return [_keys(r, what) for r in rs]


def _invalid(msg: str) -> MalformedError:
    return MalformedError(msg, code="table.invalid_columns", kind="malformed")


def seal_frame(
    frame: Any,
    owner: Party,
    *,
    recipients: Optional[Sequence[_Recipient]] = None,
    columns: Optional[Mapping[_ColumnKey, Sequence[_Recipient]]] = None,
) -> bytes:
    """Seals ``frame`` for ``owner`` and returns the sealed table's bytes.

    - ``recipients=[...]`` alone: the whole frame is one part (its Arrow IPC stream, byte for
      byte) for these recipients and the owner.
    - ``columns={"ssn": [regulator], ("amount", "fee"): [partner, regulator]}``: each key (a
      column name, or a tuple of names sealed together) is its own part under its own content
      key for its recipients and the owner. Columns not named go into one more part for
      ``recipients`` if given; without ``recipients``, every column must be named.

    Recipients are :class:`PublicKeys` (or :class:`Party`, whose public keys are taken).
    Refused before anything is sealed: unsupported column types (:class:`TypeError`), unknown,
    repeated or unassigned columns (:class:`~causeway.errors.MalformedError`, code
    ``table.invalid_columns``).
    """
    if not isinstance(owner, Party):
        raise TypeError(f"owner must be a Party, not {type(owner).__name__}")
    if recipients is None and columns is None:
        raise TypeError("give recipients=[...] (whole frame), columns={...} (per column), or both")
    table = to_arrow(frame)
    names = list(table.column_names)
    groups: list[tuple[list[str], list[PublicKeys]]] = []
    if columns is not None:
        if not isinstance(columns, Mapping):
            raise TypeError("columns must be a mapping of column name(s) to a list of recipients")
        seen: set[str] = set()
        for key, rs in columns.items():
            group = [key] if isinstance(key, str) else list(key)
            if not group or not all(isinstance(c, str) for c in group):
                raise TypeError("columns keys must be column names or tuples of column names")
            unknown = [c for c in group if c not in names]
            if unknown:
                raise _invalid(f"columns names columns the frame does not have: {unknown}")
            again = [c for c in group if c in seen]
            if again:
                raise _invalid(f"columns names a column more than once: {again}")
            seen.update(group)
            # keep table order inside a group
            groups.append(([c for c in names if c in group], _recipient_list(rs, "recipients")))
        rest = [c for c in names if c not in seen]
        if rest:
            if recipients is None:
                raise _invalid(
                    f"columns without recipients: {rest} (name them in columns=, or give "
                    "recipients= for the rest)"
                )
            groups.append((rest, _recipient_list(recipients, "recipients")))
    else:
        groups.append((names, _recipient_list(recipients, "recipients")))

    col_spec = [(f.name, str(f.type)) for f in table.schema]
    # Each part's IPC stream is sized first (written to a counting sink, nothing kept), then
    # written again into a native sink that seals it piece by piece straight into the output:
    # the IPC bytes never exist whole (peak memory: the frame and the sealed output).
    parts: list[tuple[list[str], list[PublicKeys], int, Callable[[Any], None]]] = []
    for cols, rs in groups:
        sub = table if cols == names else table.select(cols)
        parts.append((cols, rs, _ipc_len(sub), _ipc_writer(sub)))
    return _native.seal_table_written(
        owner=owner,
        content_type=CONTENT_TYPE,
        rows=table.num_rows,
        columns=col_spec,
        parts=parts,
    )


def _write_ipc(table: "pa.Table", sink: Any) -> None:
    """Writes ``table``'s Arrow IPC stream to ``sink`` exactly as :func:`to_ipc` does."""
    pa = _pa()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)


def _ipc_len(table: "pa.Table") -> int:
    """The length of :func:`to_ipc` of ``table``, without building it."""
    mock = _pa().MockOutputStream()
    _write_ipc(table, mock)
    n: int = mock.size()
    return n


def _ipc_writer(table: "pa.Table") -> Callable[[Any], None]:
    def write(sink: Any) -> None:
        _write_ipc(table, sink)

    return write


@dataclass(frozen=True)
class SealedFrameInfo:
    """What a sealed frame says about itself (public, owner-signed)."""

    table_id: str
    owner: PublicKeys
    rows: int
    columns: list[tuple[str, str]]
    #: for each part: its columns and the key ids of its recipients (owner first)
    parts: list[tuple[list[str], list[str]]]

    def __repr__(self) -> str:
        cols = ", ".join(f"{n}: {t}" for n, t in self.columns)
        return (
            f"SealedFrameInfo(rows={self.rows}, parts={len(self.parts)}, owner="
            f"{self.owner.key_id}, columns=[{cols}])"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(', '.join(c))}</td><td>{len(r)}</td>"
            f"<td><code>{html.escape(', '.join(k[:16] for k in r))}</code></td></tr>"
            for c, r in self.parts
        )
        return (
            f"<p>Sealed frame <code>{self.table_id}</code>: {self.rows} rows, owner "
            f"<code>{html.escape(self.owner.key_id)}</code></p>"
            "<table><tr><th>columns</th><th>recipients</th><th>key ids</th></tr>"
            f"{rows}</table>"
        )


@dataclass
class OpenedFrame:
    """The columns a party could read from a sealed frame, and the ones it could not.

    Unpacks as ``frame, unreadable = open_frame(...)``.
    """

    #: the readable columns, in table order (pandas DataFrame, pyarrow Table or polars
    #: DataFrame, as asked)
    frame: Any
    #: the names of the columns this party cannot read, in table order
    unreadable: list[str]
    #: the manifest (public, owner-signed)
    info: SealedFrameInfo
    #: the readable parts' Arrow IPC streams, as sealed (byte for byte)
    ipc: list[bytes] = field(repr=False)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.frame, self.unreadable))

    @property
    def columns(self) -> list[str]:
        """The names of the readable columns."""
        gone = set(self.unreadable)
        return [n for n, _ in self.info.columns if n not in gone]

    def __repr__(self) -> str:
        return (
            f"OpenedFrame(rows={self.info.rows}, readable={self.columns}, "
            f"unreadable={self.unreadable}, owner={self.info.owner.key_id})"
        )

    def _repr_html_(self) -> str:
        gone = set(self.unreadable)
        rows = "".join(
            f"<tr><td>{html.escape(n)}</td><td>{html.escape(t)}</td>"
            f"<td>{'no' if n in gone else 'yes'}</td></tr>"
            for n, t in self.info.columns
        )
        return (
            f"<p>Opened sealed frame <code>{self.info.table_id}</code>: {self.info.rows} rows, "
            f"owner <code>{html.escape(self.info.owner.key_id)}</code></p>"
            "<table><tr><th>column</th><th>type</th><th>readable</th></tr>"
            f"{rows}</table>"
        )


def _info(d: dict[str, Any]) -> SealedFrameInfo:
    return SealedFrameInfo(
        table_id=d["table_id"],
        owner=d["owner"],
        rows=d["rows"],
        columns=[(n, t) for n, t in d["columns"]],
        parts=[(list(p["columns"]), list(p["recipients"])) for p in d["parts"]],
    )


def inspect_frame(sealed: Union[bytes, bytearray, memoryview]) -> SealedFrameInfo:
    """The public manifest of a sealed frame, its owner signature and every part checked."""
    return _info(_native.inspect_table(sealed))


def open_frame(
    sealed: Union[bytes, bytearray, memoryview],
    party: Party,
    *,
    owner: Optional[PublicKeys] = None,
    to: Literal["pandas", "arrow", "polars"] = "pandas",
) -> OpenedFrame:
    """Opens a sealed frame as ``party``: the columns it may read and the names of the others.

    Every part is checked against the owner-signed manifest first, so a swapped, dropped,
    duplicated, renamed or foreign column fails for every reader
    (:class:`~causeway.errors.DeniedError`, code ``table.tampered``). With ``owner``, a frame
    sealed by anyone else is refused (code ``seal.wrong_owner``). ``to`` chooses the frame type
    (``"pandas"`` needs pandas, ``"polars"`` polars).
    """
    if to not in ("pandas", "arrow", "polars"):
        raise ValueError('to must be "pandas", "arrow" or "polars"')
    pa = _pa()
    d = _native.open_table(sealed, party, owner=owner)
    info = _info(d)
    if d["content_type"] != CONTENT_TYPE:
        raise _invalid(f"not a sealed frame (content type {d['content_type']!r})")
    types = dict(info.columns)
    arrays: dict[str, Any] = {}
    metadata = None
    ipc: list[bytes] = []
    tables: list[Any] = []
    for p in d["parts"]:
        payload = p["payload"]
        if payload is None:
            continue
        ipc.append(payload)
        try:
            t = pa.ipc.open_stream(pa.py_buffer(payload)).read_all()
        except (pa.ArrowInvalid, OSError) as e:
            raise _invalid(f"a part is not a valid Arrow IPC stream: {e}") from None
        if t.column_names != p["columns"]:
            raise _invalid("a part's columns differ from the manifest's")
        if t.num_rows != info.rows:
            raise _invalid("a part's row count differs from the manifest's")
        for f in t.schema:
            if str(f.type) != types.get(f.name):
                raise _invalid(f"column {f.name!r} has another type than the manifest's")
            arrays[f.name] = t.column(f.name)
        tables.append(t)
        if metadata is None:
            metadata = t.schema.metadata
    order = [n for n, _ in info.columns if n in arrays]
    unreadable = [n for n, _ in info.columns if n not in arrays]
    if len(tables) == 1 and not unreadable:
        table = tables[0]
    else:
        table = pa.Table.from_arrays(
            [arrays[n] for n in order],
            schema=pa.schema([pa.field(n, arrays[n].type) for n in order], metadata=metadata),
        )
    frame: Any
    if to == "arrow":
        frame = table
    elif to == "polars":
        import polars

        frame = polars.from_arrow(table)
    else:
        frame = _to_pandas(table, unreadable)
    return OpenedFrame(frame=frame, unreadable=unreadable, info=info, ipc=ipc)


def _to_pandas(table: "pa.Table", unreadable: list[str]) -> Any:
    if unreadable and table.schema.metadata and b"pandas" in table.schema.metadata:
        # pandas metadata lists every column of the sealed frame; keep only what is here
        import json

        meta = json.loads(table.schema.metadata[b"pandas"])
        gone = set(unreadable)
        meta["columns"] = [c for c in meta.get("columns", []) if c.get("field_name") not in gone]
        idx = meta.get("index_columns", [])
        if any(isinstance(i, str) and i in gone for i in idx):
            meta["index_columns"] = []
        new_meta = dict(table.schema.metadata)
        new_meta[b"pandas"] = json.dumps(meta).encode()
        table = table.replace_schema_metadata(new_meta)
    return table.to_pandas()


# ---------------------------------------------------------------------------------------------
# Attested rows and proofs over a column


def _row_table(frame: Any) -> "pa.Table":
    pa = _pa()
    if _is_pandas(frame):
        try:
            return pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
            raise TypeError(f"a column cannot be attested as a typed column: {e}") from None
        except OverflowError as e:
            raise ValueError(f"a column holds an integer out of range: {e}") from None
    return to_arrow(frame)


def _row_converter(name: str, t: Any) -> Any:
    """How one Arrow column's values become record values, or a TypeError naming it."""
    pa = _pa()
    types = pa.types
    if types.is_dictionary(t):
        return _row_converter(name, t.value_type)
    if types.is_boolean(t):
        return bool
    if types.is_integer(t):
        return int
    if types.is_decimal(t):
        return lambda v: v if isinstance(v, decimal.Decimal) else decimal.Decimal(v)
    if types.is_date(t):
        return lambda v: v if type(v) is datetime.date else datetime.date(v.year, v.month, v.day)
    if types.is_string(t) or types.is_large_string(t) or getattr(types, "is_string_view", lambda _: False)(t):
        return str
    if types.is_binary(t) or types.is_large_binary(t) or types.is_fixed_size_binary(t):
        return bytes
    hint = ""
    if types.is_floating(t):
        hint = " (floating point is not exact: use integers or decimal.Decimal)"
    elif types.is_timestamp(t):
        hint = " (use a date column, or integers)"
    raise TypeError(
        f"column {name!r} has type {t}, which cannot be attested{hint}; supported are "
        "integers, decimals, dates, strings, binary and booleans"
    )


def attest_rows(
    frame: Any,
    *,
    issuer: Party,
    subject: Union[PublicKeys, Party],
    schema: str,
    not_before: Optional[int] = None,
    not_after: Optional[int] = None,
    valid_days: Optional[int] = None,
    now: Optional[int] = None,
) -> list[AttestedRecord]:
    """Attests every row of ``frame`` as one record under ``schema``, in one call.

    Each row becomes a :class:`~causeway.Record` (integers, :class:`decimal.Decimal`,
    :class:`datetime.date`, strings, bytes and booleans, by column type) and gets its own
    attestation by ``issuer`` for ``subject``, all under one validity window (default: now for
    365 days) and each with its own derived record id (core's ``attest::issue_rows``), so two
    equal rows are two records, a sum counts each once, and the same frame attested again
    names its rows by the same ids (a sum over rows of both attestations is refused). Signing runs with the GIL released. Returns the holder's copies in
    row order (give them to :func:`prove_column`; they hold secret openings and do not pickle).

    Refused before anything is signed: a column type that cannot be attested (floats,
    timestamps, lists, objects: :class:`TypeError` naming the column), a missing value
    (``None``/``NaN``: :class:`ValueError` naming the column and row), an empty frame or more
    than 4,096 rows (:class:`~causeway.errors.MalformedError`, code ``attest.rows``).

    >>> import pandas as pd, causeway
    >>> bank, shop = causeway.Party.generate(), causeway.Party.generate()
    >>> df = pd.DataFrame({"amount": [120, 75, 9000], "customer": ["a", "b", "c"]})
    >>> held = attest_rows(df, issuer=bank, subject=shop, schema="invoice/v1")
    >>> len(held), held[0].record["amount"]
    (3, 120)
    """
    if not isinstance(issuer, Party):
        raise TypeError(f"issuer must be a Party, not {type(issuer).__name__}")
    subject_keys = _keys(subject, "subject")
    if not isinstance(schema, str):
        raise TypeError("schema must be a str")
    table = _row_table(frame)
    if table.num_rows > MAX_ROWS:
        raise MalformedError(
            f"{table.num_rows} rows: at most {MAX_ROWS} rows are attested in one call",
            code="attest.rows",
            kind="malformed",
        )
    names = list(table.column_names)
    if len(set(names)) != len(names):
        raise ValueError("column names must be distinct")
    converters = [_row_converter(n, table.schema.field(n).type) for n in names]
    columns = []
    for n in names:
        col = table.column(n)
        if col.null_count:
            row = next(i for i, v in enumerate(col.is_null().to_pylist()) if v)
            raise ValueError(f"column {n!r} has a missing value (None/NaN) at row {row}")
        columns.append(col.to_pylist())
    records = [
        Record(schema, {n: conv(col[i]) for n, conv, col in zip(names, converters, columns)})
        for i in range(table.num_rows)
    ]
    return _native.attest_rows(
        records,
        issuer=issuer,
        subject=subject_keys,
        not_before=not_before,
        not_after=not_after,
        valid_days=valid_days,
        now=now,
    )


def _column_statement(
    column: str,
    rows: int,
    within: Optional[tuple[Any, Any]],
    at_least: Any,
) -> Statement:
    if not isinstance(column, str):
        raise TypeError("column must be a str")
    if (within is None) == (at_least is None):
        raise TypeError("give exactly one of within=(a, b) or at_least=t")
    idx = list(range(rows))
    if within is not None:
        if not isinstance(within, tuple) or len(within) != 2:
            raise TypeError("within must be a tuple (a, b)")
        return Statement.all(column, attestations=idx, at_least=within[0], at_most=within[1])
    return Statement.sum(column, attestations=idx, at_least=at_least)


def prove_column(
    attested: Sequence[AttestedRecord],
    *,
    column: str,
    holder: Party,
    challenge: Union[bytes, bytearray, memoryview, str],
    within: Optional[tuple[Any, Any]] = None,
    at_least: Any = None,
    backend: Literal["bulletproofs", "groth16"] = "bulletproofs",
    keys: Optional[KeyRing] = None,
) -> Presentation:
    """Proves a statement over ``column`` of every attested row, for the verifier's ``challenge``.

    - ``within=(a, b)``: every row's value lies in ``[a, b]`` (``all(column) in [a, b]``), one
      aggregated Bulletproofs range proof for all rows (any row count up to 4,096; 64-bit wide
      ranges up to 2,048 rows); the verifier learns only that.
    - ``at_least=t``: ``sum(column) >= t`` over the rows (Bulletproofs up to 4,096 rows;
      ``backend="groth16"`` with a ``keys`` ring holding the ``sum:K`` proving key, up to 64).

    Nothing is disclosed. Proving runs with the GIL released. Raises a Causeway error with its
    code: ``prove.unsatisfied`` (a row outside the range, a sum below ``t``),
    ``prove.not_subject`` (a row about someone else), ``prove.invalid_statement`` (rows of
    another issuer or schema), ``prove.counted_twice`` (a row given twice).

    >>> import causeway, pandas as pd
    >>> from causeway.frame import attest_rows, prove_column
    >>> bank, shop = causeway.Party.generate(), causeway.Party.generate()
    >>> df = pd.DataFrame({"amount": [5, 70]})
    >>> held = attest_rows(df, issuer=bank, subject=shop, schema="invoice/v1")
    >>> ch = causeway.new_challenge()
    >>> p = prove_column(held, column="amount", within=(0, 100), holder=shop, challenge=ch)
    >>> p.statements[0].is_all
    True
    """
    if isinstance(attested, AttestedRecord):
        raise TypeError("attested must be a list of AttestedRecord (a list, even for one)")
    held = list(attested)
    st = _column_statement(column, len(held), within, at_least)
    return _native.present(
        holder=holder,
        attested=held,
        challenge=challenge,
        prove=[st],
        backend=backend,
        keys=keys,
    )


@dataclass(frozen=True)
class ColumnResult:
    """What :func:`verify_column` established (no secrets: no row values, no openings)."""

    #: the column
    column: str
    #: the number of rows the statement covers (every presented row)
    rows: int
    #: ``"in [a, b]"`` or ``"sum >= t"``
    claim: str
    #: the back-end the proof used
    backend: str
    #: the holder (subject of every row), a key id
    subject: str
    #: the issuers' key ids (one for a column range)
    issuers: list[str]
    #: the rows' schema ids
    schemas: list[str]
    #: the presentation's size in bytes
    size: int
    #: the full verified presentation
    verified: VerifiedPresentation = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"ColumnResult(column={self.column!r}, rows={self.rows}, claim={self.claim!r}, "
            f"backend={self.backend!r}, schemas={self.schemas}, issuers={len(self.issuers)}, "
            f"subject={self.subject[:16]}…, size={self.size})"
        )

    def _repr_html_(self) -> str:
        rows = [
            ("column", self.column),
            ("claim", f"{self.column} {self.claim}" if self.claim.startswith("in") else self.claim),
            ("rows", str(self.rows)),
            ("back-end", self.backend),
            ("schemas", ", ".join(self.schemas)),
            ("issuers", ", ".join(self.issuers)),
            ("subject", self.subject),
            ("presentation size", f"{self.size} bytes"),
        ]
        body = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
        )
        return f"<p>Verified column proof</p><table>{body}</table>"


def verify_column(
    presentation: Union[Presentation, bytes, bytearray, memoryview, str],
    *,
    column: str,
    issuers: Sequence[PublicKeys],
    challenge: Union[bytes, bytearray, memoryview, str],
    within: Optional[tuple[Any, Any]] = None,
    at_least: Any = None,
    rows: Optional[int] = None,
    schema: Optional[str] = None,
    now: Optional[int] = None,
    keys: Optional[KeyRing] = None,
    revocations: Optional[Sequence[RevocationList]] = None,
) -> ColumnResult:
    """Verifies a :func:`prove_column` presentation and that it proves what you ask, over
    **every** presented row: ``within=(a, b)`` (``all(column) in [a, b]``) or ``at_least=t``
    (``sum(column) >= t``).

    Everything :meth:`Presentation.verify` checks (issuers, validity at ``now``, revocation,
    the holder's signature for your ``challenge``, the proof), then the requirement pinned to
    all presented rows; ``rows`` (expected row count) and ``schema`` narrow it further. Runs
    with the GIL released. Raises :class:`~causeway.errors.VerificationError` (or another
    Causeway error) with its code otherwise. Returns a :class:`ColumnResult`.
    """
    if not isinstance(presentation, Presentation):
        presentation = Presentation.from_bytes(presentation)
    n = len(presentation.attestations)
    if rows is not None and rows != n:
        raise VerificationError(
            f"the presentation covers {n} rows, not the {rows} expected",
            code="verify.unmet",
            kind="denied",
        )
    st = _column_statement(column, n, within, at_least)
    v = presentation.verify(
        issuers=issuers,
        challenge=challenge,
        now=now,
        revocations=revocations,
        keys=keys,
        require=[st],
        require_schema=schema,
    )
    atts = v.attestations
    text = str(st)
    claim = text[text.index(")") + 2 :] if st.is_all else f"sum >= {at_least}"
    return ColumnResult(
        column=column,
        rows=n,
        claim=claim,
        backend=v.backend,
        subject=v.subject,
        issuers=sorted({a["issuer"] for a in atts}),
        schemas=sorted({a["schema"] for a in atts}),
        size=len(presentation.to_bytes()),
        verified=v,
    )
