# Helpers for the end-to-end tests in tests/cli/. Source it; every failure exits non-zero with a reason.
set -euo pipefail
MG=${MATCHGUARD:?set MATCHGUARD to the matchguard binary}
SHARED=${MATCHGUARD_SHARED_DIR:?set MATCHGUARD_SHARED_DIR}
# Files the tests write (secrets among them) are their owner's only, as the tool demands of a secret.
umask 077
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
# private_copy FILE: a copy of a (read-only, shared) secret that only its owner can read, as the tool
# demands of a secret file; prints the copy's path.
private_copy() {
  local dst="$WORK/keys/$(basename "$(dirname "$1")")-$(basename "$1")"
  mkdir -p "$WORK/keys"
  cp "$1" "$dst"
  chmod 600 "$dst"
  echo "$dst"
}
expect_file() { [ -s "$1" ] || fail "$1 is missing or empty"; }

# febrl4_truth OUT: the FEBRL4 truth as left_id,right_id (rec-N-org in 4a is rec-N-dup-0 in 4b).
febrl4_truth() {
  awk -F', *' 'NR > 1 { split($1, p, "-"); print p[2] "," $1 }' "$SHARED/data/febrl/dataset4a.csv" | sort -t, -k1,1 >"$WORK/ta"
  awk -F', *' 'NR > 1 { split($1, p, "-"); print p[2] "," $1 }' "$SHARED/data/febrl/dataset4b.csv" | sort -t, -k1,1 >"$WORK/tb"
  { echo "left_id,right_id"; join -t, "$WORK/ta" "$WORK/tb" | cut -d, -f2,3; } >"$1"
  [ "$(wc -l <"$1")" -eq 5001 ] || fail "FEBRL4 truth should have 5000 pairs"
}

# blocking_figures: the reduction ratio and pairs completeness `match` printed last, into $rr and $pc.
blocking_figures() {
  local line
  line=$(grep -E 'reduction ratio [0-9.]+, pairs completeness [0-9.]+' "$WORK/out") || fail "blocking figures missing"
  rr=$(sed -E 's/.*reduction ratio ([0-9.]+).*/\1/' <<<"$line")
  pc=$(sed -E 's/.*pairs completeness ([0-9.]+).*/\1/' <<<"$line")
}
