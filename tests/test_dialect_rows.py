"""The rows of DIALECTS.md no other dialect test is named after, in dialect "2": offset pages
(P6), the pagination helpers (P7), the constructor's signature (S1), the stream methods'
appended parameters (S7), requests that are the same in both (W13) and the error classes (X7)."""

import inspect

import pytest

from helpers import TOKEN, assert_sent
from server import Response
from sse_server import instance_body

from mastodon import (Mastodon, MastodonAPIError, MastodonInternalServerError, MastodonNotFoundError,
                      MastodonServiceUnavailableError, MastodonUnauthorizedError, StreamListener)
from mastodon.types_base import MaybeSnowflakeIdType, PaginatableList, PaginationInfo

ACCOUNTS = "GET_api_v1_accounts_search_200"


@pytest.fixture
def api2(make_api):
    return make_api(dialect="2")


def test_p6_offset_pages_in_dialect_2(api2, server):
    server.fixture(ACCOUNTS)
    page = api2.account_search("admin", limit=2)
    assert type(page) is PaginatableList and type(page[0].id) is MaybeSnowflakeIdType
    info = page._pagination_next
    assert type(info) is PaginationInfo and info["offset"] == 2
    assert info["_mastopy_type"] == "PaginatableList[Account]"
    server.clear()
    following = api2.fetch_next(page)
    assert_sent(server, "GET", "/api/v1/accounts/search",
                [("q", "admin"), ("limit", "2"), ("following", "0"), ("resolve", "0"), ("offset", "2")])
    assert type(following) is PaginatableList and type(following[0]) is type(page[0])


def test_p7_the_pagination_helpers_of_2_x(api2, server):
    for name in ("fetch_next", "fetch_previous", "fetch_remaining", "get_pagination_info", "pagination_iterator",
                 "pagination_page_iterator"):
        assert callable(getattr(api2, name))
    server.fixture(ACCOUNTS)
    page = api2.account_search("admin", limit=2)
    assert api2.get_pagination_info(page, "next") == page._pagination_next


def test_s1_the_signature_shows_1_8_1s_default_and_dialect_2_uses_2_xs(server):
    parameter = inspect.signature(Mastodon.__init__).parameters["version_check_mode"]
    assert parameter.default == "created"
    api2 = Mastodon(api_base_url=server.url, access_token=TOKEN, dialect="2")
    assert api2.version_check_mode == "none" and server.requests == []


class _Nothing(StreamListener):
    pass


def test_s7_stream_public_takes_2_3_3s_positional_only_media(make_api, server, sse):
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(sse.ws_url)))
    sse.serve(lambda stream: stream.end())
    make_api(dialect="2").stream_public(_Nothing(), False, 300, False, 5, False, False, True)
    (connection,) = sse.connections
    assert (connection.path, connection.query) == ("/api/v1/streaming/public", [("only_media", "true")])


@pytest.mark.parametrize("call, method, path, query, form", [
    (lambda api: api.account_follow(5), "POST", "/api/v1/accounts/5/follow", None,
     [("reblogs", "1"), ("notify", "0")]),
    (lambda api: api.account_search("q"), "GET", "/api/v1/accounts/search",
     [("q", "q"), ("following", "0"), ("resolve", "0")], None),
    (lambda api: api.timeline_home(limit=3), "GET", "/api/v1/timelines/home", [("limit", "3")], None),
    (lambda api: api.status_favourite(7), "POST", "/api/v1/statuses/7/favourite", None, []),
], ids=["account_follow", "account_search", "timeline_home", "status_favourite"])
@pytest.mark.parametrize("dialect", ["1.8", "2"])
def test_w13_requests_the_same_in_both_dialects(make_api, server, dialect, call, method, path, query, form):
    server.route(method, path, body=[] if method == "GET" else {"id": "5"})
    call(make_api(dialect=dialect))
    assert_sent(server, method, path, query=query, form=form)


@pytest.mark.parametrize("status, error_class", [
    (401, MastodonUnauthorizedError), (404, MastodonNotFoundError), (500, MastodonInternalServerError),
    (503, MastodonServiceUnavailableError), (418, MastodonAPIError),
])
@pytest.mark.parametrize("dialect", ["1.8", "2"])
def test_x7_the_error_classes_are_the_same_in_both_dialects(make_api, server, dialect, status, error_class):
    server.route("GET", "/api/v1/statuses/1", status=status, body={"error": "no"})
    with pytest.raises(error_class) as caught:
        make_api(dialect=dialect).status(1)
    assert caught.value.args[0] == "Mastodon API returned error" and caught.value.args[1] == status
    assert caught.value.args[3] == "no"
