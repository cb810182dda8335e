# Zero-configuration linkage accuracy on both generator profiles (issue 11), one-to-one, default threshold:
# precision and F1 floors at 10k and 100k people, and the guard against a degenerate EM solution. The
# `registry` profile plants dense common names (many people with one full name inside one 3-digit ZIP),
# the population on which EM once called every name-blocked pair a match and precision fell to 0.73.
# Also checks that the model's estimate of its false-match rate is never optimistic by more than a factor
# of 2 (nor more than 4 times too cautious), that no warning is raised on this healthy data, and that a
# different date of birth or SSN still costs at least 5 bits (the collapsed model made them nearly free;
# EM populations holding look-alikes made them cost 4; the evidence anchors give 6 to 9).
# The floors are today's figures less a margin, so a regression fails. The agency profile meets issue
# 11's targets (precision and F1 >= 0.995); the registry profile's floors are below them on purpose,
# because there they are not met yet (see bench/link/README.md).
source "$MATCHGUARD_TESTS/lib.sh"

# json_number FILE KEY: the first numeric value of "KEY" in a JSON file.
json_number() { tr -d ' \n' <"$1" | sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p"; }

check_profile() {
  local profile=$1 people=$2 min_precision=$3 min_f1=$4
  local dir="$WORK/$profile-$people"
  expect_exit 0 "$MG" generate --profile "$profile" --people "$people" --seed 7 --out "$dir" -q
  expect_exit 0 "$MG" link "$dir/left.csv" "$dir/right.csv" -o "$dir/pairs.csv" --one-to-one \
    --json-summary "$dir/summary.json" --save-model "$dir/model.json"
  expect_exit 0 "$MG" explain "$dir/model.json"
  for field in dob ssn; do
    local w
    w=$(awk -v f="$field" '$1 == f && $2 == "exact" { on = 1 } on && $1 == "else" { print $NF; exit }' "$WORK/out")
    [ -n "$w" ] || fail "$profile $people: no else level for $field in explain"
    awk -v w="$w" 'BEGIN { exit !(w <= -5) }' || fail "$profile $people: a different $field weighs only $w bits"
  done
  expect_exit 0 "$MG" evaluate "$dir/pairs.csv" "$dir/truth.csv" --json
  cp "$WORK/out" "$dir/eval.json"
  local precision recall f1 links estimated measured
  precision=$(json_number "$dir/eval.json" precision)
  recall=$(json_number "$dir/eval.json" recall)
  f1=$(json_number "$dir/eval.json" f1)
  [ -n "$precision" ] && [ -n "$f1" ] || fail "no precision/f1 in $(cat "$dir/eval.json")"
  estimated=$(json_number "$dir/summary.json" false_match_rate)
  measured=$(awk -v p="$precision" 'BEGIN { printf "%.6f", 1 - p }')
  echo "$profile $people: precision $precision recall $recall F1 $f1; false-match rate measured $measured, estimated $estimated"
  awk -v p="$precision" -v m="$min_precision" 'BEGIN { exit !(p >= m) }' ||
    fail "$profile $people: precision $precision < $min_precision (EM collapsed? $(grep -A3 '"warnings"' "$dir/summary.json"))"
  awk -v f="$f1" -v m="$min_f1" 'BEGIN { exit !(f >= m) }' || fail "$profile $people: F1 $f1 < $min_f1"
  # Healthy data: no training population rejected, no warning.
  grep -q '"warnings": \[\]' "$dir/summary.json" || fail "$profile $people: warnings on healthy data: $(cat "$dir/summary.json")"
  # The estimate is honest: never below half the measured rate, never above four times it (unless both
  # are below 0.002).
  awk -v e="$estimated" -v m="$measured" 'BEGIN { exit !((e < 0.002 && m < 0.002) || (e <= 4 * m && m <= 2 * e)) }' ||
    fail "$profile $people: estimated false-match rate $estimated vs measured $measured"
}

check_profile agency 10000 0.995 0.995
check_profile registry 10000 0.992 0.985
check_profile agency 100000 0.995 0.995
check_profile registry 100000 0.992 0.985

# Dedupe: pairwise precision and F1 of the clusters (a look-alike link must not chain two people).
check_dedupe() {
  local profile=$1 people=$2 min_precision=$3 min_f1=$4
  local dir="$WORK/dedupe-$profile-$people"
  expect_exit 0 "$MG" generate --profile "$profile" --people "$people" --dedupe --seed 7 --out "$dir" -q
  expect_exit 0 "$MG" dedupe "$dir/records.csv" -o "$dir/clusters.csv"
  expect_exit 0 "$MG" evaluate "$dir/clusters.csv" "$dir/truth.csv" --json
  local precision f1
  precision=$(json_number "$WORK/out" precision)
  f1=$(json_number "$WORK/out" f1)
  echo "dedupe $profile $people: precision $precision F1 $f1"
  awk -v p="$precision" -v m="$min_precision" 'BEGIN { exit !(p >= m) }' ||
    fail "dedupe $profile $people: precision $precision < $min_precision"
  awk -v f="$f1" -v m="$min_f1" 'BEGIN { exit !(f >= m) }' || fail "dedupe $profile $people: F1 $f1 < $min_f1"
}

check_dedupe agency 10000 0.997 0.998
check_dedupe registry 10000 0.92 0.955
