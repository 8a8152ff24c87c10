//! The statement language (text) and the statement encoding.
#![no_main]

use causeway::encoding::Reader;
use causeway::statement::Statement;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    if let Ok(t) = core::str::from_utf8(rest) {
        let _ = Statement::parse(t, u16::from(n % 70));
    }
    let mut r = Reader::new(rest);
    let _ = Statement::decode(&mut r);
});
