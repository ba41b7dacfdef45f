#!/usr/bin/env python3
"""`trialsearch fetch` against the loopback API (api_server.py): paging, the LastUpdatePostDate
range, /version, 429 + Retry-After, 500s, connections cut mid-page, malformed pages, studies
leaving the registry, a week of nights, imported lexicons. After each good run the index must
equal a full rebuild from the server's data (same ids, same stored records: `show --json`);
after each failure it must be exactly as before (and the next run must repair it).

usage: fetch_test.py TRIALSEARCH_BINARY [TEST_NAME...]
Studies are made by the test (synthetic, in the API v2 shape); nothing is read from the network.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_server import ApiServer  # noqa: E402

BIN = sys.argv[1]
DRUGS = [("voclosporin", ["VCS", "ISA247"]), ("belimumab", ["Benlysta", "LymphoStat-B"]),
         ("anifrolumab", ["MEDI-546"]), ("tocilizumab", ["Actemra", "RoActemra"]),
         ("placebo", [])]
CONDITIONS = ["Lupus Nephritis", "Systemic Lupus Erythematosus", "Rheumatoid Arthritis",
              "Sjogren Syndrome", "Vasculitis"]
STATUSES = ["RECRUITING", "COMPLETED", "ACTIVE_NOT_RECRUITING", "NOT_YET_RECRUITING"]


def make_study(i, date, version=0, status=None):
    drug, others = DRUGS[i % len(DRUGS)]
    return {"protocolSection": {
        "identificationModule": {"nctId": "NCT%08d" % (9500000 + i),
                                 "briefTitle": "%s for %s, study %d (version %d)" % (
                                     drug, CONDITIONS[i % 5], i, version)},
        "statusModule": {"overallStatus": status or STATUSES[i % len(STATUSES)],
                         "lastUpdatePostDateStruct": {"date": date, "type": "ACTUAL"}},
        "descriptionModule": {"briefSummary": "Study %d of %s in %s. Revision %d." % (
            i, drug, CONDITIONS[(i + 1) % 5], version)},
        "conditionsModule": {"conditions": [CONDITIONS[i % 5]]},
        "designModule": {"phases": ["PHASE%d" % (1 + i % 3)]},
        "armsInterventionsModule": {"interventions": [
            {"type": "DRUG", "name": drug, "otherNames": others}]}}}


class Failed(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failed(message)


class Env:
    """A registry folder, a loopback server on it, and a database."""

    def __init__(self, work):
        self.work = work
        self.state = os.path.join(work, "state")
        os.makedirs(self.state)
        self.db = os.path.join(work, "db")
        self.studies = {}
        self.removed = set()
        self.server = ApiServer(self.state)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def publish(self, timestamp):
        """Writes the registry: studies.jsonl, removed.txt, version.json."""
        with open(os.path.join(self.state, "studies.jsonl"), "w") as f:
            for nct in sorted(self.studies):
                f.write(json.dumps(self.studies[nct]) + "\n")
        with open(os.path.join(self.state, "removed.txt"), "w") as f:
            f.write("".join(n + "\n" for n in sorted(self.removed)))
        with open(os.path.join(self.state, "version.json"), "w") as f:
            json.dump({"apiVersion": "2.0.5-test", "dataTimestamp": timestamp}, f)
        self.faults([])

    def faults(self, faults):
        with open(os.path.join(self.state, "faults.json"), "w") as f:
            json.dump(faults, f)
        # the server re-reads files by modification time: make each write distinct
        time.sleep(0.01)

    def add(self, i, date, version=0, status=None):
        s = make_study(i, date, version, status)
        self.studies[s["protocolSection"]["identificationModule"]["nctId"]] = s

    def registry(self):
        return {k: v for k, v in self.studies.items() if k not in self.removed}

    def run(self, *args, env=None):
        e = dict(os.environ, TRIALSEARCH_API=self.server.base, **(env or {}))
        return subprocess.run([BIN, *args], capture_output=True, text=True, env=e, timeout=120)

    def fetch(self, *args):
        return self.run("fetch", "--db", self.db, "--page-size", "10", "--max-wait", "0.05",
                        "--retries", "2", "--json", *args)

    def requests(self):
        return dict(self.server.counts)


def index_view(binary, db):
    """What the index holds: its ids and each one's stored record (`show --json`), but where it
    was read from (origin: an API page, or the reference build's file)."""
    ids = subprocess.run([binary, "search", "--db", db, "--ids", "--limit", "100000"],
                         capture_output=True, text=True, check=True).stdout.split()
    ids.sort()
    records = []
    for n in range(0, len(ids), 200):
        out = subprocess.run([binary, "show", "--db", db, "--json", *ids[n:n + 200]],
                             capture_output=True, text=True, check=True).stdout
        records += [{k: v for k, v in r.items() if k != "origin"} for r in json.loads(out)]
    return ids, records


def stats(binary, db):
    return json.loads(subprocess.run([binary, "stats", "--db", db, "--json"], capture_output=True,
                                     text=True, check=True).stdout)


def assert_rebuild_equal(env, label):
    """The index equals a full rebuild from the server's current data."""
    ref = os.path.join(env.work, "ref-%s" % label)
    data = os.path.join(env.work, "ref-%s.jsonl" % label)
    with open(data, "w") as f:
        for nct in sorted(env.registry()):
            f.write(json.dumps(env.studies[nct]) + "\n")
    r = subprocess.run([BIN, "index", "--db", ref, "-q", data], capture_output=True, text=True)
    check(r.returncode == 0, "%s: the reference build failed: %s" % (label, r.stderr))
    got, want = index_view(BIN, env.db), index_view(BIN, ref)
    check(got[0] == want[0], "%s: ids differ from a full rebuild: %d against %d; only here %s, "
          "only there %s" % (label, len(got[0]), len(want[0]),
                             sorted(set(got[0]) - set(want[0]))[:5],
                             sorted(set(want[0]) - set(got[0]))[:5]))
    check(got[1] == want[1], "%s: stored records differ from a full rebuild" % label)
    check(len(got[0]) == len(env.registry()), "%s: %d ids for %d studies" % (
        label, len(got[0]), len(env.registry())))
    shutil.rmtree(ref)
    return got


def summary_of(result, label):
    check(result.returncode in (0, 4), "%s: fetch exited %d: %s" % (
        label, result.returncode, result.stderr))
    return json.loads(result.stdout)


def day(n):
    return "2026-11-%02d" % n


def stamp(n):
    return "2026-11-%02dT09:00:05" % n


def first_night(env, count=57):
    for i in range(count):
        env.add(i, day(1 + i % 5))
    env.publish(stamp(5))
    s = summary_of(env.fetch(), "first run")
    check(s["since"] == "" and s["index"]["added"] == count, "first run: %s" % s)
    return s


# ---- the tests ----

def test_paging_and_first_run(env):
    before = env.requests().get("requests", 0)
    s = first_night(env)
    # /version and ceil(57 / 10) pages, one request each, nothing else
    check(s["pages"] == 6 and s["requests"] == 7, "paging: %s" % s)
    check(env.requests()["requests"] - before == 7, "server saw %s" % env.requests())
    check(all(a.startswith("trialsearch/") for a in env.server.agents),
          "User-Agent: %s" % env.server.agents)
    assert_rebuild_equal(env, "first")
    st = stats(BIN, env.db)
    check(st.get("data_timestamp") == stamp(5), "stats data_timestamp: %s" % st.get("data_timestamp"))


def test_version_unchanged_stops(env):
    first_night(env)
    before = env.requests()["requests"]
    r = env.fetch()
    check(r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr))
    check(json.loads(r.stdout)["current"] is True, r.stdout)
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    check(len(lines) == 1 and "current" in lines[0], "expected one line: %r" % r.stderr)
    check(env.requests()["requests"] - before == 1, "more than /version was asked for")


def test_date_range_delta(env):
    first_night(env)
    # night 2: five studies revised (one withdrawn), three new, all posted on the 6th
    for i in (3, 8, 20, 33, 50):
        env.add(i, day(6), version=1, status="WITHDRAWN" if i == 8 else None)
    for i in (60, 61, 62):
        env.add(i, day(6))
    env.publish(stamp(6))
    s = summary_of(env.fetch(), "night 2")
    # the range starts at the last run's date (the 5th, included): 11 studies of the 5th + 8
    check(s["since"] == day(5), "since: %s" % s["since"])
    check(s["index"]["read"] == 19 and s["index"]["added"] == 3 and s["index"]["replaced"] == 5,
          "night 2 summary: %s" % s["index"])
    check(s["index"]["unchanged"] == 11, "night 2 unchanged: %s" % s["index"])
    assert_rebuild_equal(env, "night2")
    changes = env.run("changes", "--db", env.db).stdout
    check("-> WITHDRAWN" in changes or "WITHDRAWN" in changes, "changes: %s" % changes)
    check(stats(BIN, env.db)["data_timestamp"] == stamp(6), "timestamp not moved")


def night_with_fault(env, fault, expect_ok, label):
    """Night 2 with a fault on its second page; returns the fetch result."""
    first_night(env)
    view, st = index_view(BIN, env.db), stats(BIN, env.db)
    for i in range(0, 57, 3):
        env.add(i, day(6), version=1)
    env.publish(stamp(6))
    env.faults([dict(fault, match="pageToken")])
    r = env.fetch()
    if expect_ok:
        summary_of(r, label)
        assert_rebuild_equal(env, label)
        return r
    check(r.returncode == 1, "%s: exit %d, expected 1: %s" % (label, r.returncode, r.stderr))
    errors = [l for l in r.stderr.splitlines() if l.startswith("trialsearch: ") and
              "retrying" not in l]
    check(len(errors) == 1, "%s: expected one error line: %r" % (label, r.stderr))
    check(index_view(BIN, env.db) == view, "%s: the index changed on failure" % label)
    after = stats(BIN, env.db)
    check(after["data_timestamp"] == st["data_timestamp"] and
          after["documents"] == st["documents"], "%s: stats changed on failure" % label)
    # the next run, with the server mended, starts from the same date and loses nothing
    env.faults([])
    s = summary_of(env.fetch(), label + " rerun")
    check(s["since"] == day(5), "%s rerun since %s" % (label, s["since"]))
    assert_rebuild_equal(env, label + "-rerun")
    return r


def test_429_retry_after(env):
    r = night_with_fault(env, {"kind": "429", "retry_after": 1, "times": 1}, True, "429")
    check("HTTP 429" in r.stderr and "retrying" in r.stderr, "no retry message: %s" % r.stderr)


def test_retry_after_is_the_wait(env):
    """Retry-After (1 s) is waited, not the back-off (2 s), when --max-wait allows it."""
    first_night(env)
    env.add(3, day(6), version=1)
    env.publish(stamp(6))
    env.faults([{"match": "studies", "kind": "429", "retry_after": 1, "times": 1}])
    r = env.run("fetch", "--db", env.db, "--page-size", "10", "--max-wait", "5")
    check(r.returncode == 0 and "HTTP 429" in r.stderr and "retrying in 1 s" in r.stderr,
          "exit %d: %s" % (r.returncode, r.stderr))
    assert_rebuild_equal(env, "retry-after")


# Faults on a night's second page: (name, kind, times, whether the run succeeds). Once is
# retried; always (past --retries 2) fails the run with the index unchanged.
FAULT_NIGHTS = [("500_once_retried", "500", 1, True), ("500_always_fails", "500", 100, False),
                ("cut_once_retried", "cut", 1, True), ("cut_always_fails", "cut", 100, False),
                ("malformed_once_retried", "malformed", 1, True),
                ("malformed_page_fails", "malformed", 100, False)]
for _name, _kind, _times, _ok in FAULT_NIGHTS:
    globals()["test_" + _name] = (lambda kind, times, ok, name: lambda env: night_with_fault(
        env, {"kind": kind, "times": times}, ok, name))(_kind, _times, _ok, _name)


def test_removed_study_reconciled(env):
    first_night(env)
    env.removed.update({"NCT09500004", "NCT09500040"})
    env.add(70, day(6))
    env.publish(stamp(6))
    s = summary_of(env.fetch(), "night 2")
    check(not s["reconciled"] and s["index"]["removed"] == 0, "reconciled too early: %s" % s)
    env.publish(stamp(7))
    s = summary_of(env.fetch("--full"), "full")
    check(s["reconciled"] and s["registry_ids"] == 56 and s["index"]["removed"] == 2,
          "reconciliation: %s" % s)
    assert_rebuild_equal(env, "reconciled")
    changes = env.run("changes", "--db", env.db).stdout
    check("NCT09500040" in changes, "removal not in changes: %s" % changes)


def test_missing_study_fetched(env):
    first_night(env)
    # a study the registry lists whose update the nights never saw (posted with an old date)
    env.add(80, day(2))
    env.publish(stamp(6))
    s = summary_of(env.fetch("--full"), "full")
    check(s["missing"] == 1, "missing: %s" % s)
    assert_rebuild_equal(env, "missing")


def test_mass_removal_refused(env):
    first_night(env)
    view = index_view(BIN, env.db)
    env.removed.update("NCT%08d" % (9500000 + i) for i in range(0, 57, 4))  # 15 of 57
    env.publish(stamp(6))
    r = env.fetch("--full")
    check(r.returncode == 1 and "max-removed" in r.stderr, "%d %s" % (r.returncode, r.stderr))
    check(index_view(BIN, env.db) == view, "index changed by a refused reconciliation")


def test_week_then_reconciliation(env):
    first_night(env, 120)
    n = 120
    for night in range(6, 13):  # a week: the 6th to the 12th
        for k in range(6):
            env.add((night * 17 + k * 7) % n, day(night), version=night)
        env.add(n, day(night))
        n += 1
        env.removed.add("NCT%08d" % (9500000 + night * 3))
        env.publish(stamp(night))
        s = summary_of(env.fetch(), "night %d" % night)
        check(s["reconciled"] == (night == 12), "night %d reconciled: %s" % (night, s["reconciled"]))
    # the seventh night reconciled by itself (--reconcile-days 7): the removals are gone
    assert_rebuild_equal(env, "week")


def test_lexicons_survive(env):
    first_night(env)
    lex = os.path.join(env.work, "aliases.tsv")
    with open(lex, "w") as f:
        f.write("voclosporin\tLuveris-test\n")
    r = env.run("index", "--db", env.db, "--lexicon", lex, "-q")
    check(r.returncode == 0, "lexicon import: %s" % r.stderr)
    env.add(1, day(6), version=2)
    env.removed.add("NCT09500002")
    env.publish(stamp(6))
    summary_of(env.fetch("--full"), "night 2")
    names = [l["name"] for l in stats(BIN, env.db)["lexicons"]]
    check("aliases.tsv" in names, "lexicon lost: %s" % names)


def test_nightly_script_uses_the_api(env):
    """scripts/nightly without --url is `trialsearch fetch`, $TRIALSEARCH_API included."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts",
                          "nightly")
    for i in range(23):
        env.add(i, day(1 + i % 3))
    env.publish(stamp(3))
    e = dict(os.environ, TRIALSEARCH_API=env.server.base)
    e.pop("TRIALSEARCH_NIGHTLY_URL", None)
    r = subprocess.run([script, "--bin", BIN, "--db", env.db], capture_output=True, text=True,
                       env=e, timeout=120)
    check(r.returncode == 0, "nightly exited %d: %s" % (r.returncode, r.stderr))
    assert_rebuild_equal(env, "nightly")
    r = subprocess.run([script, "--bin", BIN, "--db", env.db], capture_output=True, text=True,
                       env=e, timeout=120)
    check(r.returncode == 0 and len(r.stderr.strip().splitlines()) == 1,
          "second night: %d %r" % (r.returncode, r.stderr))


def test_first_run_failure_publishes_nothing(env):
    for i in range(35):
        env.add(i, day(1))
    env.publish(stamp(1))
    env.faults([{"match": "pageToken", "kind": "cut", "times": 100}])
    r = env.fetch()
    check(r.returncode == 1, "exit %d: %s" % (r.returncode, r.stderr))
    listing = os.listdir(env.db) if os.path.exists(env.db) else []
    check(not any(n.startswith("gen-") for n in listing), "a generation was left: %s" % listing)
    env.faults([])
    summary_of(env.fetch(), "after the failure")
    assert_rebuild_equal(env, "first-after-failure")


def test_bad_api_address(env):
    r = env.run("fetch", "--db", env.db, "--api", "http://127.0.0.1:1/api/v2", "--retries", "1",
                "--max-wait", "0.01")
    check(r.returncode == 1 and len(r.stderr.strip().splitlines()) == 2,
          "exit %d: %r" % (r.returncode, r.stderr))
    check(not os.path.exists(env.db), "a database was created")


def main():
    names = sys.argv[2:] or [n for n in globals() if n.startswith("test_")]
    failed = 0
    for name in names:
        work = tempfile.mkdtemp(prefix="fetch-test-")
        env = Env(work)
        start = time.monotonic()
        try:
            globals()[name](env)
            print("ok   %s (%.1f s)" % (name, time.monotonic() - start))
        except Failed as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
        finally:
            env.close()
            shutil.rmtree(work, ignore_errors=True)
    print("%d of %d failed" % (failed, len(names)) if failed else "all %d passed" % len(names))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
