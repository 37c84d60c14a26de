"""Error mapping, network failures and rate limiting (throw / wait / pace)."""

import math
import re
import socket
import threading
import time
from collections import Counter
from datetime import datetime, timezone

import pytest
import requests

from server import Response, RecordingServer, fixture

from mastodon import (
    Mastodon, MastodonAPIError, MastodonBadGatewayError, MastodonGatewayTimeoutError, MastodonIllegalArgumentError,
    MastodonInternalServerError, MastodonNetworkError, MastodonNotFoundError, MastodonRatelimitError,
    MastodonServerError, MastodonServiceUnavailableError, MastodonUnauthorizedError,
)
from mastodon.errors import MastodonReadTimeout


def request(api, *args, **kwargs):
    return api._Mastodon__api_request(*args, **kwargs)


# --- errors -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("status,cls", [
    (400, MastodonAPIError), (401, MastodonUnauthorizedError), (403, MastodonAPIError),
    (404, MastodonNotFoundError), (410, MastodonAPIError), (422, MastodonAPIError),
    (500, MastodonInternalServerError), (501, MastodonServerError), (502, MastodonBadGatewayError),
    (503, MastodonServiceUnavailableError), (504, MastodonGatewayTimeoutError), (507, MastodonServerError),
    (511, MastodonServerError), (520, MastodonAPIError),
])
def test_status_codes_map_to_exception_classes(api, server, status, cls):
    server.route("GET", "/x", status=status, body={"error": "went wrong"})
    with pytest.raises(cls) as info:
        request(api, "GET", "/x")
    error = info.value
    assert type(error) is cls
    assert error.args[0] == "Mastodon API returned error"
    assert error.args[1] == status
    assert error.args[3] == "went wrong"
    assert error.status_code == status
    assert error.error == "went wrong"
    assert error.reason == error.args[2]
    assert error.response.status_code == status
    assert "went wrong" in str(error) and str(status) in str(error)


def test_real_401_fixture(api, server):
    server.fixture("GET_api_v1_timelines_home_401")
    with pytest.raises(MastodonUnauthorizedError) as info:
        request(api, "GET", "/api/v1/timelines/home")
    assert info.value.args == ("Mastodon API returned error", 401, "Unauthorized", "The access token is invalid")


def test_real_422_fixture_carries_details(api, server):
    server.fixture("POST_api_v1_accounts_422")
    with pytest.raises(MastodonAPIError) as info:
        request(api, "POST", "/api/v1/accounts", {"username": "x"})
    body = fixture("POST_api_v1_accounts_422")["body"]
    assert info.value.error == body["error"]
    assert info.value.details == body.get("details")


def test_404_without_error_text_says_endpoint_not_found(api, server):
    with pytest.raises(MastodonNotFoundError) as info:
        request(api, "GET", "/nothing/here")  # the test server answers unknown routes with 404 JSON
    assert info.value.args[3] == "Record not found"
    server.route("GET", "/empty", status=404, body=b"")
    with pytest.raises(MastodonNotFoundError) as info:
        request(api, "GET", "/empty")
    assert info.value.args[3] == "Endpoint not found."


def test_html_502_page_gives_bad_gateway_with_readable_message(api, server):
    page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>nginx</body></html>"
    server.route("GET", "/x", status=502, body=page, headers={"content-type": "text/html"})
    with pytest.raises(MastodonBadGatewayError) as info:
        request(api, "GET", "/x")
    assert info.value.args == ("Mastodon API returned error", 502, "Bad Gateway", None)
    assert "502 Bad Gateway" in str(info.value) and "<h1>" not in str(info.value)


def test_empty_500_body(api, server):
    server.route("GET", "/x", status=500, body=b"")
    with pytest.raises(MastodonInternalServerError) as info:
        request(api, "GET", "/x")
    assert info.value.args[3] is None
    assert "500" in str(info.value)


def test_bare_json_string_error(api, server):
    server.route("GET", "/x", status=400, body='"just a string"')
    with pytest.raises(MastodonAPIError) as info:
        request(api, "GET", "/x")
    assert info.value.error == "just a string"


def test_skip_error_check_returns_the_error_body(api, server):
    server.route("POST", "/x", status=422, body={"error": "nope"})
    assert request(api, "POST", "/x", skip_error_check=True) == {"error": "nope"}


def test_connection_refused_is_a_network_error_with_cause(make_api):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = make_api(api_base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(MastodonNetworkError) as info:
        request(api, "GET", "/x")
    # One line that names the host; the transport's own error is chained for the details.
    assert str(info.value) == f"Could not reach 127.0.0.1:{port}: connection refused"
    assert type(info.value) is MastodonNetworkError
    assert isinstance(info.value.__cause__, requests.exceptions.ConnectionError)
    assert "Connection refused" in str(info.value.__cause__)


def test_server_down_names_the_host_from_every_entry_point(make_api):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    expected = f"Could not reach 127.0.0.1:{port}: connection refused"
    with pytest.raises(MastodonNetworkError, match=f"^{re.escape(expected)}$"):
        Mastodon.create_app("app", api_base_url=base)
    with pytest.raises(MastodonNetworkError, match=f"^{re.escape(expected)}$"):
        Mastodon(api_base_url=base, access_token="t", version_check_mode="none").timeline_home()
    with pytest.raises(MastodonIllegalArgumentError, match=f": {re.escape(expected)}$"):
        Mastodon(api_base_url=base, client_id="c", client_secret="s", version_check_mode="none").log_in(code="c")


def test_unknown_host_name_is_named(make_api, monkeypatch):
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host == "mastodon.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    api = make_api(api_base_url="https://mastodon.invalid")
    with pytest.raises(MastodonNetworkError) as info:
        request(api, "GET", "/x")
    assert str(info.value) == "Could not reach mastodon.invalid: host name not found"
    assert isinstance(info.value.__cause__, requests.exceptions.ConnectionError)


def test_connect_timeout_names_the_host(make_api):
    class Session(requests.Session):
        def request(self, *args, **kwargs):
            raise requests.exceptions.ConnectTimeout("HTTPSConnectionPool(host='slow.example'): timed out")
    api = make_api(api_base_url="https://slow.example:8443", session=Session())
    with pytest.raises(MastodonReadTimeout) as info:
        request(api, "GET", "/x")
    assert str(info.value) == "Could not reach slow.example:8443: connection timed out"
    assert isinstance(info.value.__cause__, requests.exceptions.ConnectTimeout)


def test_a_connection_dropped_mid_answer_is_not_called_unreachable(api, server):
    from server import DROP
    server.route("GET", "/drop", handler=lambda recorded: DROP)
    with pytest.raises(MastodonNetworkError) as info:
        request(api, "GET", "/drop")
    assert str(info.value).startswith("Could not complete request: ")



def test_read_timeout_is_a_network_error(make_api, server):
    server.route("GET", "/slow", Response(200, {}, delay=1.0))
    api = make_api(request_timeout=0.2)
    with pytest.raises(MastodonNetworkError) as info:
        request(api, "GET", "/slow")
    assert isinstance(info.value, MastodonReadTimeout)
    assert info.value.__cause__ is not None


def test_dropped_connection_is_a_network_error(api, server):
    from server import DROP
    server.route("GET", "/drop", handler=lambda recorded: DROP)
    with pytest.raises(MastodonNetworkError):
        request(api, "GET", "/drop")


# --- rate-limit bookkeeping -------------------------------------------------------------------------

def test_ratelimit_headers_are_read(api, server):
    server.route("GET", "/x", body={}, headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "42",
                                                "X-RateLimit-Reset": "2030-01-01T00:00:00.500Z"})
    request(api, "GET", "/x")
    assert api.ratelimit_limit == 300
    assert api.ratelimit_remaining == 42
    assert api.ratelimit_reset == datetime(2030, 1, 1, 0, 0, 0, 500000, tzinfo=timezone.utc).timestamp()


def test_epoch_reset_and_date_header_correction(api, server):
    server_now = time.time() - 3600  # the server's clock is an hour behind
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(server_now))
    server.route("GET", "/x", body={}, headers={"X-RateLimit-Remaining": "10", "X-RateLimit-Limit": "300",
                                                "X-RateLimit-Reset": str(int(server_now) + 60), "Date": date})
    request(api, "GET", "/x")
    assert api.ratelimit_reset == pytest.approx(time.time() + 60, abs=2.5)


@pytest.mark.parametrize("headers", [
    {},
    {"X-RateLimit-Remaining": "lots", "X-RateLimit-Limit": "", "X-RateLimit-Reset": "soon"},
    {"X-RateLimit-Remaining": "5"},
    {"X-RateLimit-Reset": "1e400", "Date": "yesterday"},
])
def test_missing_or_malformed_ratelimit_headers_never_crash(api, server, headers):
    before = (api.ratelimit_limit, api.ratelimit_remaining)
    server.route("GET", "/x", body={"ok": True}, headers=headers)
    assert request(api, "GET", "/x") == {"ok": True}
    if "X-RateLimit-Remaining" not in headers or not headers["X-RateLimit-Remaining"].isdigit():
        assert api.ratelimit_remaining == before[1]


def test_throw_mode_raises_on_429(api, server):
    server.route("GET", "/x", status=429, body={"error": "Too many requests"})
    with pytest.raises(MastodonRatelimitError) as info:
        request(api, "GET", "/x")
    assert info.value.args == ("Hit rate limit.",)
    assert info.value.status_code == 429
    assert len(server.requests) == 1


def test_disabled_ratelimiting_raises_on_429_even_in_wait_mode(make_api, server):
    api = make_api(ratelimit_method="wait")
    server.route("GET", "/x", status=429, body={})
    with pytest.raises(MastodonRatelimitError):
        request(api, "GET", "/x", do_ratelimiting=False)


def test_wait_mode_sleeps_until_reset_then_retries(make_api, server, monkeypatch):
    api = make_api(ratelimit_method="wait")
    sleeps = []
    monkeypatch.setattr("mastodon.internals.time.sleep", sleeps.append)
    reset = time.time() + 30
    server.route("GET", "/x",
                 Response(429, {"error": "Too many requests"},
                          {"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "300",
                           "X-RateLimit-Reset": str(reset)}),
                 Response(200, {"ok": 1}, {"X-RateLimit-Remaining": "299", "X-RateLimit-Limit": "300",
                                          "X-RateLimit-Reset": str(reset + 300)}))
    assert request(api, "GET", "/x") == {"ok": 1}
    assert len(server.requests) == 2
    assert len(sleeps) == 1 and 28 < sleeps[0] <= 30.5


def test_wait_mode_announces_the_wait_to_the_callback_and_the_log(make_api, server, monkeypatch, caplog):
    seen = []
    api = make_api(ratelimit_method="wait", ratelimit_callback=lambda seconds, reason: seen.append((seconds, reason)))
    sleeps = []
    monkeypatch.setattr("mastodon.internals.time.sleep", sleeps.append)
    server.route("GET", "/x", Response(429, {"error": "Too many requests"}, {"Retry-After": "7"}),
                 Response(200, {"ok": 1}))
    with caplog.at_level("INFO", logger="mastodon"):
        assert request(api, "GET", "/x", params={"q": "secret"}) == {"ok": 1}
    assert seen == [(7.0, "429")] and sleeps == [7.0]
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("mastodon", "INFO", f"Rate limited on GET {server.url}/x: waiting 7.0 s for the limit to reset")]
    # Set later, through the client's attribute, as ratelimit_method can be.
    later = []
    api.ratelimit_callback = lambda seconds, reason: later.append(reason)
    server.route("GET", "/y", Response(429, {}, {"Retry-After": "1"}), Response(200, {}))
    request(api, "GET", "/y")
    assert later == ["429"] and api.ratelimit_callback is not None


def test_a_raising_ratelimit_callback_ends_the_call_before_the_wait(make_api, server, monkeypatch):
    def stop(seconds, reason):
        raise KeyboardInterrupt
    api = make_api(ratelimit_method="wait", ratelimit_callback=stop)
    sleeps = []
    monkeypatch.setattr("mastodon.internals.time.sleep", sleeps.append)
    server.route("GET", "/x", Response(429, {}, {"Retry-After": "60"}))
    with pytest.raises(KeyboardInterrupt):
        request(api, "GET", "/x")
    assert sleeps == [] and len(server.requests) == 1


def test_429_honours_retry_after(make_api, server, monkeypatch):
    api = make_api(ratelimit_method="wait")
    sleeps = []
    monkeypatch.setattr("mastodon.internals.time.sleep", sleeps.append)
    server.route("POST", "/x", Response(429, {}, {"Retry-After": "7"}), Response(200, {"ok": 2}))
    assert request(api, "POST", "/x", {"a": "b"}) == {"ok": 2}
    assert sleeps == [7.0]
    assert [r.form for r in server.requests] == [[("a", "b")], [("a", "b")]]


def test_429_without_any_hint_is_the_normal_api_error(make_api, server, monkeypatch):
    # No Retry-After and no reset in the future: nothing to wait for, so (as in Mastodon.py)
    # the answer goes through the normal error mapping at once.
    api = make_api(ratelimit_method="wait")
    sleeps = []
    monkeypatch.setattr("mastodon.internals.time.sleep", sleeps.append)
    api.ratelimit_reset = time.time() - 10
    server.route("GET", "/x", status=429, body={"error": "Too many requests"})
    with pytest.raises(MastodonAPIError) as info:
        request(api, "GET", "/x")
    assert info.value.args == ("Mastodon API returned error", 429, "Too Many Requests", "Too many requests")
    assert sleeps == []
    assert len(server.requests) == 1


def test_pace_mode_spreads_requests_over_the_window(make_api, server, monkeypatch):
    api = make_api(ratelimit_method="pace", ratelimit_pacefactor=1.0)
    sleeps = []
    monkeypatch.setattr("mastodon.internals.time.sleep", sleeps.append)
    now = time.time()
    api.ratelimit_reset = now + 100
    api.ratelimit_remaining = 10
    api.ratelimit_lastcall = now
    server.route("GET", "/x", body={})
    request(api, "GET", "/x")
    assert len(sleeps) == 1 and sleeps[0] == pytest.approx(10, abs=0.5)


def test_pace_mode_waits_for_reset_when_budget_is_spent(make_api, server, monkeypatch):
    api = make_api(ratelimit_method="pace")
    sleeps = []
    monkeypatch.setattr("mastodon.internals.time.sleep", sleeps.append)
    api.ratelimit_reset = time.time() + 20
    api.ratelimit_remaining = 0
    server.route("GET", "/x", body={})
    request(api, "GET", "/x")
    assert len(sleeps) == 1 and 19 < sleeps[0] <= 20.2


class BudgetServer:
    """Enforces ``budget`` requests per ``window`` seconds (aligned to the clock) like Mastodon,
    answering 429 past it, and counts requests per window."""

    def __init__(self, server, budget, window):
        self.budget, self.window = budget, window
        self.lock = threading.Lock()
        self.counts = Counter()
        self.rejected = 0
        server.route("GET", "/api/v1/budget", handler=self.handle)

    def handle(self, recorded):
        now = time.time()
        index = math.floor(now / self.window)
        reset = (index + 1) * self.window
        with self.lock:
            self.counts[index] += 1
            used = self.counts[index]
        reset_text = datetime.fromtimestamp(reset, timezone.utc).isoformat().replace("+00:00", "Z")
        headers = {"X-RateLimit-Limit": str(self.budget), "X-RateLimit-Reset": reset_text,
                   "X-RateLimit-Remaining": str(max(0, self.budget - used))}
        if used > self.budget:
            with self.lock:
                self.rejected += 1
            return Response(429, {"error": "Too many requests"}, headers)
        return Response(200, {"ok": True}, headers)


def test_pace_mode_is_thread_safe_and_never_exceeds_the_budget(make_api, server):
    budget = BudgetServer(server, budget=200, window=1.0)
    api = make_api(ratelimit_method="pace")
    failures = []

    def worker():
        for _ in range(200):
            try:
                request(api, "GET", "/api/v1/budget")
            except Exception as e:  # noqa: BLE001 - any failure fails the test below
                failures.append(e)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert budget.rejected == 0
    assert sum(budget.counts.values()) == 1600
    assert max(budget.counts.values()) <= 200


def test_wait_mode_threads_survive_a_spent_budget(make_api, server):
    budget = BudgetServer(server, budget=50, window=0.5)
    api = make_api(ratelimit_method="wait")
    results = []

    def worker():
        for _ in range(25):
            results.append(request(api, "GET", "/api/v1/budget"))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 100 and all(r == {"ok": True} for r in results)


def test_429_whose_window_just_ended_is_retried_at_once(make_api, server, monkeypatch):
    api = make_api(ratelimit_method="wait")
    sleeps = []
    monkeypatch.setattr("mastodon.internals.time.sleep", sleeps.append)
    past = str(time.time() - 1)
    server.route("GET", "/x", Response(429, {"error": "Too many requests"},
                                       {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": past}),
                 Response(200, {"ok": 3}))
    assert request(api, "GET", "/x") == {"ok": 3}
    assert sleeps == [0.0] and len(server.requests) == 2
