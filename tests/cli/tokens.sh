# matchguard tokens: OpenToken hash-only vectors on every row, metadata counts, encryption and bad input.
source "$MATCHGUARD_TESTS/lib.sh"
V="$SHARED/data/vectors/opentoken/febrl-hash-only"

expect_exit 0 "$MG" tokens --secret-file "$(private_copy "$V/hashing_secret.txt")" "$V/input.csv" -o "$WORK/result/tokens.csv"
expect_stdout_contains "tokenised 200 rows into 1000 tokens (57 rows with invalid attributes)"
cmp "$V/expected.csv" "$WORK/result/tokens.csv" || fail "tokens differ from OpenToken's"
python3 - "$WORK/result/tokens.metadata.json" "$V/hashing_secret.txt" <<'PY' || fail "metadata"
import hashlib, json, sys
m = json.load(open(sys.argv[1]))
secret = open(sys.argv[2], "rb").read()
assert m["TotalRows"] == 200 and m["TotalRowsWithInvalidAttributes"] == 57, m
assert m["InvalidAttributesByType"] == {"BirthDate": 35, "FirstName": 10, "LastName": 2, "PostalCode": 2,
                                        "Sex": 3, "SocialSecurityNumber": 5}, m
assert m["BlankTokensByRule"] == {"T1": 47, "T2": 47, "T3": 47, "T4": 42, "T5": 15}, m
assert m["HashingSecretHash"] == hashlib.sha256(secret).hexdigest()
assert secret.decode() not in open(sys.argv[1]).read()
PY

# Encryption: same blanks, other tokens sealed (base64 of 12 + 44 + 16 bytes), key hash in the metadata.
printf '0123456789abcdef0123456789abcdef' > "$WORK/aes.key"
expect_exit 0 "$MG" tokens --secret-file "$(private_copy "$V/hashing_secret.txt")" --encrypt-key-file "$WORK/aes.key" \
  "$V/input.csv" -o "$WORK/enc.csv"
grep -q "EncryptionSecretHash" "$WORK/enc.metadata.json" || fail "no encryption key hash"
awk -F, 'NR > 1 && $2 != "0000000000000000000000000000000000000000000000000000000000000000" && length($2) != 96 \
  { bad = 1 } END { exit bad }' "$WORK/enc.csv" || fail "sealed tokens have the wrong length"

# Bad input: short secret, wrong key length, no attribute columns; no output left behind.
printf 'too-short' > "$WORK/short.key"
expect_exit 2 "$MG" tokens --secret-file "$WORK/short.key" "$V/input.csv" -o "$WORK/x.csv"
expect_stderr_contains "too short"
expect_exit 2 "$MG" tokens --secret-file "$(private_copy "$V/hashing_secret.txt")" --encrypt-key-file "$WORK/short.key" \
  "$V/input.csv" -o "$WORK/x.csv"
expect_stderr_contains "encryption key"
printf 'a,b\n1,2\n' > "$WORK/none.csv"
expect_exit 2 "$MG" tokens --secret-file "$(private_copy "$V/hashing_secret.txt")" "$WORK/none.csv" -o "$WORK/x.csv"
expect_stderr_contains "none.csv: line 1: no column is a person attribute"
expect_no_file "$WORK/x.csv"
