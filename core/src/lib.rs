#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]
#![deny(missing_docs)]

pub mod encoding;
pub mod error;
pub mod party;
pub mod record;
pub mod snark;

pub use error::Error;
