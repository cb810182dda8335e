# Measures what each hardening option costs in linkage quality on FEBRL4 (dataset4a vs dataset4b, 5,000
# true pairs; the first 1,000 records of 4a against all of 4b, to keep it quick): every record of 4a is linked to its most Dice-similar record of 4b, and precision and recall
# are taken at the threshold that maximises F1. Asserts the expected ordering and prints the figures that
# docs/encodings.md quotes.
source "$MATCHGUARD_TESTS/lib.sh"
S="$SHARED/data/vectors/clkhash/febrl-doublehash/schema.json"
KEY=$(private_copy "$SHARED/data/vectors/clkhash/febrl-doublehash/secret.txt")
A="$SHARED/data/febrl/dataset4a.csv"; B="$SHARED/data/febrl/dataset4b.csv"

encode() {  # name, extra flags...
  local name=$1; shift
  for side in a b; do
    local in=$A; [ $side = b ] && in=$B
    expect_exit 0 "$MG" encode --schema "$S" --secret-file "$KEY" "$in" -o "$WORK/$name.$side.csv" --format csv \
      --on-error skip "$@"
  done
}
encode plain
encode salted --salt-column date_of_birth --salt-chars 4
encode balanced --balanced
encode blip4 --blip-epsilon 4 --blip-seed 1
encode blip2 --blip-epsilon 2 --blip-seed 1

python3 - "$WORK" plain salted balanced blip4 blip2 <<'PY' | tee "$WORK/figures.txt"
import base64, csv, sys
work = sys.argv[1]
def load(path):
    ids, clks = [], []
    for row in csv.DictReader(open(path)):
        ids.append(row["id"].split("-")[1])
        clks.append(int.from_bytes(base64.b64decode(row["clk"]), "big"))
    return ids, clks
result = {}
for name in sys.argv[2:]:
    ia, ca = load(f"{work}/{name}.a.csv")
    ia, ca = ia[:1000], ca[:1000]
    ib, cb = load(f"{work}/{name}.b.csv")
    pb = [c.bit_count() for c in cb]
    best = []
    for x in ca:
        px, top, arg = x.bit_count(), -1.0, -1
        for j, y in enumerate(cb):
            d = 2 * (x & y).bit_count() / (px + pb[j]) if px + pb[j] else 0.0
            if d > top:
                top, arg = d, j
        best.append((top, arg))
    truth = set(ia) & set(ib)
    f1_best = (0, 0, 0, 0)
    for t in [i / 100 for i in range(40, 100)]:
        links = [(ia[i], ib[j]) for i, (d, j) in enumerate(best) if d >= t]
        tp = sum(1 for a, b in links if a == b)
        p = tp / len(links) if links else 0
        r = tp / len(truth)
        f = 2 * p * r / (p + r) if p + r else 0
        if f > f1_best[0]:
            f1_best = (f, p, r, t)
    mean_true = sum(d for (d, j), a in zip(best, ia) if ib[j] == a) / max(1, sum(1 for (d, j), a in zip(best, ia) if ib[j] == a))
    result[name] = f1_best
    print(f"{name:9s} F1 {f1_best[0]:.3f} precision {f1_best[1]:.3f} recall {f1_best[2]:.3f} at threshold {f1_best[3]:.2f}")
assert result["plain"][0] > 0.9, result
assert result["balanced"][0] > result["plain"][0] - 0.05, result
assert result["blip2"][0] < result["blip4"][0] <= result["plain"][0] + 0.01, result
assert result["salted"][2] < result["plain"][2] + 0.01, result
PY
