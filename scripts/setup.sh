#!/usr/bin/env bash
# Installs what a fresh machine lacks for building bestofn: m4, which the bundled GMP/MPFR
# build of gmp-mpfr-sys (through rug) needs, and GNU parallel for one test recipe.
# Everything else comes with Rust and gcc.
set -euo pipefail
if ! command -v m4 >/dev/null 2>&1; then
  echo "setup: installing m4 (needed by the bundled GMP build)" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq m4 >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq m4 >/dev/null
  fi
fi
# GNU parallel runs the local-scheduler recipe of docs/scale.md in the tests (they fall back
# to xargs -P without it); optional, so a failed install does not stop the build.
if ! command -v parallel >/dev/null 2>&1; then
  echo "setup: installing GNU parallel (docs/scale.md recipe)" >&2
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq parallel >/dev/null) || true
  else
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq parallel >/dev/null) || true
  fi
fi
