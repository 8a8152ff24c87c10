//! Sealed records and streams beside the raw AEAD on the same buffers.
//!
//! Groups: `record_seal` / `record_open` (256 B, 4 KiB, 1 MiB; peers: raw AES-256-GCM through
//! ring and through aes-gcm), `wrap` (1, 10, 100 recipients; peer: raw X25519 agreement through
//! ring, the floor of an ECDH-ES wrap), `stream` (1 GiB seal and open; peer: raw ring AES-GCM
//! over the same 64 KiB chunks).

use causeway::party::{Party, PublicKeys};
use causeway::seal::hazmat::{self, native, portable};
use causeway::seal::stream::{open_stream, seal_stream, CHUNK_SIZE};
use causeway::seal::Sealed;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::io::{self, Read};
use std::time::Duration;

const SIZES: [usize; 3] = [256, 4096, 1 << 20];
const KEY: [u8; 32] = [7u8; 32];
const NONCE: [u8; 12] = [3u8; 12];

fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i as u8).wrapping_mul(31)).collect()
}

fn records(c: &mut Criterion) {
    let owner = Party::generate().unwrap();
    let mut g = c.benchmark_group("record_seal");
    for n in SIZES {
        let pt = data(n);
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(
            BenchmarkId::new("causeway_seal_1_recipient", n),
            &pt,
            |b, pt| b.iter(|| Sealed::seal_bytes(&owner, &[], black_box(pt)).unwrap()),
        );
        g.bench_with_input(BenchmarkId::new("raw_ring", n), &pt, |b, pt| {
            b.iter(|| native::aes256gcm_encrypt(&KEY, &NONCE, b"aad", black_box(pt)))
        });
        g.bench_with_input(BenchmarkId::new("raw_aes_gcm", n), &pt, |b, pt| {
            b.iter(|| portable::aes256gcm_encrypt(&KEY, &NONCE, b"aad", black_box(pt)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("record_open");
    for n in SIZES {
        let pt = data(n);
        let sealed = Sealed::seal_bytes(&owner, &[], &pt).unwrap();
        let ct = hazmat::aes256gcm_encrypt(&KEY, &NONCE, b"aad", &pt);
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(BenchmarkId::new("causeway_open", n), &sealed, |b, s| {
            b.iter(|| black_box(s).open(&owner).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("raw_ring", n), &ct, |b, ct| {
            b.iter(|| native::aes256gcm_decrypt(&KEY, &NONCE, b"aad", black_box(ct)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("raw_aes_gcm", n), &ct, |b, ct| {
            b.iter(|| portable::aes256gcm_decrypt(&KEY, &NONCE, b"aad", black_box(ct)).unwrap())
        });
    }
    g.finish();
}

fn wraps(c: &mut Criterion) {
    use ring::agreement::{agree_ephemeral, EphemeralPrivateKey, UnparsedPublicKey, X25519};
    use ring::rand::SystemRandom;
    let owner = Party::generate().unwrap();
    let others: Vec<PublicKeys> = (0..99)
        .map(|_| Party::generate().unwrap().public())
        .collect();
    let all: Vec<PublicKeys> = std::iter::once(owner.public())
        .chain(others.iter().copied())
        .collect();
    let pt = data(256);
    let rng = SystemRandom::new();
    let mut g = c.benchmark_group("wrap");
    for n in [1usize, 10, 100] {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("causeway_seal_256B", n), &n, |b, &n| {
            b.iter(|| Sealed::seal_bytes(&owner, &others[..n - 1], &pt).unwrap())
        });
        g.bench_with_input(
            BenchmarkId::new("raw_ring_x25519_ephemeral_agree", n),
            &n,
            |b, &n| {
                b.iter(|| {
                    for pk in &all[..n] {
                        let esk = EphemeralPrivateKey::generate(&X25519, &rng).unwrap();
                        let _epk = esk.compute_public_key().unwrap();
                        let peer = UnparsedPublicKey::new(&X25519, pk.encryption().as_bytes());
                        agree_ephemeral(esk, &peer, |z| black_box(z[0])).unwrap();
                    }
                })
            },
        );
    }
    g.finish();
}

/// `len` bytes generated on the fly from a 64 KiB pattern.
struct Gen {
    pattern: Vec<u8>,
    left: u64,
    pos: usize,
}

impl Gen {
    fn new(len: u64) -> Self {
        Gen {
            pattern: data(CHUNK_SIZE),
            left: len,
            pos: 0,
        }
    }
}

impl Read for Gen {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf
            .len()
            .min(self.left as usize)
            .min(self.pattern.len() - self.pos);
        buf[..n].copy_from_slice(&self.pattern[self.pos..self.pos + n]);
        self.pos = (self.pos + n) % self.pattern.len();
        self.left -= n as u64;
        Ok(n)
    }
}

fn streams(c: &mut Criterion) {
    const LEN: u64 = 1 << 30;
    let owner = Party::generate().unwrap();
    let mut g = c.benchmark_group("stream_1GiB");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(LEN));
    g.bench_function("causeway_seal_stream", |b| {
        b.iter(|| seal_stream(&owner, &[], Gen::new(LEN), io::sink(), &mut |_| {}).unwrap())
    });
    let aead = hazmat::Aes256Gcm::new(&KEY);
    g.bench_function("raw_ring_chunks_seal", |b| {
        b.iter(|| {
            let mut input = Gen::new(LEN);
            let mut buf = vec![0u8; CHUNK_SIZE + 16];
            let mut out = io::sink();
            let mut ctr = 0u64;
            loop {
                let n = input.read(&mut buf[..CHUNK_SIZE]).unwrap();
                if n == 0 {
                    break;
                }
                let mut nonce = [0u8; 12];
                nonce[3..11].copy_from_slice(&ctr.to_be_bytes());
                let tag = aead.seal_in_place(&nonce, &[], &mut buf[..n]).unwrap();
                buf[n..n + 16].copy_from_slice(&tag);
                io::Write::write_all(&mut out, &buf[..n + 16]).unwrap();
                ctr += 1;
            }
        })
    });
    // One sealed gigabyte held in memory for the open side.
    let mut sealed = Vec::with_capacity(LEN as usize + (LEN as usize / CHUNK_SIZE + 1) * 16 + 4096);
    seal_stream(&owner, &[], Gen::new(LEN), &mut sealed, &mut |_| {}).unwrap();
    let header_len = sealed.len() - (LEN as usize / CHUNK_SIZE) * (CHUNK_SIZE + 16);
    g.bench_function("causeway_open_stream", |b| {
        b.iter(|| open_stream(&owner, &sealed[..], io::sink(), &mut |_| {}).unwrap())
    });
    // The peer decrypts the same ciphertext chunks (under a key of its own, so it checks tags
    // it made: ring's work is the same), copying each into a scratch buffer as a reader would.
    let mut raw = sealed.clone();
    for (i, chunk) in raw[header_len..].chunks_mut(CHUNK_SIZE + 16).enumerate() {
        let mut nonce = [0u8; 12];
        nonce[3..11].copy_from_slice(&(i as u64).to_be_bytes());
        let (body, tag) = chunk.split_at_mut(CHUNK_SIZE);
        let t = aead.seal_in_place(&nonce, &[], body).unwrap();
        tag.copy_from_slice(&t);
    }
    drop(sealed);
    g.bench_function("raw_ring_chunks_open", |b| {
        b.iter(|| {
            let mut buf = vec![0u8; CHUNK_SIZE + 16];
            let mut out = io::sink();
            for (i, chunk) in raw[header_len..].chunks(CHUNK_SIZE + 16).enumerate() {
                buf.copy_from_slice(chunk);
                let mut nonce = [0u8; 12];
                nonce[3..11].copy_from_slice(&(i as u64).to_be_bytes());
                let tag: [u8; 16] = buf[CHUNK_SIZE..].try_into().unwrap();
                aead.open_in_place(&nonce, &[], &mut buf[..CHUNK_SIZE], &tag)
                    .unwrap();
                io::Write::write_all(&mut out, &buf[..CHUNK_SIZE]).unwrap();
            }
        })
    });
    g.finish();
}

criterion_group!(benches, records, wraps, streams);
criterion_main!(benches);
