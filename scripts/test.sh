#!/usr/bin/env bash
# Set up and run the full test suite (lint included). Fails when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Headless Chromium for the browser tests, when the machine can install it (root + apt).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
    || echo "note: chromium could not be installed; browser tests will be skipped"
fi
.venv/bin/ruff check kg tests bench
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "no tests ran: failing" >&2
  exit 1
fi
exit "$status"
