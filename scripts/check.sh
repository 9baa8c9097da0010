#!/usr/bin/env bash
# Every check, the one command CI runs: formatting, clippy (warnings are errors), tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
