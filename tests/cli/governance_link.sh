# A real governed link (generated people) under the demo agreement: the output holds only released
# columns, the run is audited, its hits are raw cases, and no raw identifier of the inputs (names, dates of
# birth, SSNs, streets, phones, MBIs) appears anywhere in the audit log.
source "$MATCHGUARD_TESTS/lib.sh"
cd "$WORK"
expect_exit 0 "$MG" generate --people 300 --out "$WORK" --seed 7 -q
expect_exit 0 "$MG" agreement init -o A.toml
expect_exit 0 "$MG" audit keygen -o keys
expect_exit 0 "$MG" link left.csv right.csv -o hits.csv --one-to-one --agreement A.toml
[ "$(head -n 1 hits.csv)" = "left_id,right_id,match_probability,left_mbi,status" ] ||
  fail "released columns are $(head -n 1 hits.csv)"
HITS=$(($(wc -l <hits.csv) - 1))
[ "$HITS" -gt 100 ] || fail "only $HITS hits"
expect_exit 0 "$MG" audit verify audit.log --public-key keys/audit_ed25519.pub.pem
expect_exit 0 "$MG" cases list --agreement A.toml --state raw
[ "$(wc -l <"$WORK/out")" -eq "$HITS" ] || fail "expected $HITS raw cases"
SUBJECT=$(sed -n 2p hits.csv | cut -d, -f1)
expect_exit 0 "$MG" audit accounting audit.log --subject "$SUBJECT" --public-key keys/audit_ed25519.pub.pem
expect_stdout_contains "1 disclosure(s)"
expect_stdout_contains "fields: left.id, right.id, match_probability, left.mbi"

# Every value of the identifying columns of both inputs, searched for in the log with hex hashes and
# signatures taken out (a short value could otherwise match inside one by chance).
{
  awk -F, 'NR>1 {for (i = 2; i <= 8; ++i) print $i; print $12; print $13}' left.csv
  awk -F, 'NR>1 {print $2; print $3; print $4; print $6; print $7}' right.csv
} | awk 'length($0) >= 4' | sort -u >values
[ "$(wc -l <values)" -gt 1000 ] || fail "too few input values to scan for"
sed -E 's/[0-9a-f]{16,}//g' audit.log >scrubbed
if grep -F -f values scrubbed >leaks; then fail "input values in the audit log: $(head -c 200 leaks)"; fi
echo "governed link audit: ok ($HITS hits)"
