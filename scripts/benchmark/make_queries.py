#!/usr/bin/env python3
"""Writes the 200 fixed benchmark queries from the real records' vocabulary (deterministic).

usage: make_queries.py [STUDIES.jsonl] > queries.txt
Line format: `query` or `query<TAB>key=value[,key=value]` (keys status, phase, type; API v2 enum
values). Mix: 50 single words, 30 drug codes, 30 quoted phrases, 70 queries of 2-4 words,
20 filtered queries. Regenerating gives the same file; edit by hand only with a reason.
"""
import collections
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "data", "ctgov-json-v2", "studies.jsonl")
if len(sys.argv) > 2 or not os.path.isfile(src):
    print("make_queries.py: usage: make_queries.py [STUDIES.jsonl] > queries.txt", file=sys.stderr)
    sys.exit(2)
CODE = re.compile(r"\b[A-Z]{1,5}-\d{3,7}\b|\b[A-Z]{2,5}\d{3,7}\b")
WORD = re.compile(r"[A-Za-z][a-z]{3,}")
STOP = set("with that this from were will have been after study patients treatment subjects their "
           "which these other than into only more also each such during before both those what when "
           "participants clinical trial randomized phase group groups years versus".split())
rng = random.Random(7)
words, codes, conds, ivnames = collections.Counter(), set(), collections.Counter(), collections.Counter()
recs = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
for r in recs:
    p = r["protocolSection"]
    ident = p["identificationModule"]
    for w in WORD.findall(ident.get("briefTitle", "") + " " + " ".join(p.get("conditionsModule", {}).get("conditions", []))):
        if w.lower() not in STOP:
            words[w.lower()] += 1
    for c in p.get("conditionsModule", {}).get("conditions", []):
        if 2 <= len(c.split()) <= 3 and c.replace(" ", "").replace("-", "").isalpha():
            conds[c.lower()] += 1
    for iv in p.get("armsInterventionsModule", {}).get("interventions", []):
        for name in [iv.get("name", "")] + iv.get("otherNames", []):
            codes.update(CODE.findall(name))
            if name.isalpha() and len(name) > 4:
                ivnames[name.lower()] += 1
common_words = [w for w, _ in words.most_common(300)]
rare_words = [w for w, c in words.items() if c == 2]
out = []
out += rng.sample(common_words[:150], 30) + rng.sample(sorted(rare_words), 20)
out += rng.sample(sorted(codes), min(30, len(codes)))
out += ['"%s"' % c for c in rng.sample(sorted(conds), 30)]
multi = []
while len(multi) < 70:
    k = rng.choice((2, 2, 3, 3, 4))
    kind = rng.random()
    if kind < 0.4 and ivnames:
        q = [rng.choice(sorted(ivnames))] + rng.sample(common_words[:200], k - 1)
    else:
        q = rng.sample(common_words[:250], k)
    q = " ".join(q)
    if q not in multi:
        multi.append(q)
out += multi
filters = ["status=recruiting", "phase=phase3", "type=interventional", "status=completed",
           "phase=phase2", "status=recruiting,type=interventional"]
for i in range(20):
    out.append(rng.choice(common_words[:100]) + "\t" + filters[i % len(filters)])
assert len(out) == 200, len(out)
print("\n".join(out))
