"""Check gloss exports the way the real tools read them, with Python's own string semantics.

usage: check_exports.py EXPORT.jsonl EXPORT.doccano.jsonl BRAT_DIR EXPORT.conll

- jsonl: `str.splitlines()` gives one line per record (U+2028, U+2029 and NEL are escaped); every
  span has every key; spans slice the text (`text[start:end]`).
- doccano: offsets are UTF-16 code units (doccano's web interface is JavaScript).
- brat: `.ann` lines as brat reads them (`codecs` reader: `str.splitlines()`), each text-bound
  annotation's text equal to its fragments' slices of the `.txt` joined by a space, fragments apart.
- conll: documents and columns as spaCy's `conll_ner` converter splits them.

Only the standard library is needed; where spaCy or Hugging Face `datasets` is installed, the file
is also loaded with it.
"""
import codecs
import json
import os
import sys

SPACY_DELIMITER = "-DOCSTART- -X- O O"
SPAN_KEYS = ["id", "start", "end", "label", "text", "note", "annotator", "review"]


def check_jsonl(path):
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    lines = data.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(lines) == len(records) == data.count("\n"), "one record per line"
    n = 0
    for d in records:
        assert d["status"] in ("new", "in-progress", "done", "reviewed", "needs-work"), d["status"]
        for s in d["spans"]:
            assert list(s.keys()) == SPAN_KEYS, list(s.keys())
            assert d["text"][s["start"]:s["end"]] == s["text"], (d["id"], s)
            assert s["review"] is None or set(s["review"]) >= {"verdict", "reviewer"}
            n += 1
    try:
        import datasets  # noqa: F401
    except ImportError:
        pass
    else:
        ds = datasets.load_dataset("json", data_files=path, split="train")
        spans = ds.features["spans"]
        inner = spans.feature if hasattr(spans, "feature") else spans[0]
        assert isinstance(inner, dict), f"spans load as {spans!r}, not typed records"
    return records, n


def check_doccano(path, records):
    n = 0
    with open(path, encoding="utf-8") as f:
        for line, record in zip(f, records):
            d = json.loads(line)
            units = d["text"].encode("utf-16-le")
            spans = record["spans"]
            assert len(d["label"]) == len(spans)
            for (start, end, label), s in zip(d["label"], spans):
                # what JavaScript's text.slice(start, end) gives
                assert units[2 * start:2 * end].decode("utf-16-le") == s["text"], (d["id"], start, end)
                assert label == s["label"]
                n += 1
    return n


def check_brat(folder):
    n = 0
    for root, _, files in os.walk(folder):
        for name in files:
            if not name.endswith(".ann"):
                continue
            # brat reads both with codecs readers: no newline translation, lines as splitlines()
            with codecs.open(os.path.join(root, name[:-4] + ".txt"), encoding="utf-8") as f:
                text = f.read()
            with codecs.open(os.path.join(root, name), encoding="utf-8") as f:
                lines = list(f)
            ids = set()
            for line in lines:
                line = line.rstrip("\r\n")
                tid, rest = line.split("\t", 1)
                if tid.startswith("#"):
                    kind, target = rest.split("\t", 1)[0].split()
                    assert kind == "AnnotatorNotes" and target in ids, line
                    continue
                assert tid.startswith("T"), line
                data, quoted = rest.split("\t", 1)
                _, spans = data.split(" ", 1)
                seen = []
                pieces = []
                for frag in spans.split(";"):
                    s, e = map(int, frag.split(" "))
                    for os_, oe in seen:
                        assert not (e >= os_ and s < oe), ("fragments overlap", name, line)
                    seen.append((s, e))
                    pieces.append(text[s:e])
                assert " ".join(pieces) == quoted, (name, tid, pieces, quoted)
                ids.add(tid)
                n += 1
    return n


def check_conll(path):
    with open(path, encoding="utf-8") as f:
        data = f.read()
    docs = 0
    for doc in data.strip().split(SPACY_DELIMITER):
        doc = doc.strip()
        if not doc:
            continue
        assert "-DOCSTART-" not in doc, "a document delimiter spaCy does not split on"
        docs += 1
        for sent in doc.split("\n\n"):
            rows = [line.split() for line in sent.strip().split("\n") if line.strip()]
            assert all(len(r) == 4 for r in rows), [r for r in rows if len(r) != 4][:3]
    try:
        from spacy.training.converters import conll_ner_to_docs
    except ImportError:
        pass
    else:
        parsed = list(conll_ner_to_docs(data, no_print=True))
        assert len(parsed) == docs, (len(parsed), docs)
        assert sum(len(d.ents) for d in parsed) == data.count(" B-")
    return docs


def main(jsonl, doccano, brat, conll):
    records, n_json = check_jsonl(jsonl)
    n_doccano = check_doccano(doccano, records)
    n_brat = check_brat(brat)
    n_docs = check_conll(conll)
    print(
        f"checked {n_json} jsonl spans, {n_doccano} doccano labels, {n_brat} brat entities, "
        f"{n_docs} conll documents"
    )


if __name__ == "__main__":
    main(*sys.argv[1:5])
