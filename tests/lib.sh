# Helpers for the end-to-end tests in tests/cli/. Source it; every failure exits non-zero with a reason.
set -euo pipefail
MG=${MATCHGUARD:?set MATCHGUARD to the matchguard binary}
SHARED=${MATCHGUARD_SHARED_DIR:?set MATCHGUARD_SHARED_DIR}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE CMD...: runs CMD, captures stdout/stderr into $WORK/out and $WORK/err, checks the code.
expect_exit() {
  local want=$1; shift
  set +e
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  set -e
  [ "$got" -eq "$want" ] || { cat "$WORK/out" "$WORK/err" >&2; fail "'$*' exited $got, expected $want"; }
}
expect_stdout_contains() { grep -qF -- "$1" "$WORK/out" || { cat "$WORK/out" >&2; fail "stdout lacks '$1'"; }; }
expect_stderr_contains() { grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; fail "stderr lacks '$1'"; }; }
expect_no_file() { [ ! -e "$1" ] || fail "$1 exists but the run failed"; ls -a "$(dirname "$1")" | grep -q '\.tmp-' && fail "a temporary file was left in $(dirname "$1")"; return 0; }
expect_file() { [ -s "$1" ] || fail "$1 is missing or empty"; }
