"""Client state: one cache container that clear_caches() empties, one token-adoption routine."""

import pytest

from server import Response
from sse_server import instance_body
from mastodon import MastodonAPIError

ANSWER = {"access_token": "new-user-token-0123456789", "token_type": "Bearer", "created_at": 1700000000}


@pytest.fixture
def app_api(make_api):
    return make_api(access_token="app-holder-token", client_id="cid", client_secret="csecret")


def test_sign_up_answer_without_scope_is_accepted_like_a_log_in(server, app_api):
    # RFC 6749: no scope in the answer means granted as asked. log_in accepted this before;
    # create_account raised (after having switched to the new user's token).
    server.route("POST", "/oauth/token", Response(200, dict(ANSWER, access_token="app-token-x")))
    server.route("POST", "/api/v1/accounts", Response(200, ANSWER))
    assert app_api.create_account("n", "p", "e@example.com", agreement=True) == ANSWER["access_token"]
    assert app_api.access_token == ANSWER["access_token"]
    server.route("POST", "/oauth/token", Response(200, dict(ANSWER, access_token="second-token-0123")))
    assert app_api.log_in("u", "p") == "second-token-0123"


@pytest.mark.parametrize("flow", ["sign-up", "log-in", "refresh"])
def test_a_refused_scope_leaves_the_token_as_it_was(server, app_api, flow):
    narrow = dict(ANSWER, scope="read", refresh_token="r-0123456789abcdef", expires_in=60)
    server.route("POST", "/oauth/token", Response(200, narrow))
    server.route("POST", "/api/v1/accounts", Response(200, narrow))
    with pytest.raises(MastodonAPIError, match="scopes"):
        if flow == "sign-up":
            app_api.create_account("n", "p", "e@example.com", agreement=True)
        elif flow == "log-in":
            app_api.log_in("u", "p")
        else:
            app_api.log_in(refresh_token="old-refresh")
    assert app_api.access_token == "app-holder-token"
    assert app_api._Mastodon__get_refresh_token() is None


@pytest.mark.parametrize("expires_in, expired", [(3600, False), ("3600", False), ("\u00b2", True), (None, True),
                                                 (True, True), ("9" * 5000, True)])
def test_token_expiry_from_any_answer(server, app_api, expires_in, expired):
    server.route("POST", "/oauth/token", Response(200, dict(ANSWER, expires_in=expires_in)))
    app_api.log_in("u", "p")
    assert app_api._Mastodon__get_token_expired() is expired


def test_clear_caches_forgets_every_server_and_login_fact(make_api, server):
    server.route("GET", "/api/v1/instance/", Response(404, {"error": "Record not found"}))
    server.route("GET", "/api/v1/instance", Response(200, instance_body("ws://stream.example:4000")))
    server.route("GET", "/api/v2/instance/", Response(200, {"domain": "m.example"}))
    server.route("GET", "/.well-known/oauth-authorization-server", Response(200, {"issuer": "x"}))
    server.route("GET", "/api/v1/accounts/verify_credentials", Response(200, {"id": "7"}))
    api = make_api(mastodon_version=None)
    api.instance_v2()
    api.oauth_authorization_server_info()
    assert api._Mastodon__get_logged_in_id() == 7
    api._Mastodon__get_streaming_base()
    caches = api._Mastodon__caches
    assert caches.path_forms == {"/api/v1/instance/": "/api/v1/instance"}
    assert caches.trusted_hosts == {"stream.example:4000"}
    assert caches.instance_v2 == {"domain": "m.example"} and caches.oauth_info == {"issuer": "x"}
    assert api._Mastodon__logged_in_id == 7  # Mastodon.py's name for it
    api.clear_caches()
    assert (caches.instance_v1, caches.instance_v2, caches.oauth_info, caches.logged_in_id,
            caches.server_is_other) == (None, None, None, None, None)
    assert caches.path_forms == {} and caches.trusted_hosts == set()
    assert api.version_check_worked is None
    server.clear()
    assert api._Mastodon__get_logged_in_id() == 7
    assert [r.path for r in server.requests] == ["/api/v1/accounts/verify_credentials"]
