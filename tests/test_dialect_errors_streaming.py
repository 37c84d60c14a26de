"""Dialect "2" (issue 15): errors, rate limits, streaming control flow and module names, each row
of shared/spec/DIALECTS.md next to its 1.8 side. Row ids (X2, E8, M4, ...) are the spec's.
"""

import http
import importlib
import inspect
import pathlib
import subprocess
import sys
import time
import warnings

import pytest

from server import Response
from sse_server import instance_body, sse_event

import mastodon
from mastodon import CallbackStreamListener, Mastodon, StreamListener
from mastodon import _dialect, _websocket
from mastodon.errors import (
    MastodonAPIError, MastodonDeprecationWarning, MastodonNotFoundError, MastodonRatelimitError,
)

ENV = "MASTODON_PY_DIALECT"
ROOT = pathlib.Path(__file__).resolve().parent.parent

# Mastodon.py 2.3.3's listener methods and their parameters (after self), from the interface
# spec's api.json (tags → 2.3.3 → stream_listeners).
SPEC_233 = {
    "StreamListener": {
        "on_update": ["status"], "on_delete": ["status_id"], "on_notification": ["notification"],
        "on_filters_changed": [], "on_conversation": ["conversation"], "on_announcement": ["annoucement"],
        "on_announcement_reaction": ["reaction"], "on_announcement_delete": ["annoucement_id"],
        "on_status_update": ["status"], "on_encrypted_message": ["unclear"], "on_notifications_merged": [],
        "on_websocket_error": ["error", "for_stream"], "on_abort": ["err"],
        "on_unknown_event": ["name", "unknown_event"], "handle_heartbeat": [],
        "on_any_event": ["name", "data", "for_stream"], "handle_stream": ["response"],
        "_parse_line": ["line", "event"], "_dispatch": ["event"], "handle_websocket_message": ["message"],
        "_dispatch_event": ["name", "raw_payload", "for_stream", "payload_present"],
    },
    "CallbackStreamListener": {
        "__init__": ["update_handler", "local_update_handler", "delete_handler", "notification_handler",
                     "conversation_handler", "unknown_event_handler", "status_update_handler",
                     "filters_changed_handler", "announcement_handler", "announcement_reaction_handler",
                     "announcement_delete_handler", "encryted_message_handler", "notifications_merged_handler",
                     "stream_error_handler"],
    },
}
# Mastodon.py 2.3.3's mastodon.__all__ (api.json: tags → 2.3.3 → package_exports).
SPEC_ALL_233 = [
    "Mastodon", "AttribAccessDict", "StreamListener", "CallbackStreamListener", "StreamHandle", "SSEStreamHandle",
    "WebSocketStreamHandle", "WebSocketSubscription", "MastodonError", "MastodonVersionError",
    "MastodonIllegalArgumentError", "MastodonIOError", "MastodonFileNotFoundError", "MastodonNetworkError",
    "MastodonAPIError", "MastodonNotFoundError", "MastodonUnauthorizedError", "MastodonRatelimitError",
    "MastodonMalformedEventError", "MastodonServerError", "MastodonInternalServerError", "MastodonBadGatewayError",
    "MastodonServiceUnavailableError", "MastodonGatewayTimeoutError",
]


class FakeResponse:
    """A stream body for ``listener.handle_stream``."""

    def __init__(self, data):
        self.data = data

    def iter_content(self, chunk_size=1):
        yield self.data


def stream_client(make_api, server, sse, dialect):
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(sse.ws_url)))
    return make_api(dialect=dialect)


def end_after(*events):
    def script(stream):
        for name, data in events:
            stream.event(name, data)
        stream.end()
    return script


def request(api, *args, **kwargs):
    return api._Mastodon__api_request(*args, **kwargs)


@pytest.fixture
def sleeps(monkeypatch):
    """Rate-limit waits are recorded, not slept (the clock does not move)."""
    slept = []
    monkeypatch.setattr("mastodon.internals.time.sleep", slept.append)
    monkeypatch.setattr("mastodon._ratelimit.RateLimiter.sleep", staticmethod(slept.append))
    return slept


# ---------------------------------------------------------------------------------------------
# The listener's dialect


def test_a_bare_listener_speaks_the_process_default(monkeypatch):
    listener = StreamListener()
    assert _dialect.listener_dialect(listener) is _dialect.DIALECTS["1.8"]
    monkeypatch.setenv(ENV, "2")
    assert _dialect.listener_dialect(listener) is _dialect.DIALECTS["2"]


@pytest.mark.parametrize("dialect", ["1.8", "2"])
def test_a_listener_fed_by_a_client_speaks_the_clients_dialect(dialect, make_api, server, sse, monkeypatch):
    # The environment names the other dialect: the client's wins.
    monkeypatch.setenv(ENV, "1.8" if dialect == "2" else "2")
    api = stream_client(make_api, server, sse, dialect)
    sse.serve(end_after(("delete", "5")))
    listener = StreamListener()
    api.stream_user(listener)
    assert _dialect.listener_dialect(listener) is _dialect.DIALECTS[dialect]
    assert vars(listener) == {_dialect.LISTENER_ATTRIBUTE: _dialect.DIALECTS[dialect]}


def test_a_listener_without_attributes_keeps_the_process_default():
    class Slotted:
        __slots__ = ()

        def handle_stream(self, response):
            pass

    class Frozen(StreamListener):
        def __setattr__(self, name, value):
            raise TypeError("frozen")

    for listener in (Slotted(), Frozen()):
        _dialect.set_listener_dialect(listener, _dialect.DIALECTS["2"])
        assert _dialect.listener_dialect(listener) is _dialect.DIALECTS["1.8"]


# ---------------------------------------------------------------------------------------------
# Streaming control flow (E6-E11)


class Recorder(StreamListener):
    """Records handler calls (and on_any_event) in order."""

    def __init__(self):
        self.calls = []

    def on_update(self, status):
        self.calls.append(("update", status["id"]))

    def on_delete(self, status_id):
        self.calls.append(("delete", status_id))

    def on_filters_changed(self):
        self.calls.append(("filters_changed",))

    def on_notifications_merged(self):
        self.calls.append(("notifications_merged",))

    def on_unknown_event(self, name, unknown_event=None):
        self.calls.append(("unknown", name))

    def handle_heartbeat(self):
        self.calls.append(("heartbeat",))

    def on_abort(self, err):
        self.calls.append(("abort", err.args))


class AnyRecorder(Recorder):
    def on_any_event(self, name, data=None, for_stream=None):
        self.calls.append(("any", name, for_stream))


def feed(data, listener):
    listener.handle_stream(FakeResponse(data))
    return listener.calls


@pytest.fixture(params=["1.8", "2"])
def process_dialect(request, monkeypatch):
    """Runs a test with each dialect as the process default (bare listeners speak it)."""
    monkeypatch.setenv(ENV, request.param)
    return request.param


@pytest.mark.parametrize("data", [b"event: filters_changed\ndata: undefined\n\n", b"event: filters_changed\n\n"])
def test_e6_filters_changed_without_usable_data_calls_the_handler(data, process_dialect):
    # 2.3.3's behaviour in both dialects (1.8.1 raised MastodonMalformedEventError).
    assert feed(data, Recorder()) == [("filters_changed",)]


@pytest.mark.parametrize("data", [b"event: notifications_merged\ndata: undefined\n\n",
                                  b'event: notifications_merged\ndata: {"x": 1}\n\n'])
def test_e7_notifications_merged_calls_its_argumentless_handler(data, process_dialect):
    assert feed(data, Recorder()) == [("notifications_merged",)]
    merged = []
    listener = CallbackStreamListener(notifications_merged_handler=lambda: merged.append(True))
    listener.handle_stream(FakeResponse(data))
    assert merged == [True]


def test_e8_an_empty_event_is_ignored(process_dialect):
    # The comment line is a heartbeat; the blank line ends no event. 1.8.1 raised
    # MastodonMalformedEventError('Missing field', 'event', {}); the library never did.
    deleted = {"1.8": 5, "2": "5"}[process_dialect]  # row E2: the id as 2.x decodes it
    assert feed(b":thump\n\n" + sse_event("delete", "5"), Recorder()) == [("heartbeat",), ("delete", deleted)]


def test_e9_dialect_2_calls_on_any_event_before_each_handler(monkeypatch):
    monkeypatch.setenv(ENV, "2")
    data = sse_event("delete", "4", stream='["user"]') + sse_event("mystery", "5") + sse_event(
        "filters_changed", "undefined")
    assert feed(data, AnyRecorder()) == [
        ("any", "delete", ["user"]), ("delete", "4"), ("any", "mystery", None), ("unknown", "mystery"),
        ("any", "filters_changed", None), ("filters_changed",)]


def test_e9_dialect_1_8_calls_on_any_event_after_each_handler():
    data = sse_event("delete", "4", stream='["user"]') + sse_event("mystery", "5")
    assert feed(data, AnyRecorder()) == [
        ("delete", 4), ("any", "delete", ["user"]), ("unknown", "mystery"), ("any", "mystery", None)]


def test_e9_dialect_2_passes_for_stream_only_to_an_on_any_event_that_takes_it(monkeypatch):
    monkeypatch.setenv(ENV, "2")

    class TwoArguments(Recorder):
        def on_any_event(self, name, data):
            self.calls.append(("any", name, data))

    assert feed(sse_event("delete", "4", stream='["user"]'), TwoArguments()) == [
        ("any", "delete", "4"), ("delete", "4")]


@pytest.mark.parametrize("dialect, order", [
    ("1.8", [("update", 1), ("any", "update", None)]),
    ("2", [("any", "update", None), ("update", "1")]),  # row I1: a string id in "2"
])
def test_e9_a_streamed_listener_follows_the_clients_dialect(dialect, order, make_api, server, sse):
    api = stream_client(make_api, server, sse, dialect)
    sse.serve(end_after(("update", '{"id": "1"}')))
    listener = AnyRecorder()
    api.stream_user(listener)
    assert listener.calls == order


@pytest.mark.parametrize("dialect", ["1.8", "2"])
def test_e10_run_async_returns_an_exported_sse_stream_handle(dialect, make_api, server, sse):
    api = stream_client(make_api, server, sse, dialect)
    sse.serve(lambda stream: (stream.event("delete", "5"), stream.stall(2)))
    listener = Recorder()
    handle = api.stream_user(listener, run_async=True)
    try:
        assert type(handle) is mastodon.SSEStreamHandle and issubclass(mastodon.SSEStreamHandle, mastodon.StreamHandle)
        assert handle.listener is listener
        for name in ("close", "is_alive", "is_receiving", "join"):
            assert callable(getattr(handle, name))
        assert {"closed", "running", "connection", "reconnecting"} <= set(dir(handle))
    finally:
        handle.close()
    handle.join(timeout=2)
    assert not handle.is_alive()


def test_e11_websocket_streaming_is_there_in_both_dialects():
    assert list(inspect.signature(Mastodon.stream_open_websocket).parameters)[:2] == ["self", "listener"]
    for method in ("stream_user", "stream_public", "stream_local", "stream_hashtag", "stream_list", "stream_direct",
                   "stream_user_notifications"):
        assert "websocket_handle" in inspect.signature(getattr(Mastodon, method)).parameters
    assert list(inspect.signature(StreamListener.on_websocket_error).parameters) == ["self", "error", "for_stream"]
    assert list(inspect.signature(StreamListener.handle_websocket_message).parameters) == ["self", "message"]


# ---------------------------------------------------------------------------------------------
# Listener signatures (S9, S10): 2.3.3's, from the interface spec's copy


def listener_methods(cls):
    return {name: [p.name for p in inspect.signature(getattr(cls, name)).parameters.values()][1:]
            for name in dir(cls) if not name.startswith("__") or name == "__init__"
            if callable(getattr(cls, name)) and name in SPEC_233[cls.__name__]}


def test_s9_listener_parameters_are_2_3_3s():
    ours = listener_methods(StreamListener)
    assert ours["on_announcement_reaction"] == ["reaction"]  # 1.8.1 named it TODO
    assert ours == SPEC_233["StreamListener"]


def test_s10_callback_listener_keywords_are_2_3_3s_then_the_librarys():
    spec = SPEC_233["CallbackStreamListener"]["__init__"]
    ours = [p.name for p in inspect.signature(CallbackStreamListener.__init__).parameters.values()][1:]
    assert spec[-3:] == ["encryted_message_handler", "notifications_merged_handler", "stream_error_handler"]
    assert ours[:len(spec)] == spec
    assert ours[len(spec):] == ["encrypted_message_handler", "gap_handler"]


# ---------------------------------------------------------------------------------------------
# Module names and exports (M1-M6)


def test_m1_the_2_x_modules_exist_and_mastodon_mastodon_exports_entities():
    for name in ("mastodon.return_types", "mastodon.types_base", "mastodon.streaming_websocket"):
        assert importlib.import_module(name).__name__ == name
    from mastodon.Mastodon import Status
    assert Status is mastodon.return_types.Status


def test_m2_m3_1_8_1_names_stay_in_both_dialects(monkeypatch):
    # A module and a class are shared by every client of a process, and a 1.8.1 program imports
    # these; a 2.x program never relies on their absence, so they stay (docs/dialects.rst).
    script = ("import mastodon.utility as u, mastodon; "
              "print(u.AttribAccessDict is mastodon.AttribAccessDict, u.AttribAccessList.__name__, "
              "callable(mastodon.Mastodon._Mastodon__json_hooks))")
    for value in ("1.8", "2"):
        monkeypatch.setenv(ENV, value)
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                             cwd=ROOT).stdout
        assert out.split() == ["True", "AttribAccessList", "True"]


def test_m4_package_exports_are_2_3_3s():
    assert mastodon.__all__ == SPEC_ALL_233
    assert mastodon.__all__[4:8] == ["StreamHandle", "SSEStreamHandle", "WebSocketStreamHandle",
                                     "WebSocketSubscription"]
    for name in mastodon.__all__:
        assert getattr(mastodon, name) is not None


def test_m5_listener_hooks_include_2_3_3s():
    hooks = {"on_any_event", "on_notifications_merged", "on_websocket_error", "handle_websocket_message"}
    assert hooks <= set(dir(StreamListener))


def test_m6_compat_flags_include_2_3_3s():
    from mastodon import compat
    for flag in ("IMPL_HAS_CRYPTO", "IMPL_HAS_ECE", "IMPL_HAS_BLURHASH", "IMPL_HAS_GRAPHEME", "IMPL_HAS_WEBSOCKET"):
        assert isinstance(getattr(compat, flag), bool)
    assert compat.IMPL_HAS_WEBSOCKET is _websocket.AVAILABLE


# ---------------------------------------------------------------------------------------------
# Errors (X1, X2, X5)


@pytest.mark.parametrize("dialect", ["1.8", "2"])
@pytest.mark.parametrize("status, error_class, text", [
    (404, MastodonNotFoundError, "Record not found"),
    (422, MastodonAPIError, "Validation failed: Title can't be blank"),
])
def test_x1_list_typed_calls_keep_the_servers_error_text(dialect, status, error_class, text, make_api, server):
    # Mastodon.py 2.x loses the text on calls returning lists (an upstream defect, not kept).
    api = make_api(dialect=dialect)
    server.route("GET", "/api/v1/lists", status=status, body={"error": text})
    server.route("GET", "/api/v1/accounts/5/statuses", status=status, body={"error": text})
    reason = http.HTTPStatus(status).phrase  # 422's reads "Unprocessable Content" from Python 3.13 on
    for call in (api.lists, lambda: api.account_statuses(5)):
        with pytest.raises(error_class) as caught:
            call()
        assert type(caught.value) is error_class
        assert caught.value.args == ("Mastodon API returned error", status, reason, text)


@pytest.mark.parametrize("body, cause", [
    (b"not json", "Expecting value: line 1 column 1 (char 0)"),
    (b"", "Expecting value: line 1 column 1 (char 0)"),
    (b'{"id": "1", "acct": "tru', "Unterminated string starting at: line 1 column 21 (char 20)"),
])
def test_x2_dialect_2_adds_the_parsers_error_as_a_second_argument(body, cause, make_api, server):
    server.route("GET", "/x", body=body)
    for dialect, extra in (("1.8", ()), ("2", ("Exception was: " + cause,))):
        with pytest.raises(MastodonAPIError) as caught:
            request(make_api(dialect=dialect), "GET", "/x")
        assert type(caught.value) is MastodonAPIError
        assert caught.value.args == (
            f"Could not parse response as JSON, response code was 200, bad json content was '{body!r}'",) + extra


@pytest.mark.parametrize("dialect", ["1.8", "2"])
def test_x5_a_deprecation_header_warns_once_per_answer(dialect, make_api, server):
    # Dialect "2" as Mastodon.py 2.x; the library already warned in "1.8" (1.8.1 ignored it) and
    # keeps doing so. Python's warning filters show it once per calling line by default.
    api = make_api(dialect=dialect)
    server.route("GET", "/api/v1/x", Response(200, {}, {"Deprecation": "@1735689600"}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        request(api, "GET", "/api/v1/x")
        request(api, "GET", "/api/v1/x")
    assert [(w.category, str(w.message)) for w in caught] == [
        (MastodonDeprecationWarning, "Endpoint /api/v1/x is deprecated by the server (@1735689600)")] * 2


# ---------------------------------------------------------------------------------------------
# Rate limits (X3, X4, X8)

NO_HINT_429 = Response(429, {"error": "Too many requests"})


def test_x3_dialect_2_backs_off_from_2_s_doubling_up_to_300_s_on_a_429_without_a_reset(make_api, server, sleeps):
    api = make_api(dialect="2", ratelimit_method="wait")
    server.route("GET", "/x", *([NO_HINT_429] * 10), Response(200, {"ok": 1}))
    assert request(api, "GET", "/x") == {"ok": 1}
    assert sleeps == [2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 300.0, 300.0]
    assert len(server.requests) == 11
    # A success starts the back-off over.
    server.route("GET", "/y", NO_HINT_429, Response(200, {"ok": 2}))
    assert request(api, "GET", "/y") == {"ok": 2}
    assert sleeps[10:] == [2.0]


def test_x3_dialect_2_backs_off_after_the_immediate_retries_of_a_past_reset(make_api, server, sleeps):
    past = Response(429, {"error": "Too many requests"}, {"X-RateLimit-Reset": "100"})
    api = make_api(dialect="2", ratelimit_method="wait")
    server.route("GET", "/x", *([past] * 5), Response(200, {"ok": 1}))
    assert request(api, "GET", "/x") == {"ok": 1}
    # The answer names a window that has ended: sent again at once three times, as in "1.8".
    assert sleeps == [0.0, 0.0, 0.0, 2.0, 4.0]


def test_x3_dialect_1_8_raises_a_429_without_a_reset_as_an_api_error(make_api, server, sleeps):
    api = make_api(ratelimit_method="wait")
    api.ratelimit_reset = 100.0
    server.route("GET", "/x", NO_HINT_429, Response(200, {"ok": 1}))
    with pytest.raises(MastodonAPIError) as caught:
        request(api, "GET", "/x")
    assert type(caught.value) is MastodonAPIError
    assert caught.value.args == ("Mastodon API returned error", 429, "Too Many Requests", "Too many requests")
    assert sleeps == [] and len(server.requests) == 1


def test_x3_dialect_2_in_pace_mode_raises_a_ratelimit_error_on_a_429_without_a_reset(make_api, server, sleeps):
    api = make_api(dialect="2", ratelimit_method="pace")
    server.route("GET", "/x", NO_HINT_429, Response(200, {"ok": 1}))
    with pytest.raises(MastodonRatelimitError) as caught:
        request(api, "GET", "/x")
    assert caught.value.args == ("Hit rate limit.",) and caught.value.status_code == 429
    assert sleeps == [] and len(server.requests) == 1


def test_x3_a_retry_after_is_honoured_in_both_dialects(make_api, server, sleeps):
    for dialect in ("1.8", "2"):
        server.route("GET", "/x", Response(429, {}, {"Retry-After": "7"}), Response(200, {"ok": 1}))
        assert request(make_api(dialect=dialect, ratelimit_method="wait"), "GET", "/x") == {"ok": 1}
    assert sleeps == [7.0, 7.0]


def budget(remaining, reset=None):
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": str(remaining)}
    if reset is not None:
        headers["X-RateLimit-Reset"] = str(reset)
    return Response(200, {"ok": 1}, headers)


@pytest.mark.parametrize("reset", [None, "soon", "100"], ids=["absent", "unreadable", "past"])
def test_x4_dialect_2_pace_mode_refuses_a_call_when_no_usable_reset_is_known(reset, make_api, server, sleeps):
    api = make_api(dialect="2", ratelimit_method="pace")
    server.route("GET", "/x", budget(299, reset))
    assert request(api, "GET", "/x") == {"ok": 1}  # the answer that tells is delivered
    with pytest.raises(MastodonRatelimitError, match="reset time unknown"):
        request(api, "GET", "/x")
    assert len(server.requests) == 1


def test_x4_dialect_2_pace_mode_paces_again_once_a_reset_is_set(make_api, server, sleeps):
    api = make_api(dialect="2", ratelimit_method="pace")
    server.route("GET", "/x", budget(299))
    request(api, "GET", "/x")
    with pytest.raises(MastodonRatelimitError):
        request(api, "GET", "/x")
    api.ratelimit_reset = time.time() + 300
    assert request(api, "GET", "/x") == {"ok": 1}
    assert len(server.requests) == 2


def test_x4_dialect_2_a_future_reset_stays_known_over_answers_without_one(make_api, server, sleeps):
    api = make_api(dialect="2", ratelimit_method="pace")
    server.route("GET", "/x", budget(299, time.time() + 300), budget(298), budget(297, "soon"),
                 budget(296, time.time() + 300))
    for _ in range(4):
        assert request(api, "GET", "/x") == {"ok": 1}
    assert len(server.requests) == 4


def test_x4_dialect_2_pace_mode_goes_on_after_a_window_ends(make_api, server, sleeps):
    # A reset that was ahead when it came and has passed since is a window that ended, not an
    # unknown reset: the call goes out.
    api = make_api(dialect="2", ratelimit_method="pace")
    server.route("GET", "/x", budget(299, time.time() + 0.2))
    request(api, "GET", "/x")
    time.sleep(0.3)
    assert request(api, "GET", "/x") == {"ok": 1}
    assert len(server.requests) == 2


def test_x4_dialect_2_pace_mode_sends_the_first_call_before_any_answer(make_api, server, sleeps):
    api = make_api(dialect="2", ratelimit_method="pace")
    server.route("GET", "/x", Response(200, {"ok": 1}))
    assert request(api, "GET", "/x") == {"ok": 1}
    assert request(api, "GET", "/x") == {"ok": 1}  # answers without rate-limit headers tell nothing


@pytest.mark.parametrize("reset", [None, "soon", "100"], ids=["absent", "unreadable", "past"])
def test_x4_dialect_1_8_pace_mode_paces_with_what_it_has(reset, make_api, server, sleeps):
    api = make_api(ratelimit_method="pace")
    server.route("GET", "/x", budget(299, reset))
    assert request(api, "GET", "/x") == {"ok": 1}
    assert request(api, "GET", "/x") == {"ok": 1}
    assert len(server.requests) == 2 and sleeps == []


@pytest.mark.parametrize("method", ["throw", "wait", "pace"])
@pytest.mark.parametrize("dialect", ["1.8", "2"])
def test_x8_unreadable_limit_headers_are_ignored(method, dialect, make_api, server, sleeps):
    api = make_api(dialect=dialect, ratelimit_method=method)
    server.route("GET", "/x", Response(200, {"ok": 1}, {"X-RateLimit-Limit": "lots", "X-RateLimit-Remaining": "12",
                                                        "X-RateLimit-Reset": str(time.time() + 300)}))
    assert request(api, "GET", "/x") == {"ok": 1}
    assert api.ratelimit_limit == 300


@pytest.mark.parametrize("method", ["throw", "wait", "pace"])
def test_x8_dialect_1_8_ignores_an_unreadable_remaining(method, make_api, server, sleeps):
    # Mastodon.py 1.8.1 let a ValueError escape; the library never lets a foreign exception
    # out and reads the answer as if the header were absent.
    api = make_api(ratelimit_method=method)
    server.route("GET", "/x", Response(200, {"ok": 1}, {"X-RateLimit-Remaining": "abc"}))
    assert request(api, "GET", "/x") == {"ok": 1}
    assert api.ratelimit_remaining == 300 - (method == "pace")


@pytest.mark.parametrize("method", ["throw", "wait"])
def test_x8_dialect_2_ignores_an_unreadable_remaining_outside_pace_mode(method, make_api, server, sleeps):
    api = make_api(dialect="2", ratelimit_method=method)
    server.route("GET", "/x", Response(200, {"ok": 1}, {"X-RateLimit-Remaining": "abc"}))
    assert request(api, "GET", "/x") == {"ok": 1}
    assert api.ratelimit_remaining == 300


def test_x8_dialect_2_pace_mode_raises_on_an_unreadable_remaining(make_api, server, sleeps):
    api = make_api(dialect="2", ratelimit_method="pace")
    server.route("GET", "/x", Response(200, {"ok": 1}, {"X-RateLimit-Remaining": "abc"}))
    with pytest.raises(MastodonRatelimitError, match="Unreadable X-RateLimit-Remaining") as caught:
        request(api, "GET", "/x")
    assert caught.value.status_code == 200
