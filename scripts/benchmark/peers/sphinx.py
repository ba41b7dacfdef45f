#!/usr/bin/env python3
"""Peer (c): Sphinx 2.2 (sphinxsearch): `indexer` over a tsvpipe source; searchd on 127.0.0.1 only.

usage: sphinx.py build STUDIES.jsonl WORKDIR
       sphinx.py query WORKDIR QUERIES.txt [--port P]
build: converts the NDJSON to TSV (WORKDIR/records.tsv; timed separately), writes
  WORKDIR/sphinx.conf and runs `indexer --all` (stem_en, the same text fields as trialsearch;
  status/type as uint attributes and phases as a multi-value attribute, all crc32 of the value).
query: starts searchd on 127.0.0.1:P (default 9406, mysql41 protocol), times each SphinxQL query
  in process through a minimal stdlib MySQL-protocol client (top 10, ranker bm25, field weights
  as trialsearch's, implicit AND), then stops searchd.
"""
import os
import socket
import struct
import subprocess
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

COLS = [name for name, _ in common.TEXT_FIELDS]
WEIGHTS = ", ".join(f"{n}={w}" for n, w in common.TEXT_FIELDS)


def crc(v):
    return zlib.crc32(v.encode())


def convert(src, dst):
    with open(dst, "w", encoding="utf-8") as out:
        for i, r in enumerate(common.read_studies(src), 1):
            row = [str(i), r["nct"]] + [r[c] for c in COLS]
            row += [str(crc(r["status"])), ",".join(str(crc(p)) for p in r["phases"]), str(crc(r["type"]))]
            out.write("\t".join(row) + "\n")


def write_conf(work, port):
    w = os.path.abspath(work)
    fields = "\n".join(f"    tsvpipe_field = {c}" for c in COLS)
    conf = f"""source trials
{{
    type = tsvpipe
    tsvpipe_command = cat {w}/records.tsv
    tsvpipe_field_string = nct
{fields}
    tsvpipe_attr_uint = status
    tsvpipe_attr_multi = phase
    tsvpipe_attr_uint = type
}}
index trials
{{
    source = trials
    path = {w}/index/trials
    morphology = stem_en
    min_word_len = 1
    html_strip = 0
}}
indexer
{{
    mem_limit = 256M
}}
searchd
{{
    listen = 127.0.0.1:{port}:mysql41
    log = {w}/searchd.log
    query_log = {w}/query.log
    pid_file = {w}/searchd.pid
    binlog_path =
    workers = threads
}}
"""
    with open(os.path.join(w, "sphinx.conf"), "w") as f:
        f.write(conf)


def build(src, work):
    common.check_file(src, "studies")
    os.makedirs(os.path.join(work, "index"), exist_ok=True)
    tsv = os.path.join(work, "records.tsv")
    n = common.count_lines(src)
    cw, cr = common.timed([sys.executable, os.path.abspath(__file__), "convert", src, tsv])
    write_conf(work, 9406)
    iw, ir = common.timed(["indexer", "--config", os.path.join(work, "sphinx.conf"), "--all"],
                          log=os.path.join(work, "indexer.log"))
    common.report({"peer": "sphinx-2.2", "records": n, "convert_s": round(cw, 2), "convert_rss_kb": cr,
                   "input_mb": round(os.path.getsize(tsv) / 1e6, 1), "index_s": round(iw, 2),
                   "records_per_s": round(n / iw), "index_rss_kb": ir,
                   "index_mb": round(common.du(os.path.join(work, "index")) / 1e6, 1)})


class MySQL:
    """Just enough of the MySQL 4.1 protocol for SphinxQL: connect without auth, query, rows."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.f = self.s.makefile("rb")
        self.packet()  # server greeting
        caps = 0x0200 | 0x8000  # PROTOCOL_41 | SECURE_CONNECTION
        self.send(struct.pack("<IIB23x", caps, 1 << 24, 33) + b"root\0\0", 1)
        self.check(self.packet())

    def packet(self):
        head = self.f.read(4)
        if len(head) < 4:
            raise ConnectionError("searchd closed the connection")
        n = head[0] | head[1] << 8 | head[2] << 16
        return self.f.read(n)

    def send(self, payload, seq=0):
        self.s.sendall(struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload)

    @staticmethod
    def check(p):
        if p[:1] == b"\xff":
            raise RuntimeError("searchd: " + p[9:].decode("utf-8", "replace"))

    @staticmethod
    def lenenc(p, i):
        c = p[i]
        if c < 0xfb:
            return c, i + 1
        if c == 0xfb:
            return None, i + 1
        size = {0xfc: 2, 0xfd: 3, 0xfe: 8}[c]
        return int.from_bytes(p[i + 1:i + 1 + size], "little"), i + 1 + size

    def query(self, sql):
        self.send(b"\x03" + sql.encode("utf-8"))
        p = self.packet()
        self.check(p)
        if p[:1] == b"\x00":
            return []
        while self.packet()[:1] != b"\xfe":  # column definitions
            pass
        rows = []
        for _ in range(10_000_000):
            p = self.packet()
            if p[:1] == b"\xfe" and len(p) < 9:
                break
            self.check(p)
            row, i = [], 0
            while i < len(p):
                n, i = self.lenenc(p, i)
                row.append(None if n is None else p[i:i + n].decode("utf-8", "replace"))
                i += n or 0
            rows.append(row)
        return rows


def sphinx_expr(q):
    return " ".join('"' + " ".join(t) + '"' if len(t) > 1 else t[0] for t in common.query_items(q))


def query(work, qfile, port):
    if not os.path.isdir(os.path.join(work, "index")):
        common.die(f"no index in {work}: run build first")
    write_conf(work, port)
    conf = os.path.join(work, "sphinx.conf")
    subprocess.run(["searchd", "--config", conf], stdout=subprocess.DEVNULL, check=True)
    try:
        con = None
        for _ in range(50):
            try:
                con = MySQL(port)
                break
            except OSError:
                time.sleep(0.1)
        if con is None:
            common.die(f"searchd did not answer on 127.0.0.1:{port}")
        lat, hits = [], 0
        for q, filters in common.read_queries(qfile):
            expr = sphinx_expr(q)
            if not expr:
                continue
            where = "".join(f" AND {k}={crc(v)}" for k, v in filters.items() if k in ("status", "phase", "type"))
            sql = (f"SELECT id, nct FROM trials WHERE MATCH('{expr}'){where} LIMIT 10 "
                   f"OPTION ranker=bm25, field_weights=({WEIGHTS})")
            t0 = time.perf_counter()
            rows = con.query(sql)
            lat.append((time.perf_counter() - t0) * 1000)
            hits += bool(rows)
        common.report(dict(peer="sphinx-2.2", mode="searchd 127.0.0.1, SphinxQL in process", answered=hits,
                           **common.percentiles(lat)))
    finally:
        subprocess.run(["searchd", "--config", conf, "--stopwait"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


def main(argv):
    usage = " | ".join(u.strip() for u in __doc__.split("\n\n")[1].split("\n")[:2])
    if len(argv) == 3 and argv[0] in ("convert", "build"):
        return (convert if argv[0] == "convert" else build)(argv[1], argv[2])
    if argv[:1] == ["query"] and len(argv) in (3, 5):
        port = 9406
        if len(argv) == 5:
            if argv[3] != "--port" or not argv[4].isdigit():
                common.die(usage)
            port = int(argv[4])
        common.check_file(argv[2], "queries")
        return query(argv[1], argv[2], port)
    common.die(usage)


if __name__ == "__main__":
    main(sys.argv[1:])
