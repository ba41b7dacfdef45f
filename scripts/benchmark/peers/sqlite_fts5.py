#!/usr/bin/env python3
"""Peer (b): SQLite FTS5 (python3's sqlite3 module), ranked by bm25 with per-column weights.

usage: sqlite_fts5.py build STUDIES.jsonl WORKDIR
       sqlite_fts5.py query WORKDIR QUERIES.txt
build: converts the NDJSON to a TSV (WORKDIR/records.tsv; timed separately), then loads it into
  WORKDIR/fts.db: an FTS5 table (porter unicode61 remove_diacritics 2) over the same text fields
  as trialsearch plus a plain table `meta(rowid, nct, status, phases, type)` for filters.
query: in process, top 10 by bm25(weights = trialsearch's field weights), implicit AND; a quoted
  phrase or a hyphenated word (CC-97540) becomes an FTS5 phrase.
"""
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

COLS = [name for name, _ in common.TEXT_FIELDS]
WEIGHTS = ", ".join(str(w) for _, w in common.TEXT_FIELDS)


def convert(src, dst):
    with open(dst, "w", encoding="utf-8") as out:
        for r in common.read_studies(src):
            row = [r["nct"], r["status"], " ".join(r["phases"]), r["type"]] + [r[c] for c in COLS]
            out.write("\t".join(row) + "\n")


def load(tsv, db_path):
    if os.path.exists(db_path):
        os.unlink(db_path)
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(f"CREATE VIRTUAL TABLE fts USING fts5({', '.join(COLS)}, "
                "tokenize='porter unicode61 remove_diacritics 2')")
    con.execute("CREATE TABLE meta(rowid INTEGER PRIMARY KEY, nct TEXT UNIQUE, status TEXT, phases TEXT, type TEXT)")
    ph = ", ".join("?" * (len(COLS) + 1))

    def rows():
        with open(tsv, encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                yield [i] + line.rstrip("\n").split("\t")

    batch_meta, batch_fts = [], []
    with con:
        for row in rows():
            batch_meta.append(row[:5])
            batch_fts.append([row[0]] + row[5:])
            if len(batch_fts) >= 1000:
                con.executemany("INSERT INTO meta VALUES (?, ?, ?, ?, ?)", batch_meta)
                con.executemany(f"INSERT INTO fts(rowid, {', '.join(COLS)}) VALUES ({ph})", batch_fts)
                batch_meta, batch_fts = [], []
        con.executemany("INSERT INTO meta VALUES (?, ?, ?, ?, ?)", batch_meta)
        con.executemany(f"INSERT INTO fts(rowid, {', '.join(COLS)}) VALUES ({ph})", batch_fts)
        con.execute("CREATE INDEX meta_status ON meta(status)")
        con.execute("CREATE INDEX meta_type ON meta(type)")
    con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    con.commit()
    con.close()


def build(src, work):
    common.check_file(src, "studies")
    os.makedirs(work, exist_ok=True)
    tsv, db = os.path.join(work, "records.tsv"), os.path.join(work, "fts.db")
    n = common.count_lines(src)
    me = os.path.abspath(__file__)
    cw, cr = common.timed([sys.executable, me, "convert", src, tsv])
    iw, ir = common.timed([sys.executable, me, "load", tsv, db], log=os.path.join(work, "load.log"))
    common.report({"peer": "sqlite-fts5", "sqlite": sqlite3.sqlite_version, "records": n, "convert_s": round(cw, 2),
                   "convert_rss_kb": cr, "input_mb": round(os.path.getsize(tsv) / 1e6, 1), "index_s": round(iw, 2),
                   "records_per_s": round(n / iw), "index_rss_kb": ir, "index_mb": round(common.du(db) / 1e6, 1)})


def fts_expr(q):
    return " AND ".join('"' + " ".join(toks) + '"' for toks in common.query_items(q))


def query(work, qfile):
    db = os.path.join(work, "fts.db")
    common.check_file(db, "database (run build first)")
    con = sqlite3.connect(db)
    lat, hits = [], 0
    base = f"SELECT meta.nct FROM fts JOIN meta ON meta.rowid = fts.rowid WHERE fts MATCH ?"
    for q, filters in common.read_queries(qfile):
        expr = fts_expr(q)
        if not expr:
            continue
        sql, args = base, [expr]
        if "status" in filters:
            sql += " AND meta.status = ?"
            args.append(filters["status"])
        if "type" in filters:
            sql += " AND meta.type = ?"
            args.append(filters["type"])
        if "phase" in filters:
            sql += " AND (' ' || meta.phases || ' ') LIKE ?"
            args.append(f"% {filters['phase']} %")
        sql += f" ORDER BY bm25(fts, {WEIGHTS}) LIMIT 10"
        t0 = time.perf_counter()
        ids = [r[0] for r in con.execute(sql, args)]
        lat.append((time.perf_counter() - t0) * 1000)
        hits += bool(ids)
    common.report(dict(peer="sqlite-fts5", mode="in-process python sqlite3", answered=hits, **common.percentiles(lat)))


def main(argv):
    usage = " | ".join(u.strip() for u in __doc__.split("\n\n")[1].split("\n")[:2])
    if len(argv) == 3 and argv[0] in ("convert", "load", "build", "query"):
        if argv[0] == "query":
            common.check_file(argv[2], "queries")
        return {"convert": convert, "load": load, "build": build, "query": query}[argv[0]](argv[1], argv[2])
    common.die(usage)


if __name__ == "__main__":
    main(sys.argv[1:])
