pragma circom 2.0.0;

// Benchmark harness only (circom and circomlib are GPL-3.0: never shipped with Causeway).
// The gadgets of causeway-circuits written in circom with circomlib's Poseidon, same shapes:
// statements/mod.rs (statement hash chain, field leaf), merkle/gadget.rs, cmp/constraints.rs.

include "../node_modules/circomlib/circuits/poseidon.circom";
include "../node_modules/circomlib/circuits/bitify.circom";

// h_0 = domain, h_{i+1} = Poseidon(h_i, chunk_i) over chunks of up to 15 elements.
template StatementHash(domain, n) {
    signal input elems[n];
    signal output out;
    var nchunks = (n + 14) \ 15;
    component p[nchunks];
    signal hs[nchunks + 1];
    hs[0] <== domain;
    for (var c = 0; c < nchunks; c++) {
        var len = n - 15 * c;
        if (len > 15) { len = 15; }
        p[c] = Poseidon(len + 1);
        p[c].inputs[0] <== hs[c];
        for (var j = 0; j < len; j++) {
            p[c].inputs[j + 1] <== elems[15 * c + j];
        }
        hs[c + 1] <== p[c].out;
    }
    out <== hs[nchunks];
}

// Binary Poseidon Merkle path: bit h set = the node at height h is a right child.
template MerkleRoot(depth) {
    signal input leaf;
    signal input bits[depth];
    signal input siblings[depth];
    signal output root;
    component h[depth];
    signal cur[depth + 1];
    signal left[depth];
    cur[0] <== leaf;
    for (var i = 0; i < depth; i++) {
        bits[i] * (1 - bits[i]) === 0;
        left[i] <== cur[i] + bits[i] * (siblings[i] - cur[i]);
        h[i] = Poseidon(2);
        h[i].inputs[0] <== left[i];
        h[i].inputs[1] <== cur[i] + siblings[i] - left[i];
        cur[i + 1] <== h[i].out;
    }
    root <== cur[depth];
}

// Poseidon(name, type_tag, value, salt).
template FieldLeaf() {
    signal input name;
    signal input type_tag;
    signal input value;
    signal input salt;
    signal output out;
    component p = Poseidon(4);
    p.inputs[0] <== name;
    p.inputs[1] <== type_tag;
    p.inputs[2] <== value;
    p.inputs[3] <== salt;
    out <== p.out;
}
