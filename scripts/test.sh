#!/usr/bin/env bash
# Install what is missing, build, and run every test through ctest: once in a normal build (build/,
# warnings are errors) and once with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/).
# The last line is always "test: N passed, M failed" (both passes together); CI parses it.
# A build that fails counts as one failed test, so the line never hides a broken build.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/test.sh [--no-asan] [--no-install] [-R REGEX]

  --no-asan      skip the sanitizer pass (build-asan/)
  --no-install   do not install missing Debian packages
  -R REGEX       run only the tests whose name matches REGEX (passed to ctest)
  -h, --help     show this help

Environment: BUILD_DIR (default build), ASAN_BUILD_DIR (default build-asan),
ASAN_BUILD_TYPE (default RelWithDebInfo), CTEST_JOBS (default 2).
EOF
}

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_asan=1
install=1
ctest_filter=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --no-asan) run_asan=0 ;;
    --no-install) install=0 ;;
    -R)
      [[ $# -ge 2 ]] || { usage >&2; exit 2; }
      ctest_filter=(-R "$2")
      shift
      ;;
    -R?*) ctest_filter=(-R "${1#-R}") ;;
    -h | --help) usage; exit 0 ;;
    *) skinny_log "unknown option: $1"; usage >&2; exit 2 ;;
  esac
  shift
done

cd "$SKINNY_ROOT"
build_dir=$(realpath -m "${BUILD_DIR:-build}")
asan_dir=$(realpath -m "${ASAN_BUILD_DIR:-build-asan}")
start=$SECONDS

if [[ $install -eq 1 ]]; then
  skinny_install_missing
fi

# A private runtime directory: Qt wants one (mode 0700), and nothing the tests leave behind outlives us.
XDG_RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/skinny-test.XXXXXX")
chmod 0700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
trap 'rm -rf "$XDG_RUNTIME_DIR"' EXIT

total_passed=0
total_failed=0
failures=()

# run_pass NAME DIR [CMAKE_ARGS...]: build DIR and run its tests, adding to the totals.
run_pass() {
  local name=$1 dir=$2
  shift 2
  local t0=$SECONDS
  skinny_log "=== $name pass: $dir ==="
  if ! skinny_configure_and_build "$dir" "$@"; then
    skinny_log "$name build FAILED (counted as 1 failed test)"
    total_failed=$((total_failed + 1))
    failures+=("$name build")
    return 0
  fi
  local log="$dir/ctest.log" rc=0
  (cd "$dir" && ctest --output-on-failure --no-tests=error -j "${CTEST_JOBS:-2}" "${ctest_filter[@]}") 2>&1 \
    | tee "$log" || rc=$?
  # ctest ends with "NN% tests passed, F tests failed out of T".
  local summary passed failed
  summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
  if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=${BASH_REMATCH[1]}
    passed=$((BASH_REMATCH[2] - failed))
  else
    skinny_log "$name: ctest printed no summary (exit $rc); counted as 1 failed test"
    passed=0
    failed=1
  fi
  if [[ $rc -ne 0 && $failed -eq 0 ]]; then
    failed=1 # ctest failed without a failing test (e.g. no tests matched): still a failure
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [[ $failed -eq 0 ]] || failures+=("$name tests ($failed)")
  skinny_log "$name pass: $passed passed, $failed failed in $((SECONDS - t0)) s"
}

run_pass normal "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSKINNY_WERROR=ON -DSKINNY_SANITIZE=OFF

if [[ $run_asan -eq 1 ]]; then
  # Qt's own allocations still live at exit are noise to LeakSanitizer, so leaks are not checked.
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_pass sanitizer "$asan_dir" -DCMAKE_BUILD_TYPE="${ASAN_BUILD_TYPE:-RelWithDebInfo}" \
    -DSKINNY_SANITIZE=ON -DSKINNY_WERROR=OFF -DSKINNY_BUILD_BENCH=OFF
fi

summary="finished in $((SECONDS - start)) s"
if [[ ${#failures[@]} -gt 0 ]]; then
  summary+="; failed:$(printf ' [%s]' "${failures[@]}")"
fi
skinny_log "$summary"
echo "test: $total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
