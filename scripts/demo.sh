#!/usr/bin/env bash
# README command 1: install, build (release) and run the bundled example (the explorer GUI
# when a display exists, headless otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release
cmake --build --preset release --target clade
# In the explorer when a display exists, on the terminal otherwise.
exec build/release/app/clade demo "$@"
