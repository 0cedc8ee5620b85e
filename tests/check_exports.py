"""Check gloss exports with Python's own string semantics (what spaCy, doccano and brat use).

usage: check_exports.py EXPORT.jsonl EXPORT.doccano.jsonl BRAT_DIR
"""
import json
import os
import sys


def main(jsonl, doccano, brat):
    n_json = n_doccano = n_brat = 0
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            for s in d["spans"]:
                assert d["text"][s["start"]:s["end"]] == s["text"], (d["id"], s)
                n_json += 1
    with open(doccano, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            for start, end, label in d["label"]:
                assert 0 <= start < end <= len(d["text"]), (d["id"], start, end)
                n_doccano += 1
    for root, _, files in os.walk(brat):
        for name in files:
            if not name.endswith(".ann"):
                continue
            # brat reads the text as-is (no newline translation)
            with open(os.path.join(root, name[:-4] + ".txt"), encoding="utf-8", newline="") as f:
                text = f.read()
            with open(os.path.join(root, name), encoding="utf-8") as f:
                for line in f:
                    if not line.startswith("T"):
                        continue
                    tid, type_spans, quoted = line.rstrip("\n").split("\t")
                    _, spans = type_spans.split(" ", 1)
                    pieces = []
                    for frag in spans.split(";"):
                        s, e = map(int, frag.split())
                        pieces.append(text[s:e])
                    assert " ".join(pieces) == quoted, (name, tid, pieces, quoted)
                    n_brat += 1
    print(f"checked {n_json} jsonl spans, {n_doccano} doccano labels, {n_brat} brat entities")


if __name__ == "__main__":
    main(*sys.argv[1:4])
