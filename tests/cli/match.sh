# `matchguard match`: result shapes, greedy solving, multi-party groups, and bad input (exit 2, no output).
source "$MATCHGUARD_TESTS/lib.sh"

# Encodings written by hand: base64 of 8-byte (64-bit) rows.
row() { printf "$1" | base64 -w0; }
{
  echo "id,clk"
  echo "a1,$(row '\xff\xff\x00\x00\x00\x00\x00\x00')"   # 16 bits set
  echo "a2,$(row '\x00\x00\xff\xff\x00\x00\x00\x00')"
  echo "a3,$(row '\x00\x00\x00\x00\x00\x00\x0f\x0f')"
} >"$WORK/left.csv"
{
  echo "id,clk"
  echo "b1,$(row '\x00\x00\xff\xfe\x00\x00\x00\x00')"   # a2 minus one bit: Dice 30/31
  echo "b2,$(row '\xff\xff\x00\x00\x00\x00\x00\x00')"   # equal to a1: Dice 1
  echo "b3,$(row '\xff\xf0\x00\x00\x00\x00\x00\x00')"   # 12 of a1's bits: Dice 24/28, but a1 is taken by b2
} >"$WORK/right.csv"

expect_exit 0 "$MG" match "$WORK/left.csv" "$WORK/right.csv" -o "$WORK/pairs.csv" --threshold 0.8
expect_stdout_contains "3 x 3 64-bit encodings"
cat >"$WORK/want.csv" <<'CSV'
left_id,right_id,similarity
a1,b2,1
a2,b1,0.967741935483871
CSV
diff "$WORK/want.csv" "$WORK/pairs.csv" || fail "greedy links differ"

# --solve none lists every candidate, best first (anonlink's order).
expect_exit 0 "$MG" match "$WORK/left.csv" "$WORK/right.csv" -o "$WORK/all.csv" --threshold 0.8 --solve none
cat >"$WORK/want_all.csv" <<'CSV'
left_id,right_id,similarity
a1,b2,1
a2,b1,0.967741935483871
a1,b3,0.8571428571428571
CSV
diff "$WORK/want_all.csv" "$WORK/all.csv" || fail "candidates differ"

# The entity service's shapes.
expect_exit 0 "$MG" match "$WORK/left.csv" "$WORK/right.csv" -o "$WORK/scores.json" --threshold 0.8 --solve none
grep -qF '{"similarity_scores": [[[0, 0], [1, 1], 1], [[0, 1], [1, 0], 0.967741935483871], [[0, 0], [1, 2], 0.8571428571428571]]}' \
  "$WORK/scores.json" || { cat "$WORK/scores.json"; fail "similarity_scores JSON"; }
expect_exit 0 "$MG" match "$WORK/left.csv" "$WORK/right.csv" -o "$WORK/groups.json" --threshold 0.8 --result groups
grep -qF '{"groups": [[[0, 0], [1, 1]], [[0, 1], [1, 0]]]}' "$WORK/groups.json" || { cat "$WORK/groups.json"; fail "groups JSON"; }
expect_exit 0 "$MG" match "$WORK/left.csv" "$WORK/right.csv" -o "$WORK/perm.json" --threshold 0.8 \
  --result permutations --seed 7
python3 - "$WORK/perm.json" <<'PY' || fail "permutations do not put linked records at one masked position"
import json, sys
r = json.load(open(sys.argv[1]))
p0, p1, mask = r["permutations"][0]["permutation"], r["permutations"][1]["permutation"], r["mask"]
assert sorted(p0) == list(range(3)) and sorted(p1) == list(range(3)) and sum(mask) == 2
assert p0[0] == p1[1] and mask[p0[0]] == 1      # a1 - b2
assert p0[1] == p1[0] and mask[p0[1]] == 1      # a2 - b1
assert mask[p0[2]] == 0 and mask[p1[2]] == 0
PY

# Three parties: the same entity in all three forms one group. Members are listed as anonlink does: the
# first pair (A0, B1) forms the group, C0 joins when its last cross pair (B1, C0) has been seen.
expect_exit 0 "$MG" match "$WORK/left.csv" "$WORK/right.csv" "$WORK/left.csv" -o "$WORK/g3.json" --threshold 0.8 \
  --result groups
grep -qF '{"groups": [[[0, 0], [1, 1], [2, 0]], [[0, 1], [2, 1], [1, 0]], [[0, 2], [2, 2]]]}' "$WORK/g3.json" || { cat "$WORK/g3.json"; fail "three-party group"; }
expect_exit 0 "$MG" match "$WORK/left.csv" "$WORK/right.csv" "$WORK/left.csv" -o "$WORK/s3.csv" --threshold 0.8
head -1 "$WORK/s3.csv" | grep -qx 'party_a,id_a,party_b,id_b,similarity' || fail "multi-party header"

# --- bad input: exit 2, a clear message naming the file, no output file ---
{ echo "id,clk"; echo "x1,$(row '\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00')"; } >"$WORK/long.csv"
expect_exit 2 "$MG" match "$WORK/left.csv" "$WORK/long.csv" -o "$WORK/out.csv" --threshold 0.8
expect_stderr_contains "long.csv: encodings have 128 bits but"
expect_stderr_contains "64-bit encodings"
expect_no_file "$WORK/out.csv"

{ echo "id,clk"; echo "x1,$(row '\xff\xff\x00\x00\x00\x00\x00\x00')"; echo "x2,@@not base64@@"; } >"$WORK/corrupt.csv"
expect_exit 2 "$MG" match "$WORK/left.csv" "$WORK/corrupt.csv" -o "$WORK/out.csv" --threshold 0.8
expect_stderr_contains "corrupt.csv"
expect_stderr_contains "base64"
expect_no_file "$WORK/out.csv"

# MGCLK001, 64 bits, flags 0, count 3, but only one row present.
printf 'MGCLK001\x40\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00' \
  >"$WORK/short.bin"
expect_exit 2 "$MG" match "$WORK/left.csv" "$WORK/short.bin" -o "$WORK/out.csv" --threshold 0.8
expect_stderr_contains "short.bin"
expect_no_file "$WORK/out.csv"

for t in 0 -0.5 1.01; do
  expect_exit 2 "$MG" match "$WORK/left.csv" "$WORK/right.csv" -o "$WORK/out.csv" --threshold "$t"
  expect_stderr_contains "outside (0, 1]"
  expect_no_file "$WORK/out.csv"
done
expect_exit 2 "$MG" match "$WORK/left.csv" "$WORK/missing.csv" -o "$WORK/out.csv" --threshold 0.8
expect_stderr_contains "missing.csv"
expect_no_file "$WORK/out.csv"
expect_exit 2 "$MG" match "$WORK/left.csv" -o "$WORK/out.csv" --threshold 0.8
expect_exit 2 "$MG" match "$WORK/left.csv" "$WORK/right.csv" "$WORK/left.csv" -o "$WORK/out.json" --threshold 0.8 \
  --result permutations
expect_stderr_contains "exactly two parties"
expect_no_file "$WORK/out.json"
expect_exit 2 "$MG" match "$WORK/left.csv" "$WORK/right.csv" -o "$WORK/out.json" --threshold 0.8 --result groups \
  --solve none
expect_no_file "$WORK/out.json"
echo "match: ok"
