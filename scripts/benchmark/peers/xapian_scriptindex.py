#!/usr/bin/env python3
"""Peer (a): Xapian's scriptindex (xapian-omega) with trialsearch.script.

usage: xapian_scriptindex.py build STUDIES.jsonl WORKDIR
       xapian_scriptindex.py query WORKDIR QUERIES.txt [--mlt IDS.txt] [--quest N]
build: converts the NDJSON to scriptindex records (WORKDIR/records.txt; timed separately), then
  runs scriptindex into WORKDIR/db. Reports wall time, peak RSS and size on disk.
query: in process with python3-xapian (QueryParser with the script's prefixes, default AND,
  English stemming as scriptindex), top 10 per query; --mlt: Omega-style more-like-this (RSet +
  get_eset(40) + OP_ELITE_SET, source excluded) for each NCT id listed; --quest N: also the first
  N queries as one whole `quest` process each.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "trialsearch.script")
PREFIXES = {"title": "S", "conditions": "XC", "interventions": "XI", "keywords": "K", "outcomes": "XO",
            "summary": "XB", "sponsors": "XSP", "ids": "XID", "mesh": "XM", "sites": "XL", "eligibility": "XE"}
FILTERS = {"status": "XST", "phase": "XPH", "type": "XTY"}


def convert(src, dst):
    with open(dst, "w", encoding="utf-8") as out:
        for r in common.read_studies(src):
            lines = [f"nct={r['nct']}"]
            for name, _ in common.TEXT_FIELDS:
                if r[name]:
                    lines.append(f"{name}={r[name]}")
            if r["status"]:
                lines.append(f"status={r['status']}")
            lines.extend(f"phase={ph}" for ph in r["phases"])
            if r["type"]:
                lines.append(f"type={r['type']}")
            # multi-line values would continue with '=' lines; common.flat() made them one line
            out.write("\n".join(lines) + "\n\n")


def build(src, work):
    common.check_file(src, "studies")
    os.makedirs(work, exist_ok=True)
    rec, db = os.path.join(work, "records.txt"), os.path.join(work, "db")
    n = common.count_lines(src)
    cw, cr = common.timed([sys.executable, os.path.abspath(__file__), "convert", src, rec])
    iw, ir = common.timed(["scriptindex", "--overwrite", db, SCRIPT, rec], log=os.path.join(work, "scriptindex.log"))
    common.report({"peer": "xapian-scriptindex", "records": n, "convert_s": round(cw, 2), "convert_rss_kb": cr,
                   "input_mb": round(os.path.getsize(rec) / 1e6, 1), "index_s": round(iw, 2),
                   "records_per_s": round(n / iw), "index_rss_kb": ir,
                   "index_mb": round(common.du(db) / 1e6, 1)})


def quest_cmd(db, q, filters):
    cmd = ["quest", "-d", db, "-o", "and", "-m", "10"]
    cmd += [f"-p{k}:{v}" for k, v in PREFIXES.items()] + [f"-b{k}:{v}" for k, v in FILTERS.items()]
    return cmd + [" ".join([q] + [f"{k}:{v}" for k, v in filters.items()])]


def query(work, qfile, mlt=None, quest_n=0):
    try:
        import xapian
    except ImportError:
        if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        common.die("python3-xapian is not installed (apt-get install python3-xapian)")
    db_path = os.path.join(work, "db")
    if not os.path.isdir(db_path):
        common.die(f"no database at {db_path}: run build first")
    queries = common.read_queries(qfile)
    db = xapian.Database(db_path)
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_stemmer(xapian.Stem("english"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_default_op(xapian.Query.OP_AND)
    for k, v in PREFIXES.items():
        qp.add_prefix(k, v)
    enq = xapian.Enquire(db)
    lat, hits = [], 0
    for q, filters in queries:
        t0 = time.perf_counter()
        query = qp.parse_query(q)
        for k, v in filters.items():
            if k in FILTERS:
                query = xapian.Query(xapian.Query.OP_FILTER, query, xapian.Query(FILTERS[k] + v))
        enq.set_query(query)
        mset = enq.get_mset(0, 10)
        ids = [m.document.get_data() for m in mset]
        lat.append((time.perf_counter() - t0) * 1000)
        hits += bool(ids)
    common.report(dict(peer="xapian-scriptindex", mode="in-process python3-xapian", answered=hits,
                       **common.percentiles(lat)))
    if mlt:
        common.check_file(mlt, "MLT id list")
        lat = []
        for nct in (ln.strip() for ln in open(mlt) if ln.strip()):
            t0 = time.perf_counter()
            pl = [p.docid for p in db.postlist("Q" + nct)]
            if not pl:
                continue
            rset = xapian.RSet()
            rset.add_document(pl[0])
            enq.set_query(xapian.Query.MatchAll)
            eset = enq.get_eset(40, rset)
            terms = [xapian.Query(e.term) for e in eset]
            query = xapian.Query(xapian.Query.OP_AND_NOT,
                                 xapian.Query(xapian.Query.OP_ELITE_SET, terms, 40), xapian.Query("Q" + nct))
            enq.set_query(query)
            [m.document.get_data() for m in enq.get_mset(0, 10)]
            lat.append((time.perf_counter() - t0) * 1000)
        common.report(dict(peer="xapian-scriptindex", mode="more-like-this (eset 40, elite set)",
                           **common.percentiles(lat)))
    if quest_n:
        lat = []
        for q, filters in queries[:quest_n]:
            t0 = time.perf_counter()
            subprocess.run(quest_cmd(db_path, q, filters), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            lat.append((time.perf_counter() - t0) * 1000)
        common.report(dict(peer="xapian-scriptindex", mode="whole process (quest)", **common.percentiles(lat)))


def main(argv):
    usage = __doc__.strip().split("\n\n")[1].split("\n")[0:2]
    if len(argv) == 3 and argv[0] == "convert":
        return convert(argv[1], argv[2])
    if len(argv) == 3 and argv[0] == "build":
        return build(argv[1], argv[2])
    if len(argv) >= 3 and argv[0] == "query":
        opts, rest = {"--mlt": None, "--quest": "0"}, argv[3:]
        while rest:
            if rest[0] not in opts or len(rest) < 2:
                common.die("bad option " + rest[0] + "; " + " | ".join(u.strip() for u in usage))
            opts[rest[0]] = rest[1]
            rest = rest[2:]
        common.check_file(argv[2], "queries")
        if not opts["--quest"].isdigit():
            common.die("--quest needs a number")
        return query(argv[1], argv[2], opts["--mlt"], int(opts["--quest"]))
    common.die(" | ".join(u.strip() for u in usage))


if __name__ == "__main__":
    main(sys.argv[1:])
