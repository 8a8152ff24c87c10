//! Key text (`cwpub1…`, `CW-SECRET-1…`, key files) and JWK sets.
#![no_main]

use causeway::party::{Party, PublicKeys, SecretKeys};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
