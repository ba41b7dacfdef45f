#!/usr/bin/env bash
# scripts/nightly against a loopback HTTP server: a complete download is indexed as a snapshot;
# an interrupted download, a truncated zip, an HTTP error and a download that would remove most
# trials all leave the live index untouched; the next good download is applied and logged.
# Records: the shared real studies (../shared/data) when present, else the bundled corpus.
# usage: nightly_test.sh TRIALSEARCH_BINARY
set -euo pipefail
bin=$1
for tool in python3 curl; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool is missing (scripts/bootstrap test installs it)"; exit 77; }
done
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $1" >&2; exit 1; }
docs() { "$bin" stats --db "$work/db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])'; }

# Zips laid out like ctg-studies.json.zip: one study per entry, NCTxxxxxxxx.json.
python3 - "$here" "$work/srv" <<'PY'
import json, os, sys, zipfile, glob
root, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
shared = os.path.join(root, "..", "shared", "data", "ctgov-json-v2", "studies.jsonl")
if os.path.exists(shared):
    studies = [json.loads(l) for l in open(shared) if l.strip()]
    print("records: ../shared/data studies.jsonl", file=sys.stderr)
else:
    studies = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(root, "corpus", "json", "*.json")))]
    studies = [s for s in studies if isinstance(s, dict) and "protocolSection" in s]
    print("records: corpus/json (../shared/data is absent)", file=sys.stderr)
def nct(s): return s["protocolSection"]["identificationModule"]["nctId"]
def write(name, items):
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED) as z:
        for s in items: z.writestr(nct(s) + ".json", json.dumps(s))
write("day1.zip", studies)
# Day 2: the last study withdrawn from the registry, the first one's status changed.
day2 = [json.loads(json.dumps(s)) for s in studies[:-1]]
day2[0]["protocolSection"].setdefault("statusModule", {})["overallStatus"] = "WITHDRAWN"
write("day2.zip", day2)
write("tiny.zip", studies[:1])
data = open(os.path.join(out, "day2.zip"), "rb").read()
open(os.path.join(out, "short.zip"), "wb").write(data[: len(data) * 2 // 3])
with open(os.path.join(out, "count"), "w") as f: f.write(str(len(studies)))
PY
n=$(cat "$work/srv/count")
(( n >= 3 )) || fail "too few records to test with ($n)"

coproc SERVER { exec python3 "$here/tests/nightly/serve.py" "$work/srv"; }
server=$SERVER_PID
read -r port <&"${SERVER[0]}"
base=http://127.0.0.1:$port

nightly() { "$here/scripts/nightly" --bin "$bin" --db "$work/db" --work "$work/cache" "$@"; }

nightly --url "$base/day1.zip" --json >"$work/day1.json" || fail "day 1 download not indexed"
[[ $(docs) == "$n" ]] || fail "day 1: expected $n documents, got $(docs)"
live=$(cat "$work/db/XAPIANDB")

for bad in cut/day2.zip short.zip missing.zip tiny.zip; do
  set +e
  nightly --url "$base/$bad" 2>"$work/err"
  code=$?
  set -e
  (( code != 0 )) || fail "$bad: exit 0, expected a failure"
  [[ $(docs) == "$n" ]] || fail "$bad: the live index changed ($(docs) documents)"
  [[ $(cat "$work/db/XAPIANDB") == "$live" ]] || fail "$bad: the live generation changed"
  grep -q "unchanged" "$work/err" || fail "$bad: no message saying the index is unchanged: $(cat "$work/err")"
  echo "ok: $bad refused (exit $code): $(tail -n 1 "$work/err")"
done

nightly --url "$base/day2.zip" --json >"$work/day2.json" || fail "day 2 download not indexed"
[[ $(docs) == $((n - 1)) ]] || fail "day 2: expected $((n - 1)) documents, got $(docs)"
"$bin" changes --db "$work/db" >"$work/changes"
grep -q -- "-> WITHDRAWN" "$work/changes" || fail "day 2: no status change in 'changes': $(cat "$work/changes")"
grep -q "^  - NCT" "$work/changes" || fail "day 2: no removal in 'changes'"
echo "ok: day 2 applied: $(grep -o '"removed":[0-9]*' "$work/day2.json"), $(grep -o '"status_changes":[0-9]*' "$work/day2.json")"

# A shard set made from the database follows it: the night's removal reaches its shards.
"$bin" shard --db "$work/db" --out "$work/set" --shards 2 2>/dev/null || fail "shard set not made"
nightly --url "$base/day1.zip" --shards-out "$work/set" >/dev/null 2>"$work/err" ||
  fail "day 1 again with --shards-out: $(cat "$work/err")"
set_docs() { "$bin" stats --db "$work/set" --json | grep -o '"documents":[0-9]*' | head -n 1 | cut -d: -f2; }
[[ $(set_docs) == "$n" ]] || fail "the shard set holds $(set_docs) documents, expected $n"
grep -q "updated" "$work/err" || fail "no shard update reported: $(cat "$work/err")"
echo "ok: --shards-out: the shard set follows the night ($(set_docs) documents)"
