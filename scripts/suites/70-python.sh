#!/usr/bin/env bash
# The Python package (bindings-python): builds it into .tools/venv with `maturin develop`
# (maturin from PyPI; the Rust build uses $CARGO_TARGET_DIR, which .ci/run sets), checks the
# type stubs against the built module (mypy.stubtest) and the package and the README examples
# with `mypy --strict`, then runs bindings-python/tests with pytest (the shared sealed-object
# vectors, round trips, refusals, the README examples, causeway.frame with pandas, pyarrow and
# polars from the venv's requirements, and examples/python/: the script run and the notebook
# executed with nbclient). Installs what is missing (the examples' requirements,
# examples/python/requirements.txt, too). Runnable alone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CAUSEWAY_ROOT="$ROOT"
# shellcheck source=../lib/install.sh
. "$ROOT/scripts/lib/install.sh"
ensure_python_venv

PY="$CAUSEWAY_VENV/bin/python"
EX_REQUIREMENTS="$ROOT/examples/python/requirements.txt"
if ! cmp -s "$EX_REQUIREMENTS" "$CAUSEWAY_VENV/.example-requirements"; then
  echo "==> pip install -r examples/python/requirements.txt into .tools/venv"
  "$PY" -m pip install --quiet --disable-pip-version-check -r "$EX_REQUIREMENTS" </dev/null
  cp "$EX_REQUIREMENTS" "$CAUSEWAY_VENV/.example-requirements"
fi
echo "--- build (maturin develop)"
(cd bindings-python && VIRTUAL_ENV="$CAUSEWAY_VENV" PATH="$CAUSEWAY_VENV/bin:$PATH" \
  "$CAUSEWAY_VENV/bin/maturin" develop --quiet --features self-test)

echo "--- type stubs and mypy --strict"
"$PY" -m mypy.stubtest causeway._native
examples="$(mktemp -d)"
trap 'rm -rf "$examples"' EXIT
"$PY" - "$examples" <<'PYEOF'
import re, sys
from pathlib import Path
out = Path(sys.argv[1])
for name, path in (("package", "bindings-python/README.md"), ("root", "README.md")):
    for i, code in enumerate(re.findall(r"```python\n(.*?)```", Path(path).read_text(), re.S)):
        (out / f"readme_{name}_{i}.py").write_text(code)
PYEOF
(cd bindings-python && "$PY" -m mypy --strict --no-incremental python/causeway "$examples")
"$PY" -m mypy --strict --no-incremental examples/python/bank_merchant.py examples/python/sync_notebook.py
"$PY" examples/python/sync_notebook.py --check

echo "--- pytest"
(cd bindings-python && CAUSEWAY_PY_SELF_TEST=1 "$PY" -m pytest -q -p no:cacheprovider tests)
