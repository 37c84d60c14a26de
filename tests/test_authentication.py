"""Construction, credential files, app registration and the OAuth flow, checked on the wire."""

import base64
import datetime
import hashlib
import os
import stat
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

import mastodon.authentication
from conftest import TOKEN
from helpers import assert_sent, fixture_body, free_port, spy
from server import Response

from mastodon import (
    AttribAccessDict, Mastodon, MastodonAPIError, MastodonIllegalArgumentError, MastodonIOError,
    MastodonNetworkError, MastodonNotFoundError, MastodonUnauthorizedError, MastodonVersionError,
)

APP = fixture_body("POST_api_v1_apps_200")
TOKEN_ANSWER = fixture_body("POST_oauth_token_200")
DEFAULT_SCOPE = "read write follow push"
OOB = "urn:ietf:wg:oauth:2.0:oob"


def write_lines(path, *lines):
    path.write_text("".join(f"{line}\n" for line in lines))
    return str(path)


def read_mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def token_request(server):
    """The last request to the token endpoint (log_in may fetch the server version after it)."""
    return [r for r in server.requests if r.path == "/oauth/token"][-1]


def offline(**kwargs):
    """A client that never talks to the server while being built."""
    options = dict(api_base_url="http://127.0.0.1:9", version_check_mode="none")
    options.update(kwargs)
    return Mastodon(**options)


# --- constructor: base URL ------------------------------------------------------------------------

@pytest.mark.parametrize("given, expected", [
    ("mastodon.example", "https://mastodon.example"),
    ("mastodon.example/", "https://mastodon.example"),
    ("https://mastodon.example///", "https://mastodon.example"),
    ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
    ("https://mastodon.example/sub/", "https://mastodon.example/sub"),
])
def test_base_url_gets_https_and_loses_trailing_slashes(given, expected):
    assert offline(api_base_url=given).api_base_url == expected


def test_no_base_url_is_refused():
    with pytest.raises(MastodonIllegalArgumentError):
        Mastodon(access_token="x", version_check_mode="none")


# --- constructor: option validation ---------------------------------------------------------------

@pytest.mark.parametrize("options", [
    dict(feature_set="mastodon"),
    dict(version_check_mode="sometimes"),
    dict(ratelimit_method="ignore"),
    dict(version_check_mode="created", mastodon_version="4.0.0", ratelimit_method="sleep"),
])
def test_invalid_options_are_refused(server, options):
    options = dict(dict(api_base_url=server.url, version_check_mode="none"), **options)
    with pytest.raises(MastodonIllegalArgumentError):
        Mastodon(**options)
    assert server.requests == []


def test_invalid_feature_set_is_also_a_value_error():
    with pytest.raises(ValueError):
        offline(feature_set="misskey")


def test_garbage_version_is_a_version_error(server):
    with pytest.raises(MastodonVersionError):
        Mastodon(api_base_url=server.url, mastodon_version="garbage")
    assert server.requests == []


def test_given_version_is_used_without_a_request(server):
    api = Mastodon(api_base_url=server.url, mastodon_version="3.5.2")
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (3, 5, 2)
    assert server.requests == []


def test_default_attributes(server):
    api = Mastodon(api_base_url=server.url, version_check_mode="none")
    assert api.api_base_url == server.url
    assert api.client_id is None and api.client_secret is None and api.access_token is None
    assert api.ratelimit_method == "wait"
    assert api.ratelimit_limit == 300
    assert api.ratelimit_remaining == 300
    assert api.ratelimit_pacefactor == 1.1
    assert api.request_timeout == 300
    assert api.user_agent == "mastodonpy"
    assert api.feature_set == "mainline"
    assert api.lang is None
    assert api.debug_requests is False
    assert api.version_check_mode == "none"
    assert api.version_check_worked is None
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (1, 0, 0)
    assert isinstance(api.session, requests.Session)
    assert server.requests == []


def test_given_session_is_used(server):
    session = requests.Session()
    assert Mastodon(api_base_url=server.url, version_check_mode="none", session=session).session is session


# --- constructor: version retrieval ---------------------------------------------------------------

def test_created_mode_fetches_the_version_from_instance_v1(server):
    server.fixture("GET_api_v1_instance__200")
    api = Mastodon(api_base_url=server.url, access_token=TOKEN)  # default mode: 'created'
    assert [(r.method, r.path, r.query, r.body) for r in server.requests] == [
        ("GET", "/api/v1/instance/", [], b"")]
    assert server.last.headers["authorization"] == "Bearer " + TOKEN
    assert server.last.headers["user-agent"] == "mastodonpy"
    # "4.7.0-alpha.2+pr-39999-68e5caf": the part after '+' is no version, so the part before counts
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (4, 7, 0)
    assert api.version_check_worked is True


def test_none_mode_fetches_nothing(server):
    server.fixture("GET_api_v1_instance__200")
    api = Mastodon(api_base_url=server.url, version_check_mode="none")
    assert server.requests == []
    assert api.version_check_worked is None


@pytest.mark.parametrize("version", ["takahe/0.11.0", "", "GoToSocial"])
def test_unreadable_fetched_version_does_not_raise(server, version):
    server.route("GET", "/api/v1/instance/", body={"uri": "x", "version": version})
    api = Mastodon(api_base_url=server.url)
    assert api.version_check_worked is False
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (1, 0, 0)


def test_unreachable_server_does_not_raise_from_the_constructor():
    api = Mastodon(api_base_url=f"http://127.0.0.1:{free_port()}")
    assert api.version_check_worked is False


# --- constructor: credential files ----------------------------------------------------------------

def test_client_credential_file_is_read(tmp_path, server):
    path = write_lines(tmp_path / "client.secret", "cid", "csecret", server.url + "/", "My App")
    api = Mastodon(client_id=path, version_check_mode="none", user_agent=None)
    assert (api.client_id, api.client_secret, api.api_base_url) == ("cid", "csecret", server.url)
    assert api.user_agent == "My App"


def test_client_credential_file_name_does_not_replace_a_given_user_agent(tmp_path, server):
    path = write_lines(tmp_path / "client.secret", "cid", "csecret", server.url, "My App")
    assert Mastodon(client_id=path, version_check_mode="none").user_agent == "mastodonpy"
    assert Mastodon(client_id=path, version_check_mode="none", user_agent="bot/1").user_agent == "bot/1"


def test_client_credential_file_without_base_url_needs_one_given(tmp_path, server):
    path = write_lines(tmp_path / "client.secret", "cid", "csecret")
    with pytest.raises(MastodonIllegalArgumentError):
        Mastodon(client_id=path, version_check_mode="none")
    api = Mastodon(client_id=path, api_base_url=server.url, version_check_mode="none")
    assert (api.client_id, api.client_secret, api.api_base_url) == ("cid", "csecret", server.url)


def test_client_credential_file_base_url_mismatch_is_refused(tmp_path):
    path = write_lines(tmp_path / "client.secret", "cid", "csecret", "https://one.example", "app")
    with pytest.raises(MastodonIllegalArgumentError, match="Mismatch"):
        Mastodon(client_id=path, api_base_url="https://two.example", version_check_mode="none")
    # the same server written differently is no mismatch
    api = Mastodon(client_id=path, api_base_url="one.example/", version_check_mode="none")
    assert api.api_base_url == "https://one.example"


def test_token_file_is_read(tmp_path, server):
    path = write_lines(tmp_path / "user.secret", "tok", server.url, "cid", "csecret")
    api = Mastodon(access_token=path, version_check_mode="none")
    assert (api.access_token, api.api_base_url, api.client_id, api.client_secret) == (
        "tok", server.url, "cid", "csecret")


def test_token_file_client_lines_do_not_override_given_client(tmp_path, server):
    token_path = write_lines(tmp_path / "user.secret", "tok", server.url, "other-id", "other-secret")
    api = Mastodon(client_id="cid", client_secret="csecret", access_token=token_path,
                   version_check_mode="none")
    assert (api.access_token, api.client_id, api.client_secret) == ("tok", "cid", "csecret")


def test_token_file_with_only_a_token(tmp_path, server):
    path = write_lines(tmp_path / "user.secret", "tok")
    api = Mastodon(access_token=path, api_base_url=server.url, version_check_mode="none")
    assert (api.access_token, api.api_base_url, api.client_id) == ("tok", server.url, None)


def test_token_file_base_url_mismatch_is_refused(tmp_path):
    path = write_lines(tmp_path / "user.secret", "tok", "https://one.example")
    with pytest.raises(MastodonIllegalArgumentError, match="Mismatch"):
        Mastodon(access_token=path, api_base_url="https://two.example", version_check_mode="none")


def test_token_from_file_is_sent(tmp_path, server):
    path = write_lines(tmp_path / "user.secret", "file-token", server.url)
    server.fixture("GET_api_v1_instance__200")
    Mastodon(access_token=path)
    assert server.last.headers["authorization"] == "Bearer file-token"


def test_client_id_without_secret_is_refused():
    with pytest.raises(MastodonIllegalArgumentError):
        offline(client_id="cid")


def test_access_token_that_is_no_file_is_taken_literally(tmp_path):
    api = offline(access_token=str(tmp_path / "missing"))
    assert api.access_token == str(tmp_path / "missing")


# --- create_app -----------------------------------------------------------------------------------

@pytest.fixture
def post_calls(monkeypatch):
    """Record calls of ``requests.post`` (as used by create_app) and let them through."""
    return spy(monkeypatch, mastodon.authentication.requests, "post")


def test_create_app_sends_exact_form_through_requests_post(server, post_calls):
    server.fixture("POST_api_v1_apps_200")
    result = Mastodon.create_app("my app", api_base_url=server.url)
    assert result == (APP["client_id"], APP["client_secret"])
    assert type(result) is tuple
    assert len(post_calls) == 1
    # The timeout bounds the whole exchange: requests gets what is left of it.
    assert post_calls[0][1]["timeout"] == (pytest.approx(300, abs=1), pytest.approx(300, abs=1))
    assert_sent(server, "POST", "/api/v1/apps",
                form=[("client_name", "my app"), ("scopes", DEFAULT_SCOPE), ("redirect_uris", OOB)],
                headers={"user-agent": "mastodonpy"}, token=None)


def test_create_app_with_all_options(server, post_calls):
    server.fixture("POST_api_v1_apps_200")
    Mastodon.create_app("app", scopes=["read", "write:statuses"],
                        redirect_uris=["https://a.example/cb", "https://b.example/cb"],
                        website="https://a.example", api_base_url=server.url + "/", user_agent="bot/2.0",
                        request_timeout=7)
    assert server.last.form == [
        ("client_name", "app"), ("scopes", "read write:statuses"),
        ("redirect_uris", "https://a.example/cb\nhttps://b.example/cb"), ("website", "https://a.example")]
    assert server.last.headers["user-agent"] == "bot/2.0"
    assert post_calls[0][1]["timeout"] == (pytest.approx(7, abs=1), pytest.approx(7, abs=1))


def test_create_app_single_redirect_uri_and_tuple(server):
    server.fixture("POST_api_v1_apps_200")
    Mastodon.create_app("app", redirect_uris="https://a.example/cb", api_base_url=server.url)
    assert ("redirect_uris", "https://a.example/cb") in server.last.form
    Mastodon.create_app("app", redirect_uris=("x://1", "x://2"), api_base_url=server.url)
    assert ("redirect_uris", "x://1\nx://2") in server.last.form


def test_create_app_without_user_agent_sends_requests_default(server):
    server.fixture("POST_api_v1_apps_200")
    Mastodon.create_app("app", api_base_url=server.url, user_agent=None)
    assert server.last.headers["user-agent"].startswith("python-requests/")


def test_create_app_uses_the_given_session(server, post_calls, monkeypatch):
    server.fixture("POST_api_v1_apps_200")
    session = requests.Session()
    session_posts = spy(monkeypatch, session, "post")
    assert Mastodon.create_app("app", api_base_url=server.url, session=session) == (
        APP["client_id"], APP["client_secret"])
    assert [args for args, _ in session_posts] == [(server.url + "/api/v1/apps",)]
    assert post_calls == []
    assert server.last.form[0] == ("client_name", "app")


def test_create_app_to_file_writes_four_lines_private(server, tmp_path):
    server.fixture("POST_api_v1_apps_200")
    path = tmp_path / "client.secret"
    Mastodon.create_app("my app", api_base_url=server.url + "//", to_file=str(path))
    assert path.read_text() == f"{APP['client_id']}\n{APP['client_secret']}\n{server.url}\nmy app\n"
    assert read_mode(path) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["client.secret"]
    # and the file works as the client_id of a client
    api = Mastodon(client_id=str(path), version_check_mode="none")
    assert (api.client_id, api.client_secret, api.api_base_url) == (
        APP["client_id"], APP["client_secret"], server.url)


def test_create_app_to_file_replaces_an_existing_file(server, tmp_path):
    server.fixture("POST_api_v1_apps_200")
    path = tmp_path / "client.secret"
    path.write_text("old\n")
    os.chmod(path, 0o644)
    Mastodon.create_app("app", api_base_url=server.url, to_file=path)
    assert path.read_text().splitlines()[0] == APP["client_id"]
    assert read_mode(path) == 0o600


def test_create_app_without_base_url_is_refused(post_calls):
    with pytest.raises(MastodonIllegalArgumentError):
        Mastodon.create_app("app")
    assert post_calls == []


@pytest.mark.parametrize("answer", [
    Response(422, {"error": "Validation failed: Redirect URI must be an absolute URI."}),
    Response(200, "<html>not json</html>", {"content-type": "text/html"}),
    Response(500, b""),
    Response(200, {"id": "2", "name": "app"}),
])
def test_create_app_bad_answer_is_a_network_error(server, answer):
    server.route("POST", "/api/v1/apps", answer)
    with pytest.raises(MastodonNetworkError):
        Mastodon.create_app("app", api_base_url=server.url)


def test_create_app_bad_answer_writes_no_file(server, tmp_path):
    server.route("POST", "/api/v1/apps", Response(422, {"error": "nope"}))
    with pytest.raises(MastodonNetworkError, match="nope"):
        Mastodon.create_app("app", api_base_url=server.url, to_file=tmp_path / "c.secret")
    assert os.listdir(tmp_path) == []


def test_create_app_refused_connection_is_a_network_error():
    with pytest.raises(MastodonNetworkError) as info:
        Mastodon.create_app("app", api_base_url=f"http://127.0.0.1:{free_port()}")
    assert isinstance(info.value.__cause__, requests.exceptions.ConnectionError)


# --- credential files are written atomically ------------------------------------------------------

def test_failed_credential_write_keeps_old_file_and_leaves_no_temp_file(server, tmp_path, monkeypatch):
    server.fixture("POST_api_v1_apps_200")
    path = tmp_path / "client.secret"
    path.write_text("old-id\nold-secret\n")

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(MastodonIOError):
        Mastodon.create_app("app", api_base_url=server.url, to_file=str(path))
    assert path.read_text() == "old-id\nold-secret\n"
    assert os.listdir(tmp_path) == ["client.secret"]


def test_failed_credential_write_keeps_old_file_and_raises_io_error(server, tmp_path, monkeypatch):
    server.fixture("POST_api_v1_apps_200")
    path = tmp_path / "client.secret"
    path.write_text("old-id\nold-secret\n")

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(MastodonIOError) as info:
        Mastodon.create_app("app", api_base_url=server.url, to_file=str(path))
    assert isinstance(info.value, OSError)
    assert isinstance(info.value.__cause__, OSError)
    assert path.read_text() == "old-id\nold-secret\n"


def test_credential_file_in_missing_directory_is_an_io_error(server, tmp_path):
    server.fixture("POST_api_v1_apps_200")
    with pytest.raises(MastodonIOError):
        Mastodon.create_app("app", api_base_url=server.url, to_file=str(tmp_path / "no" / "such.secret"))


# --- auth_request_url -----------------------------------------------------------------------------

def test_auth_request_url_exact(make_api, server):
    api = make_api(client_id="cid", client_secret="csecret")
    url = api.auth_request_url()
    assert url == (f"{server.url}/oauth/authorize?client_id=cid&response_type=code"
                   "&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&scope=read+write+follow+push"
                   "&force_login=False&state=None&lang=None")
    assert server.requests == []


def test_auth_request_url_with_all_arguments(make_api, server):
    api = make_api(client_id="cid", client_secret="csecret", lang="fr")
    url = api.auth_request_url(client_id="other", redirect_uris="https://app.example/cb",
                               scopes=["read:statuses", "write"], force_login=True, state="s t", lang="de")
    split = urlsplit(url)
    assert f"{split.scheme}://{split.netloc}{split.path}" == server.url + "/oauth/authorize"
    assert parse_qsl(split.query) == [
        ("client_id", "other"), ("response_type", "code"), ("redirect_uri", "https://app.example/cb"),
        ("scope", "read:statuses write"), ("force_login", "True"), ("state", "s t"), ("lang", "de")]


def test_auth_request_url_reads_client_id_from_file(make_api, tmp_path):
    path = write_lines(tmp_path / "client.secret", "file-cid", "file-secret", "https://x.example", "n")
    url = make_api().auth_request_url(client_id=path)
    assert parse_qsl(urlsplit(url).query)[0] == ("client_id", "file-cid")


def test_auth_request_url_uses_constructor_client_file(make_api, server, tmp_path):
    path = write_lines(tmp_path / "client.secret", "file-cid", "file-secret", server.url, "n")
    api = Mastodon(client_id=path, version_check_mode="none")
    assert parse_qsl(urlsplit(api.auth_request_url()).query)[0] == ("client_id", "file-cid")


def test_auth_request_url_without_pkce_has_no_challenge(make_api):
    query = dict(parse_qsl(urlsplit(make_api(client_id="c", client_secret="s").auth_request_url()).query))
    assert "code_challenge" not in query and "code_challenge_method" not in query


def test_pkce_challenge_matches_the_verifier_sent_by_log_in(make_api, server):
    api = make_api(client_id="cid", client_secret="csecret")
    url = api.auth_request_url(use_pkce=True)
    pairs = parse_qsl(urlsplit(url).query)
    assert [k for k, _ in pairs] == ["client_id", "response_type", "redirect_uri", "scope", "force_login",
                                     "state", "lang", "code_challenge", "code_challenge_method"]
    query = dict(pairs)
    assert query["code_challenge_method"] == "S256"
    assert server.requests == []

    server.fixture("POST_oauth_token_200")
    api.log_in(code="the-code")
    form = token_request(server).form
    assert [k for k, _ in form] == ["code", "redirect_uri", "code_verifier", "grant_type", "client_id",
                                    "client_secret", "scope"]
    verifier = dict(form)["code_verifier"]
    assert 43 <= len(verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == expected

    # the verifier is used once
    api.log_in(code="another-code")
    assert "code_verifier" not in dict(token_request(server).form)


def test_pkce_verifiers_differ_between_requests(make_api):
    api = make_api(client_id="cid", client_secret="csecret")
    first = dict(parse_qsl(urlsplit(api.auth_request_url(use_pkce=True)).query))["code_challenge"]
    second = dict(parse_qsl(urlsplit(api.auth_request_url(use_pkce=True)).query))["code_challenge"]
    assert first != second


def test_explicit_code_verifier_is_sent(make_api, server):
    server.fixture("POST_oauth_token_200")
    make_api(client_id="cid", client_secret="csecret").log_in(code="c", code_verifier="v" * 50)
    assert ("code_verifier", "v" * 50) in token_request(server).form


# --- log_in ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, expected", [
    (dict(username="me@example.com", password="hunter2"),
     [("username", "me@example.com"), ("password", "hunter2"), ("redirect_uri", OOB), ("grant_type", "password")]),
    (dict(code="abc", redirect_uri="https://app.example/cb"),
     [("code", "abc"), ("redirect_uri", "https://app.example/cb"), ("grant_type", "authorization_code")]),
    (dict(refresh_token="refresh-me"),
     [("redirect_uri", OOB), ("refresh_token", "refresh-me"), ("grant_type", "refresh_token")]),
    # username and password win over a code
    (dict(username="u", password="p", code="abc"),
     [("username", "u"), ("password", "p"), ("redirect_uri", OOB), ("grant_type", "password")]),
])
def test_log_in_grants_send_exact_form(make_api, server, kwargs, expected):
    server.fixture("POST_oauth_token_200")
    api = make_api(client_id="cid", client_secret="csecret", access_token="old-token")
    token = api.log_in(**kwargs)
    assert token == TOKEN_ANSWER["access_token"]
    assert api.access_token == TOKEN_ANSWER["access_token"]
    sent = token_request(server)
    assert (sent.method, sent.path, sent.query) == ("POST", "/oauth/token", [])
    assert sent.form == expected + [("client_id", "cid"), ("client_secret", "csecret"), ("scope", DEFAULT_SCOPE)]
    assert sent.headers["authorization"] == "Bearer old-token"
    assert sent.headers["user-agent"] == "mastodonpy"


def test_log_in_then_uses_the_new_token(make_api, server):
    server.fixture("POST_oauth_token_200")
    server.fixture("GET_api_v1_apps_verify_credentials_200")
    api = make_api(client_id="cid", client_secret="csecret", access_token=None)
    api.log_in("u", "p")
    assert "authorization" not in server.requests[0].headers
    api.app_verify_credentials()
    assert server.last.headers["authorization"] == "Bearer " + TOKEN_ANSWER["access_token"]


def test_log_in_stores_refresh_token_and_expiry(make_api, server):
    server.route("POST", "/oauth/token", body=dict(TOKEN_ANSWER, refresh_token="r1", expires_in=3600))
    api = make_api(client_id="cid", client_secret="csecret")
    before = datetime.datetime.now()
    api.log_in(code="c")
    assert api._Mastodon__get_refresh_token() == "r1"
    assert api._Mastodon__get_token_expired() is False
    assert before + datetime.timedelta(seconds=3599) < api._token_expired
    assert api._token_expired < datetime.datetime.now() + datetime.timedelta(seconds=3601)


def test_log_in_without_expiry_counts_as_expired(make_api, server):
    server.fixture("POST_oauth_token_200")
    api = make_api(client_id="cid", client_secret="csecret")
    api.log_in(code="c")
    assert api._Mastodon__get_refresh_token() is None


@pytest.mark.parametrize("kwargs", [dict(), dict(username="u"), dict(password="p"), dict(redirect_uri="x")])
def test_log_in_without_a_grant_is_refused(make_api, server, kwargs):
    with pytest.raises(MastodonIllegalArgumentError):
        make_api(client_id="cid", client_secret="csecret").log_in(**kwargs)
    assert server.requests == []


def test_log_in_is_not_rate_limited(make_api, server):
    server.route("POST", "/oauth/token", Response(200, TOKEN_ANSWER, {
        "X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2100-01-01T00:00:00Z"}))
    server.route("GET", "/api/v1/instance/", body={"version": "4.5.0"})
    api = make_api(client_id="cid", client_secret="csecret", ratelimit_method="pace", mastodon_version=None)
    assert api.version_check_worked is True
    state = (api.ratelimit_limit, api.ratelimit_remaining, api.ratelimit_reset, api.ratelimit_lastcall)
    api.log_in(code="c")
    assert (api.ratelimit_limit, api.ratelimit_remaining, api.ratelimit_reset, api.ratelimit_lastcall) == state


def test_log_in_429_is_not_waited_out(make_api, server):
    server.route("POST", "/oauth/token", Response(429, {"error": "Too many requests"}, {"Retry-After": "100"}))
    with pytest.raises(MastodonIllegalArgumentError):
        make_api(client_id="cid", client_secret="csecret", ratelimit_method="wait").log_in(code="c")
    assert len(server.requests) == 1


@pytest.mark.parametrize("status, cause", [(401, MastodonUnauthorizedError), (400, MastodonAPIError)])
def test_log_in_failure_is_illegal_argument_with_cause(make_api, server, status, cause):
    server.route("POST", "/oauth/token", Response(status, {"error": "invalid_grant",
                                                            "error_description": "The provided grant is invalid"}))
    api = make_api(client_id="cid", client_secret="csecret")
    with pytest.raises(MastodonIllegalArgumentError) as info:
        api.log_in("u", "wrong")
    assert isinstance(info.value.__cause__, cause)
    assert "invalid_grant" in str(info.value)
    assert api.access_token == TOKEN


def test_log_in_answer_without_token_is_illegal_argument(make_api, server):
    server.route("POST", "/oauth/token", body={"scope": "read"})
    with pytest.raises(MastodonIllegalArgumentError):
        make_api(client_id="cid", client_secret="csecret").log_in(code="c")


@pytest.mark.parametrize("status, error", [(400, "unsupported_grant_type"), (400, "unauthorized_client"),
                                           (401, "unauthorized_client")])
def test_log_in_refused_password_grant_says_so_and_names_the_code_flow(make_api, server, status, error):
    # Mastodon 4.4 removed the password grant: Doorkeeper answers with an OAuth error, not a
    # complaint about the user name or password.
    server.route("POST", "/oauth/token", Response(status, {
        "error": error, "error_description": "The authorization grant type is not supported by the "
                                             "authorization server."}))
    api = make_api(client_id="cid", client_secret="csecret")
    with pytest.raises(MastodonIllegalArgumentError) as info:
        api.log_in("me@example.com", "hunter2")
    message = str(info.value)
    assert message.startswith(f"The server refused the password grant ({error}): ")
    assert "auth_request_url()" in message and "log_in(code=...)" in message
    assert "Invalid user name" not in message
    assert isinstance(info.value.__cause__, MastodonAPIError) and info.value.__cause__.error == error
    assert [r.path for r in server.requests] == ["/oauth/token"]
    assert api.access_token == TOKEN


def test_log_in_refused_code_grant_keeps_its_message(make_api, server):
    server.route("POST", "/oauth/token", Response(400, {"error": "unsupported_grant_type"}))
    with pytest.raises(MastodonIllegalArgumentError, match="^Invalid access token or redirect_uris: "):
        make_api(client_id="cid", client_secret="csecret").log_in(code="c")


def test_log_in_refused_connection_is_illegal_argument():
    api = Mastodon(api_base_url=f"http://127.0.0.1:{free_port()}", client_id="c", client_secret="s",
                   version_check_mode="none")
    with pytest.raises(MastodonIllegalArgumentError) as info:
        api.log_in(code="c")
    assert isinstance(info.value.__cause__, MastodonNetworkError)


@pytest.mark.parametrize("granted, requested", [
    ("read write follow push", ["read", "write", "follow", "push"]),
    ("read", ["read:statuses", "read:accounts"]),
    ("write follow", ["write:media", "read:follows", "write:blocks"]),
    ("admin:read", ["admin:read:accounts"]),
])
def test_log_in_accepts_granted_scope_sets(make_api, server, granted, requested):
    server.route("POST", "/oauth/token", body=dict(TOKEN_ANSWER, scope=granted))
    api = make_api(client_id="cid", client_secret="csecret")
    assert api.log_in(code="c", scopes=requested) == TOKEN_ANSWER["access_token"]
    assert ("scope", " ".join(requested)) in token_request(server).form


@pytest.mark.parametrize("granted, requested", [
    ("read", ["read", "write"]),
    ("read:statuses", ["read"]),
    ("", ["read"]),
])
def test_log_in_with_fewer_scopes_granted_is_api_error(make_api, server, granted, requested):
    server.route("POST", "/oauth/token", body=dict(TOKEN_ANSWER, scope=granted))
    with pytest.raises(MastodonAPIError) as info:
        make_api(client_id="cid", client_secret="csecret").log_in(code="c", scopes=requested)
    assert not isinstance(info.value, MastodonIllegalArgumentError)


def test_log_in_to_file_writes_four_lines_private(make_api, server, tmp_path):
    server.fixture("POST_oauth_token_200")
    path = tmp_path / "user.secret"
    make_api(client_id="cid", client_secret="csecret").log_in("u", "p", to_file=str(path))
    assert path.read_text() == f"{TOKEN_ANSWER['access_token']}\n{server.url}\ncid\ncsecret\n"
    assert read_mode(path) == 0o600
    assert os.listdir(tmp_path) == ["user.secret"]
    api = Mastodon(access_token=str(path), version_check_mode="none")
    assert (api.access_token, api.api_base_url, api.client_id, api.client_secret) == (
        TOKEN_ANSWER["access_token"], server.url, "cid", "csecret")


def test_log_in_resets_cached_own_id(make_api, server):
    server.fixture("POST_oauth_token_200")
    api = make_api(client_id="cid", client_secret="csecret")
    api._Mastodon__logged_in_id = 1234
    api.log_in(code="c")
    assert api._Mastodon__logged_in_id is None


def test_log_in_fetches_version_when_the_check_had_not_worked(server):
    server.fixture("POST_oauth_token_200")
    server.fixture("GET_api_v1_instance__200")
    api = Mastodon(api_base_url=server.url, client_id="cid", client_secret="csecret", version_check_mode="none")
    assert server.requests == []
    api.log_in(code="c")
    assert [(r.method, r.path) for r in server.requests] == [("POST", "/oauth/token"), ("GET", "/api/v1/instance/")]
    assert server.last.headers["authorization"] == "Bearer " + TOKEN_ANSWER["access_token"]
    assert api.version_check_worked is True
    assert (api.mastodon_major, api.mastodon_minor) == (4, 7)


def test_log_in_after_failed_version_check_retries_it(server):
    server.route("GET", "/api/v1/instance/", Response(503, "down"), Response(**{
        "status": 200, "body": {"version": "4.2.1"}}))
    server.fixture("POST_oauth_token_200")
    api = Mastodon(api_base_url=server.url, client_id="cid", client_secret="csecret")
    assert api.version_check_worked is False
    api.log_in(code="c")
    assert api.version_check_worked is True
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (4, 2, 1)


def test_log_in_does_not_refetch_a_known_version(make_api, server):
    server.fixture("GET_api_v1_instance__200")
    server.fixture("POST_oauth_token_200")
    api = make_api(client_id="cid", client_secret="csecret", mastodon_version=None)
    server.clear()
    api.log_in(code="c")
    assert [r.path for r in server.requests] == ["/oauth/token"]


# --- revoke_access_token --------------------------------------------------------------------------

def test_revoke_access_token(make_api, server):
    server.route("POST", "/oauth/revoke", body={})
    api = make_api(client_id="cid", client_secret="csecret")
    api._Mastodon__logged_in_id = 5
    assert api.revoke_access_token() is None
    assert_sent(server, "POST", "/oauth/revoke", form=[("client_id", "cid"), ("client_secret", "csecret"),
                                                       ("token", TOKEN)])
    assert api.access_token is None
    assert api._Mastodon__logged_in_id is None


@pytest.mark.parametrize("options", [
    dict(access_token=None, client_id="cid", client_secret="csecret"),
    dict(),
])
def test_revoke_without_token_or_client_is_refused(make_api, server, options):
    api = make_api(**options)
    with pytest.raises(MastodonIllegalArgumentError):
        api.revoke_access_token()
    assert server.requests == []


def test_revoke_failure_keeps_the_token(make_api, server):
    server.route("POST", "/oauth/revoke", Response(403, {"error": "unauthorized_client"}))
    api = make_api(client_id="cid", client_secret="csecret")
    with pytest.raises(MastodonAPIError):
        api.revoke_access_token()
    assert api.access_token == TOKEN


# --- app_verify_credentials -----------------------------------------------------------------------

def test_app_verify_credentials(api, server):
    server.fixture("GET_api_v1_apps_verify_credentials_200")
    app = api.app_verify_credentials()
    assert_sent(server, "GET", "/api/v1/apps/verify_credentials")
    assert isinstance(app, AttribAccessDict)
    assert app.id == 1234567890123456
    assert app.name == "Mastodon.py test suite"
    assert app.website is None
    assert app.scopes == ["read", "write", "follow", "push", "admin:read", "admin:write"]
    assert app.redirect_uri == OOB


def test_app_verify_credentials_version_gate(make_api, server):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="1.6.0").app_verify_credentials()
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="2.5.0", version_check_mode="changed").app_verify_credentials()
    assert server.requests == []


# --- persistable_login_credentials ----------------------------------------------------------------

def test_persistable_login_credentials(make_api, server):
    api = make_api(client_id="cid", client_secret="csecret")
    assert api.persistable_login_credentials() == f"{TOKEN}\n{server.url}\ncid\ncsecret\n"
    assert server.requests == []


def test_persistable_login_credentials_round_trip(make_api, server, tmp_path):
    path = tmp_path / "user.secret"
    path.write_text(make_api(client_id="cid", client_secret="csecret").persistable_login_credentials())
    api = Mastodon(access_token=str(path), version_check_mode="none")
    assert (api.access_token, api.api_base_url, api.client_id, api.client_secret) == (
        TOKEN, server.url, "cid", "csecret")


@pytest.mark.parametrize("options", [
    dict(access_token=None, client_id="cid", client_secret="csecret"),
    dict(),
    dict(client_id=None, client_secret="csecret"),
])
def test_persistable_login_credentials_needs_token_and_client(make_api, options):
    with pytest.raises(MastodonIllegalArgumentError):
        make_api(**options).persistable_login_credentials()


# --- oauth_authorization_server_info / oauth_userinfo ---------------------------------------------

def test_oauth_authorization_server_info(api, server):
    server.fixture("GET_.well-known_oauth-authorization-server_200")
    info = api.oauth_authorization_server_info()
    assert_sent(server, "GET", "/.well-known/oauth-authorization-server")
    expected = fixture_body("GET_.well-known_oauth-authorization-server_200")
    assert info == expected
    assert isinstance(info, AttribAccessDict)
    assert info.token_endpoint == "http://localhost:3000/oauth/token"
    assert "S256" in info.code_challenge_methods_supported


def test_oauth_authorization_server_info_is_not_rate_limited(api, server):
    server.fixture("GET_.well-known_oauth-authorization-server_200",
                   headers={"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "1"})
    api.oauth_authorization_server_info()
    assert (api.ratelimit_limit, api.ratelimit_remaining) == (300, 300)


@pytest.mark.parametrize("answer", [Response(404, "<html>Not found</html>", {"content-type": "text/html"}),
                                    Response(500, {"error": "boom"}), Response(200, ["a", "list"])])
def test_oauth_authorization_server_info_missing_is_empty(api, server, answer):
    server.route("GET", "/.well-known/oauth-authorization-server", answer)
    info = api.oauth_authorization_server_info()
    assert info == {}
    assert isinstance(info, AttribAccessDict)


def test_oauth_userinfo_default_url(api, server):
    server.route("GET", "/.well-known/oauth-authorization-server", Response(404, b""))
    server.route("GET", "/oauth/userinfo", body={"iss": server.url + "/", "sub": "1", "preferred_username": "me"})
    info = api.oauth_userinfo()
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/.well-known/oauth-authorization-server"), ("GET", "/oauth/userinfo")]
    assert server.last.headers["authorization"] == "Bearer " + TOKEN
    assert server.last.query == []
    assert info.preferred_username == "me"
    assert info.sub == "1"


def test_oauth_userinfo_uses_advertised_endpoint_and_caches_metadata(api, server):
    server.route("GET", "/.well-known/oauth-authorization-server",
                 body={"userinfo_endpoint": server.url + "/custom/userinfo"})
    server.route("GET", "/custom/userinfo", body={"sub": "7"})
    assert api.oauth_userinfo() == {"sub": "7"}
    assert api.oauth_userinfo() == {"sub": "7"}
    assert [r.path for r in server.requests] == [
        "/.well-known/oauth-authorization-server", "/custom/userinfo", "/custom/userinfo"]
    assert server.last.headers["authorization"] == "Bearer " + TOKEN
    api.clear_caches()
    api.oauth_userinfo()
    assert server.requests[-2].path == "/.well-known/oauth-authorization-server"


@pytest.mark.parametrize("endpoint", [
    "https://good.example@evil.example/oauth/userinfo",
    "https://evil.example/oauth/userinfo?redirect=x",
    "https://evil.example/oauth/userinfo?",
    "https://evil.example/oauth/userinfo#frag",
    "http://evil.example/oauth/userinfo",
])
def test_oauth_userinfo_refuses_malicious_endpoint(make_api, server, endpoint):
    server.route("GET", "/.well-known/oauth-authorization-server", body={"userinfo_endpoint": endpoint})
    api = Mastodon(api_base_url="https://mastodon.example", access_token=TOKEN, version_check_mode="none")
    api._Mastodon__oauth_info_cache = AttribAccessDict(userinfo_endpoint=endpoint)
    with pytest.raises(MastodonIllegalArgumentError):
        api.oauth_userinfo()


def test_oauth_userinfo_refuses_malicious_endpoint_before_sending(api, server):
    server.route("GET", "/.well-known/oauth-authorization-server",
                 body={"userinfo_endpoint": server.url.replace("http://", "http://x@") + "/oauth/userinfo"})
    with pytest.raises(MastodonIllegalArgumentError):
        api.oauth_userinfo()
    assert [r.path for r in server.requests] == ["/.well-known/oauth-authorization-server"]


def test_oauth_userinfo_never_sends_the_token_to_another_host(api, server):
    other_host = server.url.replace("127.0.0.1", "localhost")
    server.route("GET", "/.well-known/oauth-authorization-server",
                 body={"userinfo_endpoint": other_host + "/oauth/userinfo"})
    server.route("GET", "/oauth/userinfo", Response(401, {"error": "The access token is invalid"}))
    with pytest.raises(MastodonUnauthorizedError):
        api.oauth_userinfo()
    assert server.last.path == "/oauth/userinfo"
    assert server.last.headers["host"].startswith("localhost")
    assert "authorization" not in server.last.headers


def test_oauth_userinfo_version_gate(make_api, server):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="4.2.0").oauth_userinfo()
    assert server.requests == []


def test_auth_request_url_uses_cached_authorization_endpoint(make_api, server):
    server.route("GET", "/.well-known/oauth-authorization-server",
                 body={"authorization_endpoint": server.url + "/auth/authorize/"})
    api = make_api(client_id="cid", client_secret="csecret")
    api.oauth_authorization_server_info()
    assert api.auth_request_url(allow_http=True).startswith(server.url + "/auth/authorize?client_id=cid&")
    assert api.auth_request_url(skip_server_info=True).startswith(server.url + "/oauth/authorize?")
    with pytest.raises(MastodonIllegalArgumentError):
        api.auth_request_url()  # http endpoint without allow_http


# --- clear_caches ---------------------------------------------------------------------------------

def test_clear_caches_sends_nothing_and_forgets(api, server):
    api._Mastodon__logged_in_id = 3
    api._Mastodon__oauth_info_cache = AttribAccessDict(a=1)
    assert api.clear_caches() is None
    assert api._Mastodon__logged_in_id is None
    assert api._Mastodon__oauth_info_cache is None
    assert api._Mastodon__instance_v2_cache is None
    assert server.requests == []


def test_log_in_failed_version_fetch_keeps_a_given_version(make_api, server):
    server.fixture("POST_oauth_token_200")
    server.route("GET", "/api/v1/instance/", Response(502, "<html>Bad Gateway</html>"))
    api = make_api(client_id="cid", client_secret="csecret", mastodon_version="4.5.0")
    api.log_in(code="c")
    # the version is still asked for after log-in, as Mastodon.py 1.8.1 does ...
    assert [(r.method, r.path) for r in server.requests] == [("POST", "/oauth/token"), ("GET", "/api/v1/instance/")]
    # ... but a failed answer does not turn the given 4.5.0 into 1.0.0
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (4, 5, 0)
    assert api.verify_minimum_version("4.5.0", cached=True)
    assert api.version_check_worked is None  # gates stay armed with the given version


def test_log_in_successful_version_fetch_replaces_a_given_version(make_api, server):
    server.fixture("POST_oauth_token_200")
    server.route("GET", "/api/v1/instance/", body={"version": "4.3.2"})
    api = make_api(client_id="cid", client_secret="csecret", mastodon_version="4.5.0")
    api.log_in(code="c")
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch, api.version_check_worked) == (4, 3, 2, True)


def test_log_in_answer_without_scope_counts_as_granted_as_asked(make_api, server):
    answer = {k: v for k, v in TOKEN_ANSWER.items() if k != "scope"}
    server.route("POST", "/oauth/token", body=answer)
    api = make_api(client_id="cid", client_secret="csecret")
    assert api.log_in(code="c", scopes=["read", "write"]) == TOKEN_ANSWER["access_token"]
    server.route("POST", "/oauth/token", body=dict(answer, scope=None))
    assert api.log_in(code="c") == TOKEN_ANSWER["access_token"]
