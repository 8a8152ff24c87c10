"""The README's Python examples run (bindings-python/README.md and the root README's Python
section), and so does the package docstring."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import causeway

ROOT = Path(__file__).resolve().parents[2]


def _snippets(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), re.S)


@pytest.mark.parametrize("path", [ROOT / "bindings-python" / "README.md", ROOT / "README.md"],
                         ids=["package", "root"])
def test_readme_python_snippets_run(path: Path) -> None:
    snippets = _snippets(path)
    assert snippets, f"{path} has no Python example"
    for code in snippets:
        exec(compile(code, str(path), "exec"), {"__name__": "readme"})


def test_package_docstring() -> None:
    failures, tried = doctest.testmod(causeway, verbose=False)
    assert tried > 0 and failures == 0
