# Idempotent installers shared by scripts/test.sh and scripts/suites/*.sh.
# Source this file; each function installs only what is missing and says what it did.
# Only crates.io, PyPI, Debian's apt and the npm registry are used, by package name.

: "${CAUSEWAY_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
export CAUSEWAY_ROOT
export CAUSEWAY_TOOLS="${CAUSEWAY_TOOLS:-$CAUSEWAY_ROOT/.tools}"
export CAUSEWAY_VENV="${CAUSEWAY_VENV:-$CAUSEWAY_TOOLS/venv}"
export PATH="$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

# Versions pinned here, in one place.
CARGO_DENY_VERSION="0.20.2" # builds with Rust 1.95 (needs >= 1.88)
CARGO_FUZZ_VERSION="0.13.2" # works with rustup stable 1.95 and RUSTC_BOOTSTRAP=1
PY_REQUIREMENTS="$CAUSEWAY_ROOT/tests/interop/python/requirements.txt"
JS_DIR="$CAUSEWAY_ROOT/tests/interop/js"

_cw_say() { printf '==> %s\n' "$*"; }

_cw_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else echo "error: need root (or sudo) to run: $*" >&2; return 1
  fi
}

_cw_apt_updated=""
# ensure_apt PKG...: installs the Debian packages that are not installed yet
# (runs `apt-get update` at most once per run, and only if something is missing).
ensure_apt() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ -z "$_cw_apt_updated" ]; then
    _cw_say "apt-get update"
    _cw_sudo apt-get update -qq </dev/null
    _cw_apt_updated=1
  fi
  _cw_say "apt-get install ${missing[*]}"
  _cw_sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

# ensure_wasm_toolchain: Debian's Rust 1.96 with its std sources and lld, linked into rustup as
# `debian-web` (the wasm32 target cannot be added with rustup here; see docs/TOOLCHAIN notes).
ensure_wasm_toolchain() {
  ensure_apt rustc-web cargo-web rust-web-src lld-22
  if ! rustup toolchain list 2>/dev/null | grep -q '^debian-web'; then
    _cw_say "rustup toolchain link debian-web /usr"
    rustup toolchain link debian-web /usr
  fi
}

# ensure_cargo_deny: cargo-deny at the pinned version (cargo install only when absent or older).
ensure_cargo_deny() {
  if command -v cargo-deny >/dev/null 2>&1 &&
    cargo-deny --version 2>/dev/null | grep -q " $CARGO_DENY_VERSION\$"; then
    return 0
  fi
  _cw_say "cargo install cargo-deny $CARGO_DENY_VERSION (one-time, a few minutes)"
  cargo install --quiet --locked cargo-deny --version "$CARGO_DENY_VERSION" </dev/null
}

# ensure_cargo_fuzz: the cargo-fuzz driver (libFuzzer itself is built from the libfuzzer-sys
# crate with the system C++ compiler when the fuzz targets are built).
ensure_cargo_fuzz() {
  if command -v cargo-fuzz >/dev/null 2>&1 &&
    cargo-fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
    return 0
  fi
  _cw_say "cargo install cargo-fuzz $CARGO_FUZZ_VERSION (one-time, about a minute)"
  cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" </dev/null
}

# ensure_python_venv: .tools/venv with pytest and joserfc (tests/interop/python/requirements.txt).
ensure_python_venv() {
  local stamp="$CAUSEWAY_VENV/.requirements"
  # a venv kept between runs (.ci/run) whose interpreter went away is made again
  if [ -d "$CAUSEWAY_VENV" ] && ! "$CAUSEWAY_VENV/bin/python" -c '' >/dev/null 2>&1; then
    rm -rf "$CAUSEWAY_VENV"
  fi
  if [ ! -x "$CAUSEWAY_VENV/bin/python" ]; then
    if ! python3 -m venv "$CAUSEWAY_VENV" >/dev/null 2>&1; then
      rm -rf "$CAUSEWAY_VENV"
      ensure_apt python3-venv
      python3 -m venv "$CAUSEWAY_VENV"
    fi
  fi
  if [ ! -f "$stamp" ] || ! cmp -s "$PY_REQUIREMENTS" "$stamp"; then
    _cw_say "pip install -r tests/interop/python/requirements.txt into .tools/venv"
    "$CAUSEWAY_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r "$PY_REQUIREMENTS" </dev/null
    cp "$PY_REQUIREMENTS" "$stamp"
  fi
}

# ensure_npm_dir DIR: node + npm, and DIR/node_modules as `npm install` makes it from DIR's
# package.json and package-lock.json. Keyed by the content of both and node's version (the key
# is kept in node_modules/.causeway-npm-key): nothing is done when the key is unchanged. With
# $CAUSEWAY_NPM_CACHE set (.ci/run: under its build cache), the node_modules made for a key is
# kept there (one per DIR) and a fresh clone with the same key copies it instead of installing.
ensure_npm_dir() {
  local dir="$1" key name cached
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || ensure_apt nodejs npm
  _npm_key() {
    { cat "$1/package.json" "$1/package-lock.json" 2>/dev/null; node --version; } | sha256sum | cut -d' ' -f1
  }
  key="$(_npm_key "$dir")"
  [ "$(cat "$dir/node_modules/.causeway-npm-key" 2>/dev/null)" = "$key" ] && return 0
  name="$(printf '%s' "${dir#"$CAUSEWAY_ROOT"/}" | tr '/' '_')"
  cached="${CAUSEWAY_NPM_CACHE:+$CAUSEWAY_NPM_CACHE/$name}"
  if [ -n "$cached" ] && [ "$(cat "$cached/node_modules/.causeway-npm-key" 2>/dev/null)" = "$key" ]; then
    _cw_say "node_modules in ${dir#"$CAUSEWAY_ROOT"/} copied from $cached"
    rm -rf "$dir/node_modules"
    cp -a "$cached/node_modules" "$dir/node_modules"
    return 0
  fi
  _cw_say "npm install in ${dir#"$CAUSEWAY_ROOT"/}"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error </dev/null)
  mkdir -p "$dir/node_modules"
  # the key of the files as npm left them (it may write the lockfile)
  key="$(_npm_key "$dir")"
  echo "$key" >"$dir/node_modules/.causeway-npm-key"
  if [ -n "$cached" ]; then
    rm -rf "$cached"
    mkdir -p "$cached.tmp"
    cp -a "$dir/node_modules" "$cached.tmp/node_modules"
    mv "$cached.tmp" "$cached"
  fi
}

# ensure_node_deps: node + npm, and tests/interop/js/node_modules from its package.json/lockfile.
ensure_node_deps() {
  ensure_npm_dir "$JS_DIR"
}

# Versions of the npm package's build tools (bindings-wasm; decision 0071).
WASM_BINDGEN_VERSION="0.2.130" # must equal the `wasm-bindgen` crate pinned in Cargo.toml
WASM_JS_DIR="$CAUSEWAY_ROOT/bindings-wasm"

# ensure_wasm_bindgen: the wasm-bindgen CLI at exactly the crate's version, into ~/.cargo/bin
# (without --locked: its lockfile pins a crate version the registry here lacks).
ensure_wasm_bindgen() {
  if command -v wasm-bindgen >/dev/null 2>&1 &&
    wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
    return 0
  fi
  _cw_say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (one-time, 2-4 minutes)"
  cargo install --quiet --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" </dev/null
}

# ensure_wasm_node_deps: node + npm, and bindings-wasm/node_modules (binaryen's wasm-opt for
# the build, fast-check and playwright-core for the tests) from package.json and its lockfile.
ensure_wasm_node_deps() {
  ensure_npm_dir "$WASM_JS_DIR"
}

# ensure_chromium: Debian's Chromium for the browser tests (playwright-core drives it through
# its executablePath; it downloads no browser of its own). $CAUSEWAY_CHROMIUM overrides.
ensure_chromium() {
  if [ -n "${CAUSEWAY_CHROMIUM:-}" ] && [ -x "$CAUSEWAY_CHROMIUM" ]; then return 0; fi
  ensure_apt chromium
}

# ensure_rust_lld: rustc-web links wasm32 with `rust-lld` (lld's multi-flavour binary). Debian's
# lld-22 ships it as /usr/lib/llvm-22/bin/lld without a `rust-lld` name; when none is on PATH,
# link one under .tools/bin and put that on PATH (for this process only). Keeping the name
# `rust-lld` (rather than setting a linker) leaves cargo's fingerprints, and so the pre-built
# dependencies, unchanged.
ensure_rust_lld() {
  command -v rust-lld >/dev/null 2>&1 && return 0
  local lld=/usr/lib/llvm-22/bin/lld
  [ -x "$lld" ] || ensure_apt lld-22
  mkdir -p "$CAUSEWAY_TOOLS/bin"
  ln -sf "$lld" "$CAUSEWAY_TOOLS/bin/rust-lld"
  export PATH="$CAUSEWAY_TOOLS/bin:$PATH"
}
