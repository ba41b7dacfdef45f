#!/usr/bin/env python3
"""trialsearch benchmark: one run, same machine, same records, trialsearch beside its peers.

usage: scripts/bench [--size N] [--peers all|none|LIST] [--bin-dir DIR] [--work DIR] [--out FILE]
                     [--skip-index-peers] [--no-snapshot]

Generates N synthetic studies (scripts/gen-corpus, seed 1), then measures:
  floors      cat of the input bytes; trialsearch validate (parse only, no index)
  indexing    wall time, records/s, MB/s, peak RSS, size on disk: trialsearch and each peer;
              with fts5, two floors: its converted records indexed by a bare Xapian 1.4 loop
              (trialsearch-xapian-floor), without positions and with FTS5's positions
  queries     p50/p95/p99 of scripts/benchmark/queries.txt: in process, and as whole CLI processes
  similar     p50/p99 for scripts/benchmark/mlt-ids.txt where the engine has it
  match       p50/p99 of `match` on the TREC 2022 and SIGIR 2016 patient descriptions (from
              ../shared/data/relevance; skipped without it), in process and as whole CLI
              processes, beside `search` on the same text in process
  nightly     upsert of 1,000 changed studies into the index, then a --snapshot rebuild
              (--no-snapshot: the upsert only; a rebuild costs as much as the first index)
Writes a Markdown report to --out (default bench-out/bench-N.md) and prints it.
Peers: scriptindex, fts5, sphinx, lucene (see scripts/benchmark/PEERS-NOTES.md).
"""
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEERS = {"scriptindex": "xapian_scriptindex.py", "fts5": "sqlite_fts5.py", "sphinx": "sphinx.py",
         "lucene": "lucene.py"}


def die(msg):
    print("bench: " + msg, file=sys.stderr)
    sys.exit(2)


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS KB, stdout)."""
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    wall = time.monotonic() - t0
    rss = 0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if m:
        rss = int(m.group(1))
    if p.returncode not in (0, 4):
        sys.stderr.write(p.stderr[-3000:])
        die("command failed (%d): %s" % (p.returncode, " ".join(cmd)))
    return wall, rss, p.stdout


def du(path):
    total = 0
    if os.path.isfile(path):
        return os.path.getsize(path)
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except OSError:
                pass
    return total


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))]


def load_queries(path, n=None):
    out = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                out.append(line)
    return out[:n] if n else out


def cli_args(line):
    q, _, filters = line.partition("\t")
    args = [q]
    for kv in filters.split(","):
        if "=" in kv:
            k, v = kv.split("=", 1)
            args += ["--" + k, v]
    return args


def changed_studies(corpus, out, n=1000):
    """Writes n studies of the corpus (evenly spread) with a new status and update date, as a
    nightly download would bring them; returns how many were written."""
    total = sum(1 for _ in open(corpus, "rb"))
    step = max(1, total // n)
    written = 0
    with open(corpus) as src, open(out, "w") as dst:
        for i, line in enumerate(src):
            if i % step or written >= n:
                continue
            study = json.loads(line)
            status = study.setdefault("protocolSection", {}).setdefault("statusModule", {})
            status["overallStatus"] = "ACTIVE_NOT_RECRUITING" if status.get("overallStatus") == "RECRUITING" else "RECRUITING"
            status["lastUpdatePostDateStruct"] = {"date": "2026-11-29", "type": "ACTUAL"}
            dst.write(json.dumps(study) + "\n")
            written += 1
    return written


def main(argv):
    size, peers, bin_dir, work, out, skip_peer_index = 2000, "all", os.path.join(ROOT, "build-rel"), None, None, False
    snapshot = True
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--size", "--peers", "--bin-dir", "--work", "--out") and i + 1 < len(argv):
            val = argv[i + 1]
            if a == "--size":
                if not val.isdigit():
                    die("--size takes a number")
                size = int(val)
            elif a == "--peers":
                peers = val
            elif a == "--bin-dir":
                bin_dir = val
            elif a == "--work":
                work = val
            else:
                out = val
            i += 2
        elif a == "--skip-index-peers":
            skip_peer_index = True
            i += 1
        elif a == "--no-snapshot":
            snapshot = False
            i += 1
        else:
            die("unknown argument %s\n" % a + __doc__.split("\n\n")[1])
    peer_list = [] if peers == "none" else list(PEERS) if peers == "all" else peers.split(",")
    for p in peer_list:
        if p not in PEERS:
            die("unknown peer %s (peers: %s)" % (p, ", ".join(PEERS)))
    ts = os.path.join(bin_dir, "trialsearch")
    qbench = os.path.join(bin_dir, "trialsearch-query-bench")
    for b in (ts, qbench):
        if not os.access(b, os.X_OK):
            die("no %s: build it first (cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel)" % b)
    work = work or os.path.join(ROOT, "bench-out", "work-%d" % size)
    os.makedirs(work, exist_ok=True)
    out = out or os.path.join(ROOT, "bench-out", "bench-%d.md" % size)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

    corpus = os.path.join(work, "corpus.jsonl")
    shared = os.path.join(ROOT, "..", "shared", "data", "ctgov-json-v2", "studies.jsonl")
    if not os.path.exists(corpus) and not os.path.exists(os.environ.get("TRIALSEARCH_STUDIES", shared)):
        print("SKIPPED: the corpus generator needs ../shared/data (real records to recombine); not found",
              file=sys.stderr)
        return 77
    if not os.path.exists(corpus):
        t0 = time.monotonic()
        subprocess.run([os.path.join(ROOT, "scripts", "gen-corpus"), str(size), "--seed", "1", "--out", corpus], check=True)
        print("generated %d studies in %.1f s" % (size, time.monotonic() - t0), file=sys.stderr)
    mb = os.path.getsize(corpus) / 1e6
    rows = []

    # floors
    wall, _, _ = timed(["sh", "-c", "cat %s > /dev/null" % corpus])
    rows.append(("floor: cat", wall, size / wall, mb / wall, None, None))
    wall, rss, _ = timed([ts, "validate", "-q", "--json", corpus])
    rows.append(("floor: trialsearch readers (parse only)", wall, size / wall, mb / wall, rss, None))

    # trialsearch indexing
    db = os.path.join(work, "ts-db")
    shutil.rmtree(db, ignore_errors=True)
    wall, rss, summary = timed([ts, "index", "-q", "--json", "--db", db, corpus])
    rows.append(("trialsearch index", wall, size / wall, mb / wall, rss, du(db)))
    peer_results = {}
    for p in peer_list:
        script = os.path.join(HERE, "peers", PEERS[p])
        pw = os.path.join(work, p)
        if not skip_peer_index or not os.path.exists(pw):
            shutil.rmtree(pw, ignore_errors=True)
            r = subprocess.run([sys.executable, script, "build", corpus, pw], capture_output=True, text=True)
            if r.returncode != 0:
                sys.stderr.write(r.stderr[-2000:])
                die("peer %s failed to build" % p)
            res = json.loads(r.stdout.strip().splitlines()[-1])
            peer_results[p] = res
            rows.append(("%s (convert %.1f s, not included)" % (p, res.get("convert_s", 0)), res["index_s"],
                         size / res["index_s"], mb / res["index_s"], res.get("index_rss_kb"),
                         res.get("index_mb", 0) * 1e6))

    # What any Xapian 1.4 index of the same fields costs: FTS5's converted records indexed by a
    # bare TermGenerator loop in one thread (tests/bench/xapian_floor.cpp), without and with
    # what FTS5 keeps (each word's position in its column).
    floor = os.path.join(bin_dir, "trialsearch-xapian-floor")
    tsv = os.path.join(work, "fts5", "records.tsv")
    if "fts5" in peer_list and not os.access(floor, os.X_OK):
        print("bench: no %s: the bare-Xapian floors are left out" % floor, file=sys.stderr)
    elif "fts5" in peer_list and os.path.exists(tsv):
        for label, extra in (("no positions, no prefixes", []),
                             ("positions and a prefix per column, as FTS5 keeps", ["--positions", "--prefixes"])):
            xdb = os.path.join(work, "xapian-floor")
            r = subprocess.run([floor, tsv, xdb, "--threshold", "250"] + extra, capture_output=True, text=True,
                               check=True)
            j = json.loads(r.stdout)
            rows.append(("floor: bare Xapian 1.4 on fts5's input, one thread, %s" % label, j["seconds"],
                         size / j["seconds"], mb / j["seconds"], None, j["index_mb"] * 1e6))
            shutil.rmtree(xdb, ignore_errors=True)

    # queries
    qfile = os.path.join(HERE, "queries.txt")
    qrows = []
    r = subprocess.run([qbench, db, qfile, "--runs", "3"], capture_output=True, text=True, check=True)
    j = json.loads(r.stdout)
    qrows.append(("trialsearch", "in process", j["p50_ms"], j["p95_ms"], j["p99_ms"], j["answered"]))
    r = subprocess.run([qbench, db, qfile, "--runs", "1", "--facets"], capture_output=True, text=True, check=True)
    j = json.loads(r.stdout)
    qrows.append(("trialsearch", "in process, with status+phase facets", j["p50_ms"], j["p95_ms"], j["p99_ms"], j["answered"]))
    cli_ms = []
    for line in load_queries(qfile, 75):
        t0 = time.monotonic()
        subprocess.run([ts, "search", "--db", db, "--limit", "10", "--json"] + cli_args(line),
                       capture_output=True, check=False)
        cli_ms.append((time.monotonic() - t0) * 1000)
    qrows.append(("trialsearch", "whole CLI process (75 queries)", pct(cli_ms, .5), pct(cli_ms, .95), pct(cli_ms, .99), None))
    for p in peer_list:
        script = os.path.join(HERE, "peers", PEERS[p])
        extra = ["--quest", "75"] if p == "scriptindex" else []
        r = subprocess.run([sys.executable, script, "query", os.path.join(work, p), qfile] + extra,
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stderr[-2000:])
            continue
        for line in r.stdout.strip().splitlines():
            try:
                j = json.loads(line)
            except ValueError:
                continue
            qrows.append((p, j.get("mode", "in process"), j["p50_ms"], j["p95_ms"], j["p99_ms"], j.get("answered")))

    # similar
    mrows = []
    ids = load_queries(os.path.join(HERE, "mlt-ids.txt"))
    help_text = subprocess.run([ts, "--help"], capture_output=True, text=True).stdout
    if "similar" in help_text:
        ms = []
        for nct in ids:
            t0 = time.monotonic()
            subprocess.run([ts, "similar", "--db", db, "--limit", "10", "--json", nct], capture_output=True)
            ms.append((time.monotonic() - t0) * 1000)
        mrows.append(("trialsearch similar", "whole CLI process", pct(ms, .5), pct(ms, .99)))
        r = subprocess.run([qbench, db, os.path.join(HERE, "mlt-ids.txt"), "--runs", "3", "--similar"],
                           capture_output=True, text=True, check=True)
        j = json.loads(r.stdout)
        mrows.append(("trialsearch similar", "in process", j["p50_ms"], j["p99_ms"]))
    for p in peer_list:
        if p not in ("scriptindex", "lucene"):
            continue
        script = os.path.join(HERE, "peers", PEERS[p])
        r = subprocess.run([sys.executable, script, "query", os.path.join(work, p), qfile, "--mlt",
                            os.path.join(HERE, "mlt-ids.txt")], capture_output=True, text=True)
        for line in r.stdout.strip().splitlines():
            try:
                j = json.loads(line)
            except ValueError:
                continue
            if "more-like-this" in j.get("mode", "").lower():
                mrows.append((p, j.get("mode", "mlt"), j["p50_ms"], j["p99_ms"]))

    # match: the patient descriptions of the relevance collections, one per line
    prows = []
    patients = os.path.join(work, "patients.txt")
    sources = [os.path.join(ROOT, "..", "shared", "data", "relevance", c, "queries.jsonl")
               for c in ("trec-ct-2022", "sigir-2016")]
    if "match" in help_text and all(os.path.exists(f) for f in sources):
        with open(patients, "w") as out_f:
            for f in sources:
                with open(f) as in_f:
                    for line in in_f:
                        out_f.write(" ".join(json.loads(line)["text"].split()) + "\n")
        texts = load_queries(patients)
        ms = []
        for text in texts:
            t0 = time.monotonic()
            subprocess.run([ts, "match", "--db", db, "--limit", "10", "--json", "--", text], capture_output=True)
            ms.append((time.monotonic() - t0) * 1000)
        prows.append(("trialsearch match", "whole CLI process", pct(ms, .5), pct(ms, .99)))
        for name, flag in (("trialsearch match", ["--match"]), ("trialsearch search, same text", [])):
            r = subprocess.run([qbench, db, patients, "--runs", "3"] + flag, capture_output=True, text=True,
                               check=True)
            j = json.loads(r.stdout)
            prows.append((name, "in process", j["p50_ms"], j["p99_ms"]))

    # nightly: 1,000 changed studies upserted, then the whole corpus as a snapshot (a new
    # generation, compared with the live one, published)
    nrows = []
    changed = os.path.join(work, "changed.jsonl")
    n_changed = changed_studies(corpus, changed)
    wall, rss, out_json = timed([ts, "index", "-q", "--json", "--db", db, changed])
    j = json.loads(out_json)
    nrows.append(("upsert of %d changed studies" % n_changed, wall, rss,
                  "%d replaced, %d status changes" % (j["replaced"], j["status_changes"])))
    if snapshot:
        wall, rss, out_json = timed([ts, "index", "-q", "--json", "--snapshot", "--db", db, corpus])
        j = json.loads(out_json)
        nrows.append(("--snapshot rebuild of all %d" % size, wall, rss,
                      "%d replaced, %d unchanged, %d status changes" % (j["replaced"], j["unchanged"], j["status_changes"])))

    # report
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            cpu = m.group(1) if m else ""
    except OSError:
        pass
    lines = ["## Benchmark run: %d synthetic studies (%.0f MB NDJSON)" % (size, mb), "",
             "- date: %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
             "- machine: %s, %d cores, %.0f GB RAM, %s" % (cpu, os.cpu_count(),
                                                        os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
                                                        platform.platform()),
             "- command: `scripts/bench %s`" % " ".join(argv), "",
             "### Indexing", "", "| engine | seconds | records/s | MB/s | peak RSS MB | index MB |", "|---|---|---|---|---|---|"]
    for name, wall, rps, mbs, rss, size_b in rows:
        lines.append("| %s | %.1f | %.0f | %.1f | %s | %s |" % (name, wall, rps, mbs,
                     "%.0f" % (rss / 1024) if rss else "-", "%.0f" % (size_b / 1e6) if size_b else "-"))
    lines += ["", "### Queries (scripts/benchmark/queries.txt)", "", "| engine | mode | p50 ms | p95 ms | p99 ms | queries answered |",
              "|---|---|---|---|---|---|"]
    for e, mode, p50, p95, p99, ans in qrows:
        lines.append("| %s | %s | %.2f | %.2f | %.2f | %s |" % (e, mode, p50, p95, p99, "-" if ans is None else ans))
    if mrows:
        lines += ["", "### More like this (scripts/benchmark/mlt-ids.txt)", "", "| engine | mode | p50 ms | p99 ms |", "|---|---|---|---|"]
        for e, mode, p50, p99 in mrows:
            lines.append("| %s | %s | %.2f | %.2f |" % (e, mode, p50, p99))
    if prows:
        lines += ["", "### Patient descriptions (TREC 2022 and SIGIR 2016 topics, whole text)", "",
                  "| engine | mode | p50 ms | p99 ms |", "|---|---|---|---|"]
        for e, mode, p50, p99 in prows:
            lines.append("| %s | %s | %.2f | %.2f |" % (e, mode, p50, p99))
    lines += ["", "### Nightly", "", "| run | seconds | peak RSS MB | result |", "|---|---|---|---|"]
    for name, wall, rss, result in nrows:
        lines.append("| %s | %.1f | %.0f | %s |" % (name, wall, rss / 1024, result))
    report = "\n".join(lines) + "\n"
    with open(out, "w") as f:
        f.write(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
