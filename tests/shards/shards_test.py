#!/usr/bin/env python3
"""Shard sets served by Xapian's own xapian-tcpsrv on loopback: every read command gives over
two and four remote shards what it gives on one local database of the same trials.

usage: shards_test.py TRIALSEARCH_BINARY [--quick]
(--quick, for the sanitizer build: the 584 API v2 studies, 20 queries, 10 ids, 3 descriptions)

With ../shared/data: the shared real records (AllPublicXML subset + studies.jsonl), the 200
queries of scripts/benchmark (with their filters, facets on some and each sort order on others),
`similar` on 100 ids, `show`, `aliases`, `match` on 20 TREC 2022 patient descriptions. Without
it: the bundled corpus/ only, said on the first line. Then: a shard that is down (search and
match exit 1 naming it; stats lists it as DOWN and exits 1), a stub naming a shard twice or
leaving one out (refused), and a nightly change carried into the set by `trialsearch shard`.
Every server is started and stopped here (loopback, free ports).
"""
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
QUICK = "--quick" in sys.argv


class Failed(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failed(message)


def run(*args, ok=(0,)):
    # index and shard write thousands of trials (minutes under the sanitizers); reads are quick
    timeout = 1200 if args[0] in ("index", "shard") else 120
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)
    if p.returncode not in ok:
        raise Failed("%s: exit %d: %s" % (" ".join(args[:4]), p.returncode, p.stderr.strip()))
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Servers:
    """One xapian-tcpsrv per shard folder, on loopback."""

    def __init__(self):
        self.procs = {}

    def start(self, folder):
        for _ in range(5):
            port = free_port()
            p = subprocess.Popen(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port),
                                  folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 # its own process group: on SIGTERM xapian-tcpsrv signals its
                                 # whole group (its forked children), which would be ours
                                 start_new_session=True)
            deadline = time.time() + 10
            while time.time() < deadline and p.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    self.procs[port] = p
                    return port
                except OSError:
                    time.sleep(0.05)
            p.kill()
            p.wait()
        raise Failed("xapian-tcpsrv did not start for " + folder)

    def stop(self, port):
        p = self.procs.pop(port)
        p.terminate()
        p.wait(timeout=10)

    def stop_all(self):
        for port in list(self.procs):
            self.stop(port)


def client_stub(folder, set_dir, ports, extra_lines=()):
    """A client's database folder: a copy of the set's tables and a stub naming the shards by
    address (in an order of its own)."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    shutil.copytree(os.path.join(set_dir, "tables"), os.path.join(folder, "tables"), symlinks=True)
    lines = ["# trialsearch shard set on loopback", "auto tables"]
    lines += ["remote 127.0.0.1:%d" % p for p in ports] + list(extra_lines)
    with open(os.path.join(folder, "XAPIANDB"), "w") as f:
        f.write("\n".join(lines) + "\n")


def serve(servers, set_dir, n, work, name):
    ports = [servers.start(os.path.join(set_dir, "shard-%d" % i)) for i in range(n)]
    client = os.path.join(work, name)
    shuffled = ports[:]
    random.Random(n).shuffle(shuffled)
    client_stub(client, set_dir, shuffled)
    return client, ports


def search_args(line, i):
    """A scripts/benchmark query line as search options, with facets or a sort on some."""
    query, _, filters = line.partition("\t")
    args = [query]
    for kv in filter(None, filters.split(",")):
        key, value = kv.split("=", 1)
        args += ["--" + key, value]
    if i % 5 == 0:
        args += ["--facets", "status,phase,country"]
    elif i % 7 == 1:
        args += ["--sort", ["start", "updated", "enrollment"][i % 3]]
    return args + ["--limit", "20", "--json"]


def hits_of(out):
    """Ids in order, facets, and the count (exact, or Xapian's estimate above
    the exact count limit, which each shard applies to its own matches: see same_count)."""
    doc = json.loads(out)
    # Weights are not compared: a synonym group's frequency is estimated from each database's
    # own (Xapian's OP_SYNONYM), so an alias search's weights differ in the fourth digit.
    return ([h["nct_id"] for h in doc["results"]], doc.get("facets"), None,
            (doc["total"], doc["total_exact"]))


def same_count(a, b):
    """Equal exact counts; when one side estimates, the exact one within the estimate's range
    of plausibility is not checkable, so only that both are above the page."""
    (ta, ea), (tb, eb) = a, b
    return ta == tb if ea and eb else min(ta, tb) > 0


def unpruned(local, args):
    """The page as the whole ranking gives it: --limit 2000, cut to 20. Xapian 1.4.22's matcher
    can leave a trial out of a short page of one database when it stops early (reproduced in
    plain Xapian with three terms and BM25; TfIdf, which ignores document length, does not),
    where a shard set, whose shards each rank their own, returns it."""
    i = args.index("--limit")
    doc = json.loads(run("search", "--db", local, *args[:i + 1], "2000", *args[i + 2:]).stdout)
    doc["results"] = doc["results"][:20]
    return hits_of(json.dumps(doc))


def compare_reads(local, client, label, queries, similar_ids, patients, names):
    pruned = 0
    for i, line in enumerate(queries):
        args = search_args(line, i)
        a, b = run("search", "--db", local, *args).stdout, run("search", "--db", client, *args).stdout
        ha, hb = hits_of(a), hits_of(b)
        if ha[:3] != hb[:3] and unpruned(local, args)[:3] == hb[:3]:
            pruned += 1
            ha = hb[:3] + (ha[3],)
        check(ha[:3] == hb[:3] and same_count(ha[3], hb[3]),
              "%s: search %r differs:\n local %s\n shard %s" % (label, args, ha, hb))
    for nct in similar_ids:
        a = run("similar", "--db", local, nct, "--ids").stdout
        b = run("similar", "--db", client, nct, "--ids").stdout
        check(a == b and a.strip(), "%s: similar %s differs:\n %s\n %s" % (label, nct, a, b))
    for nct in similar_ids[:10]:
        a = run("show", "--db", local, nct, "--json").stdout
        b = run("show", "--db", client, nct, "--json").stdout
        check(a == b, "%s: show %s differs" % (label, nct))
    for name in names:
        a = run("aliases", "--db", local, name, "--json").stdout
        b = run("aliases", "--db", client, name, "--json").stdout
        check(a == b, "%s: aliases %s differs" % (label, name))
    # match: the same trials, in the same order unless a concept of several words is matched as
    # a phrase, whose frequency Xapian estimates database by database (so its weight differs a
    # little between one database and a shard set): at least 8 of the first 10 shared.
    same_order = 0
    for text in patients:
        a = run("match", "--db", local, text, "--ids").stdout.split()
        b = run("match", "--db", client, text, "--ids").stdout.split()
        check(a and len(set(a) & set(b)) >= min(8, len(a)),
              "%s: match %r differs:\n %s\n %s" % (label, text[:40], a, b))
        same_order += a == b
    print("ok   %s: %d searches, %d similar, %d aliases give the local answers (%d searches the "
          "whole local ranking's: its short page missed a trial); %d match, %d in the same order" % (
              label, len(queries), len(similar_ids), len(names), pruned, len(patients), same_order))


def main():
    if shutil.which("xapian-tcpsrv") is None:
        print("SKIPPED: xapian-tcpsrv is missing (Debian's xapian-tools; scripts/bootstrap test "
              "installs it)")
        return 0
    real = os.path.isdir(DATA)
    with open(os.path.join(ROOT, "scripts", "benchmark", "queries.txt")) as f:
        queries = [l.rstrip("\n") for l in f if l.strip()]
    if real:
        sources = [os.path.join(DATA, "ctgov-xml", "AllPublicXML-subset-2023-02-03.zip"),
                   os.path.join(DATA, "ctgov-json-v2", "studies.jsonl")]
        if QUICK:  # the 584 API v2 studies only
            sources = sources[1:]
        with open(os.path.join(DATA, "relevance", "trec-ct-2022", "queries.jsonl")) as f:
            patients = [" ".join(json.loads(l)["text"].split()[:80]) for l in f][:20]
        print("the shared real records (../shared/data)")
    else:
        sources = [os.path.join(ROOT, "corpus")]
        patients = ["A 45-year-old woman with lupus nephritis and hypertension."]
        queries = queries[:40]
        print("NOTE: ../shared/data is absent: the bundled corpus/ only")
    if QUICK:
        queries, patients = queries[:20], patients[:3]
    names = ["belimumab", "benlysta", "rituximab", "placebo", "pembrolizumab", "and"]
    work = tempfile.mkdtemp(prefix="ts-shards-")
    servers = Servers()
    failures = 0
    try:
        local = os.path.join(work, "local")
        run("index", "-q", "--db", local, *sources, ok=(0, 4))
        ids = run("search", "--db", local, "", "--limit", "100000", "--ids").stdout.split()
        check(len(ids) > 5, "the local database holds %d trials" % len(ids))
        similar_ids = ids[::max(1, len(ids) // (10 if QUICK else 100))][:10 if QUICK else 100]
        for n in (2, 4):
            set_dir = os.path.join(work, "set%d" % n)
            out = json.loads(run("shard", "--db", local, "--out", set_dir, "--shards", str(n),
                                 "--json").stdout)
            check(out["added"] == out["documents"] >= len(ids) and out["rebuilt"],
                  "shard %d: %s" % (n, out))
            client, ports = serve(servers, set_dir, n, work, "client%d" % n)
            stats = json.loads(run("stats", "--db", client, "--json").stdout)
            check(stats["documents"] == out["documents"], "stats over %d shards: %s documents" % (
                n, stats["documents"]))
            check([s["up"] for s in stats["shards"]] == [True] * (n + 1), "stats: %s" % stats["shards"])
            compare_reads(local, client, "%d remote shards" % n, queries, similar_ids, patients, names)
            compare_reads(local, set_dir, "%d local shards" % n, queries[:20], similar_ids[:5],
                          patients[:2], names[:2])

            if n == 2:
                # A shard down: a clear error, exit 1, never a partial answer.
                servers.stop(ports[1])
                p = run("search", "--db", client, "lupus", ok=(1,))
                check("127.0.0.1:%d" % ports[1] in p.stderr and p.stdout == "",
                      "search with a shard down: %r %r" % (p.stdout, p.stderr))
                p = run("match", "--db", client, "woman with lupus", ok=(1,))
                check("cannot be reached" in p.stderr, "match with a shard down: %r" % p.stderr)
                p = run("stats", "--db", client, ok=(1,))
                check("DOWN" in p.stdout and "are down" in p.stderr, "stats: %r %r" % (
                    p.stdout, p.stderr))
                ports[1] = servers.start(os.path.join(set_dir, "shard-1"))
                # A stub naming a shard twice, or leaving one out: refused.
                bad = os.path.join(work, "bad")
                client_stub(bad, set_dir, [ports[0], ports[0]])
                p = run("search", "--db", bad, "lupus", ok=(1,))
                check("names a shard twice" in p.stderr, "a shard twice: %r" % p.stderr)
                client_stub(bad, set_dir, [ports[0]])
                p = run("search", "--db", bad, "lupus", ok=(1,))
                check("every shard once" in p.stderr, "a shard left out: %r" % p.stderr)
                client_stub(bad, set_dir, [ports[0], ports[1]], ["remote :xapian-progsrv /tmp"])
                p = run("search", "--db", bad, "lupus", ok=(1,))
                check("not a database stub line" in p.stderr, "a prog line: %r" % p.stderr)
                # A night's changes carried into the served set: an upsert of the live database
                # (a changed record, a new one), then `shard` updates the set in place.
                changed = os.path.join(work, "night.json")
                first = json.loads(run("show", "--db", local, ids[0], "--json").stdout)
                with open(changed, "w") as f:
                    json.dump({"protocolSection": {
                        "identificationModule": {"nctId": "NCT09999991",
                                                 "briefTitle": "Zanubrutinib nightly shard probe"},
                        "statusModule": {"overallStatus": "RECRUITING"},
                        "conditionsModule": {"conditions": ["Lupus Nephritis"]}}}, f)
                run("index", "-q", "--db", local, changed)
                out = json.loads(run("shard", "--db", local, "--out", set_dir, "--json").stdout)
                check(not out["rebuilt"] and out["added"] == 1 and out["removed"] == 0,
                      "the nightly shard update: %s" % out)
                client_stub(client, set_dir, ports)
                a = run("search", "--db", client, "zanubrutinib nightly shard probe",
                        "--ids").stdout.split()
                check(a[:1] == ["NCT09999991"], "the night's trial over the shards: %s" % a)
                check(json.loads(run("show", "--db", client, ids[0], "--json").stdout) == first,
                      "an unchanged trial changed")
                compare_reads(local, client, "2 remote shards after a night", queries[:20],
                              similar_ids[:5], patients[:2], names[:2])
            for port in ports:
                servers.stop(port)
    except Failed as e:
        print("FAIL %s" % e)
        failures += 1
    finally:
        servers.stop_all()
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
