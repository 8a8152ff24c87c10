pragma circom 2.0.0;

// Attribute predicate (causeway-circuits statements/attribute.rs): a field under a record root
// (depth 8) satisfies lo <= v <= hi and (ne => v != c); one public input, the statement hash
// over [root, name, type_tag, lo, hi, ne, c, challenge]. Benchmark harness only (GPL).

include "common.circom";

template Attribute(depth) {
    signal input h;
    signal input root;
    signal input name;
    signal input type_tag;
    signal input lo;
    signal input hi;
    signal input ne;
    signal input c;
    signal input challenge;
    signal input value;
    signal input salt;
    signal input bits[depth];
    signal input siblings[depth];

    ne * (1 - ne) === 0;
    // ATTRIBUTE | depth = 0x43574101 << 32 | 8
    component sh = StatementHash(0x4357410100000000 + depth, 8);
    sh.elems[0] <== root;
    sh.elems[1] <== name;
    sh.elems[2] <== type_tag;
    sh.elems[3] <== lo;
    sh.elems[4] <== hi;
    sh.elems[5] <== ne;
    sh.elems[6] <== c;
    sh.elems[7] <== challenge;
    sh.out === h;

    component leaf = FieldLeaf();
    leaf.name <== name;
    leaf.type_tag <== type_tag;
    leaf.value <== value;
    leaf.salt <== salt;
    component path = MerkleRoot(depth);
    path.leaf <== leaf.out;
    for (var i = 0; i < depth; i++) {
        path.bits[i] <== bits[i];
        path.siblings[i] <== siblings[i];
    }
    path.root === root;

    component ge = Num2Bits(64);
    ge.in <== value - lo;
    component le = Num2Bits(64);
    le.in <== hi - value;

    signal inv;
    inv <-- ne * (value - c) != 0 ? 1 / (value - c) : 0;
    (value - c) * inv === ne;
}

component main {public [h]} = Attribute(8);
