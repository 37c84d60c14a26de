"""Streaming over one WebSocket: any number of streams on one connection.

:meth:`Mastodon.stream_open_websocket <mastodon.Mastodon.stream_open_websocket>` returns a
:class:`WebSocketStreamHandle`; each :meth:`~WebSocketStreamHandle.subscribe` (or a ``stream_*``
method given ``websocket_handle=``) adds a stream with its own listener and returns a
:class:`WebSocketSubscription`. Events are routed by the ``stream`` field of each frame; those
of streams nobody subscribed to go to the handle's default listener.

The handle reads in one daemon thread, pings a silent server and treats a connection that
stays silent as dead, reconnects with the same capped, jittered backoff as Server-Sent Events,
subscribes again to every stream and, with ``backfill``, fetches through the REST API what each
stream missed meanwhile (each event once). The access token travels in the handshake headers,
never in the URL. Needs the optional dependency ``websockets`` (``pip install "mastodon[websocket]"``).
"""

import json
import logging
import re
import threading
import time

from . import _dialect, _websocket
from .errors import (
    MastodonIllegalArgumentError, MastodonMalformedEventError, MastodonNetworkError, MastodonReadTimeout,
)
from .streaming import (
    _DEFAULT_LIVENESS_SEC, _DEFAULT_RECONNECT_MAX_WAIT_SEC, _HEALTHY_AFTER_SEC, StreamHandle, _EventGate,
    _malformed, _scan_frame, _thread_state, backfill, websocket_error_of,
)

log = logging.getLogger("mastodon.streaming")

__all__ = ["WebSocketStreamHandle", "WebSocketSubscription"]

# What a token must look like to be offered as a subprotocol (an HTTP token, RFC 9110).
_HTTP_TOKEN_RE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
# After a reconnect, how long to wait for the answer to a ping sent behind the subscribe
# messages (the server has read them then) before reading what was missed.
_RESUBSCRIBE_BARRIER_SEC = 5.0
_JSON_COMPACT = (",", ":")
_DEFAULT_TIMEOUT = 300


def _open_websocket(url, headers, timeout):
    """Open a WebSocket to ``url`` with the handshake ``headers`` (Mastodon.py's helper); returns
    the connection. Raises :class:`MastodonNetworkError` or :class:`MastodonReadTimeout`."""
    return _websocket.open_connection(url, dict(headers), timeout)


def _translate_websocket_error(error):
    """A connection error → :class:`MastodonNetworkError` / :class:`MastodonReadTimeout`."""
    return _websocket.translate_error(error)


def _subscription_key(stream, params):
    """How a subscription is told apart: by stream, list id or hashtag (in any case)."""
    if stream == "list":
        return ("list", str(params.get("list")))
    if stream == "hashtag" or stream == "hashtag:local":
        return (stream, str(params.get("tag")).lower())
    return (stream,)


def _frame_key(stream):
    """The subscription key of a frame's ``stream`` field (a list such as ``['hashtag', 'X']``)."""
    if stream.__class__ is list:
        if not stream:
            return None
        name = stream[0]
        if name.__class__ is not str:
            name = str(name)
        if len(stream) == 1:
            return (name,)
        if name == "list":
            return ("list", str(stream[1]))
        if name == "hashtag" or name == "hashtag:local":
            return (name, str(stream[1]).lower())
        return (name,)
    if stream.__class__ is str:
        return (stream,)
    return None


class WebSocketSubscription:
    """One stream on a :class:`WebSocketStreamHandle`, as :meth:`WebSocketStreamHandle.subscribe`
    returns it. Attributes: ``websocket`` (the handle), ``stream``, ``params`` (a copy),
    ``listener`` and ``active`` (False once unsubscribed or closed)."""

    def __init__(self, websocket, stream, params, listener):
        self.websocket = websocket
        self.stream = stream
        self.params = dict(params)
        self.listener = listener
        self.active = True
        self._key = _subscription_key(stream, self.params)
        # The stream as the server names it in frames, given to handlers of backfilled events.
        self._for_stream = [stream] + [str(value) for value in self.params.values()]
        self._gate = None
        self._sources = ()

    def close(self):
        """Unsubscribe (the handle stays open for the other streams)."""
        if self.active:
            self.websocket._remove(self)

    def is_alive(self):
        """True while subscribed and the handle's thread runs."""
        return self.active and self.websocket.is_alive()

    def is_receiving(self):
        """True while subscribed and the handle is connected and reading."""
        return self.active and self.websocket.is_receiving()

    def _admit(self, name, payload):
        if not self.active or self.websocket.closed:
            return False
        gate = self._gate
        return gate is None or gate.admit(name, payload)

    def __repr__(self):
        state = "active" if self.active else "inactive"
        return f"<WebSocketSubscription {self.stream} {self.params} ({state})>"


class WebSocketStreamHandle(StreamHandle):
    """A WebSocket connection to the streaming server carrying any number of subscriptions.

    Made by :meth:`Mastodon.stream_open_websocket <mastodon.Mastodon.stream_open_websocket>`,
    which resolves the streaming server and trusts it with the token; constructing one directly
    (as in Mastodon.py) connects to ``url`` (``wss://host/api/v1/streaming``) at once. The token
    is sent as ``Authorization: Bearer`` and, when it is a valid header token and
    ``token_in_protocol`` is true, also offered as ``Sec-WebSocket-Protocol`` (where Pleroma,
    Akkoma and GoToSocial look for it); never in the URL.

    ``listener`` (optional) receives the events of streams without a subscription of their own
    and is the default listener of :meth:`subscribe`. ``timeout`` bounds the handshake and any
    silence; ``liveness_timeout`` (45 s; None: off) is how long the server may stay silent (a
    ping is sent after a third of it) before the connection counts as dead. With ``reconnect``
    the handle reconnects after failures with a backoff from ``reconnect_wait_sec`` up to
    ``reconnect_max_wait_sec``, subscribes again to every stream and, with ``backfill``, delivers
    what each subscription missed (see ``backfill_sources``); without it the thread ends at the
    first failure (``last_error``). Failures go to every listener's ``on_abort``; refused
    subscriptions and unreadable frames to ``on_websocket_error``, and reading goes on.

    Attributes (as in Mastodon.py): ``url``, ``access_token``, ``user_agent``, ``listener``,
    ``timeout``, ``reconnect``, ``reconnect_wait_sec``, ``closed``, ``running``,
    ``reconnecting``, ``connection``; also ``reconnects`` and ``last_error``.
    """

    _thread_name = "mastodon-websocket"

    def __init__(self, url, access_token, user_agent, listener=None, timeout=300, reconnect=False,
                 reconnect_wait_sec=5, *, liveness_timeout=_DEFAULT_LIVENESS_SEC,
                 reconnect_max_wait_sec=_DEFAULT_RECONNECT_MAX_WAIT_SEC, healthy_after=_HEALTHY_AFTER_SEC,
                 backfill=False, backfill_sources=None, backfill_max_pages=None, token_in_protocol=True,
                 ssl_context=None, proxy=None, start=True, speaks=None):
        _websocket.require()
        super().__init__(self._open, listener, reconnect, reconnect_wait_sec, liveness_timeout=liveness_timeout,
                         reconnect_max_wait_sec=reconnect_max_wait_sec, healthy_after=healthy_after,
                         backfill_max_pages=backfill_max_pages)
        self.url = url
        self.access_token = access_token
        self.user_agent = user_agent
        self.timeout = timeout if timeout else _DEFAULT_TIMEOUT
        self.reconnect = reconnect
        self.reconnect_wait_sec = reconnect_wait_sec
        self.backfill = backfill
        self.token_in_protocol = token_in_protocol
        self._sources_for = backfill_sources
        self._ssl_context = ssl_context
        self._proxy = proxy
        self._subs = {}
        self._lock = threading.RLock()  # the subscriptions, and the connection they are sent on
        # The dialect listeners subscribed later speak: the client's that made the handle.
        self._speaks = _dialect.given_or_default(speaks)
        if start:
            self._launch()

    # -----------------------------------------------------------------------------------------
    # Subscriptions

    def subscriptions(self):
        """The active subscriptions (a list of :class:`WebSocketSubscription`)."""
        with self._lock:
            return [sub for sub in self._subs.values() if sub.active]

    def subscribe(self, stream, listener=None, **params):
        """Subscribe to ``stream`` (``user``, ``user:notification``, ``public``,
        ``public:local``, ``public:remote``, their ``:media`` variants, ``hashtag`` and
        ``hashtag:local`` with ``tag=``, ``list`` with ``list=``, ``direct``) and deliver its
        events to ``listener`` (default: the handle's). Returns the
        :class:`WebSocketSubscription`; the server does not acknowledge it, but refuses with an
        error frame (see :meth:`~mastodon.StreamListener.on_websocket_error`). Raises
        :class:`MastodonIllegalArgumentError` when already subscribed, without a listener, or
        on a closed handle."""
        return self._subscribe(stream, listener, params)

    def unsubscribe(self, stream, **params):
        """End the subscription to ``stream`` with these ``params`` (a hashtag in any case);
        returns the handle. Raises :class:`MastodonIllegalArgumentError` if there is none."""
        with self._lock:
            sub = self._subs.get(_subscription_key(stream, params))
            if sub is None or not sub.active:
                raise MastodonIllegalArgumentError(
                    f"Not subscribed to WebSocket stream ({', '.join(_subscription_key(stream, params))}).")
            self._remove(sub)
        return self

    def _subscribe(self, stream, listener, params, backfill=None):
        if not isinstance(stream, str) or not stream:
            raise MastodonIllegalArgumentError("The stream name must be a non-empty string.")
        listener = listener if listener is not None else self.listener
        if listener is None:
            raise MastodonIllegalArgumentError("A listener is needed: give one to subscribe() or to the handle.")
        if not callable(getattr(listener, "handle_websocket_message", None)):
            raise MastodonIllegalArgumentError("The listener must be a StreamListener (it needs "
                                               "handle_websocket_message).")
        _dialect.set_listener_dialect(listener, self._speaks)
        sub = WebSocketSubscription(self, stream, params, listener)
        if (self.backfill if backfill is None else backfill) and self._sources_for is not None:
            sub._sources = list(self._sources_for(stream, sub.params) or ())
            if sub._sources:
                sub._gate = _EventGate([source.kind for source in sub._sources])
        with self._lock:
            if self.closed:
                raise MastodonIllegalArgumentError("The WebSocket stream handle is closed.")
            current = self._subs.get(sub._key)
            if current is not None and current.active:
                raise MastodonIllegalArgumentError(f"Already subscribed to WebSocket stream ({', '.join(sub._key)}).")
            self._subs[sub._key] = sub
            connection = self.connection
            if connection is not None:
                self._send(connection, "subscribe", sub)
        return sub

    def _remove(self, sub):
        with self._lock:
            if self._subs.get(sub._key) is sub:
                del self._subs[sub._key]
            if not sub.active:
                return
            sub.active = False
            connection = self.connection
            if connection is not None and not self.closed:
                self._send(connection, "unsubscribe", sub)

    def _send(self, connection, kind, sub):
        message = json.dumps(dict({"type": kind, "stream": sub.stream}, **sub.params), separators=_JSON_COMPACT)
        try:
            connection.send_text(message)
        except MastodonNetworkError as error:
            # The reader notices the broken connection; a new one subscribes again.
            log.info("Could not send the %s message for %s: %s", kind, sub.stream, error)

    # -----------------------------------------------------------------------------------------
    # Lifecycle

    def close(self):
        """Close the connection and end every subscription (without unsubscribe messages).
        Returns within a second, from any thread, a handler's included."""
        with self._lock:
            self.closed = True
            for sub in self._subs.values():
                sub.active = False
        super().close()

    def run(self):
        """Read in the calling thread until the connection fails (the error is raised, after
        the listeners' ``on_abort``) or :meth:`close` is called; for a handle made with
        ``start=False``."""
        if self._thread is not None:
            raise MastodonIllegalArgumentError("This WebSocket stream handle already runs in the background.")
        self.running = True
        previous = getattr(_thread_state, "stream", None)
        try:
            connection = self.connection
            if connection is None:
                connection = self._open()
            self._serve(connection)
        finally:
            _thread_state.stream = previous
            self.running = False

    def _launch(self):
        """Connect and start reading in the background. A first connection that fails is
        raised, unless reconnecting is on and the server did not refuse the token."""
        try:
            connection = self._open()
        except MastodonNetworkError as error:
            if not self.reconnect or error.status_code in (401, 403):
                raise
            self._report(error)
            connection = None
        return self._start(connection)

    def _open(self):
        """A new connection, with every active subscription sent on it."""
        headers = {}
        subprotocols = ()
        token = self.access_token
        if token:
            headers["Authorization"] = "Bearer " + token
            if self.token_in_protocol and _HTTP_TOKEN_RE.match(token):
                subprotocols = (token,)
        if self.user_agent:
            headers["User-Agent"] = self.user_agent
        connection = _websocket.open_connection(self.url, headers, self.timeout, subprotocols=subprotocols,
                                                ssl_context=self._ssl_context, proxy=self._proxy)
        connection.set_io_timeout(max(0.05, min(self._poll_interval() * 2, self.timeout)))
        with self._lock:
            if self.closed:
                connection.close()
                raise MastodonNetworkError("The WebSocket stream handle was closed.")
            self.connection = connection
            for sub in list(self._subs.values()):
                if sub.active:
                    self._send(connection, "subscribe", sub)
        return connection

    def _resume(self, connection):
        """After a reconnect: once the server has read the subscribe messages, deliver what each
        subscription missed (live events arriving meanwhile wait, and duplicates are dropped)."""
        subs = [sub for sub in self.subscriptions() if sub._gate is not None]
        if not subs:
            return
        if not connection.wait_for_pong(connection.ping(), min(self.timeout, _RESUBSCRIBE_BARRIER_SEC)):
            log.info("No pong after subscribing again; reading what was missed all the same")
        for sub in subs:
            backfill(sub.listener, sub._gate, sub._sources, self.backfill_max_pages, sub._admit, sub._for_stream)

    def _interrupt(self, connection):
        connection.interrupt()

    def _listeners(self):
        seen = []
        for listener in [self.listener] + [sub.listener for sub in self.subscriptions()]:
            if listener is not None and all(listener is not other for other in seen):
                seen.append(listener)
        return seen

    def _poll_interval(self):
        limit = self.liveness_timeout or self.timeout
        return max(0.02, float(limit) / 6.0)

    # -----------------------------------------------------------------------------------------
    # Reading

    def _serve(self, connection):
        try:
            self._read(connection)
        except Exception as error:
            if self.closed:
                return
            if isinstance(error, MastodonNetworkError):
                self._abort_all(error)
            self._failed(error)
        finally:
            with self._lock:
                if self.connection is connection:
                    self.connection = None
            connection.close()

    def _abort_all(self, error):
        for listener in self._listeners():
            try:
                listener.on_abort(error)
            except Exception:
                log.exception("on_abort raised")

    def _read(self, connection):
        stop = self._stop
        poll = self._poll_interval()
        liveness = self.liveness_timeout
        ping_after = (liveness or self.timeout) / 3.0
        handle_message = self._on_message
        clock = time.monotonic
        while not stop.is_set():
            messages = connection.receive(poll)
            if not messages:
                if stop.is_set():
                    return
                silent = clock() - connection.last_activity
                if liveness and silent >= liveness:
                    raise MastodonReadTimeout(f"No data or pong from the WebSocket streaming server for over "
                                              f"{liveness} s")
                if silent >= self.timeout:
                    raise MastodonReadTimeout(_websocket.READ_TIMED_OUT)
                if silent >= ping_after and connection.last_ping < connection.last_activity:
                    connection.ping()
                continue
            for message in messages:
                if stop.is_set():
                    return
                handle_message(message)

    def _on_message(self, message):
        """Route one message to the listener of its stream."""
        try:
            frame = _scan_frame(message.decode("utf-8"))
        except (ValueError, RecursionError):  # UnicodeDecodeError included
            self._frame_error(_malformed("Bad WebSocket JSON", message[:1000]), None, self._listeners())
            return
        if frame.__class__ is not dict:
            self._frame_error(_malformed("Malformed WebSocket event", frame), None, self._listeners())
            return
        stream = frame.get("stream")
        key = _frame_key(stream) if stream is not None else None
        sub = self._subs.get(key) if key is not None else None
        if sub is not None and sub.active:
            target, listener = sub, sub.listener
        else:
            target, listener = self, self.listener
        if "event" not in frame and "error" in frame:
            # Mastodon's error frames name no stream: every listener may be concerned.
            listeners = [listener] if sub is not None else self._listeners()
            self._frame_error(websocket_error_of(frame), stream, listeners)
            return
        if listener is None:
            return
        _thread_state.stream = target
        try:
            dispatch = getattr(listener, "_dispatch_frame", None)
            if dispatch is not None:
                dispatch(frame)
            else:
                listener.handle_websocket_message(frame)
        except MastodonMalformedEventError as error:
            self._frame_error(error, stream, [listener])
        finally:
            _thread_state.stream = self

    def _frame_error(self, error, stream, listeners):
        for listener in listeners:
            try:
                listener.on_websocket_error(error, stream)
            except Exception:
                log.exception("on_websocket_error raised")
