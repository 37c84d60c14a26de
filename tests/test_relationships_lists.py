"""Mutes, blocks, domain blocks, follow requests, endorsements and lists."""

import pytest

from helpers import assert_sent
from server import Response

from mastodon import MastodonAPIError, MastodonIllegalArgumentError, MastodonNotFoundError
from mastodon.types_base import AttribAccessDict, AttribAccessList

OTHER_ID = 117020565693913441


# ---------------------------------------------------------------------------------------------
# Paginated relationship lists

PAGINATED = [("mutes", "/api/v1/mutes"), ("blocks", "/api/v1/blocks"),
             ("domain_blocks", "/api/v1/domain_blocks"), ("follow_requests", "/api/v1/follow_requests")]


@pytest.mark.parametrize("name,path", PAGINATED, ids=[p[0] for p in PAGINATED])
def test_paginated_lists_send_only_given_params(server, dialect_api, name, path):
    server.fixture(f"GET_api_v1_{name}_200")
    result = getattr(dialect_api, name)()
    assert_sent(server, "GET", path)
    assert isinstance(result, list)
    getattr(dialect_api, name)(max_id={"id": 30}, min_id=10, since_id=5, limit=2)
    assert server.last.query == [("max_id", "30"), ("min_id", "10"), ("since_id", "5"), ("limit", "2")]


@pytest.mark.parametrize("name,path", PAGINATED, ids=[p[0] for p in PAGINATED])
def test_fetch_next_works_with_ids_only_in_link_headers(server, api, name, path):
    # These endpoints page by ids of hidden join records (the mute / block / request row), which
    # appear only in the Link header, never in the returned items.
    item = "blocked.example" if name == "domain_blocks" else {"id": "42", "acct": "x"}
    link = f'<{server.url}{path}?limit=1&max_id=31337>; rel="next", <{server.url}{path}?since_id=31338>; rel="prev"'
    server.route("GET", path, Response(200, [item], {"Link": link}), Response(200, []))
    page = getattr(api, name)(limit=1)
    assert isinstance(page, AttribAccessList)
    assert page._pagination_next == {"limit": 1, "max_id": 31337, "_pagination_method": "GET",
                                     "_pagination_endpoint": path}
    assert page._pagination_prev == {"limit": 1, "since_id": 31338, "_pagination_method": "GET",
                                     "_pagination_endpoint": path}
    assert api.fetch_next(page) == []
    assert server.last.query == [("limit", "1"), ("max_id", "31337")]
    api.fetch_previous(page)
    assert server.last.query == [("limit", "1"), ("since_id", "31338")]


def test_follow_requests_parsed_with_prev_link_from_fixture(server, api):
    server.fixture("GET_api_v1_follow_requests_200")
    page = api.follow_requests()
    assert page[0].id == OTHER_ID and page[0].acct == "admin"
    assert page._pagination_prev["since_id"] == 1
    assert getattr(page, "_pagination_next", None) is None


def test_fetch_remaining_collects_all_mutes(server, api):
    path = "/api/v1/mutes"
    link = f'<{server.url}{path}?max_id=100>; rel="next"'
    server.route("GET", path, Response(200, [{"id": "1"}], {"Link": link}),
                 Response(200, [{"id": "2"}], {"Link": link}), Response(200, []))
    assert [a.id for a in api.fetch_remaining(api.mutes())] == [1, 2]
    assert len(server.requests) == 3


@pytest.mark.parametrize("method,verb", [("domain_block", "POST"), ("domain_unblock", "DELETE")])
def test_domain_block_and_unblock_send_form_domain_and_return_none(server, api, method, verb):
    server.fixture(f"{verb}_api_v1_domain_blocks_200")
    assert getattr(api, method)("spam.example") is None
    assert_sent(server, verb, "/api/v1/domain_blocks", form=[("domain", "spam.example")])


@pytest.mark.parametrize("method", ["domain_block", "domain_unblock"])
def test_domain_block_without_domain_sends_nothing(server, api, method):
    with pytest.raises(MastodonIllegalArgumentError):
        getattr(api, method)()
    assert server.requests == []


@pytest.mark.parametrize("action", ["authorize", "reject"])
def test_follow_request_authorize_and_reject(server, api, action):
    server.fixture("POST_api_v1_follow_requests_id_authorize_200", path=f"/api/v1/follow_requests/{OTHER_ID}/{action}")
    relationship = getattr(api, f"follow_request_{action}")({"id": OTHER_ID})
    assert_sent(server, "POST", f"/api/v1/follow_requests/{OTHER_ID}/{action}")
    assert relationship.followed_by is True and relationship.id == OTHER_ID


def test_follow_request_for_unknown_account_is_not_found(server, api):
    with pytest.raises(MastodonNotFoundError):
        api.follow_request_authorize(1)


def test_endorsements(server, api):
    server.fixture("GET_api_v1_endorsements_200")
    result = api.endorsements()
    assert_sent(server, "GET", "/api/v1/endorsements")
    assert result[0].id == OTHER_ID and result[0].acct == "admin"


def test_account_endorsements_of_any_account(server, api):
    # The answer of GET /api/v1/endorsements has the shape of this endpoint's (a list of accounts).
    server.fixture("GET_api_v1_endorsements_200", path="/api/v1/accounts/7/endorsements", headers={
        "Link": '<http://localhost:3000/api/v1/accounts/7/endorsements?max_id=44>; rel="next"'})
    result = api.account_endorsements({"id": 7}, limit=1)
    assert_sent(server, "GET", "/api/v1/accounts/7/endorsements", [("limit", "1")])
    assert result[0].id == OTHER_ID and result[0].acct == "admin"
    assert result._pagination_next == {"limit": 1, "_pagination_method": "GET",
                                       "_pagination_endpoint": "/api/v1/accounts/7/endorsements", "max_id": 44}
    server.clear()
    api.account_endorsements(7, max_id={"id": 44}, since_id=2)
    assert_sent(server, "GET", "/api/v1/accounts/7/endorsements", [("max_id", "44"), ("since_id", "2")])


# ---------------------------------------------------------------------------------------------
# Lists


def test_lists_and_list(server, api):
    server.fixture("GET_api_v1_lists_200")
    server.fixture("GET_api_v1_lists_id_200", path="/api/v1/lists/2")
    all_lists = api.lists()
    one = api.list({"id": 2})
    assert [(r.method, r.path, r.query) for r in server.requests] == [
        ("GET", "/api/v1/lists", []), ("GET", "/api/v1/lists/2", [])]
    assert all_lists[0].id == 1 and all_lists[0].exclusive is False
    assert (one.id, one.title, one.replies_policy) == (2, "fry kids", "list")


def test_list_accounts_paginates(server, api):
    server.fixture("GET_api_v1_lists_id_accounts_200", path="/api/v1/lists/3/accounts")
    page = api.list_accounts(3, limit=0)
    assert_sent(server, "GET", "/api/v1/lists/3/accounts", query=[("limit", "0")])
    assert page[0].id == OTHER_ID
    assert page._pagination_prev["since_id"] == OTHER_ID


def test_list_create_sends_only_the_title_by_default(server, api):
    server.fixture("POST_api_v1_lists_200")
    created = api.list_create("ham burglars")
    assert_sent(server, "POST", "/api/v1/lists", form=[("title", "ham burglars")])
    assert created.id == 3 and created.title == "ham burglars"


def test_list_create_and_update_send_explicit_options(server, api):
    server.fixture("POST_api_v1_lists_200")
    server.fixture("PUT_api_v1_lists_id_200", path="/api/v1/lists/2")
    api.list_create("x", replies_policy="followed", exclusive=True)
    assert server.last.form == [("title", "x"), ("replies_policy", "followed"), ("exclusive", "1")]
    # Explicit values equal to the defaults are still sent: they may be needed to reset a list.
    updated = api.list_update({"id": 2}, "fry kids", replies_policy="list", exclusive=False)
    assert (server.last.method, server.last.path) == ("PUT", "/api/v1/lists/2")
    assert server.last.form == [("title", "fry kids"), ("replies_policy", "list"), ("exclusive", "0")]
    assert updated.title == "fry kids"
    api.list_update(2, "renamed")
    assert server.last.form == [("title", "renamed")]


def test_list_signature_defaults_read_as_plain_values():
    import inspect
    from mastodon import Mastodon
    params = inspect.signature(Mastodon.list_create).parameters
    assert params["replies_policy"].default == "list"
    assert repr(params["exclusive"].default) == "False" and not params["exclusive"].default


def test_list_delete_returns_none(server, api):
    server.fixture("DELETE_api_v1_lists_id_200", path="/api/v1/lists/7")
    assert api.list_delete(7) is None
    assert_sent(server, "DELETE", "/api/v1/lists/7")


@pytest.mark.parametrize("method,verb", [("list_accounts_add", "POST"), ("list_accounts_delete", "DELETE")])
def test_list_accounts_add_and_delete_send_account_ids_form(server, api, method, verb):
    server.route(verb, "/api/v1/lists/3/accounts", body={})
    assert getattr(api, method)(3, [OTHER_ID, AttribAccessDict(id=5)]) is None
    assert_sent(server, verb, "/api/v1/lists/3/accounts",
                form=[("account_ids[]", str(OTHER_ID)), ("account_ids[]", "5")])
    getattr(api, method)({"id": 3}, {"id": 9})
    assert server.last.form == [("account_ids[]", "9")]


def test_list_accounts_add_not_followed_is_api_error(server, api):
    server.route("POST", "/api/v1/lists/3/accounts",
                 Response(422, {"error": "Validation failed: Account has not been followed"}))
    with pytest.raises(MastodonAPIError) as info:
        api.list_accounts_add(3, 5)
    assert info.value.status_code == 422
    assert "not been followed" in str(info.value)
