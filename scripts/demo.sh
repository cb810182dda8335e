#!/usr/bin/env bash
# `make demo`: the main job end to end on generated data, under a computer matching agreement.
#   1. generate ~20,000 enrollees and a second agency's list with ground truth;
#   2. write the demo matching agreement and the audit signing key;
#   3. run a governed, one-to-one link (no configuration, no labels);
#   4. evaluate against the truth, verify the audit log;
#   5. the same link privacy-preserving: each agency standardises and encodes its own file into Bloom
#      filters (whole-record and per field) under a shared secret, and the linkage unit matches the
#      encodings only, scoring candidates with a Fellegi-Sunter model over per-field Dice (governed too);
#   6. summarise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mg=${MATCHGUARD:-$root/build/release/matchguard}
out=${DEMO_DIR:-$root/out/demo}
people=${DEMO_PEOPLE:-20000}
rm -rf "$out"
mkdir -p "$out"

start=$(date +%s.%N)
echo "== 1. generate $people people (enrollment file + another agency's list + truth)"
"$mg" generate --people "$people" --out "$out" --seed 2026 -q
echo "   $(($(wc -l <"$out/left.csv") - 1)) enrollment rows, $(($(wc -l <"$out/right.csv") - 1)) list rows, $(($(wc -l <"$out/truth.csv") - 1)) true pairs"

echo "== 2. matching agreement and audit key"
"$mg" agreement init -o "$out/agreement.toml"
"$mg" audit keygen -o "$out/keys" >/dev/null
"$mg" agreement check "$out/agreement.toml" | sed 's/^/   /'

echo "== 3. governed link (one-to-one)"
"$mg" link "$out/left.csv" "$out/right.csv" -o "$out/hits.csv" --one-to-one \
  --agreement "$out/agreement.toml" --json-summary "$out/link.json" 2>&1 | sed 's/^/   /'

echo "== 4. evaluation against the truth"
"$mg" evaluate "$out/hits.csv" "$out/truth.csv" >"$out/evaluation.json"
field() { grep -o "\"$1\": *[0-9.e+-]*" "$2" | head -1 | sed 's/.*: *//'; }
echo "   audit log: $("$mg" audit verify "$out/audit.log" --public-key "$out/keys/audit_ed25519.pub.pem" | tail -1)"

echo "== 5. privacy-preserving link: each agency encodes its own file, the linkage unit sees encodings only"
schema=$root/examples/pprl/generated_schema.json
(umask 077 && head -c 32 /dev/urandom | base64 >"$out/shared_secret") && chmod 600 "$out/shared_secret"
for side in left right; do
  "$mg" encode --standardize --field-level --schema "$schema" --secret-file "$out/shared_secret" "$out/$side.csv" \
    -o "$out/$side.clk.csv" --format csv -q
done
"$mg" match "$out/left.clk.csv" "$out/right.clk.csv" -o "$out/pprl_hits.csv" --threshold 0.6 \
  --scoring model --fields first_name,last_name,dob,sex,street+city+zip \
  --agreement "$out/agreement.toml" --schema "$schema" | sed 's/^/   /'
"$mg" evaluate "$out/pprl_hits.csv" "$out/truth.csv" >"$out/pprl_evaluation.json"
end=$(date +%s.%N)

cat <<SUMMARY

matchguard demo summary
  records read      $(field left_records "$out/link.json") enrollment x $(field right_records "$out/link.json") list
  pairs compared    $(field candidate_pairs "$out/link.json")
  links found       $(field links "$out/link.json") (released as unverified hits; cases opened for due process)
  precision         $(printf '%.4f' "$(field precision "$out/evaluation.json")")
  recall            $(printf '%.4f' "$(field recall "$out/evaluation.json")")
  F1                $(printf '%.4f' "$(field f1 "$out/evaluation.json")")
  link time         $(printf '%.2f' "$(field total_seconds "$out/link.json")") s (whole demo $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s)
  PPRL (encodings)  precision $(printf '%.4f' "$(field precision "$out/pprl_evaluation.json")"), recall $(printf '%.4f' "$(field recall "$out/pprl_evaluation.json")"), F1 $(printf '%.4f' "$(field f1 "$out/pprl_evaluation.json")") (field-level model, greedy one-to-one, no SSN)
  outputs           $out/hits.csv, $out/pprl_hits.csv, $out/audit.log, $out/cases.sqlite
SUMMARY
