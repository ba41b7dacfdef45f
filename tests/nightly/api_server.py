#!/usr/bin/env python3
"""A loopback ClinicalTrials.gov API v2 for tests and benchmarks, after the specification
(https://clinicaltrials.gov/api/oas/v2): the parts `trialsearch fetch` uses, and faults.

usage: api_server.py STATE_DIR   (prints the port on its first line of stdout, then serves until
                                  killed; the test imports it and runs ApiServer in a thread)

STATE_DIR, read again whenever a file changes:
  studies.jsonl      the registry: one API v2 study a line (read by offset: large files are fine)
  updates.jsonl      optional: studies that replace or add to those of studies.jsonl (by nctId)
  removed.txt        optional: NCT ids that left the registry, one a line
  version.json       {"apiVersion": "...", "dataTimestamp": "YYYY-MM-DDTHH:MM:SS"}
  faults.json        optional: [{"match": "substring of the request path", "kind": "429" | "500"
                     | "cut" | "malformed", "times": N, "retry_after": S}]; each matching request
                     uses one of `times` (then the fault is spent); kept in memory, re-read when
                     the file changes.

GET /api/v2/version
GET /api/v2/studies?format=json&pageSize=N[&pageToken=T][&countTotal=true][&fields=NCTId]
                   [&filter.advanced=AREA[LastUpdatePostDate]RANGE[YYYY-MM-DD,MAX]]
                   [&filter.ids=NCT...,NCT...]
  studies in NCT id order; nextPageToken absent on the last page; anything else is a 400.
Requests are counted per path kind in /stats (JSON), for tests that check politeness.
"""
import bisect
import http.server
import json
import os
import re
import sys
import threading
import urllib.parse

RANGE = re.compile(r"^AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]$")


def study_id(study):
    return study["protocolSection"]["identificationModule"]["nctId"]


def study_date(study):
    status = study["protocolSection"].get("statusModule", {})
    return status.get("lastUpdatePostDateStruct", {}).get("date", "")


class Registry:
    """The studies the server holds: id -> (file, offset, length, last update date)."""

    def __init__(self, root):
        self.root = root
        self.stamp = None
        self.lock = threading.Lock()
        self.faults = []
        self.faults_stamp = None
        self.files = {}

    def _mtimes(self, names):
        out = []
        for n in names:
            p = os.path.join(self.root, n)
            out.append(os.stat(p).st_mtime_ns if os.path.exists(p) else None)
        return tuple(out)

    def _file_index(self, name):
        """id -> (path, offset, length, date) of one studies file, cached by modification time."""
        path = os.path.join(self.root, name)
        if not os.path.exists(path):
            return {}
        mtime = os.stat(path).st_mtime_ns
        cached = self.files.get(name)
        if cached and cached[0] == mtime:
            return cached[1]
        index = {}
        with open(path, "rb") as f:
            offset = 0
            for line in f:
                if line.strip():
                    s = json.loads(line)
                    index[study_id(s)] = (path, offset, len(line), study_date(s))
                offset += len(line)
        self.files[name] = (mtime, index)
        return index

    def refresh(self):
        stamp = self._mtimes(["studies.jsonl", "updates.jsonl", "removed.txt", "version.json"])
        if stamp == self.stamp:
            return
        index = dict(self._file_index("studies.jsonl"))
        index.update(self._file_index("updates.jsonl"))
        removed = os.path.join(self.root, "removed.txt")
        if os.path.exists(removed):
            for line in open(removed):
                index.pop(line.strip(), None)
        self.ids = sorted(index)
        self.index = index
        self.version = json.load(open(os.path.join(self.root, "version.json")))
        self.stamp = stamp

    def study(self, nct):
        path, offset, length, _ = self.index[nct]
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read(length).strip()

    def take_fault(self, path):
        faults_path = os.path.join(self.root, "faults.json")
        stamp = self._mtimes(["faults.json"])
        if stamp != self.faults_stamp:
            self.faults = json.load(open(faults_path)) if os.path.exists(faults_path) else []
            self.faults_stamp = stamp
        for fault in self.faults:
            if fault.get("times", 1) > 0 and fault["match"] in path:
                fault["times"] = fault.get("times", 1) - 1
                return fault
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real API

    def send_body(self, status, body, content_type="application/json", cut=False, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if cut else body)
        self.wfile.flush()
        if cut:
            self.close_connection = True

    def error(self, status, message, headers=()):
        self.send_body(status, json.dumps({"message": message}).encode(), headers=headers)

    def do_GET(self):
        reg = self.server.registry
        with reg.lock:
            self.server.counts["requests"] = self.server.counts.get("requests", 0) + 1
            self.server.agents.add(self.headers.get("User-Agent", ""))
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/stats":
                return self.send_body(200, json.dumps(
                    {**self.server.counts, "agents": sorted(self.server.agents)}).encode())
            reg.refresh()
            fault = reg.take_fault(self.path)
            if fault and fault["kind"] == "429":
                return self.error(429, "too many requests",
                                  [("Retry-After", str(fault.get("retry_after", 1)))])
            if fault and fault["kind"] == "500":
                return self.error(500, "internal error")
            if url.path == "/api/v2/version":
                body = json.dumps(reg.version).encode()
            elif url.path == "/api/v2/studies":
                body = self.studies(reg, urllib.parse.parse_qs(url.query, keep_blank_values=True))
                if body is None:
                    return
            else:
                return self.error(404, "not found")
            if fault and fault["kind"] == "malformed":
                body = body[: len(body) // 3] + b"}]]{"
            self.send_body(200, body, cut=bool(fault and fault["kind"] == "cut"))

    def studies(self, reg, q):
        one = {k: v[-1] for k, v in q.items()}
        known = {"format", "pageSize", "pageToken", "countTotal", "fields", "filter.advanced",
                 "filter.ids"}
        if set(one) - known or one.get("format", "json") != "json":
            return self.error(400, "unsupported parameter")
        size = int(one.get("pageSize", "10"))
        if not 0 < size <= 1000:
            return self.error(400, "pageSize must be 1..1000")
        ids = reg.ids
        if "filter.advanced" in one:
            m = RANGE.match(one["filter.advanced"])
            if not m:
                return self.error(400, "unsupported filter.advanced")
            ids = [i for i in ids if reg.index[i][3] >= m.group(1)]
        if "filter.ids" in one:
            wanted = set(one["filter.ids"].split(","))
            ids = [i for i in ids if i in wanted]
        start = 0
        if "pageToken" in one:
            token = one["pageToken"]
            if not token.startswith("after-"):
                return self.error(400, "invalid pageToken")
            start = bisect.bisect_right(ids, token[6:])
        page = ids[start:start + size]
        if one.get("fields") == "NCTId":
            studies = [json.dumps({"protocolSection": {"identificationModule": {"nctId": i}}}).encode()
                       for i in page]
        elif "fields" in one:
            return self.error(400, "unsupported fields")
        else:
            studies = [reg.study(i) for i in page]
        head = {}
        if one.get("countTotal") == "true" and "pageToken" not in one:
            head["totalCount"] = len(ids)
        if start + size < len(ids):
            head["nextPageToken"] = "after-" + page[-1]
        out = b'{"studies":[' + b",".join(studies) + b"]"
        for k, v in head.items():
            out += b"," + json.dumps(k).encode() + b":" + json.dumps(v).encode()
        return out + b"}"

    def log_message(self, *args):
        pass


class ApiServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root):
        super().__init__(("127.0.0.1", 0), Handler)
        self.registry = Registry(root)
        self.counts = {}
        self.agents = set()

    @property
    def base(self):
        return "http://127.0.0.1:%d/api/v2" % self.server_address[1]


if __name__ == "__main__":
    server = ApiServer(sys.argv[1])
    print(server.server_address[1], flush=True)
    server.serve_forever()
