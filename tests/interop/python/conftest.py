"""Shared fixtures: the `causeway` CLI and throwaway parties."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _bin() -> str:
    b = os.environ.get("CAUSEWAY_BIN") or str(ROOT / "target" / "debug" / "causeway")
    if not Path(b).exists():
        pytest.fail(f"{b} is missing: run `cargo build -p causeway-cli`")
    return b


class Causeway:
    """Drives the `causeway` CLI."""

    def __init__(self, workdir: Path):
        self.bin = _bin()
        self.dir = workdir

    def run(self, *args: str) -> str:
        p = subprocess.run([self.bin, *args], capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError(p.stderr.strip())
        return p.stdout

    def party(self, name: str) -> Path:
        key = self.dir / f"{name}.key"
        self.run("keygen", "-o", str(key))
        return key

    def pubkey(self, key: Path) -> str:
        return self.run("pubkey", "-k", str(key)).strip()

    def jwk(self, key: Path, secret: bool = False) -> dict:
        args = ["export-jwk", "-k", str(key), "--encryption-only"] + (["--secret"] if secret else [])
        return json.loads(self.run(*args))

    def seal(self, owner: Path, recipient_pub: str, plaintext: bytes) -> str:
        src, out = self.dir / "in.bin", self.dir / "sealed.jwe"
        src.write_bytes(plaintext)
        self.run("seal", "-k", str(owner), "-r", recipient_pub, "--bytes", "--jwe",
                 "-i", str(src), "-o", str(out))
        return out.read_text()

    def open(self, key: Path, sealed: str | bytes) -> bytes:
        src, out = self.dir / "sealed.in", self.dir / "plain.out"
        src.write_bytes(sealed.encode() if isinstance(sealed, str) else sealed)
        self.run("open", "-k", str(key), "-i", str(src), "-o", str(out))
        return out.read_bytes()


@pytest.fixture
def cw(tmp_path: Path) -> Causeway:
    return Causeway(tmp_path)
