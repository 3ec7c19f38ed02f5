#!/usr/bin/env bash
# Draws the README's figures into docs/figures/ as PNG (and SVG beside them): the commands
# the README shows, with the output file's extension choosing the format.
# tests/suite/figure_render.rs checks that the committed PNGs have the size today's code draws.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/bestofn
out=docs/figures
mkdir -p "$out"
for ext in png svg; do
  "$bin" asymptotics cases/figure1-optimum.toml --m 1..60 --plot "$out/asymptotics.$ext" >/dev/null
  "$bin" tradeoff --p 1/5,3/10,1/2 --q 2/3,1/9,2/9 --n-max 64 \
    --plot "$out/tradeoff-reward.$ext" --plot-winrate "$out/tradeoff-winrate.$ext" >/dev/null
  "$bin" compare cases/float-ln-tie.toml --plot "$out/compare.$ext" >/dev/null
  "$bin" figure simplex cases/figure1-optimum.toml -o "$out/simplex.$ext" >/dev/null
done
ls -l "$out"
