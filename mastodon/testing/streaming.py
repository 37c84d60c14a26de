"""Server-Sent Events streams, as Mastodon's streaming server sends them.

State changes are published to channels named as Mastodon's (``timeline:<account id>``,
``timeline:public``, ``timeline:hashtag:<tag>``, ``timeline:list:<id>``...). Every open stream
is a :class:`Subscription` to some channels; a published event is rendered for each subscriber
(what ``favourited`` says depends on who reads) and queued to its connection, which writes
``event:``/``data:`` lines in HTTP chunks, ``:)`` when it opens and ``:thump`` heartbeats.
"""

from __future__ import annotations

import itertools
import json
import queue
import socket
import threading
import time

from .state import ApiError, scope_allows

_numbers = itertools.count()
_DROP = object()
_STOP = object()


class Subscription:
    """One stream: the channels it hears, who listens (events are rendered for them), the
    queue its connection writes from (a WebSocket's streams share one) and ``label``, the
    ``stream`` field of its WebSocket frames."""

    def __init__(self, channels, viewer, events=None, queue_=None, label=None):
        self.channels = set(channels)
        self.viewer = viewer
        self.events = events
        self.queue = queue_ if queue_ is not None else queue.Queue()
        self.label = label
        self.stalled_until = 0.0
        self.dropped = False
        self.active = True
        self.number = next(_numbers)


class Hub:
    """Who listens to which channel; :meth:`publish` is what ``State.publish`` calls."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscriptions = set()

    def subscribe(self, subscription):
        with self._lock:
            self._subscriptions.add(subscription)

    def unsubscribe(self, subscription):
        with self._lock:
            self._subscriptions.discard(subscription)

    def _current(self):
        with self._lock:
            return list(self._subscriptions)

    def subscriptions(self):
        """The open subscriptions, oldest first."""
        return sorted(self._current(), key=lambda subscription: subscription.number)

    @property
    def count(self):
        """Open connections: an SSE stream each, a WebSocket once however many streams it has."""
        return len({id(subscription.queue) for subscription in self._current()})

    def publish(self, channel, event, render):
        for subscription in self._current():
            if channel not in subscription.channels:
                continue
            if subscription.events is not None and event not in subscription.events:
                continue
            payload = render(subscription.viewer)
            if payload is None:
                continue
            if not isinstance(payload, str):
                payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            subscription.queue.put((event, payload, subscription))

    def drop_all(self):
        """Cut every open stream (no end of the chunked body: the client sees a broken read)."""
        for subscription in self._current():
            subscription.dropped = True
            subscription.queue.put(_DROP)

    def stall_all(self, seconds):
        """Send nothing, heartbeats included, for ``seconds``; queued events follow afterwards."""
        until = time.monotonic() + seconds
        for subscription in self._current():
            subscription.stalled_until = until

    def close_all(self):
        for subscription in self._current():
            subscription.queue.put(_STOP)


# ---------------------------------------------------------------------------------------------
# The streams


def token_of(state, request, protocols=()):
    """``(token, viewer)`` of a streaming request: the ``Authorization`` header, a WebSocket
    subprotocol or the ``access_token`` parameter, as the streaming server reads them."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        value = header[7:].strip()
    else:
        value = request.get("access_token") or (protocols[0] if protocols else None)
    token = state.token(value) if value else None
    if value and token is None:
        raise ApiError(401, "Invalid access token")
    return token, token.account if token is not None else None


def open_stream(state, name, params, token, queue_=None):
    """The subscription to stream ``name`` (``user``, ``user:notification``, ``public``,
    ``public:local``, ``public:remote``, ``hashtag``, ``hashtag:local``, ``list``), checked as
    the streaming server checks it; None for a stream it does not know."""
    viewer = token.account if token is not None else None

    def needs(scope, user=True):
        if user and (token is None or token.account is None):
            raise ApiError(401, "Missing access token" if token is None else "This stream requires a user")
        if token is not None and not scope_allows(token.scopes, scope):
            raise ApiError(401, "Access token does not have the required scopes")

    if name == "user":
        needs("read:statuses")
        return Subscription([f"timeline:{viewer.id}"], viewer, None, queue_, [name])
    if name == "user:notification":
        needs("read:notifications")
        return Subscription([f"timeline:{viewer.id}"], viewer, {"notification"}, queue_, [name])
    if name in ("public", "public:local", "public:remote"):
        needs("read:statuses", user=False)
        return Subscription([f"timeline:{name}"], viewer, None, queue_, [name])
    if name in ("hashtag", "hashtag:local"):
        needs("read:statuses", user=False)
        tag = str(params.get("tag") or "").lstrip("#")
        if not tag:
            raise ApiError(400, "Missing tag name parameter")
        suffix = ":local" if name.endswith(":local") else ""
        return Subscription([f"timeline:hashtag:{tag.lower()}{suffix}"], viewer, None, queue_, [name, tag])
    if name == "list":
        needs("read:lists")
        user_list = state.lists.get(_int(params.get("list")))
        if user_list is None or user_list.account is not viewer:
            raise ApiError(404, "Record not found")
        return Subscription([f"timeline:list:{user_list.id}"], viewer, None, queue_, [name, str(user_list.id)])
    return None


def subscription_for(state, path, request):
    """The subscription an SSE request asks for (``/api/v1/streaming/hashtag/local`` is the
    stream ``hashtag:local``); None for a path that names no stream."""
    name = path.rstrip("/")[len("/api/v1/streaming/"):].replace("/", ":")
    token, _ = token_of(state, request)
    params = dict(tag=request.text("tag"), list=request.text("list"))
    return open_stream(state, name, params, token)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def serve(handler, hub, subscription, heartbeat, stopping):
    """Write the stream of ``subscription`` to the connection of ``handler`` until the client
    leaves, the stream is dropped or the server stops."""
    def write(data):
        data = data.encode("utf-8")
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        handler.wfile.flush()

    handler.close_connection = True
    try:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "private, no-store")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        write(":)\n")
        last_write = time.monotonic()
        while not stopping.is_set():
            if subscription.dropped:
                break
            wait = subscription.stalled_until - time.monotonic()
            if wait > 0:
                stopping.wait(min(wait, 0.05))
                continue
            try:
                item = subscription.queue.get(timeout=max(0.01, min(0.2, heartbeat - (time.monotonic() - last_write))))
            except queue.Empty:
                if time.monotonic() - last_write >= heartbeat:
                    write(":thump\n")
                    last_write = time.monotonic()
                continue
            if item is _DROP:
                break
            if item is _STOP:
                handler.wfile.write(b"0\r\n\r\n")
                handler.wfile.flush()
                return
            event, payload, _ = item
            write(f"event: {event}\n" + "".join(f"data: {line}\n" for line in payload.split("\n")) + "\n")
            last_write = time.monotonic()
        try:
            handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    except OSError:
        pass  # the client went away
    finally:
        hub.unsubscribe(subscription)
