#!/usr/bin/env python3
"""Deterministic synthetic ClinicalTrials.gov API v2 studies, recombined from real records.

usage: gen-corpus N [--seed S] [--out FILE.jsonl|DIR|FILE.zip] [--source STUDIES.jsonl]
                  [--xml ZIP|shared|none]

Study i depends only on (seed, i): the first 2,000 studies of N=100,000 are the 2,000 studies of
N=2,000, and the same seed gives byte-identical output. Studies are streamed one at a time.

How a study is built (every piece is real text from the source records: the API v2 studies and,
with --xml, legacy XML records too: `--xml shared` is the shared AllPublicXML subset, 6,786
records). The 584 API v2 studies alone over-represent a few topics (19% of their titles name a
spinal disc, against 1.5% of all 7,369 shared records) but give the real API v2 size (17 KB a
study); --xml mends the vocabulary and shrinks the studies (13.7 KB: the legacy records' outcomes,
arms and MeSH modules are shorter). Without --xml (the default) the output is that of earlier runs.
- a template API v2 record gives the study's shape: which modules exist, results/document sections
  (kept whole, so the size distribution keeps its long tail), the number and length of
  paragraphs in the summary/description and of bullets in the eligibility criteria;
- titles are spliced from two real titles at a connecting word ("in", "of", "for", ...): the
  template's and a random one (with --xml, two random ones);
- summary, description and eligibility are refilled sentence by sentence / bullet by bullet
  from pools of real sentences and inclusion/exclusion bullets;
- status/dates, design (phases, enrollment) and sponsors each come whole from a different API v2
  record, conditions (+ their MeSH terms), arms/interventions and outcomes from a different
  record (with --xml, of either source, XML ones converted to the API v2 modules), so their joint
  distributions stay real; titles, sentences and bullets are drawn from every source record;
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
DEFAULT_XML = os.path.join(os.path.dirname(DEFAULT_SOURCE), "..", "ctgov-xml", "AllPublicXML-subset-2023-02-03.zip")
DEFAULT_DRUGBANK = os.path.join(os.path.dirname(DEFAULT_SOURCE), "..", "lexicons", "drugbank-open-vocabulary.csv")
USAGE = "usage: gen-corpus N [--seed S] [--out FILE.jsonl|DIR|FILE.zip] [--source STUDIES.jsonl] [--xml ZIP|shared|none]"

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
    opts = {"seed": 1, "out": None, "source": DEFAULT_SOURCE, "xml": "none"}
    n = None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--seed", "--out", "--source", "--xml"):
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
    if opts["xml"] == "shared":
        opts["xml"] = DEFAULT_XML
    if opts["xml"] == "none":
        opts["xml"] = None
    elif not os.path.isfile(opts["xml"]):
        die(f"legacy XML records not found: {opts['xml']} (--xml ZIP, shared or none)")
    return int(n), opts


def sentences(text):
    """Paragraphs of sentences: [[s, s], [s]]."""
    return [SENTENCE_SPLIT.split(p.strip()) for p in text.split("\n\n") if p.strip()]


def xml_text(el, path):
    """The text of a legacy record's element (a <textblock> unwrapped: paragraphs joined by a
    blank line, each paragraph's hard-wrapped lines by spaces), "" when absent."""
    node = el.find(path)
    if node is None:
        return ""
    text = "".join(node.itertext()).replace("\r", "")
    paras, cur = [], []
    for ln in text.split("\n"):
        if ln.strip():
            cur.append(ln.strip())
        elif cur:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return "\n\n".join(paras)


def xml_criteria(el):
    """Eligibility criteria of a legacy record, laid out as API v2 spells them: headings, and one
    "* " bullet a line (XML wraps each "- " bullet over several lines)."""
    node = el.find("eligibility/criteria/textblock")
    if node is None:
        return ""
    out = []
    for ln in "".join(node.itertext()).replace("\r", "").split("\n"):
        t = ln.strip()
        if not t:
            continue
        if t.startswith("- ") or re.match(r"^\d{1,2}[.)]\s", t):
            out.append("* " + re.sub(r"^(?:-|\d{1,2}[.)])\s+", "", t))
        elif out and out[-1].startswith("* ") and not t.endswith(":"):
            out[-1] += " " + t
        else:
            out.append(t)
    return "\n".join(out)


def xml_record(root):
    """The parts of a legacy <clinical_study> the generator draws from, as API v2 modules."""
    ident = {"briefTitle": xml_text(root, "brief_title")}
    if root.find("official_title") is not None:
        ident["officialTitle"] = xml_text(root, "official_title")
    cond = {"conditions": [c.text.strip() for c in root.findall("condition") if c.text and c.text.strip()]}
    keywords = [k.text.strip() for k in root.findall("keyword") if k.text and k.text.strip()]
    if keywords:
        cond["keywords"] = keywords
    proto = {"identificationModule": ident,
             "descriptionModule": {"briefSummary": xml_text(root, "brief_summary/textblock"),
                                   "detailedDescription": xml_text(root, "detailed_description/textblock")},
             "eligibilityModule": {"eligibilityCriteria": xml_criteria(root)}}
    if cond["conditions"]:
        proto["conditionsModule"] = cond
    interventions = []
    for iv in root.findall("intervention"):
        d = {"type": xml_text(iv, "intervention_type").upper().replace(" ", "_"),
             "name": xml_text(iv, "intervention_name")}
        if iv.find("description") is not None:
            d["description"] = xml_text(iv, "description")
        other = [o.text.strip() for o in iv.findall("other_name") if o.text and o.text.strip()]
        if other:
            d["otherNames"] = other
        labels = [a.text.strip() for a in iv.findall("arm_group_label") if a.text and a.text.strip()]
        if labels:
            d["armGroupLabels"] = labels
        interventions.append(d)
    if interventions:
        groups = []
        for g in root.findall("arm_group"):
            label = xml_text(g, "arm_group_label")
            d = {"label": label, "interventionNames": [
                "%s: %s" % (iv["type"].replace("_", " ").title(), iv["name"])
                for iv in interventions if label in iv.get("armGroupLabels", [])]}
            if g.find("arm_group_type") is not None:
                d["type"] = xml_text(g, "arm_group_type").upper().replace(" ", "_").replace(":", "")
            if g.find("description") is not None:
                d["description"] = xml_text(g, "description")
            groups.append(d)
        proto["armsInterventionsModule"] = {"armGroups": groups, "interventions": interventions} if groups \
            else {"interventions": interventions}
    outcomes = {}
    for tag, key in (("primary_outcome", "primaryOutcomes"), ("secondary_outcome", "secondaryOutcomes")):
        lst = []
        for o in root.findall(tag):
            d = {"measure": xml_text(o, "measure"), "timeFrame": xml_text(o, "time_frame")}
            if o.find("description") is not None:
                d["description"] = xml_text(o, "description")
            lst.append(d)
        if lst:
            outcomes[key] = lst
    if outcomes:
        proto["outcomesModule"] = outcomes
    derived = {}
    for tag, key in (("condition_browse", "conditionBrowseModule"), ("intervention_browse", "interventionBrowseModule")):
        terms = [m.text.strip() for m in root.findall(tag + "/mesh_term") if m.text and m.text.strip()]
        if terms:
            derived[key] = {"meshes": [{"term": t} for t in terms]}
    return {"protocolSection": proto, "derivedSection": derived}


def read_xml_records(path):
    """Every <clinical_study> of a zip of legacy XML records (unreadable entries skipped)."""
    import xml.etree.ElementTree as ET
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            try:
                root = ET.fromstring(z.read(name))
            except ET.ParseError:
                print(f"gen-corpus: {path}: {name}: not well-formed XML, skipped", file=sys.stderr)
                continue
            if root.tag == "clinical_study":
                out.append(xml_record(root))
    return out


class Pools:
    """Everything the generator draws from, built once from the real records."""

    def __init__(self, source, drugbank, xml=None):
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
        # legacy XML records lend their text and their condition, intervention and outcome
        # modules; API v2 records alone give the templates, statuses, designs, sponsors, sites
        self.parts = self.records + (read_xml_records(xml) if xml else [])
        for r in self.parts:
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
        for r in self.records:
            locs = r["protocolSection"].get("contactsLocationsModule", {}).get("locations", [])
            self.sites.extend(locs)
            self.site_counts.append(min(max(len(locs), 1), 30))
        self.with_conditions = [r for r in self.parts if r["protocolSection"].get("conditionsModule")]
        self.with_interventions = [r for r in self.parts
                                   if r["protocolSection"].get("armsInterventionsModule", {}).get("interventions")]
        self.with_outcomes = [r for r in self.parts if r["protocolSection"].get("outcomesModule")]
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
    # with --xml, both halves come from the pools (the template decides only whether there is
    # an official title); without, the first half is the template's, as in earlier corpora
    mixed = len(pools.parts) > len(recs)
    first_brief = rng.choice(pools.titles_brief) if mixed else ident.get("briefTitle", "")
    ident["briefTitle"] = splice_title(rng, first_brief, rng.choice(pools.titles_brief))
    if ident.get("officialTitle"):
        first_official = rng.choice(pools.titles_official) if mixed else ident["officialTitle"]
        ident["officialTitle"] = splice_title(rng, first_official, rng.choice(pools.titles_official))
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
    pools = Pools(opts["source"], drugbank, opts["xml"])
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
