# matchguard evaluate: pairs, clusters, FEBRL truth from ids, and clear errors.
source "$MATCHGUARD_TESTS/lib.sh"

printf 'left_id,right_id,match_probability\nL1,R1,0.9\nL1,R1,0.9\nL2,R3,0.8\n' > "$WORK/pairs.csv"
printf 'left_id,right_id\nL1,R1\nL2,R2\n' > "$WORK/truth.csv"
expect_exit 0 "$MG" evaluate "$WORK/pairs.csv" "$WORK/truth.csv"
expect_stdout_contains '"precision": 0.5'
expect_stdout_contains '"recall": 0.5'
expect_stdout_contains '"pairs_read": 3'
expect_exit 0 "$MG" evaluate "$WORK/pairs.csv" "$WORK/truth.csv" --json
expect_stdout_contains '"tp":1,"fp":1,"fn":1'

# Clusters, scored pairwise: truth {a,b,c} {d,e}; predicted {a,b} {c,d,e}.
printf 'record_id,cluster_id\na,1\nb,1\nc,2\nd,2\ne,2\n' > "$WORK/pred.csv"
printf 'record_id,cluster_id\na,x\nb,x\nc,x\nd,y\ne,y\n' > "$WORK/clusters.csv"
expect_exit 0 "$MG" evaluate "$WORK/pred.csv" "$WORK/clusters.csv" --json
expect_stdout_contains '"shape":"clusters"'
expect_stdout_contains '"tp":2,"fp":2,"fn":2'

# FEBRL 4: the perfect answer scores 1; FEBRL 1 dedupe truth from the ids of one file.
D="$SHARED/data/febrl"
{ echo left_id,right_id; tail -n +2 "$D/dataset4a.csv" | cut -d, -f1 | sed 's/-org$//' | awk '{print $1"-org,"$1"-dup-0"}'; } > "$WORK/febrl4.csv"
expect_exit 0 "$MG" evaluate "$WORK/febrl4.csv" --febrl "$D/dataset4a.csv" "$D/dataset4b.csv" --json
expect_stdout_contains '"true_pairs":5000,"tp":5000,"fp":0,"fn":0,"precision":1.0,"recall":1.0,"f1":1.0'
{ echo record_id,cluster_id; tail -n +2 "$D/dataset1.csv" | cut -d, -f1 | awk -F- '{print $0","$2}'; } > "$WORK/febrl1.csv"
expect_exit 0 "$MG" evaluate "$WORK/febrl1.csv" --febrl "$D/dataset1.csv" --json
expect_stdout_contains '"fp":0,"fn":0'
expect_stdout_contains '"true_pairs":500'

# Errors: exit 2, naming the file and what was found or expected.
printf 'a,b\n1,2\n' > "$WORK/bad.csv"
expect_exit 2 "$MG" evaluate "$WORK/bad.csv" "$WORK/truth.csv"
expect_stderr_contains "bad.csv: expected the columns left_id,right_id (pairs) or record_id,cluster_id (clusters); found: a,b"
expect_exit 2 "$MG" evaluate "$WORK/pairs.csv" "$WORK/clusters.csv"
expect_stderr_contains "holds clusters but"
expect_exit 2 "$MG" evaluate "$WORK/pairs.csv" "$WORK/missing.csv"
expect_stderr_contains "missing.csv"
expect_exit 2 "$MG" evaluate "$WORK/pairs.csv"
expect_stderr_contains "expected either a TRUTH file or --febrl"
expect_exit 2 "$MG" evaluate "$WORK/pairs.csv" --febrl "$WORK/truth.csv"
expect_stderr_contains "truth.csv: expected a rec_id column of FEBRL ids; found: left_id,right_id"
