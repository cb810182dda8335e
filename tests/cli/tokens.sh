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
# Round trip through a decryptor written to OpenToken's documented format (base64 of a 12-byte IV, the
# AES-256-GCM ciphertext of the hash-only token, and the 16-byte tag; the key is the 32 bytes given), with
# Debian's python3-cryptography, not our code: every sealed token opens to the hash-only token.
/usr/bin/python3 - "$WORK/aes.key" "$WORK/enc.csv" "$WORK/result/tokens.csv" <<'PY' || fail "sealed tokens do not decrypt to the hash-only tokens"
import base64, csv, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
aes = AESGCM(open(sys.argv[1], "rb").read())
sealed, plain = list(csv.reader(open(sys.argv[2]))), list(csv.reader(open(sys.argv[3])))
assert sealed[0] == plain[0] and len(sealed) == len(plain) > 1
opened = 0
for s, p in zip(sealed[1:], plain[1:]):  # RuleId,Token,RecordId
    assert (s[0], s[2]) == (p[0], p[2])
    if set(p[1]) == {"0"}:
        assert s[1] == p[1], "a blank token must stay blank"
        continue
    raw = base64.b64decode(s[1])
    assert aes.decrypt(raw[:12], raw[12:], None).decode() == p[1], (s, p)
    opened += 1
assert opened > 0
print(f"{opened} sealed tokens opened to their hash-only value")
PY

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
