//! Key text (`cwpub1…`, `CW-SECRET-1…`, key files), JWK sets, and the binary public-keys form
//! (`Wire`, also through `wire::decode_any`, which tells binary from text).
#![no_main]

use causeway::party::{Party, PublicKeys, SecretKeys};
use causeway::wire::{decode_any, Wire};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Binary public keys: what decodes re-encodes to the same bytes (one encoding per key).
    if let Ok(k) = <PublicKeys as Wire>::from_bytes(data) {
        let bytes = Wire::to_bytes(&k).expect("decoded public keys re-encode");
        assert_eq!(bytes, data, "public keys: a second encoding decoded");
    }
    if let Ok(k) = decode_any::<PublicKeys>(data) {
        let again = decode_any::<PublicKeys>(&Wire::to_bytes(&k).expect("re-encode"))
            .expect("re-encoded public keys decode");
        assert_eq!(again.key_id(), k.key_id());
    }
    let Ok(t) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(k) = PublicKeys::from_text(t) {
        let again = PublicKeys::from_text(&k.to_text()).expect("re-encoded key parses");
        assert_eq!(again.key_id(), k.key_id());
    }
    if let Ok(k) = PublicKeys::from_jwk_set(t) {
        let again = PublicKeys::from_jwk_set(&k.to_jwk_set()).expect("re-encoded JWK set parses");
        assert_eq!(again.key_id(), k.key_id());
    }
    if let Ok(k) = SecretKeys::from_text(t) {
        let _ = k.public();
    }
    let _ = SecretKeys::from_jwk_set(t);
    let _ = Party::from_secret_text(t);
});
