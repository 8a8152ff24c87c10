//! Keys, content-key commitments, record ids and nonces drawn in forked child processes do not
//! repeat (no RNG state is duplicated by `fork()`: Causeway draws from the OS for each).

use causeway::party::Party;
use causeway::seal::Sealed;
use serde_json::Value as Json;
use std::collections::HashSet;
use std::io::Read;
use std::os::fd::FromRawFd;

const CHILDREN: usize = 8;
const PER_CHILD: usize = 4;

/// What one process draws: a party's key id, then per seal the record id, IV, ephemeral key and
/// key commitment (a function of the content key).
fn draw(owner: &Party) -> Vec<String> {
    let mut out = vec![format!("key {}", Party::generate().unwrap().key_id())];
    for _ in 0..PER_CHILD {
        let s = Sealed::seal_bytes(owner, &[], b"fork").unwrap();
        let j: Json = serde_json::from_str(&s.to_jwe_json()).unwrap();
        let protected = base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            j["protected"].as_str().unwrap(),
        )
        .unwrap();
        let p: Json = serde_json::from_slice(&protected).unwrap();
        out.push(format!("rid {}", s.record_id()));
        out.push(format!("iv {}", j["iv"].as_str().unwrap()));
        out.push(format!(
            "epk {}",
            j["recipients"][0]["header"]["epk"]["x"].as_str().unwrap()
        ));
        out.push(format!("kc {}", p["cw_kc"].as_str().unwrap()));
    }
    out
}

#[test]
#[allow(unsafe_code)]
fn forked_children_draw_distinct_keys_and_nonces() {
    // Use the RNG and the keys in the parent first, so any user-space state would be inherited.
    let owner = Party::generate().unwrap();
    let mut seen: HashSet<String> = draw(&owner).into_iter().collect();
    let mut total = seen.len();
    for _ in 0..CHILDREN {
        let mut fds = [0i32; 2];
        // SAFETY: plain POSIX calls; the child only computes, writes to its pipe and _exits.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            unsafe { libc::close(fds[0]) };
            let text = draw(&owner).join("\n");
            let mut off = 0;
            let bytes = text.as_bytes();
            while off < bytes.len() {
                let n =
                    unsafe { libc::write(fds[1], bytes[off..].as_ptr().cast(), bytes.len() - off) };
                if n <= 0 {
                    unsafe { libc::_exit(2) };
                }
                off += n as usize;
            }
            unsafe { libc::_exit(0) };
        }
        unsafe { libc::close(fds[1]) };
        // SAFETY: fds[0] is the read end we own.
        let mut f = unsafe { std::fs::File::from_raw_fd(fds[0]) };
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        let mut status = 0;
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "child failed"
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 4 * PER_CHILD, "child output incomplete");
        for l in lines {
            total += 1;
            assert!(seen.insert(l.to_owned()), "repeated after fork: {l}");
        }
    }
    assert_eq!(seen.len(), total);
    assert_eq!(total, (CHILDREN + 1) * (1 + 4 * PER_CHILD));
}
