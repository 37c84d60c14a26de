"""Server-side background refreshes: the ``Mastodon-Async-Refresh`` header and waiting for it."""

import pytest

import mastodon.async_refresh
from conftest import TOKEN
from helpers import FakeClock, assert_sent
from server import Response

from mastodon import AttribAccessDict, MastodonIllegalArgumentError, MastodonVersionError
from mastodon.types_base import AsyncRefresh, AttribAccessList

CONTEXT_PATH = "/api/v1/statuses/110/context"
REFRESH_PATH = "/api/v1_alpha/async_refreshes/abc"
HEADER = {"Mastodon-Async-Refresh": 'id="abc", retry=1, result_count=2'}
STALE = {"ancestors": [], "descendants": [{"id": "111", "content": "<p>one</p>"}]}
FRESH = {"ancestors": [], "descendants": [{"id": "111", "content": "<p>one</p>"},
                                          {"id": "112", "content": "<p>two</p>"}]}


STALE_PARSED = {"ancestors": [], "descendants": [{"id": 111, "content": "<p>one</p>"}]}
FRESH_PARSED = {"ancestors": [], "descendants": [{"id": 111, "content": "<p>one</p>"},
                                                 {"id": 112, "content": "<p>two</p>"}]}


def refresh_state(status, count=2):
    return {"async_refresh": {"id": "abc", "status": status, "result_count": count}}


@pytest.fixture
def clock(monkeypatch):
    """Stands in for the ``time`` module of mastodon.async_refresh: sleeping advances the clock."""
    fake = FakeClock()
    monkeypatch.setattr(mastodon.async_refresh, "time", fake)
    return fake


@pytest.fixture
def stale(api, server):
    """A context answer that the server is still filling in."""
    server.route("GET", CONTEXT_PATH, Response(200, STALE, HEADER), Response(200, FRESH))
    result = api._Mastodon__api_request("GET", CONTEXT_PATH, {"limit": 5})
    server.clear()
    return result


# --- the header -----------------------------------------------------------------------------------

def test_header_is_attached_to_the_result(stale):
    assert stale == STALE_PARSED
    info = stale._async_refresh
    assert isinstance(info, AsyncRefresh)
    assert info == {"id": "abc", "retry": 1, "result_count": 2}
    assert info.id == "abc"
    # the refresh info is not part of the data
    assert "_async_refresh" not in stale


def test_header_on_a_list_result(api, server):
    server.route("GET", "/api/v1/things", Response(200, [{"id": "1"}], {"Mastodon-Async-Refresh": 'id="x9", retry=5'}))
    result = api._Mastodon__api_request("GET", "/api/v1/things")
    assert isinstance(result, AttribAccessList)
    assert result._async_refresh == {"id": "x9", "retry": 5}


def test_no_header_no_refresh_info(api, server):
    server.route("GET", CONTEXT_PATH, body=STALE)
    result = api._Mastodon__api_request("GET", CONTEXT_PATH)
    assert getattr(result, "_async_refresh", None) is None
    assert api.get_async_refresh_info(result) is None


# --- get_async_refresh_info -----------------------------------------------------------------------

def test_get_async_refresh_info(api, server, stale):
    refresh, retry = api.get_async_refresh_info(stale)
    assert isinstance(refresh, AsyncRefresh)
    assert refresh == {"id": "abc", "status": "running", "result_count": 2}
    assert retry == 1
    assert server.requests == []


def test_get_async_refresh_info_default_retry(api):
    result = AttribAccessDict(a=1)
    result._async_refresh = AsyncRefresh(id="q")
    refresh, retry = api.get_async_refresh_info(result)
    assert refresh == {"id": "q", "status": "running", "result_count": None}
    assert retry == 3


@pytest.mark.parametrize("value", [None, {"a": 1}, [1, 2], "abc", AttribAccessDict()])
def test_get_async_refresh_info_without_info(api, value):
    assert api.get_async_refresh_info(value) is None


# --- get_async_refresh_status ---------------------------------------------------------------------

def test_get_async_refresh_status_by_id(api, server):
    server.route("GET", REFRESH_PATH, body=refresh_state("running"))
    status = api.get_async_refresh_status("abc")
    assert_sent(server, "GET", REFRESH_PATH)
    assert isinstance(status, AsyncRefresh)
    assert status == {"id": "abc", "status": "running", "result_count": 2}
    assert status.status == "running"


def test_get_async_refresh_status_from_result_and_refresh(api, server, stale):
    server.route("GET", REFRESH_PATH, body=refresh_state("finished", 5))
    assert api.get_async_refresh_status(stale).status == "finished"
    refresh, _ = api.get_async_refresh_info(stale)
    assert api.get_async_refresh_status(refresh).result_count == 5
    server.route("GET", "/api/v1_alpha/async_refreshes/42", body=refresh_state("finished"))
    api.get_async_refresh_status(42)
    assert [r.path for r in server.requests] == [REFRESH_PATH, REFRESH_PATH, "/api/v1_alpha/async_refreshes/42"]


def test_get_async_refresh_status_unwrapped_answer(api, server):
    server.route("GET", REFRESH_PATH, body={"id": "abc", "status": "finished"})
    assert api.get_async_refresh_status("abc") == {"id": "abc", "status": "finished"}


@pytest.mark.parametrize("bad", [None, True, {"a": 1}, AttribAccessDict(), AsyncRefresh(status="running"), 1.5])
def test_get_async_refresh_status_needs_an_id(api, server, bad):
    with pytest.raises(MastodonIllegalArgumentError):
        api.get_async_refresh_status(bad)
    assert server.requests == []


def test_get_async_refresh_status_version_gate(make_api, server):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="4.3.9").get_async_refresh_status("abc")
    assert server.requests == []


# --- await_async_refresh --------------------------------------------------------------------------

def test_await_polls_until_finished_then_fetches_again(api, server, stale, clock):
    server.route("GET", REFRESH_PATH, Response(200, refresh_state("running")), Response(200, refresh_state("running")),
                 Response(200, refresh_state("finished")))
    fresh = api.await_async_refresh(stale)
    assert fresh == FRESH_PARSED
    assert fresh.descendants[1].id == 112
    assert [(r.method, r.path, r.query) for r in server.requests] == [
        ("GET", REFRESH_PATH, []), ("GET", REFRESH_PATH, []), ("GET", REFRESH_PATH, []),
        ("GET", CONTEXT_PATH, [("limit", "5")])]
    assert server.last.headers["authorization"] == "Bearer " + TOKEN
    assert clock.sleeps == [1, 1]


def test_await_finished_at_first_poll_does_not_sleep(api, server, stale, clock):
    server.route("GET", REFRESH_PATH, body=refresh_state("finished"))
    assert api.await_async_refresh(stale) == FRESH_PARSED
    assert clock.sleeps == []
    assert len(server.requests) == 2


def test_await_timeout_gives_none(api, server, stale, clock):
    server.route("GET", REFRESH_PATH, body=refresh_state("running"))
    assert api.await_async_refresh(stale, timeout=2.5) is None
    assert clock.sleeps == [1, 1, 0.5]
    assert [r.path for r in server.requests] == [REFRESH_PATH] * 4


def test_await_max_attempts_gives_none_without_a_last_sleep(api, server, stale, clock):
    server.route("GET", REFRESH_PATH, body=refresh_state("running"))
    assert api.await_async_refresh(stale, max_attempts=3) is None
    assert [r.path for r in server.requests] == [REFRESH_PATH] * 3
    assert clock.sleeps == [1, 1]


def test_await_zero_attempts_polls_nothing(api, server, stale, clock):
    assert api.await_async_refresh(stale, max_attempts=0) is None
    assert server.requests == []


def test_await_long_retry_is_capped(api, server, clock):
    server.route("GET", CONTEXT_PATH, Response(200, STALE, {"Mastodon-Async-Refresh": 'id="abc", retry=3600'}))
    stale = api._Mastodon__api_request("GET", CONTEXT_PATH)
    server.route("GET", REFRESH_PATH, Response(200, refresh_state("running")), Response(200, refresh_state("finished")))
    api.await_async_refresh(stale)
    assert clock.sleeps == [300]


def test_await_without_refresh_returns_the_result(api, server, clock):
    result = AttribAccessDict(a=1)
    assert api.await_async_refresh(result) is result
    page = AttribAccessList([1])
    assert api.await_async_refresh(page) is page
    assert server.requests == []


def test_await_already_finished_returns_the_result(api, server, stale, clock):
    stale._async_refresh["status"] = "finished"
    assert api.await_async_refresh(stale) is stale
    assert server.requests == []


@pytest.mark.parametrize("bad", [None, {"a": 1}, [1], "abc", 3])
def test_await_needs_a_library_result(api, server, bad):
    with pytest.raises(MastodonIllegalArgumentError):
        api.await_async_refresh(bad)
    assert server.requests == []


@pytest.mark.parametrize("info", [AsyncRefresh(id="abc"), "no-request"])
def test_await_needs_stored_request(api, server, info):
    result = AttribAccessDict(a=1)
    if info == "no-request":
        info = AsyncRefresh(retry=1)
        info._request = ("GET", CONTEXT_PATH, {})
    result._async_refresh = info
    with pytest.raises(MastodonIllegalArgumentError):
        api.await_async_refresh(result)
    assert server.requests == []


def test_await_version_gate(make_api, server, stale):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="4.3.0").await_async_refresh(stale)
    assert server.requests == []
