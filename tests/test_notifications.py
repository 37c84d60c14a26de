"""Notifications: exact requests and parsed results against the recording server."""

import datetime

import pytest
from helpers import assert_sent
from server import Response

from conftest import TOKEN
from mastodon import Mastodon
from mastodon.errors import MastodonIllegalArgumentError, MastodonNotFoundError, MastodonVersionError

UTC = datetime.timezone.utc


def test_notifications_list_sends_nothing_extra_and_parses_page(api, server):
    server.fixture("GET_api_v1_notifications_200")
    page = api.notifications()
    assert_sent(server, "GET", "/api/v1/notifications")
    assert [n.id for n in page] == [5, 3, 2]
    assert page[0].type == "admin.sign_up"
    assert page[0].created_at == datetime.datetime(2026, 8, 1, 13, 49, 7, 95000, tzinfo=UTC)
    assert page[0].account.id == 117020566092212359
    assert page._pagination_next["max_id"] == 2
    assert page._pagination_prev["min_id"] == 5


@pytest.mark.parametrize("kwargs, query", [
    (dict(limit=5), [("limit", "5")]),
    (dict(account_id={"id": 77}, max_id={"id": 9}, min_id=3, since_id=2, limit=40),
     [("account_id", "77"), ("max_id", "9"), ("min_id", "3"), ("since_id", "2"), ("limit", "40")]),
    (dict(types=["mention", "poll"], exclude_types=["follow"], limit=2),
     [("limit", "2"), ("exclude_types[]", "follow"), ("types[]", "mention"), ("types[]", "poll")]),
    (dict(types="mention"), [("types", "mention")]),
    (dict(mentions_only=True), [("types[]", "mention")]),
    (dict(mentions_only=False), []),
    (dict(max_id=datetime.datetime(2026, 1, 1, tzinfo=UTC)),
     [("max_id", str((int(datetime.datetime(2026, 1, 1, tzinfo=UTC).timestamp()) << 16) * 1000))]),
])
def test_notifications_query(dialect_api, server, kwargs, query):
    server.fixture("GET_api_v1_notifications_200")
    dialect_api.notifications(**kwargs)
    assert server.last.query == query


def test_notifications_mentions_only_on_old_server_excludes_other_types(make_api, server):
    server.fixture("GET_api_v1_notifications_200")
    make_api(mastodon_version="3.4.0").notifications(mentions_only=True)
    assert server.last.query == [("exclude_types[]", t) for t in
                                 ("follow", "favourite", "reblog", "poll", "follow_request")]


@pytest.mark.parametrize("kwargs", [dict(mentions_only=True, types=["mention"]),
                                    dict(mentions_only=False, exclude_types=["follow"]),
                                    dict(mentions_only=True, types=[], id=3)])
def test_notifications_mentions_only_conflicts_send_nothing(dialect_api, server, kwargs):
    with pytest.raises(MastodonIllegalArgumentError):
        dialect_api.notifications(**kwargs)
    assert server.requests == []


def test_notifications_single_ignores_filters(api, server):
    server.fixture("GET_api_v1_notifications_id_200", path="/api/v1/notifications/20")
    notification = api.notifications(id={"id": 20}, limit=5, types=["mention"])
    assert (server.last.path, server.last.query) == ("/api/v1/notifications/20", [])
    assert notification.id == 20 and notification.type == "mention"
    assert notification.status.account.id == notification.account.id


def test_notifications_pagination_follows_link_header(api, server):
    server.fixture("GET_api_v1_notifications_200")
    page = api.notifications(limit=2, types=["mention"])
    api.fetch_next(page)
    assert server.last.query == [("limit", "2"), ("types[]", "mention"), ("max_id", "2")]
    api.fetch_previous(page)
    assert server.last.query == [("limit", "2"), ("types[]", "mention"), ("min_id", "5")]


def test_notifications_version_gate(make_api, server):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="0.9.0").notifications()
    assert server.requests == []


def test_notifications_clear_returns_none(api, server):
    server.fixture("POST_api_v1_notifications_clear_200")
    assert api.notifications_clear() is None
    assert_sent(server, "POST", "/api/v1/notifications/clear")


def test_notifications_dismiss_new_endpoint(api, server):
    server.fixture("POST_api_v1_notifications_id_dismiss_200", path="/api/v1/notifications/20/dismiss")
    assert api.notifications_dismiss({"id": 20}) is None
    assert_sent(server, "POST", "/api/v1/notifications/20/dismiss")


def test_notifications_dismiss_before_2_9_2_posts_id(make_api, server):
    server.route("POST", "/api/v1/notifications/dismiss", Response(200, {}))
    assert make_api(mastodon_version="2.9.1").notifications_dismiss(20) is None
    assert (server.last.path, server.last.form) == ("/api/v1/notifications/dismiss", [("id", "20")])


def test_notifications_dismiss_error_is_raised(api, server):
    server.route("POST", "/api/v1/notifications/20/dismiss", Response(404, {"error": "Record not found"}))
    with pytest.raises(MastodonNotFoundError):
        api.notifications_dismiss(20)


def test_notifications_unread_count(api, server):
    server.fixture("GET_api_v1_notifications_unread_count_200")
    assert api.notifications_unread_count() == {"count": 1}
    assert server.last.path == "/api/v1/notifications/unread_count"


# --- grouped notifications ------------------------------------------------------------------------

def test_grouped_notifications_default_request_and_result(api, server):
    server.fixture("GET_api_v2_notifications_200")
    result = api.grouped_notifications()
    assert (server.last.method, server.last.path) == ("GET", "/api/v2/notifications")
    assert server.last.query == [("expand_accounts", "partial_avatars")]
    assert set(result) >= {"accounts", "statuses", "notification_groups"}
    assert result.accounts[0].id == 117020565693913441
    assert isinstance(result.statuses[0].created_at, datetime.datetime)
    assert result.notification_groups[0].group_key


def test_grouped_notifications_all_parameters(api, server):
    server.fixture("GET_api_v2_notifications_200")
    api.grouped_notifications(max_id={"id": 40}, since_id=1, min_id=2, limit=5, types=["favourite"],
                              exclude_types=["follow"], account_id={"id": 7}, expand_accounts="full",
                              grouped_types=["favourite", "reblog"], include_filtered=True)
    assert server.last.query == [
        ("max_id", "40"), ("since_id", "1"), ("min_id", "2"), ("limit", "5"), ("account_id", "7"),
        ("expand_accounts", "full"), ("include_filtered", "1"), ("types[]", "favourite"),
        ("exclude_types[]", "follow"), ("grouped_types[]", "favourite"), ("grouped_types[]", "reblog")]


def test_grouped_notifications_are_paginated_from_link_header(api, server):
    server.fixture("GET_api_v2_notifications_200")
    result = api.grouped_notifications(limit=5)
    assert result._pagination_next == {"limit": 5, "expand_accounts": "partial_avatars", "max_id": 38,
                                       "_pagination_method": "GET", "_pagination_endpoint": "/api/v2/notifications"}
    assert result._pagination_prev["min_id"] == 42
    following = api.fetch_next(result._pagination_next)
    assert server.last.query == [("limit", "5"), ("expand_accounts", "partial_avatars"), ("max_id", "38")]
    assert "notification_groups" in following


def test_grouped_notifications_without_link_has_no_pagination(api, server):
    server.fixture("GET_api_v2_notifications_200", headers={"link": ""})
    result = api.grouped_notifications()
    assert getattr(result, "_pagination_next", None) is None


def test_grouped_notifications_need_4_3(make_api, server):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="4.2.0").grouped_notifications()
    assert server.requests == []


GROUP = "favourite-117020579695730951-495997"


def test_grouped_notification(api, server):
    server.fixture(f"GET_api_v2_notifications_{GROUP}_200")
    result = api.grouped_notification(GROUP)
    assert server.last.path == f"/api/v2/notifications/{GROUP}"
    assert result.notification_groups[0].group_key == GROUP
    assert result.accounts[0].id == 117020566092212359


def test_grouped_notification_accounts(api, server):
    server.fixture(f"GET_api_v2_notifications_{GROUP}_accounts_200")
    accounts = api.grouped_notification_accounts(GROUP)
    assert server.last.path == f"/api/v2/notifications/{GROUP}/accounts"
    assert accounts[0].acct == "mastodonpy_test_2" and accounts[0].id == 117020566092212359


def test_dismiss_grouped_notification(api, server):
    server.fixture(f"POST_api_v2_notifications_{GROUP}_dismiss_200")
    assert api.dismiss_grouped_notification(GROUP) is None
    assert (server.last.method, server.last.path) == ("POST", f"/api/v2/notifications/{GROUP}/dismiss")


def test_unread_grouped_notifications_count(api, server):
    server.route("GET", "/api/v2/notifications/unread_count", Response(200, {"count": 7}))
    assert api.unread_grouped_notifications_count(limit=10, types=["mention"], account_id={"id": 3},
                                                  grouped_types=["favourite"]) == 7
    assert server.last.query == [("limit", "10"), ("account_id", "3"), ("types[]", "mention"),
                                 ("grouped_types[]", "favourite")]


# --- policy and requests --------------------------------------------------------------------------

def test_notifications_policy(api, server):
    server.fixture("GET_api_v2_notifications_policy_200")
    policy = api.notifications_policy()
    assert server.last.path == "/api/v2/notifications/policy"
    assert policy.for_not_following == "filter"


def test_update_notifications_policy_sends_only_given(api, server):
    server.fixture("PATCH_api_v2_notifications_policy_200")
    policy = api.update_notifications_policy(for_not_following="drop", for_limited_accounts="accept")
    assert (server.last.method, server.last.path) == ("PATCH", "/api/v2/notifications/policy")
    assert server.last.form == [("for_not_following", "drop"), ("for_limited_accounts", "accept")]
    assert policy.for_new_accounts == "filter"


def test_notification_requests_paginated(api, server):
    server.fixture("GET_api_v1_notifications_requests_200")
    page = api.notification_requests(max_id=9, limit=3)
    assert server.last.query == [("max_id", "9"), ("limit", "3")]
    assert page[0].id == 117020579213763384
    assert page[0].notifications_count == "5"
    assert page._pagination_prev["min_id"] == 117020579213763384
    assert getattr(page, "_pagination_next", None) is None


def test_notification_request(api, server):
    server.fixture("GET_api_v1_notifications_requests_id_200", path="/api/v1/notifications/requests/117020579213763384")
    request = api.notification_request({"id": 117020579213763384})
    assert request.id == 117020579213763384
    assert request.updated_at == datetime.datetime(2026, 8, 1, 13, 52, 14, 657000, tzinfo=UTC)


@pytest.mark.parametrize("method, suffix", [("accept_notification_request", "accept"),
                                            ("dismiss_notification_request", "dismiss")])
def test_accept_dismiss_notification_request(api, server, method, suffix):
    server.route("POST", f"/api/v1/notifications/requests/12/{suffix}", Response(200, {}))
    assert getattr(api, method)({"id": 12}) is None
    assert (server.last.method, server.last.path) == ("POST", f"/api/v1/notifications/requests/12/{suffix}")


@pytest.mark.parametrize("method, suffix", [("accept_multiple_notification_requests", "accept"),
                                            ("dismiss_multiple_notification_requests", "dismiss")])
def test_multiple_notification_requests(api, server, method, suffix):
    server.route("POST", f"/api/v1/notifications/requests/{suffix}", Response(200, {}))
    assert getattr(api, method)([{"id": 1}, 2]) is None
    assert server.last.form == [("id[]", "1"), ("id[]", "2")]
    getattr(api, method)(5)
    assert server.last.form == [("id[]", "5")]


def test_notifications_merged(api, server):
    server.fixture("GET_api_v1_notifications_requests_merged_200")
    assert api.notifications_merged() is True
    assert server.last.path == "/api/v1/notifications/requests/merged"


def test_no_version_check_server_still_works(server):
    server.fixture("GET_api_v1_notifications_200")
    api = Mastodon(api_base_url=server.url, access_token=TOKEN, version_check_mode="none",
                   mastodon_version="4.5.0")
    assert len(api.notifications()) == 3


# --- supported_types (Mastodon 4.6) -----------------------------------------------------------------


def test_notifications_supported_types_go_last_and_with_a_single_notification(api, server):
    server.fixture("GET_api_v1_notifications_200")
    api.notifications(limit=2, types=["mention"], supported_types=["mention", "follow"])
    assert_sent(server, "GET", "/api/v1/notifications", [
        ("limit", "2"), ("types[]", "mention"), ("supported_types[]", "mention"), ("supported_types[]", "follow")])
    server.clear()
    server.route("GET", "/api/v1/notifications/3", body={"id": "3", "type": "new_thing", "fallback": {
        "title": "Something new", "summary": "You have a new thing", "details": None}})
    notification = api.notifications(id=3, supported_types=["mention"])
    assert_sent(server, "GET", "/api/v1/notifications/3", [("supported_types[]", "mention")])
    from mastodon.return_types import Notification, NotificationFallback
    assert isinstance(notification, Notification) and isinstance(notification.fallback, NotificationFallback)
    assert (notification.fallback.title, notification.fallback.details) == ("Something new", None)


def test_grouped_notifications_supported_types(api, server):
    server.fixture("GET_api_v2_notifications_200")
    api.grouped_notifications(supported_types=["mention"])
    assert_sent(server, "GET", "/api/v2/notifications", [
        ("expand_accounts", "partial_avatars"), ("supported_types[]", "mention")])
    server.clear()
    server.fixture("GET_api_v2_notifications_favourite-117020579695730951-495997_200")
    api.grouped_notification("favourite-117020579695730951-495997", supported_types=["mention", "poll"])
    assert_sent(server, "GET", "/api/v2/notifications/favourite-117020579695730951-495997",
                [("supported_types[]", "mention"), ("supported_types[]", "poll")])
