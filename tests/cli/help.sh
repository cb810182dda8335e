# Every subcommand answers --help with exit code 0; an unknown one is a usage error (2).
source "$MATCHGUARD_TESTS/lib.sh"
expect_exit 0 "$MG" --help
for cmd in $("$MG" --help | awk 'tolower($0) ~ /^subcommands:/{on=1; next} on && NF {print $1}'); do
  expect_exit 0 "$MG" "$cmd" --help
done
expect_exit 2 "$MG" no-such-command
expect_exit 2 "$MG"
