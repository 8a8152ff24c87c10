"""Shared fixtures for the Python package's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import causeway

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "sealed"


@pytest.fixture
def bank() -> causeway.Party:
    return causeway.Party.generate()


@pytest.fixture
def partner() -> causeway.Party:
    return causeway.Party.generate()


@pytest.fixture
def outsider() -> causeway.Party:
    return causeway.Party.generate()
