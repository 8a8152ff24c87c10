//! Raw AES-256-GCM through the backend Causeway uses: ring 0.17 natively (feature `native`),
//! the pure-Rust `aes-gcm` 0.10 crate otherwise (wasm32). Both backends stay reachable by name
//! ([`portable`], [`native`]) so tests can run the same vectors through each.
//!
//! This is the hazardous-materials tier: no key commitment, no recipients, the caller owns nonce
//! uniqueness. Use [`crate::seal::Sealed`] or [`crate::seal::stream`] unless you are writing a
//! test or a benchmark. On a failed decryption no plaintext is returned: the working buffer is
//! zeroized before the opaque [`OpenError::Decrypt`] comes back.

use crate::error::OpenError;
use zeroize::Zeroize;

/// AES-256 key length.
pub const KEY_LEN: usize = 32;
/// GCM nonce length.
pub const NONCE_LEN: usize = 12;
/// GCM tag length.
pub const TAG_LEN: usize = 16;

/// The backend in use: `"ring"` or `"aes-gcm"`.
pub const BACKEND: &str = if cfg!(feature = "native") {
    "ring"
} else {
    "aes-gcm"
};

/// An AES-256-GCM key expanded once, for many messages (streams, benchmarks).
pub struct Aes256Gcm {
    #[cfg(feature = "native")]
    inner: native::Key,
    #[cfg(not(feature = "native"))]
    inner: portable::Key,
}

impl core::fmt::Debug for Aes256Gcm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Aes256Gcm(<redacted>)")
    }
}

impl Aes256Gcm {
    /// Expands a key.
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        Aes256Gcm {
            #[cfg(feature = "native")]
            inner: native::Key::new(key),
            #[cfg(not(feature = "native"))]
            inner: portable::Key::new(key),
        }
    }

    /// Encrypts `buf` in place and returns the tag. Fails only for inputs over GCM's limit
    /// (about 64 GiB).
    pub fn seal_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; TAG_LEN], OpenError> {
        self.inner.seal_in_place(nonce, aad, buf)
    }

    /// Decrypts `buf` in place after checking `tag`. On failure `buf` is zeroized.
    pub fn open_in_place(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        buf: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> Result<(), OpenError> {
        self.inner.open_in_place(nonce, aad, buf, tag)
    }
}

fn encrypt_with(
    seal: impl FnOnce(&mut [u8]) -> Result<[u8; TAG_LEN], OpenError>,
    plaintext: &[u8],
) -> Vec<u8> {
    let mut buf = Vec::with_capacity(plaintext.len().saturating_add(TAG_LEN));
    buf.extend_from_slice(plaintext);
    match seal(&mut buf) {
        Ok(tag) => {
            buf.extend_from_slice(&tag);
            buf
        }
        Err(_) => {
            // Only over GCM's length limit; never return plaintext.
            buf.zeroize();
            Vec::new()
        }
    }
}

fn decrypt_with(
    open: impl FnOnce(&mut [u8], &[u8; TAG_LEN]) -> Result<(), OpenError>,
    ct_and_tag: &[u8],
) -> Result<Vec<u8>, OpenError> {
    let split = ct_and_tag
        .len()
        .checked_sub(TAG_LEN)
        .ok_or(OpenError::Decrypt)?;
    let (ct, tag) = ct_and_tag.split_at(split);
    let tag: &[u8; TAG_LEN] = tag.try_into().map_err(|_| OpenError::Decrypt)?;
    let mut buf = ct.to_vec();
    open(&mut buf, tag)?;
    Ok(buf)
}

/// AES-256-GCM encryption; returns `ciphertext || tag`. Inputs over GCM's limit (about 64 GiB,
/// which no caller can allocate) give an empty vector.
pub fn aes256gcm_encrypt(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Vec<u8> {
    let k = Aes256Gcm::new(key);
    encrypt_with(|b| k.seal_in_place(nonce, aad, b), plaintext)
}

/// AES-256-GCM decryption of `ciphertext || tag`. Any failure is [`OpenError::Decrypt`] and
/// returns no plaintext.
pub fn aes256gcm_decrypt(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    ct_and_tag: &[u8],
) -> Result<Vec<u8>, OpenError> {
    let k = Aes256Gcm::new(key);
    decrypt_with(|b, t| k.open_in_place(nonce, aad, b, t), ct_and_tag)
}

/// The pure-Rust backend (`aes-gcm` 0.10), always compiled; the only one on wasm32.
pub mod portable {
    use super::{decrypt_with, encrypt_with, KEY_LEN, NONCE_LEN, TAG_LEN};
    use crate::error::OpenError;
    use aes_gcm::aead::AeadInPlace as _;
    use aes_gcm::KeyInit as _;
    use zeroize::Zeroize;

    pub(crate) struct Key(aes_gcm::Aes256Gcm);

    impl Key {
        pub(crate) fn new(key: &[u8; KEY_LEN]) -> Self {
            Key(aes_gcm::Aes256Gcm::new(&(*key).into()))
        }

        pub(crate) fn seal_in_place(
            &self,
            nonce: &[u8; NONCE_LEN],
            aad: &[u8],
            buf: &mut [u8],
        ) -> Result<[u8; TAG_LEN], OpenError> {
            let tag = self
                .0
                .encrypt_in_place_detached(&(*nonce).into(), aad, buf)
                .map_err(|_| OpenError::Decrypt)?;
            Ok(tag.into())
        }

        pub(crate) fn open_in_place(
            &self,
            nonce: &[u8; NONCE_LEN],
            aad: &[u8],
            buf: &mut [u8],
            tag: &[u8; TAG_LEN],
        ) -> Result<(), OpenError> {
            self.0
                .decrypt_in_place_detached(&(*nonce).into(), aad, buf, &(*tag).into())
                .map_err(|_| {
                    buf.zeroize();
                    OpenError::Decrypt
                })
        }
    }

    /// [`super::aes256gcm_encrypt`] through `aes-gcm`.
    pub fn aes256gcm_encrypt(
        key: &[u8; KEY_LEN],
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Vec<u8> {
        let k = Key::new(key);
        encrypt_with(|b| k.seal_in_place(nonce, aad, b), plaintext)
    }

    /// [`super::aes256gcm_decrypt`] through `aes-gcm`.
    pub fn aes256gcm_decrypt(
        key: &[u8; KEY_LEN],
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        ct_and_tag: &[u8],
    ) -> Result<Vec<u8>, OpenError> {
        let k = Key::new(key);
        decrypt_with(|b, t| k.open_in_place(nonce, aad, b, t), ct_and_tag)
    }
}

/// The native backend (ring 0.17, fused AES-GCM assembly), behind the `native` feature.
#[cfg(feature = "native")]
pub mod native {
    use super::{decrypt_with, encrypt_with, KEY_LEN, NONCE_LEN, TAG_LEN};
    use crate::error::OpenError;
    use ring::aead::{Aad, LessSafeKey, Nonce, Tag, UnboundKey, AES_256_GCM};
    use zeroize::Zeroize;

    pub(crate) struct Key(Option<LessSafeKey>);

    impl Key {
        pub(crate) fn new(key: &[u8; KEY_LEN]) -> Self {
            // ring refuses only keys of the wrong length, which the type rules out; a `None`
            // (never expected) makes every operation fail closed.
            Key(UnboundKey::new(&AES_256_GCM, key)
                .ok()
                .map(LessSafeKey::new))
        }

        pub(crate) fn seal_in_place(
            &self,
            nonce: &[u8; NONCE_LEN],
            aad: &[u8],
            buf: &mut [u8],
        ) -> Result<[u8; TAG_LEN], OpenError> {
            let k = self.0.as_ref().ok_or(OpenError::Decrypt)?;
            let tag = k
                .seal_in_place_separate_tag(
                    Nonce::assume_unique_for_key(*nonce),
                    Aad::from(aad),
                    buf,
                )
                .map_err(|_| OpenError::Decrypt)?;
            let mut out = [0u8; TAG_LEN];
            out.copy_from_slice(tag.as_ref());
            Ok(out)
        }

        pub(crate) fn open_in_place(
            &self,
            nonce: &[u8; NONCE_LEN],
            aad: &[u8],
            buf: &mut [u8],
            tag: &[u8; TAG_LEN],
        ) -> Result<(), OpenError> {
            let k = self.0.as_ref().ok_or(OpenError::Decrypt)?;
            k.open_in_place_separate_tag(
                Nonce::assume_unique_for_key(*nonce),
                Aad::from(aad),
                Tag::from(*tag),
                buf,
                0..,
            )
            .map(|_| ())
            .map_err(|_| {
                buf.zeroize();
                OpenError::Decrypt
            })
        }
    }

    /// [`super::aes256gcm_encrypt`] through ring.
    pub fn aes256gcm_encrypt(
        key: &[u8; KEY_LEN],
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Vec<u8> {
        let k = Key::new(key);
        encrypt_with(|b| k.seal_in_place(nonce, aad, b), plaintext)
    }

    /// [`super::aes256gcm_decrypt`] through ring.
    pub fn aes256gcm_decrypt(
        key: &[u8; KEY_LEN],
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        ct_and_tag: &[u8],
    ) -> Result<Vec<u8>, OpenError> {
        let k = Key::new(key);
        decrypt_with(|b, t| k.open_in_place(nonce, aad, b, t), ct_and_tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_agree_and_fail_closed() {
        let key = [7u8; 32];
        let nonce = [9u8; 12];
        for len in [0usize, 1, 15, 16, 17, 1000] {
            let pt: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let a = portable::aes256gcm_encrypt(&key, &nonce, b"aad", &pt);
            #[cfg(feature = "native")]
            assert_eq!(a, native::aes256gcm_encrypt(&key, &nonce, b"aad", &pt));
            assert_eq!(a.len(), len + TAG_LEN);
            assert_eq!(aes256gcm_decrypt(&key, &nonce, b"aad", &a).unwrap(), pt);
            assert!(aes256gcm_decrypt(&key, &nonce, b"aae", &a).is_err());
            let mut bad = a.clone();
            bad[0] ^= 1;
            assert!(matches!(
                aes256gcm_decrypt(&key, &nonce, b"aad", &bad),
                Err(OpenError::Decrypt)
            ));
        }
        assert!(aes256gcm_decrypt(&key, &nonce, b"", &[0u8; 15]).is_err());
    }

    #[test]
    fn failed_open_zeroizes_buffer() {
        let key = [1u8; 32];
        let nonce = [2u8; 12];
        let ct = aes256gcm_encrypt(&key, &nonce, b"", b"secret secret secret");
        let (body, tag) = ct.split_at(ct.len() - TAG_LEN);
        let mut tag: [u8; 16] = tag.try_into().unwrap();
        tag[0] ^= 1;
        let k = Aes256Gcm::new(&key);
        let mut buf = body.to_vec();
        assert!(k.open_in_place(&nonce, b"", &mut buf, &tag).is_err());
        assert!(buf.iter().all(|&b| b == 0));
        let kp = portable::Key::new(&key);
        let mut buf = body.to_vec();
        assert!(kp.open_in_place(&nonce, b"", &mut buf, &tag).is_err());
        assert!(buf.iter().all(|&b| b == 0));
    }
}
