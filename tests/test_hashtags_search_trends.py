"""Hashtags (featured, followed, tag info), search v1/v2 and trends."""

import pytest

from helpers import assert_sent
from server import Response

from mastodon import MastodonIllegalArgumentError, MastodonNotFoundError, MastodonVersionError
from mastodon.types_base import AttribAccessDict

ACCOUNT_ID = 117020565966271181


# ---------------------------------------------------------------------------------------------
# Featured and followed tags


def test_featured_tags_and_suggestions(server, api):
    server.route("GET", "/api/v1/featured_tags", body=[{"id": "1", "name": "ringtones", "statuses_count": "3",
                                                        "last_status_at": "2026-08-01"}])
    server.fixture("GET_api_v1_featured_tags_suggestions_200")
    featured = api.featured_tags()
    suggested = api.featured_tag_suggestions()
    assert [(r.method, r.path, r.query) for r in server.requests] == [
        ("GET", "/api/v1/featured_tags", []), ("GET", "/api/v1/featured_tags/suggestions", [])]
    assert featured[0].id == 1 and featured[0].last_status_at.year == 2026
    assert suggested[0].name == "ringtones" and suggested[0].following is False


def test_featured_tag_create_sends_name_as_given(server, api):
    server.fixture("POST_api_v1_featured_tags_200")
    tag = api.featured_tag_create("ringtones")
    assert_sent(server, "POST", "/api/v1/featured_tags", form=[("name", "ringtones")])
    assert tag.id == 1 and tag.name == "ringtones"


def test_featured_tag_delete_returns_none(server, api):
    server.fixture("DELETE_api_v1_featured_tags_id_200", path="/api/v1/featured_tags/1")
    assert api.featured_tag_delete({"id": 1}) is None
    assert (server.last.method, server.last.path) == ("DELETE", "/api/v1/featured_tags/1")


def test_followed_tags_paginates(server, api):
    server.fixture("GET_api_v1_followed_tags_200")
    page = api.followed_tags(limit=1, max_id={"id": 10})
    assert_sent(server, "GET", "/api/v1/followed_tags", query=[("max_id", "10"), ("limit", "1")])
    assert page[0].name == "heeho" and page[0].following is True
    assert page._pagination_prev["since_id"] == 1


TAG_SPELLINGS = ["heeho", "#heeho", {"name": "heeho", "url": "http://localhost:3000/tags/heeho"}]


@pytest.mark.parametrize("hashtag", TAG_SPELLINGS, ids=["bare", "hash", "dict"])
def test_tag_accepts_bare_hash_and_tag_dict(server, api, hashtag):
    server.fixture("GET_api_v1_tags_heeho_200")
    tag = api.tag(hashtag)
    assert_sent(server, "GET", "/api/v1/tags/heeho")
    assert tag.id == 3 and tag.name == "heeho"


@pytest.mark.parametrize("hashtag", TAG_SPELLINGS, ids=["bare", "hash", "dict"])
@pytest.mark.parametrize("action", ["follow", "unfollow"])
def test_tag_follow_and_unfollow(server, api, hashtag, action):
    server.fixture(f"POST_api_v1_tags_heeho_{action}_200")
    tag = getattr(api, f"tag_{action}")(hashtag)
    assert_sent(server, "POST", f"/api/v1/tags/heeho/{action}")
    assert tag.following is (action == "follow")


@pytest.mark.parametrize("action", ["feature", "unfeature"])
def test_tag_feature_and_unfeature(server, api, action):
    server.fixture(f"POST_api_v1_tags_coolfree_{action}_200")
    tag = getattr(api, f"tag_{action}")("#coolfree")
    assert (server.last.method, server.last.path) == ("POST", f"/api/v1/tags/coolfree/{action}")
    assert tag.featuring is (action == "feature")
    getattr(api, f"tag_{action}")(AttribAccessDict(name="coolfree"))
    assert server.last.path == f"/api/v1/tags/coolfree/{action}"


@pytest.mark.parametrize("bad", ["", "#", "##", "a/b", None, 5])
def test_tag_methods_refuse_malformed_names_before_sending(server, api, bad):
    for method in (api.tag, api.tag_follow, api.tag_unfollow, api.tag_feature, api.tag_unfeature):
        with pytest.raises(MastodonIllegalArgumentError):
            method(bad)
    assert server.requests == []


def test_tag_unknown_is_not_found(server, api):
    with pytest.raises(MastodonNotFoundError):
        api.tag("nosuchtagever")


def test_tag_methods_need_their_server_version(server, make_api):
    api = make_api(mastodon_version="4.3.0")
    with pytest.raises(MastodonVersionError):
        api.tag_feature("x")
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# Search


def test_search_uses_v2_on_new_servers_with_resolve_and_exclude_unreviewed(server, api):
    server.fixture("GET_api_v2_search_200")
    result = api.search("mastodonpy")
    assert_sent(server, "GET", "/api/v2/search",
                query=[("q", "mastodonpy"), ("resolve", "1"), ("exclude_unreviewed", "1")])
    assert result.accounts[0].id == ACCOUNT_ID
    assert isinstance(result.statuses, list) and isinstance(result.hashtags, list)


def test_search_v2_all_filters_type_last_and_ids_unpacked(server, api):
    server.fixture("GET_api_v2_search_200")
    api.search_v2("q", resolve=False, result_type="statuses", account_id={"id": ACCOUNT_ID}, offset=5,
                  min_id={"id": 3}, max_id=9, exclude_unreviewed=False, limit=10)
    assert server.last.query == [("q", "q"), ("account_id", str(ACCOUNT_ID)), ("offset", "5"), ("min_id", "3"),
                                 ("max_id", "9"), ("limit", "10"), ("type", "statuses")]


def test_search_forwards_every_argument_to_v2(server, api):
    server.fixture("GET_api_v2_search_200")
    api.search("q", resolve=False, result_type="accounts", offset=2, limit=3)
    assert server.last.query == [("q", "q"), ("offset", "2"), ("exclude_unreviewed", "1"), ("limit", "3"),
                                 ("type", "accounts")]


def test_search_v2_drops_exclude_unreviewed_before_3_0(server, make_api):
    api = make_api(mastodon_version="2.9.0")
    server.fixture("GET_api_v2_search_200")
    api.search_v2("q")
    assert server.last.query == [("q", "q"), ("resolve", "1")]


def test_search_v2_advanced_filters_need_2_8(server, make_api):
    api = make_api(mastodon_version="2.7.0", version_check_mode="none")
    with pytest.raises(MastodonVersionError):
        api.search_v2("q", offset=1)
    assert server.requests == []


def test_search_falls_back_to_v1_on_old_servers(server, make_api):
    api = make_api(mastodon_version="2.4.0", version_check_mode="none")
    server.route("GET", "/api/v1/search", body={"accounts": [], "statuses": [], "hashtags": ["cats"]})
    result = api.search("cats", result_type="hashtags", exclude_unreviewed=True)
    assert_sent(server, "GET", "/api/v1/search", query=[("q", "cats"), ("resolve", "1")])
    assert result.hashtags == ["cats"]
    api.search("cats", resolve=False)
    assert server.last.query == [("q", "cats")]


def test_search_on_old_servers_refuses_advanced_filters(server, make_api):
    api = make_api(mastodon_version="2.4.0", version_check_mode="none")
    with pytest.raises(MastodonVersionError):
        api.search("cats", account_id=1)
    assert server.requests == []


def test_search_v1_resolve_only_when_true(server, make_api):
    api = make_api(mastodon_version="2.9.0")
    server.route("GET", "/api/v1/search", body={"accounts": [], "statuses": [], "hashtags": []})
    api.search_v1("x")
    assert server.last.query == [("q", "x")]
    api.search_v1("x", resolve=True)
    assert server.last.query == [("q", "x"), ("resolve", "1")]


# ---------------------------------------------------------------------------------------------
# Trends


@pytest.mark.parametrize("name", ["tags", "statuses", "links"])
def test_trending_endpoints_send_limit_offset_and_lang_last(server, api, name):
    server.fixture(f"GET_api_v1_trends_{name}_200")
    method = getattr(api, f"trending_{name}")
    assert method() == []
    assert_sent(server, "GET", f"/api/v1/trends/{name}")
    method(limit=5, lang="de", offset=10)
    assert server.last.query == [("limit", "5"), ("offset", "10"), ("lang", "de")]


def test_trending_lang_overrides_the_client_language(server, make_api):
    api = make_api(lang="fr")
    server.fixture("GET_api_v1_trends_tags_200")
    api.trending_tags(limit=2)
    assert server.last.query == [("limit", "2"), ("lang", "fr")]
    api.trending_tags(limit=2, lang="ja")
    assert server.last.query == [("limit", "2"), ("lang", "ja")]


def test_trending_tags_parsed(server, api):
    server.route("GET", "/api/v1/trends/tags", body=[
        {"name": "cats", "url": "https://x/tags/cats",
         "history": [{"day": "1785542400", "uses": "5", "accounts": "2"}]}])
    tags = api.trends(limit=1)
    assert server.last.query == [("limit", "1")]
    assert tags[0].name == "cats"
    assert tags[0].history[0].day.year == 2026


def test_trending_tags_old_endpoint_before_3_5_without_version_check(server, make_api):
    api = make_api(mastodon_version="3.4.0", version_check_mode="none")
    server.route("GET", "/api/v1/trends", body=[])
    assert api.trends() == []
    assert server.last.path == "/api/v1/trends"


def test_trends_on_old_server_with_version_check_raises(server, make_api):
    api = make_api(mastodon_version="3.4.0")
    with pytest.raises(MastodonVersionError):
        api.trends()
    assert server.requests == []


def test_trending_server_error_is_raised(server, api):
    server.route("GET", "/api/v1/trends/links", Response(503, "<html>down</html>"))
    from mastodon import MastodonServiceUnavailableError
    with pytest.raises(MastodonServiceUnavailableError):
        api.trending_links()
