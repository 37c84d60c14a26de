"""Server-Sent Events streams, as Mastodon's streaming server sends them.

State changes are published to channels named as Mastodon's (``timeline:<account id>``,
``timeline:public``, ``timeline:hashtag:<tag>``, ``timeline:list:<id>``...). Every open stream
is a :class:`Subscription` to some channels; a published event is rendered for each subscriber
(what ``favourited`` says depends on who reads) and queued to its connection, which writes
``event:``/``data:`` lines in HTTP chunks, ``:)`` when it opens and ``:thump`` heartbeats.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time

from .state import ApiError, scope_allows

_DROP = object()
_STOP = object()


class Subscription:
    def __init__(self, channels, viewer, events=None):
        self.channels = set(channels)
        self.viewer = viewer
        self.events = events
        self.queue = queue.Queue()
        self.stalled_until = 0.0
        self.dropped = False


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

    @property
    def count(self):
        return len(self._current())

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
            subscription.queue.put((event, payload))

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
# The streaming endpoints


def subscription_for(state, path, request):
    """The subscription a streaming request asks for, checked as the streaming server does."""
    header = request.headers.get("authorization", "")
    value = header[7:].strip() if header.lower().startswith("bearer ") else request.get("access_token")
    token = state.token(value) if value else None
    if value and token is None:
        raise ApiError(401, "Invalid access token")
    viewer = token.account if token is not None else None

    def needs(scope, user=True):
        if user and (token is None or token.account is None):
            raise ApiError(401, "Missing access token" if token is None else "This stream requires a user")
        if token is not None and not scope_allows(token.scopes, scope):
            raise ApiError(401, "Access token does not have the required scopes")

    path = path.rstrip("/")
    if path == "/api/v1/streaming/user":
        needs("read:statuses")
        return Subscription([f"timeline:{viewer.id}"], viewer)
    if path == "/api/v1/streaming/user/notification":
        needs("read:notifications")
        return Subscription([f"timeline:{viewer.id}"], viewer, {"notification"})
    if path in ("/api/v1/streaming/public", "/api/v1/streaming/public/local", "/api/v1/streaming/public/remote"):
        needs("read:statuses", user=False)
        suffix = path[len("/api/v1/streaming/public"):].replace("/", ":")
        return Subscription([f"timeline:public{suffix}"], viewer)
    if path in ("/api/v1/streaming/hashtag", "/api/v1/streaming/hashtag/local"):
        needs("read:statuses", user=False)
        tag = (request.text("tag") or "").lower().lstrip("#")
        if not tag:
            raise ApiError(400, "Missing tag name parameter")
        return Subscription([f"timeline:hashtag:{tag}" + (":local" if path.endswith("/local") else "")], viewer)
    if path == "/api/v1/streaming/list":
        needs("read:lists")
        user_list = state.lists.get(request.int("list", -1))
        if user_list is None or user_list.account is not viewer:
            raise ApiError(404, "Record not found")
        return Subscription([f"timeline:list:{user_list.id}"], viewer)
    return None


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
            event, payload = item
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
