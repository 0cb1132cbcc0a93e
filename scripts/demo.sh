#!/usr/bin/env bash
# Set up, build the knowledge graph of seeds/ into out/, and answer a sample query.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/kg build seeds --out out
echo "Wrote out/graph.ttl, out/graph.html, out/quotes.jsonl, out/report.json and the store in out/store"
echo
echo "Who said what (queries/who-said-what.rq), first rows:"
.venv/bin/kg query who-said-what --store out | head -n 25
