//! Sealed streams: header and chunks, in constant memory.
#![no_main]
#[path = "common.rs"]
mod common;

use causeway::seal::stream;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = stream::inspect_stream(data);
    let _ = stream::open_stream(&common::party(), data, std::io::sink(), &mut |_| {});
});
