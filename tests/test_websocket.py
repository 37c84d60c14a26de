"""WebSocket streaming against a real WebSocket server on 127.0.0.1 (tests/ws_server.py): the
handshake, subscribe frames, routing, error frames, malformed input, liveness, reconnect with
resubscription and backfill, prompt close, the transport switch of the stream_* methods."""

import json
import threading
import time
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings, strategies as st

pytest.importorskip("websockets", reason='the WebSocket tests need pip install "mastodon[websocket]"')

from helpers import WaitingListener
from server import Response  # noqa: E402
from sse_server import fixture_body, instance_body, sse_event  # noqa: E402
from ws_server import WSServer, frame  # noqa: E402

import mastodon._websocket as transport  # noqa: E402
from mastodon import (  # noqa: E402
    CallbackStreamListener, MastodonIllegalArgumentError, MastodonMalformedEventError, MastodonNetworkError,
    StreamHandle, StreamListener, WebSocketStreamHandle, WebSocketSubscription,
)
from mastodon.errors import MastodonAPIError, MastodonError, MastodonReadTimeout, MastodonRedirectError  # noqa: E402

TOKEN = "test-token_0123456789abcdef"


class Recorder(WaitingListener, StreamListener):
    def on_update(self, status, for_stream=None):
        self._add(("update", status.id, for_stream))

    def on_delete(self, status_id):
        self._add(("delete", status_id))

    def on_notification(self, notification):
        self._add(("notification", notification.id))

    def on_filters_changed(self):
        self._add(("filters_changed",))

    def on_notifications_merged(self):
        self._add(("notifications_merged",))

    def on_unknown_event(self, name, unknown_event=None):
        self._add(("unknown", name, unknown_event))

    def on_websocket_error(self, error, for_stream=None):
        self._add(("ws_error", error, for_stream))

    def on_abort(self, err):
        self._add(("abort", err))


    def wait_count(self, kind, count, timeout=5.0):
        return self.wait_for(lambda calls: sum(1 for c in calls if c[0] == kind) >= count, timeout)

    def events(self):
        return [c for c in self.calls if c[0] not in ("abort", "ws_error")]

    def of(self, kind):
        return [c for c in self.calls if c[0] == kind]


@pytest.fixture
def ws():
    with WSServer() as running:
        yield running


@pytest.fixture
def ws_api(server, make_api, ws):
    """A client whose instance names the local WebSocket server as its streaming API."""
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(ws.url)))
    return make_api(access_token=TOKEN)


def held(ws):
    ws.hold(30)


@pytest.fixture
def handles():
    opened = []
    yield opened
    for handle in opened:
        handle.close()


def open_handle(api, handles, listener=None, **options):
    handle = api.stream_open_websocket(listener, **options)
    handles.append(handle)
    return handle


# ---------------------------------------------------------------------------------------------
# Handshake and frames sent


def test_handshake_carries_the_token_in_headers_never_in_the_url(ws, ws_api, handles):
    ws.serve(held)
    ws_api.user_agent = "bot/1.0"
    handle = open_handle(ws_api, handles, Recorder())
    assert isinstance(handle, WebSocketStreamHandle) and isinstance(handle, StreamHandle)
    assert ws.wait_for_connections(1)
    conn = ws.connections[0]
    assert conn.path == "/api/v1/streaming"
    assert TOKEN not in conn.path
    assert conn.headers["authorization"] == "Bearer " + TOKEN
    assert conn.offered_subprotocols == [TOKEN]
    assert conn.headers["user-agent"] == "bot/1.0"
    assert handle.url == ws.url + "/api/v1/streaming"
    assert handle.connection.subprotocol == TOKEN
    assert handle.is_receiving()


def test_subscribe_and_unsubscribe_send_exactly_mastodons_messages(ws, ws_api, handles):
    ws.serve(held)
    handle = open_handle(ws_api, handles, Recorder())
    user = handle.subscribe("user")
    tag = handle.subscribe("hashtag", tag="Python")
    listed = ws_api.stream_list(12, Recorder(), websocket_handle=handle)
    assert isinstance(user, WebSocketSubscription) and isinstance(listed, WebSocketSubscription)
    assert handle.unsubscribe("hashtag", tag="PYTHON") is handle
    listed.close()
    conn = ws.connections[0]
    conn.wait_for_messages(5)
    assert conn.received_raw == [
        '{"type":"subscribe","stream":"user"}',
        '{"type":"subscribe","stream":"hashtag","tag":"Python"}',
        '{"type":"subscribe","stream":"list","list":"12"}',
        '{"type":"unsubscribe","stream":"hashtag","tag":"Python"}',
        '{"type":"unsubscribe","stream":"list","list":"12"}',
    ]
    assert not tag.active and not listed.active and user.active
    assert handle.subscriptions() == [user]


def test_stream_methods_subscribe_on_a_websocket_handle(ws, ws_api, handles):
    ws.serve(held)
    handle = open_handle(ws_api, handles)
    listener = Recorder()
    ws_api.stream_user(listener, websocket_handle=handle)
    ws_api.stream_user_notifications(listener, websocket_handle=handle)
    ws_api.stream_public(listener, websocket_handle=handle)
    ws_api.stream_local(listener, only_media=True, websocket_handle=handle)
    ws_api.stream_public(listener, remote=True, websocket_handle=handle)
    ws_api.stream_public(listener, only_media=True, websocket_handle=handle)
    ws_api.stream_hashtag("Rust", listener, local=True, websocket_handle=handle)
    ws_api.stream_direct(listener, websocket_handle=handle)
    received = ws.connections[0].wait_for_messages(8)
    assert received == [
        {"type": "subscribe", "stream": "user"},
        {"type": "subscribe", "stream": "user:notification"},
        {"type": "subscribe", "stream": "public"},
        {"type": "subscribe", "stream": "public:local:media"},
        {"type": "subscribe", "stream": "public:remote"},
        {"type": "subscribe", "stream": "public:media"},
        {"type": "subscribe", "stream": "hashtag:local", "tag": "Rust"},
        {"type": "subscribe", "stream": "direct"},
    ]
    assert len(handle.subscriptions()) == 8


def test_bad_subscriptions_are_refused_before_sending(ws, ws_api, handles):
    ws.serve(held)
    handle = open_handle(ws_api, handles)
    with pytest.raises(MastodonIllegalArgumentError, match="websocket_handle"):
        ws_api.stream_user(Recorder(), websocket_handle=object())
    with pytest.raises(MastodonIllegalArgumentError):
        handle.subscribe("user")  # no listener at all
    handle.subscribe("hashtag", Recorder(), tag="x")
    with pytest.raises(MastodonIllegalArgumentError, match="Already subscribed"):
        handle.subscribe("hashtag", Recorder(), tag="X")
    with pytest.raises(MastodonIllegalArgumentError, match="Not subscribed"):
        handle.unsubscribe("list", list="3")
    handle.close()
    with pytest.raises(MastodonIllegalArgumentError):
        handle.subscribe("user", Recorder())
    assert ws.connections[0].wait_for_messages(1) == [{"type": "subscribe", "stream": "hashtag", "tag": "x"}]


# ---------------------------------------------------------------------------------------------
# Routing


def test_events_are_routed_to_each_subscriptions_listener(ws, ws_api, handles):
    def script(conn):
        conn.wait_for_messages(3)
        conn.status(1, stream=["user"])
        conn.status(2, stream=["hashtag", "python"])  # the tag as the server spells it
        conn.status(3, stream=["list", "12"])
        conn.status(4, stream=["public:local"])  # nobody subscribed: the default listener
        conn.event("delete", "5", stream=["user"])
        conn.event("notification", json.dumps({"id": "6", "type": "mention"}), stream=["user"])
        conn.event("filters_changed", stream=["user"])
        conn.event("notifications_merged", "undefined", stream=["user"])
        conn.hold()

    ws.serve(script)
    default, user, tag, listed = Recorder(), Recorder(), Recorder(), Recorder()
    handle = open_handle(ws_api, handles, default)
    handle.subscribe("user", user)
    handle.subscribe("hashtag", tag, tag="Python")
    ws_api.stream_list(12, listed, websocket_handle=handle)
    assert user.wait_for(lambda calls: len(calls) == 5)
    assert user.calls == [("update", 1, ["user"]), ("delete", 5), ("notification", 6), ("filters_changed",),
                          ("notifications_merged",)]
    assert tag.calls == [("update", 2, ["hashtag", "python"])]
    assert listed.calls == [("update", 3, ["list", "12"])]
    assert default.calls == [("update", 4, ["public:local"])]


def test_error_frames_go_to_on_websocket_error_and_reading_goes_on(ws, ws_api, handles):
    def script(conn):
        conn.wait_for_messages(1)
        conn.send_json({"error": "Unknown stream type", "status": 400})
        conn.status(7)
        conn.hold()

    ws.serve(script)
    user = Recorder()
    handle = open_handle(ws_api, handles, user)
    sub = handle.subscribe("user")
    assert user.wait_count("update", 1)
    (_, error, for_stream), = user.of("ws_error")
    assert isinstance(error, MastodonAPIError) and error.status_code == 400
    assert error.args == ("WebSocket streaming subscription failed", 400, "Unknown stream type")
    assert for_stream is None and sub.active and handle.is_receiving()


def test_callback_listener_stream_error_handler_and_notifications_merged(ws, ws_api, handles):
    got = []

    def script(conn):
        conn.wait_for_messages(1)
        conn.send_json({"error": "nope", "status": 401})
        conn.event("notifications_merged", stream=["user"])
        conn.hold()

    ws.serve(script)
    listener = CallbackStreamListener(notifications_merged_handler=lambda: got.append("merged"),
                                      stream_error_handler=lambda error, stream: got.append((error.error, stream)))
    open_handle(ws_api, handles, listener).subscribe("user")
    deadline = time.monotonic() + 5
    while len(got) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert got == [("nope", None), "merged"]


# ---------------------------------------------------------------------------------------------
# Malformed input, refused handshakes


def test_malformed_frames_are_reported_and_skipped(ws, ws_api, handles):
    def script(conn):
        conn.wait_for_messages(1)
        conn.send_text("not json")
        conn.send_text("[1, 2]")
        conn.send_text('{"stream": ["user"], "event": "update"}')
        conn.send_text('{"stream": ["user"], "event": "update", "payload": "{bad"}')
        conn.send_text('{"stream": ["user"], "payload": "{}"}')
        conn.send_binary(b'\xff\xfe{"x"')
        conn.status(9)
        conn.hold()

    ws.serve(script)
    user = Recorder()
    handle = open_handle(ws_api, handles, user)
    handle.subscribe("user")
    assert user.wait_count("update", 1)
    errors = [call[1] for call in user.of("ws_error")]
    assert len(errors) == 6 and all(isinstance(e, MastodonMalformedEventError) for e in errors)
    assert [e.args[0] for e in errors] == ["Bad WebSocket JSON", "Malformed WebSocket event", "Missing field",
                                           "Bad JSON", "Missing field", "Bad WebSocket JSON"]
    assert user.of("abort") == [] and handle.reconnects == 0


def test_a_protocol_violation_is_a_network_error_and_the_stream_reconnects(ws, ws_api, handles):
    def broken(conn):
        conn.wait_for_messages(1)
        conn.raw(b"\x8f\x00")  # a frame with a reserved opcode
        conn.hold(2)

    def good(conn):
        conn.wait_for_messages(1)
        conn.status(10)
        conn.hold()

    ws.serve(broken, good)
    user = Recorder()
    handle = open_handle(ws_api, handles, user, reconnect_async=True, reconnect_async_wait_sec=0.01)
    handle.subscribe("user")
    assert user.wait_count("update", 1)
    (_, error), = user.of("abort")
    assert isinstance(error, MastodonNetworkError)
    assert ws.connections[1].received == [{"type": "subscribe", "stream": "user"}]
    assert handle.reconnects == 1


def test_a_refused_token_is_raised_with_its_status(ws, ws_api):
    ws.serve(lambda conn: conn.refuse(401, "The access token is invalid"))
    for reconnect in (False, True):
        with pytest.raises(MastodonNetworkError) as caught:
            ws_api.stream_open_websocket(Recorder(), reconnect_async=reconnect)
        assert caught.value.status_code == 401
        assert caught.value.error == "The access token is invalid"


def test_a_redirected_handshake_is_not_followed(ws, ws_api):
    ws.serve(lambda conn: conn.redirect("ws://elsewhere.example/api/v1/streaming"))
    with pytest.raises(MastodonRedirectError) as caught:
        ws_api.stream_open_websocket(Recorder())
    assert caught.value.target == "ws://elsewhere.example/api/v1/streaming"
    assert len(ws.connections) == 1


def test_without_the_extra_the_methods_name_it(ws_api, monkeypatch):
    monkeypatch.setattr(transport, "AVAILABLE", False)
    with pytest.raises(NotImplementedError, match=r'pip install "mastodon\[websocket\]"'):
        ws_api.stream_open_websocket(Recorder())
    ws_api.streaming_transport = "websocket"
    with pytest.raises(NotImplementedError, match="websocket"):
        ws_api.stream_user(Recorder(), run_async=True)


@settings(max_examples=150, deadline=None)
@given(st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200),
    st.dictionaries(st.sampled_from(["stream", "event", "payload", "error", "status"]),
                    st.one_of(st.none(), st.integers(), st.text(max_size=30), st.lists(st.text(max_size=8)),
                              st.sampled_from(["update", "delete", "notification", "filters_changed",
                                               "notifications_merged", "status.update", '{"id": "1"}',
                                               "undefined", "null", "[1]", '"x"']))).map(json.dumps),
))
def test_frame_parser_raises_only_mastodon_errors(message):
    listener = StreamListener()
    listener.on_websocket_error = lambda error, for_stream=None: None
    try:
        listener.handle_websocket_message(message)
    except MastodonError:
        pass
    quiet = StreamListener()
    quiet.on_websocket_error = lambda error, for_stream=None: None
    handle = WebSocketStreamHandle("ws://127.0.0.1:9/api/v1/streaming", None, None, quiet, start=False)
    handle.subscribe("user", quiet)
    handle._on_message(message.encode() if isinstance(message, str) else message)  # never raises


# ---------------------------------------------------------------------------------------------
# Liveness, reconnects, backfill


def test_a_silent_server_is_pinged_and_a_dead_one_replaced(ws, ws_api, handles):
    ws.serve(lambda conn: conn.stall(30), held)
    user = Recorder()
    started = time.monotonic()
    handle = open_handle(ws_api, handles, user, reconnect_async=True, reconnect_async_wait_sec=0.01,
                         liveness_timeout=0.3)
    assert user.wait_count("abort", 1)
    assert 0.25 < time.monotonic() - started < 2.0
    assert isinstance(user.of("abort")[0][1], MastodonReadTimeout)
    assert ws.wait_for_connections(2)
    # The second server answers pings: a quiet but live connection is kept.
    live = ws.connections[1]
    assert live.wait_for(lambda conn: conn.pings >= 2, 3.0)
    assert len(user.of("abort")) == 1 and handle.is_receiving()


def test_reconnect_resubscribes_and_backfills_without_loss_or_duplicates(ws, ws_api, server, handles):
    def first(conn):
        conn.wait_for_messages(2)
        conn.status(1)
        conn.status(2)
        conn.status(20, stream=["hashtag", "Python"])
        conn.wait_for(lambda c: False, 0.3)
        conn.drop()

    def second(conn):
        conn.wait_for_messages(2)
        conn.status(4)  # also in the backfill: delivered once
        conn.status(5)
        conn.status(22, stream=["hashtag", "python"])
        conn.hold()

    server.route("GET", "/api/v1/timelines/home", Response(200, [{"id": "4"}, {"id": "3"}]))
    server.route("GET", "/api/v1/timelines/tag/Python", Response(200, [{"id": "21"}]))
    ws.serve(first, second)
    user, tag = Recorder(), Recorder()
    handle = open_handle(ws_api, handles, None, reconnect_async=True, reconnect_async_wait_sec=0.01,
                         backfill=True)
    handle.subscribe("user", user)
    ws_api.stream_hashtag("Python", tag, websocket_handle=handle)
    assert user.wait_count("update", 5) and tag.wait_count("update", 3)
    time.sleep(0.1)
    assert [c[1] for c in user.of("update")] == [1, 2, 3, 4, 5]
    assert [c[1] for c in tag.of("update")] == [20, 21, 22]
    assert user.of("update")[2] == ("update", 3, ["user"])  # backfilled events name their stream
    assert ws.connections[1].received == ws.connections[0].received == [
        {"type": "subscribe", "stream": "user"}, {"type": "subscribe", "stream": "hashtag", "tag": "Python"}]
    home = [r for r in server.requests if r.path == "/api/v1/timelines/home"]
    assert dict(home[0].query) == {"since_id": "2", "limit": "40"}
    assert handle.reconnects == 1 and len(user.of("abort")) == 1


def test_first_connection_failure_keeps_trying_with_reconnect(ws, ws_api, handles):
    ws.serve(lambda conn: conn.refuse(503, "busy"), held)
    user = Recorder()
    handle = open_handle(ws_api, handles, user, reconnect_async=True, reconnect_async_wait_sec=0.01)
    handle.subscribe("user")
    assert ws.wait_for_connections(2)
    assert ws.connections[1].wait_for_messages(1) == [{"type": "subscribe", "stream": "user"}]
    assert user.of("abort")[0][1].status_code == 503


# ---------------------------------------------------------------------------------------------
# Closing


def test_close_returns_promptly_while_the_server_stalls(ws, ws_api):
    ws.serve(lambda conn: conn.stall(30))
    handle = ws_api.stream_open_websocket(Recorder())
    time.sleep(0.05)
    started = time.monotonic()
    handle.close()
    assert time.monotonic() - started < 1.0
    assert not handle.is_alive() and handle.closed and not handle.is_receiving()
    assert not [t for t in threading.enumerate() if t.name == "mastodon-websocket"]


def test_close_from_a_handler_returns_promptly_and_ends_the_thread(ws, ws_api):
    timing = {}

    class Closer(Recorder):
        def on_update(self, status, for_stream=None):
            started = time.monotonic()
            handle.close()
            timing["close"] = time.monotonic() - started
            super().on_update(status, for_stream)

    def script(conn):
        conn.wait_for_messages(1)
        conn.status(1)
        conn.status(2)  # read after close(): never delivered
        conn.hold()

    ws.serve(script)
    listener = Closer()
    handle = ws_api.stream_open_websocket(listener)
    handle.subscribe("user")
    assert listener.wait_count("update", 1)
    handle.join(1.0)
    assert timing["close"] < 1.0 and not handle.is_alive()
    assert listener.of("update") == [("update", 1, ["user"])]
    assert ws.connections[0].wait_for(lambda conn: conn.closed, 2.0)


def test_close_during_the_reconnect_wait_is_prompt(ws, ws_api):
    ws.serve(lambda conn: conn.refuse(502, "down"))
    user = Recorder()
    handle = ws_api.stream_open_websocket(user, reconnect_async=True, reconnect_async_wait_sec=30)
    assert user.wait_count("abort", 1)
    started = time.monotonic()
    with handle:
        pass
    assert time.monotonic() - started < 1.0 and not handle.is_alive()


# ---------------------------------------------------------------------------------------------
# The stream_* methods over a WebSocket (servers without SSE endpoints)


def test_streaming_transport_websocket_streams_through_the_stream_methods(ws, ws_api):
    def script(conn):
        conn.wait_for_messages(1)
        conn.status(31, stream=["hashtag", "python"])
        conn.close()

    ws.serve(script)
    ws_api.streaming_transport = "websocket"
    listener = Recorder()
    with pytest.raises(MastodonNetworkError, match="closed the connection"):
        ws_api.stream_hashtag("python", listener)  # blocking, as over SSE
    assert listener.of("update") == [("update", 31, ["hashtag", "python"])]
    assert ws.connections[0].received == [{"type": "subscribe", "stream": "hashtag", "tag": "python"}]
    assert ws.plain_requests == []


def test_auto_transport_falls_back_to_a_websocket_when_sse_is_missing(ws, ws_api, handles):
    def script(conn):
        conn.wait_for_messages(1)
        conn.status(41)
        conn.hold()

    ws.serve(script)
    ws_api.streaming_transport = "auto"
    listener = Recorder()
    handle = ws_api.stream_user(listener, run_async=True, reconnect_async=True)
    handles.append(handle)
    assert isinstance(handle, WebSocketStreamHandle)
    assert listener.wait_count("update", 1)
    assert ws.plain_requests == ["/api/v1/streaming/user"]
    assert ws.connections[0].received == [{"type": "subscribe", "stream": "user"}]
    ws_api.streaming_transport = "carrier pigeon"
    with pytest.raises(MastodonIllegalArgumentError):
        ws_api.stream_user(listener)


# ---------------------------------------------------------------------------------------------
# Events without a payload (SSE too)


class Chunks:
    def __init__(self, data):
        self.data = data

    def iter_content(self, chunk_size=1):
        return iter([self.data])


def test_events_without_data_are_delivered_never_aborting_the_stream():
    listener = Recorder()
    listener.handle_stream(Chunks(
        b"event: notifications_merged\ndata: undefined\n\n"
        b"event: notifications_merged\n\n"
        b"event: filters_changed\n\n"
        b":thump\n\n"
        b"event: quote_revoked\n\n"
        b"event: quote_revoked\ndata: undefined\n\n"
        + sse_event("delete", "AbC123flake")))
    assert listener.calls == [("notifications_merged",), ("notifications_merged",), ("filters_changed",),
                              ("unknown", "quote_revoked", None), ("unknown", "quote_revoked", None),
                              ("delete", "AbC123flake")]


def test_a_pre_2_3_notifications_merged_handler_with_a_payload_still_works():
    class Old(StreamListener):
        def __init__(self):
            self.got = []

        def on_notifications_merged(self, payload):
            self.got.append(payload)

    listener = Old()
    listener.handle_websocket_message(frame("notifications_merged", '"done"'))
    listener.handle_websocket_message(frame("notifications_merged"))
    assert listener.got == ["done", None]


# ---------------------------------------------------------------------------------------------
# The bot of docs/streaming.rst, run as written


def docs_example(name):
    """The code block of docs/streaming.rst named ``name``, dedented."""
    import os
    import textwrap
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "streaming.rst")
    text = open(path, encoding="utf-8").read()
    block = text.split(f":name: {name}\n", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line and not line.startswith("    "):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines))


def test_the_documented_websocket_bot_runs(ws, server, make_api, monkeypatch):
    import re
    notification = fixture_body("GET_api_v1_notifications_id_200")
    tagged = dict(fixture_body("GET_api_v1_statuses_id_200"), id="555")

    def script(conn):
        conn.wait_for_messages(2)
        conn.event("notification", json.dumps(notification), stream=["user:notification"])
        conn.event("update", json.dumps(tagged), stream=["hashtag", "python"])
        conn.hold()

    ws.serve(script)
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(ws.url)))
    server.fixture("GET_api_v1_accounts_verify_credentials_200")
    server.fixture("POST_api_v1_statuses_200")
    server.fixture("POST_api_v1_statuses_id_favourite_200", path=re.compile(r"/api/v1/statuses/\d+/favourite"))
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BOT_INSTANCE", server.url)
    code = docs_example("websocket-bot")
    namespace = {"__name__": "websocket_bot"}
    exec(compile(code, "docs/streaming.rst", "exec"), namespace)
    stop = threading.Event()
    bot = threading.Thread(target=namespace["run"], args=(stop,), daemon=True)
    bot.start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (
            any(r.path == "/api/v1/statuses" for r in server.requests)
            and any(r.path.endswith("/favourite") for r in server.requests)):
        time.sleep(0.01)
    stop.set()
    bot.join(2.0)
    assert not bot.is_alive()
    reply, = [r for r in server.requests if r.path == "/api/v1/statuses"]
    assert dict(reply.form)["in_reply_to_id"] == str(notification["status"]["id"])
    assert "Hello!" in dict(reply.form)["status"]
    assert [r.path for r in server.requests if r.path.endswith("/favourite")] == ["/api/v1/statuses/555/favourite"]
    assert ws.connections[0].received == [{"type": "subscribe", "stream": "user:notification"},
                                          {"type": "subscribe", "stream": "hashtag", "tag": "python"}]
    assert ws.connections[0].wait_for(lambda conn: conn.closed, 2.0)


class ConnectProxy:
    """An HTTP proxy: tunnels (``CONNECT``, each head recorded) and forwards plain requests (the
    REST calls, which go through the session's proxy too)."""

    def __init__(self):
        import socket
        self.heads = []
        self.forwarded = []
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        import socket
        while True:
            try:
                client, _ = self._socket.accept()
            except OSError:
                return
            head = b""
            while b"\r\n\r\n" not in head:
                head += client.recv(4096)
            method, target, rest = head.split(b" ", 2)
            if method == b"CONNECT":
                self.heads.append(head.decode("latin-1"))
                host, port = target.decode().rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)))
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                parts = urlsplit(target.decode())
                self.forwarded.append(parts.path)
                upstream = socket.create_connection((parts.hostname, parts.port))
                upstream.sendall(b" ".join((method, (parts.path or "/").encode(), rest)))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            try:
                sock.close()
            except OSError:
                pass

    def close(self):
        self._socket.close()


def test_the_websocket_goes_through_the_sessions_http_proxy(ws, ws_api, handles):
    def script(conn):
        conn.wait_for_messages(1)
        conn.status(61)
        conn.hold()

    ws.serve(script)
    proxy = ConnectProxy()
    try:
        ws_api.session.proxies = {"http": f"http://user:pw@127.0.0.1:{proxy.port}"}
        listener = Recorder()
        open_handle(ws_api, handles, listener).subscribe("user")
        assert listener.wait_count("update", 1)
    finally:
        proxy.close()
    head, = proxy.heads
    assert head.startswith(f"CONNECT 127.0.0.1:{ws.port} HTTP/1.1\r\n")
    assert "Proxy-Authorization: Basic dXNlcjpwdw==\r\n" in head
    assert TOKEN not in head  # the token travels inside the tunnel only
    assert ws.connections[0].headers["authorization"] == "Bearer " + TOKEN


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    import datetime
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return str(folder / "cert.pem"), str(folder / "key.pem")


def test_wss_verifies_as_the_session_does_and_reads_whole_tls_records(tls_files, server, make_api, handles):
    import ssl
    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    big = "x" * 40000  # frames spanning several TLS records

    def script(conn):
        conn.wait_for_messages(1)
        for number in range(1, 201):
            conn.event("update", json.dumps({"id": str(number), "content": big if number % 50 == 0 else "hi"}))
        conn.hold()

    with WSServer(ssl_context=context) as wss:
        wss.serve(script)
        server.route("GET", "/api/v1/instance/", Response(200, instance_body(wss.url)))
        api = make_api(access_token=TOKEN)
        with pytest.raises(MastodonNetworkError, match="CERTIFICATE_VERIFY_FAILED"):
            api.stream_open_websocket(Recorder())  # the system's CAs do not know this certificate
        api.session.verify = cert
        listener = Recorder()
        open_handle(api, handles, listener).subscribe("user")
        assert listener.wait_count("update", 200)
        assert [call[1] for call in listener.of("update")] == list(range(1, 201))
        assert wss.connections[-1].headers["authorization"] == "Bearer " + TOKEN
