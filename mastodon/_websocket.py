"""WebSocket transport for streaming: one client connection over the sans-I/O protocol of the
``websockets`` package (the optional extra ``mastodon[websocket]``).

The protocol object parses and builds frames; this module owns the socket. One thread reads
(:meth:`WebSocketConnection.receive`); any thread may send (subscribe messages, pings) under the
connection's lock, which also guards the protocol object, and any thread may wake the reader
(:meth:`WebSocketConnection.interrupt`) through a socket pair, so that closing never waits for the
network. Reading in the thread that dispatches the events, in large chunks, spares the hand-over
from a library reader thread that ``websockets.sync`` makes for every message.

Every failure surfaces as a library error: :class:`MastodonNetworkError` (or its subclasses
:class:`MastodonReadTimeout` and :class:`MastodonRedirectError`).
"""

import base64
import json
import logging
import os
import select
import socket
import ssl
import threading
import time
from urllib.parse import unquote, urlsplit

from .errors import MastodonNetworkError, MastodonReadTimeout, MastodonRedirectError

try:
    from websockets.client import ClientProtocol
    from websockets.exceptions import InvalidStatus, InvalidURI, WebSocketException
    from websockets.frames import Opcode
    from websockets.http11 import Response
    from websockets.uri import parse_uri
    from websockets.extensions.permessage_deflate import enable_client_permessage_deflate
    AVAILABLE = True
except ImportError:  # pragma: no cover - depends on the installation
    AVAILABLE = False

class _QuietWire(logging.LoggerAdapter):
    """The ``websockets`` protocol logger without its debug lines: they print the handshake
    headers, the access token among them."""

    def isEnabledFor(self, level):
        return level > logging.DEBUG and self.logger.isEnabledFor(level)


_WIRE_LOG = _QuietWire(logging.getLogger("mastodon.streaming.websocket"), {})

INSTALL_HINT = 'pip install "mastodon[websocket]"'
# A message larger than this is not one a Mastodon server sends (the SSE parser has the same cap).
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
_READ_SIZE = 256 * 1024
_CLOSE_SEND_TIMEOUT = 0.25

CONNECT_FAILED = "WebSocket streaming connection failed."
SERVER_CLOSED = "WebSocket streaming server closed the connection."
READ_TIMED_OUT = "Timed out while reading from the WebSocket streaming server."


def require():
    """Raise NotImplementedError (as Mastodon.py does) when the optional dependency is missing."""
    if not AVAILABLE:
        raise NotImplementedError(
            "WebSocket streaming needs the optional dependency 'websockets', which is not installed: "
            + INSTALL_HINT)


def translate_error(error):
    """A socket or ``websockets`` exception → the library's exception."""
    if isinstance(error, MastodonNetworkError):
        return error
    if isinstance(error, (socket.timeout, TimeoutError)):
        return MastodonReadTimeout(READ_TIMED_OUT)
    if AVAILABLE and isinstance(error, InvalidStatus):
        return _refused(error.response)
    return MastodonNetworkError(CONNECT_FAILED, f"{type(error).__name__}: {error}")


def _refused(response):
    """The error for a handshake the server answered with something other than 101."""
    status = response.status_code
    if 300 <= status < 400:
        # Never followed: the handshake carries the token, and ws redirects are rare enough.
        target = response.headers.get("Location")
        error = MastodonRedirectError(
            f"The WebSocket streaming server redirected the handshake (HTTP {status}); not followed.", target)
    else:
        error = MastodonNetworkError(CONNECT_FAILED, f"HTTP {status} {response.reason_phrase}".rstrip())
    error.status_code = status
    error.reason = response.reason_phrase or None
    try:
        text = json.loads(response.body or b"").get("error")
    except (ValueError, AttributeError, TypeError):
        text = None
    error.error = text if isinstance(text, str) else None
    if error.error is None and response.body:
        error.body_excerpt = bytes(response.body[:200]).decode("utf-8", "replace")
    return error


def _open_socket(uri, timeout, proxy, ssl_context):
    """A TCP (through an HTTP proxy when given) and, for ``wss``, TLS connection to the server."""
    if proxy:
        sock = _tunnel(proxy, uri.host, uri.port, timeout)
    else:
        sock = socket.create_connection((uri.host, uri.port), timeout)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if uri.secure:
            context = ssl_context if ssl_context is not None else ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=uri.host)
    except BaseException:
        sock.close()
        raise
    return sock


def _tunnel(proxy, host, port, timeout):
    """A socket to ``host:port`` through an HTTP proxy (``CONNECT``), as requests uses it."""
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    if parts.scheme.lower() != "http" or not parts.hostname:
        raise MastodonNetworkError(CONNECT_FAILED, f"unsupported proxy for WebSocket streaming: {parts.scheme}://"
                                   " (only http:// proxies, through CONNECT)")
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout)
    try:
        target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        request = f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n"
        if parts.username is not None:
            credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode("utf-8")
            request += "Proxy-Authorization: Basic " + base64.b64encode(credentials).decode("ascii") + "\r\n"
        sock.sendall((request + "\r\n").encode("latin-1"))
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk or len(answer) > 65536:
                raise MastodonNetworkError(CONNECT_FAILED, "the proxy closed the connection")
            answer += chunk
        status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
        fields = status_line.split(" ", 2)
        if len(fields) < 2 or fields[1] != "200":
            raise MastodonNetworkError(CONNECT_FAILED, f"the proxy refused the tunnel: {status_line[:200]}")
    except BaseException:
        sock.close()
        raise
    return sock


def open_connection(url, headers, timeout, *, subprotocols=(), ssl_context=None, proxy=None, compression=True,
                    max_size=MAX_MESSAGE_BYTES):
    """Connect to ``url`` (``ws://`` or ``wss://``) with the given extra handshake ``headers`` and
    return the open :class:`WebSocketConnection`. Nothing is ever put into the URL."""
    require()
    try:
        uri = parse_uri(url)
    except InvalidURI as error:
        raise MastodonNetworkError(CONNECT_FAILED, str(error)) from None
    extensions = None
    if compression:
        extensions = enable_client_permessage_deflate(None)
    protocol = ClientProtocol(uri, subprotocols=list(subprotocols) or None, extensions=extensions,
                              max_size=max_size, logger=_WIRE_LOG)
    deadline = time.monotonic() + timeout
    try:
        sock = _open_socket(uri, timeout, proxy, ssl_context)
    except MastodonNetworkError:
        raise
    except (OSError, ValueError) as error:
        raise translate_error(error) from error
    try:
        request = protocol.connect()
        for name, value in headers.items():
            request.headers[name] = value
        protocol.send_request(request)
        sock.sendall(b"".join(protocol.data_to_send()))
        response = None
        early = []
        while response is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("handshake")
            sock.settimeout(left)
            data = sock.recv(_READ_SIZE)
            if data:
                protocol.receive_data(data)
            else:
                protocol.receive_eof()
            for event in protocol.events_received():
                if isinstance(event, Response):
                    response = event
                else:
                    early.append(event)  # frames that came in the same packets as the answer
            if response is None and not data:
                raise MastodonNetworkError(CONNECT_FAILED, "the server closed the connection during the handshake")
        if protocol.handshake_exc is not None:
            raise protocol.handshake_exc
    except BaseException as error:
        sock.close()
        if isinstance(error, (OSError, WebSocketException, ValueError)):
            raise translate_error(error) from error
        raise
    return WebSocketConnection(sock, protocol, response, early)


class WebSocketConnection:
    """An open client WebSocket: one reading thread, any number of sending threads."""

    def __init__(self, sock, protocol, response, early_frames=()):
        self.sock = sock
        self.protocol = protocol
        self.response = response
        self.subprotocol = getattr(protocol, "subprotocol", None)
        self.last_activity = time.monotonic()
        self.last_ping = 0.0
        self._tls = isinstance(sock, ssl.SSLSocket)
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._parts = None  # fragments of a message not yet complete
        self._ended = None  # the error to raise once the messages before it were handed out
        self._closed = False
        self._pongs = set()
        self._backlog = []
        if early_frames:
            self._backlog = self._messages(list(early_frames))

    def set_io_timeout(self, seconds):
        """How long one blocking socket call may take (a send, or a read that has begun)."""
        self.sock.settimeout(seconds)

    # -- reading (one thread) ------------------------------------------------------------------

    def receive(self, timeout):
        """The complete messages (bytes) that arrive within ``timeout`` seconds: an empty list
        after silence or when woken by :meth:`interrupt`. Raises :class:`MastodonNetworkError`
        when the connection has ended, after the messages that came before the end."""
        if self._backlog:
            messages, self._backlog = self._backlog, []
            return messages
        if self._ended is not None:
            raise self._ended
        sock = self.sock
        if not (self._tls and sock.pending()):
            try:
                ready = select.select((sock, self._wake_r), (), (), timeout)[0]
            except (OSError, ValueError) as error:  # closed meanwhile
                raise translate_error(error) from error
            if not ready:
                return []
            if self._wake_r in ready:
                self._drain_wake()
                if sock not in ready:
                    return []
        try:
            data = sock.recv(_READ_SIZE)
        except (socket.timeout, ssl.SSLWantReadError):
            return []  # a TLS record only partly arrived: the rest comes with the next read
        except (OSError, ValueError) as error:
            raise translate_error(error) from error
        self.last_activity = time.monotonic()
        protocol = self.protocol
        with self._lock:
            if data:
                protocol.receive_data(data)
            else:
                protocol.receive_eof()
            events = protocol.events_received()
            self._flush()  # answers to pings, the closing handshake
        messages = self._messages(events) if events else []
        if self._ended is None:
            if getattr(protocol, "parser_exc", None) is not None:
                self._ended = MastodonNetworkError(CONNECT_FAILED, f"WebSocket protocol error: {protocol.parser_exc}")
            elif not data or protocol.close_rcvd is not None:
                close = protocol.close_rcvd
                self._ended = (MastodonNetworkError(SERVER_CLOSED, close.code, close.reason) if close is not None
                               else MastodonNetworkError(SERVER_CLOSED))
        if not messages and self._ended is not None:
            raise self._ended
        return messages

    def _messages(self, events):
        messages = []
        text, binary, cont, pong = Opcode.TEXT, Opcode.BINARY, Opcode.CONT, Opcode.PONG
        for frame in events:
            opcode = frame.opcode
            if opcode is text or opcode is binary:
                if frame.fin:
                    data = frame.data
                    messages.append(data if data.__class__ is bytes else bytes(data))
                else:
                    self._parts = [bytes(frame.data)]
            elif opcode is cont:
                if self._parts is not None:
                    self._parts.append(bytes(frame.data))
                    if frame.fin:
                        messages.append(b"".join(self._parts))
                        self._parts = None
            elif opcode is pong:
                if len(self._pongs) > 64:  # answers to liveness pings nobody waits for
                    self._pongs.clear()
                self._pongs.add(bytes(frame.data))
        return messages

    def wait_for_pong(self, payload, timeout):
        """Read until the pong answering ``payload`` arrives, keeping the messages that come
        before it for :meth:`receive`. False when it does not come within ``timeout``."""
        deadline = time.monotonic() + timeout
        kept = self._backlog
        self._backlog = []
        try:
            while payload not in self._pongs:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                kept.extend(self.receive(left))
            self._pongs.discard(payload)
            return True
        finally:
            self._backlog = kept + self._backlog

    def _drain_wake(self):
        try:
            while self._wake_r.recv(64):
                pass
        except OSError:
            pass

    # -- sending (any thread) --------------------------------------------------------------------

    def send_text(self, text):
        """Send one text message."""
        with self._lock:
            try:
                self.protocol.send_text(text.encode("utf-8"))
            except WebSocketException as error:
                raise MastodonNetworkError(CONNECT_FAILED, f"cannot send: {error}") from None
            self._flush(raise_errors=True)

    def ping(self):
        """Send a ping; returns its payload (see :meth:`wait_for_pong`)."""
        payload = os.urandom(4)
        with self._lock:
            try:
                self.protocol.send_ping(payload)
            except WebSocketException as error:
                raise MastodonNetworkError(CONNECT_FAILED, f"cannot send: {error}") from None
            self._flush(raise_errors=True)
        self.last_ping = time.monotonic()
        return payload

    def _flush(self, raise_errors=False):
        data = self.protocol.data_to_send()
        if not data:
            return
        try:
            for chunk in data:
                if chunk:
                    self.sock.sendall(chunk)
        except (OSError, ValueError) as error:
            if raise_errors:
                raise translate_error(error) from error

    # -- ending ------------------------------------------------------------------------------------

    def interrupt(self):
        """Wake the reading thread (from any thread); it then sees why and acts."""
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def close(self):
        """Send a closing frame if that can be done at once, then close the socket."""
        if self._closed:
            return
        self._closed = True
        if self._lock.acquire(timeout=_CLOSE_SEND_TIMEOUT):
            try:
                self.protocol.send_close(1000)
                self.sock.settimeout(_CLOSE_SEND_TIMEOUT)
                self._flush()
            except Exception:  # already closing, or the socket is gone: it ends either way
                pass
            finally:
                self._lock.release()
        for sock in (self.sock, self._wake_r, self._wake_w):
            try:
                sock.close()
            except OSError:
                pass
