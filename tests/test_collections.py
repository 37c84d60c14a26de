"""Collections (Mastodon 4.6): the requests each method sends and the results it returns.

No recorded answers exist for these endpoints yet (../shared/fixtures has none): the bodies below
are hand-written after the Collection and CollectionItem entities of the Mastodon API docs.
"""

import pytest

from helpers import assert_sent
from server import Response

from mastodon import MastodonVersionError
from mastodon.return_types import (
    Account, Collection, CollectionItem, Collections, CollectionWithAccounts, WrappedCollection,
    WrappedCollectionItem,
)
from mastodon.types_base import AttribAccessDict, EmptyResponse

COLLECTION = {
    "id": "1161", "account_id": "117020565966271181", "uri": "https://example.org/collections/1161",
    "url": "https://example.org/@alice/collections/1161", "name": "Cat people", "description": "Purr.",
    "language": "en", "local": True, "sensitive": False, "discoverable": True,
    "tag": {"name": "cats", "url": "https://example.org/tags/cats"},
    "created_at": "2026-08-01T12:00:00.000Z", "updated_at": "2026-08-02T12:00:00.000Z", "item_count": 1,
    "items": [{"id": "77", "account_id": "117020566092212359", "state": "accepted",
               "created_at": "2026-08-01T12:00:01.000Z"}],
}
ITEM = {"id": "78", "account_id": "5", "state": "pending", "created_at": "2026-08-03T09:30:00.000Z"}


@pytest.fixture
def api(make_api):
    return make_api(mastodon_version="4.6.0")


def test_collection_with_its_accounts(server, api):
    server.route("GET", "/api/v1/collections/1161", body={
        "collection": COLLECTION, "accounts": [{"id": "117020566092212359", "acct": "bob"}]})
    result = api.collection(AttribAccessDict(id=1161))
    assert_sent(server, "GET", "/api/v1/collections/1161")
    assert isinstance(result, CollectionWithAccounts)
    assert isinstance(result.collection, Collection) and isinstance(result.accounts[0], Account)
    assert result.collection.id == 1161
    assert result.collection.name == "Cat people"
    assert result.collection.tag.name == "cats"
    assert result.collection.created_at.day == 1 and result.collection.updated_at.day == 2
    assert result.collection["items"][0].state == "accepted"
    assert isinstance(result.collection["items"][0], CollectionItem)
    assert result.accounts[0].acct == "bob"


def test_account_collections_pages_by_offset_on_the_list(server, api):
    server.route("GET", "/api/v1/accounts/7/collections", body={"collections": [COLLECTION, COLLECTION]})
    result = api.account_collections({"id": 7}, limit=2)
    assert_sent(server, "GET", "/api/v1/accounts/7/collections", [("limit", "2")])
    assert isinstance(result, Collections) and isinstance(result.collections[0], Collection)
    assert result._pagination_next["offset"] == 2  # two items from offset 0
    assert result._pagination_next["_pagination_offset_field"] == "collections"
    server.clear()
    following = api.fetch_next(result)
    assert_sent(server, "GET", "/api/v1/accounts/7/collections", [("limit", "2"), ("offset", "2")])
    assert isinstance(following, Collections)


def test_account_in_collections_of_a_given_account(server, api):
    server.route("GET", "/api/v1/accounts/7/in_collections", body={"collections": []})
    result = api.account_in_collections(7, offset=3)
    assert_sent(server, "GET", "/api/v1/accounts/7/in_collections", [("offset", "3")])
    assert result.collections == [] and getattr(result, "_pagination_next", None) is None


def test_account_in_collections_of_the_logged_in_account_looks_it_up_first(server, api):
    server.fixture("GET_api_v1_accounts_verify_credentials_200")
    server.route("GET", "/api/v1/accounts/117020565966271181/in_collections", body={"collections": [COLLECTION]})
    result = api.account_in_collections(None)
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/api/v1/accounts/verify_credentials"), ("GET", "/api/v1/accounts/117020565966271181/in_collections")]
    assert result.collections[0].item_count == 1


def test_collection_create_always_sends_the_flags_and_lists_accounts_last(server, api):
    server.route("POST", "/api/v1/collections", body={"collection": COLLECTION})
    result = api.collection_create("Cat people", account_ids=[7, {"id": 8}])
    assert_sent(server, "POST", "/api/v1/collections", form=[
        ("name", "Cat people"), ("sensitive", "0"), ("discoverable", "0"), ("account_ids[]", "7"),
        ("account_ids[]", "8")])
    assert isinstance(result, WrappedCollection) and result.collection.discoverable is True


def test_collection_create_with_everything(server, api):
    server.route("POST", "/api/v1/collections", body={"collection": COLLECTION})
    api.collection_create("Cat people", "Purr.", "en", "cats", sensitive=True, discoverable=True, account_ids=7)
    assert server.last.form == [
        ("name", "Cat people"), ("description", "Purr."), ("language", "en"), ("tag_name", "cats"),
        ("sensitive", "1"), ("discoverable", "1"), ("account_ids[]", "7")]


def test_collection_update_sends_only_what_is_given(server, api):
    server.route("PATCH", "/api/v1/collections/1161", body={"collection": COLLECTION})
    result = api.collection_update(1161, name="Dog people", sensitive=False)
    assert_sent(server, "PATCH", "/api/v1/collections/1161", form=[("name", "Dog people"), ("sensitive", "0")])
    assert result.collection.id == 1161


@pytest.mark.parametrize("body", [{}, b""])
def test_collection_delete_gives_an_empty_response(server, api, body):
    server.route("DELETE", "/api/v1/collections/1161", body=body)
    result = api.collection_delete(1161)
    assert_sent(server, "DELETE", "/api/v1/collections/1161")
    assert isinstance(result, EmptyResponse) and result == {}


def test_collection_item_add(server, api):
    server.route("POST", "/api/v1/collections/1161/items", body={"collection_item": ITEM})
    result = api.collection_item_add(1161, {"id": 5, "acct": "carol"})
    assert_sent(server, "POST", "/api/v1/collections/1161/items", form=[("account_id", "5")])
    assert isinstance(result, WrappedCollectionItem) and isinstance(result.collection_item, CollectionItem)
    assert (result.collection_item.id, result.collection_item.state) == (78, "pending")
    assert result.collection_item.created_at.hour == 9


def test_collection_item_delete_and_revoke(server, api):
    server.route("DELETE", "/api/v1/collections/1161/items/78", body={})
    server.route("POST", "/api/v1/collections/1161/items/78/revoke", Response(200, b""))
    assert isinstance(api.collection_item_delete(COLLECTION, ITEM), EmptyResponse)
    assert isinstance(api.collection_item_revoke(1161, 78), EmptyResponse)
    assert [(r.method, r.path, r.body) for r in server.requests] == [
        ("DELETE", "/api/v1/collections/1161/items/78", b""),
        ("POST", "/api/v1/collections/1161/items/78/revoke", b"")]


def test_an_empty_answer_is_still_an_error_elsewhere(server, api):
    server.route("POST", "/api/v1/collections/1161/items", Response(200, b""))
    from mastodon import MastodonAPIError
    with pytest.raises(MastodonAPIError):
        api.collection_item_add(1161, 5)


def test_collections_need_mastodon_4_6(server, make_api):
    api = make_api(mastodon_version="4.5.0")
    with pytest.raises(MastodonVersionError):
        api.collection(1)
    assert server.requests == []


def test_report_names_collections_after_the_other_fields(server, api):
    server.fixture("POST_api_v1_reports__200")
    api.report(117020565966271181, comment="spam lists", collection_ids=[4, COLLECTION])
    assert_sent(server, "POST", "/api/v1/reports/", form=[
        ("account_id", "117020565966271181"), ("comment", "spam lists"), ("collection_ids[]", "4"),
        ("collection_ids[]", "1161")])
