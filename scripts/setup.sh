#!/usr/bin/env bash
# Installs what a fresh machine lacks for building and testing bestofn: m4, which the bundled
# GMP/MPFR build of gmp-mpfr-sys (through rug) needs; GNU parallel, and Slurm with munge, which
# run the scheduler recipes of docs/scale.md in the tests; Coq; numpy; and the Python package.
set -euo pipefail

# apt-get install PACKAGES..., as root or through sudo.
install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

if ! command -v m4 >/dev/null 2>&1; then
  echo "setup: installing m4 (needed by the bundled GMP build)" >&2
  install m4
fi
# Optional for the build: a failed install does not stop it. The tests fall back to xargs -P
# without GNU parallel, and say that the Slurm test did not run without Slurm (CI sets
# BESTOFN_REQUIRE_SLURM, so there it fails instead).
if ! command -v parallel >/dev/null 2>&1; then
  echo "setup: installing GNU parallel (docs/scale.md recipe)" >&2
  install parallel || true
fi
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  echo "setup: installing slurm-wlm and munge (docs/scale.md's Slurm recipe, run in the tests)" >&2
  install slurm-wlm munge || true
fi
if ! command -v coqc >/dev/null 2>&1 || [ ! -d /usr/lib/ocaml/coq/user-contrib/Interval ]; then
  echo "setup: installing coq and libcoq-interval (--coq proof scripts, checked in the tests)" >&2
  install coq libcoq-interval || true
fi
# numpy, for the bundled test-impl example of an unstable argsort (examples/impls/).
if ! python3 -c "import numpy" >/dev/null 2>&1; then
  echo "setup: installing numpy (test-impl examples)" >&2
  python3 -m pip install --quiet --disable-pip-version-check numpy || true
fi
# The Python package (python/: PyO3, built by maturin; it carries the protocol adapter) and
# pytest, Hypothesis and pandas, for the package's tests (the strategy, Law.to_pandas).
# Hypothesis is pinned: docs/python.md shows the minimal example this version shrinks to.
# A stamp of the sources skips the build when nothing changed since the last install.
stamp_dir=python/target
stamp="$stamp_dir/installed-$(cat $(git ls-files src python Cargo.toml Cargo.lock 2>/dev/null || find src python -type f) | sha256sum | cut -c1-16)"
if [ ! -e "$stamp" ] || ! python3 -c "import bestofn, bestofn_protocol, pytest, pandas, hypothesis; assert hypothesis.__version__ == '6.170.27'" >/dev/null 2>&1; then
  echo "setup: building and installing the Python package bestofn (python/, about 2 minutes)" >&2
  export PIP_ROOT_USER_ACTION=ignore
  python3 -m pip install --quiet --disable-pip-version-check pytest hypothesis==6.170.27 pandas
  python3 -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./python
  mkdir -p "$stamp_dir" && rm -f "$stamp_dir"/installed-* && touch "$stamp"
fi
