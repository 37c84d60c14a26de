"""A small threaded HTTP server on 127.0.0.1 that records every request and answers from routes.

Routes answer with real Mastodon responses from ``tests/fixtures`` (see ``helpers.fixture()``), with
literal bodies, with a sequence of answers, or with a handler function that sees the recorded
request. A handler may return ``DROP`` to close the connection without answering.
"""

import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from helpers import Part, Recorded, fixture, record_request, stop_http_server  # noqa: F401 (re-exported)

DROP = object()  # handler result: close the connection without sending anything


@dataclass
class Response:
    status: int = 200
    body: object = None  # bytes, str, or anything JSON-serialisable
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


class RecordingServer:
    """Start with ``with RecordingServer() as server:`` (or ``start()``/``stop()``)."""

    def __init__(self):
        self.requests = []
        self.routes = []
        self._lock = threading.Lock()
        self._httpd = None
        self._thread = None

    # -- routes --------------------------------------------------------------------------------

    def route(self, method, path, *answers, handler=None, status=200, body=None, headers=None, repeat=True):
        """Answer ``method path`` (exact path, or a compiled regex) with the given answers in order
        (the last one repeats when ``repeat``), or with ``handler(recorded) -> Response | DROP``."""
        if handler is None and not answers:
            answers = (Response(status, body, dict(headers or {})),)
        self.routes.insert(0, dict(method=method, path=path, answers=list(answers), handler=handler, repeat=repeat))
        return self

    def fixture(self, name, path=None, method=None, status=None, headers=None, body=None):
        """Answer with a recorded Mastodon response. ``path`` defaults to the fixture's own path
        (pass it for templates with ``{id}``)."""
        data = fixture(name)
        response_headers = dict(data.get("headers") or {})
        response_headers.update(headers or {})
        return self.route(method or data["method"], path or data["path_template"],
                          Response(status or data["status"], data["body"] if body is None else body,
                                   response_headers))

    def _answer(self, recorded):
        with self._lock:
            for route in self.routes:
                if route["method"] != recorded.method and route["method"] != "*":
                    continue
                path = route["path"]
                matched = path.fullmatch(recorded.path) if isinstance(path, re.Pattern) else path == recorded.path
                if not matched:
                    continue
                if route["handler"] is not None:
                    handler = route["handler"]
                    break
                answers = route["answers"]
                answer = answers[0]
                if len(answers) > 1 or not route["repeat"]:
                    answers.pop(0)
                    if not answers:
                        self.routes.remove(route)
                return answer
            else:
                return Response(404, {"error": "Record not found"})
        return handler(recorded)

    # -- recorded requests --------------------------------------------------------------------

    @property
    def last(self):
        return self.requests[-1]

    def clear(self):
        with self._lock:
            self.requests.clear()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; with Nagle's algorithm the second waits
            # for the client's delayed ACK (about 40 ms an answer).
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorded = record_request(self.command, self.path, dict(self.headers.items()), body)
                with server._lock:
                    server.requests.append(recorded)
                answer = server._answer(recorded)
                if answer is DROP:
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                if answer.delay:
                    time.sleep(answer.delay)
                payload = answer.body
                headers = {k.lower(): v for k, v in answer.headers.items()}
                if payload is None:
                    payload = b""
                elif isinstance(payload, str):
                    payload = payload.encode("utf-8")
                elif not isinstance(payload, bytes):
                    payload = json.dumps(payload).encode("utf-8")
                    headers.setdefault("content-type", "application/json; charset=utf-8")
                headers.pop("content-length", None)
                headers.pop("transfer-encoding", None)
                self.send_response_only(answer.status)
                if "date" not in headers:
                    self.send_header("Date", self.date_time_string())
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # clients that time out or hang up on purpose are part of the tests

        self._httpd = QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs=dict(poll_interval=0.5),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd is not None:
            stop_http_server(self._httpd)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
