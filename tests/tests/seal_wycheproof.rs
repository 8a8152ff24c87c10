//! Wycheproof AES-GCM vectors through `causeway::seal::hazmat`, for every backend compiled in
//! (ring natively, aes-gcm always). Only 256-bit keys, 96-bit nonces and 128-bit tags apply.

use causeway::error::OpenError;
use causeway::seal::hazmat::{self, native, portable};
use wycheproof::aead::{TestName, TestSet};
use wycheproof::TestResult;

type Enc = fn(&[u8; 32], &[u8; 12], &[u8], &[u8]) -> Vec<u8>;
type Dec = fn(&[u8; 32], &[u8; 12], &[u8], &[u8]) -> Result<Vec<u8>, OpenError>;

fn run(name: &str, enc: Enc, dec: Dec) -> (usize, usize) {
    let set = TestSet::load(TestName::AesGcm).unwrap();
    let (mut valid, mut invalid) = (0, 0);
    for g in &set.test_groups {
        if g.key_size != 256 || g.nonce_size != 96 || g.tag_size != 128 {
            continue;
        }
        for t in &g.tests {
            let key: [u8; 32] = t.key.as_slice().try_into().unwrap();
            let nonce: [u8; 12] = t.nonce.as_slice().try_into().unwrap();
            let mut ct_tag = t.ct.to_vec();
            ct_tag.extend_from_slice(&t.tag);
            let opened = dec(&key, &nonce, &t.aad, &ct_tag);
            match t.result {
                TestResult::Valid | TestResult::Acceptable => {
                    assert_eq!(
                        enc(&key, &nonce, &t.aad, &t.pt),
                        ct_tag,
                        "{name} tc {}",
                        t.tc_id
                    );
                    assert_eq!(opened.unwrap(), t.pt.to_vec(), "{name} tc {}", t.tc_id);
                    valid += 1;
                }
                TestResult::Invalid => {
                    assert!(
                        matches!(opened, Err(OpenError::Decrypt)),
                        "{name} tc {} should fail",
                        t.tc_id
                    );
                    invalid += 1;
                }
            }
        }
    }
    (valid, invalid)
}

#[test]
fn wycheproof_aes256gcm_default_backend() {
    let (v, i) = run(
        hazmat::BACKEND,
        hazmat::aes256gcm_encrypt,
        hazmat::aes256gcm_decrypt,
    );
    assert!(
        v >= 20 && i >= 10,
        "too few vectors ran: {v} valid, {i} invalid"
    );
}

#[test]
fn wycheproof_aes256gcm_ring() {
    let (v, i) = run("ring", native::aes256gcm_encrypt, native::aes256gcm_decrypt);
    assert!(
        v >= 20 && i >= 10,
        "too few vectors ran: {v} valid, {i} invalid"
    );
}

#[test]
fn wycheproof_aes256gcm_aes_gcm() {
    let (v, i) = run(
        "aes-gcm",
        portable::aes256gcm_encrypt,
        portable::aes256gcm_decrypt,
    );
    assert!(
        v >= 20 && i >= 10,
        "too few vectors ran: {v} valid, {i} invalid"
    );
}

/// The buffer of a failed in-place open holds no plaintext.
#[test]
fn failed_vectors_leave_no_plaintext() {
    let set = TestSet::load(TestName::AesGcm).unwrap();
    for g in &set.test_groups {
        if g.key_size != 256 || g.nonce_size != 96 || g.tag_size != 128 {
            continue;
        }
        for t in g.tests.iter().filter(|t| t.result == TestResult::Invalid) {
            let key: [u8; 32] = t.key.as_slice().try_into().unwrap();
            let nonce: [u8; 12] = t.nonce.as_slice().try_into().unwrap();
            let tag: [u8; 16] = t.tag.as_slice().try_into().unwrap();
            let k = hazmat::Aes256Gcm::new(&key);
            let mut buf = t.ct.to_vec();
            assert!(k.open_in_place(&nonce, &t.aad, &mut buf, &tag).is_err());
            assert!(buf.iter().all(|&b| b == 0), "tc {}", t.tc_id);
        }
    }
}
