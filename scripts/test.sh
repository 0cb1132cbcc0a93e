#!/usr/bin/env bash
# Set up and run the full test suite (lint included). Fails when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/system-deps.sh
.venv/bin/ruff check kg tests bench
.venv/bin/ruff format --check kg tests bench
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "no tests ran: failing" >&2
  exit 1
fi
exit "$status"
