"""A WebSocket server on 127.0.0.1 that speaks Mastodon's streaming frames, for the tests.

Built on the sans-I/O protocol of the ``websockets`` package over plain sockets, so that a test
controls everything the network can do: each connection is answered by a *script*
``script(ws)`` that can accept or refuse the handshake (``ws.refuse(401)``), send events as
Mastodon frames them (``ws.event("update", payload, stream=["user"])``), error frames, malformed
text or raw bytes, stall without answering pings (``ws.stall()``), drop the TCP connection
(``ws.drop()``) or close it properly. Scripts are queued with :meth:`WSServer.serve`; the last
one repeats. Every handshake (path, headers, offered subprotocols) and every message the client
sends (subscribe / unsubscribe) is recorded.

Run as a program (``python tests/ws_server.py PORTFILE COUNT``) it sends ``COUNT`` mixed events
on every connection, for the benchmark.
"""

import json
import os
import socket
import sys
import threading
import time

from websockets.frames import Opcode
from websockets.http11 import Request
from websockets.protocol import State
from websockets.server import ServerProtocol

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sse_server import real_payloads  # noqa: E402


def frame(name, payload=None, stream=("user",)):
    """Mastodon's frame of one event: ``payload`` is the JSON text (None: no payload key)."""
    body = {"stream": list(stream), "event": name}
    if payload is not None:
        body["payload"] = payload
    return json.dumps(body)


class WSConnection:
    """The server side of one connection, handed to a script."""

    def __init__(self, sock, server):
        self.sock = sock
        self.server = server
        self.protocol = ServerProtocol(max_size=None)
        self.request = None
        self.path = None
        self.headers = {}
        self.offered_subprotocols = []
        self.received = []  # JSON messages from the client, in order
        self.received_raw = []  # the same as sent
        self.pings = 0
        self.accepted = False
        self.closed = False
        self.deaf = False
        self._lock = threading.Lock()
        self._changed = threading.Condition()
        self._reader = None

    # -- the handshake --------------------------------------------------------------------------

    def _read_request(self):
        self.sock.settimeout(5)
        while self.request is None:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("no handshake")
            self.protocol.receive_data(data)
            for event in self.protocol.events_received():
                if isinstance(event, Request):
                    self.request = event
        self.path = self.request.path
        self.headers = {name.lower(): value for name, value in self.request.headers.raw_items()}
        offered = self.headers.get("sec-websocket-protocol")
        self.offered_subprotocols = [p.strip() for p in offered.split(",")] if offered else []
        self.sock.settimeout(None)

    def accept(self, echo_subprotocol=True):
        """Answer 101; echo the first offered subprotocol as Mastodon's server does."""
        with self._lock:
            if self.accepted or self.closed:
                return
            response = self.protocol.accept(self.request)
            if response.status_code != 101:
                raise AssertionError(f"handshake not acceptable: {response.status_code}")
            if echo_subprotocol and self.offered_subprotocols:
                response.headers["Sec-WebSocket-Protocol"] = self.offered_subprotocols[0]
            self.protocol.send_response(response)
            self._flush()
            self.accepted = True
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def refuse(self, status=401, error="Invalid access token"):
        """Answer the handshake with an HTTP error, as Mastodon does for a bad token."""
        body = json.dumps({"error": error}).encode()
        head = (f"HTTP/1.1 {status} Refused\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        self.sock.sendall(head + body)
        self.drop()

    def redirect(self, location, status=302):
        head = f"HTTP/1.1 {status} Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()
        self.sock.sendall(head)
        self.drop()

    # -- what the client sends -------------------------------------------------------------------

    def _read(self):
        try:
            while not self.closed:
                if self.deaf:
                    self.server.stopping.wait(0.05)
                    continue
                data = self.sock.recv(65536)
                with self._lock:
                    if data:
                        self.protocol.receive_data(data)
                    else:
                        self.protocol.receive_eof()
                    events = self.protocol.events_received()
                    self._flush()  # pongs, the closing handshake
                with self._changed:
                    for event in events:
                        if event.opcode is Opcode.TEXT:
                            self.received_raw.append(event.data.decode())
                            self.received.append(json.loads(event.data))
                        elif event.opcode is Opcode.PING:
                            self.pings += 1
                        elif event.opcode is Opcode.CLOSE:
                            self.closed = True
                    if not data:
                        self.closed = True
                    self._changed.notify_all()
                if not data:
                    return
        except OSError:
            with self._changed:
                self.closed = True
                self._changed.notify_all()

    def wait_for(self, predicate, timeout=5.0):
        """Wait until ``predicate(self)`` holds (checked whenever the client sent something);
        accepts the handshake first."""
        self.accept()
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def wait_for_messages(self, count, timeout=5.0):
        self.wait_for(lambda ws: len(ws.received) >= count, timeout)
        return list(self.received)

    # -- sending ---------------------------------------------------------------------------------------

    def _flush(self):
        for chunk in self.protocol.data_to_send():
            if chunk:
                self.sock.sendall(chunk)

    def send_text(self, text):
        self.accept()
        with self._lock:
            self.protocol.send_text(text.encode("utf-8") if isinstance(text, str) else text)
            self._flush()

    def send_binary(self, data):
        self.accept()
        with self._lock:
            self.protocol.send_binary(data)
            self._flush()

    def send_json(self, value):
        self.send_text(json.dumps(value))

    def event(self, name, payload=None, stream=("user",)):
        self.send_text(frame(name, payload, stream))

    def status(self, status_id, stream=("user",), event="update"):
        self.event(event, json.dumps({"id": str(status_id), "content": f"<p>{status_id}</p>"}), stream)

    def raw(self, data):
        """Bytes straight onto the socket (e.g. a frame the protocol forbids)."""
        self.accept()
        with self._lock:
            self.sock.sendall(data)

    # -- ending ------------------------------------------------------------------------------------------

    def hold(self, seconds=30.0):
        """Stay connected and answer pings, sending nothing (ends early when the server stops or
        the client goes away)."""
        self.accept()
        self.wait_for(lambda ws: ws.closed or ws.server.stopping.is_set(), seconds)

    def stall(self, seconds=30.0):
        """Stay connected but read nothing and answer no ping: a dead peer."""
        self.accept()
        self.deaf = True
        self.server.stopping.wait(seconds)

    def close(self, code=1000, reason=""):
        """The closing handshake, from the server's side."""
        self.accept()
        with self._lock:
            self.protocol.send_close(code, reason)
            self._flush()
        self.wait_for(lambda ws: ws.closed, 2.0)
        self.drop()

    def drop(self):
        """Cut the TCP connection without a closing handshake."""
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass


class WSServer:
    """``with WSServer() as ws: ws.serve(script, ...)``; ``ws.url``, ``ws.connections``."""

    def __init__(self, ssl_context=None):
        self.ssl_context = ssl_context  # serve wss:// with it
        self.connections = []
        self.plain_requests = []
        self.stopping = threading.Event()
        self._scripts = []
        self._lock = threading.Lock()
        self._sock = None

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
        return f"{'wss' if self.ssl_context else 'ws'}://127.0.0.1:{self.port}"

    @property
    def http_url(self):
        return f"http://127.0.0.1:{self.port}"

    def wait_for_connections(self, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.connections) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        return len(self.connections) >= count

    def start(self):
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()
        return self

    def _accept_loop(self):
        while not self.stopping.is_set():
            try:
                sock, _ = self._sock.accept()
            except OSError:
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._handle, args=(sock,), daemon=True).start()

    def _handle(self, sock):
        if self.ssl_context is not None:
            try:
                sock = self.ssl_context.wrap_socket(sock, server_side=True)
            except OSError:  # a client that does not trust the certificate
                sock.close()
                return
        ws = WSConnection(sock, self)
        try:
            ws._read_request()
        except (OSError, ConnectionError):
            ws.drop()
            return
        if ws.headers.get("upgrade", "").lower() != "websocket":
            # A plain GET (an SSE endpoint): this server, like GoToSocial's, has none.
            self.plain_requests.append(ws.path)
            ws.refuse(404, "Record not found")
            return
        with self._lock:
            self.connections.append(ws)
        script = self._next_script()
        try:
            if script is None:
                ws.refuse(404, "no script")
                return
            script(ws)
        except Exception:
            # The client going away mid-script is what many tests are about; anything else shows.
            if not (ws.closed or ws.protocol.state is not State.OPEN):
                raise
        finally:
            if not ws.closed:
                # A script that returns ends its connection with a proper close.
                try:
                    ws.close()
                except OSError:
                    ws.drop()

    def stop(self):
        self.stopping.set()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        for ws in list(self.connections):
            ws.drop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# ---------------------------------------------------------------------------------------------
# Benchmark stream


def mixed_frames(count):
    """``count`` frames as Mastodon sends them on the user stream: mostly updates of a ~2.8 KB
    status, some notifications and deletes (the mix of the SSE benchmark)."""
    payloads = real_payloads()
    update = frame("update", payloads["update"]).encode()
    notification = frame("notification", payloads["notification"]).encode()
    delete = frame("delete", payloads["delete"]).encode()
    return [notification if n % 10 == 3 else delete if n % 10 == 7 else update for n in range(count)]


def _serve_benchmark(port_file, count):
    frames = mixed_frames(count)

    def script(ws):
        ws.accept()
        # Frames built once, then written in large batches, as a busy server's socket sends them.
        with ws._lock:
            for start in range(0, len(frames), 64):
                for data in frames[start:start + 64]:
                    ws.protocol.send_text(data)
                ws._flush()
        ws.close()

    server = WSServer().start()
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
