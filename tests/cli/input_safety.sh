# Issue 18, input safety: record ids are keys (repeated, empty, control-character and formula-like ids are
# refused by every command that keys on them, named by line, never echoed), released values are checked
# against their type and neutralised for spreadsheets, options that need another are refused, and input
# limits stop hostile files with a message naming the limit.
source "$MATCHGUARD_TESTS/lib.sh"
cd "$WORK"
expect_exit 0 "$MG" generate --people 400 --out data --seed 5 -q
head -1 data/left.csv >hdr
# dup.csv: the row of line 3 again at line 5 (as in the wrong-person release of the issue).
{ cat hdr; sed -n 2,4p data/left.csv; sed -n 3p data/left.csv; sed -n 5,60p data/left.csv; } >dup.csv
id3=$(sed -n 3p dup.csv | cut -d, -f1)

# 1. Repeated ids: refused by link, dedupe, plan and train, naming the file, the lines and the rule.
for cmd in "link dup.csv data/right.csv -o out.csv" "link data/right.csv dup.csv -o out.csv" "dedupe dup.csv -o out.csv" \
           "plan dup.csv" "train dup.csv data/right.csv --save-model out.csv"; do
  # shellcheck disable=SC2086
  expect_exit 2 "$MG" $cmd
  expect_stderr_contains "dup.csv: column 1 (record_id): bad record ids: line 5 repeats the id of line 3"
  expect_stderr_contains "ids are keys and must be unique"
  grep -qF -- "$id3" "$WORK/err" && fail "the repeated id itself was echoed"
  expect_no_file out.csv
done
# inspect reports them instead of refusing.
expect_exit 0 "$MG" inspect dup.csv
expect_stdout_contains "record ids: 1 repeated, 0 empty, 0 with control characters, 0 formula-like"
expect_exit 0 "$MG" inspect dup.csv --json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["record_ids"]; assert r["repeated"]==1 and "line 5" in r["problem"], r' "$WORK/out" \
  || fail "inspect --json lacks the repeated id"

# Empty, control-character and formula-like ids.
{ cat hdr; sed -n 2,30p data/left.csv; } >base.csv
{ cat hdr; sed -n 2,3p data/left.csv; sed -n 4p data/left.csv | sed 's/^[^,]*,/,/'; sed -n 5,30p data/left.csv; } >empty.csv
{ cat hdr; sed -n 2,3p data/left.csv; sed -n 4p data/left.csv | sed 's/^[^,]*,/"E1\ncase 99: confirmed",/'; sed -n 5,30p data/left.csv; } >newline.csv
{ cat hdr; sed -n 2,3p data/left.csv; sed -n 4p data/left.csv | sed 's/^[^,]*,/E\x1b[2J,/'; sed -n 5,30p data/left.csv; } >escape.csv
{ cat hdr; sed -n 2,3p data/left.csv; sed -n 4p data/left.csv | sed 's/^[^,]*,/"=HYPERLINK(""http:\/\/x"")",/'; sed -n 5,30p data/left.csv; } >formula.csv
for f in empty newline escape formula; do
  expect_exit 2 "$MG" dedupe $f.csv -o out.csv
  expect_stderr_contains "$f.csv: column 1 (record_id): bad record ids: line 4 has"
  expect_no_file out.csv
done
expect_exit 2 "$MG" dedupe empty.csv -o out.csv
expect_stderr_contains "line 4 has an empty id; every record needs an id"
expect_exit 2 "$MG" dedupe newline.csv -o out.csv
expect_stderr_contains "holding a control character; ids must be printable text"
grep -q "case 99" "$WORK/err" && fail "the id's forged line reached the terminal"
expect_exit 2 "$MG" dedupe escape.csv -o out.csv
grep -q $'\x1b' "$WORK/err" && fail "an escape sequence reached the terminal"
expect_exit 2 "$MG" dedupe formula.csv -o out.csv
expect_stderr_contains "which a spreadsheet would run as a formula"
grep -q "HYPERLINK" "$WORK/err" && fail "the formula id was echoed"

# The same rule in encode, tokens and block (ids carried in encodings and blocks) and in match's id,clk CSV.
printf 'secret-key-for-tests-0123456789abcdef' >key
expect_exit 0 "$MG" encode --schema "$MATCHGUARD_TESTS/../examples/pprl/generated_schema.json" --secret-file key \
  --standardize base.csv -o base.clk.csv --format csv
expect_exit 2 "$MG" encode --schema "$MATCHGUARD_TESTS/../examples/pprl/generated_schema.json" --secret-file key \
  --standardize dup.csv -o out.csv --format csv
expect_stderr_contains "line 5 repeats the id of line 3"
expect_no_file out.csv
{ head -3 base.clk.csv; sed -n 2p base.clk.csv; } >dup.clk.csv
expect_exit 2 "$MG" match dup.clk.csv base.clk.csv -o out.csv --threshold 0.8
expect_stderr_contains "dup.clk.csv: column 1 (id): bad record ids: line 4 repeats the id of line 2"
expect_no_file out.csv
printf 'RecordId,FirstName,LastName,BirthDate,Sex,SocialSecurityNumber,PostalCode\nA,Ann,Lee,1980-01-02,F,123-45-6789,12345\nA,Bo,Ng,1981-02-03,M,223-45-6789,12345\n' >tok_dup.csv
expect_exit 2 "$MG" tokens --secret-file key tok_dup.csv -o out.csv
expect_stderr_contains "line 3 repeats the id of line 2"
expect_no_file out.csv

# 2. Cases list escapes what it prints; evaluate refuses ids with control characters in pairs files.
printf 'left_id,right_id\n"E\x1b]0;x\x07",P1\n' >pairs.csv
expect_exit 2 "$MG" evaluate pairs.csv pairs.csv
expect_stderr_contains "pairs.csv: column 1 (left_id): bad record ids: line 2 has an id holding a control character"

# 3. and 2. A governed release: an SSN in the mbi column is not released as an MBI; a free-text value that
# a spreadsheet would run is released with a leading quote.
expect_exit 0 "$MG" agreement init -o agreement.toml
expect_exit 0 "$MG" audit keygen -o keys
# cases import opens a case per hit: an empty or unprintable id is refused, not opened.
printf 'left_id,right_id,probability\nE1,P1,0.9\n,P2,0.9\n' >hits_empty.csv
expect_exit 2 "$MG" cases import hits_empty.csv --agreement agreement.toml --store cs0.db
expect_stderr_contains "hits_empty.csv: column 1 (left_id): bad record ids: line 3 has an empty id"
expect_exit 0 "$MG" link data/left.csv data/right.csv -o plain.csv --one-to-one
hit=$(sed -n 2p plain.csv | cut -d, -f1)
ssn=$(awk -F, -v id="$hit" '$1 == id {print $7}' data/left.csv)
awk -F, -v OFS=, -v id="$hit" -v ssn="$ssn" '$1 == id {$13 = ssn} {print}' data/left.csv >ssn_in_mbi.csv
expect_exit 2 "$MG" link ssn_in_mbi.csv data/right.csv -o hits.csv --one-to-one --agreement agreement.toml
expect_stderr_contains "ssn_in_mbi.csv: line"; expect_stderr_contains ", column 13 (mbi): refusing to release left.mbi"
expect_stderr_contains "refusing to release left.mbi: the value is not an MBI"
grep -qF -- "$ssn" "$WORK/err" && fail "the SSN was echoed"
expect_no_file hits.csv
sed 's/"left.mbi"\]/"left.mbi", "left.city"]/' agreement.toml >city.toml
awk -F, -v OFS=, -v id="$hit" '$1 == id {$9 = "=HYPERLINK(1)"} {print}' data/left.csv >formula_city.csv
expect_exit 0 "$MG" link formula_city.csv data/right.csv -o hits.csv --one-to-one --agreement city.toml --case-store cs.db
grep -qF ",'=HYPERLINK(1)," hits.csv || fail "the formula-like city was not neutralised: $(grep HYPERLINK hits.csv)"

# 4. Options that need another are refused, naming both.
expect_exit 2 "$MG" match base.clk.csv base.clk.csv -o out.csv --threshold 0.8 --fields first_name
expect_stderr_contains "--fields needs --scoring model"
expect_exit 2 "$MG" match base.clk.csv base.clk.csv -o out.csv --threshold 0.8 --min-probability 0.9
expect_stderr_contains "--min-probability needs --scoring model"
expect_exit 2 "$MG" match base.clk.csv base.clk.csv -o out.csv --threshold 0.8 --model-out m.json
expect_stderr_contains "--model-out needs --scoring model"
expect_exit 2 "$MG" match base.clk.csv base.clk.csv -o out.csv --threshold 0.8 --dice-bins 0.9,0.8
expect_stderr_contains "--dice-bins needs --scoring model"
expect_exit 2 "$MG" match base.clk.csv base.clk.csv -o out.csv --threshold 0.8 --lsh-bands 4
expect_stderr_contains "--lsh-bands and --lsh-bits need --blocking lsh"
expect_exit 2 "$MG" match base.clk.csv base.clk.csv -o out.csv --threshold 0.8 --truth missing.csv
expect_stderr_contains "--truth needs --blocking lsh or psig"
expect_exit 2 "$MG" match base.clk.csv base.clk.csv -o out.csv --threshold 0.8 --max-blocked-pairs 10
expect_stderr_contains "--max-blocked-pairs needs --blocking lsh or psig"
# Blocking that would hand more pairs to scoring than --max-blocked-pairs allows stops cleanly, naming the cap.
expect_exit 2 "$MG" match base.clk.csv base.clk.csv -o out.csv --threshold 0.8 --blocking lsh --lsh-bits 1 \
  --max-blocked-pairs 10
expect_stderr_contains "more than 10 candidate pairs"
expect_stderr_contains "--max-blocked-pairs"
expect_exit 0 "$MG" match base.clk.csv base.clk.csv -o lsh_ok.csv --threshold 0.8 --blocking lsh --lsh-bits 1
expect_exit 2 "$MG" encode --schema "$MATCHGUARD_TESTS/../examples/pprl/generated_schema.json" --secret-file key \
  --standardize base.csv -o out.csv --field-bits first_name=512
expect_stderr_contains "--field-bits needs --field-level"
expect_exit 2 "$MG" encode --schema "$MATCHGUARD_TESTS/../examples/pprl/generated_schema.json" --secret-file key \
  --standardize base.csv -o out.csv --salt-chars 4
expect_stderr_contains "--salt-chars needs --salt-column"
expect_no_file out.csv
# tokens on the generator's headers: every token would be blank; the message says which headers to rename.
expect_exit 2 "$MG" tokens --secret-file key base.csv -o out.csv
expect_stderr_contains "every token of every record is blank"
expect_stderr_contains "rename first_name to FirstName"
expect_no_file out.csv
# dedupe of a ten-row file of different people: ten clusters, not "no blocking rule fits".
{ cat hdr; sed -n 2,11p data/left.csv; } >ten.csv
expect_exit 0 "$MG" dedupe ten.csv -o clusters.csv
[ "$(tail -n +2 clusters.csv | wc -l)" -eq 10 ] || fail "ten records should give ten rows"

# 5. Limits: a long field, a big file, /dev/zero, too many candidates; each names its limit.
{ cat hdr; sed -n 2,5p data/left.csv; printf 'X1,%s,,Lee,1980-01-01,F,,,,,,,\n' "$(head -c 3000 /dev/zero | tr '\0' a)"; } >long.csv
expect_exit 2 "$MG" --max-field-kb 2 dedupe long.csv -o out.csv
expect_stderr_contains "long.csv: line 6, column 2 (first_name): the field is longer than the limit of 2 KiB per field"
expect_no_file out.csv
expect_exit 2 "$MG" inspect long.csv --max-field-kb 1
expect_stderr_contains "--max-field-kb"
expect_exit 2 "$MG" inspect /dev/zero --max-file-mb 8
expect_stderr_contains "'/dev/zero' is larger than the input limit of 8 MiB per file"
head -c 2100000 /dev/zero | tr '\0' '\n' >big.csv
expect_exit 2 "$MG" --max-file-mb 2 inspect big.csv
expect_stderr_contains "--max-file-mb"
printf 'a\x00b,c\n1,2\n' >binary.csv
expect_exit 2 "$MG" inspect binary.csv
expect_stderr_contains "binary data"
expect_exit 2 "$MG" match base.clk.csv base.clk.csv -o out.csv --threshold 0.01 --max-candidates 10
expect_stderr_contains "more than 10 candidate pairs reach Dice 0.01"
expect_stderr_contains "raise --max-candidates"
expect_no_file out.csv
# A headerless file: its first record is not a header naming person fields.
tail -n +2 base.csv >headerless.csv
expect_exit 2 "$MG" inspect headerless.csv
expect_stderr_contains "headerless.csv: line 1: no column is recognised as a person field (is the first line a header?)"
echo "input_safety: ok"
