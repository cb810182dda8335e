# matchguard link: output shape, explain, models, and bad input (exit 2, a clear message, no output file).
source "$MATCHGUARD_TESTS/lib.sh"
F="$SHARED/data/febrl"
head -301 "$F/dataset4a.csv" >"$WORK/a.csv"
head -301 "$F/dataset4b.csv" >"$WORK/b.csv"

# Explain adds a level and a weight per comparison; the summary goes to stderr.
expect_exit 0 "$MG" link "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/pairs.csv" --explain --save-model "$WORK/m.json"
head -1 "$WORK/pairs.csv" | grep -q '^left_id,right_id,match_probability,match_weight,first_name_level,first_name_weight,' ||
  fail "explain header: $(head -1 "$WORK/pairs.csv")"
expect_stderr_contains "pairs compared:"
expect_stderr_contains "time: read"
# No input column other than the ids is written without an agreement.
! grep -q 'stanley street' "$WORK/pairs.csv" || fail "an input column leaked into the output"

# explain prints every level's m, u and weight.
expect_exit 0 "$MG" explain "$WORK/m.json"
expect_stdout_contains "first_name"

# A saved model scores the same files; one trained on other fields is refused with a reason.
expect_exit 0 "$MG" link "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/again.csv" --model "$WORK/m.json"
cut -d, -f1-3 "$WORK/pairs.csv" | cmp -s - <(cut -d, -f1-3 "$WORK/again.csv") || fail "loaded model scored differently"
cut -d, -f1,2,3,10,11 "$WORK/a.csv" >"$WORK/a_small.csv"
cut -d, -f1,2,3,10,11 "$WORK/b.csv" >"$WORK/b_small.csv"
expect_exit 2 "$MG" link "$WORK/a_small.csv" "$WORK/b_small.csv" -o "$WORK/refused.csv" --model "$WORK/m.json"
expect_stderr_contains "refusing a model trained on other fields"
expect_no_file "$WORK/refused.csv"

# A file with no usable fields names what it found and suggests --config.
printf 'colour,shoe_size\nred,9\n' >"$WORK/junk.csv"
expect_exit 2 "$MG" link "$WORK/junk.csv" "$WORK/b.csv" -o "$WORK/junk_pairs.csv"
expect_stderr_contains "junk.csv: no column is recognised as a person field"
expect_stderr_contains "colour, shoe_size"
expect_stderr_contains "--config"
expect_no_file "$WORK/junk_pairs.csv"

# An empty right file gives a header-only output.
head -1 "$F/dataset4b.csv" >"$WORK/empty.csv"
expect_exit 0 "$MG" link "$WORK/a.csv" "$WORK/empty.csv" -o "$WORK/none.csv"
[ "$(cat "$WORK/none.csv")" = "left_id,right_id,match_probability,match_weight" ] || fail "empty right: $(cat "$WORK/none.csv")"

# Config errors name the line.
printf '[link]\nthreshold = 0.9\n\n[comparisons.shoe_size]\nenabled = true\n' >"$WORK/bad_field.toml"
expect_exit 2 "$MG" link "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/c1.csv" --config "$WORK/bad_field.toml"
expect_stderr_contains "bad_field.toml:4: unknown field comparisons.shoe_size"
expect_no_file "$WORK/c1.csv"
printf '[model]\nm.first_name.twin = 0.5\n' >"$WORK/bad_level.toml"
expect_exit 2 "$MG" link "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/c2.csv" --config "$WORK/bad_level.toml"
expect_stderr_contains "bad_level.toml:2: model.m.first_name.twin: unknown level twin"
expect_no_file "$WORK/c2.csv"
printf '[link]\nthreshold = "high"\n' >"$WORK/bad_value.toml"
expect_exit 2 "$MG" link "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/c3.csv" --config "$WORK/bad_value.toml"
expect_stderr_contains "bad_value.toml:2: link.threshold must be a number"
expect_no_file "$WORK/c3.csv"

# A model file with an unknown level or a malformed value names where.
sed 's/"exact"/"exactly"/' "$WORK/m.json" >"$WORK/bad_model.json"
expect_exit 2 "$MG" link "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/c4.csv" --model "$WORK/bad_model.json"
expect_stderr_contains "bad_model.json"
expect_no_file "$WORK/c4.csv"
printf '{"comparisons": [' >"$WORK/broken_model.json"
expect_exit 2 "$MG" link "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/c5.csv" --model "$WORK/broken_model.json"
expect_stderr_contains "broken_model.json"
expect_no_file "$WORK/c5.csv"

# Missing input file and bad usage.
expect_exit 2 "$MG" link "$WORK/nope.csv" "$WORK/b.csv" -o "$WORK/c6.csv"
expect_stderr_contains "nope.csv"
expect_no_file "$WORK/c6.csv"
expect_exit 2 "$MG" link "$WORK/a.csv" "$WORK/b.csv"
