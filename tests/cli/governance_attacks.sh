# The safeguards against the operator, not only the honest user (issue 15): each block reproduces an attack
# with the released binary and plain tools (sqlite3, sed, cp) and asserts it is refused or detected.
source "$MATCHGUARD_TESTS/lib.sh"
command -v sqlite3 >/dev/null || fail "this test needs the sqlite3 shell (Debian package sqlite3; make deps)"
cd "$WORK"
umask 022
expect_exit 0 "$MG" generate --people 300 --out data --seed 11 -q
mkdir gov
expect_exit 0 "$MG" agreement init -o gov/A.toml
expect_exit 0 "$MG" audit keygen -o gov/keys
A=gov/A.toml
PUB=gov/keys/audit_ed25519.pub.pem
link() { "$MG" link data/left.csv data/right.csv --one-to-one --agreement "$@"; }

# A governed run: hits and case store are owner-only whatever the umask; the run entry names the
# agreement file's hash and the field mapping.
expect_exit 0 link $A -o gov/hits.csv
[ "$(stat -c %a gov/hits.csv)" = 600 ] || fail "hits with MBIs were created $(stat -c %a gov/hits.csv)"
[ "$(stat -c %a gov/cases.sqlite)" = 600 ] || fail "the case store was created $(stat -c %a gov/cases.sqlite)"
grep -q "\"agreement_sha256\":\"$(sha256sum $A | cut -c1-64)\"" gov/audit.log || fail "the run entry lacks the agreement's hash"
grep -q '"field_mapping":{"left":{' gov/audit.log || fail "the run entry lacks the field mapping"
HITS=$(($(wc -l <gov/hits.csv) - 1))
expect_exit 0 "$MG" audit verify gov/audit.log --public-key $PUB --cases gov/cases.sqlite
expect_stdout_contains "cases: the store's $HITS case(s), their steps and purges are all backed by the log"

# Repeating the run opens no duplicate cases.
expect_exit 0 link $A -o gov/hits2.csv
expect_exit 0 "$MG" cases list --agreement $A
[ "$(wc -l <"$WORK/out")" -eq "$HITS" ] || fail "a repeated run opened duplicate cases ($(wc -l <"$WORK/out") for $HITS hits)"

# Forged verify and notify rows (the triggers guard UPDATE and DELETE only).
cp gov/cases.sqlite clean.sqlite
sqlite3 gov/cases.sqlite "INSERT INTO transitions(case_id,kind,date,actor,source,result,channel,outcome)
  VALUES(1,'verify','2020-01-01','x','forged','confirmed','',''),(1,'notify','2020-01-01','','','','mail','');"
expect_exit 2 "$MG" cases action-allowed 1 --agreement $A
expect_stderr_contains "does not match the audit log"
expect_stderr_contains "case 1: it has a verify on 2020-01-01 step that the log does not record"
expect_exit 2 "$MG" audit verify gov/audit.log --public-key $PUB --cases gov/cases.sqlite
expect_stderr_contains "case 1: it has a verify on 2020-01-01 step"
expect_exit 2 "$MG" report oversight --agreement $A
expect_stderr_contains "does not match the audit log"

# A fake purge record, then the DELETE it lets through.
cp clean.sqlite gov/cases.sqlite
sqlite3 gov/cases.sqlite "INSERT INTO purges VALUES(2,'2020-01-01','fake');
  DELETE FROM transitions WHERE case_id=2; DELETE FROM cases WHERE id=2;"
expect_exit 2 "$MG" cases list --agreement $A
expect_stderr_contains "case 2: the store records a purge that the log has no destruction entry for"

# A dropped trigger and a rewritten case.
cp clean.sqlite gov/cases.sqlite
sqlite3 gov/cases.sqlite "DROP TRIGGER cases_append_only; UPDATE cases SET probability = 0.01 WHERE id = 3;"
expect_exit 2 "$MG" cases show 3 --agreement $A
expect_stderr_contains "case 3: its agreement, ids or probability differ from the case the log opened"

# A replaced store file (an empty one), through the agreement and through --store.
rm gov/cases.sqlite
expect_exit 2 "$MG" cases list --agreement $A
expect_stderr_contains "case 1: the log opened it and never destroyed it, but the store lacks it"
expect_exit 2 link $A -o gov/hits3.csv
expect_stderr_contains "the store lacks it"
expect_no_file gov/hits3.csv
cp clean.sqlite gov/cases.sqlite
expect_exit 0 "$MG" audit verify gov/audit.log --public-key $PUB --cases gov/cases.sqlite

# The audit signing key readable by others is refused, naming the mend.
chmod 644 gov/keys/audit_ed25519.pem
expect_exit 2 link $A -o gov/hits3.csv
expect_stderr_contains "is accessible by others (mode 0644)"
expect_stderr_contains "chmod 600 gov/keys/audit_ed25519.pem"
expect_no_file gov/hits3.csv
chmod 600 gov/keys/audit_ed25519.pem

# Relabelling: a config that maps the ssn column onto first_name, under an agreement without SSN.
sed 's/^fields = \["first_name", "last_name", "dob", "sex", "ssn", /fields = ["first_name", "last_name", "dob", "sex", /' $A >gov/nossn.toml
grep -q '"sex", "street"' gov/nossn.toml || fail "the test's agreement edit did not apply"
# (The left file against itself, so that both sides have a column named ssn.)
printf '[fields]\nfirst_name = "ssn"\n[blocking]\nrules = ["dob"]\n' >relabel.toml
expect_exit 2 "$MG" link data/left.csv data/left.csv --agreement gov/nossn.toml -o gov/hits3.csv --config relabel.toml
expect_stderr_contains "column 'ssn' holds ssn by its name but is mapped to first_name"
expect_no_file gov/hits3.csv

# [storage] pointing out of the agreement's folder (a scratch folder deleted afterwards).
sed 's|^case_store = "cases.sqlite"|case_store = "/tmp/scratch/cases.sqlite"|' $A >gov/scratch.toml
expect_exit 2 link gov/scratch.toml -o gov/hits3.csv
expect_stderr_contains "storage.case_store '/tmp/scratch/cases.sqlite' must be a path inside the agreement's folder"
sed 's|^audit_log = "audit.log"|audit_log = "../audit.log"|' $A >gov/up.toml
expect_exit 2 "$MG" agreement check gov/up.toml
expect_stderr_contains "must be a path inside the agreement's folder"
# A governed output outside the agreement's folder, which retention (and purge) would not reach.
expect_exit 2 link $A -o hits-outside.csv
expect_stderr_contains "the output hits-outside.csv is outside the folder of agreement"
expect_no_file hits-outside.csv

# The volume cap holds across runs: two halves of an over-cap file each fit, together they do not.
# (A fresh agreement in its own folder stating 150 left records: at most 225 a run, or in all.)
mkdir vol
sed "s/^left_count = .*/left_count = 150/" $A >vol/A.toml
cp -r gov/keys vol/keys
{ head -n 1 data/left.csv; sed -n '2,151p' data/left.csv; } >half1.csv
{ head -n 1 data/left.csv; sed -n '152,301p' data/left.csv; } >half2.csv
volink() { "$MG" link "$1" data/right.csv --one-to-one --agreement vol/A.toml -o "$2"; }
expect_exit 0 volink half1.csv vol/h1.csv
expect_exit 0 volink half1.csv vol/h1b.csv  # the same file again counts once
expect_exit 2 volink half2.csv vol/h2.csv
expect_stderr_contains "across all runs of the agreement (each set of records counted once)"
expect_stderr_contains "the left input has 300 records, more than the 225 allowed"
expect_no_file vol/h2.csv
# The same records as encodings count once more only if they are other records (ids, not file bytes, count).
SCHEMA="$MATCHGUARD_TESTS/../examples/pprl/generated_schema.json"
printf 'attack-test-secret' >secret && chmod 600 secret
for f in half1 half2; do expect_exit 0 "$MG" encode --standardize --schema "$SCHEMA" --secret-file secret $f.csv -o vol/$f.clk --format csv -q; done
expect_exit 0 "$MG" encode --standardize --schema "$SCHEMA" --secret-file secret data/right.csv -o vol/right.clk --format csv -q
vomatch() { "$MG" match "$1" vol/right.clk -o "$2" --threshold 0.75 --agreement vol/A.toml --schema "$SCHEMA"; }
expect_exit 0 vomatch vol/half1.clk vol/m1.csv
expect_exit 2 vomatch vol/half2.clk vol/m2.csv
expect_stderr_contains "across all runs of the agreement"
echo "governance attacks: ok"
