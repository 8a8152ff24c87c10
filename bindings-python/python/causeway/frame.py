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
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Literal, Mapping, Optional, Sequence, Union

from . import _native
from ._native import Party, PublicKeys
from .errors import MalformedError

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
]

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
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
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
    parts: list[tuple[list[str], list[PublicKeys], Union[bytes, bytearray, memoryview]]] = []
    for cols, rs in groups:
        sub = table if cols == names else table.select(cols)
        parts.append((cols, rs, to_ipc(sub)))
    return _native.seal_table(
        owner=owner,
        content_type=CONTENT_TYPE,
        rows=table.num_rows,
        columns=col_spec,
        parts=parts,
    )


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
