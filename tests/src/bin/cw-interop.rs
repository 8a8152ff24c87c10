//! A small driver of Causeway's API for the Python and JS interop suites
//! (`tests/interop/`). Not a user-facing tool: the `causeway` CLI is.
//!
//! ```text
//! cw-interop keygen KEYFILE                    new party, key file as `causeway keygen` writes it
//! cw-interop pubkey KEYFILE                    cwpub1… text of the current public keys
//! cw-interop jwk KEYFILE [--secret]            the current X25519 key as an RFC 8037 JWK
//! cw-interop seal KEYFILE RECIPIENT_PUB IN OUT seal IN's bytes for RECIPIENT_PUB (cwpub1… text or
//!                                              a file holding it) as JWE JSON
//! cw-interop open KEYFILE IN OUT               open a Causeway sealed record (JWE or binary) or,
//!                                              failing to parse one, a foreign JWE; write the
//!                                              plaintext (a record's canonical bytes)
//! ```
//! Exit status 0 on success, 1 with a one-line error on stderr otherwise.

use causeway::party::{Party, PublicKeys};
use causeway::seal::{open_jwe, Content, Sealed};
use std::process::ExitCode;

fn read_party(path: &str) -> Result<Party, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
    Party::from_secret_text(&text).map_err(|e| format!("key file {path}: {e}"))
}

fn read_public(arg: &str) -> Result<PublicKeys, String> {
    let text = if arg.starts_with("cwpub1") {
        arg.to_string()
    } else {
        std::fs::read_to_string(arg).map_err(|e| format!("reading {arg}: {e}"))?
    };
    PublicKeys::from_text(text.trim()).map_err(|e| format!("public key: {e}"))
}

fn run(args: &[String]) -> Result<(), String> {
    let arg = |i: usize| {
        args.get(i).map(String::as_str).ok_or_else(|| {
            "missing argument (see the usage in tests/src/bin/cw-interop.rs)".to_string()
        })
    };
    match arg(0)? {
        "keygen" => {
            let p = Party::generate().map_err(|e| e.to_string())?;
            std::fs::write(arg(1)?, p.to_secret_text().expose()).map_err(|e| e.to_string())
        }
        "pubkey" => {
            println!("{}", read_party(arg(1)?)?.public().to_text());
            Ok(())
        }
        "jwk" => {
            let p = read_party(arg(1)?)?;
            if args.get(2).map(String::as_str) == Some("--secret") {
                println!("{}", p.keys().encryption_jwk().expose());
            } else {
                println!("{}", p.public().encryption_jwk());
            }
            Ok(())
        }
        "seal" => {
            let owner = read_party(arg(1)?)?;
            let to = read_public(arg(2)?)?;
            let input = std::fs::read(arg(3)?).map_err(|e| format!("reading input: {e}"))?;
            let sealed = Sealed::seal_bytes(&owner, &[to], &input).map_err(|e| e.to_string())?;
            std::fs::write(arg(4)?, sealed.to_jwe_json()).map_err(|e| e.to_string())
        }
        "open" => {
            let party = read_party(arg(1)?)?;
            let input = std::fs::read(arg(2)?).map_err(|e| format!("reading input: {e}"))?;
            let plaintext = match Sealed::from_any(&input) {
                Ok(sealed) => match sealed.open(&party).map_err(|e| e.to_string())? {
                    Content::Bytes(b) => b,
                    Content::Record(r) => r.to_bytes(),
                },
                Err(_) => {
                    let text = std::str::from_utf8(&input)
                        .map_err(|_| "input is not UTF-8".to_string())?;
                    open_jwe(text, &party).map_err(|e| e.to_string())?
                }
            };
            std::fs::write(arg(3)?, plaintext).map_err(|e| e.to_string())
        }
        other => Err(format!("unknown command {other:?}")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cw-interop: {e}");
            ExitCode::FAILURE
        }
    }
}
