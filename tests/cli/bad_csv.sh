# Each kind of bad CSV input gives exit code 2, a message naming the file, line and column, and leaves no
# output file behind, whichever command reads it.
source "$MATCHGUARD_TESTS/lib.sh"
cd "$WORK"
printf 'rec_id,given_name,surname,date_of_birth\na1,ann,lee,19800101\n' >good.csv
printf 'rec_id,given_name,surname,date_of_birth\nb1,ann,lee\n' >ragged.csv
printf 'rec_id,given_name,surname,date_of_birth\nb1,"ann,lee,19800101\n' >unterminated.csv
printf 'rec_id,given_name,surname,date_of_birth\nb1,ann,l\xffe,19800101\n' >utf8.csv
: >empty.csv
printf '\nb1,ann,lee,19800101\n' >noheader.csv

check() {  # check FILE EXPECTED-MESSAGE
  for cmd in "link good.csv $1 -o out.csv" "dedupe $1 -o out.csv"; do
    # shellcheck disable=SC2086
    expect_exit 2 "$MG" $cmd
    expect_stderr_contains "$1"
    expect_stderr_contains "$2"
    expect_no_file out.csv
  done
}
check ragged.csv "line 2: the row has 3 fields, expected 4"
check unterminated.csv "line 2, column 2 (given_name): a quoted field is not closed"
check utf8.csv "line 2, column 3 (surname): invalid UTF-8"
check empty.csv "the file is empty; expected a header row"
check noheader.csv "line 1: the first line is blank; expected a header row"
expect_exit 2 "$MG" inspect ragged.csv
expect_stderr_contains "ragged.csv: line 2"
expect_exit 2 "$MG" link good.csv missing.csv -o out.csv
expect_stderr_contains "missing.csv"
expect_no_file out.csv
