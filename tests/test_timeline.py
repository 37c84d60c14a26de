"""Timelines, favourites, bookmarks and conversations: wire form, parsing and pagination."""

import datetime
import re

import pytest
from helpers import assert_sent, fixture
from server import Response

from mastodon import MastodonIllegalArgumentError, MastodonUnauthorizedError, MastodonVersionError
from mastodon.types_base import AttribAccessDict, AttribAccessList

HOME = fixture("GET_api_v1_timelines_home_200")


TIMELINE_CALLS = [
    (lambda a: a.timeline(), "/api/v1/timelines/home", []),
    (lambda a: a.timeline_home(limit=40), "/api/v1/timelines/home", [("limit", "40")]),
    (lambda a: a.timeline_home(max_id=1, min_id={"id": 2}, since_id=3, limit=4, only_media=True, local=True,
                               remote=True),
     "/api/v1/timelines/home",
     [("max_id", "1"), ("min_id", "2"), ("since_id", "3"), ("limit", "4"), ("only_media", "1"), ("local", "1"),
      ("remote", "1")]),
    (lambda a: a.timeline_home(only_media=False, local=False, remote=False), "/api/v1/timelines/home", []),
    (lambda a: a.timeline("local", limit=2), "/api/v1/timelines/public", [("limit", "2"), ("local", "1")]),
    (lambda a: a.timeline_local(only_media=True), "/api/v1/timelines/public", [("only_media", "1"), ("local", "1")]),
    (lambda a: a.timeline_public(local=True, remote=True), "/api/v1/timelines/public",
     [("local", "1"), ("remote", "1")]),
    (lambda a: a.timeline_public(remote=True), "/api/v1/timelines/public", [("remote", "1")]),
    (lambda a: a.timeline_hashtag("hoot", local=True, limit=1), "/api/v1/timelines/tag/hoot",
     [("limit", "1"), ("local", "1")]),
    (lambda a: a.timeline_list({"id": 6}, since_id=5), "/api/v1/timelines/list/6", [("since_id", "5")]),
    (lambda a: a.timeline_link("https://example.org/a?b=c&d=e#f", limit=3), "/api/v1/timelines/link",
     [("url", "https://example.org/a?b=c&d=e#f"), ("limit", "3")]),
    (lambda a: a.favourites(limit=2), "/api/v1/favourites", [("limit", "2")]),
    (lambda a: a.bookmarks(max_id={"id": 9}), "/api/v1/bookmarks", [("max_id", "9")]),
    (lambda a: a.conversations(min_id=4), "/api/v1/conversations/", [("min_id", "4")]),
]


@pytest.mark.parametrize("call,path,query", TIMELINE_CALLS)
def test_listing_sends_exactly_this(server, dialect_api, dialect, call, path, query):
    """The same request in both dialects; the ids compared are dialect "1.8"'s ints."""
    server.route("GET", path, Response(200, HOME["body"][:2]))
    result = call(dialect_api)
    # Row W5: dialect "2" first reads the instance's timelines_access, as Mastodon.py 2.x does;
    # the timeline request itself is the same.
    if dialect == "2":
        server.requests[:] = [r for r in server.requests if not r.path.startswith("/api/v2/instance")]
    assert_sent(server, "GET", path, query=query)
    if dialect == "1.8":
        assert [s.id for s in result] == [int(s["id"]) for s in HOME["body"][:2]]


def test_home_timeline_parses_the_fixture_with_pagination(server, api):
    server.fixture("GET_api_v1_timelines_home_200")
    page = api.timeline_home()
    assert isinstance(page, AttribAccessList)
    assert len(page) == len(HOME["body"])
    first = page[0]
    assert isinstance(first, AttribAccessDict)
    assert first.id == int(HOME["body"][0]["id"])
    assert isinstance(first.created_at, datetime.datetime)
    assert first.account.acct == HOME["body"][0]["account"]["acct"]
    assert page._pagination_next == {"max_id": 117020574694606796, "_pagination_method": "GET",
                                     "_pagination_endpoint": "/api/v1/timelines/home"}
    assert page._pagination_prev["min_id"] == 117020593473214477
    assert page[-1]._pagination_next is page._pagination_next


def test_fixtures_of_other_timelines_parse(server, api):
    server.fixture("GET_api_v1_timelines_public_200")
    server.fixture("GET_api_v1_timelines_tag_hoot_200")
    server.fixture("GET_api_v1_timelines_list_id_200", path="/api/v1/timelines/list/6")
    server.fixture("GET_api_v1_bookmarks_200")
    server.fixture("GET_api_v1_favourites_200")
    server.fixture("GET_api_v1_conversations__200")
    public = api.timeline_public(local=True, remote=True)
    assert public._pagination_next["max_id"] == 117024218475038112
    assert public._pagination_next["local"] == "1" and public._pagination_next["remote"] == "1"
    assert api.timeline_hashtag("hoot")[0].tags[0].name == "hoot"
    assert len(api.timeline_list(6)) == 7
    assert api.bookmarks()._pagination_prev["min_id"] == 1
    assert api.favourites() == []
    conversations = api.conversations()
    assert conversations[0].id == 15
    assert conversations[0].accounts[0].acct == "admin"


def test_datetime_pagination_bound_becomes_a_snowflake(server, api):
    server.route("GET", "/api/v1/timelines/home", Response(200, []))
    when = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    api.timeline_home(max_id=when)
    assert server.last.query == [("max_id", str((int(when.timestamp()) << 16) * 1000))]


@pytest.mark.parametrize("bad", ["#hoot", None, 5])
def test_hashtag_with_hash_or_not_a_string_sends_nothing(server, api, bad):
    with pytest.raises(MastodonIllegalArgumentError):
        api.timeline_hashtag(bad)
    assert server.requests == []


def test_timeline_link_rejects_empty_url(server, api):
    with pytest.raises(MastodonIllegalArgumentError):
        api.timeline_link("")
    assert server.requests == []


def test_link_timeline_404_and_home_401(server, api):
    server.fixture("GET_api_v1_timelines_link_404")
    server.fixture("GET_api_v1_timelines_home_401")
    with pytest.raises(Exception) as info:
        api.timeline_link("https://example.org/")
    assert info.value.status_code == 404
    with pytest.raises(MastodonUnauthorizedError):
        api.timeline_home()


def test_version_gates(server, make_api):
    api = make_api(mastodon_version="2.0.0")
    with pytest.raises(MastodonVersionError):
        api.timeline_list(1)
    with pytest.raises(MastodonVersionError):
        api.bookmarks()
    with pytest.raises(MastodonVersionError):
        api.conversations()
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# Pagination over real endpoints: a server that pages through 7 statuses, 3 per page.

def paging_handler(path, items, per_page=3):
    ids = sorted((int(s["id"]) for s in items), reverse=True)
    by_id = {int(s["id"]): s for s in items}

    def handler(recorded):
        query = dict(recorded.query)
        limit = int(query.get("limit", per_page))
        max_id = int(query["max_id"]) if "max_id" in query else None
        newer = [i for i in ids if max_id is None or i < max_id][:limit]
        headers = {}
        extra = "".join(f"&{k}={v}" for k, v in recorded.query if k not in ("max_id", "min_id", "since_id"))
        links = []
        if newer:
            if newer[-1] != ids[-1]:
                links.append(f'<http://localhost:3000{path}?max_id={newer[-1]}{extra}>; rel="next"')
            links.append(f'<http://localhost:3000{path}?min_id={newer[0]}{extra}>; rel="prev"')
        if links:
            headers["Link"] = ", ".join(links)
        return Response(200, [by_id[i] for i in newer], headers)

    return handler


def make_statuses(count):
    base = HOME["body"][0]
    return [dict(base, id=str(1000 + i)) for i in range(count)]


@pytest.mark.parametrize("method,path", [
    ("timeline_home", "/api/v1/timelines/home"),
    ("favourites", "/api/v1/favourites"),
    ("bookmarks", "/api/v1/bookmarks"),
    ("scheduled_statuses", "/api/v1/scheduled_statuses"),
])
def test_fetch_remaining_walks_every_page(server, api, method, path):
    items = make_statuses(7)
    server.route("GET", path, handler=paging_handler(path, items))
    first = getattr(api, method)(limit=3)
    everything = api.fetch_remaining(first)
    assert type(everything) is list
    assert [s.id for s in everything] == [1006, 1005, 1004, 1003, 1002, 1001, 1000]
    assert [r.query for r in server.requests] == [
        [("limit", "3")], [("limit", "3"), ("max_id", "1004")], [("limit", "3"), ("max_id", "1001")]]
    # The first page itself is left as it was and its items are shared, not copied.
    assert len(first) == 3 and everything[0] is first[0]


def test_fetch_remaining_reports_each_page_to_the_callback_and_the_log(server, api, caplog):
    path = "/api/v1/timelines/home"
    server.route("GET", path, handler=paging_handler(path, make_statuses(7)))
    first = api.timeline_home(limit=3)
    seen = []
    with caplog.at_level("INFO", logger="mastodon"):
        everything = api.fetch_remaining(first, progress_callback=lambda pages, items: seen.append((pages, items)))
    assert len(everything) == 7
    assert seen == [(2, 6), (3, 7)]
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("mastodon", "INFO", "fetch_remaining: 2 pages, 6 items so far"),
        ("mastodon", "INFO", "fetch_remaining: 3 pages, 7 items so far")]


def test_fetch_remaining_stops_when_the_callback_raises(server, api):
    path = "/api/v1/timelines/home"
    server.route("GET", path, handler=paging_handler(path, make_statuses(7)))
    first = api.timeline_home(limit=3)

    def enough(pages, items):
        raise StopIteration
    with pytest.raises(StopIteration):
        api.fetch_remaining(first, progress_callback=enough)
    assert len(server.requests) == 2


def test_fetch_next_and_previous_follow_the_link_header(server, api):
    items = make_statuses(5)
    server.route("GET", "/api/v1/timelines/public", handler=paging_handler("/api/v1/timelines/public", items, 2))
    first = api.timeline_public(local=True, limit=2)
    second = api.fetch_next(first)
    assert server.last.query == [("limit", "2"), ("local", "1"), ("max_id", "1003")]
    assert [s.id for s in second] == [1002, 1001]
    api.fetch_previous(second)
    assert server.last.query == [("limit", "2"), ("local", "1"), ("min_id", "1002")]
    third = api.fetch_next(second)
    assert [s.id for s in third] == [1000]
    assert not hasattr(third, "_pagination_next")
    assert api.fetch_next(third) is None


def test_pagination_iterator_is_lazy(server, api):
    items = make_statuses(7)
    server.route("GET", "/api/v1/conversations/", handler=paging_handler("/api/v1/conversations/", items))
    first = api.conversations(limit=3)
    iterator = api.pagination_iterator(first)
    assert len(server.requests) == 1
    seen = [next(iterator).id for _ in range(3)]
    assert seen == [1006, 1005, 1004] and len(server.requests) == 1
    seen.append(next(iterator).id)
    assert len(server.requests) == 2
    seen.extend(s.id for s in iterator)
    assert seen == [1006, 1005, 1004, 1003, 1002, 1001, 1000]
    assert len(server.requests) == 3


def test_pagination_iterator_from_pagination_info(server, api):
    items = make_statuses(4)
    server.route("GET", "/api/v1/timelines/home", handler=paging_handler("/api/v1/timelines/home", items, 2))
    first = api.timeline_home(limit=2)
    info = api.get_pagination_info(first, "next")
    pairs = list(api.pagination_iterator(info, return_pagination_info=True))
    assert [item.id for item, _ in pairs] == [1001, 1000]
    assert re.fullmatch(r"/api/v1/timelines/home", server.last.path)
    assert [dict(r.query).get("max_id") for r in server.requests] == [None, "1002"]

