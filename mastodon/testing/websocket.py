"""WebSocket streaming, as Mastodon's streaming server speaks it on ``/api/v1/streaming``.

One connection carries any number of streams: the client sends
``{"type": "subscribe", "stream": "hashtag", "tag": "cats"}`` (or ``unsubscribe``) and the server
sends ``{"stream": ["hashtag", "cats"], "event": "update", "payload": "<JSON text>"}`` frames,
and ``{"error": ..., "status": ...}`` for a subscription it refuses. The token comes in the
``Authorization`` header, as the ``Sec-WebSocket-Protocol`` (echoed back) or as
``access_token``. RFC 6455 framing, written here with the standard library: client frames are
unmasked, pings answered, the server pings every ``heartbeat`` seconds. No extensions (a
client's offer of compression is declined by not answering it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import queue
import socket
import struct
import threading
import time

from .state import ApiError
from .streaming import _DROP, _STOP, Subscription, open_stream, token_of

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TEXT, _CLOSE, _PING, _PONG, _CONTINUATION = 0x1, 0x8, 0x9, 0xA, 0x0
_MAX_MESSAGE = 1 << 20


def is_upgrade(request):
    return request.headers.get("upgrade", "").lower() == "websocket"


class _Connection:
    """Frames on one socket; writes from the reader (pongs) and the writer (events) are serialised."""

    def __init__(self, handler):
        self._rfile = handler.rfile
        self._wfile = handler.wfile
        self._socket = handler.connection
        self._lock = threading.Lock()

    def send(self, opcode, data=b""):
        header = bytes([0x80 | opcode])
        length = len(data)
        if length < 126:
            header += bytes([length])
        elif length < 1 << 16:
            header += bytes([126]) + struct.pack("!H", length)
        else:
            header += bytes([127]) + struct.pack("!Q", length)
        with self._lock:
            self._wfile.write(header + data)
            self._wfile.flush()

    def _read_exactly(self, count):
        data = self._rfile.read(count)
        if data is None or len(data) < count:
            raise EOFError
        return data

    def receive(self):
        """The next message or control frame: ``(opcode, data)``; raises EOFError at the end."""
        message, kind = b"", None
        while True:
            first, second = self._read_exactly(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read_exactly(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read_exactly(8))[0]
            if length > _MAX_MESSAGE or not second & 0x80:  # too big, or an unmasked client frame
                raise EOFError
            mask = self._read_exactly(4)
            data = bytes(byte ^ mask[index % 4] for index, byte in enumerate(self._read_exactly(length)))
            if opcode >= 0x8:
                return opcode, data
            if opcode != _CONTINUATION:
                kind = opcode
            message += data
            if len(message) > _MAX_MESSAGE:
                raise EOFError
            if first & 0x80:
                return kind, message

    def shutdown(self):
        try:
            self._socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(handler, server, request):
    """Answer an upgrade request to ``/api/v1/streaming`` and serve the WebSocket until it ends."""
    state, hub = server.state, server.hub
    key = request.headers.get("sec-websocket-key", "")
    protocols = [item.strip() for item in request.headers.get("sec-websocket-protocol", "").split(",") if item.strip()]
    if not key or request.headers.get("sec-websocket-version") != "13":
        return ApiError(400, "Not a WebSocket handshake")
    try:
        with state.lock:
            token, viewer = token_of(state, request, protocols)
    except ApiError as error:
        return error
    accept = base64.b64encode(hashlib.sha1((key + _GUID).encode("ascii")).digest()).decode("ascii")
    handler.send_response_only(101, "Switching Protocols")
    handler.send_header("Upgrade", "websocket")
    handler.send_header("Connection", "Upgrade")
    handler.send_header("Sec-WebSocket-Accept", accept)
    if protocols and token is not None and token.value in protocols:
        handler.send_header("Sec-WebSocket-Protocol", token.value)
    handler.end_headers()
    handler.wfile.flush()
    handler.close_connection = True

    connection = _Connection(handler)
    outbox = queue.Queue()
    # The connection itself, as the hub sees it: reached by drop_streams() and stall_streams()
    # even before it subscribes to anything; it hears no channel.
    control = Subscription((), viewer, None, outbox)
    streams = {}
    hub.subscribe(control)
    reader = threading.Thread(target=_read, args=(connection, server, token, control, streams, outbox),
                              name="mastodon.testing websocket", daemon=True)
    reader.start()
    try:
        _write(connection, server, control, streams, outbox)
    finally:
        hub.unsubscribe(control)
        for subscription in list(streams.values()):
            subscription.active = False
            hub.unsubscribe(subscription)
        connection.shutdown()


def _key(stream, params):
    if stream in ("hashtag", "hashtag:local"):
        return stream, str(params.get("tag") or "").lower()
    if stream == "list":
        return stream, str(params.get("list"))
    return (stream,)


def _read(connection, server, token, control, streams, outbox):
    """Subscribe and unsubscribe as the client asks, answer pings, notice the end."""
    state, hub = server.state, server.hub
    try:
        while True:
            opcode, data = connection.receive()
            if opcode == _CLOSE:
                connection.send(_CLOSE, data[:2])
                break
            if opcode == _PING:
                if control.stalled_until <= time.monotonic():
                    connection.send(_PONG, data)
                continue
            if opcode != _TEXT:
                continue
            try:
                message = json.loads(data.decode("utf-8"))
                kind, stream = message["type"], message["stream"]
            except (ValueError, KeyError, TypeError):
                connection.send(_TEXT, json.dumps({"error": "Invalid JSON", "status": 400}).encode("utf-8"))
                continue
            key = _key(stream, message)
            if kind == "unsubscribe":
                subscription = streams.pop(key, None)
                if subscription is not None:
                    subscription.active = False
                    hub.unsubscribe(subscription)
                continue
            if kind != "subscribe" or key in streams:
                continue
            try:
                with state.lock:
                    subscription = open_stream(state, stream, message, token, outbox)
                if subscription is None:
                    raise ApiError(400, "Unknown stream type")
            except ApiError as error:
                body = {"error": error.body["error"], "status": error.status}
                connection.send(_TEXT, json.dumps(body).encode("utf-8"))
                continue
            streams[key] = subscription
            hub.subscribe(subscription)
    except (EOFError, OSError, ValueError):
        pass
    control.dropped = True  # the client is gone: the writer stops, stalled or not
    outbox.put(_STOP)


def _write(connection, server, control, streams, outbox):
    """Send the events of the subscribed streams and a ping every ``heartbeat`` seconds."""
    heartbeat, stopping = server.heartbeat, server._stopping
    last_write = time.monotonic()
    try:
        while not stopping.is_set() and not control.dropped:
            wait = control.stalled_until - time.monotonic()
            if wait > 0:
                stopping.wait(min(wait, 0.05))
                continue
            try:
                item = outbox.get(timeout=max(0.01, min(0.2, heartbeat - (time.monotonic() - last_write))))
            except queue.Empty:
                if time.monotonic() - last_write >= heartbeat:
                    connection.send(_PING, b"thump")
                    last_write = time.monotonic()
                continue
            if item is _DROP:
                return
            if item is _STOP:
                connection.send(_CLOSE, struct.pack("!H", 1001))
                return
            event, payload, subscription = item
            if not subscription.active:
                continue  # unsubscribed since
            frame = {"stream": subscription.label, "event": event, "payload": payload}
            connection.send(_TEXT, json.dumps(frame, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            last_write = time.monotonic()
    except OSError:
        pass  # the client went away
