#!/usr/bin/env bash
# Searches every claim of the catalogue for SECONDS each (default 120) over wider bounds than
# the default, and prints one summary per claim. Usage: scripts/search-all.sh [SECONDS] [JOBS]
set -uo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/bestofn
seconds=${1:-120}
jobs=${2:-2}
for claim in $("$bin" claims | grep -E '^[a-z0-9-]+$'); do
  echo "== $claim"
  "$bin" search --claim "$claim" --time "$seconds" --jobs "$jobs" --seed 2026 \
    --k 2..8 --m 1..3 --n 1..64 --report "search-results/$claim" | sed 's/^/   /'
done
