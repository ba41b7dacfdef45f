#!/usr/bin/env python3
"""A loopback HTTP server for the nightly test: serves the files of a folder on 127.0.0.1.

usage: serve.py DIR   (prints the port on its first line of stdout, then serves until killed)
GET /NAME       the file
GET /cut/NAME   the file's full Content-Length but only half its bytes, then the connection
                closes: an interrupted download
anything else   404
"""
import http.server
import os
import sys

ROOT = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        cut = self.path.startswith("/cut/")
        name = os.path.basename(self.path[len("/cut/"):] if cut else self.path)
        path = os.path.join(ROOT, name)
        if not name or not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            data = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2] if cut else data)
        self.wfile.flush()
        if cut:
            self.close_connection = True

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
