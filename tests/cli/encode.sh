# matchguard encode: clkhash vectors bit for bit through the CLI, every output format, and bad input.
source "$MATCHGUARD_TESTS/lib.sh"
V="$SHARED/data/vectors/clkhash"

for case in febrl-doublehash febrl-blake xorfold-positional; do
  expect_exit 0 "$MG" encode --schema "$V/$case/schema.json" --secret-file "$(private_copy "$V/$case/secret.txt")" \
    "$V/$case/input.csv" -o "$WORK/$case.csv" --format csv --id-column rec_id
  # expected.csv is row,clk with 0-based rows; ours is id,clk with record ids: compare the clk column.
  diff <(cut -d, -f2 "$V/$case/expected.csv" | tail -n +2) <(cut -d, -f2 "$WORK/$case.csv" | tail -n +2) \
    || fail "$case: CLKs differ from clkhash"
done

# clkhash JSON and binary carry the same bits.
expect_exit 0 "$MG" encode --schema "$V/febrl-blake/schema.json" --secret-file "$(private_copy "$V/febrl-blake/secret.txt")" \
  "$V/febrl-blake/input.csv" -o "$WORK/blake.json"
expect_stdout_contains "encoded 300 of 300 records (0 skipped) as 1024-bit clkhash-json"
python3 - "$WORK/blake.json" "$V/febrl-blake/expected.csv" <<'PY' || fail "clkhash JSON differs"
import json, sys, csv
clks = json.load(open(sys.argv[1]))["clks"]
expected = [r["clk"] for r in csv.DictReader(open(sys.argv[2]))]
sys.exit(0 if clks == expected else 1)
PY
expect_exit 0 "$MG" encode --schema "$V/febrl-blake/schema.json" --secret-file "$(private_copy "$V/febrl-blake/secret.txt")" \
  "$V/febrl-blake/input.csv" -o "$WORK/blake.bin" --format binary
[ "$(head -c 8 "$WORK/blake.bin")" = "MGCLK001" ] || fail "binary magic"
[ "$(stat -c %s "$WORK/blake.bin")" -eq $((24 + 300 * 128)) ] || fail "binary size"

# The secret from an environment variable gives the same output.
export MG_TEST_SECRET="$(cat "$V/febrl-blake/secret.txt")"
expect_exit 0 "$MG" encode --schema "$V/febrl-blake/schema.json" --secret-env MG_TEST_SECRET \
  "$V/febrl-blake/input.csv" -o "$WORK/blake-env.json"
cmp -s "$WORK/blake.json" "$WORK/blake-env.json" || fail "--secret-env differs from --secret-file"

# Secrets: none, empty, short, unreadable, unset: exit 2, no output, and the secret never printed.
S="$V/febrl-blake/schema.json"; IN="$V/febrl-blake/input.csv"
expect_exit 2 "$MG" encode --schema "$S" "$IN" -o "$WORK/x.json"
expect_stderr_contains "secrets are never taken from the command line"
printf '' > "$WORK/empty.key"
expect_exit 2 "$MG" encode --schema "$S" --secret-file "$WORK/empty.key" "$IN" -o "$WORK/x.json"
expect_stderr_contains "is empty"
printf 'short-secret' > "$WORK/short.key"
expect_exit 2 "$MG" encode --schema "$S" --secret-file "$WORK/short.key" "$IN" -o "$WORK/x.json"
expect_stderr_contains "too short: 12 bytes, at least 16"
grep -q "short-secret" "$WORK/err" && fail "the secret appeared in an error"
expect_exit 2 "$MG" encode --schema "$S" --secret-file "$WORK/missing.key" "$IN" -o "$WORK/x.json"
expect_stderr_contains "missing.key"
expect_exit 2 "$MG" encode --schema "$S" --secret-env MG_NO_SUCH_VARIABLE "$IN" -o "$WORK/x.json"
expect_stderr_contains "MG_NO_SUCH_VARIABLE is not set"
expect_no_file "$WORK/x.json"
printf 'a-long-enough-secret-value' > "$WORK/good.key"

# Bad schemas: malformed JSON, unknown version, unknown field type.
printf '{"version": 3, "clkConfig": ' > "$WORK/bad.json"
expect_exit 2 "$MG" encode --schema "$WORK/bad.json" --secret-file "$WORK/good.key" "$IN" -o "$WORK/x.json"
expect_stderr_contains "bad.json: the schema is not valid JSON"
sed 's/"version": 3/"version": 7/' "$S" > "$WORK/v7.json"
expect_exit 2 "$MG" encode --schema "$WORK/v7.json" --secret-file "$WORK/good.key" "$IN" -o "$WORK/x.json"
expect_stderr_contains "unsupported schema version 7"
sed '0,/"type": "string"/s//"type": "colour"/' "$S" > "$WORK/type.json"
expect_exit 2 "$MG" encode --schema "$WORK/type.json" --secret-file "$WORK/good.key" "$IN" -o "$WORK/x.json"
expect_stderr_contains "features[1] 'given_name': format.type: unknown feature type 'colour'"
expect_no_file "$WORK/x.json"

# A header that does not match the schema.
sed '1s/surname/family_name/' "$IN" > "$WORK/header.csv"
expect_exit 2 "$MG" encode --schema "$S" --secret-file "$WORK/good.key" "$WORK/header.csv" -o "$WORK/x.json"
expect_stderr_contains "header.csv: line 1, column 3: the header says 'family_name' but the schema expects 'surname'"
expect_no_file "$WORK/x.json"

# A value breaking its format: fail names line and field but not the value; skip writes a report.
sed '3s/,4560,/,45X60,/' "$IN" > "$WORK/badvalue.csv"
expect_exit 2 "$MG" encode --schema "$S" --secret-file "$WORK/good.key" "$WORK/badvalue.csv" -o "$WORK/x.json"
expect_stderr_contains "badvalue.csv: line 3 (row 2), field 'postcode': expected a base-10 integer"
grep -q "45X60" "$WORK/err" && fail "the raw value appeared in an error"
expect_no_file "$WORK/x.json"
expect_exit 0 "$MG" encode --schema "$S" --secret-file "$WORK/good.key" "$WORK/badvalue.csv" -o "$WORK/skip.json" \
  --on-error skip
expect_stdout_contains "encoded 299 of 300 records (1 skipped)"
expect_file "$WORK/skip.json.skipped.csv"
grep -q "^2,3,postcode,expected a base-10 integer" "$WORK/skip.json.skipped.csv" || fail "skip report content"
grep -q "45X60" "$WORK/skip.json.skipped.csv" && fail "the raw value appeared in the skip report"

# Field-level filters: one file per hashed feature.
expect_exit 0 "$MG" encode --schema "$S" --secret-file "$WORK/good.key" "$IN" -o "$WORK/fl.bin" --format binary \
  --field-level --field-bits given_name=256
expect_file "$WORK/fl.bin.given_name"
[ "$(stat -c %s "$WORK/fl.bin.given_name")" -eq $((24 + 300 * 32)) ] || fail "field-level given_name size"
[ "$(stat -c %s "$WORK/fl.bin.surname")" -eq $((24 + 300 * 128)) ] || fail "field-level surname size"

# Hardening: balanced filters double the length with exactly half the bits set.
expect_exit 0 "$MG" encode --schema "$S" --secret-file "$WORK/good.key" "$IN" -o "$WORK/bal.csv" --format csv --balanced
expect_stdout_contains "as 2048-bit csv"
python3 - "$WORK/bal.csv" <<'PY' || fail "balanced filters are not half set"
import base64, csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ok = all(sum(bin(b).count("1") for b in base64.b64decode(r["clk"])) == 1024 for r in rows)
sys.exit(0 if ok and len(rows) == 300 else 1)
PY

# A secret others can read is refused (as ssh refuses a loose private key), naming the mend; nothing written.
cp "$V/febrl-blake/secret.txt" "$WORK/loose.key" && chmod 644 "$WORK/loose.key"
expect_exit 2 "$MG" encode --schema "$V/febrl-blake/schema.json" --secret-file "$WORK/loose.key" \
  "$V/febrl-blake/input.csv" -o "$WORK/loose.json"
expect_stderr_contains "is accessible by others (mode 0644)"
expect_stderr_contains "chmod 600 $WORK/loose.key"
expect_no_file "$WORK/loose.json"
expect_exit 2 "$MG" tokens --secret-file "$WORK/loose.key" "$V/febrl-blake/input.csv" -o "$WORK/loose_tokens.csv"
expect_stderr_contains "chmod 600"
chmod 600 "$WORK/loose.key"
expect_exit 0 "$MG" encode --schema "$V/febrl-blake/schema.json" --secret-file "$WORK/loose.key" \
  "$V/febrl-blake/input.csv" -o "$WORK/tight.json"

# --salt-column mixes the salt into every token: two records one birth-year apart are near-identical CLKs
# without it and far apart with it, while a different day in the same year (same salt) stays close. This
# fails if the salt did nothing.
D="$V/febrl-doublehash"
{
  head -1 "$D/input.csv"
  echo "r1,michaela,neumann,8,stanley street,miami,winston hills,4223,nsw,19151111,5304218"
  echo "r2,michaela,neumann,8,stanley street,miami,winston hills,4223,nsw,19161111,5304218"
  echo "r3,michaela,neumann,8,stanley street,miami,winston hills,4223,nsw,19151112,5304218"
} >"$WORK/salt.csv"
for mode in plain salted; do
  salt=(); [ $mode = salted ] && salt=(--salt-column date_of_birth --salt-chars 4)
  expect_exit 0 "$MG" encode --schema "$D/schema.json" --secret-file "$(private_copy "$D/secret.txt")" "$WORK/salt.csv" \
    -o "$WORK/salt_$mode.csv" --format csv --id-column rec_id "${salt[@]}"
done
python3 - "$WORK/salt_plain.csv" "$WORK/salt_salted.csv" <<'PY' || fail "--salt-column did not salt"
import base64, csv, sys
def dice(path):
    c = [int.from_bytes(base64.b64decode(r["clk"]), "big") for r in csv.DictReader(open(path))]
    d = lambda x, y: 2 * (x & y).bit_count() / (x.bit_count() + y.bit_count())
    return d(c[0], c[1]), d(c[0], c[2])
plain, salted = dice(sys.argv[1]), dice(sys.argv[2])
print("dice other year / same year: plain %.3f / %.3f, salted %.3f / %.3f" % (plain + salted))
sys.exit(0 if plain[0] > 0.85 and salted[0] < 0.7 and salted[1] > 0.85 else 1)
PY
