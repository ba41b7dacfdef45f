"""Shared by the peer scripts: the fields every engine indexes, query parsing, timing, percentiles.

The field list mirrors analyzers/fields.hpp (title 9, condition 8, intervention 8, keyword 6,
outcome 5, summary 4, sponsor 4, other-id 4, mesh 3, site 3, eligibility 2; status, phase and
type as filters). Weights are ClinicalTrials.gov's published area weights x10.
"""
import json
import os
import re
import subprocess
import sys
import time

# (name, weight): the text fields, in the order every peer declares them.
TEXT_FIELDS = [
    ("title", 9),         # briefTitle, officialTitle, acronym
    ("conditions", 8),    # conditions
    ("interventions", 8),  # intervention names, otherNames, descriptions
    ("keywords", 6),
    ("outcomes", 5),      # primary/secondary/other outcome measures and descriptions
    ("summary", 4),       # briefSummary, detailedDescription
    ("sponsors", 4),      # lead sponsor and collaborators
    ("ids", 4),           # orgStudyId, secondary ids
    ("mesh", 3),          # condition and intervention MeSH terms and ancestors
    ("sites", 3),         # facility, city, state, country
    ("eligibility", 2),
]
FILTER_FIELDS = ["status", "phase", "type"]  # lower-cased enum values; phase may repeat
WS = re.compile(r"\s+")


def trial_record(data):
    """A trial record as trialsearch stores it with each document (JSON compressed with zstd;
    plain JSON in databases written before) -> dict. Needs python3-zstandard."""
    if data[:4] == b"\x28\xb5\x2f\xfd":
        import zstandard
        data = zstandard.ZstdDecompressor().decompress(data)
    return json.loads(data)


def flat(text):
    """One line of text: tabs and newlines become single spaces."""
    return WS.sub(" ", text).strip() if text else ""


def extract(study):
    """{field: text} for TEXT_FIELDS plus nct, status, phases (list), type."""
    p = study.get("protocolSection", {})
    ident = p.get("identificationModule", {})
    desc = p.get("descriptionModule", {})
    arms = p.get("armsInterventionsModule", {})
    outc = p.get("outcomesModule", {})
    spon = p.get("sponsorCollaboratorsModule", {})
    derived = study.get("derivedSection", {})
    iv = []
    for i in arms.get("interventions", []):
        iv.append(i.get("name", ""))
        iv.extend(i.get("otherNames", []))
        iv.append(i.get("description", ""))
    oc = []
    for k in ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes"):
        for o in outc.get(k, []):
            oc.append(o.get("measure", ""))
            oc.append(o.get("description", ""))
    mesh = []
    for k in ("conditionBrowseModule", "interventionBrowseModule"):
        m = derived.get(k, {})
        mesh.extend(x.get("term", "") for x in m.get("meshes", []) + m.get("ancestors", []))
    sites = []
    for loc in p.get("contactsLocationsModule", {}).get("locations", []):
        sites.extend(loc.get(k, "") for k in ("facility", "city", "state", "country"))
    ids = [ident.get("orgStudyIdInfo", {}).get("id", "")]
    ids.extend(s.get("id", "") for s in ident.get("secondaryIdInfos", []))
    sponsors = [spon.get("leadSponsor", {}).get("name", "")]
    sponsors.extend(c.get("name", "") for c in spon.get("collaborators", []))
    design = p.get("designModule", {})
    j = " ; ".join
    return {
        "nct": ident.get("nctId", ""),
        "title": flat(j(x for x in (ident.get("briefTitle"), ident.get("officialTitle"), ident.get("acronym")) if x)),
        "conditions": flat(j(p.get("conditionsModule", {}).get("conditions", []))),
        "interventions": flat(j(x for x in iv if x)),
        "keywords": flat(j(p.get("conditionsModule", {}).get("keywords", []))),
        "outcomes": flat(j(x for x in oc if x)),
        "summary": flat(desc.get("briefSummary", "") + " " + desc.get("detailedDescription", "")),
        "sponsors": flat(j(x for x in sponsors if x)),
        "ids": flat(j(x for x in ids if x)),
        "mesh": flat(j(x for x in mesh if x)),
        "sites": flat(j(x for x in sites if x)),
        "eligibility": flat(p.get("eligibilityModule", {}).get("eligibilityCriteria", "")),
        "status": p.get("statusModule", {}).get("overallStatus", "").lower(),
        "phases": [x.lower() for x in design.get("phases", [])],
        "type": design.get("studyType", "").lower(),
    }


def read_studies(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield extract(json.loads(line))


# ---- queries ---------------------------------------------------------------------------------
QUERY_ITEM = re.compile(r'"([^"]*)"|(\S+)')
ALNUM = re.compile(r"[^\W_]+")


def read_queries(path):
    """[(query text, {filter: value})]. A line is `query` or `query<TAB>key=value[,key=value]`."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            q, _, filt = line.partition("\t")
            filters = {}
            for kv in filt.split(","):
                if "=" in kv:
                    k, v = kv.split("=", 1)
                    filters[k.strip()] = v.strip().lower()
            out.append((q.strip(), filters))
    return out


def query_items(q):
    """The query as a list of token lists: a quoted phrase or a hyphenated word is one list."""
    items = []
    for m in QUERY_ITEM.finditer(q):
        toks = ALNUM.findall((m.group(1) if m.group(1) is not None else m.group(2)).lower())
        if toks:
            items.append(toks)
    return items


# ---- measuring -------------------------------------------------------------------------------
def timed(cmd, log=None, env=None):
    """Runs cmd under /usr/bin/time -v. Returns (wall seconds, peak RSS KiB)."""
    tfile = f"/tmp/peer-time-{os.getpid()}.txt"
    t0 = time.monotonic()
    with open(log or os.devnull, "ab") as lf:
        rc = subprocess.call(["/usr/bin/time", "-v", "-o", tfile] + cmd, stdout=lf, stderr=lf, env=env)
    wall = time.monotonic() - t0
    rss = 0
    try:
        with open(tfile) as f:
            for ln in f:
                if "Maximum resident set size" in ln:
                    rss = int(ln.rsplit(":", 1)[1])
        os.unlink(tfile)
    except OSError:
        pass
    if rc != 0:
        die(f"command failed (rc {rc}): {' '.join(cmd)}" + (f" (see {log})" if log else ""))
    return wall, rss


def du(path):
    total = 0
    if os.path.isfile(path):
        return os.path.getsize(path)
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def percentiles(ms):
    s = sorted(ms)
    if not s:
        return {}
    pick = lambda q: s[min(len(s) - 1, int(round(q * (len(s) - 1))))]
    return {"n": len(s), "p50_ms": round(pick(0.5), 3), "p95_ms": round(pick(0.95), 3),
            "p99_ms": round(pick(0.99), 3), "max_ms": round(s[-1], 3), "mean_ms": round(sum(s) / len(s), 3)}


def report(obj):
    """One JSON line on stdout (for the benchmark driver) and a readable line on stderr."""
    print(json.dumps(obj), flush=True)
    print("  ".join(f"{k}={v}" for k, v in obj.items()), file=sys.stderr)


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        for line in f:
            n += bool(line.strip())
    return n


def die(msg):
    print(os.path.basename(sys.argv[0]) + ": " + msg, file=sys.stderr)
    sys.exit(2)


def check_file(path, what):
    if not os.path.isfile(path):
        die(f"{what} not found: {path}")
