#!/usr/bin/env bash
# README command 1: install, build (release) and run the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release
cmake --build --preset release --target clade
exec build/release/app/clade demo --headless "$@"
