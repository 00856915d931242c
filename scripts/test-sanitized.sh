#!/usr/bin/env bash
# The engine and models tests again, built with AddressSanitizer and UndefinedBehaviorSanitizer
# (preset `asan`, ctest label `sanitized`). Run after scripts/test.sh, which installs what
# this needs; CI (.ci/run) runs both.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan
cmake --build --preset asan --target clade_sanitized_tests
# Any report fails the test: ASan aborts on its first error, UBSan has no recovery
# (-fno-sanitize-recover=all), and leaks found at exit count too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --preset asan -L sanitized "$@"
