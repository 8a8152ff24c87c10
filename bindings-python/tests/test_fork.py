"""Forked workers (multiprocessing, fork start method) never repeat keys, nonces, challenges or
member secrets: every one comes from the OS RNG, not from a state copied at fork."""

from __future__ import annotations

import json
import multiprocessing as mp
import sys

import pytest

import causeway

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork start method")

OWNER = causeway.Party.generate()  # made before the fork: the children share this state


def _work(_: int) -> tuple[str, str, str, str, str]:
    p = causeway.Party.generate()
    sealed = json.loads(causeway.seal(b"same plaintext", owner=OWNER, form="jwe"))
    ch = causeway.new_challenge().hex()
    secret = causeway.MemberSecret.generate().leaf
    return p.key_id, sealed["iv"], sealed["recipients"][0]["header"]["epk"]["x"], ch, secret


def test_forked_workers_never_repeat_randomness() -> None:
    # warm the module's state in the parent first, then fork
    _work(0)
    ctx = mp.get_context("fork")
    with ctx.Pool(4) as pool:
        rows = pool.map(_work, range(64))
    rows.append(_work(0))
    for column in zip(*rows):
        assert len(set(column)) == len(column), "a forked worker repeated a random value"
