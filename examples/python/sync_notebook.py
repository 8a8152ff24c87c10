"""Writes ``bank_merchant.ipynb`` from ``bank_merchant.py`` (one ``# %%`` block per cell).

The script is the source; the notebook is derived from it with no outputs, so the two cannot
drift (``bindings-python/tests/test_examples.py`` checks that the committed notebook is exactly
what this writes). Run it after editing the script::

    python examples/python/sync_notebook.py          # rewrite the notebook
    python examples/python/sync_notebook.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "bank_merchant.py"
NOTEBOOK = HERE / "bank_merchant.ipynb"


def cells(source: str) -> list[dict[str, Any]]:
    """Splits percent-format source into notebook cells (markdown cells lose their ``# ``)."""
    out: list[dict[str, Any]] = []
    kind, lines = "", []  # type: str, list[str]

    def flush() -> None:
        text = "\n".join(lines).strip("\n")
        if kind == "markdown":
            text = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                             for line in text.splitlines())
        if kind:
            cell: dict[str, Any] = {"cell_type": kind, "id": f"cell-{len(out)}",
                                    "metadata": {}, "source": text}
            if kind == "code":
                cell.update(execution_count=None, outputs=[])
            out.append(cell)

    for line in source.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line)
    flush()
    return out


def notebook() -> str:
    """The notebook's JSON text (nbformat 4.5, outputs stripped)."""
    nb = {
        "cells": cells(SCRIPT.read_text()),
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Writes the notebook, or with ``--check`` says whether it is up to date."""
    text = notebook()
    if "--check" in argv:
        if NOTEBOOK.read_text() != text:
            print(f"{NOTEBOOK} is stale: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    NOTEBOOK.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
