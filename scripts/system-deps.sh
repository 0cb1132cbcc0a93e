#!/usr/bin/env bash
# Best effort: the Debian packages some tests use (headless Chromium for the page, Virtuoso
# as a real external SPARQL store). Without root or apt those tests skip and say why.
set -uo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v virtuoso-t >/dev/null || missing+=(virtuoso-opensource-7)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "system-deps: no apt-get; browser/Virtuoso tests will skip" >&2; exit 0
fi
if [ "$(id -u)" = 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
  echo "system-deps: not root; browser/Virtuoso tests will skip (${missing[*]} missing)" >&2; exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null \
  && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || echo "system-deps: install failed; those tests will skip" >&2
exit 0
