#!/usr/bin/env python3
"""`trialsearch fetch` at scale against the loopback API (tests/nightly/api_server.py).

usage: bench-nightly [--size N] [--changes C] [--nights K] [--removals R] [--verify]
                     [--corpus FILE.jsonl] [--work DIR] [--bin PATH]

1. a corpus of N synthetic studies (scripts/gen-corpus, kept in --work) is the registry, and is
   indexed from its file (`trialsearch index`: the whole rebuild, timed);
2. a first `fetch` stores the API's data timestamp (and reconciles once: the database had none);
3. K nights: C studies revised each night (new title, last update posted that night, every
   tenth one's status changed), R studies over the K nights removed from the registry; each
   night's `fetch` is
   timed with /usr/bin/time (wall, peak RSS);
4. with K > 1, a `fetch --full` reconciliation (the removals go);
5. --verify: a fresh `trialsearch index` of the server's final data, compared with the updated
   index: the same ids and the same stored records (`show --json`, origin aside).
Prints a Markdown table. Defaults: N 100,000, C 3,000, K 1, R 0.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v: (result, wall seconds, peak RSS MB)."""
    r = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    if r.returncode not in (0, 4):
        sys.exit("bench-nightly: %s exited %d: %s" % (cmd[:2], r.returncode, r.stderr[-2000:]))
    return r, seconds, rss / 1024


def offsets(path):
    """id -> (offset, length) of each study line."""
    out = {}
    with open(path, "rb") as f:
        offset = 0
        for line in f:
            m = re.search(rb'"nctId"\s*:\s*"(NCT\d{8})"', line)
            if m:
                out[m.group(1).decode()] = (offset, len(line))
            offset += len(line)
    return out


def read_study(path, where):
    with open(path, "rb") as f:
        f.seek(where[0])
        return json.loads(f.read(where[1]))


def view_digest(binary, db):
    """(ids, a digest of every stored record but its origin)."""
    ids = sorted(subprocess.run([binary, "search", "--db", db, "--ids", "--limit", "100000"],
                                capture_output=True, text=True, check=True).stdout.split())
    h = hashlib.sha256()
    for n in range(0, len(ids), 500):
        out = subprocess.run([binary, "show", "--db", db, "--json", *ids[n:n + 500]],
                             capture_output=True, text=True, check=True).stdout
        for r in json.loads(out):
            r.pop("origin", None)
            h.update(json.dumps(r, sort_keys=True).encode())
    return ids, h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100000)
    ap.add_argument("--changes", type=int, default=3000)
    ap.add_argument("--nights", type=int, default=1)
    ap.add_argument("--removals", type=int, default=0)
    ap.add_argument("--verify", action="store_true")
    ap.add_argument("--corpus")
    ap.add_argument("--work", default=os.path.join(ROOT, "bench-out", "nightly"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "trialsearch"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    corpus = a.corpus or os.path.join(a.work, "corpus-%d.jsonl" % a.size)
    if not os.path.exists(corpus):
        subprocess.run([os.path.join(ROOT, "scripts", "gen-corpus"), str(a.size), "--out", corpus],
                       check=True)
    state = os.path.join(a.work, "state")
    db = os.path.join(a.work, "db")
    subprocess.run(["rm", "-rf", state, db], check=True)
    os.makedirs(state)
    os.symlink(os.path.abspath(corpus), os.path.join(state, "studies.jsonl"))

    def publish(timestamp, updates, removed):
        with open(os.path.join(state, "updates.jsonl.tmp"), "w") as f:
            for nct in sorted(updates):
                f.write(json.dumps(updates[nct]) + "\n")
        os.replace(os.path.join(state, "updates.jsonl.tmp"), os.path.join(state, "updates.jsonl"))
        with open(os.path.join(state, "removed.txt"), "w") as f:
            f.write("".join(n + "\n" for n in sorted(removed)))
        with open(os.path.join(state, "version.json"), "w") as f:
            json.dump({"apiVersion": "bench", "dataTimestamp": timestamp}, f)

    updates, removed = {}, set()
    publish("2027-01-01T09:00:05", updates, removed)
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "nightly", "api_server.py"),
                               state], stdout=subprocess.PIPE, text=True)
    rows = []
    try:
        port = server.stdout.readline().strip()
        env = dict(os.environ, TRIALSEARCH_API="http://127.0.0.1:%s/api/v2" % port)
        fetch = [a.bin, "fetch", "--db", db, "--json", "-q"]
        r, secs, rss = timed([a.bin, "index", "--db", db, "-q", "--json", corpus])
        built = json.loads(r.stdout)
        rows.append(("index of the whole corpus (the full rebuild)", a.size, secs, rss,
                     "largest drug expansion %s names, %s synonym keys" % (
                         built.get("largest_expansion"), built.get("synonym_keys"))))
        r, secs, rss = timed(fetch, env)
        s = json.loads(r.stdout)
        rows.append(("first fetch (since the newest date held; reconciles: none stored yet)",
                     s["index"]["read"], secs, rss,
                     "%d requests, %d registry ids" % (s["requests"], s["registry_ids"])))
        where = offsets(corpus)
        ids = sorted(where)
        for night in range(1, a.nights + 1):
            date = "2027-01-%02d" % (1 + night)
            for k in range(a.changes):
                nct = ids[(night * 7919 + k * (len(ids) // a.changes)) % len(ids)]
                study = updates.get(nct) or read_study(corpus, where[nct])
                p = study["protocolSection"]
                p["identificationModule"]["briefTitle"] += " (revised night %d)" % night
                status = p.setdefault("statusModule", {})
                status["lastUpdatePostDateStruct"] = {"date": date, "type": "ACTUAL"}
                if k % 10 == 0:
                    status["overallStatus"] = "COMPLETED" if status.get(
                        "overallStatus") != "COMPLETED" else "TERMINATED"
                updates[nct] = study
            gone = a.removals * night // a.nights - a.removals * (night - 1) // a.nights
            for k in range(gone):
                removed.add(ids[(night * 104729 + k * 7 + 3) % len(ids)])
            publish(date + "T09:00:05", updates, removed)
            r, secs, rss = timed(fetch, env)
            s = json.loads(r.stdout)
            i = s["index"]
            rows.append(("night %d: %d revised, %d removed from the registry" % (
                night, a.changes, gone), i["read"], secs, rss,
                "%d replaced, %d unchanged, %d status changes, %d pages, reconciled %s" % (
                    i["replaced"], i["unchanged"], i["status_changes"], s["pages"],
                    s["reconciled"])))
        if a.nights > 1 or a.removals:
            r, secs, rss = timed(fetch + ["--full"], env)
            s = json.loads(r.stdout)
            rows.append(("reconciliation (`fetch --full`)", s["registry_ids"], secs, rss,
                         "%d removed, %d missing" % (s["index"]["removed"], s["missing"])))
        if a.verify:
            final = os.path.join(a.work, "final.jsonl")
            with open(final, "w") as f:
                for nct in ids:
                    if nct in removed:
                        continue
                    s = updates.get(nct) or read_study(corpus, where[nct])
                    f.write(json.dumps(s) + "\n")
            fresh = os.path.join(a.work, "db-fresh")
            subprocess.run(["rm", "-rf", fresh], check=True)
            _, secs, rss = timed([a.bin, "index", "--db", fresh, "-q", final])
            got, want = view_digest(a.bin, db), view_digest(a.bin, fresh)
            same = got == want
            rows.append(("fresh build of the final data, compared", len(want[0]), secs, rss,
                         "same ids and records: %s" % ("yes" if same else "NO (%d against %d ids)"
                                                       % (len(got[0]), len(want[0])))))
            subprocess.run(["rm", "-rf", fresh, final], check=True)
    finally:
        server.kill()
    print("| step | studies | wall s | peak RSS MB | notes |")
    print("|---|---|---|---|---|")
    for name, n, secs, rss, notes in rows:
        print("| %s | %s | %.1f | %.0f | %s |" % (name, format(n, ","), secs, rss, notes))
    if a.verify and not same:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
