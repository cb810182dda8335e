#!/usr/bin/env python3
"""Standardises the generator's left.csv / right.csv into the one column layout the encoding schema expects.

Each party would run this on its own plaintext before encoding (the same rules on both sides): upper case,
letters/digits/spaces only, dates as YYYY-MM-DD, sex as M/F, street suffixes in USPS abbreviations, ZIP as
five digits. The middle name is dropped: the right-hand file of the generator does not carry one.

usage: prepare.py IN.csv OUT.csv
"""
import csv
import re
import sys
import unicodedata

SUFFIX = {"STREET": "ST", "AVENUE": "AVE", "DRIVE": "DR", "ROAD": "RD", "LANE": "LN", "COURT": "CT",
          "PLACE": "PL", "BOULEVARD": "BLVD", "CIRCLE": "CIR", "TRAIL": "TRL", "TERRACE": "TER",
          "PARKWAY": "PKWY", "HIGHWAY": "HWY", "RIDGE": "RDG", "WAY": "WAY"}
COLUMNS = {  # output column: candidate input columns (left file, right file)
    "record_id": ("record_id", "person_id"),
    "first_name": ("first_name", "given_name"),
    "last_name": ("last_name", "surname"),
    "dob": ("dob", "birth_date"),
    "sex": ("sex", "gender"),
    "street": ("street", "address"),
    "city": ("city", "town"),
    "zip": ("zip", "postal_code"),
}


def clean(text):
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^A-Z0-9 ]", "", text.upper().replace("-", " ")).split())


def street(text):
    words = clean(text).split()
    if words and words[-1] in SUFFIX:
        words[-1] = SUFFIX[words[-1]]
    return " ".join(words)


def dob(text):
    text = text.strip()
    m = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text)
    if m:
        return f"{m.group(3)}-{m.group(1)}-{m.group(2)}"
    return text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else ""


def main(src, dst):
    with open(src, newline="") as f, open(dst, "w", newline="") as g:
        reader = csv.DictReader(f)
        writer = csv.writer(g, lineterminator="\n")
        writer.writerow(COLUMNS.keys())
        for row in reader:
            get = {k: next((row[c] for c in cols if c in row), "") for k, cols in COLUMNS.items()}
            writer.writerow([get["record_id"], clean(get["first_name"]), clean(get["last_name"]), dob(get["dob"]),
                             get["sex"][:1].upper(), street(get["street"]), clean(get["city"]),
                             re.sub(r"\D", "", get["zip"])[:5]])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
