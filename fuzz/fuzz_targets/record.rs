//! Records: the canonical binary form and the JSON view.
#![no_main]

use causeway::record::Record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = Record::from_bytes(data) {
        assert_eq!(r.to_bytes(), data, "record bytes are canonical");
        let again = Record::from_json(&r.to_json_string()).expect("JSON view parses");
        assert_eq!(again, r);
    }
    if let Ok(t) = core::str::from_utf8(data) {
        if let Ok(r) = Record::from_json(t) {
            let again = Record::from_bytes(&r.to_bytes()).expect("encoded record decodes");
            assert_eq!(again, r);
        }
    }
});
