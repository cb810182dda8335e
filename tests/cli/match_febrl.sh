# Accuracy on FEBRL4 (5,000 x 5,000, each original with one perturbed duplicate), encoded without the SSN
# with clkhash's tutorial schema (docs/_static/febrl_schema_v3_final.json, our own secret), threshold 0.8,
# greedy solving: at least clkhash + anonlink's published precision 1.000 and recall 0.992.
source "$MATCHGUARD_TESTS/lib.sh"
F="$SHARED/data/febrl"
cat >"$WORK/schema.json" <<'JSON'
{
  "version": 3,
  "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "hash": "SHA256", "info": "c2NoZW1hX2V4YW1wbGU=",
    "salt": "SCbL2zHNnmsckfzchsNkZY9XoHk96P/G5nUBrM7ybymlEFsMV6PAeDZCNp3rfNUPCtLDMOGQHG4pCQpfhiHCyA==", "keySize": 64}},
  "features": [
    {"identifier": "rec_id", "ignored": true},
    {"identifier": "given_name", "format": {"type": "string", "encoding": "utf-8", "maxLength": 64}, "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 200}, "hash": {"type": "doubleHash"}}},
    {"identifier": "surname", "format": {"type": "string", "encoding": "utf-8", "maxLength": 64}, "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 200}, "hash": {"type": "doubleHash"}}},
    {"identifier": "street_number", "format": {"type": "integer"}, "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": true}, "strategy": {"bitsPerFeature": 100}, "missingValue": {"sentinel": ""}}},
    {"identifier": "address_1", "format": {"type": "string", "encoding": "utf-8"}, "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 100}}},
    {"identifier": "address_2", "format": {"type": "string", "encoding": "utf-8"}, "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 100}}},
    {"identifier": "suburb", "format": {"type": "string", "encoding": "utf-8"}, "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 100}}},
    {"identifier": "postcode", "format": {"type": "integer", "minimum": 50, "maximum": 9999}, "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": true}, "strategy": {"bitsPerFeature": 100}}},
    {"identifier": "state", "format": {"type": "string", "encoding": "utf-8"}, "hashing": {"comparison": {"type": "ngram", "n": 2, "positional": true}, "strategy": {"bitsPerFeature": 100}, "missingValue": {"sentinel": ""}}},
    {"identifier": "date_of_birth", "format": {"type": "integer"}, "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": true}, "strategy": {"bitsPerFeature": 200}, "missingValue": {"sentinel": ""}}},
    {"identifier": "soc_sec_id", "ignored": true}
  ]
}
JSON
printf 'matchguard-febrl4-test-secret' >"$WORK/secret"
# Left as clkhash JSON (no ids: rows), right as id,clk CSV: both readers take part.
expect_exit 0 "$MG" encode --schema "$WORK/schema.json" --secret-file "$WORK/secret" "$F/dataset4a.csv" -o "$WORK/a.json" -q
expect_exit 0 "$MG" encode --schema "$WORK/schema.json" --secret-file "$WORK/secret" "$F/dataset4b.csv" -o "$WORK/b.csv" \
  --format csv --id-column rec_id -q
expect_exit 0 "$MG" match "$WORK/a.json" "$WORK/b.csv" -o "$WORK/pairs.csv" --threshold 0.8
# Row r of dataset4a is line r + 2 of the file; a true pair shares the entity number N of rec-N-...
awk -F', *' 'NR > 1 { split($1, p, "-"); print NR - 2, p[2] }' "$F/dataset4a.csv" | sort -k1,1 >"$WORK/left_entity"
awk -F, 'NR > 1 { split($2, p, "-"); print $1, p[2] }' "$WORK/pairs.csv" | sort -k1,1 >"$WORK/pair_entity"
join "$WORK/left_entity" "$WORK/pair_entity" | awk '{ if ($2 == $3) tp++; else fp++ }
  END { printf "tp %d fp %d precision %.4f recall %.4f\n", tp, fp, tp / (tp + fp), tp / 5000
        if (fp != 0 || tp < 4960) exit 1 }' || fail "FEBRL4 accuracy below precision 1.000 / recall 0.992"
echo "match_febrl: ok"
