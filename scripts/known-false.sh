#!/usr/bin/env bash
# Times `bestofn search` refuting each known-false statement from a fresh start and a fixed
# seed (issue: each must fall within 30 s on the 2-core CI machine). Exit 1 if any is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/bestofn
status=0
run() {
  local start end
  start=$(date +%s.%N)
  if timeout 30 "$bin" search --seed 1 --trials 1000000 "$@" >/tmp/known-false.out 2>&1; then
    echo "MISSED: $* (no counterexample)"; status=1
  else
    end=$(date +%s.%N)
    if grep -q COUNTEREXAMPLE /tmp/known-false.out; then
      printf '%-70s %.2f s\n' "$*" "$(echo "$end - $start" | bc)"
      grep -A1 COUNTEREXAMPLE /tmp/known-false.out | sed 's/^/    /'
    else
      echo "MISSED: $* (timeout or error)"; cat /tmp/known-false.out; status=1
    fi
  fi
}
# The catalogue says which statements are false (`status:` in `bestofn claims`): known-false
# claims as stated, theorems that need a hypothesis without it.
while read -r id; do
  run --claim "$id"
done < <("$bin" claims | awk '/^[a-z]/ {id=$1} /^  status: +known false \(a search/ {print id}')
while read -r id hypothesis; do
  run --claim "$id" --without-hypothesis "$hypothesis"
done < <("$bin" claims | awk '/^[a-z]/ {id=$1} /^  status: .*refuted without/ {match($0, /`[^`]+`/); print id, substr($0, RSTART+1, RLENGTH-2)}')
exit $status
