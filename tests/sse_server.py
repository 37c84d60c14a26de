"""A Server-Sent Events server on 127.0.0.1 for the streaming tests.

Each connection is answered by a *script*: a function ``script(stream)`` that writes to the
client through a :class:`SSEStream` (events, heartbeats, raw bytes, stalls, an abrupt drop, an
HTTP error or a redirect). Scripts are queued with :meth:`SSEServer.serve`; the last one repeats.
The body is sent with chunked transfer encoding, as Mastodon's streaming server does, and every
connection is recorded (path, query, headers).

Run as a program (``python tests/sse_server.py PORTFILE COUNT``) it serves ``COUNT`` mixed
events on every connection, for the benchmark.
"""

import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from helpers import fixture_body, record_request, stop_http_server


def real_payloads():
    """One realistic payload (JSON text) per event type Mastodon streams."""
    status = fixture_body("GET_api_v1_statuses_id_200")
    edited = fixture_body("PUT_api_v1_statuses_id_200")
    notification = fixture_body("GET_api_v1_notifications_id_200")
    conversation = fixture_body("GET_api_v1_conversations__200")[0]
    announcement = {
        "id": "8", "content": "<p>Maintenance tonight</p>", "starts_at": None, "ends_at": None,
        "all_day": False, "published_at": "2026-08-01T10:00:00.000Z", "updated_at": "2026-08-01T10:00:00.000Z",
        "read": False, "mentions": [], "statuses": [], "tags": [], "emojis": [], "reactions": [],
    }
    return {
        "update": json.dumps(status),
        "status.update": json.dumps(edited),
        "notification": json.dumps(notification),
        "conversation": json.dumps(conversation),
        "delete": str(status["id"]),
        "announcement": json.dumps(announcement),
        "announcement.reaction": json.dumps({"name": "\U0001F44D", "count": 2, "announcement_id": "8"}),
        "announcement.delete": "8",
        "encrypted_message": json.dumps({"id": "1", "message_type": 0, "body": "abc"}),
        "filters_changed": "undefined",
    }


def sse_event(name, data, **fields):
    """The wire form of one event; ``data`` with newlines becomes several ``data:`` lines."""
    text = f"event: {name}\n"
    for key, value in fields.items():
        text += f"{key}: {value}\n"
    for line in str(data).split("\n"):
        text += f"data: {line}\n"
    return (text + "\n").encode("utf-8")


class SSEStream:
    """The server side of one connection, handed to a script."""

    def __init__(self, handler, server):
        self._handler = handler
        self._server = server
        self.started = False
        self.chunked = True
        self.request = record_request(handler.command, handler.path, dict(handler.headers.items()), b"")
        self.path, self.query, self.headers = self.request.path, self.request.query, self.request.headers

    # -- answers that are not a stream --------------------------------------------------------

    def respond(self, status, body=b"", headers=None):
        """A plain (non-stream) answer, e.g. 401, 404 or 502."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
        handler = self._handler
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()

    def redirect(self, location, status=302):
        self.respond(status, b"", {"Location": location})

    # -- the stream -------------------------------------------------------------------------------

    def start(self, chunked=True):
        """Send the 200 header. With ``chunked=False`` the body is raw bytes ending when the
        connection closes (no length, no chunk framing), as old proxies send it."""
        if self.started:
            return
        self.started = True
        self.chunked = chunked
        handler = self._handler
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-store")
        if chunked:
            handler.send_header("Transfer-Encoding", "chunked")
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.flush()

    def write(self, data):
        """Send bytes (as one HTTP chunk when chunked)."""
        self.start()
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not data:
            return
        if self.chunked:
            self._handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        else:
            self._handler.wfile.write(data)
        self._handler.wfile.flush()

    def write_pieces(self, data, size):
        """Send bytes as HTTP chunks of ``size`` bytes (splitting lines and characters)."""
        for start in range(0, len(data), size):
            self.write(data[start:start + size])

    def event(self, name, data, **fields):
        self.write(sse_event(name, data, **fields))

    def heartbeat(self, text="thump"):
        self.write(f":{text}\n")

    def stall(self, seconds=60.0):
        """Send nothing for ``seconds`` (ends early when the server stops)."""
        self.start()
        self._server.stopping.wait(seconds)

    def end(self):
        """Finish the body properly (terminating chunk, or closing an unframed body)."""
        self.start()
        if self.chunked:
            self._handler.wfile.write(b"0\r\n\r\n")
            self._handler.wfile.flush()
        else:
            self.drop()

    def drop(self):
        """Cut the connection without finishing the body."""
        self._handler.wfile.flush()
        self._handler.close_connection = True
        try:
            self._handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client hanging up mid-stream is what these tests are about; anything else is shown.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class SSEServer:
    """``with SSEServer() as sse: sse.serve(script, ...)``; ``sse.url``, ``sse.connections``."""

    def __init__(self):
        self.connections = []
        self.stopping = threading.Event()
        self._scripts = []
        self._lock = threading.Lock()
        self._httpd = None
        self.connected = threading.Event()

    def serve(self, *scripts):
        """Answer the next connections with these scripts in order; the last one repeats."""
        with self._lock:
            self._scripts = list(scripts)
        return self

    def _next_script(self):
        with self._lock:
            if not self._scripts:
                return None
            script = self._scripts[0]
            if len(self._scripts) > 1:
                self._scripts.pop(0)
            return script

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self):
        return f"ws://127.0.0.1:{self.port}"

    def wait_for_connections(self, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.connections) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        return len(self.connections) >= count

    def start(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                stream = SSEStream(self, server)
                with server._lock:
                    server.connections.append(stream)
                server.connected.set()
                script = server._next_script()
                try:
                    if script is None:
                        stream.respond(404, {"error": "no script"})
                        return
                    script(stream)
                    if stream.started:
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError, OSError):
                    self.close_connection = True

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs=dict(poll_interval=0.5),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()
        if self._httpd is not None:
            stop_http_server(self._httpd)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# ---------------------------------------------------------------------------------------------
# Benchmark stream


def mixed_stream(count):
    """``count`` events as Mastodon sends them: mostly updates of a ~2.8 KB status, some
    notifications and deletes, and a heartbeat now and then."""
    payloads = real_payloads()
    update = f"event: update\ndata: {payloads['update']}\n\n".encode("utf-8")
    notification = f"event: notification\ndata: {payloads['notification']}\n\n".encode("utf-8")
    delete = f"event: delete\ndata: {payloads['delete']}\n\n".encode("utf-8")
    pieces = [b":)\n"]
    for number in range(count):
        kind = number % 10
        pieces.append(notification if kind == 3 else delete if kind == 7 else update)
        if number % 50 == 49:
            pieces.append(b":thump\n")
    return b"".join(pieces)


def _serve_benchmark(port_file, count):
    body = mixed_stream(count)

    def script(stream):
        # Node writes the stream in pieces; 16 KiB HTTP chunks approximate a busy server.
        stream.write_pieces(body, 16 * 1024)
        stream.end()

    server = SSEServer().start()
    server.serve(script)
    with open(port_file + ".tmp", "w") as handle:
        handle.write(str(server.port))
    os.replace(port_file + ".tmp", port_file)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    _serve_benchmark(sys.argv[1], int(sys.argv[2]))


def instance_body(streaming_api):
    """The recorded instance answer, naming ``streaming_api`` as the streaming URL (None: none)."""
    body = fixture_body("GET_api_v1_instance__200")
    body["urls"] = {"streaming_api": streaming_api} if streaming_api is not None else {}
    return body
