#!/usr/bin/env python3
"""Deterministic synthetic ClinicalTrials.gov API v2 studies, recombined from real records.

usage: gen-corpus N [--seed S] [--out FILE.jsonl|DIR|FILE.zip] [--source STUDIES.jsonl]

Study i depends only on (seed, i): the first 2,000 studies of N=100,000 are the 2,000 studies of
N=2,000, and the same seed gives byte-identical output. Studies are streamed one at a time.

How a study is built (every piece is real text from the source records):
- a template record gives the study's shape: which modules exist, results/document sections
  (kept whole, so the size distribution keeps its long tail), the number and length of
  paragraphs in the summary/description and of bullets in the eligibility criteria;
- titles are spliced from two real titles at a connecting word ("in", "of", "for", ...);
- summary, description and eligibility are refilled sentence by sentence / bullet by bullet
  from pools of real sentences and inclusion/exclusion bullets;
- status/dates, design (phases, enrollment), conditions (+ their MeSH browse module),
  arms/interventions (+ MeSH), outcomes and sponsors each come whole from a different real
  record, so their joint distributions stay real;
- a share of drug interventions is renamed to a DrugBank open-vocabulary drug, with its
  synonyms and code names as otherNames (more distinct drug names and codes than 584 records);
- 1-30 sites drawn from the pool of real sites, the count from the real distribution;
- the id is NCT9xxxxxxx (never a real id).
"""
import csv
import json
import os
import random
import re
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.environ.get(
    "TRIALSEARCH_STUDIES", os.path.join(HERE, "..", "..", "..", "shared", "data", "ctgov-json-v2", "studies.jsonl"))
DEFAULT_DRUGBANK = os.path.join(os.path.dirname(DEFAULT_SOURCE), "..", "lexicons", "drugbank-open-vocabulary.csv")
USAGE = "usage: gen-corpus N [--seed S] [--out FILE.jsonl|DIR|FILE.zip] [--source STUDIES.jsonl]"

MAX_STUDIES = 10_000_000  # NCT9 + 7 digits
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")
BULLET = re.compile(r"^(\s*(?:[*\-•]|\d{1,2}[.)])\s+)(.*)$")
CONNECTORS = {"in", "of", "for", "with", "versus", "vs", "vs.", "on", "among", "to", "after", "and",
              "during", "using", "by"}
CODE = re.compile(r"^[A-Z]{1,6}-?\d{2,7}[A-Z]?$")
DRUG_RENAME_SHARE = 0.4


def die(msg):
    print("gen-corpus: " + msg, file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        sys.exit(2 if not argv else 0)
    opts = {"seed": 1, "out": None, "source": DEFAULT_SOURCE}
    n = None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--seed", "--out", "--source"):
            if i + 1 >= len(argv):
                die(f"{a} needs a value ({USAGE})")
            opts[a[2:]] = argv[i + 1]
            i += 2
            continue
        if a.startswith("--"):
            die(f"unknown option {a} ({USAGE})")
        if n is not None:
            die(f"unexpected argument {a} ({USAGE})")
        n = a
        i += 1
    if n is None or not n.isdigit() or not 1 <= int(n) <= MAX_STUDIES:
        die(f"N must be an integer in 1..{MAX_STUDIES} ({USAGE})")
    try:
        opts["seed"] = int(opts["seed"])
    except ValueError:
        die(f"--seed must be an integer ({USAGE})")
    if not os.path.isfile(opts["source"]):
        die(f"source records not found: {opts['source']} (use --source)")
    return int(n), opts


def sentences(text):
    """Paragraphs of sentences: [[s, s], [s]]."""
    return [SENTENCE_SPLIT.split(p.strip()) for p in text.split("\n\n") if p.strip()]


class Pools:
    """Everything the generator draws from, built once from the real records."""

    def __init__(self, source, drugbank):
        self.records = []
        self.titles_brief, self.titles_official = [], []
        self.summary_sents, self.description_sents = [], []
        self.incl_bullets, self.excl_bullets = [], []
        self.sites, self.site_counts = [], []
        with open(source, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    self.records.append(json.loads(line))
        if not self.records:
            die(f"no records in {source}")
        for r in self.records:
            p = r["protocolSection"]
            ident = p["identificationModule"]
            self.titles_brief.append(ident.get("briefTitle", ""))
            if ident.get("officialTitle"):
                self.titles_official.append(ident["officialTitle"])
            desc = p.get("descriptionModule", {})
            for para in sentences(desc.get("briefSummary", "")):
                self.summary_sents.extend(para)
            for para in sentences(desc.get("detailedDescription", "")):
                self.description_sents.extend(para)
            excl = False
            for ln in p.get("eligibilityModule", {}).get("eligibilityCriteria", "").split("\n"):
                if "xclusion" in ln and not BULLET.match(ln):
                    excl = True
                elif "nclusion" in ln and not BULLET.match(ln):
                    excl = False
                m = BULLET.match(ln)
                if m and len(m.group(2)) > 3:
                    (self.excl_bullets if excl else self.incl_bullets).append(m.group(2))
            locs = p.get("contactsLocationsModule", {}).get("locations", [])
            self.sites.extend(locs)
            self.site_counts.append(min(max(len(locs), 1), 30))
        self.with_conditions = [r for r in self.records if r["protocolSection"].get("conditionsModule")]
        self.with_interventions = [r for r in self.records
                                   if r["protocolSection"].get("armsInterventionsModule", {}).get("interventions")]
        self.with_outcomes = [r for r in self.records if r["protocolSection"].get("outcomesModule")]
        self.drugs = []  # (name, otherNames)
        if os.path.isfile(drugbank):
            with open(drugbank, encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    name = row["Common name"].strip()
                    syn = [s.strip() for s in row["Synonyms"].split("|") if s.strip() and s.strip() != name]
                    codes = [s for s in syn if CODE.match(s)]
                    rest = [s for s in syn if not CODE.match(s) and len(s) < 60]
                    if name and len(name) < 60:
                        self.drugs.append((name, codes[:3] + rest[:3]))
        self.drugs_with_codes = [d for d in self.drugs if any(CODE.match(s) for s in d[1])]


def splice_title(rng, a, b):
    wa, wb = a.split(" "), b.split(" ")
    ia = [i for i, w in enumerate(wa) if i > 1 and w.lower() in CONNECTORS]
    ib = [i for i, w in enumerate(wb) if i > 0 and w.lower() in CONNECTORS]
    if not ia or not ib:  # no connecting word: splice at the middle words
        ia, ib = [max(1, len(wa) // 2)], [len(wb) // 2]
    return " ".join(wa[:rng.choice(ia)] + wb[rng.choice(ib):])


def refill(rng, text, pool):
    if not text or not pool:
        return text
    return "\n\n".join(" ".join(rng.choice(pool) for _ in para) for para in sentences(text))


def refill_eligibility(rng, text, pools):
    out, excl = [], False
    for ln in text.split("\n"):
        m = BULLET.match(ln)
        if m:
            pool = pools.excl_bullets if excl else pools.incl_bullets
            out.append(m.group(1) + rng.choice(pool) if pool else ln)
            continue
        if "xclusion" in ln:
            excl = True
        elif "nclusion" in ln:
            excl = False
        out.append(ln)
    return "\n".join(out)


def rename_drugs(rng, arms_module, pools):
    """A copy of arms_module where some DRUG interventions are DrugBank drugs instead."""
    interventions, renames = [], {}
    for iv in arms_module.get("interventions", []):
        if iv.get("type") == "DRUG" and pools.drugs and rng.random() < DRUG_RENAME_SHARE:
            pool = pools.drugs_with_codes if pools.drugs_with_codes and rng.random() < 0.5 else pools.drugs
            name, other = rng.choice(pool)
            iv = dict(iv)
            old = iv.get("name", "")
            if old and iv.get("description"):
                iv["description"] = iv["description"].replace(old, name)
            renames["Drug: " + old] = "Drug: " + name
            iv["name"] = name
            if other:
                iv["otherNames"] = list(other)
            else:
                iv.pop("otherNames", None)
        interventions.append(iv)
    if not renames:
        return arms_module
    out = dict(arms_module)
    out["interventions"] = interventions
    if "armGroups" in arms_module:
        groups = []
        for g in arms_module["armGroups"]:
            if "interventionNames" in g:
                g = dict(g)
                g["interventionNames"] = [renames.get(n, n) for n in g["interventionNames"]]
            groups.append(g)
        out["armGroups"] = groups
    return out


def make_study(pools, seed, i):
    rng = random.Random(seed * 10_000_019 + i)
    recs = pools.records
    tmpl = rng.choice(recs)
    tp = tmpl["protocolSection"]
    status_src, design_src, sponsor_src = rng.choice(recs), rng.choice(recs), rng.choice(recs)
    cond_src = rng.choice(pools.with_conditions)
    iv_src = rng.choice(pools.with_interventions) if "armsInterventionsModule" in tp else None
    out_src = rng.choice(pools.with_outcomes) if "outcomesModule" in tp else None

    ident = dict(tp["identificationModule"])
    ident["nctId"] = "NCT9%07d" % i
    sp_ident = sponsor_src["protocolSection"]["identificationModule"]
    for k in ("orgStudyIdInfo", "secondaryIdInfos", "organization"):
        ident.pop(k, None)
        if k in sp_ident:
            ident[k] = sp_ident[k]
    ident["briefTitle"] = splice_title(rng, ident.get("briefTitle", ""), rng.choice(pools.titles_brief))
    if ident.get("officialTitle"):
        ident["officialTitle"] = splice_title(rng, ident["officialTitle"], rng.choice(pools.titles_official))
    if "acronym" in ident and rng.random() < 0.5:
        ident["acronym"] = rng.choice(recs)["protocolSection"]["identificationModule"].get("acronym", ident["acronym"])

    proto = {}
    for key, value in tp.items():
        if key == "identificationModule":
            proto[key] = ident
        elif key == "statusModule":
            proto[key] = status_src["protocolSection"]["statusModule"]
        elif key == "sponsorCollaboratorsModule":
            proto[key] = sponsor_src["protocolSection"].get(key, value)
        elif key == "descriptionModule":
            d = dict(value)
            d["briefSummary"] = refill(rng, d.get("briefSummary", ""), pools.summary_sents)
            if "detailedDescription" in d:
                d["detailedDescription"] = refill(rng, d["detailedDescription"], pools.description_sents)
            proto[key] = d
        elif key == "conditionsModule":
            proto[key] = cond_src["protocolSection"]["conditionsModule"]
        elif key == "designModule":
            proto[key] = design_src["protocolSection"].get(key, value)
        elif key == "armsInterventionsModule":
            proto[key] = rename_drugs(rng, iv_src["protocolSection"][key], pools)
        elif key == "outcomesModule":
            proto[key] = out_src["protocolSection"][key]
        elif key == "eligibilityModule":
            e = dict(value)
            if e.get("eligibilityCriteria"):
                e["eligibilityCriteria"] = refill_eligibility(rng, e["eligibilityCriteria"], pools)
            proto[key] = e
        elif key == "contactsLocationsModule":
            c = dict(value)
            k = rng.choice(pools.site_counts)
            c["locations"] = [rng.choice(pools.sites) for _ in range(k)]
            proto[key] = c
        else:
            proto[key] = value
    if "contactsLocationsModule" not in proto and pools.sites:
        proto["contactsLocationsModule"] = {"locations": [rng.choice(pools.sites)]}

    derived = dict(tmpl.get("derivedSection", {}))
    for key, src in (("conditionBrowseModule", cond_src), ("interventionBrowseModule", iv_src)):
        derived.pop(key, None)
        if src is not None and key in src.get("derivedSection", {}):
            derived[key] = src["derivedSection"][key]

    study = {"protocolSection": proto}
    for key in ("resultsSection", "annotationSection", "documentSection"):
        if key in tmpl:
            study[key] = tmpl[key]
    study["derivedSection"] = derived
    study["hasResults"] = "resultsSection" in tmpl
    return study


class NdjsonSink:
    def __init__(self, path):
        self.f = sys.stdout if path is None else open(path, "w", encoding="utf-8", newline="\n")

    def add(self, nct, text):
        self.f.write(text)
        self.f.write("\n")

    def close(self):
        if self.f is not sys.stdout:
            self.f.close()
        else:
            self.f.flush()


class DirSink:
    def __init__(self, path):
        os.makedirs(path, exist_ok=True)
        self.path = path

    def add(self, nct, text):
        with open(os.path.join(self.path, nct + ".json"), "w", encoding="utf-8") as f:
            f.write(text)

    def close(self):
        pass


class ZipSink:
    """Laid out like ctg-studies.json.zip: NCTxxxxxxxx.json at the root, deflated."""

    def __init__(self, path):
        self.z = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6, allowZip64=True)

    def add(self, nct, text):
        info = zipfile.ZipInfo(nct + ".json", date_time=(2026, 1, 1, 0, 0, 0))  # fixed: byte-identical
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.z.writestr(info, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)

    def close(self):
        self.z.close()


def main(argv):
    n, opts = parse_args(argv)
    out = opts["out"]
    if out is None or out == "-":
        sink = NdjsonSink(None)
    elif out.endswith((".jsonl", ".ndjson", ".json")):
        sink = NdjsonSink(out)
    elif out.endswith(".zip"):
        sink = ZipSink(out)
    else:
        sink = DirSink(out)
    drugbank = os.environ.get("TRIALSEARCH_DRUGBANK", DEFAULT_DRUGBANK)
    pools = Pools(opts["source"], drugbank)
    t0, total = time.monotonic(), 0
    for i in range(n):
        study = make_study(pools, opts["seed"], i)
        text = json.dumps(study, ensure_ascii=False)
        total += len(text.encode("utf-8")) + 1
        sink.add(study["protocolSection"]["identificationModule"]["nctId"], text)
    sink.close()
    dt = time.monotonic() - t0
    print(f"gen-corpus: {n} studies, {total / n / 1024:.1f} KiB mean JSON, {total / 1e6:.0f} MB, "
          f"{dt:.1f} s ({n / max(dt, 1e-9):.0f} studies/s)", file=sys.stderr)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except BrokenPipeError:
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
