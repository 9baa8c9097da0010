#!/usr/bin/env bash
# Installs what wand needs beyond the Rust toolchain. Safe to re-run.
# Today that is nothing: the simulation, camera and CLI are pure Rust. The viewer and
# the peer benchmarks (wand bench --compare, which installs its own venv) add theirs.
set -euo pipefail
command -v cargo >/dev/null || { echo "setup: cargo is missing; install Rust (rustup)" >&2; exit 1; }
echo "setup: $(cargo --version); nothing else to install"
