#!/usr/bin/env bash
# README command 2: install, build (warnings are errors) and run every test, slow ones too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
cmake --preset ci
cmake --build --preset ci
ctest --preset ci "$@"
