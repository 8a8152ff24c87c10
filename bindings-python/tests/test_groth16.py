"""Groth16: setup, key directories, keys from bytes, presentations with Groth16, Solidity
export and calldata, membership proofs; and the GIL really released while proving."""

from __future__ import annotations

import json
import pickle
import threading
import time
from pathlib import Path

import pytest

import causeway
from causeway import Party

NOW = 1_800_000_000


@pytest.fixture(scope="session")
def ring() -> causeway.KeyRing:
    seen: list[tuple[int, int, str]] = []
    r = causeway.KeyRing.setup(["attribute", "membership:4"], progress=lambda d, t, c: seen.append((d, t, c)))
    assert seen == [(0, 2, "attribute"), (1, 2, "membership:4"), (2, 2, "")]
    return r


@pytest.fixture(scope="session")
def people() -> tuple[Party, Party]:
    return causeway.Party.generate(), causeway.Party.generate()


def test_keyring_directory_and_bytes(ring: causeway.KeyRing, tmp_path: Path) -> None:
    assert len(ring) == 2 and ring.can_prove("attribute")
    assert [c for c, _ in ring.keys()] == ["attribute", "membership:4"]
    ring.save(tmp_path / "keys")
    manifest = dict(causeway.read_key_manifest(tmp_path / "keys"))
    assert manifest == dict(ring.keys())
    v = causeway.KeyRing.load(tmp_path / "keys", circuits=["attribute"], use="verify")
    assert v.keys() == [("attribute", manifest["attribute"])] and not v.can_prove("attribute")
    p = causeway.KeyRing.load(tmp_path / "keys", circuits=["attribute"], use="prove")
    assert p.can_prove("attribute")
    # keys from bytes, pinned by id
    vk = ring.verifying_key("attribute")
    assert vk.id == manifest["attribute"] and vk.public_inputs > 0
    assert causeway.VerifyingKey.from_bytes(vk.to_bytes()) == vk
    assert causeway.VerifyingKey.from_bytes(vk.to_snarkjs_json()) == vk
    assert pickle.loads(pickle.dumps(vk)) == vk
    k = causeway.KeyRing()
    k.add_verifying_key("attribute", vk.to_bytes(), key_id=vk.id)
    k.add_proving_key("attribute", ring.proving_key_bytes("attribute"), key_id=vk.id)
    assert k.can_prove("attribute")
    other = ring.verifying_key("membership:4")
    with pytest.raises(causeway.CausewayError) as e:
        k.add_verifying_key("attribute", other, key_id=vk.id)
    assert e.value.code in ("keyring.wrong_key_id", "keyring.mismatch")
    with pytest.raises(causeway.DecodeError):
        causeway.KeyRing.setup(["nonsense"])
    with pytest.raises(causeway.CausewayError):
        causeway.KeyRing.setup(["sum:0"])
    with pytest.raises(KeyError):
        k.verifying_key("membership:4")
    with pytest.raises(TypeError):
        pickle.dumps(ring)
    # a tampered key file is refused on load
    d = tmp_path / "keys"
    vkfile = d / f"{manifest['attribute']}.vk"
    b = bytearray(vkfile.read_bytes())
    b[len(b) // 2] ^= 1
    vkfile.write_bytes(bytes(b))
    with pytest.raises(causeway.CausewayError):
        causeway.KeyRing.load(d, circuits=["attribute"], use="verify")
    assert "<table" in ring._repr_html_() and "attribute" in repr(ring)


def test_keyring_load_pins_per_circuit(ring: causeway.KeyRing, tmp_path: Path) -> None:
    d = tmp_path / "keys"
    ring.save(d)
    manifest = json.loads((d / "keys.json").read_text())
    ids, digests = manifest["keys"], manifest["provingKeyDigests"]
    att, mem = digests[ids["attribute"]], digests[ids["membership:4"]]
    both = ["attribute", "membership:4"]
    k = causeway.KeyRing.load(d, circuits=both, use="prove", pins={"attribute": att, "membership:4": mem})
    assert k.can_prove("attribute") and k.can_prove("membership:4")
    assert causeway.KeyRing.load(d, circuits=both, use="prove", trust_manifest=True).can_prove("attribute")
    # a digest pinned for another circuit pins nothing here
    with pytest.raises(causeway.CausewayError) as e:
        causeway.KeyRing.load(d, circuits=["attribute"], use="prove", pins={"membership:4": att})
    assert e.value.code == "keyring.wrong_digest"
    # keys.json files the membership key under "attribute": refused under the attribute pin,
    # and under the membership key's own pin (it is pinned for membership:4, not attribute)
    (d / "keys.json").write_text(
        json.dumps({**manifest, "keys": {"attribute": ids["membership:4"], "membership:4": ids["membership:4"]}})
    )
    for pins in ({"attribute": att}, {"membership:4": mem}, {"attribute": att, "membership:4": mem}):
        with pytest.raises(causeway.CausewayError) as e:
            causeway.KeyRing.load(d, circuits=["attribute"], use="prove", pins=pins)
        assert e.value.code == "keyring.wrong_digest"
    with pytest.raises(ValueError):
        causeway.KeyRing.load(d, circuits=["attribute"], use="prove", pins={"attribute": att}, trust_manifest=True)
    with pytest.raises(TypeError):
        causeway.KeyRing.load(d, circuits=["attribute"], use="prove", pins={"attribute": 1})  # type: ignore[dict-item]
    with pytest.raises(causeway.DecodeError):
        causeway.KeyRing.load(d, circuits=["attribute"], use="prove", pins={"sum:0": att})


def test_groth16_presentation_export_and_calldata(ring: causeway.KeyRing, people: tuple[Party, Party]) -> None:
    bank, alice = people
    held = causeway.attest(causeway.Record("credit/v1", score=742), issuer=bank, subject=alice.public_keys, not_before=NOW)
    ch = causeway.new_challenge()
    p = causeway.present(holder=alice, attested=[held], challenge=ch, prove=["score >= 700"], backend="groth16", keys=ring)
    assert p.backend == "groth16"
    verifier = causeway.KeyRing()
    verifier.add_verifying_key("attribute", ring.verifying_key("attribute"))
    v = p.verify(issuers=[bank.public_keys], challenge=ch, now=NOW, keys=verifier)
    assert v.backend == "groth16" and v.statements == ["score >= 700"]
    with pytest.raises(causeway.CausewayError) as e:
        p.verify(issuers=[bank.public_keys], challenge=ch, now=NOW)
    assert e.value.code == "verify.no_key"
    with pytest.raises(causeway.VerificationError):
        p.verify(issuers=[bank.public_keys], challenge=causeway.new_challenge(), now=NOW, keys=verifier)
    # keys from another setup: the proof names another key id
    other = causeway.KeyRing.setup(["attribute"])
    with pytest.raises(causeway.VerificationError) as e2:
        p.verify(issuers=[bank.public_keys], challenge=ch, now=NOW, keys=other)
    assert e2.value.code == "verify.wrong_key"
    (ex,) = p.groth16_exports(ch)
    assert ex.circuit == "attribute" and ex.key_id == ring.verifying_key("attribute").id
    ex.check(ring.verifying_key("attribute"))
    with pytest.raises(causeway.VerificationError):
        ex.check(other.verifying_key("attribute"))
    cd = ex.calldata()
    # verifyProof(uint256[8], uint256[]): selector, 8 words, the array's offset and length, inputs
    assert len(cd) == 4 + 32 * 8 + 64 + 32 * len(ex.public_inputs)
    assert int.from_bytes(cd[-32:], "big") == int(ex.public_inputs[-1])
    assert '"pi_a"' in ex.proof_json() and ex.public_inputs[0] in ex.public_json()
    sol = ring.verifying_key("attribute").solidity(contract_name="ScoreVerifier")
    assert "contract ScoreVerifier" in sol and "verifyProof" in sol
    with pytest.raises(ValueError):
        ring.verifying_key("attribute").solidity(contract_name="x; selfdestruct")
    # another challenge: the export's public inputs differ and the proof does not check
    (ex2,) = p.groth16_exports(causeway.new_challenge())
    with pytest.raises(causeway.VerificationError):
        ex2.check(ring.verifying_key("attribute"))


def test_membership(ring: causeway.KeyRing) -> None:
    secrets = [causeway.MemberSecret.generate() for _ in range(3)]
    leaves = [s.leaf for s in secrets]
    root = causeway.membership_root(leaves, depth=4)
    assert root == causeway.membership_root("\n".join(leaves) + "\n", depth=4)
    ch = causeway.new_challenge()
    proof = causeway.prove_membership(secret=secrets[1], leaves=leaves, depth=4, challenge=ch, keys=ring)
    assert causeway.verify_membership(proof, root=root, depth=4, challenge=ch, keys=ring) is None
    with pytest.raises(causeway.VerificationError):
        causeway.verify_membership(proof, root=root, depth=4, challenge=causeway.new_challenge(), keys=ring)
    other_root = causeway.membership_root(leaves[:2], depth=4)
    with pytest.raises(causeway.VerificationError):
        causeway.verify_membership(proof, root=other_root, depth=4, challenge=ch, keys=ring)
    outsider = causeway.MemberSecret.generate()
    with pytest.raises(causeway.CausewayError) as e:
        causeway.prove_membership(secret=outsider, leaves=leaves, depth=4, challenge=ch, keys=ring)
    assert e.value.code == "prove.not_a_member"
    with pytest.raises(causeway.CausewayError) as e2:
        causeway.prove_membership(secret=secrets[0], leaves=leaves, depth=4, challenge=ch, keys=ring, backend="bulletproofs")
    assert e2.value.code == "prove.unsupported"
    # secrets: not picklable, repr shows the public leaf only, round trip by explicit text
    s = secrets[0]
    with pytest.raises(TypeError):
        pickle.dumps(s)
    assert s.to_secret_text() not in repr(s) and s.leaf in repr(s)
    assert causeway.MemberSecret.from_secret_text(s.to_secret_text()).leaf == s.leaf
    with pytest.raises(causeway.DecodeError):
        causeway.membership_root(["00" * 33], depth=4)
    with pytest.raises(causeway.DecodeError):
        causeway.membership_root(["ff" * 32], depth=4)  # >= r: refused, never reduced


def test_gil_released_while_proving(ring: causeway.KeyRing, people: tuple[Party, Party]) -> None:
    """A Python thread keeps counting while a Groth16 proof is made on another thread."""
    bank, alice = people
    held = causeway.attest(causeway.Record("credit/v1", score=742), issuer=bank, subject=alice.public_keys, not_before=NOW)
    ch = causeway.new_challenge()
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0)

    result: list[causeway.Presentation] = []

    def prove() -> None:
        result.append(causeway.present(holder=alice, attested=[held], challenge=ch, prove=["score >= 700"], backend="groth16", keys=ring))

    counter = threading.Thread(target=count)
    counter.start()
    time.sleep(0.05)
    before = ticks
    t0 = time.perf_counter()
    prover = threading.Thread(target=prove)
    prover.start()
    time.sleep(0.01)
    mid = ticks
    prover.join()
    elapsed = time.perf_counter() - t0
    during = ticks - mid
    stop.set()
    counter.join()
    assert result and before > 0
    # With the GIL held for the whole proof the counter would stall; it advanced many times.
    assert during > 100, (during, elapsed)


def test_precomputed_tables() -> None:
    """A key's fixed-base tables: built within a budget, reported, used by later proofs (which
    still verify), dropped with budget 0; the automatic build can be switched off."""
    ring = causeway.KeyRing.setup(["membership:4"])
    empty = {"bytes": 0, "tables": []}
    assert ring.precomputed("membership:4") == empty
    built = ring.precompute("membership:4", budget=4 << 20)
    assert 0 < built["bytes"] <= 4 << 20
    assert built["tables"][0]["query"] == "h"
    assert built["bytes"] == sum(t["bytes"] for t in built["tables"])
    assert all(t["points"] > 0 and 0 < t["window_bits"] <= 16 for t in built["tables"])
    assert ring.precomputed("membership:4") == built
    secrets = [causeway.MemberSecret.generate() for _ in range(3)]
    leaves = [s.leaf for s in secrets]
    root = causeway.membership_root(leaves, depth=4)
    ch = causeway.new_challenge()
    proof = causeway.prove_membership(secret=secrets[2], leaves=leaves, depth=4, challenge=ch, keys=ring)
    assert causeway.verify_membership(proof, root=root, depth=4, challenge=ch, keys=ring) is None
    ring.set_auto_tables("membership:4", False)
    assert ring.precompute("membership:4", budget=0) == empty
    assert ring.precomputed("membership:4") == empty
    assert ring.precompute("membership:4", budget=1) == empty  # too small for any table
    for call in (lambda: ring.precomputed("attribute"), lambda: ring.set_auto_tables("sum:3", True)):
        with pytest.raises(KeyError):
            call()
    with pytest.raises(OverflowError):
        ring.precompute("membership:4", budget=-1)
    with pytest.raises(causeway.CausewayError):
        ring.precomputed("no-such-circuit")
