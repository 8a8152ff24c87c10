#!/usr/bin/env python3
"""Content-keyed source mtimes for a cargo build cache shared by fresh clones (decision 0109).

Cargo decides freshness by mtime: a source file newer than the unit's last build makes the unit
stale. A fresh clone gives every file a new mtime, so every workspace crate is rebuilt in every
profile on every CI run although most files did not change. This tool gives each tracked file
back the mtime it had in the run that last saw the same content, and a new mtime ("now") to
every file whose content is new, under one invariant per cache:

    for each entry (path, hash, M) of the manifest: every artifact in the cache built after M
    that read `path` was built from content `hash`.

Cargo reuses an artifact only if its build is newer than every file it read; with the restored
mtimes, an artifact newer than M was built from the same content as the file has now. The
invariant holds because:
  * a path whose content differs from its entry (another commit, older or newer, or an edit) is
    given "now", later than every build in the cache, so everything that read it is rebuilt;
    the manifest keeps ONE entry per path (the latest content), never a history;
  * `restore` runs with the cache locked for the whole run (.ci/run holds an flock), so no other
    build writes the cache between "now" and the end of the run;
  * builds made outside a run (another checkout or command using the same cache) are detected:
    `seal` stamps the end of a run, and `restore` trusts the manifest only if no cargo
    fingerprint in the cache is newer than that stamp; an unsealed cache (a killed run) is not
    trusted either. Not trusted = every file gets "now" (what a plain fresh clone does);
  * a tracked file written during the run (its mtime moved) loses its entry at `seal`, so a
    build that read the transient content is not reused later.

Usage (the caller holds the cache lock):
    mtimes.py restore REPO CACHE_DIR   before the build; prints what it did
    mtimes.py seal REPO CACHE_DIR      after the build (also after a failed one)
"""

import hashlib
import json
import os
import subprocess
import sys
import time

MANIFEST = "causeway-mtimes.json"
SEAL = "causeway-mtimes.sealed"
VERSION = 1
# Directories under the cache holding cargo fingerprints: <target>/<profile>/.fingerprint, or
# <target>/<triple>/<profile>/.fingerprint, with nested target dirs (wasm/, fuzz/, ...).
MAX_DEPTH = 6


def tracked_files(repo):
    out = subprocess.run(
        ["git", "-C", repo, "ls-files", "-z", "--cached"],
        check=True,
        stdout=subprocess.PIPE,
    ).stdout
    files = []
    for rel in out.decode("utf-8", "surrogateescape").split("\0"):
        if not rel:
            continue
        path = os.path.join(repo, rel)
        # Regular files only: links and submodules keep the mtime the clone gave them.
        if os.path.isfile(path) and not os.path.islink(path):
            files.append(rel)
    return files


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def newest_fingerprint(cache):
    """The newest mtime (ns) of a cargo fingerprint file or unit directory under `cache` (0 if none)."""
    newest = 0
    stack = [(cache, 0)]
    while stack:
        path, depth = stack.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                continue
            if entry.name == ".fingerprint":
                for unit in os.scandir(entry.path):
                    newest = max(newest, unit.stat(follow_symlinks=False).st_mtime_ns)
                    if unit.is_dir(follow_symlinks=False):
                        for f in os.scandir(unit.path):
                            newest = max(newest, f.stat(follow_symlinks=False).st_mtime_ns)
            elif depth < MAX_DEPTH and entry.name not in ("deps", "build", "incremental", "examples"):
                stack.append((entry.path, depth + 1))
    return newest


def load(cache):
    try:
        with open(os.path.join(cache, MANIFEST)) as f:
            data = json.load(f)
        if data.get("version") == VERSION and isinstance(data.get("entries"), dict):
            return data["entries"]
    except (OSError, ValueError):
        pass
    return {}


def save(cache, entries):
    tmp = os.path.join(cache, MANIFEST + ".tmp")
    with open(tmp, "w") as f:
        json.dump({"version": VERSION, "entries": entries}, f, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(cache, MANIFEST))


def restore(repo, cache):
    os.makedirs(cache, exist_ok=True)
    seal = os.path.join(cache, SEAL)
    entries = load(cache)
    why = None
    try:
        sealed_at = os.stat(seal).st_mtime_ns
    except OSError:
        sealed_at = None
        why = "no sealed manifest (first run, or the last run was killed)"
    newest = newest_fingerprint(cache)
    if sealed_at is not None and newest > sealed_at:
        why = "the cache was built outside a sealed run since the last one"
    if why:
        entries = {}
    # Unsealed from here on: a run that dies before `seal` leaves an untrusted manifest.
    try:
        os.remove(seal)
    except FileNotFoundError:
        pass
    # "now" must be later than every build already in the cache and every mtime the manifest
    # gives back, even if the wall clock stepped back since: then it runs ahead of the clock.
    time.sleep(0.01)
    floor = max([newest, sealed_at or 0] + [m for _, m in entries.values()])
    now = max(time.time_ns(), floor + 1)
    new, kept = {}, 0
    for rel in tracked_files(repo):
        path = os.path.join(repo, rel)
        h = digest(path)
        old = entries.get(rel)
        if old is not None and old[0] == h:
            m = old[1]
            kept += 1
        else:
            m = now
        os.utime(path, ns=(m, m), follow_symlinks=False)
        new[rel] = [h, m]
    save(cache, new)
    note = f" ({why})" if why else ""
    print(f"==> source mtimes: {kept} of {len(new)} tracked files unchanged since the cache saw them{note}")


def seal(repo, cache):
    entries = load(cache)
    dropped = 0
    for rel in list(entries):
        path = os.path.join(repo, rel)
        h, m = entries[rel]
        try:
            st = os.stat(path, follow_symlinks=False)
            same = st.st_mtime_ns == m and digest(path) == h
        except OSError:
            same = False
        if not same:
            del entries[rel]
            dropped += 1
    save(cache, entries)
    with open(os.path.join(cache, SEAL), "w") as f:
        f.write(f"{time.time_ns()}\n")
        f.flush()
        os.fsync(f.fileno())
    if dropped:
        print(f"==> source mtimes: {dropped} tracked files changed during the run (their entries dropped)")


def main(argv):
    if len(argv) != 4 or argv[1] not in ("restore", "seal"):
        print(__doc__.split("Usage")[1], file=sys.stderr)
        return 2
    repo, cache = os.path.abspath(argv[2]), os.path.abspath(argv[3])
    (restore if argv[1] == "restore" else seal)(repo, cache)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
