"""Dialect "2" (issue 15): fetching the server version, instance(), suggestions(), OAuth discovery and
feed availability, each against Mastodon.py 1.8.1's behaviour in dialect "1.8".

Rows of ``shared/spec/DIALECTS.md``: V4, V5, V8, V9 (T4), V10 (T5), W5, W6 (X6), W7, W8, W9, W10, T6.
Each test asserts the exact request log of the recording server; answers are the recorded Mastodon
4.5 ones of ``tests/fixtures`` (version ``4.7.0-alpha.2+…``, ``api_versions.mastodon`` 11, live feeds
disabled, hashtag feeds public) or small hand-written ones.
"""

import copy
import time
import warnings

import pytest

from helpers import TOKEN, assert_sent, fixture_body
from server import Response

from mastodon import Mastodon, MastodonIllegalArgumentError, MastodonVersionError, StreamListener
from mastodon.errors import MastodonWarning

V1 = ("GET", "/api/v1/instance/")
V2 = ("GET", "/api/v2/instance/")
METADATA = ("GET", "/.well-known/oauth-authorization-server")
TOKEN_POST = ("POST", "/oauth/token")
CODE_FORM = [("code", "abc"), ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"), ("grant_type", "authorization_code"),
             ("client_id", "cid"), ("client_secret", "secret"), ("scope", "read")]
TOKEN_ANSWER = {"access_token": "new-token", "token_type": "Bearer", "scope": "read", "created_at": 1}


def client(server, **kwargs):
    """A client of the recording server with the constructor's own defaults."""
    return Mastodon(api_base_url=server.url, access_token=TOKEN, **kwargs)


def sent(server):
    return [(r.method, r.path) for r in server.requests]


def mastodon_warnings(caught):
    """The MastodonWarnings recorded (not the deprecation warnings, a subclass)."""
    return [w for w in caught if w.category is MastodonWarning]


def serve_instances(server, version=None, v1=None, v2=None):
    """Route both instance endpoints to the recorded answers, optionally changed."""
    body1 = fixture_body("GET_api_v1_instance__200")
    body2 = fixture_body("GET_api_v2_instance__200")
    if version is not None:
        body1["version"] = body2["version"] = version
    body1.update(v1 or {})
    body2.update(v2 or {})
    server.route("GET", "/api/v1/instance/", body=body1)
    server.route("GET", "/api/v2/instance/", body=body2)
    return body1, body2


def serve_metadata(server, **changes):
    """The recorded OAuth metadata, its endpoints moved from the recording host to this server."""
    body = fixture_body("GET_.well-known_oauth-authorization-server_200")
    for key, value in list(body.items()):
        if isinstance(value, str) and value.startswith("http://localhost:3000"):
            body[key] = server.url + value[len("http://localhost:3000"):].rstrip("/")
    body.update(changes)
    server.route("GET", "/.well-known/oauth-authorization-server", body=body)
    return body


def oauth_client(server, **kwargs):
    return Mastodon(client_id="cid", client_secret="secret", api_base_url=server.url, **kwargs)


# ---------------------------------------------------------------------------------------------
# V4: retrieve_mastodon_version reads /api/v2/instance/ too and stores mastodon_api_version


def test_v4_dialect_2_reads_v1_then_v2_and_keeps_the_api_version(server):
    serve_instances(server)
    api = client(server, dialect="2")
    assert api.mastodon_api_version == 0
    assert api.retrieve_mastodon_version() == "4.7.0-alpha.2"
    assert sent(server) == [V1, V2]
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (4, 7, 0)
    assert api.mastodon_api_version == 11
    assert api._Mastodon__version_check_worked is True


def test_v4_dialect_2_fail_hard_is_accepted_and_raises_when_the_version_is_unreadable(server):
    serve_instances(server, version="takahe/0.11")
    api = client(server, dialect="2")
    with pytest.raises(MastodonVersionError):
        api.retrieve_mastodon_version(fail_hard=True)
    assert sent(server) == [V1]
    assert api.retrieve_mastodon_version() == "1.0.0"
    assert api._Mastodon__version_check_worked is False
    assert api.mastodon_api_version == 0


def test_v4_dialect_2_warns_when_a_4_3_server_reports_no_api_version(server):
    serve_instances(server, version="4.3.0", v2={"api_versions": {}})
    api = client(server, dialect="2")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert api.retrieve_mastodon_version() == "4.3.0"
    (warning,) = mastodon_warnings(caught)
    assert "api_versions.mastodon" in str(warning.message) and warning.filename == __file__
    assert api.mastodon_api_version == 0
    with pytest.raises(MastodonVersionError, match="reports no API version"):
        api.retrieve_mastodon_version(fail_hard=True)


def test_v4_dialect_2_a_server_before_4_0_has_no_v2_instance_and_that_is_fine(server):
    server.route("GET", "/api/v1/instance/", body={"version": "3.5.3"})
    api = client(server, dialect="2")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert api.retrieve_mastodon_version(fail_hard=True) == "3.5.3"
    assert mastodon_warnings(caught) == []
    # The 404 of the trailing-slash form is tried once without the slash (the library's
    # fallback for servers that are not Mastodon, the same in both dialects).
    assert sent(server) == [V1, V2, ("GET", "/api/v2/instance")]
    assert api.mastodon_api_version == 0 and api._Mastodon__version_check_worked is True


def test_v4_dialect_1_8_reads_v1_only(server):
    serve_instances(server)
    api = client(server, version_check_mode="none")
    assert api.retrieve_mastodon_version() == "4.7.0-alpha.2"
    assert sent(server) == [V1]
    assert not hasattr(api, "mastodon_api_version")


# ---------------------------------------------------------------------------------------------
# V5: a client that does not know the version fetches it before the first endpoint switch


def test_v5_dialect_2_instance_fetches_the_version_first(server):
    serve_instances(server)
    api = client(server, dialect="2")
    assert server.requests == []
    api.instance()
    assert sent(server) == [V1, V2, V2]
    server.clear()
    api.instance()
    assert sent(server) == [V2]


def test_v5_dialect_2_trending_tags_switches_on_the_fetched_version(server):
    serve_instances(server)
    server.route("GET", "/api/v1/trends/tags", body=[])
    client(server, dialect="2").trending_tags()
    assert sent(server) == [V1, V2, ("GET", "/api/v1/trends/tags")]


def test_v5_dialect_2_a_given_version_is_not_fetched(server):
    serve_instances(server)
    server.route("GET", "/api/v1/trends/tags", body=[])
    client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created").trending_tags()
    assert sent(server) == [("GET", "/api/v1/trends/tags")]


def test_v5_dialect_2_a_failed_fetch_is_not_repeated(server):
    server.route("GET", "/api/v1/instance/", body={"version": "gotosocial"})
    server.route("GET", "/api/v1/trends/tags", body=[])
    api = client(server, dialect="2")
    api.trending_tags()
    api.trending_tags()
    assert sent(server) == [V1, ("GET", "/api/v1/trends/tags"), ("GET", "/api/v1/trends/tags")]


def test_v5_dialect_1_8_mode_none_fetches_nothing_and_switches_on_1_0_0(server):
    serve_instances(server)
    server.route("GET", "/api/v1/trends", body=[])
    client(server, version_check_mode="none").trending_tags()
    assert sent(server) == [("GET", "/api/v1/trends")]


# ---------------------------------------------------------------------------------------------
# V8: the rate-limit clock starts unknown in dialect 2; the limiter keeps working


def test_v8_dialect_2_reset_and_last_call_start_as_none(server):
    api = client(server, dialect="2")
    assert (api.ratelimit_reset, api.ratelimit_lastcall) == (None, None)
    server.route("GET", "/api/v1/statuses/1", body=fixture_body("GET_api_v1_statuses_id_200"))
    api.status(1)  # an answer without rate-limit headers tells nothing
    assert (api.ratelimit_reset, api.ratelimit_lastcall) == (None, None)
    server.route("GET", "/api/v1/statuses/1", body=fixture_body("GET_api_v1_statuses_id_200"),
                 headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
                          "X-RateLimit-Reset": "2030-01-01T00:00:00.000Z"})
    before = time.time()
    api.status(1)
    assert api.ratelimit_reset == pytest.approx(1893456000.0, abs=1.5)
    assert before <= api.ratelimit_lastcall <= time.time()
    assert api.ratelimit_remaining == 299


@pytest.mark.parametrize("method", ["wait", "pace", "throw"])
def test_v8_dialect_2_every_mode_sends_while_the_reset_is_unknown(server, method):
    api = client(server, dialect="2", ratelimit_method=method)
    server.route("GET", "/api/v1/statuses/1", body=fixture_body("GET_api_v1_statuses_id_200"))
    started = time.monotonic()
    api.status(1)
    api.status(1)
    assert time.monotonic() - started < 2
    assert sent(server) == [("GET", "/api/v1/statuses/1")] * 2
    assert api.ratelimit_reset is None


def test_v8_dialect_1_8_reset_and_last_call_start_at_the_current_time(server):
    before = time.time()
    api = client(server, version_check_mode="none")
    assert before <= api.ratelimit_reset <= time.time()
    assert api.ratelimit_lastcall == api.ratelimit_reset


# ---------------------------------------------------------------------------------------------
# V9 / T4: instance() is the v2 instance from 4.0.0 on; instance_v1() keeps the v1 one


def test_v9_t4_dialect_2_instance_is_v2_on_a_4_x_server(server):
    serve_instances(server)
    api = client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    result = api.instance()
    assert_sent(server, "GET", "/api/v2/instance/")
    assert type(result).__name__ == "InstanceV2"
    assert "uri" not in result and result.domain == "mastodon.social"
    assert result.configuration.urls.streaming == "wss://streaming.mastodon.social"
    with pytest.raises(AttributeError):
        result.uri
    server.clear()
    v1 = api.instance_v1()
    assert_sent(server, "GET", "/api/v1/instance/")
    assert type(v1).__name__ == "Instance" and v1.uri == "mastodon.social"


def test_v9_dialect_2_instance_is_v1_before_4_0(server):
    serve_instances(server, version="3.5.3")
    result = client(server, dialect="2", mastodon_version="3.5.3", version_check_mode="created").instance()
    assert_sent(server, "GET", "/api/v1/instance/")
    assert type(result).__name__ == "Instance" and result.uri == "mastodon.social"


def test_v9_t4_dialect_1_8_instance_is_v1(server):
    serve_instances(server)
    result = client(server, mastodon_version="4.5.0").instance()
    assert_sent(server, "GET", "/api/v1/instance/")
    assert result.uri == "mastodon.social" and result.urls.streaming_api == "wss://streaming.mastodon.social"


# ---------------------------------------------------------------------------------------------
# V10 / T5: suggestions() reads /api/v2/suggestions from 3.4.0 on and returns the accounts


def suggestion_bodies():
    first = fixture_body("GET_api_v1_accounts_id_200")
    second = copy.deepcopy(first)
    second["id"], second["acct"] = "109", "other@example.org"
    return [{"source": "staff", "sources": ["featured"], "account": first},
            {"source": "global", "sources": ["most_followed"], "account": second}]


def test_v10_t5_dialect_2_suggestions_are_the_accounts_of_v2(server):
    server.route("GET", "/api/v2/suggestions", body=suggestion_bodies())
    result = client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created").suggestions()
    assert_sent(server, "GET", "/api/v2/suggestions")
    assert [type(account).__name__ for account in result] == ["Account", "Account"]
    assert [account.acct for account in result] == ["mastodonpy_test", "other@example.org"]


def test_v10_dialect_2_suggestions_before_3_4_are_v1(server):
    server.route("GET", "/api/v1/suggestions", body=[fixture_body("GET_api_v1_accounts_id_200")])
    result = client(server, dialect="2", mastodon_version="3.3.0", version_check_mode="created").suggestions()
    assert_sent(server, "GET", "/api/v1/suggestions")
    assert [account.acct for account in result] == ["mastodonpy_test"]


def test_v10_t5_dialect_1_8_suggestions_are_v1(server):
    server.route("GET", "/api/v1/suggestions", body=[fixture_body("GET_api_v1_accounts_id_200")])
    result = client(server, mastodon_version="4.5.0").suggestions()
    assert_sent(server, "GET", "/api/v1/suggestions")
    assert [account.acct for account in result] == ["mastodonpy_test"]


# ---------------------------------------------------------------------------------------------
# W5 / X6: public timelines read timelines_access first (once per client) and warn


def test_w5_x6_dialect_2_public_timeline_checks_once_and_warns(server):
    serve_instances(server)  # live feeds: local and remote "disabled"
    server.route("GET", "/api/v1/timelines/public", body=[])
    api = client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        api.timeline_public()
        api.timeline_public()
    assert sent(server) == [V2, ("GET", "/api/v1/timelines/public"), ("GET", "/api/v1/timelines/public")]
    assert [r.query for r in server.requests[1:]] == [[], []]
    (warning,) = mastodon_warnings(caught)
    assert str(warning.message) == ("The server says its public timeline is not available to this account "
                                    "(timelines_access): the call may fail or return nothing.")
    assert warning.filename == __file__


def test_w5_x6_dialect_2_local_timeline_is_checked_as_the_local_feed(server):
    serve_instances(server, v2={"configuration": {"timelines_access": {
        "live_feeds": {"local": "authenticated", "remote": "disabled"}}}})
    server.route("GET", "/api/v1/timelines/public", body=[])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created").timeline_local()
        anonymous = Mastodon(api_base_url=server.url, dialect="2", mastodon_version="4.5.0",
                             version_check_mode="created")
        anonymous.timeline_local()
    assert sent(server) == [V2, ("GET", "/api/v1/timelines/public")] * 2
    assert server.requests[1].query == [("local", "1")]
    (warning,) = mastodon_warnings(caught)  # logged in, "authenticated" is open
    assert str(warning.message) == ("The server says its local public timeline is not available to clients "
                                    "without a login (timelines_access): the call may fail or return nothing.")


def test_w5_dialect_2_hashtag_timeline_open_to_all_does_not_warn(server):
    serve_instances(server)  # hashtag feeds: "public"
    server.route("GET", "/api/v1/timelines/tag/python", body=[])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created").timeline_hashtag("python")
    assert sent(server) == [V2, ("GET", "/api/v1/timelines/tag/python")]
    assert mastodon_warnings(caught) == []


def test_w5_dialect_2_a_server_without_v2_instance_is_not_warned_about(server):
    server.route("GET", "/api/v1/timelines/public", body=[])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client(server, dialect="2", mastodon_version="3.5.0", version_check_mode="created").timeline_public()
    assert sent(server) == [V2, ("GET", "/api/v2/instance"), ("GET", "/api/v1/timelines/public")]
    assert mastodon_warnings(caught) == []


def test_w5_x6_dialect_1_8_sends_only_the_timeline_and_never_warns(server):
    serve_instances(server)
    server.route("GET", "/api/v1/timelines/public", body=[])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client(server, mastodon_version="4.5.0").timeline_public()
    assert_sent(server, "GET", "/api/v1/timelines/public")
    assert mastodon_warnings(caught) == []


# ---------------------------------------------------------------------------------------------
# W6 / X6: the streaming base: the feed check, then instance v1, else v2 (once per client)


def streaming_host(server):
    return "ws://" + server.url.split("://")[1]


def serve_health(server):
    server.route("GET", "/api/v1/streaming/health", Response(200, "OK", {"Content-Type": "text/plain"}))


def test_w6_x6_dialect_2_streaming_base_from_v1_after_the_feed_check(server):
    serve_instances(server, v1={"urls": {"streaming_api": streaming_host(server)}})
    serve_health(server)
    api = client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert api.stream_healthy() is True
        assert api.stream_healthy() is True
    health = ("GET", "/api/v1/streaming/health")
    assert sent(server) == [V2, V1, health, health]
    assert server.last.headers["authorization"] == "Bearer " + TOKEN
    (warning,) = mastodon_warnings(caught)
    assert "public timeline is not available" in str(warning.message)


def test_w6_dialect_2_streaming_base_from_v2_when_v1_names_none(server):
    serve_instances(server, v1={"urls": {}}, v2={"configuration": {
        "urls": {"streaming": streaming_host(server)},
        "timelines_access": {"live_feeds": {"local": "public", "remote": "public"}}}})
    serve_health(server)
    api = client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    assert api.stream_healthy() is True
    assert sent(server) == [V2, V1, ("GET", "/api/v1/streaming/health")]


def test_w6_dialect_2_stream_public_warns_and_connects(server, sse):
    serve_instances(server, v1={"urls": {"streaming_api": sse.ws_url}})

    def script(stream):
        stream.heartbeat(")")
        stream.end()
    sse.serve(script)
    api = client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        api.stream_public(StreamListener())
    assert sent(server) == [V2, V1]
    assert [c.path for c in sse.connections] == ["/api/v1/streaming/public"]
    assert len(mastodon_warnings(caught)) == 1


def test_w6_dialect_1_8_streaming_base_from_instance_at_every_call(server):
    serve_instances(server, v1={"urls": {"streaming_api": streaming_host(server)}})
    serve_health(server)
    api = client(server, mastodon_version="4.5.0")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        api.stream_healthy()
        api.stream_healthy()
    health = ("GET", "/api/v1/streaming/health")
    assert sent(server) == [V1, health, V1, health]
    assert mastodon_warnings(caught) == []


# ---------------------------------------------------------------------------------------------
# W7 / T6: OAuth discovery: the metadata first (once per client), its endpoints, https


def test_t6_w7_dialect_2_auth_request_url_fetches_the_metadata_once(server):
    serve_metadata(server)
    api = oauth_client(server, dialect="2")
    url = api.auth_request_url(scopes=["read"], allow_http=True)
    assert_sent(server, "GET", "/.well-known/oauth-authorization-server", token=None)
    assert url == (server.url + "/oauth/authorize?client_id=cid&response_type=code&redirect_uri=urn%3Aietf%3Awg"
                   "%3Aoauth%3A2.0%3Aoob&scope=read&force_login=False&state=None&lang=None")
    server.clear()
    assert api.auth_request_url(scopes=["read"], allow_http=True) == url
    assert server.requests == []
    # The same text as dialect 1.8 builds without a request.
    assert oauth_client(server, version_check_mode="none").auth_request_url(scopes=["read"]) == url
    assert server.requests == []


def test_t6_dialect_2_skip_server_info_sends_nothing(server):
    serve_metadata(server, authorization_endpoint="https://auth.example/authorize")
    url = oauth_client(server, dialect="2").auth_request_url(scopes=["read"], skip_server_info=True)
    assert url.startswith(server.url + "/oauth/authorize?client_id=cid&")
    assert server.requests == []


def test_t6_w7_dialect_2_uses_the_metadata_endpoints(server):
    serve_metadata(server, authorization_endpoint="https://auth.example/authorize",
                   token_endpoint=server.url + "/auth/token", revocation_endpoint=server.url + "/auth/revoke")
    server.route("POST", "/auth/token", body=TOKEN_ANSWER)
    server.route("POST", "/auth/revoke", body={})
    api = oauth_client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    assert api.auth_request_url(scopes=["read"]).startswith("https://auth.example/authorize?client_id=cid&")
    assert api.log_in(code="abc", scopes=["read"], allow_http=True) == "new-token"
    api.revoke_access_token(allow_http=True)
    assert sent(server) == [METADATA, ("POST", "/auth/token"), ("POST", "/auth/revoke")]
    assert server.requests[2].form == [("client_id", "cid"), ("client_secret", "secret"), ("token", "new-token")]
    assert server.requests[2].headers["authorization"] == "Bearer new-token"


@pytest.mark.parametrize("call", [
    lambda api: api.auth_request_url(),
    lambda api: api.log_in(code="abc"),
    lambda api: api.revoke_access_token(),
])
def test_w7_dialect_2_http_endpoints_need_allow_http(server, call):
    serve_metadata(server)
    api = oauth_client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    api.access_token = TOKEN
    with pytest.raises(MastodonIllegalArgumentError) as caught:
        call(api)
    assert caught.value.args == ("OAuth URLs must use with https.",)
    assert sent(server) == [METADATA]


def test_w7_dialect_2_without_metadata_posts_to_the_api_path(server):
    server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
    api = oauth_client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    assert api.log_in(code="abc", scopes=["read"], allow_http=True) == "new-token"
    assert sent(server) == [METADATA, TOKEN_POST]
    assert server.requests[0].headers.get("authorization") is None


def test_w7_dialect_2_an_endpoint_of_another_host_over_http_gets_no_credentials(server):
    serve_metadata(server, token_endpoint="http://elsewhere.invalid/oauth/token")
    api = oauth_client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    with pytest.raises(MastodonIllegalArgumentError, match="another host"):
        api.log_in(code="abc", scopes=["read"], allow_http=True)
    assert sent(server) == [METADATA]


def test_w7_dialect_2_an_endpoint_of_another_host_is_followed_when_all_is_https():
    api = Mastodon(client_id="cid", client_secret="secret", api_base_url="https://mastodon.example",
                   dialect="2")
    api._Mastodon__caches.oauth_info = {"token_endpoint": "https://auth.example/token"}
    assert api._Mastodon__discovered_oauth_url("token_endpoint", "/oauth/token", False) == "https://auth.example/token"
    api._Mastodon__caches.oauth_info = {"token_endpoint": "http://auth.example/token"}
    with pytest.raises(MastodonIllegalArgumentError):
        api._Mastodon__discovered_oauth_url("token_endpoint", "/oauth/token", True)


def test_w7_t6_dialect_1_8_sends_no_discovery_request(server):
    serve_metadata(server, token_endpoint=server.url + "/auth/token")
    server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
    server.route("POST", "/oauth/revoke", body={})
    serve_instances(server)
    api = oauth_client(server, mastodon_version="4.5.0")
    api.auth_request_url()
    assert server.requests == []
    api.log_in(code="abc", scopes=["read"])
    api.revoke_access_token()
    assert sent(server) == [TOKEN_POST, V1, ("POST", "/oauth/revoke")]


# ---------------------------------------------------------------------------------------------
# W8: the log_in form carries the grant only (2.x's leaked oauth_info fields are not sent)


def test_w8_dialect_2_log_in_form_is_the_grant_only(server):
    serve_metadata(server)
    server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
    api = oauth_client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    api.log_in(code="abc", scopes=["read"], allow_http=True)
    assert sent(server) == [METADATA, TOKEN_POST]
    assert server.requests[1].form == CODE_FORM


def test_w8_dialect_1_8_log_in_form(server):
    server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
    serve_instances(server)
    oauth_client(server, mastodon_version="4.5.0").log_in(code="abc", scopes=["read"])
    assert server.requests[0].form == CODE_FORM


# ---------------------------------------------------------------------------------------------
# W9: the password grant a 4.4.0+ server does not offer is refused before it is sent


PASSWORD_FORM = [("username", "u@example.org"), ("password", "pw"), ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
                 ("grant_type", "password"), ("client_id", "cid"), ("client_secret", "secret"), ("scope", "read")]


def test_w9_dialect_2_refuses_the_password_grant_after_fetching_the_version(server):
    serve_metadata(server)  # grant_types_supported: authorization_code, client_credentials
    serve_instances(server)
    api = oauth_client(server, dialect="2")
    with pytest.raises(MastodonIllegalArgumentError) as caught:
        api.log_in("u@example.org", "pw", scopes=["read"], allow_http=True)
    assert caught.value.args[0].startswith("Password flow is no longer supported in Mastodon 4.4.0 and later. ")
    assert sent(server) == [METADATA, V1, V2]


@pytest.mark.parametrize("version, grants", [
    ("4.3.0", ["authorization_code"]),
    ("4.5.0", ["authorization_code", "password"]),
])
def test_w9_dialect_2_sends_the_password_grant_where_it_may_work(server, version, grants):
    serve_metadata(server, grant_types_supported=grants)
    server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
    api = oauth_client(server, dialect="2", mastodon_version=version, version_check_mode="created")
    assert api.log_in("u@example.org", "pw", scopes=["read"], allow_http=True) == "new-token"
    assert sent(server) == [METADATA, TOKEN_POST]
    assert server.requests[1].form == PASSWORD_FORM


def test_w9_dialect_1_8_sends_the_password_grant(server):
    serve_metadata(server)
    server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
    api = oauth_client(server, mastodon_version="4.5.0")
    api.version_check_worked = True  # no re-fetch afterwards (W10)
    assert api.log_in("u@example.org", "pw", scopes=["read"]) == "new-token"
    assert sent(server) == [TOKEN_POST]
    assert server.requests[0].form == PASSWORD_FORM


# ---------------------------------------------------------------------------------------------
# W10: after log_in, the version is fetched again only where it was not known


def test_w10_dialect_2_default_client_fetches_the_version_after_log_in(server):
    serve_metadata(server)
    serve_instances(server)
    server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
    api = oauth_client(server, dialect="2")
    api.log_in(code="abc", scopes=["read"], allow_http=True)
    assert sent(server) == [METADATA, TOKEN_POST, V1, V2]
    assert api.mastodon_api_version == 11


def test_w10_dialect_2_a_given_version_is_not_fetched_after_log_in(server):
    serve_metadata(server)
    server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
    api = oauth_client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    api.log_in(code="abc", scopes=["read"], allow_http=True)
    assert sent(server) == [METADATA, TOKEN_POST]


def test_w10_dialect_1_8_a_given_version_is_fetched_after_log_in(server):
    serve_instances(server)
    server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
    api = oauth_client(server, mastodon_version="4.5.0")
    api.log_in(code="abc", scopes=["read"])
    assert sent(server) == [TOKEN_POST, V1]
    assert api.version_check_worked is True


def test_w5_dialect_2_clear_caches_forgets_the_feed_check(server):
    serve_instances(server)
    server.route("GET", "/api/v1/timelines/public", body=[])
    api = client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        api.timeline_public()
        api.clear_caches()
        api.timeline_public()
    timeline = ("GET", "/api/v1/timelines/public")
    assert sent(server) == [V2, timeline, V2, timeline]
    assert len(mastodon_warnings(caught)) == 2


def test_w7_metadata_answered_from_another_origin_after_a_redirect_is_not_believed(server):
    # A redirect of the anonymous metadata request (the only one it may follow) takes it to
    # another origin, whose "metadata" names an endpoint of its own: nothing is sent there, the
    # grant goes to the API's own path.
    from server import RecordingServer, Response as Answer
    with RecordingServer() as elsewhere:
        forged = fixture_body("GET_.well-known_oauth-authorization-server_200")
        forged["token_endpoint"] = elsewhere.url + "/steal"
        elsewhere.route("GET", "/meta", body=forged)
        server.route("GET", "/.well-known/oauth-authorization-server",
                     Answer(302, b"", {"Location": elsewhere.url + "/meta"}))
        server.route("POST", "/oauth/token", body=TOKEN_ANSWER)
        api = oauth_client(server, dialect="2", mastodon_version="4.5.0", version_check_mode="created")
        assert not any(api.oauth_authorization_server_info().values())  # dialect 2: all declared, None
        api.log_in(code="abc", scopes=["read"], allow_http=True)
        assert [(r.method, r.path) for r in elsewhere.requests] == [("GET", "/meta")]
        assert sent(server) == [METADATA, TOKEN_POST]
        assert server.requests[-1].form == CODE_FORM
