"""Streaming: the SSE parser, dispatch, the listeners, the stream_* endpoints and their errors."""

import datetime
import inspect
import json
import threading
import time

import pytest

from mastodon.errors import MastodonRedirectError
import requests
from urllib3.exceptions import ReadTimeoutError

from conftest import TOKEN
from server import Response
from sse_server import SSEServer, fixture_body, instance_body, real_payloads, sse_event

from mastodon import CallbackStreamListener, StreamListener
from mastodon.errors import (
    MastodonAPIError, MastodonIllegalArgumentError, MastodonMalformedEventError, MastodonNetworkError,
    MastodonReadTimeout,
)

PAYLOADS = real_payloads()
STATUS = fixture_body("GET_api_v1_statuses_id_200")
NOTIFICATION = fixture_body("GET_api_v1_notifications_id_200")


class Recorder(StreamListener):
    """Records every call as a tuple."""

    def __init__(self):
        self.calls = []

    def on_update(self, status):
        self.calls.append(("update", status))

    def on_delete(self, status_id):
        self.calls.append(("delete", status_id))

    def on_notification(self, notification):
        self.calls.append(("notification", notification))

    def on_filters_changed(self):
        self.calls.append(("filters_changed",))

    def on_conversation(self, conversation):
        self.calls.append(("conversation", conversation))

    def on_announcement(self, annoucement):
        self.calls.append(("announcement", annoucement))

    def on_announcement_reaction(self, reaction):
        self.calls.append(("announcement.reaction", reaction))

    def on_announcement_delete(self, annoucement_id):
        self.calls.append(("announcement.delete", annoucement_id))

    def on_status_update(self, status):
        self.calls.append(("status.update", status))

    def on_encrypted_message(self, unclear):
        self.calls.append(("encrypted_message", unclear))

    def on_unknown_event(self, name, unknown_event=None):
        self.calls.append(("unknown", name, unknown_event))

    def on_abort(self, err):
        self.calls.append(("abort", err))

    def handle_heartbeat(self):
        self.calls.append(("heartbeat",))

    def names(self):
        return [call[0] for call in self.calls]


class FakeResponse:
    """Anything with iter_content can be fed to handle_stream; this one cuts the body into
    pieces of ``piece`` bytes (default: the requested chunk size) and may fail at the end."""

    def __init__(self, data, piece=None, error=None):
        self.data = data
        self.piece = piece
        self.error = error
        self.requested = []

    def iter_content(self, chunk_size=1):
        self.requested.append(chunk_size)
        step = self.piece or chunk_size
        for start in range(0, len(self.data), step):
            yield self.data[start:start + step]
        if self.error is not None:
            raise self.error


def feed(data, piece=None, listener=None, error=None):
    listener = listener or Recorder()
    listener.handle_stream(FakeResponse(data, piece, error))
    return listener


ALL_EVENTS = b":)\n" + b"".join(sse_event(name, data) for name, data in PAYLOADS.items())


# ---------------------------------------------------------------------------------------------
# Parsing and dispatch


def test_every_event_type_reaches_its_handler_with_parsed_payloads():
    listener = feed(ALL_EVENTS)
    assert listener.names() == ["heartbeat", "update", "status.update", "notification", "conversation", "delete",
                                "announcement", "announcement.reaction", "announcement.delete",
                                "encrypted_message", "filters_changed"]
    calls = {call[0]: call for call in listener.calls}
    status = calls["update"][1]
    assert status.id == int(STATUS["id"]) and isinstance(status.id, int)
    assert status.account.id == int(STATUS["account"]["id"])
    assert isinstance(status.created_at, datetime.datetime) and status.created_at.tzinfo is not None
    assert status.content == STATUS["content"]
    assert calls["notification"][1].id == int(NOTIFICATION["id"])
    assert calls["notification"][1].status.id == int(NOTIFICATION["status"]["id"])
    assert calls["delete"][1] == int(STATUS["id"])
    assert calls["announcement.delete"][1] == 8
    assert calls["announcement.reaction"][1] == {"name": "\U0001F44D", "count": 2, "announcement_id": 8} or \
        calls["announcement.reaction"][1].name == "\U0001F44D"
    assert calls["announcement"][1].published_at == datetime.datetime(2026, 8, 1, 10, 0, tzinfo=datetime.timezone.utc)
    assert calls["conversation"][1].last_status.visibility == "direct"
    assert calls["filters_changed"] == ("filters_changed",)


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 7, 64, 1000, None])
def test_chunk_boundaries_anywhere_give_the_same_events(piece):
    reference = feed(ALL_EVENTS).calls
    assert feed(ALL_EVENTS, piece=piece).calls == reference


def test_multibyte_characters_split_between_chunks():
    text = "caf\u00e9 \U0001F600 \u65e5\u672c"
    data = sse_event("update", json.dumps({"id": "1", "content": text}, ensure_ascii=False))
    for piece in (1, 2, 3):
        listener = feed(data, piece=piece)
        assert listener.calls == [("update", {"id": 1, "content": text})]


def test_reads_in_large_chunks():
    response = FakeResponse(ALL_EVENTS)
    Recorder().handle_stream(response)
    assert response.requested and all(size >= 16384 for size in response.requested)


def test_repeated_data_lines_are_joined_with_newlines():
    data = b'event: update\ndata: {"id": "5",\ndata: "content": "a"}\n\n'
    assert feed(data).calls == [("update", {"id": 5, "content": "a"})]
    data = b"event: unknown_kind\ndata: \"line one\ndata: line two\"\n\n"
    with pytest.raises(MastodonMalformedEventError):
        feed(data)  # a JSON string cannot contain a raw newline


def test_heartbeats_and_comments_call_handle_heartbeat():
    listener = feed(b":)\n:thump\n" + sse_event("delete", "7") + b":thump\n")
    assert listener.calls == [("heartbeat",), ("heartbeat",), ("delete", 7), ("heartbeat",)]


def test_crlf_line_endings_are_accepted():
    assert feed(b"event: delete\r\ndata: 12\r\n\r\n").calls == [("delete", 12)]


def test_blank_lines_without_an_event_are_ignored():
    assert feed(b"\n\n:thump\n\n" + sse_event("delete", "3") + b"\n\n").names() == ["heartbeat", "delete"]


def test_unknown_event_goes_to_on_unknown_event():
    listener = feed(sse_event("quote_approved", '{"x": 1}'))
    assert listener.calls == [("unknown", "quote_approved", {"x": 1})]


@pytest.mark.parametrize("name", ["abort", "unknown_event", "any_event", "Update", "update;rm"])
def test_event_names_that_are_not_handlers_count_as_unknown(name):
    listener = feed(sse_event(name, '"x"'))
    assert listener.calls == [("unknown", name, "x")]


def test_user_defined_handler_for_new_event_is_called():
    class Custom(Recorder):
        def on_notifications_merged(self, payload):
            self.calls.append(("merged", payload))

    assert feed(sse_event("notifications_merged", '"done"'), listener=Custom()).calls == [("merged", "done")]


def test_for_stream_is_passed_to_handlers_that_ask_for_it():
    class WithStream(Recorder):
        def on_update(self, status, for_stream=None):
            self.calls.append(("update", status.id, for_stream))

        def on_unknown_event(self, name, unknown_event=None, for_stream=None):
            self.calls.append(("unknown", name, for_stream))

    data = (sse_event("update", '{"id": "1"}', stream='["hashtag", "python"]')
            + sse_event("update", '{"id": "2"}')
            + sse_event("weird", "1", stream="user"))
    assert feed(data, listener=WithStream()).calls == [
        ("update", 1, ["hashtag", "python"]), ("update", 2, None), ("unknown", "weird", "user")]


def test_on_any_event_sees_every_event_after_its_handler():
    class Any(Recorder):
        def on_any_event(self, name, data=None, for_stream=None):
            self.calls.append(("any", name, data))

    listener = feed(sse_event("delete", "4") + sse_event("mystery", "5") + sse_event("filters_changed", "undefined"),
                    listener=Any())
    assert listener.calls == [("delete", 4), ("any", "delete", 4), ("unknown", "mystery", 5),
                              ("any", "mystery", 5), ("filters_changed",), ("any", "filters_changed", None)]


# ---------------------------------------------------------------------------------------------
# Malformed input and read errors: on_abort first, then the exception


@pytest.mark.parametrize("data, first_arg", [
    (b"event: update\ngarbage line\n\n", "Malformed event."),
    (b"event: update\ndata: {not json\n\n", "Bad JSON"),
    (b"event: update\n\n", "Missing field"),
    (b"data: {}\n\n", "Missing field"),
    (b"event: update\ndata: \"\xff\xfe\"\n\n", "Malformed UTF-8"),
])
def test_malformed_input_calls_on_abort_then_raises(data, first_arg):
    listener = Recorder()
    with pytest.raises(MastodonMalformedEventError) as caught:
        feed(data, listener=listener)
    assert caught.value.args[0] == first_arg
    assert listener.calls == [("abort", caught.value)]


def test_missing_field_names_the_field_and_event():
    with pytest.raises(MastodonMalformedEventError) as caught:
        feed(b"event: update\n\n")
    assert caught.value.args == ("Missing field", "data", {"event": "update"})


def test_bad_json_carries_the_data():
    with pytest.raises(MastodonMalformedEventError) as caught:
        feed(b"event: update\ndata: {nope\n\n")
    assert caught.value.args == ("Bad JSON", "{nope")


def test_events_before_a_malformed_one_are_delivered():
    listener = Recorder()
    with pytest.raises(MastodonMalformedEventError):
        feed(sse_event("delete", "1") + b"event: delete\ndata: [\n\n", listener=listener)
    assert listener.names() == ["delete", "abort"]


@pytest.mark.parametrize("error, expected", [
    (requests.exceptions.ChunkedEncodingError("broken"), MastodonNetworkError),
    (requests.exceptions.ConnectionError("reset"), MastodonNetworkError),
    (requests.exceptions.ReadTimeout("slow"), MastodonReadTimeout),
    (requests.exceptions.ConnectionError(ReadTimeoutError(None, "/", "Read timed out.")), MastodonReadTimeout),
    (ConnectionResetError("reset by peer"), MastodonNetworkError),
])
def test_read_errors_map_to_library_errors(error, expected):
    listener = Recorder()
    with pytest.raises(expected) as caught:
        feed(sse_event("delete", "1"), listener=listener, error=error)
    assert type(caught.value) is expected
    assert listener.calls == [("delete", 1), ("abort", caught.value)]


def test_handler_exceptions_propagate_unchanged_without_on_abort():
    class Failing(Recorder):
        def on_delete(self, status_id):
            raise KeyError("bot bug")

    listener = Failing()
    with pytest.raises(KeyError):
        feed(sse_event("delete", "1"), listener=listener)
    assert listener.calls == []


def test_an_endless_line_is_refused(monkeypatch):
    import mastodon.streaming as streaming
    monkeypatch.setattr(streaming, "_MAX_LINE_BYTES", 1000)
    with pytest.raises(MastodonMalformedEventError):
        feed(b"data: " + b"x" * 5000, piece=100)


# ---------------------------------------------------------------------------------------------
# Listener classes


def test_listener_method_names_and_parameters_match_mastodon_py():
    def params(cls, name):
        return list(inspect.signature(getattr(cls, name)).parameters)[1:]

    assert params(StreamListener, "on_update") == ["status"]
    assert params(StreamListener, "on_delete") == ["status_id"]
    assert params(StreamListener, "on_announcement") == ["annoucement"]
    assert params(StreamListener, "on_announcement_delete") == ["annoucement_id"]
    assert params(StreamListener, "on_encrypted_message") == ["unclear"]
    assert params(StreamListener, "on_unknown_event") == ["name", "unknown_event"]
    assert params(StreamListener, "on_any_event") == ["name", "data", "for_stream"]
    assert params(StreamListener, "handle_stream") == ["response"]
    assert params(StreamListener, "_parse_line") == ["line", "event"]
    assert params(CallbackStreamListener, "on_delete") == ["deleted_id"]
    init = params(CallbackStreamListener, "__init__")
    assert init[:12] == [
        "update_handler", "local_update_handler", "delete_handler", "notification_handler",
        "conversation_handler", "unknown_event_handler", "status_update_handler", "filters_changed_handler",
        "announcement_handler", "announcement_reaction_handler", "announcement_delete_handler",
        "encryted_message_handler"]


def test_callback_listener_calls_each_handler():
    got = []
    names = ["update", "delete", "notification", "conversation", "status_update", "filters_changed",
             "announcement", "announcement_reaction", "announcement_delete"]
    handlers = {f"{name}_handler": (lambda *args, _n=name: got.append((_n,) + args)) for name in names}
    listener = CallbackStreamListener(
        encryted_message_handler=lambda payload: got.append(("encrypted", payload)),
        unknown_event_handler=lambda name, payload: got.append(("unknown", name, payload)),
        **handlers)
    feed(ALL_EVENTS + sse_event("brand_new", "1"), listener=listener)
    kinds = [entry[0] for entry in got]
    assert kinds == ["update", "status_update", "notification", "conversation", "delete", "announcement",
                     "announcement_reaction", "announcement_delete", "encrypted", "filters_changed", "unknown"]
    assert got[0][1].id == int(STATUS["id"])
    assert got[-1] == ("unknown", "brand_new", 1)


def test_local_update_handler_only_gets_local_accounts():
    local, every = [], []
    listener = CallbackStreamListener(update_handler=every.append, local_update_handler=local.append)
    data = (sse_event("update", '{"id": "1", "account": {"acct": "alice"}}')
            + sse_event("update", '{"id": "2", "account": {"acct": "bob@remote.example"}}'))
    feed(data, listener=listener)
    assert [s.id for s in every] == [1, 2]
    assert [s.id for s in local] == [1]


def test_callback_listener_without_handlers_ignores_events():
    feed(ALL_EVENTS + sse_event("brand_new", "1"), listener=CallbackStreamListener())


def test_correctly_spelt_encrypted_keyword_works_too():
    got = []
    feed(sse_event("encrypted_message", '"x"'), listener=CallbackStreamListener(encrypted_message_handler=got.append))
    assert got == ["x"]


# ---------------------------------------------------------------------------------------------
# Endpoints against a real SSE server


def events_then_end(*events):
    def script(stream):
        stream.heartbeat(")")
        for name, data in events:
            stream.event(name, data)
        stream.end()
    return script


ENDPOINT_CASES = [
    (lambda api, l: api.stream_user(l), "/api/v1/streaming/user", []),
    (lambda api, l: api.stream_public(l), "/api/v1/streaming/public", []),
    (lambda api, l: api.stream_public(l, local=True), "/api/v1/streaming/public/local", []),
    (lambda api, l: api.stream_public(l, remote=True), "/api/v1/streaming/public/remote", []),
    (lambda api, l: api.stream_local(l), "/api/v1/streaming/public/local", []),
    (lambda api, l: api.stream_hashtag("python", l), "/api/v1/streaming/hashtag", [("tag", "python")]),
    (lambda api, l: api.stream_hashtag("python", l, local=True), "/api/v1/streaming/hashtag/local",
     [("tag", "python")]),
    (lambda api, l: api.stream_list({"id": 12}, l), "/api/v1/streaming/list", [("list", "12")]),
    (lambda api, l: api.stream_direct(l), "/api/v1/streaming/direct", []),
]


@pytest.mark.parametrize("call, path, query", ENDPOINT_CASES)
def test_stream_methods_open_the_right_endpoint_with_the_token(call, path, query, stream_api, server, sse):
    sse.serve(events_then_end(("update", PAYLOADS["update"]), ("delete", "5")))
    listener = Recorder()
    assert call(stream_api, listener) is None
    assert listener.names() == ["heartbeat", "update", "delete"]
    assert [r.path for r in server.requests] == ["/api/v1/instance/"]
    (connection,) = sse.connections
    assert connection.path == path and connection.query == query
    assert connection.headers["authorization"] == "Bearer " + TOKEN
    assert connection.headers["user-agent"] == "mastodonpy"
    assert "content-length" not in connection.headers or connection.headers["content-length"] == "0"


@pytest.mark.parametrize("fixture, call, names", [
    # The user recording ends in an unterminated ":" line, which is not a complete heartbeat.
    ("GET_api_v1_streaming_user_200", lambda api, l: api.stream_user(l),
     ["heartbeat", "update", "notification", "update", "notification", "status.update", "delete"]),
    ("GET_api_v1_streaming_direct_200", lambda api, l: api.stream_direct(l),
     ["heartbeat", "conversation", "conversation"]),
])
def test_blocking_stream_reads_real_recorded_streams(fixture, call, names, stream_api, sse):
    body = fixture_body(fixture)
    sse.serve(lambda stream: (stream.write_pieces(body.encode("utf-8"), 333), stream.end()))
    listener = Recorder()
    call(stream_api, listener)
    assert listener.names() == names
    if fixture.endswith("user_200"):
        assert listener.calls[-1][1] == 117024236332527350
    else:
        assert listener.calls[1][1].last_status.visibility == "direct"
        assert isinstance(listener.calls[1][1].accounts[0].id, int)


def test_connection_request_is_the_documented_one(stream_api, sse):
    seen = []
    real_get = stream_api.session.get

    def recording_get(url, **kwargs):
        seen.append((url, kwargs))
        return real_get(url, **kwargs)

    stream_api.session.get = recording_get
    stream_api.request_timeout = 17
    sse.serve(events_then_end())
    stream_api.stream_user(Recorder(), timeout=123)
    ((url, kwargs),) = seen
    assert url == sse.url + "/api/v1/streaming/user"
    # The connect timeout is what is left of request_timeout; redirects are followed by the library.
    assert kwargs == dict(headers={"Authorization": "Bearer " + TOKEN, "User-Agent": "mastodonpy"},
                          stream=True, timeout=(pytest.approx(17, abs=1), 123), allow_redirects=False)


def test_unframed_body_of_unknown_length_is_read_without_waiting_to_fill_a_buffer(stream_api, sse):
    def script(stream):
        stream.start(chunked=False)
        stream.write(sse_event("delete", "1") + b":thump\n")
        stream.stall(10)

    class Timed(Recorder):
        def on_delete(self, status_id):
            self.delete_at = time.monotonic()
            super().on_delete(status_id)

    sse.serve(script)
    listener = Timed()
    started = time.monotonic()
    with pytest.raises(MastodonReadTimeout):
        stream_api.stream_user(listener, liveness_timeout=1.5)
    assert listener.names() == ["delete", "heartbeat", "abort"]
    # The event came through at once, although only a few bytes were sent before the stall
    # (not only when the watchdog cut the connection).
    assert listener.delete_at - started < 1.0


@pytest.mark.parametrize("call", [
    lambda api, l: api.stream_public(l, local=True, remote=True),
    lambda api, l: api.stream_hashtag("#python", l),
    lambda api, l: api.stream_hashtag(None, l),
    lambda api, l: api.stream_user(object()),
])
def test_bad_arguments_raise_before_anything_is_sent(call, api, server, sse):
    with pytest.raises(MastodonIllegalArgumentError):
        call(api, Recorder())
    assert server.requests == [] and sse.connections == []


@pytest.mark.parametrize("status", [401, 404, 502])
def test_error_statuses_raise_network_error(status, stream_api, sse):
    sse.serve(lambda stream: stream.respond(status, {"error": "nope"}))
    listener = Recorder()
    with pytest.raises(MastodonNetworkError) as caught:
        stream_api.stream_user(listener)
    assert caught.value.status_code == status
    assert caught.value.args == ("Could not connect to streaming server: " + caught.value.reason,)


def test_dropped_connection_mid_event_calls_on_abort_and_raises(stream_api, sse):
    def script(stream):
        stream.event("delete", "1")
        stream.write(b"event: update\ndata: {\"id\": \"2\", \"cont")
        stream.drop()

    sse.serve(script)
    listener = Recorder()
    with pytest.raises(MastodonNetworkError) as caught:
        stream_api.stream_user(listener, liveness_timeout=None)
    assert type(caught.value) is MastodonNetworkError
    assert listener.calls == [("delete", 1), ("abort", caught.value)]


def test_stalled_stream_raises_read_timeout_after_the_timeout(stream_api, sse):
    sse.serve(lambda stream: (stream.event("delete", "1"), stream.stall(10)))
    listener = Recorder()
    started = time.monotonic()
    with pytest.raises(MastodonReadTimeout):
        stream_api.stream_user(listener, timeout=0.3, liveness_timeout=None)
    assert time.monotonic() - started < 3
    assert listener.names() == ["delete", "abort"]


def test_silent_stream_is_declared_dead_in_blocking_mode(stream_api, sse):
    sse.serve(lambda stream: (stream.heartbeat(), stream.event("delete", "1"), stream.stall(10)))
    listener = Recorder()
    started = time.monotonic()
    with pytest.raises(MastodonReadTimeout):
        stream_api.stream_user(listener, liveness_timeout=0.3)
    assert 0.25 < time.monotonic() - started < 3
    assert listener.names() == ["heartbeat", "delete", "abort"]
    assert not [t for t in threading.enumerate() if t.name.startswith("mastodon-stream")]


def test_server_without_heartbeats_is_left_to_the_read_timeout(stream_api, sse):
    # A server that never sent a heartbeat is not expected to: the watchdog leaves it alone and
    # only the read timeout (here 1.2 s) ends a silence.
    sse.serve(lambda stream: (stream.event("delete", "1"), stream.stall(10)))
    listener = Recorder()
    started = time.monotonic()
    with pytest.raises(MastodonReadTimeout):
        stream_api.stream_user(listener, timeout=1.2, liveness_timeout=0.3)
    assert 1.1 < time.monotonic() - started < 4
    assert listener.names() == ["delete", "abort"]


def test_unknown_events_and_bad_json_from_a_real_server(stream_api, sse):
    sse.serve(events_then_end(("fancy.new", '{"a": 1}'), ("update", "{broken")))
    listener = Recorder()
    with pytest.raises(MastodonMalformedEventError):
        stream_api.stream_user(listener)
    assert listener.names() == ["heartbeat", "unknown", "abort"]


def test_redirect_to_another_host_is_refused_and_nothing_is_sent_there(stream_api, sse):
    # The stream request carries the token: following it elsewhere is refused (issue 11).
    with SSEServer() as other:
        other.serve(events_then_end(("delete", "9")))
        sse.serve(lambda stream: stream.redirect(other.url + "/api/v1/streaming/user"))
        with pytest.raises(MastodonRedirectError, match="another origin") as caught:
            stream_api.stream_user(Recorder())
        assert caught.value.target == other.url + "/api/v1/streaming/user"
        assert sse.connections[0].headers["authorization"] == "Bearer " + TOKEN
        assert other.connections == []


# ---------------------------------------------------------------------------------------------
# Streaming base URL and health


@pytest.mark.parametrize("advertised, expected", [
    ("wss://streaming.example.social", "https://streaming.example.social"),
    ("ws://streaming.example.social:4000/", "http://streaming.example.social:4000"),
    ("wss://example.social/streaming/", "https://example.social"),
    (None, None),
])
def test_streaming_base_from_instance(advertised, expected, server, api):
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(advertised)))
    base = api._Mastodon__get_streaming_base()
    assert base == (expected or server.url)
    if expected:
        host = expected.split("://")[1].split("/")[0]
        assert host in api._Mastodon__trusted_hosts()


def test_streaming_base_same_as_api_is_the_api(server, api):
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(server.url)))
    assert api._Mastodon__get_streaming_base() == server.url


@pytest.mark.parametrize("advertised", ["https://streaming.example", "ftp://x.example", "wss://"])
def test_streaming_base_with_other_scheme_is_an_api_error(advertised, server, api):
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(advertised)))
    with pytest.raises(MastodonAPIError):
        api._Mastodon__get_streaming_base()


@pytest.mark.parametrize("body, healthy", [("OK", True), ("success", True), ("degraded", False)])
def test_stream_healthy(body, healthy, server, api):
    server.route("GET", "/api/v1/instance/", Response(200, instance_body("ws://" + server.url.split("://")[1])))
    server.route("GET", "/api/v1/streaming/health", Response(200, body, {"Content-Type": "text/plain"}))
    assert api.stream_healthy() is healthy
    assert [r.path for r in server.requests] == ["/api/v1/instance/", "/api/v1/streaming/health"]
    assert server.last.headers["authorization"] == "Bearer " + TOKEN


def test_stream_healthy_with_recorded_fixture(server, api):
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(None)))
    server.fixture("GET_api_v1_streaming_health_200")
    assert api.stream_healthy() is True


def test_stream_methods_are_version_gated(make_api, server):
    old = make_api(mastodon_version="2.5.0")
    from mastodon.errors import MastodonVersionError
    with pytest.raises(MastodonVersionError):
        old.stream_direct(Recorder())
    assert server.requests == []
