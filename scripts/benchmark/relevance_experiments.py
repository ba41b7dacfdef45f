#!/usr/bin/python3
"""Ranking ideas tried against the relevance judgements, kept so that their figures can be rerun.

usage: relevance_experiments.py BINARY TS_DB WORK [SECTION...]

TS_DB is a trialsearch database of the shared real records (as scripts/eval-relevance builds);
WORK a scratch folder for the plain indexes built here. Prints condensed nDCG@10 for TREC CT 2022
and SIGIR 2016, query styles "first keyword" and "first three keywords", for these sections (all
of them unless some are named):
  mesh     trialsearch's ranking, re-ordered with a bonus for trials whose condition MeSH terms
           (or ancestors) are named by the query, directly or through a condition -> MeSH map
           learnt from the records (a condition spelling mapped to the MeSH terms that at least
           `share` of its trials carry); and "recall": trialsearch's first 100 hits followed by
           the trials it did not return that carry such MeSH terms;
  elig     the plain BM25 baseline of eval-relevance with all eligibility text, without the
           exclusion criteria, and without eligibility;
  topical  the plain baseline plus a weighted second query over title, conditions, keywords and
           condition MeSH only, over a grid of BM25 k1 and b;
  prf      pseudo-relevance feedback: the top k trials (k 3, 5, 10) as an RSet on the plain
           eligibility-all index, its n best ESet terms (n 5, 10, 20; stemmed words only, no
           query words, stopwords or numbers) OR'ed, scaled by w (0.1, 0.3, 0.5), onto the query.
           "plain": the plain baseline's top k, expanded query run on the plain index; "ts rset":
           trialsearch's top k, expanded query run on the plain index; "ts fused": trialsearch's
           top 200 (plus the expansion's top 200) re-ordered by trialsearch score / its top score
           + w * expansion score / the plain query's top score, first 100 (eval-relevance's depth).
           Each prints its 27 settings, the best per column, the setting best on TREC /1 (a fair
           figure for the other columns) and, as a control, that setting at w 0: the expansion's
           matches added with no weight, which shows how much is extra recall in the condensed
           lists (most topics have fewer than 10 judged trials retrieved) rather than re-ordering.
  ceiling  how far re-ordering can go: trialsearch (first 100 hits), the plain baseline, the
           better of the two per topic, and the judged trials that contain any (all) of the
           query's words in the plain index, in the best possible order (grade 2, then 1, then 0).
Needs python3-xapian, python3-zstandard and ../shared/data.
"""
import collections
import importlib.machinery
import importlib.util
import json
import os
import re
import subprocess
import sys
import unicodedata

import xapian

HERE = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader("eval_relevance", os.path.join(HERE, "..", "eval-relevance"))
_spec = importlib.util.spec_from_loader("eval_relevance", _loader)
ev = importlib.util.module_from_spec(_spec)
_loader.exec_module(ev)


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    return " ".join(re.findall(r"[a-z0-9]+", "".join(c for c in s if not unicodedata.combining(c))))


def collections_topics(present):
    """(collection, style, [(query, judged)]) for every collection and query style."""
    out = []
    for name in ("trec-ct-2022", "sigir-2016"):
        folder = os.path.join(ev.DATA, "relevance", name)
        qrels = ev.load_qrels(os.path.join(folder, "qrels.tsv"), present)
        with open(os.path.join(folder, "id2queries.json")) as f:
            topics = json.load(f)
        for k in (1, 3):
            rows = []
            for topic, entry in sorted(topics.items()):
                judged = qrels.get(topic)
                conds = entry.get("gpt-4-turbo", {}).get("conditions", [])
                if judged and conds and max(judged.values()) > 0:
                    rows.append((" ".join(conds[:k]), judged))
            out.append((name, k, rows))
    return out


def mean_ndcg(rows, rank):
    scores = [s for s in (ev.ndcg10(rank(q), judged) for q, judged in rows) if s is not None]
    return sum(scores) / len(scores)


def report(label, sets, rank):
    print("%-40s %s" % (label, " ".join("%.4f" % mean_ndcg(rows, rank) for _, _, rows in sets)))


def build_plain(path, recs, text):
    if os.path.exists(path):
        return xapian.Database(path)
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    for t in recs:
        doc = xapian.Document()
        tg.set_document(doc)
        text(tg, t)
        doc.set_data(t["nct_id"])
        db.add_document(doc)
    db.commit()
    return xapian.Database(path)


STOPWORDS = set("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves may must per via within without
""".split())


class ExpandTerms(xapian.ExpandDecider):
    """Stemmed free-text terms (Z prefix) of at least three letters, no stopwords or query words."""

    def __init__(self, exclude):
        xapian.ExpandDecider.__init__(self)
        self.exclude = exclude

    def __call__(self, term):
        t = term.decode("utf-8", "replace")
        return t.startswith("Z") and len(t) >= 4 and t[1:].isalpha() and t[1:].islower() and \
            t[1:] not in self.exclude


def prf_experiment(db, sets, ts_hits):
    """Pseudo-relevance feedback on the plain index db, from its own or trialsearch's top k."""
    stem = xapian.Stem("english")
    docid = {db.get_document(p.docid).get_data().decode(): p.docid for p in db.postlist("")}
    stemmed_stops = STOPWORDS | {stem(w).decode() for w in STOPWORDS}
    parsed, esets = {}, {}

    def parse(q):
        if q not in parsed:
            qp = xapian.QueryParser()
            qp.set_stemmer(stem)
            qp.set_stemming_strategy(qp.STEM_SOME)
            qp.set_database(db)
            parsed[q] = qp.parse_query(q)
        return parsed[q]

    def run(query, n=200):
        enq = xapian.Enquire(db)
        enq.set_query(query)
        return [(m.document.get_data().decode(), m.weight) for m in enq.get_mset(0, n)]

    def eset(source, q, k):
        """The 20 best expansion terms for q from source's top k ("plain" or "ts")."""
        key = (source, q, k)
        if key not in esets:
            top = [d for d, _ in (run(parse(q), k) if source == "plain" else ts_hits(q)[:k])]
            rset = xapian.RSet()
            for d in top:
                rset.add_document(docid[d])
            words = fold(q).split()
            enq = xapian.Enquire(db)
            enq.set_query(parse(q))
            decider = ExpandTerms(stemmed_stops | set(words) | {stem(w).decode() for w in words})
            esets[key] = [e.term for e in enq.get_eset(20, rset, decider)] if top else []
        return esets[key]

    def expanded(source, q, k, n):
        terms = eset(source, q, k)[:n]
        if not terms:
            return None
        return xapian.Query(xapian.Query.OP_OR, [xapian.Query(t) for t in terms])

    def prf_rank(method, k, n, w):
        source = "plain" if method == "plain" else "ts"

        def rank(q):
            ex = expanded(source, q, k, n)
            if method != "ts fused":
                query = parse(q) if ex is None else xapian.Query(
                    xapian.Query.OP_OR, parse(q), xapian.Query(xapian.Query.OP_SCALE_WEIGHT, ex, w))
                return [d for d, _ in run(query, 100)]
            hits = ts_hits(q)
            if ex is None or not hits:
                return [h[0] for h in hits][:100]
            plain_top = max([wt for _, wt in run(parse(q), 1)] or [1])
            score = collections.Counter({d: s / hits[0][1] for d, s in hits})
            for d, wt in run(ex, 200):
                score[d] += w * wt / plain_top
            return [d for d, _ in score.most_common(100)]
        return rank

    # references at eval-relevance's depth of 100 (the mesh rows keep trialsearch's first 200)
    report("prf: reference, plain BM25 first 100", sets, lambda q: [d for d, _ in run(parse(q), 100)])
    report("prf: reference, trialsearch first 100", sets, lambda q: [h[0] for h in ts_hits(q)[:100]])
    grid = [(k, n, w) for k in (3, 5, 10) for n in (5, 10, 20) for w in (0.1, 0.3, 0.5)]
    for method in ("plain", "ts rset", "ts fused"):
        figures = {}
        for k, n, w in grid:
            rank = prf_rank(method, k, n, w)
            figures[k, n, w] = [mean_ndcg(rows, rank) for _, _, rows in sets]
            print("%-40s %s" % ("prf: %s, k %d, n %d, w %.1f" % (method, k, n, w),
                                " ".join("%.4f" % f for f in figures[k, n, w])))
        best = [max(grid, key=lambda s: figures[s][i]) for i in range(len(sets))]
        print("%-40s %s   (%s)" % ("prf: %s, best per column" % method,
                                   " ".join("%.4f" % figures[s][i] for i, s in enumerate(best)),
                                   "; ".join("k %d n %d w %.1f" % s for s in best)))
        k, n, w = best[0]
        print("%-40s %s" % ("prf: %s, TREC/1 pick k%d n%d w%.1f" % (method, k, n, w),
                            " ".join("%.4f" % f for f in figures[best[0]])))
        # the same expansion at weight 0: only adds (ts fused: appends) the expansion's matches, unordered
        report("prf: %s, control k%d n%d w0" % (method, k, n), sets, prf_rank(method, k, n, 0))


def ceiling_experiment(plain, sets, ts_hits):
    """Rankings no re-ordering of the matches can beat, beside the two rankings compared."""
    def ideal(q, judged, op):
        matches = ev.baseline_search(plain, q, plain.get_doccount(), op)
        return sorted((d for d in matches if d in judged), key=lambda d: -judged[d])

    columns = {"trialsearch": [], "plain": [], "better of the two": [],
               "any word, best order": [], "all words, best order": []}
    for _, _, rows in sets:
        per = {c: [] for c in columns}
        for q, judged in rows:
            a = ev.ndcg10([h[0] for h in ts_hits(q)][:100], judged)
            b = ev.ndcg10(ev.baseline_search(plain, q), judged)
            if a is None or b is None:
                continue
            per["trialsearch"].append(a)
            per["plain"].append(b)
            per["better of the two"].append(max(a, b))
            per["any word, best order"].append(ev.ndcg10(ideal(q, judged, xapian.Query.OP_OR), judged))
            per["all words, best order"].append(ev.ndcg10(ideal(q, judged, xapian.Query.OP_AND), judged))
        for c in columns:
            columns[c].append(sum(per[c]) / len(per[c]))
    for c, means in columns.items():
        print("%-40s %s" % ("ceiling: " + c, " ".join(
            "%.4f (%.2fx)" % (m, m / base) for m, base in zip(means, columns["plain"]))))


def main(argv):
    if len(argv) < 3:
        ev.die(__doc__.split("\n\n")[1])
    binary, ts_db, work = argv[:3]
    sections = set(argv[3:]) or {"mesh", "elig", "topical", "prf", "ceiling"}
    unknown = sections - {"mesh", "elig", "topical", "prf", "ceiling"}
    if unknown:
        ev.die("unknown section %s\n%s" % (", ".join(sorted(unknown)), __doc__.split("\n\n")[1]))
    os.makedirs(work, exist_ok=True)
    src = xapian.Database(ts_db)
    recs = [ev.common.trial_record(src.get_document(p.docid).get_data()) for p in src.postlist("")]
    by_id = {t["nct_id"]: t for t in recs}
    sets = collections_topics(set(by_id))
    print("%-40s %s" % ("", " ".join("%s/%d" % (n[:5], k) for n, k, _ in sets)))

    # mesh: trialsearch's top 200, re-ordered
    cache = {}

    def ts_hits(q):
        if q not in cache:
            r = subprocess.run([binary, "search", "--db", ts_db, "--json", "--limit", "200", "--", q],
                               capture_output=True, text=True)
            cache[q] = [(h["nct_id"], h["score"]) for h in json.loads(r.stdout)["results"]] if r.returncode == 0 else []
        return cache[q]

    mesh_names, cond_mesh, cond_n = set(), collections.defaultdict(collections.Counter), collections.Counter()
    doc_mesh = {}
    for t in recs:
        own = {fold(m) for m in t.get("condition_mesh", [])}
        doc_mesh[t["nct_id"]] = own | {fold(m) for m in t.get("condition_mesh_ancestors", [])}
        mesh_names |= doc_mesh[t["nct_id"]]
        for c in {fold(c) for c in t.get("conditions", [])}:
            cond_n[c] += 1
            for m in own:
                cond_mesh[c][m] += 1

    def expansion(q, share):
        words, out = fold(q).split(), set()
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 6) + 1):
                g = " ".join(words[i:j])
                if g in mesh_names:
                    out.add(g)
                out |= {m for m, n in cond_mesh.get(g, {}).items() if n / cond_n[g] >= share}
        return out

    def mesh_rank(alpha, share):
        def rank(q):
            hits, ex = ts_hits(q), expansion(q, share)
            top = hits[0][1] if hits else 0
            bonus = lambda h: alpha * top * len(ex & doc_mesh[h[0]]) / max(1, len(ex))
            return [h[0] for h in sorted(hits, key=lambda h: -(h[1] + bonus(h)))]
        return rank

    by_mesh = collections.defaultdict(set)
    for nct, names in doc_mesh.items():
        for m in names:
            by_mesh[m].add(nct)

    def mesh_recall(share, depth):
        """trialsearch's first 100 hits, then trials it did not return whose condition MeSH
        terms the query names (directly or through the learnt map), most such terms first,
        until the list holds `depth` trials."""
        def rank(q):
            listed = [h[0] for h in ts_hits(q)][:100]
            seen, ex = set(listed), expansion(q, share)
            extra = collections.Counter()
            for m in ex:
                for nct in by_mesh.get(m, ()):
                    if nct not in seen:
                        extra[nct] += 1
            return listed + sorted(extra, key=lambda n: (-extra[n], n))[:max(0, depth - len(listed))]
        return rank

    if "mesh" in sections:
        report("mesh: trialsearch as it ranks", sets, mesh_rank(0, 1))
        report("mesh: trialsearch, first 100", sets, lambda q: [h[0] for h in ts_hits(q)][:100])
        for share in (0.3, 0.6):
            for depth in (100, 200):
                report("mesh: + recall, share %.1f, depth %d" % (share, depth), sets,
                       mesh_recall(share, depth))
        for alpha in (0.2, 0.8):
            for share in (0.3, 0.6):
                report("mesh: bonus %.1f, map share %.1f" % (alpha, share), sets,
                       mesh_rank(alpha, share))

    # elig: the plain baseline with less eligibility text
    exclusion = re.compile(r"exclusion criteria", re.I)

    def with_elig(keep):
        def text(tg, t):
            t2 = dict(t)
            e = t.get("eligibility_criteria", "")
            m = exclusion.search(e)
            if keep == "none":
                t2["eligibility_criteria"] = ""
            elif keep == "inclusion" and m:
                t2["eligibility_criteria"] = e[:m.start()]
            tg.index_text(ev.text_of(t2))
        return text

    plain = build_plain(os.path.join(work, "plain-elig-all"), recs, with_elig("all"))
    for keep in ("all", "inclusion", "none") if "elig" in sections else ():
        db = build_plain(os.path.join(work, "plain-elig-" + keep), recs, with_elig(keep))
        report("elig: plain BM25, eligibility %s" % keep, sets, lambda q, db=db: ev.baseline_search(db, q))

    # topical: plain text plus a weighted query on the topical fields only
    def topical_text(tg, t):
        tg.index_text(ev.text_of(t))
        top = [t.get("brief_title", ""), t.get("official_title", "")] + t.get("conditions", []) + \
            t.get("keywords", []) + t.get("condition_mesh", [])
        tg.index_text("\n".join(top), 1, "XT")

    db = build_plain(os.path.join(work, "plain-topical"), recs, topical_text) if "topical" in sections else None

    def topical_rank(lam, k1, b):
        def rank(q):
            qp = xapian.QueryParser()
            qp.set_stemmer(xapian.Stem("english"))
            qp.set_stemming_strategy(qp.STEM_SOME)
            qp.set_database(db)
            query = qp.parse_query(q)
            if lam:
                topical = qp.parse_query(q, qp.FLAG_DEFAULT, "XT")
                query = xapian.Query(xapian.Query.OP_OR, query,
                                     xapian.Query(xapian.Query.OP_SCALE_WEIGHT, topical, lam))
            enq = xapian.Enquire(db)
            enq.set_query(query)
            enq.set_weighting_scheme(xapian.BM25Weight(k1, 0, 1, b, 0.5))
            return [m.document.get_data().decode() for m in enq.get_mset(0, 100)]
        return rank

    for lam in (0, 0.25, 0.5, 1, 2) if "topical" in sections else ():
        for k1, b in ((1.2, 0.75), (1, 0.5), (2, 0.75), (1.2, 0.3)):
            report("topical: weight %.2f, k1 %.1f, b %.2f" % (lam, k1, b), sets, topical_rank(lam, k1, b))

    # prf: query expansion from the top k trials of the plain baseline or of trialsearch
    if "prf" in sections:
        prf_experiment(plain, sets, ts_hits)
    if "ceiling" in sections:
        ceiling_experiment(plain, sets, ts_hits)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
