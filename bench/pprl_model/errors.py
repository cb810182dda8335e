#!/usr/bin/env python3
"""Classifies the false positives of a match result by what the two records share (read from the plaintext
the generator wrote, which only the evaluator has): the generator's hard negatives are twins (same last name,
date of birth and address), parent and child of one name (Jr/Sr: same names, other date of birth) and
strangers sharing name and date of birth.

usage: errors.py DATA_DIR PAIRS.csv   (DATA_DIR holds left.csv, right.csv, truth.csv of `matchguard generate`)
"""
import collections
import csv
import re
import sys
import unicodedata


def norm(text):
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def dob(text):
    m = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text.strip())
    return f"{m.group(3)}-{m.group(1)}-{m.group(2)}" if m else text.strip()


def records(path, cols):
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            rid, first, last, birth, street = (row[c] for c in cols)
            out[rid] = (norm(first), norm(last), dob(birth), norm(street.split(" ")[0]) if street else "")
    return out


def kind(a, b):
    same_first, same_last, same_dob, same_number = (x == y and x != "" for x, y in zip(a, b))
    if same_first and same_last and same_dob:
        return "same name and date of birth"
    if same_last and same_dob:
        return "twins (same last name and date of birth)"
    if same_first and same_last:
        return "same names, other date of birth (parent/child)"
    if same_last and same_number:
        return "household (same last name and house number)"
    return "other"


def main(data, pairs_path):
    left = records(f"{data}/left.csv", ("record_id", "first_name", "last_name", "dob", "street"))
    right = records(f"{data}/right.csv", ("person_id", "given_name", "surname", "birth_date", "address"))
    with open(f"{data}/truth.csv", newline="") as f:
        truth = {(r["left_id"], r["right_id"]) for r in csv.DictReader(f)}
    counts = collections.Counter()
    with open(pairs_path, newline="") as f:
        for row in csv.DictReader(f):
            pair = (row["left_id"], row["right_id"])
            if pair not in truth:
                counts[kind(left[pair[0]], right[pair[1]])] += 1
    for name, n in counts.most_common():
        print(f"{n:6d}  {name}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
