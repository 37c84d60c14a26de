"""Pages of the endpoints that page by ``offset`` (Mastodon.py 2.3's rules), whole-page iteration,
and the max_id-style pages that keep Mastodon.py 1.8.1's dicts."""

import pytest

from helpers import assert_sent
from server import Response

from mastodon import MastodonIllegalArgumentError
from mastodon.return_types import Account, Collections, SearchV2, Tag
from mastodon.types_base import PaginationInfo

ADMIN, ADMIN2 = 117020457624302809, 117020457767579295


def tag(name):
    return {"name": name, "url": f"https://example.org/tags/{name}", "history": []}


def test_account_search_offers_the_next_offset_after_the_items_returned(server, api):
    server.fixture("GET_api_v1_accounts_search_200")
    page = api.account_search("admin", limit=2)
    assert [account.id for account in page] == [ADMIN, ADMIN2]
    assert isinstance(page[0], Account)
    assert page._pagination_next == {
        "q": "admin", "limit": 2, "following": "0", "resolve": "0",
        "_pagination_method": "GET", "_pagination_endpoint": "/api/v1/accounts/search",
        "_pagination_offset": True, "_pagination_offset_field": None, "_pagination_lang": None,
        "offset": 2, "_pagination_offset_previous": 0}
    assert isinstance(page._pagination_next, PaginationInfo)
    assert getattr(page, "_pagination_prev", None) is None  # offset 0 has nothing before it

    server.clear()
    following = api.fetch_next(page)
    assert_sent(server, "GET", "/api/v1/accounts/search",
                [("q", "admin"), ("limit", "2"), ("following", "0"), ("resolve", "0"), ("offset", "2")])
    assert isinstance(following[0], Account)  # cast like the page it follows


def test_previous_page_one_page_back_when_the_start_is_unknown(server, api):
    # limit=2 at offset 4 answered with one account: the next page starts at 4 + 1 = 5; the page
    # before was not visited, so it is taken one page (1 item) back: offset 3, limit 4 - 3 = 1.
    server.fixture("GET_api_v1_directory_200")
    page = api.directory(offset=4, limit=2)
    assert page._pagination_next["offset"] == 5
    assert page._pagination_next["limit"] == 2
    assert page._pagination_next["_pagination_offset_previous"] == 4
    assert (page._pagination_prev["offset"], page._pagination_prev["limit"]) == (3, 1)
    assert "_pagination_offset_previous" not in page._pagination_prev

    server.clear()
    api.fetch_previous(page)
    assert_sent(server, "GET", "/api/v1/directory", [("offset", "3"), ("limit", "1")])


def test_a_page_reached_with_fetch_next_remembers_where_the_page_before_started(server, api):
    server.route("GET", "/api/v1/trends/tags", Response(200, [tag("a"), tag("b")]),
                 Response(200, [tag("c"), tag("d")]), Response(200, [tag("a"), tag("b")]))
    first = api.trending_tags(limit=2)
    second = api.fetch_next(first)
    assert [t.name for t in second] == ["c", "d"]
    assert isinstance(second[0], Tag)
    # second is at offset 2, reached from offset 0: its previous page is offset 0, limit 2 - 0.
    assert (second._pagination_prev["offset"], second._pagination_prev["limit"]) == (0, 2)
    assert second._pagination_next["offset"] == 4
    api.fetch_previous(second)
    assert [r.query for r in server.requests] == [
        [("limit", "2")], [("limit", "2"), ("offset", "2")], [("limit", "2"), ("offset", "0")]]


def test_an_offset_in_the_link_header_wins(server, api):
    link = ('<https://example.org/api/v1/trends/tags?offset=10&limit=3>; rel="next", '
            '<https://example.org/api/v1/trends/tags?offset=1>; rel="prev"')
    server.route("GET", "/api/v1/trends/tags", body=[tag("a")], headers={"Link": link})
    page = api.trending_tags(limit=1, offset=4)
    assert (page._pagination_next["offset"], page._pagination_next["limit"]) == (10, 3)
    assert (page._pagination_prev["offset"], page._pagination_prev["limit"]) == (1, 1)  # limit of the call


def test_the_trends_language_of_the_call_goes_with_the_next_page(server, make_api):
    api = make_api(lang="fr")
    server.route("GET", "/api/v1/trends/statuses", body=[{"id": "5", "content": "<p>hi</p>"}])
    page = api.trending_statuses(lang="ja")
    assert page._pagination_next["_pagination_lang"] == "ja"
    server.clear()
    api.fetch_next(page)
    # lang=ja, not the client's fr; the offset comes after the parameters of the first call
    assert_sent(server, "GET", "/api/v1/trends/statuses", [("lang", "ja"), ("offset", "1")])


def test_an_empty_page_is_the_last(server, api):
    server.route("GET", "/api/v1/trends/links", body=[])
    page = api.trending_links(offset=6)
    assert getattr(page, "_pagination_next", None) is None
    # No item tells the page length: the page before is everything before offset 6.
    assert (page._pagination_prev["offset"], page._pagination_prev["limit"]) == (0, 6)
    assert api.fetch_next(page) is None
    assert len(server.requests) == 1


def test_an_offset_that_is_not_a_number_gives_no_pages_and_no_error(server, api):
    server.fixture("GET_api_v1_directory_200")
    page = api.directory(offset="later")
    assert getattr(page, "_pagination_next", None) is None and getattr(page, "_pagination_prev", None) is None
    assert server.last.query == [("offset", "later")]


def test_search_v2_with_a_result_type_pages_the_wrapper_on_that_list(server, api):
    server.fixture("GET_api_v2_search_200")
    result = api.search_v2("mastodonpy", result_type="accounts", limit=2)
    assert isinstance(result, SearchV2)
    assert result._pagination_next["_pagination_offset_field"] == "accounts"
    assert result._pagination_next["offset"] == 2
    server.clear()
    api.fetch_next(result)
    assert_sent(server, "GET", "/api/v2/search", [("q", "mastodonpy"), ("resolve", "1"),
                                                 ("exclude_unreviewed", "1"), ("limit", "2"),
                                                 ("type", "accounts"), ("offset", "2")])


def test_search_v2_without_a_result_type_has_no_pages(server, api):
    server.fixture("GET_api_v2_search_200")
    result = api.search_v2("mastodonpy")
    assert getattr(result, "_pagination_next", None) is None


def test_max_id_pages_keep_mastodon_py_1_8_1_dicts(server, api):
    link = '<https://example.org/api/v1/accounts/1/statuses?max_id=7>; rel="next"'
    server.route("GET", "/api/v1/accounts/1/statuses", body=[{"id": "8"}], headers={"Link": link})
    page = api.account_statuses(1, limit=1)
    assert page._pagination_next == {"limit": 1, "_pagination_method": "GET",
                                     "_pagination_endpoint": "/api/v1/accounts/1/statuses", "max_id": 7}


# ---------------------------------------------------------------------------------------------
# Whole pages


def test_page_iterator_yields_every_page_including_the_empty_last_one(server, api):
    server.route("GET", "/api/v1/trends/tags", Response(200, [tag("a")]), Response(200, [tag("b")]),
                 Response(200, []))
    pages = list(api.pagination_page_iterator(api.trending_tags()))
    assert [[t.name for t in page] for page in pages] == [["a"], ["b"], []]
    assert [r.query for r in server.requests] == [[], [("offset", "1")], [("offset", "2")]]


def test_page_iterator_with_pagination_info(server, api):
    server.route("GET", "/api/v1/directory", Response(200, [{"id": "1"}]), Response(200, []))
    start = api.directory(limit=1)
    server.clear()
    pairs = list(api.pagination_page_iterator(start._pagination_next, return_pagination_info=True))
    assert len(pairs) == 1  # the info leads to the empty page: the only one yielded
    page, info = pairs[0]
    assert page == [] and info is None
    assert [r.query for r in server.requests] == [[("limit", "1"), ("offset", "1")]]


def test_page_iterator_walks_wrapper_pages_backwards(server, make_api):
    api = make_api(mastodon_version="4.6.0")
    server.route("GET", "/api/v1/accounts/3/collections",
                 *(Response(200, {"collections": [{"id": str(n), "name": "c"}]}) for n in (9, 8, 7)))
    first = api.account_collections(3, limit=1, offset=2)
    pages = list(api.pagination_page_iterator(first, direction="previous", return_pagination_info=True))
    assert [page.collections[0].id for page, _ in pages] == [9, 8, 7]
    assert all(isinstance(page, Collections) for page, _ in pages)
    # Offsets 2, 1, 0: one item back each time; at offset 0 there is no page before.
    assert [info and (info["offset"], info["limit"]) for _, info in pages] == [(1, 1), (0, 1), None]
    assert [r.query for r in server.requests] == [
        [("limit", "1"), ("offset", "2")], [("limit", "1"), ("offset", "1")], [("limit", "1"), ("offset", "0")]]


def test_page_iterator_rejects_a_bad_direction(api):
    with pytest.raises(MastodonIllegalArgumentError):
        next(api.pagination_page_iterator([], direction="sideways"))
