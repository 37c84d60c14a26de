"""Streaming: the event listeners and the machinery that keeps a stream alive.

A :class:`StreamListener` turns the Server-Sent Events of a Mastodon stream into calls of its
``on_<event>`` methods. :meth:`StreamListener.handle_stream` is the whole parser: it reads the body
in large chunks through ``response.iter_content`` and splits lines itself, so a chunk may end
anywhere, in the middle of a line or of a UTF-8 character.

:class:`StreamHandle` is the base of what the ``stream_*`` methods return with ``run_async=True``
(:class:`SSEStreamHandle`, or a WebSocket handle from :mod:`mastodon.streaming_websocket`): a daemon
thread that reads the stream, notices a silent (dead) connection, reconnects with a capped,
jittered exponential backoff and, when asked, fetches through the REST API what was missed while
the connection was down.
"""

import collections
import inspect
import json
import logging
import random
import re
import socket
import threading
import time
from typing import Any, Dict

import requests

from .errors import MastodonAPIError, MastodonMalformedEventError, MastodonNetworkError, MastodonReadTimeout
from ._casting import DECODER_1_8
from . import _decoding, _dialect
from ._decoding import parse_json_bytes
from .types_base import AttribAccessDict

log = logging.getLogger("mastodon.streaming")

__all__ = ["StreamListener", "CallbackStreamListener", "StreamHandle", "SSEStreamHandle"]

# Read size for chunked responses: urllib3 hands out each HTTP chunk as soon as it arrives (never
# waiting to fill the buffer), so a large size costs no latency and saves a Python round per byte.
_CHUNK_SIZE = 64 * 1024
# A line (or an event) longer than this is not one a server would send; refusing it keeps
# memory bounded.
_MAX_LINE_BYTES = 16 * 1024 * 1024
_MAX_EVENT_BYTES = 16 * 1024 * 1024

# Mastodon sends ``:thump`` every 15 s; three missed heartbeats mean the connection is dead.
_DEFAULT_LIVENESS_SEC = 45
_DEFAULT_RECONNECT_MAX_WAIT_SEC = 60
# A connection that stayed up this long counts as healthy: the backoff starts over after it.
_HEALTHY_AFTER_SEC = 60
# How many recently delivered ids per kind are remembered to drop duplicates after a reconnect.
_RECENT_IDS = 4096
# Mastodon caps pages at 40 statuses and 80 notifications; other servers may cap them lower,
# commonly at 20 (the usual default) or 40. A short page of such a size may be that cap rather
# than the end of the gap, so it is confirmed with one more request until the cap is known.
_FOREIGN_PAGE_CAPS = frozenset((20, 40))

# Event names are dispatched to ``on_<name>``; these would reach methods that are not event
# handlers, so a server sending them gets ``on_unknown_event`` instead.
_RESERVED_EVENTS = frozenset(("abort", "unknown_event", "any_event"))
_EVENT_NAME_RE = re.compile(r"[a-z0-9_.]+\Z")
_BARE_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,256}\Z")
_ID_PAYLOAD_EVENTS = frozenset(("delete", "announcement.delete"))
# Events whose payload means nothing (Mastodon sends none, ``undefined`` or a placeholder): their
# handlers take no argument, and they are delivered whatever the payload is.
_NO_PAYLOAD_EVENTS = frozenset(("filters_changed", "notifications_merged"))
# Events that cannot be delivered without a payload. An event of a name not listed here or above
# (a newer server's) is delivered to ``on_unknown_event`` even without one.
_PAYLOAD_EVENTS = frozenset(("update", "delete", "notification", "conversation", "announcement",
                             "announcement.reaction", "announcement.delete", "status.update",
                             "encrypted_message"))

# Per-thread state of the stream machinery (the StreamHandle whose stream this thread reads).
_thread_state = threading.local()


_for_stream_cache: Dict[Any, bool] = {}


def _accepts_for_stream(handler):
    """Whether a handler has a parameter named ``for_stream`` (looked up once per function)."""
    _cache = _for_stream_cache
    key = getattr(handler, "__func__", handler)
    try:
        return _cache[key]
    except (KeyError, TypeError):
        pass
    try:
        accepts = "for_stream" in inspect.signature(handler).parameters
    except (TypeError, ValueError):
        accepts = False
    try:
        if len(_cache) > 1024:
            _cache.clear()
        _cache[key] = accepts
    except TypeError:
        pass
    return accepts


def _scanner(object_hook=None):
    """``text → value`` for one JSON document: the C scanner of a decoder built once (json.loads
    builds a decoder per call when given a hook, and matches whitespace twice). Anything the
    fast path does not settle (leading or trailing text, errors) goes to the full decoder, which
    raises what json.loads would."""
    decoder = json.JSONDecoder(object_hook=object_hook)
    scan_once = decoder.scan_once
    decode = decoder.decode

    def scan(text):
        try:
            value, end = scan_once(text, 0)
        except StopIteration:
            return decode(text)
        if end != len(text):
            return decode(text)
        return value
    return scan


# Payloads as every answer of the dialect is decoded; frames as plain JSON.
_scan_payload = _scanner(_decoding._object_hook)
_scan_frame = _scanner()
_payload_scanners = {_decoding._object_hook: _scan_payload}


def _payload_scanner(decoder):
    """The text scanner of a dialect's decoder (one per object hook, built once)."""
    scan = _payload_scanners.get(decoder.object_hook)
    if scan is None:
        scan = _payload_scanners[decoder.object_hook] = _scanner(decoder.object_hook)
    return scan

_wants_payload_cache: dict = {}


def _wants_payload(handler):
    """Whether a handler of a no-payload event requires a positional argument (a handler written
    before Mastodon.py gave these events their own argument-less methods takes the payload)."""
    key = getattr(handler, "__func__", handler)
    try:
        return _wants_payload_cache[key]
    except (KeyError, TypeError):
        pass
    try:
        wants = any(p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                    and p.name != "for_stream" for p in inspect.signature(handler).parameters.values())
    except (TypeError, ValueError):
        wants = False
    try:
        if len(_wants_payload_cache) > 1024:
            _wants_payload_cache.clear()
        _wants_payload_cache[key] = wants
    except TypeError:
        pass
    return wants


def _malformed(*args):
    return MastodonMalformedEventError(*args)


def _map_read_error(error):
    """A requests exception raised while reading the body → the library's exception."""
    if isinstance(error, requests.exceptions.ReadTimeout) or _is_read_timeout(error):
        return MastodonReadTimeout(f"Timed out while reading from the stream: {error}")
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return MastodonNetworkError("Server ceased communication.")
    return MastodonNetworkError(f"Lost the connection to the stream: {error}")


def _is_read_timeout(error):
    # requests reports a read timeout during iter_content as a ConnectionError wrapping urllib3's
    # ReadTimeoutError.
    seen = 0
    while error is not None and seen < 5:
        if type(error).__name__ in ("ReadTimeoutError", "ReadTimeout") or isinstance(error, socket.timeout):
            return True
        inner = error.args[0] if getattr(error, "args", None) else None
        error = inner if isinstance(inner, BaseException) else (error.__cause__ or error.__context__)
        seen += 1
    return False


class StreamListener:
    """Receives the events of a stream: subclass it and override the ``on_*`` methods you need.

    Handlers that declare a parameter named ``for_stream`` also receive the stream the event
    belongs to (when the server says). :meth:`on_any_event` sees every event after its handler
    (before it in dialect ``"2"``, as Mastodon.py 2.x calls it).
    """

    def on_update(self, status):
        """A new status appeared (Status)."""

    def on_delete(self, status_id):
        """A status was deleted; ``status_id`` is its id (an int; a string when it is not a
        number of ASCII digits within ``int()``'s limit)."""

    def on_notification(self, notification):
        """A new notification (Notification)."""

    def on_filters_changed(self):
        """The user's filters changed; re-fetch them if you apply them locally."""

    def on_conversation(self, conversation):
        """A direct conversation was updated (Conversation)."""

    def on_announcement(self, annoucement):
        """A new or changed announcement (Announcement). The parameter name is Mastodon.py's."""

    def on_announcement_reaction(self, reaction):
        """Someone reacted to an announcement (a dict with ``name``, ``count``, ``announcement_id``)."""

    def on_announcement_delete(self, annoucement_id):
        """An announcement was deleted; the argument is its id."""

    def on_status_update(self, status):
        """A status was edited (Status, in its new version)."""

    def on_encrypted_message(self, unclear):
        """An encrypted message (unused by Mastodon; the payload is passed as is)."""

    def on_notifications_merged(self):
        """Accepted notification requests finished merging into the notifications: re-read them
        if you keep a copy (Mastodon 4.3 and later; the payload means nothing and is not passed)."""

    def on_websocket_error(self, error, for_stream=None):
        """A WebSocket problem that does not end the connection: the server refused a
        subscription (``error`` is a :class:`MastodonAPIError` carrying its text and status), or
        a frame could not be read (a :class:`MastodonMalformedEventError`; the frame is skipped).
        ``for_stream`` is the frame's stream (e.g. ``['hashtag', 'python']``), None when unknown.
        Logs a warning unless overridden."""
        log.warning("WebSocket stream %s: %s", for_stream, error)

    def on_abort(self, err):
        """The stream failed (``err`` is the exception about to be raised, or the error that
        triggers a reconnect in async mode with ``reconnect_async``)."""

    def on_gap(self, kind, after_id, before_id):
        """Events were missed while disconnected and will not be delivered (with ``backfill``,
        when ``backfill_max_pages`` was reached or the REST API failed).

        ``kind`` is ``"update"`` or ``"notification"``; the missed items are those with ids
        after ``after_id`` and before ``before_id`` (both exclusive; ``before_id`` None: up to
        the live stream). Called before the newer events are delivered; they can be read with
        e.g. ``timeline_home(since_id=after_id, max_id=before_id)``.
        """

    def on_unknown_event(self, name, unknown_event=None):
        """An event without a handler of its own: its name and its decoded payload."""

    def handle_heartbeat(self):
        """The server sent a heartbeat (a comment line such as ``:thump``)."""

    def on_any_event(self, name, data=None, for_stream=None):
        """Called for every event, after its own handler (before it in dialect ``"2"``), with
        the event name and payload."""

    # -----------------------------------------------------------------------------------------
    # Parsing

    def handle_stream(self, response):
        """Read a stream response to its end and dispatch its events.

        ``response`` is anything with an ``iter_content(chunk_size=...)`` method returning bytes.
        Raises :class:`MastodonMalformedEventError` for input that is not a valid event stream,
        :class:`MastodonReadTimeout` when the server stops sending and :class:`MastodonNetworkError`
        when the connection breaks; :meth:`on_abort` is called with the exception first.
        """
        try:
            with _dialect.process_default_pinned():
                self.__read(response)
        except (MastodonMalformedEventError, MastodonNetworkError) as error:
            self.on_abort(error)
            raise

    def __read(self, response):
        chunks = iter(response.iter_content(chunk_size=_chunk_size_for(response)))
        pending = []  # pieces of a line not yet terminated
        pending_size = 0
        # The event being collected: each field's lines in a list, joined once at its end, so
        # that an event of many ``data:`` lines costs linear time.
        event = {}
        event_size = 0
        while True:
            try:
                chunk = next(chunks)
            except StopIteration:
                return
            except requests.exceptions.RequestException as error:
                raise _map_read_error(error) from error
            except socket.timeout as error:
                raise MastodonReadTimeout(f"Timed out while reading from the stream: {error}") from error
            except OSError as error:
                raise MastodonNetworkError(f"Lost the connection to the stream: {error}") from error
            if not chunk:
                continue
            if b"\n" not in chunk:
                pending.append(chunk)
                pending_size += len(chunk)
                if pending_size > _MAX_LINE_BYTES:
                    raise _malformed("Line too long", pending_size)
                continue
            if pending:
                pending.append(chunk)
                chunk = b"".join(pending)
                pending = []
            lines = chunk.split(b"\n")
            tail = lines.pop()
            if tail:
                pending.append(tail)
            pending_size = len(tail)
            for raw_line in lines:
                try:
                    line = raw_line.decode("utf-8")
                except UnicodeDecodeError:
                    raise _malformed("Malformed UTF-8") from None
                if line and line[-1] == "\r":
                    line = line[:-1]
                if not line:
                    if event:
                        self._dispatch({key: "\n".join(values) for key, values in event.items()})
                        event = {}
                        event_size = 0
                elif line[0] == ":":
                    self.handle_heartbeat()
                else:
                    key, sep, value = line.partition(":")
                    if not sep:
                        raise _malformed("Malformed event.")
                    if value[:1] == " ":
                        value = value[1:]
                    event_size += len(value) + 1
                    if event_size > _MAX_EVENT_BYTES:
                        raise _malformed("Event too large", event_size)
                    values = event.get(key)
                    if values is None:
                        event[key] = [value]
                    else:
                        values.append(value)

    def _parse_line(self, line, event):
        """Add one ``key: value`` line to an event dict of strings and return it (Mastodon.py's
        helper, kept for subclasses; :meth:`handle_stream` collects lines itself)."""
        if line.startswith(":"):
            self.handle_heartbeat()
            return event
        key, sep, value = line.partition(":")
        if not sep:
            raise _malformed("Malformed event.")
        if value.startswith(" "):
            value = value[1:]
        if key in event:
            # A repeated key (several ``data:`` lines) continues the value on a new line.
            event[key] += "\n" + value
        else:
            event[key] = value
        return event

    def _dispatch(self, event):
        """Decode one complete Server-Sent Event and call its handler."""
        name = event.get("event")
        if name is None:
            raise _malformed("Missing field", "event", event)
        data = event.get("data")
        if data is None and name in _PAYLOAD_EVENTS:
            raise _malformed("Missing field", "data", event)
        for_stream = event.get("stream")
        if for_stream is not None:
            try:
                for_stream = json.loads(for_stream)
            except (ValueError, RecursionError):
                pass
        self._dispatch_event(name, data, for_stream, data is not None)

    def handle_websocket_message(self, message):
        """Dispatch one WebSocket frame of Mastodon's streaming API: a JSON object (as text,
        bytes or already decoded) ``{"stream": [...], "event": ..., "payload": "<JSON>"}``.

        An error frame (``{"error": ..., "status": ...}``) goes to :meth:`on_websocket_error`.
        Raises :class:`MastodonMalformedEventError` for a frame that cannot be read, after
        :meth:`on_abort` (a WebSocket handle instead reports such frames to
        :meth:`on_websocket_error` and reads on).
        """
        try:
            self._dispatch_frame(_decode_frame(message))
        except MastodonMalformedEventError as error:
            self.on_abort(error)
            raise

    def _dispatch_frame(self, frame):
        """Deliver one decoded WebSocket frame (a dict)."""
        if "event" not in frame and "error" in frame:
            self.on_websocket_error(websocket_error_of(frame), frame.get("stream"))
            return
        name = frame.get("event")
        if name.__class__ is not str:
            raise _malformed("Missing field", "event", frame)
        payload = frame.get("payload")
        if payload is None and name in _PAYLOAD_EVENTS:
            raise _malformed("Missing field", "payload", name)
        self._dispatch_event(name, payload, frame.get("stream"), payload is not None)

    def _dispatch_event(self, name, raw_payload, for_stream, payload_present):
        """Decode an event's payload and deliver it: the part SSE and WebSocket share.

        Events without a meaningful payload (``filters_changed``, ``notifications_merged``) and
        events of unknown names are delivered even when the payload is absent or ``undefined``.
        """
        dialect = _dialect.listener_dialect(self)
        decoder = dialect.decoder
        if not payload_present or raw_payload is None:
            payload = None
        elif raw_payload.__class__ is not str and raw_payload.__class__ is not bytes:
            # a server that sends the payload as JSON, not text
            payload = _reencode(raw_payload, decoder.parse)
        elif name in _NO_PAYLOAD_EVENTS:
            try:
                payload = decoder.parse(raw_payload)
            except (ValueError, RecursionError):
                payload = None  # ``undefined`` or anything else: it carries nothing
        else:
            try:
                payload = (_payload_scanner(decoder)(raw_payload) if raw_payload.__class__ is str
                           else decoder.parse(raw_payload))
            except (ValueError, RecursionError):
                if raw_payload.__class__ is bytes:
                    try:
                        raw_payload = raw_payload.decode("utf-8")
                    except UnicodeDecodeError:
                        raise _malformed("Malformed UTF-8") from None
                if name in _ID_PAYLOAD_EVENTS and (raw_payload.isascii() and raw_payload.isdigit()
                                                   or _BARE_ID_RE.match(raw_payload)):
                    # An id sent bare: more digits than int() accepts, or a flake id / ULID
                    # of servers other than Mastodon.
                    payload = raw_payload
                elif raw_payload == "undefined" and name not in _PAYLOAD_EVENTS:
                    payload = None  # a newer server's event without a payload
                else:
                    raise _malformed("Bad JSON", raw_payload[:1000]) from None
            if name in _ID_PAYLOAD_EVENTS:
                payload = decoder.event_id(name, payload)
        # The stream read by this thread (if the library opened it) may drop the event: a
        # duplicate after a reconnect, or anything after close().
        stream = getattr(_thread_state, "stream", None)
        if stream is not None and not stream._admit(name, payload):
            return
        self._deliver_as(dialect, name, payload, for_stream)

    def _deliver(self, name, payload, for_stream=None):
        """Call the handler of an already decoded event and :meth:`on_any_event`, in the order
        of the listener's dialect (row E9: the handler first in "1.8", on_any_event in "2");
        the payload gets the entity class of its event in that dialect (E1, E3, E4)."""
        self._deliver_as(_dialect.listener_dialect(self), name, payload, for_stream)

    def _deliver_as(self, dialect, name, payload, for_stream):
        """:meth:`_deliver` in a dialect the caller already looked up (once per event)."""
        if payload.__class__ is AttribAccessDict:
            cls = _event_classes(dialect.decoder).get(name)
            if cls is not None:
                dialect.decoder.cast_entity(payload, cls)
        dialect.deliver_event(self, name, payload, for_stream)

    def _call_any_event(self, name, payload, for_stream):
        """``on_any_event(name, payload[, for_stream])``: ``for_stream`` when it takes it."""
        if _accepts_for_stream(self.on_any_event):
            self.on_any_event(name, payload, for_stream)
        else:
            self.on_any_event(name, payload)

    def _call_handler(self, name, payload, for_stream):
        """Call the handler of an already decoded event (``on_unknown_event`` if it has none)."""
        handler_name = _handler_names.get(name, _UNSET)
        if handler_name is _UNSET:
            handler_name = _handler_name(name)
        handler = None
        if handler_name is not None:
            handler = getattr(self, handler_name, None)
            if not callable(handler):
                handler = None
        if handler is None:
            if _accepts_for_stream(self.on_unknown_event):
                self.on_unknown_event(name, payload, for_stream)
            else:
                self.on_unknown_event(name, payload)
        elif name in _NO_PAYLOAD_EVENTS:
            args = (payload,) if _wants_payload(handler) else ()
            if _accepts_for_stream(handler):
                handler(*args, for_stream=for_stream)
            else:
                handler(*args)
        elif _accepts_for_stream(handler):
            handler(payload, for_stream)
        else:
            handler(payload)


_UNSET = object()
_handler_names: dict = {}


def _handler_name(name):
    """``on_<name>`` for an event name that may name a handler (looked up once per name)."""
    handler_name = None
    if name.__class__ is str and name not in _RESERVED_EVENTS and _EVENT_NAME_RE.match(name):
        handler_name = "on_" + name.replace(".", "_")
    if len(_handler_names) < 256:  # a server inventing names cannot grow it without bound
        _handler_names[name] = handler_name
    return handler_name


def _decode_frame(message):
    """A WebSocket frame (text, bytes or a decoded dict) → the dict it holds."""
    if message.__class__ is dict or isinstance(message, dict):
        return message
    try:
        if message.__class__ is bytes:
            message = message.decode("utf-8")
        frame = _scan_frame(message)
    except (ValueError, RecursionError, TypeError, AttributeError):
        excerpt = message[:1000] if isinstance(message, (str, bytes)) else message
        raise _malformed("Bad WebSocket JSON", excerpt) from None
    if not isinstance(frame, dict):
        raise _malformed("Malformed WebSocket event", frame)
    return frame


def websocket_error_of(frame):
    """The error a WebSocket error frame (``{"error": text, "status": code}``) stands for."""
    text = frame.get("error")
    status = frame.get("status")
    error = MastodonAPIError("WebSocket streaming subscription failed", status, text)
    error.status_code = status if isinstance(status, int) and not isinstance(status, bool) else None
    error.error = text if isinstance(text, str) else None
    return error


def _reencode(value, parse=parse_json_bytes):
    """A payload the server sent as a JSON value rather than as JSON text, decoded like one."""
    try:
        return parse(json.dumps(value))
    except (ValueError, TypeError, RecursionError):
        raise _malformed("Bad JSON", repr(value)[:1000]) from None


_event_class_tables: dict = {}


def _event_classes(decoder=None):
    """Event name → the entity class of its payload in the decoder's dialect (built once per
    dialect; return_types imports late)."""
    decoder = decoder or DECODER_1_8
    table = _event_class_tables.get(id(decoder.event_entities))
    if table is None:
        from . import return_types
        table = {name: getattr(return_types, entity) for name, entity in decoder.event_entities.items()
                 if isinstance(getattr(return_types, entity, None), type)
                 and getattr(return_types, entity) is not AttribAccessDict}
        _event_class_tables[id(decoder.event_entities)] = table
    return table


def _chunk_size_for(response):
    """Large reads, except on a raw body of unknown length without chunked framing: there
    urllib3 would wait for the whole buffer to fill, so events are read byte by byte."""
    raw = getattr(response, "raw", None)
    if raw is not None and getattr(raw, "chunked", None) is False and getattr(raw, "length_remaining", 0) is None:
        return 1
    return _CHUNK_SIZE


class CallbackStreamListener(StreamListener):
    """A listener that calls the functions it was given, one per kind of event.

    ``local_update_handler`` receives only the updates of local accounts (no ``@`` in ``acct``).
    The keyword for encrypted messages is spelt ``encryted_message_handler``, as in Mastodon.py;
    ``encrypted_message_handler`` is accepted too. ``notifications_merged_handler()`` takes no
    argument; ``stream_error_handler(error, for_stream)`` receives
    :meth:`StreamListener.on_websocket_error` (without it those errors are logged) and
    ``gap_handler(kind, after_id, before_id)`` :meth:`StreamListener.on_gap`.
    """

    def __init__(self, update_handler=None, local_update_handler=None, delete_handler=None,
                 notification_handler=None, conversation_handler=None, unknown_event_handler=None,
                 status_update_handler=None, filters_changed_handler=None, announcement_handler=None,
                 announcement_reaction_handler=None, announcement_delete_handler=None,
                 encryted_message_handler=None, notifications_merged_handler=None, stream_error_handler=None,
                 encrypted_message_handler=None, gap_handler=None):
        super().__init__()
        self.update_handler = update_handler
        self.local_update_handler = local_update_handler
        self.delete_handler = delete_handler
        self.notification_handler = notification_handler
        self.conversation_handler = conversation_handler
        self.unknown_event_handler = unknown_event_handler
        self.status_update_handler = status_update_handler
        self.filters_changed_handler = filters_changed_handler
        self.announcement_handler = announcement_handler
        self.announcement_reaction_handler = announcement_reaction_handler
        self.announcement_delete_handler = announcement_delete_handler
        self.encryted_message_handler = encryted_message_handler or encrypted_message_handler
        self.notifications_merged_handler = notifications_merged_handler
        self.stream_error_handler = stream_error_handler
        self.gap_handler = gap_handler

    def on_update(self, status):
        if self.update_handler is not None:
            self.update_handler(status)
        if self.local_update_handler is not None:
            try:
                acct = status["account"]["acct"]
            except (KeyError, TypeError):
                return
            if "@" not in acct:
                self.local_update_handler(status)

    def on_delete(self, deleted_id):
        if self.delete_handler is not None:
            self.delete_handler(deleted_id)

    def on_notification(self, notification):
        if self.notification_handler is not None:
            self.notification_handler(notification)

    def on_filters_changed(self):
        if self.filters_changed_handler is not None:
            self.filters_changed_handler()

    def on_conversation(self, conversation):
        if self.conversation_handler is not None:
            self.conversation_handler(conversation)

    def on_announcement(self, annoucement):
        if self.announcement_handler is not None:
            self.announcement_handler(annoucement)

    def on_announcement_reaction(self, reaction):
        if self.announcement_reaction_handler is not None:
            self.announcement_reaction_handler(reaction)

    def on_announcement_delete(self, annoucement_id):
        if self.announcement_delete_handler is not None:
            self.announcement_delete_handler(annoucement_id)

    def on_status_update(self, status):
        if self.status_update_handler is not None:
            self.status_update_handler(status)

    def on_encrypted_message(self, unclear):
        if self.encryted_message_handler is not None:
            self.encryted_message_handler(unclear)

    def on_notifications_merged(self):
        if self.notifications_merged_handler is not None:
            self.notifications_merged_handler()

    def on_websocket_error(self, error, for_stream=None):
        if self.stream_error_handler is not None:
            self.stream_error_handler(error, for_stream)
        else:
            super().on_websocket_error(error, for_stream)

    def on_gap(self, kind, after_id, before_id):
        if self.gap_handler is not None:
            self.gap_handler(kind, after_id, before_id)

    def on_unknown_event(self, name, unknown_event=None):
        if self.unknown_event_handler is not None:
            self.unknown_event_handler(name, unknown_event)


# ---------------------------------------------------------------------------------------------
# Keeping a stream alive


def _id_order(value):
    """Sort key for ids: numerically for numbers, by length then text for other strings
    (fixed-width flake ids sort by time that way).

    Numbers are compared as digit strings (by length, then text), never through ``int()``: that
    would fail on non-ASCII digits and past Python's int-string limit."""
    try:
        text = str(value)
    except ValueError:  # an int past the int-string limit: beyond any id of readable length
        return (0, float("inf"), "")
    if text.isascii() and text.isdigit():
        digits = text.lstrip("0") or "0"
        return (0, len(digits), digits)
    return (1, len(text), text)


def _is_id(value):
    """An int or a str, also a subclass (dialect "2"'s ``MaybeSnowflakeIdType``); not a bool."""
    cls = value.__class__
    return cls is int or cls is str or (isinstance(value, (int, str)) and cls is not bool)


def _newer(one, other):
    """Whether id ``one`` sorts after id ``other`` (two ints, the usual case, compare directly)."""
    if one.__class__ is int and other.__class__ is int:
        return one > other
    return _id_order(one) > _id_order(other)


class _EventGate:
    """What the listener has been given: the newest id per event kind that can be backfilled,
    and a bounded memory of recent ids so that an event is never delivered twice."""

    def __init__(self, kinds, remember=_RECENT_IDS):
        self.kinds = frozenset(kinds)
        self.last_id = {}
        self._remember = remember
        self._recent = {kind: (collections.deque(), set()) for kind in self.kinds}

    def admit(self, name, payload):
        """True if the event is new (and records it), False for a duplicate."""
        if name not in self.kinds or not isinstance(payload, dict):
            return True
        event_id = payload.get("id")
        if not _is_id(event_id):
            return True  # nothing to remember it by (and a list or dict id is not hashable)
        order, seen = self._recent[name]
        if event_id in seen:
            return False
        seen.add(event_id)
        order.append(event_id)
        if len(order) > self._remember:
            seen.discard(order.popleft())
        last = self.last_id.get(name)
        if last is None or _newer(event_id, last):
            self.last_id[name] = event_id
        return True

    def remembered(self):
        return sum(len(order) for order, _ in self._recent.values())


class _Backoff:
    """Reconnect delays: immediately after a healthy connection, else ``base`` doubling up to
    ``cap``, each reduced by a random share of up to ``jitter`` so that clients spread out."""

    def __init__(self, base, cap=_DEFAULT_RECONNECT_MAX_WAIT_SEC, healthy_after=_HEALTHY_AFTER_SEC,
                 jitter=0.2, rng=random.random):
        self.base = max(0.0, float(base))
        self.cap = max(0.0, float(cap))
        self.healthy_after = healthy_after
        self.jitter = jitter
        self.rng = rng
        self.failures = 0

    def next_delay(self, lived):
        """The wait before the next attempt; ``lived`` is how long the last connection stayed
        up, or None when the last attempt failed to connect."""
        if lived is not None and lived >= self.healthy_after:
            self.failures = 0
            return 0.0
        self.failures += 1
        nominal = min(self.cap, self.base * 2.0 ** min(self.failures - 1, 32))
        return nominal * (1.0 - self.jitter * self.rng())


def _socket_of(response):
    raw = getattr(response, "raw", None)
    if raw is None:
        return None
    connection = getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        return sock
    try:
        sock = raw._fp.fp.raw._sock
    except AttributeError:
        return None
    return sock if isinstance(sock, socket.socket) else None


def _interrupt(response):
    """Wake a thread blocked reading ``response``: shutting the socket down makes its read
    return at once (closing it from another thread would not)."""
    sock = _socket_of(response)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
            return
        except OSError:
            pass
    close = getattr(response, "close", None)
    if close is not None:
        try:
            close()
        except Exception:  # a half-closed response may complain; it is being dropped anyway
            pass


class _WatchedResponse:
    """Passes the body through while noting when data last arrived; a read that fails because
    the watchdog cut a silent connection is reported as a read timeout."""

    def __init__(self, response, handle):
        self._response = response
        self._handle = handle

    def __getattr__(self, name):
        return getattr(self._response, name)

    def iter_content(self, chunk_size=1, decode_unicode=False):
        handle = self._handle
        response = self._response
        clock = handle._clock
        try:
            for chunk in response.iter_content(chunk_size=chunk_size):
                handle._last_activity = clock()
                if not handle._heartbeats_seen and (chunk[:1] == b":" or b"\n:" in chunk):
                    # A comment line: this server sends heartbeats, so silence means trouble.
                    handle._heartbeats_seen = True
                yield chunk
        except Exception as error:
            if handle.closed:
                return
            if handle._tripped is response:
                raise requests.exceptions.ReadTimeout(
                    f"No data from the stream for over {handle.liveness_timeout} s") from error
            raise
        if handle.closed:
            return
        if handle._tripped is response:
            raise requests.exceptions.ReadTimeout(f"No data from the stream for over {handle.liveness_timeout} s")


class StreamHandle:
    """A stream read in a background (daemon) thread: the base of :class:`SSEStreamHandle` and
    :class:`~mastodon.streaming_websocket.WebSocketStreamHandle`.

    Attributes (as in Mastodon.py): ``listener``, ``closed`` (:meth:`close` was called),
    ``running`` (the thread is working), ``connection`` (the current connection, None between
    connections) and ``reconnecting`` (waiting for or opening a new connection). Also
    ``reconnects`` (how many times the stream was re-established) and ``last_error``. Usable as a
    context manager: leaving the block closes the stream.
    """

    _clock = staticmethod(time.monotonic)
    _random = staticmethod(random.random)
    _thread_name = "mastodon-stream"

    def __init__(self, connect, listener, reconnect_async=False,
                 reconnect_async_wait_sec=5, *, liveness_timeout=_DEFAULT_LIVENESS_SEC,
                 reconnect_max_wait_sec=_DEFAULT_RECONNECT_MAX_WAIT_SEC,
                 healthy_after=_HEALTHY_AFTER_SEC, backfill_max_pages=None):
        self.closed = False
        self.running = False
        self.connection = None
        self.reconnecting = False
        self.reconnects = 0
        self.last_error = None
        self.listener = listener
        self.reconnect_async = reconnect_async
        self.reconnect_async_wait_sec = reconnect_async_wait_sec
        self.liveness_timeout = liveness_timeout
        self.backfill_max_pages = backfill_max_pages
        self._connect = connect
        self._backoff = _Backoff(reconnect_async_wait_sec, reconnect_max_wait_sec, healthy_after,
                                 rng=self._random)
        self._stop = threading.Event()
        self._thread = None

    # -----------------------------------------------------------------------------------------
    # Public interface

    def close(self):
        """Stop the stream. Returns within a second, from any thread (a handler's included),
        also while the stream is stalled or waiting to reconnect; the handle's threads end."""
        self.closed = True
        self._stop.set()
        connection = self.connection
        if connection is not None:
            self._interrupt(connection)
        deadline = time.monotonic() + 0.9
        current = threading.current_thread()
        for thread in self._threads():
            if thread is not None and thread is not current:
                thread.join(max(0.0, deadline - time.monotonic()))

    def is_alive(self):
        """True while the stream's thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def is_receiving(self):
        """True while connected and reading (not closed, not between connections)."""
        return not self.closed and self.running and not self.reconnecting and self.is_alive()

    def join(self, timeout=None):
        """Wait until the stream's thread ends (at most ``timeout`` seconds); does nothing when
        called from that thread itself."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()
        self.join(1.0)

    # -----------------------------------------------------------------------------------------
    # What a kind of stream provides

    def _serve(self, connection):
        """Read one connection to its end (raise in blocking mode, record otherwise)."""
        raise NotImplementedError

    def _resume(self, connection):
        """Prepare a new connection after a reconnect (e.g. fetch what was missed)."""

    def _interrupt(self, connection):
        """Wake the thread blocked reading ``connection``."""
        _interrupt(connection)

    def _threads(self):
        return (self._thread,)

    def _listeners(self):
        return (self.listener,)

    # -----------------------------------------------------------------------------------------
    # Running

    def _start(self, connection):
        """Run in the background, starting from an open ``connection`` or (None) by connecting."""
        self.running = True
        self._thread = threading.Thread(target=self._work, args=(connection,), daemon=True,
                                        name=self._thread_name)
        self._thread.start()
        return self

    def _admit(self, name, payload):
        return not self.closed

    def _wait(self, seconds):
        """Sleep unless closed; True when the stream was closed meanwhile."""
        return self._stop.wait(seconds)

    def _work(self, connection):
        _thread_state.stream = self
        lived = None
        try:
            while not self._stop.is_set():
                if connection is None:
                    connection = self._reopen(lived)
                    if connection is None:
                        break
                started = self._clock()
                self._serve(connection)
                lived = self._clock() - started
                connection = None
                if self._stop.is_set() or not self.reconnect_async:
                    break
        finally:
            self.connection = None
            self.reconnecting = False
            self.running = False
            _thread_state.stream = None

    def _reopen(self, lived):
        """Connect again after the backoff delay and fill the gap; None when closed."""
        self.reconnecting = True
        while not self._stop.is_set():
            delay = self._backoff.next_delay(lived)
            if delay > 0 and self._wait(delay):
                return None
            if self._stop.is_set():
                return None
            lived = None
            try:
                connection = self._connect()
            except MastodonNetworkError as error:
                if self._stop.is_set():
                    return None
                self._report(error)
                continue
            if self._stop.is_set():
                _close_quietly(connection)
                return None
            try:
                self._resume(connection)
            except MastodonNetworkError as error:
                # Try again with the next connection; nothing was marked as seen.
                self._report(error)
                _close_quietly(connection)
                continue
            except Exception as error:
                # A handler raised on a backfilled event: as for a live one, log it and start
                # over; the events already handed over count as seen.
                self.last_error = error
                log.error("Stream listener raised during backfill; reconnecting", exc_info=True)
                _close_quietly(connection)
                continue
            self.reconnects += 1
            self.reconnecting = False
            return connection
        return None

    def _report(self, error):
        self.last_error = error
        log.info("Stream connection failed: %s", error)
        for listener in self._listeners():
            try:
                listener.on_abort(error)
            except Exception:
                log.exception("on_abort raised")

    def _failed(self, error):
        """A connection ended with ``error``: raise it in blocking mode, else keep and log it
        (the listener has already seen it in on_abort)."""
        if self._thread is not threading.current_thread():
            raise error
        self.last_error = error
        expected = isinstance(error, (MastodonNetworkError, MastodonMalformedEventError))
        then = "reconnecting" if self.reconnect_async else "stream ended"
        if expected:
            log.info("Stream interrupted (%s); %s", error, then)
        else:
            log.error("Stream listener raised; %s", then, exc_info=error)


class SSEStreamHandle(StreamHandle):
    """A Server-Sent Events stream read in the background, as the ``stream_*`` methods return
    it with ``run_async=True``. ``connection`` is the open response to start from (None:
    connect first) and ``connect_func`` opens a new one; see :class:`StreamHandle`."""

    def __init__(self, connection, connect_func, reconnect_async, reconnect_async_wait_sec, listener, *,
                 backfill_sources=(), liveness_timeout=_DEFAULT_LIVENESS_SEC,
                 reconnect_max_wait_sec=_DEFAULT_RECONNECT_MAX_WAIT_SEC, healthy_after=_HEALTHY_AFTER_SEC,
                 backfill_max_pages=None):
        super().__init__(connect_func, listener, reconnect_async, reconnect_async_wait_sec,
                         liveness_timeout=liveness_timeout, reconnect_max_wait_sec=reconnect_max_wait_sec,
                         healthy_after=healthy_after, backfill_max_pages=backfill_max_pages)
        self.connect_func = connect_func
        self._initial = connection
        self._backfill_sources = list(backfill_sources or ())
        self._gate = _EventGate([source.kind for source in self._backfill_sources]) if self._backfill_sources else None
        self._watchdog = None
        self._last_activity = None
        self._heartbeats_seen = False
        self._tripped = None

    def _threads(self):
        return (self._thread, self._watchdog)

    def _start(self, response=None):
        super()._start(response if response is not None else self._initial)
        self._start_watchdog()
        return self

    def _run_blocking(self, response):
        """Read ``response`` in the calling thread until it ends or fails."""
        self.running = True
        previous = getattr(_thread_state, "stream", None)
        _thread_state.stream = self
        self._start_watchdog()
        try:
            self._serve(response)
        finally:
            _thread_state.stream = previous
            self.running = False
            self._stop.set()
            if self._watchdog is not None:
                self._watchdog.join(1.0)

    def _start_watchdog(self):
        if self.liveness_timeout:
            self._watchdog = threading.Thread(target=self._watch, daemon=True, name="mastodon-stream-watchdog")
            self._watchdog.start()

    def _admit(self, name, payload):
        if self.closed:
            return False
        return self._gate is None or self._gate.admit(name, payload)

    def _resume(self, response):
        if self._gate is not None:
            self._backfill()

    def _serve(self, response):
        """Read one connection to its end. In the background with reconnecting on, failures are
        recorded and logged; otherwise they propagate."""
        self._last_activity = self._clock()
        self._heartbeats_seen = False
        self.connection = response
        try:
            if self._stop.is_set():
                return
            self.listener.handle_stream(_WatchedResponse(response, self))
        except Exception as error:
            if self.closed:
                return
            self._failed(error)
        finally:
            self.connection = None
            _close_quietly(response)

    def _watch(self):
        """Cut a connection that has been silent for longer than ``liveness_timeout``."""
        limit = float(self.liveness_timeout)
        interval = min(1.0, max(0.02, limit / 4.0))
        while not self._stop.wait(interval):
            connection = self.connection
            last = self._last_activity
            # Only a server that has sent a heartbeat on this connection is expected to keep
            # sending them; others (forks without heartbeats) are left to the read timeout.
            if connection is None or last is None or self._tripped is connection or not self._heartbeats_seen:
                continue
            if self._clock() - last > limit:
                log.warning("Stream silent for over %.1f s; treating the connection as dead", limit)
                self._tripped = connection
                _interrupt(connection)

    def _backfill(self):
        backfill(self.listener, self._gate, self._backfill_sources, self.backfill_max_pages, self._admit)


def backfill(listener, gate, sources, max_pages, admit, for_stream=None):
    """Fetch what arrived while disconnected and deliver it, oldest first, before the live
    events. Kinds the listener has not seen yet are skipped (there is no gap to fill)."""
    per_kind = []
    gaps = []
    for source in sources:
        last = gate.last_id.get(source.kind)
        if last is None:
            continue
        items, before = source.read(last, max_pages)
        if before is not _NO_GAP:
            gaps.append((source.kind, last, before))
        per_kind.append([(source.kind, item) for item in items])
    # The skipped ranges are older than anything fetched, so they are reported first.
    on_gap = getattr(listener, "on_gap", None)
    if callable(on_gap):
        for kind, after, before in gaps:
            try:
                on_gap(kind, after, before)
            except Exception:  # the events after the gap must still be delivered
                log.exception("on_gap raised")
    if not per_kind:
        return
    merged = per_kind[0] if len(per_kind) == 1 else sorted(
        (entry for entries in per_kind for entry in entries), key=_created_order)
    deliver = getattr(listener, "_deliver", None)
    for kind, item in merged:
        if not admit(kind, item):
            continue
        if deliver is not None:
            deliver(kind, item, for_stream)
        else:
            getattr(listener, "on_" + kind)(item)


def _created_order(entry):
    created = entry[1].get("created_at") if isinstance(entry[1], dict) else None
    timestamp = created.timestamp() if hasattr(created, "timestamp") else 0.0
    return (timestamp, _id_order(entry[1].get("id")))


_NO_GAP = object()


class _BackfillSource:
    """Where the missed events of one kind are read: ``fetch(since_id, max_id, limit)`` returns
    one page of items newer than ``since_id`` and older than ``max_id`` (None: no bound), newest
    first, as Mastodon's timelines do. ``limit`` is the largest page the endpoint gives."""

    def __init__(self, kind, fetch, limit):
        self.kind = kind
        self.fetch = fetch
        self.limit = limit
        self._cap_learned = False

    def read(self, since_id, max_pages=None):
        """Every item newer than ``since_id``, oldest first, and what could not be read.

        Pages are read from the present backward (``since_id`` with ``max_id``), so that a
        ``max_pages`` cap skips the oldest part of the gap and the newest events are delivered.
        Returns ``(items, before)``: ``before`` is ``_NO_GAP`` when everything was read, else
        the items after ``since_id`` and before ``before`` (None: up to the present) are missing.
        """
        collected = {}
        floor = _id_order(since_id)
        max_id = ceiling = None
        pages = 0
        probing = 0  # the size of a short page that may be the server's own cap
        while True:
            if max_pages is not None and pages >= max_pages:
                log.warning("Backfill of %s events stopped after %d pages (backfill_max_pages): the newest "
                            "were delivered, the older ones after id %s and before id %s were skipped",
                            self.kind, pages, since_id, max_id)
                return _oldest_first(collected), max_id
            try:
                page = self.fetch(since_id, max_id, self.limit)
            except MastodonNetworkError:
                raise  # the whole backfill is tried again with the next connection
            except Exception as error:  # e.g. a 403 for a token without the scope, a rate limit
                self._warn_failed(since_id, max_id, error)
                return _oldest_first(collected), max_id
            pages += 1
            if not isinstance(page, list):
                self._warn_failed(since_id, max_id, f"the answer is not a list: {page!r:.200}")
                return _oldest_first(collected), max_id
            oldest, oldest_key, beyond = _collect(page, floor, ceiling, collected)
            if probing:
                if oldest is not None:
                    # More behind a short page: that page was the server's cap; ask for it from
                    # now on, so that a short page means the end again.
                    self.limit = probing
                    self._cap_learned = True
                probing = 0
            if oldest is None:
                if beyond and len(page) >= self.limit:
                    # The server ignores max_id: what is older cannot be reached.
                    self._warn_failed(since_id, max_id, "the server ignores max_id")
                    return _oldest_first(collected), max_id
                return _oldest_first(collected), _NO_GAP
            if len(page) < self.limit:
                if self._cap_learned or len(page) not in _FOREIGN_PAGE_CAPS:
                    return _oldest_first(collected), _NO_GAP
                probing = len(page)
            max_id, ceiling = oldest, oldest_key

    def _warn_failed(self, since_id, max_id, error):
        log.warning("Could not backfill %s events: those after id %s and before %s were skipped: %s",
                    self.kind, since_id, "the live stream" if max_id is None else f"id {max_id}", error)


def _collect(page, floor, ceiling, collected):
    """Add the page's items with ids between ``floor`` and ``ceiling`` (sort keys, exclusive;
    None: no ceiling) to ``collected``. Returns the oldest id added and its key (None if none),
    and whether the page held items at or above the ceiling."""
    oldest = oldest_key = None
    beyond = False
    for item in page:
        item_id = item.get("id") if isinstance(item, dict) else None
        if not _is_id(item_id):
            continue
        key = _id_order(item_id)
        if ceiling is not None and key >= ceiling:
            beyond = True
        elif key > floor:
            collected[item_id] = item
            if oldest_key is None or key < oldest_key:
                oldest, oldest_key = item_id, key
    return oldest, oldest_key, beyond


def _oldest_first(collected):
    return [collected[key] for key in sorted(collected, key=_id_order)]


def _close_quietly(response):
    close = getattr(response, "close", None)
    if close is not None:
        try:
            close()
        except Exception:  # closing a broken connection may fail; it is gone either way
            pass
