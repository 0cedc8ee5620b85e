"""Check gloss exports the way the real tools read them, with Python's own string semantics.

usage: check_exports.py EXPORT.jsonl EXPORT.doccano.jsonl BRAT_DIR EXPORT.conll [PARQUET_DIR PARQUET_SPANS_DIR]

- jsonl: `str.splitlines()` gives one line per record (U+2028, U+2029 and NEL are escaped); every
  span has every key; spans slice the text (`text[start:end]`); every field has one JSON type in
  every record, never null. Where pyarrow, polars or Hugging Face `datasets` is installed, a file
  of over 10 MiB made of the export's records is loaded with each, without a schema: its first
  10 MiB have no reviews and later lines do, and the other way round (they infer the schema from
  the first block, so a field null there and an object later fails).
- doccano: offsets are UTF-16 code units (doccano's web interface is JavaScript).
- brat: `.ann` lines as brat reads them (`codecs` reader: `str.splitlines()`), each text-bound
  annotation's text equal to its fragments' slices of the `.txt` joined by a space, fragments apart;
  and brat's validator's overlap rule: two text-bound annotations that share a span, or one of
  which contains or crosses the other, need `annotation.conf` to allow it with an `<OVERLAP>`
  line (else brat reports "TASK cannot contain PERSON" and identical spans).
- conll: documents and columns as spaCy's `conll_ner` converter splits them.
- parquet (the folders of `--rows articles` and `--rows spans`, when given): loaded with each of
  pyarrow, Hugging Face `datasets` (the folder as it is, by its dataset card, and as parquet files),
  pandas, polars and DuckDB that is installed, every row equal to jsonl's record (or span), every
  span the text at its offsets, DuckDB's `substring` and label counts agreeing.

Only the standard library is needed; where spaCy, pyarrow, polars or Hugging Face `datasets` is
installed, the files are also loaded with it (and the script says which were skipped).
"""
import codecs
import json
import os
import sys

SPACY_DELIMITER = "-DOCSTART- -X- O O"
SPAN_KEYS = ["id", "start", "end", "label", "text", "note", "annotator", "review", "comment", "entity"]
RELATION_KEYS = ["head", "child", "head_span", "child_span", "label", "id", "annotator", "review"]
REVIEW_KEYS = ["verdict", "reviewer", "time"]
BLOCK = 10 * 1024 * 1024


def json_types(value, at="", out=None):
    """Every scalar's path (list elements as `[]`) and JSON type."""
    out = {} if out is None else out
    if isinstance(value, dict):
        for k, v in value.items():
            json_types(v, f"{at}.{k}", out)
    elif isinstance(value, list):
        for v in value:
            json_types(v, f"{at}[]", out)
    else:
        kind = "null" if value is None else "number" if isinstance(value, (int, float)) else type(value).__name__
        out.setdefault(at, set()).add(kind)
    return out


def with_reviews(record, review):
    """A copy of `record` whose spans and relations all have `review`."""
    d = json.loads(json.dumps(record))
    for x in d["spans"] + d["relations"]:
        x["review"] = review
    return d


def large_jsonl(path, records, reviewed_first):
    """Write a file whose first 10 MiB are `records` reviewed (or not) and the rest the other way,
    each review as the export wrote one (with a verdict, and without)."""
    reviews = [x["review"] for d in records for x in d["spans"] + d["relations"]]
    with_verdict = [r for r in reviews if r and r.get("verdict")]
    without = [r for r in reviews if not (r and r.get("verdict"))]
    assert with_verdict and without, "the export has reviewed and unreviewed spans"
    first, last = (with_verdict[0], without[0]) if reviewed_first else (without[0], with_verdict[0])
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        n = 0
        while size <= BLOCK:
            for r in records:
                d = with_reviews(r, first)
                d["id"] = f"{n}/{d['id']}"
                line = json.dumps(d, ensure_ascii=False) + "\n"
                f.write(line)
                size += len(line.encode("utf-8"))
            n += 1
        for r in records:
            f.write(json.dumps(with_reviews(r, last), ensure_ascii=False) + "\n")
    return sum(1 for _ in open(path, encoding="utf-8"))


def check_large_jsonl(records, folder):
    """The tools that infer a schema load a large file of these records as they are; says which."""
    loaded, skipped = [], []
    tools = {}
    try:
        import pyarrow.json as paj
    except ImportError:
        skipped.append("pyarrow")
    else:
        tools["pyarrow"] = lambda p: paj.read_json(p).num_rows
    try:
        import polars as pl
    except ImportError:
        skipped.append("polars")
    else:
        tools["polars"] = lambda p: pl.read_ndjson(p).height
    try:
        import datasets
    except ImportError:
        skipped.append("datasets")
    else:
        def load(p):
            cache = os.path.join(folder, "cache-" + os.path.basename(p))
            return datasets.load_dataset("json", data_files=p, split="train", cache_dir=cache).num_rows
        tools["datasets"] = load
    for reviewed_first in (False, True):
        path = os.path.join(folder, f"large-{'reviewed' if reviewed_first else 'unreviewed'}-first.jsonl")
        rows = large_jsonl(path, records, reviewed_first)
        for name, rows_of in tools.items():
            got = rows_of(path)
            assert got == rows, (name, path, got, rows)
    loaded = list(tools)
    return loaded, skipped


def check_jsonl(path):
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    lines = data.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(lines) == len(records) == data.count("\n"), "one record per line"
    n = 0
    types = {}
    for d in records:
        json_types(d, out=types)
        assert d["status"] in ("new", "in-progress", "done", "reviewed", "needs-work"), d["status"]
        for s in d["spans"]:
            assert list(s.keys()) == SPAN_KEYS, list(s.keys())
            assert d["text"][s["start"]:s["end"]] == s["text"], (d["id"], s)
            assert list(s["review"].keys()) == REVIEW_KEYS, s["review"]
            n += 1
        for r in d["relations"]:
            assert list(r.keys()) == RELATION_KEYS, list(r.keys())
            for end, span in (("head", "head_span"), ("child", "child_span")):
                s = d["spans"][r[end]]
                assert {k: s[k] for k in ("start", "end", "label")} == r[span], (d["id"], r)
    mixed = {at: kinds for at, kinds in types.items() if len(kinds) > 1 or "null" in kinds}
    assert not mixed, f"fields of more than one JSON type, or null: {mixed}"
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


def overlap_rules(folder):
    """The `<OVERLAP>` lines of `annotation.conf`'s `[relations]` as brat reads them: a set of
    (Arg1 type, Arg2 type, overlap type) with `<OVL-TYPE>` values `contain`, `equal`, `cross` or
    `<ANY>`."""
    rules = set()
    section = None
    with codecs.open(os.path.join(folder, "annotation.conf"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                continue
            if section != "relations" or not line.startswith("<OVERLAP>"):
                continue
            args = {}
            for arg in line[len("<OVERLAP>"):].split(","):
                key, _, values = arg.strip().partition(":")
                args[key] = values.split("|")
            for a1 in args.get("Arg1", []):
                for a2 in args.get("Arg2", []):
                    for kind in args.get("<OVL-TYPE>", []):
                        rules.add((a1, a2, kind))
    return rules


def overlap_allowed(rules, kind, t1, t2):
    """brat's ProjectConfiguration.span_can_contain / spans_can_be_equal / spans_can_cross."""
    if kind == "contain":
        return (t1, t2, "contain") in rules or (t1, t2, "<ANY>") in rules or (t2, t1, "<ANY>") in rules
    return any((a, b, k) in rules for a, b in ((t1, t2), (t2, t1)) for k in (kind, "<ANY>"))


def check_brat_overlaps(rules, name, spans):
    """Every pair of text-bound annotations of one document that overlap, as brat's validator
    classes them (same span, one containing the other, crossing), allowed by `rules`."""
    pairs = 0
    for i, (t1, type1, s1, e1) in enumerate(spans):
        for t2, type2, s2, e2 in spans[i + 1:]:
            if e1 <= s2 or e2 <= s1:
                continue
            if (s1, e1) == (s2, e2):
                kind, outer, inner = "equal", type1, type2
            elif s1 <= s2 and e2 <= e1:
                kind, outer, inner = "contain", type1, type2
            elif s2 <= s1 and e1 <= e2:
                kind, outer, inner = "contain", type2, type1
            else:
                kind, outer, inner = "cross", type1, type2
            assert overlap_allowed(rules, kind, outer, inner), (
                f"brat: {name}: {t1} {type1} and {t2} {type2} ({kind}) not allowed by annotation.conf"
            )
            pairs += 1
    return pairs


def check_brat(folder):
    n = 0
    rules = overlap_rules(folder)
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
            bounds = []
            for line in lines:
                line = line.rstrip("\r\n")
                tid, rest = line.split("\t", 1)
                if tid.startswith("#"):
                    kind, target = rest.split("\t", 1)[0].split()
                    assert kind == "AnnotatorNotes" and target in ids, line
                    continue
                if tid.startswith("R"):
                    # R1<tab>TYPE Arg1:T3 Arg2:T5
                    label, a1, a2 = rest.split(" ")
                    assert a1.startswith("Arg1:") and a1[5:] in ids, line
                    assert a2.startswith("Arg2:") and a2[5:] in ids, line
                    ids.add(tid)
                    continue
                if tid.startswith("N"):
                    # N1<tab>Reference T3 gloss:ID<tab>name
                    data, name_ = rest.split("\t", 1)
                    kind, target, ref = data.split(" ")
                    assert kind == "Reference" and target in ids and ref.startswith("gloss:"), line
                    assert name_ and "\t" not in name_, line
                    continue
                assert tid.startswith("T"), line
                data, quoted = rest.split("\t", 1)
                label, spans = data.split(" ", 1)
                seen = []
                pieces = []
                for frag in spans.split(";"):
                    s, e = map(int, frag.split(" "))
                    for os_, oe in seen:
                        assert not (e >= os_ and s < oe), ("fragments overlap", name, line)
                    seen.append((s, e))
                    pieces.append(text[s:e])
                assert " ".join(pieces) == quoted, (name, tid, pieces, quoted)
                bounds.append((tid, label, min(s for s, _ in seen), max(e for _, e in seen)))
                ids.add(tid)
                n += 1
            check_brat_overlaps(rules, name, bounds)
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


def parquet_tools(folder):
    """Each tool that reads Parquet, as a function of an export folder giving its rows as Python
    records, and the tools that are not installed."""
    tools, skipped = {}, []
    data = os.path.join(folder, "data")
    try:
        import pyarrow.parquet as pq
    except ImportError:
        skipped.append("pyarrow")
    else:
        tools["pyarrow"] = lambda out: pq.read_table(os.path.join(out, "data")).to_pylist()
    try:
        import datasets
    except ImportError:
        skipped.append("datasets")
    else:
        def hub(out):
            # the folder as it is (its README.md's configs and features), and as parquet files
            cache = os.path.join(folder, "hf-cache-" + os.path.basename(out))
            ds = datasets.load_dataset(out, split="train", cache_dir=cache)
            again = datasets.load_dataset("parquet", data_dir=out, split="train", cache_dir=cache + "-2")
            assert ds.features == again.features, (ds.features, again.features)
            assert "null" not in repr(ds.features), ds.features
            return ds.to_list()
        tools["datasets"] = hub
    try:
        import pandas
    except ImportError:
        skipped.append("pandas")
    else:
        def frame(out):
            df = pandas.read_parquet(os.path.join(out, "data"))
            return [plain(r) for r in df.to_dict(orient="records")]
        tools["pandas"] = frame
    try:
        import polars as pl
    except ImportError:
        skipped.append("polars")
    else:
        tools["polars"] = lambda out: pl.read_parquet(os.path.join(out, "data", "*.parquet")).to_dicts()
    try:
        import duckdb
    except ImportError:
        skipped.append("duckdb")
    else:
        def query(out):
            rel = duckdb.sql(f"SELECT * FROM read_parquet('{os.path.join(out, 'data', '*.parquet')}')")
            names = rel.columns
            return [plain(dict(zip(names, row))) for row in rel.fetchall()]
        tools["duckdb"] = query
    del data
    return tools, skipped


def plain(value):
    """A value as plain Python: numpy arrays and scalars (pandas' lists and integers) as lists and
    ints, dicts and lists throughout."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def span_rows(records):
    """The rows `--rows spans` writes for jsonl's `records`: one per span, its article's id and
    status, its index, its fields, and the relations it is the head of (without the head)."""
    rows = []
    for d in records:
        for k, s in enumerate(d["spans"]):
            row = {"article": d["id"], "status": d["status"], "index": k}
            row.update(s)
            row["relations"] = [
                {key: v for key, v in r.items() if key not in ("head", "head_span")}
                for r in d["relations"]
                if r["head"] == k
            ]
            rows.append(row)
    return rows


def check_parquet(articles, spans, records):
    """Both Parquet exports (one row per article, one per span), loaded by each tool installed:
    every row equal to what jsonl has of it, in order, keys in jsonl's order; every span the text
    at its offsets; DuckDB's own `substring` agrees. Returns the spans checked and the tools."""
    tools, skipped = parquet_tools(os.path.dirname(articles))
    want_spans = span_rows(records)
    for name, rows_of in tools.items():
        got = rows_of(articles)
        assert len(got) == len(records), (name, len(got), len(records))
        for g, w in zip(got, records):
            assert list(g.keys()) == list(w.keys()), (name, list(g.keys()))
            assert g == w, (name, w["id"], g, w)
            for s in g["spans"]:
                assert g["text"][s["start"]:s["end"]] == s["text"], (name, g["id"], s)
        got = rows_of(spans)
        assert got == want_spans, (name, got[:3], want_spans[:3])
        texts = {d["id"]: d["text"] for d in records}
        for r in got:
            assert texts[r["article"]][r["start"]:r["end"]] == r["text"], (name, r)
    if "duckdb" in tools:
        import duckdb
        data = os.path.join(articles, "data", "*.parquet")
        total, wrong = duckdb.sql(
            f"""SELECT count(*), count(*) FILTER (WHERE substring(text, s.start + 1, s."end" - s.start) <> s.text)
                FROM (SELECT text, unnest(spans) AS s FROM read_parquet('{data}'))"""
        ).fetchall()[0]
        assert (total, wrong) == (len(want_spans), 0), (total, wrong)
        per_label = dict(duckdb.sql(
            f"SELECT label, count(*) FROM read_parquet('{os.path.join(spans, 'data', '*.parquet')}') GROUP BY label"
        ).fetchall())
        counted = {}
        for r in want_spans:
            counted[r["label"]] = counted.get(r["label"], 0) + 1
        assert per_label == counted, (per_label, counted)
    return len(want_spans), list(tools), skipped


def main(jsonl, doccano, brat, conll, parquet=None, parquet_spans=None):
    records, n_json = check_jsonl(jsonl)
    n_doccano = check_doccano(doccano, records)
    n_brat = check_brat(brat)
    n_docs = check_conll(conll)
    print(
        f"checked {n_json} jsonl spans, {n_doccano} doccano labels, {n_brat} brat entities, "
        f"{n_docs} conll documents"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        loaded, skipped = check_large_jsonl(records, folder)
    if loaded:
        print(f"a jsonl over 10 MiB, reviews first and last, loaded by {', '.join(loaded)}")
    if skipped:
        print(f"skipped (not installed): {', '.join(skipped)} on a large jsonl")
    if parquet:
        n, loaded, skipped = check_parquet(parquet, parquet_spans, records)
        print(f"checked {n} parquet spans (rows of articles and of spans) with {', '.join(loaded) or 'no tool'}")
        if skipped:
            print(f"skipped (not installed): {', '.join(skipped)} on parquet")


if __name__ == "__main__":
    main(*sys.argv[1:7])


# --- The formats of the field's tools: Prodigy (and spaCy from it), GraphML, node-link, VLSP 2018.
# Driven from tests/tool_formats.rs; each function checks its file against the jsonl export of the
# same corpus (`check_jsonl`'s records) and returns its counts, and says which tools were missing.
import re  # noqa: E402

PRODIGY_TOKEN_KEYS = {"text": str, "start": int, "end": int, "id": int, "ws": bool}
PRODIGY_SPAN_KEYS = {"start": int, "end": int, "token_start": int, "token_end": int, "label": str}
PRODIGY_RELATION_KEYS = {"head": int, "child": int, "head_span": dict, "child_span": dict, "label": str}


def has_keys(d, keys, what):
    for k, kind in keys.items():
        assert k in d, f"{what} has no {k!r}: {d}"
        assert isinstance(d[k], kind) and not (kind is int and isinstance(d[k], bool)), (what, k, d[k])


def check_prodigy(path, records):
    """Prodigy's documented task format, as `db-in` takes it and `rel.manual` saves it: `text`;
    `tokens` ({text, start, end, id, ws}) that slice the text and, each followed by a space where
    `ws` is set, give it back whole; `spans` on token boundaries (token_end inclusive); relations
    whose `head`/`child` are the last tokens of `head_span`/`child_span`, which are spans of the
    task; `answer` accept, reject or ignore; `meta` of strings. Checked against the jsonl records
    of the same corpus: one task per record, the same text, every span a jsonl span."""
    by_id = {r["id"]: r for r in records}
    tasks = [json.loads(line) for line in open(path, encoding="utf-8")]
    assert len(tasks) == len(records), (len(tasks), len(records))
    n_spans = n_rels = 0
    for t in tasks:
        text = t["text"]
        record = by_id[t["meta"]["id"]]
        assert text == record["text"]
        assert t["answer"] in ("accept", "reject", "ignore"), t["answer"]
        assert all(isinstance(v, str) for v in t["meta"].values()), t["meta"]
        rebuilt = []
        for i, tok in enumerate(t["tokens"]):
            has_keys(tok, PRODIGY_TOKEN_KEYS, "a token")
            assert tok["id"] == i and tok["text"] and text[tok["start"]:tok["end"]] == tok["text"], tok
            rebuilt.append(tok["text"] + (" " if tok["ws"] else ""))
        assert "".join(rebuilt) == text, "the tokens do not give the text back"
        toks = t["tokens"]
        gloss_spans = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
        spans = set()
        for s in t["spans"]:
            has_keys(s, PRODIGY_SPAN_KEYS, "a span")
            assert 0 <= s["token_start"] <= s["token_end"] < len(toks), s
            assert toks[s["token_start"]]["start"] == s["start"], ("span start is no token start", s)
            assert toks[s["token_end"]]["end"] == s["end"], ("span end is no token end", s)
            assert text[s["start"]:s["end"]] == s["text"], s
            assert (s["start"], s["end"], s["label"]) in gloss_spans, s
            spans.add(tuple(s[k] for k in PRODIGY_SPAN_KEYS))
            n_spans += 1
        for r in t["relations"]:
            has_keys(r, PRODIGY_RELATION_KEYS, "a relation")
            for end, span in (("head", "head_span"), ("child", "child_span")):
                has_keys(r[span], PRODIGY_SPAN_KEYS, span)
                assert tuple(r[span][k] for k in PRODIGY_SPAN_KEYS) in spans, (span, r)
                assert r[end] == r[span]["token_end"], (end, r)
            n_rels += 1
    return tasks, n_spans, n_rels


def prodigy_to_docbin(path, out):
    """The README's conversion of a prodigy export to a spaCy DocBin (tests/tool_formats.rs
    checks that the README shows these very lines)."""
    import json
    import spacy
    from spacy.tokens import Doc, DocBin, Span
    from spacy.util import filter_spans

    nlp = spacy.blank("xx")
    db = DocBin()
    for line in open(path, encoding="utf-8"):
        task = json.loads(line)
        words = [t["text"] for t in task["tokens"]]
        spaces = [t["ws"] for t in task["tokens"]]
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        spans = [Span(doc, s["token_start"], s["token_end"] + 1, s["label"]) for s in task["spans"]]
        doc.spans["sc"] = spans
        doc.ents = filter_spans(spans)
        db.add(doc)
    db.to_disk(out)


def check_spacy(path, tasks, folder):
    """The prodigy export through the README's conversion into a `.spacy` DocBin and back, with
    spaCy: every doc's text is the article's, every span of the span group `sc` the article's
    text at its offsets with its label, `doc.ents` the longest non-overlapping of them; and
    `Example.from_dict` takes each doc's spans and entities as character offsets."""
    try:
        import spacy
        from spacy.tokens import Doc, DocBin
        from spacy.training import Example
    except ImportError:
        return None
    out = os.path.join(folder, "corpus.spacy")
    prodigy_to_docbin(path, out)
    nlp = spacy.blank("xx")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    assert len(docs) == len(tasks)
    n_sc = n_ents = 0
    for doc, t in zip(docs, tasks):
        assert doc.text == t["text"]
        want = sorted((s["start"], s["end"], s["label"]) for s in t["spans"])
        got = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"])
        assert got == want, (got, want)
        for s in doc.spans["sc"]:
            assert s.text == t["text"][s.start_char:s.end_char]
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for i, a in enumerate(ents):
            assert a in want
            assert all(a[1] <= b[0] or b[1] <= a[0] for b in ents[i + 1:]), "ents overlap"
        # every span left out of the ents overlaps one kept
        for s in want:
            assert s in ents or any(s[0] < e[1] and e[0] < s[1] for e in ents), s
        # an unannotated copy of the doc takes the spans and entities as character offsets
        bare = Doc(nlp.vocab, words=[w.text for w in doc], spaces=[bool(w.whitespace_) for w in doc])
        ex = Example.from_dict(bare, {"entities": ents, "spans": {"sc": want}})
        assert sorted((s.start_char, s.end_char, s.label_) for s in ex.reference.spans["sc"]) == want
        assert [(e.start_char, e.end_char, e.label_) for e in ex.reference.ents] == ents
        n_sc += len(want)
        n_ents += len(ents)
    return n_sc, n_ents


def graph_jsonl(path):
    """gloss's own graph export: its nodes and edges, by node id and in order."""
    nodes, edges = {}, []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        if d["type"] == "node":
            nodes[d["id"]] = d
        else:
            edges.append(d)
    return nodes, edges


def check_graphs(graphml, node_link, graph, folder):
    """GraphML by `networkx.read_graphml` and node-link JSON by `networkx.node_link_graph`, as they
    are: the same nodes and edges as gloss's own graph export, each node's attributes scalars
    (`aliases` joined by "; "), the same graph from both; networkx writes it on as GEXF and
    GraphML (which refuse list-valued attributes)."""
    try:
        import networkx as nx
    except ImportError:
        return None
    nodes, edges = graph_jsonl(graph)
    g1 = nx.read_graphml(graphml)
    with open(node_link, encoding="utf-8") as f:
        g2 = nx.node_link_graph(json.load(f))
    # read_graphml gives a MultiDiGraph where two edges join the same nodes, else a DiGraph
    assert g1.is_directed() and g2.is_directed() and g2.is_multigraph()
    for g in (g1, g2):
        assert set(g.nodes) == set(nodes), (set(g.nodes) ^ set(nodes))
        assert g.number_of_edges() == len(edges), (g.number_of_edges(), len(edges))
        for n, d in nodes.items():
            a = g.nodes[n]
            assert a["label"] == d["name"] and a["type"] == d["label"], (n, a, d)
            assert a["aliases"] == "; ".join(d["aliases"]), (n, a)
            assert a["mentions"] == d["mentions"] and a["articles"] == d["articles"], (n, a)
            assert all(isinstance(v, (str, int, bool)) for v in a.values()), a
        got = sorted((u, v, d["label"], d["article"], d["head_tag"], d["tail_tag"]) for u, v, d in g.edges(data=True))
        want = sorted((e["head"], e["tail"], e["relation"], e["article"], e["head_tag"], e["tail_tag"]) for e in edges)
        assert got == want, (got, want)
    assert dict(g1.nodes(data=True)) == dict(g2.nodes(data=True))
    nx.write_gexf(g1, os.path.join(folder, "g.gexf"))
    nx.write_graphml(g2, os.path.join(folder, "g.graphml"))
    return g1.number_of_nodes(), g1.number_of_edges()


VLSP_TAG = re.compile(r'<ENAMEX TYPE="([^"]*)">|</ENAMEX>')


def vlsp_unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def check_vlsp2018(folder, records):
    """Each `.muc` file as a VLSP 2018 reader parses it (inline `<ENAMEX TYPE="…">` tags, nested,
    `&amp;`, `&lt;`, `&gt;` in the text): its text is its article's (the jsonl record of the same
    id) and every tag is a jsonl span at the same offsets, its text the article's there."""
    by_id = {r["id"]: r for r in records}
    n_files = n_tags = 0
    for root, _, files in os.walk(folder):
        for name in files:
            assert name.endswith(".muc"), name
            path = os.path.join(root, name)
            body = open(path, encoding="utf-8", newline="").read()
            text, stack, tags, at = "", [], [], 0
            for m in VLSP_TAG.finditer(body):
                text += vlsp_unescape(body[at:m.start()])
                at = m.end()
                if m.group(1) is not None:
                    stack.append((vlsp_unescape(m.group(1)), len(text)))
                else:
                    label, start = stack.pop()
                    tags.append((start, len(text), label))
            text += vlsp_unescape(body[at:])
            assert not stack, ("tags never closed", path)
            rid = os.path.relpath(path, folder)[: -len(".muc")] + ".txt"
            record = by_id[rid.replace(os.sep, "/")]
            assert text == record["text"], path
            spans = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
            for s, e, label in tags:
                assert (s, e, label) in spans, (path, s, e, label)
                n_tags += 1
            n_files += 1
    return n_files, n_tags


def check_tools(jsonl, prodigy, graphml, node_link, graph, vlsp):
    """Every check above on one corpus's exports; prints the counts and what was skipped."""
    import tempfile

    records, n_json = check_jsonl(jsonl)
    tasks, n_spans, n_rels = check_prodigy(prodigy, records)
    n_files, n_vlsp = check_vlsp2018(vlsp, records)
    print(f"prodigy: {len(tasks)} tasks, {n_spans} spans, {n_rels} relations; jsonl: {n_json} spans")
    print(f"vlsp2018: {n_files} files, {n_vlsp} tags")
    skipped = []
    with tempfile.TemporaryDirectory() as folder:
        sp = check_spacy(prodigy, tasks, folder)
        if sp is None:
            skipped.append("spacy")
        else:
            print(f"spacy: DocBin of {len(tasks)} docs, {sp[0]} spans in doc.spans['sc'], {sp[1]} doc.ents")
        gr = check_graphs(graphml, node_link, graph, folder)
        if gr is None:
            skipped.append("networkx")
        else:
            print(f"networkx: {gr[0]} nodes and {gr[1]} edges from graphml and node-link")
    if skipped:
        print(f"skipped (not installed): {', '.join(skipped)}")
