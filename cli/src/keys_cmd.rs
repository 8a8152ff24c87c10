//! `keygen`, `pubkey`, `export-jwk`, `import-jwk`, `rotate`.

use crate::io::{load_party, read_input, write_atomic_secret};
use crate::CliError;
use causeway::party::{Party, SecretKeys};
use clap::Args;
use serde_json::json;
use std::path::PathBuf;

/// Arguments of `causeway keygen`.
#[derive(Args)]
pub struct KeygenArgs {
    /// Key file to write (created with mode 0600). Without it, the key file goes to stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Overwrite an existing key file.
    #[arg(long)]
    force: bool,
}

/// Arguments of `causeway pubkey`.
#[derive(Args)]
pub struct PubkeyArgs {
    /// The party's key file.
    #[arg(short, long)]
    key: PathBuf,
    /// Print an RFC 8037 JWK set instead of `cwpub1…` text.
    #[arg(long)]
    jwk: bool,
}

/// Arguments of `causeway export-jwk`.
#[derive(Args)]
pub struct ExportJwkArgs {
    /// The party's key file.
    #[arg(short, long)]
    key: PathBuf,
    /// Include the secret keys (`d`). Without it only public keys are exported.
    #[arg(long)]
    secret: bool,
    /// Export only the X25519 encryption key as a single JWK (what JOSE libraries decrypt with).
    #[arg(long)]
    encryption_only: bool,
}

/// Arguments of `causeway import-jwk`.
#[derive(Args)]
pub struct ImportJwkArgs {
    /// JWK set file to read (stdin if absent).
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// Key file to write.
    #[arg(short, long)]
    output: PathBuf,
    /// Overwrite an existing key file.
    #[arg(long)]
    force: bool,
}

/// Arguments of `causeway rotate`.
#[derive(Args)]
pub struct RotateArgs {
    /// The party's key file (rewritten in place).
    #[arg(short, long)]
    key: PathBuf,
}

fn write_key_file(path: &std::path::Path, party: &Party, force: bool) -> Result<(), CliError> {
    if path.exists() && !force {
        return Err(
            CliError::input(format!("{} already exists", path.display()))
                .hint("pass --force to overwrite it (the old keys are lost)"),
        );
    }
    // Created 0600 from the start, exclusively, under a random temp name (issue 11 item 14).
    write_atomic_secret(path, party.to_secret_text().expose().as_bytes())
}

fn describe(party: &Party, json: bool, file: Option<&std::path::Path>) {
    let public = party.public();
    if json {
        println!(
            "{}",
            json!({
                "key_id": party.key_id().to_string(),
                "public_key": public.to_text(),
                "retired_key_ids": party.retired().iter().map(|k| k.public().key_id().to_string()).collect::<Vec<_>>(),
                "key_file": file.map(|f| f.display().to_string()),
            })
        );
    } else {
        if let Some(f) = file {
            eprintln!("wrote key file {}", f.display());
        }
        println!("key id:     {}", party.key_id());
        println!("public key: {}", public.to_text());
    }
}

/// `causeway keygen`.
pub fn keygen(a: KeygenArgs, json: bool) -> Result<(), CliError> {
    let party = Party::generate()?;
    match &a.output {
        Some(path) => {
            write_key_file(path, &party, a.force)?;
            describe(&party, json, Some(path));
        }
        None => print!("{}", party.to_secret_text().expose()),
    }
    Ok(())
}

/// `causeway pubkey`.
pub fn pubkey(a: PubkeyArgs, json: bool) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    if a.jwk {
        println!("{}", party.public().to_jwk_set());
    } else if json {
        describe(&party, true, None);
    } else {
        println!("{}", party.public().to_text());
    }
    Ok(())
}

/// `causeway export-jwk`.
pub fn export_jwk(a: ExportJwkArgs) -> Result<(), CliError> {
    let party = load_party(&a.key)?;
    match (a.secret, a.encryption_only) {
        (true, true) => println!("{}", party.keys().encryption_jwk().expose()),
        (true, false) => println!("{}", party.keys().to_jwk_set().expose()),
        (false, true) => println!("{}", party.public().encryption_jwk()),
        (false, false) => println!("{}", party.public().to_jwk_set()),
    }
    Ok(())
}

/// `causeway import-jwk`.
pub fn import_jwk(a: ImportJwkArgs, json: bool) -> Result<(), CliError> {
    let bytes = read_input(a.input.as_deref())?;
    let text = String::from_utf8(bytes).map_err(|_| CliError::input("the JWK set is not UTF-8"))?;
    let keys = SecretKeys::from_jwk_set(&text)?;
    let party = Party::from_keys(keys);
    write_key_file(&a.output, &party, a.force)?;
    describe(&party, json, Some(&a.output));
    Ok(())
}

/// `causeway rotate`.
pub fn rotate(a: RotateArgs, json: bool) -> Result<(), CliError> {
    let mut party = load_party(&a.key)?;
    let old = party.key_id();
    party.rotate()?;
    write_key_file(&a.key, &party, true)?;
    if !json {
        eprintln!("retired key {old}; records sealed to it still open with this key file");
    }
    describe(&party, json, Some(&a.key));
    Ok(())
}
