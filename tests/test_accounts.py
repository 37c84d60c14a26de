"""Accounts: exact requests, parsed results, validation before sending, sign-up."""

import datetime
import os
import stat

from unittest.mock import ANY

import pytest

from helpers import assert_sent
from server import Response

from mastodon import (
    MastodonAPIError, MastodonFileNotFoundError, MastodonIllegalArgumentError, MastodonNotFoundError,
    MastodonVersionError,
)
from mastodon.return_types import Account
from mastodon.types_base import AttribAccessDict, AttribAccessList

ACCOUNT_ID = 117020565966271181
OTHER_ID = 117020565693913441
UTC = datetime.timezone.utc

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


# ---------------------------------------------------------------------------------------------
# Simple calls: (call, fixture, path served, verb, path sent, query pairs, form pairs)

RELATIONSHIP_CALLS = [
    (lambda api: api.account_unfollow(OTHER_ID), "POST_api_v1_accounts_id_unfollow_200", "unfollow"),
    (lambda api: api.account_block({"id": OTHER_ID}), "POST_api_v1_accounts_id_block_200", "block"),
    (lambda api: api.account_unblock(OTHER_ID), "POST_api_v1_accounts_id_unblock_200", "unblock"),
    (lambda api: api.account_unmute(OTHER_ID), "POST_api_v1_accounts_id_unmute_200", "unmute"),
    (lambda api: api.account_pin(OTHER_ID), "POST_api_v1_accounts_id_pin_200", "pin"),
    (lambda api: api.account_unpin(OTHER_ID), "POST_api_v1_accounts_id_unpin_200", "unpin"),
    (lambda api: api.account_endorse(OTHER_ID), "POST_api_v1_accounts_id_endorse_200", "endorse"),
    (lambda api: api.account_unendorse(AttribAccessDict(id=OTHER_ID)), "POST_api_v1_accounts_id_unendorse_200",
     "unendorse"),
    (lambda api: api.account_remove_from_followers(OTHER_ID),
     "POST_api_v1_accounts_id_remove_from_followers_200", "remove_from_followers"),
]


@pytest.mark.parametrize("call,fixture_name,action", RELATIONSHIP_CALLS, ids=[c[2] for c in RELATIONSHIP_CALLS])
def test_relationship_actions_post_to_the_account_path_without_a_body(server, api, call, fixture_name, action):
    server.fixture(fixture_name, path=f"/api/v1/accounts/{OTHER_ID}/{action}")
    result = call(api)
    assert_sent(server, "POST", f"/api/v1/accounts/{OTHER_ID}/{action}")
    assert isinstance(result, AttribAccessDict)
    assert isinstance(result.id, int)
    assert isinstance(result.following, bool)


def test_account_fetches_by_id_and_parses_ids_and_dates(server, api):
    server.fixture("GET_api_v1_accounts_id_200", path=f"/api/v1/accounts/{ACCOUNT_ID}")
    account = api.account({"id": ACCOUNT_ID})
    assert_sent(server, "GET", f"/api/v1/accounts/{ACCOUNT_ID}")
    assert account.id == ACCOUNT_ID
    assert account.username == "mastodonpy_test"
    assert account.created_at == datetime.datetime(2026, 8, 1, tzinfo=UTC)


def test_account_404_raises_not_found_with_the_server_text(server, api):
    with pytest.raises(MastodonNotFoundError) as info:
        api.account(1)
    assert info.value.status_code == 404
    assert info.value.error == "Record not found"


def test_accounts_sends_id_list(server, api):
    server.fixture("GET_api_v1_accounts_200")
    result = api.accounts([ACCOUNT_ID, {"id": OTHER_ID}])
    assert_sent(server, "GET", "/api/v1/accounts", query=[("id[]", str(ACCOUNT_ID)), ("id[]", str(OTHER_ID))])
    assert len(result) == 2 and all(isinstance(a.id, int) for a in result)
    api.accounts(5)
    assert server.last.query == [("id[]", "5")]


def test_verify_credentials_and_me(server, api):
    server.fixture("GET_api_v1_accounts_verify_credentials_200")
    assert api.account_verify_credentials().id == ACCOUNT_ID
    assert api.me().acct == "mastodonpy_test"
    assert [(r.method, r.path, r.query) for r in server.requests] == [
        ("GET", "/api/v1/accounts/verify_credentials", [])] * 2


def test_account_lookup(server, api):
    server.fixture("GET_api_v1_accounts_lookup_200")
    assert api.account_lookup("mastodonpy_test").id == ACCOUNT_ID
    assert_sent(server, "GET", "/api/v1/accounts/lookup", query=[("acct", "mastodonpy_test")])


def test_account_lookup_unknown_raises_not_found(server, api):
    server.fixture("GET_api_v1_accounts_lookup_404")
    with pytest.raises(MastodonNotFoundError) as info:
        api.account_lookup("nobody@nowhere.example")
    assert info.value.error == "Record not found"


def test_account_statuses_default_sends_nothing_and_parses_pagination(server, api):
    server.fixture("GET_api_v1_accounts_id_statuses_200", path=f"/api/v1/accounts/{ACCOUNT_ID}/statuses")
    page = api.account_statuses(ACCOUNT_ID)
    assert_sent(server, "GET", f"/api/v1/accounts/{ACCOUNT_ID}/statuses")
    assert isinstance(page, AttribAccessList) and len(page) == 5
    assert page[0].id == 117020580518794573
    assert page[0].created_at.tzinfo is not None
    assert page._pagination_next == {"max_id": 117020580489281910, "_pagination_method": "GET",
                                     "_pagination_endpoint": f"/api/v1/accounts/{ACCOUNT_ID}/statuses"}
    assert page._pagination_prev["min_id"] == 117020580518794573


def test_account_statuses_filters_in_signature_order_false_flags_dropped(server, api):
    server.fixture("GET_api_v1_accounts_id_statuses_200", path=f"/api/v1/accounts/{ACCOUNT_ID}/statuses")
    api.account_statuses(ACCOUNT_ID, only_media=True, pinned=False, exclude_replies=True, exclude_reblogs=True,
                         tagged="#cats", max_id={"id": 9}, min_id=3, since_id=2, limit=5)
    assert server.last.query == [("only_media", "1"), ("exclude_replies", "1"), ("exclude_reblogs", "1"),
                                 ("tagged", "#cats"), ("max_id", "9"), ("min_id", "3"), ("since_id", "2"),
                                 ("limit", "5")]
    api.account_statuses(ACCOUNT_ID, pinned=True)
    assert server.last.query == [("pinned", "1")]


def test_account_statuses_exclude_direct_only_when_true(server, api):
    server.fixture("GET_api_v1_accounts_id_statuses_200", path=f"/api/v1/accounts/{ACCOUNT_ID}/statuses")
    api.account_statuses(ACCOUNT_ID, limit=5, exclude_direct=True)
    assert server.last.query == [("limit", "5"), ("exclude_direct", "1")]
    api.account_statuses(ACCOUNT_ID, exclude_direct=False)
    assert server.last.query == []


def test_account_statuses_datetime_max_id_becomes_snowflake(server, api):
    server.fixture("GET_api_v1_accounts_id_statuses_200", path=f"/api/v1/accounts/{ACCOUNT_ID}/statuses")
    when = datetime.datetime(2024, 1, 1, tzinfo=UTC)
    api.account_statuses(ACCOUNT_ID, max_id=when)
    assert server.last.query == [("max_id", str((int(when.timestamp()) << 16) * 1000))]


@pytest.mark.parametrize("name", ["followers", "following"])
def test_followers_and_following(server, api, name):
    server.fixture(f"GET_api_v1_accounts_id_{name}_200", path=f"/api/v1/accounts/{ACCOUNT_ID}/{name}")
    result = getattr(api, f"account_{name}")(ACCOUNT_ID, max_id=10, limit=40)
    assert_sent(server, "GET", f"/api/v1/accounts/{ACCOUNT_ID}/{name}", query=[("max_id", "10"), ("limit", "40")])
    assert result == []


def test_followers_fetch_next_follows_ids_from_the_link_header(server, api):
    path = f"/api/v1/accounts/{ACCOUNT_ID}/followers"
    link = (f'<{server.url}{path}?limit=1&max_id=777>; rel="next", '
            f'<{server.url}{path}?limit=1&since_id=999>; rel="prev"')
    server.route("GET", path, Response(200, [{"id": "5", "acct": "a"}], {"Link": link}),
                 Response(200, [{"id": "4", "acct": "b"}]))
    page = api.account_followers(ACCOUNT_ID, limit=1)
    assert page._pagination_next["max_id"] == 777
    assert page._pagination_prev["since_id"] == 999
    second = api.fetch_next(page)
    assert server.last.query == [("limit", "1"), ("max_id", "777")]
    assert second[0].id == 4
    assert api.fetch_next(second) is None


def test_relationships_single_and_list(server, api):
    server.fixture("GET_api_v1_accounts_relationships_200")
    result = api.account_relationships(OTHER_ID)
    assert_sent(server, "GET", "/api/v1/accounts/relationships", query=[("id", str(OTHER_ID))])
    assert result[0].id == OTHER_ID and result[0].following is False
    api.account_relationships([OTHER_ID, {"id": 7}], with_suspended=True)
    assert server.last.query == [("with_suspended", "1"), ("id[]", str(OTHER_ID)), ("id[]", "7")]


def test_account_search_always_sends_following_and_resolve(server, api):
    server.fixture("GET_api_v1_accounts_search_200")
    result = api.account_search("admin")
    assert_sent(server, "GET", "/api/v1/accounts/search",
                query=[("q", "admin"), ("following", "0"), ("resolve", "0")])
    assert [a.acct for a in result][0] == "admin"
    api.account_search("admin", limit=2, following=True, resolve=True, offset=4)
    assert server.last.query == [("q", "admin"), ("limit", "2"), ("following", "1"), ("resolve", "1"),
                                 ("offset", "4")]


def test_account_lists_and_featured_tags(server, api):
    server.fixture("GET_api_v1_accounts_id_lists_200", path=f"/api/v1/accounts/{OTHER_ID}/lists")
    server.fixture("GET_api_v1_accounts_id_featured_tags_200", path=f"/api/v1/accounts/{OTHER_ID}/featured_tags")
    lists = api.account_lists(OTHER_ID)
    tags = api.account_featured_tags({"id": OTHER_ID})
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", f"/api/v1/accounts/{OTHER_ID}/lists"), ("GET", f"/api/v1/accounts/{OTHER_ID}/featured_tags")]
    assert lists[0].id == 4 and lists[0].title == "ham burglars"
    assert tags[0].id == 2 and tags[0].name == "coolfree"


def test_familiar_followers_is_a_get_with_a_json_body(server, api):
    server.fixture("GET_api_v1_accounts_familiar_followers_200")
    ids = [{"id": OTHER_ID}, 117020566092212359]
    result = api.account_familiar_followers(ids)
    assert_sent(server, "GET", "/api/v1/accounts/familiar_followers", json={"id": [OTHER_ID, 117020566092212359]})
    assert ids[0] == {"id": OTHER_ID}  # the caller's list is left alone
    assert [f.id for f in result] == [OTHER_ID, 117020566092212359]
    api.account_familiar_followers(5)
    assert server.last.json == {"id": [5]}


def test_account_follow_always_sends_reblogs_and_notify(server, api):
    server.fixture("POST_api_v1_accounts_id_follow_200", path=f"/api/v1/accounts/{OTHER_ID}/follow")
    relationship = api.account_follow(OTHER_ID)
    assert_sent(server, "POST", f"/api/v1/accounts/{OTHER_ID}/follow", form=[("reblogs", "1"), ("notify", "0")])
    assert relationship.following is True and relationship.id == OTHER_ID
    api.account_follow({"id": OTHER_ID}, reblogs=False, notify=True, languages=["de", "en"])
    assert server.last.form == [("reblogs", "0"), ("notify", "1"), ("languages[]", "de"), ("languages[]", "en")]


def test_follows_searches_then_follows_the_first_hit(server, api):
    server.fixture("GET_api_v1_accounts_search_200")
    server.fixture("POST_api_v1_accounts_id_follow_200", path="/api/v1/accounts/117020457624302809/follow")
    assert api.follows("admin@localhost").following is True
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/api/v1/accounts/search"), ("POST", "/api/v1/accounts/117020457624302809/follow")]
    assert server.requests[0].query == [("q", "admin@localhost"), ("following", "0"), ("resolve", "0")]


def test_follows_nothing_found_raises_not_found(server, api):
    server.route("GET", "/api/v1/accounts/search", body=[])
    with pytest.raises(MastodonNotFoundError):
        api.follows("ghost@nowhere.example")
    assert len(server.requests) == 1


def test_account_mute_sends_notifications_always_and_duration_when_given(server, api):
    server.fixture("POST_api_v1_accounts_id_mute_200", path=f"/api/v1/accounts/{OTHER_ID}/mute")
    assert api.account_mute(OTHER_ID).id == OTHER_ID
    assert server.last.form == [("notifications", "1")]
    api.account_mute(OTHER_ID, notifications=False, duration=3600)
    assert server.last.form == [("notifications", "0"), ("duration", "3600")]


def test_account_note_set(server, api):
    server.fixture("POST_api_v1_accounts_id_note_200", path=f"/api/v1/accounts/{OTHER_ID}/note")
    assert api.account_note_set(OTHER_ID, "met at the café").id == OTHER_ID
    assert server.last.form == [("comment", "met at the café")]


def test_forbidden_action_raises_api_error_with_status(server, api):
    server.route("POST", f"/api/v1/accounts/{OTHER_ID}/follow",
                 Response(403, {"error": "This action is not allowed"}))
    with pytest.raises(MastodonAPIError) as info:
        api.account_follow(OTHER_ID)
    assert info.value.status_code == 403
    assert info.value.error == "This action is not allowed"
    assert info.value.args[1] == 403


def test_version_gate_refuses_old_server_without_sending(server, make_api):
    api = make_api(mastodon_version="3.4.0")
    with pytest.raises(MastodonVersionError):
        api.account_familiar_followers(1)
    with pytest.raises(MastodonVersionError):
        api.account_endorse(1)
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# account_update_credentials


def test_update_credentials_form_with_fields_after_scalars(server, api):
    server.fixture("PATCH_api_v1_accounts_update_credentials_200")
    account = api.account_update_credentials(
        display_name="John Lennon", note="I walk funny", locked=True, bot=False,
        fields=[("web", "https://example.com"), ("pronouns", "he/him")])
    assert_sent(server, "PATCH", "/api/v1/accounts/update_credentials", form=[
        ("display_name", "John Lennon"), ("note", "I walk funny"), ("locked", "1"), ("bot", "0"),
        ("fields_attributes[0][name]", "web"), ("fields_attributes[0][value]", "https://example.com"),
        ("fields_attributes[1][name]", "pronouns"), ("fields_attributes[1][value]", "he/him")])
    assert account.id == ACCOUNT_ID


def test_update_credentials_2x_options_go_to_source_keys(server, api):
    server.fixture("PATCH_api_v1_accounts_update_credentials_200")
    api.account_update_credentials(discoverable=True, hide_collections=True, indexable=False,
                                   attribution_domains=["example.com", "blog.example"], default_privacy="unlisted",
                                   default_sensitive=True, default_language="de", default_quote_policy="followers",
                                   fields=[{"name": "a", "value": "b"}])
    assert server.last.form == [
        ("discoverable", "1"), ("hide_collections", "1"), ("indexable", "0"), ("source[privacy]", "unlisted"),
        ("source[sensitive]", "1"), ("source[language]", "de"), ("source[quote_policy]", "followers"),
        ("fields_attributes[0][name]", "a"), ("fields_attributes[0][value]", "b"),
        ("attribution_domains[]", "example.com"), ("attribution_domains[]", "blog.example")]


def test_update_credentials_uploads_avatar_and_header_as_multipart(server, api, tmp_path):
    avatar = tmp_path / "me.png"
    avatar.write_bytes(PNG)
    server.fixture("PATCH_api_v1_accounts_update_credentials_200")
    api.account_update_credentials(display_name="J", avatar=str(avatar), header=b"GIF89a...",
                                   header_mime_type="image/gif")
    request = assert_sent(server, "PATCH", "/api/v1/accounts/update_credentials", body=ANY)
    assert request.content_type == "multipart/form-data"
    parts = {p.name: p for p in request.parts}
    assert parts["display_name"].data == b"J"
    assert (parts["avatar"].content_type, parts["avatar"].data) == ("image/png", PNG)
    assert parts["avatar"].filename.endswith(".png")
    assert (parts["header"].content_type, parts["header"].data) == ("image/gif", b"GIF89a...")


def test_update_credentials_five_fields_sends_nothing(server, api):
    with pytest.raises(MastodonIllegalArgumentError, match="at most 4"):
        api.account_update_credentials(fields=[(str(i), "x") for i in range(5)])
    assert server.requests == []


@pytest.mark.parametrize("fields", [["just a name"], [("a", "b", "c")], "name=value", [None]])
def test_update_credentials_malformed_field_sends_nothing(server, api, fields):
    with pytest.raises(MastodonIllegalArgumentError):
        api.account_update_credentials(display_name="x", fields=fields)
    assert server.requests == []


def test_update_credentials_missing_avatar_file_sends_nothing(server, api, tmp_path):
    with pytest.raises(MastodonFileNotFoundError):
        api.account_update_credentials(display_name="x", avatar=str(tmp_path / "missing.png"))
    assert server.requests == []


def test_update_credentials_unreadable_avatar_sends_nothing(server, api, tmp_path, monkeypatch):
    avatar = tmp_path / "secret.png"
    avatar.write_bytes(PNG)
    avatar.chmod(0)
    real_access = os.access
    # Root reads anything, so make the permission check see what an ordinary user would.
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if str(path) == str(avatar)
                        else real_access(path, mode, **kw))
    try:
        with pytest.raises(MastodonIllegalArgumentError, match="not readable"):
            api.account_update_credentials(display_name="x", avatar=str(avatar))
    finally:
        avatar.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert server.requests == []


def test_update_credentials_header_bytes_without_mime_type_sends_nothing(server, api):
    with pytest.raises(MastodonIllegalArgumentError):
        api.account_update_credentials(display_name="x", header=b"raw bytes")
    assert server.requests == []


def test_update_credentials_422_carries_details(server, api):
    server.fixture("PATCH_api_v1_accounts_update_credentials_422")
    with pytest.raises(MastodonAPIError) as info:
        api.account_update_credentials(fields=[("a" * 300, "b")])
    assert info.value.status_code == 422
    assert info.value.details.fields[0].error == "ERR_TOO_LONG"


@pytest.mark.parametrize("name", ["avatar", "header"])
def test_delete_avatar_and_header_return_the_account(server, api, name):
    # Mastodon answers with the updated account; Mastodon.py 2.3 returns it (2.2 returned None).
    server.fixture("DELETE_api_v1_profile_avatar_200", path=f"/api/v1/profile/{name}")
    account = getattr(api, f"account_delete_{name}")()
    assert_sent(server, "DELETE", f"/api/v1/profile/{name}")
    assert isinstance(account, Account)
    assert (account.id, account.acct) == (ACCOUNT_ID, "mastodonpy_test")


def test_email_resend_confirmation_returns_none(server, api):
    server.route("POST", "/api/v1/emails/confirmations", body={})
    assert api.email_resend_confirmation() is None
    assert_sent(server, "POST", "/api/v1/emails/confirmations")


# ---------------------------------------------------------------------------------------------
# create_account


@pytest.fixture
def app_api(make_api):
    return make_api(access_token=None, client_id="cid", client_secret="csecret")


def test_create_account_two_step_flow(server, app_api, tmp_path):
    server.fixture("POST_oauth_token_200")
    server.fixture("POST_api_v1_accounts_200")
    to_file = tmp_path / "user.secret"
    token = app_api.create_account("newbie", "hunter22hunter22", "new@example.com", agreement=True,
                                   reason="I like it", to_file=str(to_file))
    assert token == "OBCKcUJhivfy5ldtDvPoBOGO0BYZLXylCyWk5ViyTCo"
    assert app_api.access_token == token
    oauth, signup = server.requests
    assert (oauth.method, oauth.path) == ("POST", "/oauth/token")
    assert "authorization" not in oauth.headers
    assert oauth.form == [("scope", "read write follow push"), ("client_id", "cid"), ("client_secret", "csecret"),
                          ("grant_type", "client_credentials")]
    assert (signup.method, signup.path) == ("POST", "/api/v1/accounts")
    assert signup.headers["authorization"] == "Bearer qLFk5fQZHZfAWvjsVWMJZRH2K9coa_1JOCpbMwOlPbM"
    assert signup.form == [("username", "newbie"), ("password", "hunter22hunter22"), ("email", "new@example.com"),
                           ("agreement", "1"), ("reason", "I like it"), ("locale", "en"),
                           ("return_detailed_error", "0"), ("client_id", "cid"), ("client_secret", "csecret")]
    assert to_file.read_text() == f"{token}\n{server.url}\n"
    assert stat.S_IMODE(os.stat(to_file).st_mode) == 0o600


def test_create_account_detailed_success_and_optional_fields(server, app_api):
    server.fixture("POST_oauth_token_200")
    server.fixture("POST_api_v1_accounts_200")
    result = app_api.create_account("n", "p", "e@example.com", locale="de", return_detailed_error=True,
                                    date_of_birth=datetime.date(2000, 2, 29))
    assert result == ("OBCKcUJhivfy5ldtDvPoBOGO0BYZLXylCyWk5ViyTCo", {})
    assert server.last.form == [("username", "n"), ("password", "p"), ("email", "e@example.com"),
                                ("locale", "de"), ("return_detailed_error", "1"), ("date_of_birth", "2000-02-29"),
                                ("client_id", "cid"), ("client_secret", "csecret")]


def test_create_account_422_detailed_returns_attribute_details(server, app_api):
    server.fixture("POST_oauth_token_200")
    server.fixture("POST_api_v1_accounts_422")
    token, error = app_api.create_account("n", "", "e@example.com", return_detailed_error=True)
    assert token is None
    assert error.details.password[0].error == "ERR_BLANK"
    assert error.details.agreement[0].description == "must be accepted"
    assert app_api.access_token is None


def test_create_account_422_raises_with_details_and_field_names(server, app_api):
    server.fixture("POST_oauth_token_200")
    server.fixture("POST_api_v1_accounts_422")
    with pytest.raises(MastodonIllegalArgumentError) as info:
        app_api.create_account("n", "", "e@example.com")
    error = info.value
    assert error.details.password[0].error == "ERR_BLANK"
    assert error.status_code == 422
    assert "password (ERR_BLANK)" in str(error) and "agreement (ERR_ACCEPTED)" in str(error)
    assert isinstance(error, ValueError)


def test_create_account_oauth_failure_is_illegal_argument(server, app_api):
    server.route("POST", "/oauth/token", Response(401, {"error": "invalid_client"}))
    with pytest.raises(MastodonIllegalArgumentError, match="oauth phase"):
        app_api.create_account("n", "p", "e@example.com")
    assert len(server.requests) == 1


def test_create_account_non_json_answer_is_illegal_argument(server, app_api):
    server.fixture("POST_oauth_token_200")
    server.route("POST", "/api/v1/accounts", Response(502, "<html>Bad gateway</html>"))
    with pytest.raises(MastodonIllegalArgumentError, match="Invalid request"):
        app_api.create_account("n", "p", "e@example.com")


def test_create_account_without_client_credentials_sends_nothing(server, api):
    with pytest.raises(MastodonIllegalArgumentError):
        api.create_account("n", "p", "e@example.com")
    assert server.requests == []


def test_create_account_with_fewer_granted_scopes_raises_api_error(server, app_api, tmp_path):
    server.fixture("POST_oauth_token_200")
    server.fixture("POST_api_v1_accounts_200")
    to_file = tmp_path / "never.secret"
    with pytest.raises(MastodonAPIError, match="scopes"):
        app_api.create_account("n", "p", "e@example.com", agreement=True, scopes=["read", "admin:read"],
                               to_file=str(to_file))
    assert server.requests[0].form[0] == ("scope", "read admin:read")
    assert not to_file.exists()
