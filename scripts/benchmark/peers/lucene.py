#!/usr/bin/env python3
"""Peer (d): Lucene++ 3.0.8 (liblucene++-dev), through lucene/lucene_bench.cpp.

usage: lucene.py build STUDIES.jsonl WORKDIR [--no-term-vectors]
       lucene.py query WORKDIR QUERIES.txt [--mlt IDS.txt]
build: compiles lucene/lucene_bench if needed (make), converts the NDJSON to TSV
  (WORKDIR/records.tsv; timed separately), indexes into WORKDIR/index with the English Snowball
  analyzer, the same text fields as trialsearch (term vectors on, for more-like-this) and
  status/phase/type as untokenized filter fields, then optimizes.
query: MultiFieldQueryParser with trialsearch's field weights as boosts, default AND, top 10;
  latency measured inside the C++ process. --mlt: more-like-this per NCT id listed. Debian's
  Lucene++ contrib has no MoreLikeThis class: lucene_bench re-implements Lucene's algorithm.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import sqlite_fts5  # noqa: E402  (same TSV layout)

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "lucene", "lucene_bench")


def compile_bench():
    r = subprocess.run(["make", "-s", "-C", os.path.join(HERE, "lucene")], stdout=subprocess.DEVNULL)
    if r.returncode != 0 or not os.path.exists(BIN):
        common.die("could not build lucene/lucene_bench (needs g++, make, liblucene++-dev, libboost-*-dev)")


def build(src, work, term_vectors):
    common.check_file(src, "studies")
    compile_bench()
    os.makedirs(work, exist_ok=True)
    tsv, index = os.path.join(work, "records.tsv"), os.path.join(work, "index")
    n = common.count_lines(src)
    cw, cr = common.timed([sys.executable, os.path.join(HERE, "sqlite_fts5.py"), "convert", src, tsv])
    cmd = [BIN, "index", tsv, index] + ([] if term_vectors else ["--no-term-vectors"])
    iw, ir = common.timed(cmd, log=os.path.join(work, "index.log"))
    common.report({"peer": "lucene++-3.0.8", "term_vectors": term_vectors, "records": n, "convert_s": round(cw, 2),
                   "convert_rss_kb": cr, "input_mb": round(os.path.getsize(tsv) / 1e6, 1), "index_s": round(iw, 2),
                   "records_per_s": round(n / iw), "index_rss_kb": ir, "index_mb": round(common.du(index) / 1e6, 1)})


SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def lucene_query(q):
    """Lower-cased (no AND/OR/NOT operators); words escaped so the analyzer sees them as indexed
    (StandardTokenizer keeps `bms-986165` whole); quoted phrases kept."""
    out = []
    for m in common.QUERY_ITEM.finditer(q.lower()):
        if m.group(1) is not None:
            if m.group(1).strip():
                out.append('"' + m.group(1).replace("\\", " ") + '"')
        else:
            out.append("".join("\\" + c if c in SPECIAL else c for c in m.group(2)))
    return " ".join(out)


def query(work, qfile, mlt):
    compile_bench()
    if not os.path.isdir(os.path.join(work, "index")):
        common.die(f"no index in {work}: run build first")
    lq = os.path.join(work, "queries.lq")
    with open(lq, "w", encoding="utf-8") as f:
        for q, filters in common.read_queries(qfile):
            filt = ",".join(f"{k}={v}" for k, v in filters.items() if k in ("status", "phase", "type"))
            f.write(lucene_query(q) + ("\t" + filt if filt else "") + "\n")
    cmd = [BIN, "query", os.path.join(work, "index"), lq] + (["--mlt", mlt] if mlt else [])
    out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True).stdout
    lat = {"q": [], "mlt": []}
    answered = 0
    for ln in out.splitlines():
        kind, ms, hits = ln.split()
        lat[kind].append(float(ms))
        answered += kind == "q" and int(hits) > 0
    common.report(dict(peer="lucene++-3.0.8", mode="in-process C++", answered=answered, **common.percentiles(lat["q"])))
    if mlt:
        common.report(dict(peer="lucene++-3.0.8", mode="more-like-this (re-implemented, 25 terms)",
                           **common.percentiles(lat["mlt"])))


def main(argv):
    usage = " | ".join(u.strip() for u in __doc__.split("\n\n")[1].split("\n")[:2])
    if argv[:1] == ["build"] and (len(argv) == 3 or (len(argv) == 4 and argv[3] == "--no-term-vectors")):
        return build(argv[1], argv[2], len(argv) == 3)
    if argv[:1] == ["query"] and (len(argv) == 3 or (len(argv) == 5 and argv[3] == "--mlt")):
        common.check_file(argv[2], "queries")
        if len(argv) == 5:
            common.check_file(argv[4], "MLT id list")
        return query(argv[1], argv[2], argv[4] if len(argv) == 5 else None)
    common.die(usage)


if __name__ == "__main__":
    main(sys.argv[1:])
