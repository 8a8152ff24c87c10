//! Presentations (both back-ends): the binary form and the JSON view.
#![no_main]

use causeway::presentation::Presentation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = Presentation::from_bytes(data) {
        assert_eq!(p.to_bytes(), data, "presentation bytes are canonical");
    }
    if let Ok(t) = core::str::from_utf8(data) {
        let _ = Presentation::from_json(t);
    }
});
