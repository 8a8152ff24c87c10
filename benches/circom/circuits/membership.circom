pragma circom 2.0.0;

// Membership with a nullifier (causeway-circuits statements/membership.rs): the member knows the
// secret behind a leaf Poseidon(secret) of a Poseidon tree (depth 20), and its nullifier is
// Poseidon(secret, context); one public input, the statement hash over
// [root, context, nullifier, challenge]. Benchmark harness only (GPL).

include "common.circom";

template Membership(depth) {
    signal input h;
    signal input root;
    signal input context;
    signal input nullifier;
    signal input challenge;
    signal input secret;
    signal input bits[depth];
    signal input siblings[depth];

    // MEMBERSHIP_NULLIFIER | depth = 0x43574e01 << 32 | depth
    component sh = StatementHash(0x43574e0100000000 + depth, 4);
    sh.elems[0] <== root;
    sh.elems[1] <== context;
    sh.elems[2] <== nullifier;
    sh.elems[3] <== challenge;
    sh.out === h;

    component nf = Poseidon(2);
    nf.inputs[0] <== secret;
    nf.inputs[1] <== context;
    nf.out === nullifier;

    component leaf = Poseidon(1);
    leaf.inputs[0] <== secret;
    component path = MerkleRoot(depth);
    path.leaf <== leaf.out;
    for (var i = 0; i < depth; i++) {
        path.bits[i] <== bits[i];
        path.siblings[i] <== siblings[i];
    }
    path.root === root;
}

component main {public [h]} = Membership(20);
