"""mastodon.testing: apps, the OAuth flows, tokens and scopes, the instance, error bodies, rate limits.

Every test drives the library (``from mastodon import Mastodon``) against a FakeMastodon (the
``mastodon_server`` fixture of the pytest plugin) and checks the answers against values written
here.
"""

import base64
import hashlib
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonIllegalArgumentError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonUnauthorizedError,
)
from mastodon.testing import FakeMastodon, start

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
RESET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def test_start_and_context_manager_serve_on_loopback():
    server = start()
    try:
        assert server.url.startswith("http://127.0.0.1:") and server.port > 0
        assert requests.get(server.url + "/health", timeout=5).text == "OK"
    finally:
        server.stop()
    with FakeMastodon() as other:
        assert other.url != "" and requests.get(other.url + "/api/v1/instance", timeout=5).status_code == 200


def test_create_app_and_code_flow_with_pkce_through_the_browser_pages(mastodon_server, tmp_path):
    mastodon_server.create_account("alice", password="correct horse")
    client_file = tmp_path / "client.secret"
    client_id, client_secret = Mastodon.create_app("my bot", api_base_url=mastodon_server.url,
                                                   to_file=str(client_file))
    assert len(client_id) >= 32 and len(client_secret) >= 32
    api = Mastodon(client_id=str(client_file))
    url = api.auth_request_url(use_pkce=True, allow_http=True)
    assert url.startswith(mastodon_server.url + "/oauth/authorize?")

    # The user's browser: sign in, approve, read the code off the out-of-band page.
    browser = requests.Session()
    page = browser.get(url, timeout=5)
    assert page.url.startswith(mastodon_server.url + "/auth/sign_in")
    return_to = re.search(r'name="return_to" value="([^"]*)"', page.text).group(1).replace("&amp;", "&")
    consent = browser.post(mastodon_server.url + "/auth/sign_in",
                           data=dict(username="alice", password="correct horse", return_to=return_to), timeout=5)
    assert "my bot would like to access your account @alice (read write follow push)" in consent.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', consent.text))
    native = browser.post(mastodon_server.url + "/oauth/authorize", data=fields, timeout=5)
    assert urlsplit(native.url).path == "/oauth/authorize/native"
    code = re.search(r'class="oauth-code" readonly type="text" value="([^"]+)"', native.text).group(1)

    token = api.log_in(code=code)
    assert token != code and len(token) >= 32
    me = api.account_verify_credentials()
    assert (me.username, me.acct, me.source.privacy) == ("alice", "alice", "public")
    assert api.app_verify_credentials().name == "my bot"


def test_wrong_password_keeps_the_sign_in_page(mastodon_server):
    mastodon_server.create_account("alice", password="right")
    answer = requests.post(mastodon_server.url + "/auth/sign_in", data=dict(username="alice", password="wrong"),
                           allow_redirects=False, timeout=5)
    assert answer.status_code == 401 and "Invalid username or password." in answer.text


def test_code_flow_with_a_redirect_uri_keeps_state(mastodon_server):
    mastodon_server.sign_in("carol")
    client_id, client_secret = Mastodon.create_app("web", api_base_url=mastodon_server.url,
                                                   redirect_uris="https://app.example/cb")
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=mastodon_server.url)
    url = api.auth_request_url(redirect_uris="https://app.example/cb", state="xyz", scopes=["read"])
    page = requests.get(url, timeout=5)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    answer = requests.post(mastodon_server.url + "/oauth/authorize", data=fields, allow_redirects=False, timeout=5)
    location = urlsplit(answer.headers["Location"])
    assert (answer.status_code, location.netloc, location.path) == (302, "app.example", "/cb")
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    api.log_in(code=query["code"][0], redirect_uri="https://app.example/cb", scopes=["read"])
    assert api.me().username == "carol"


def test_pkce_verifier_must_match_the_challenge(mastodon_server):
    client_id, client_secret = Mastodon.create_app("app", api_base_url=mastodon_server.url)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=mastodon_server.url)
    code = mastodon_server.authorize(api.auth_request_url(use_pkce=True), "alice")
    with pytest.raises(MastodonIllegalArgumentError, match="invalid_grant"):
        api.log_in(code=code, code_verifier="not-the-verifier")
    # A code is used once, even when the exchange failed.
    with pytest.raises(MastodonIllegalArgumentError, match="invalid_grant"):
        api.log_in(code=code)

    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    url = api.auth_request_url() + f"&code_challenge={challenge}&code_challenge_method=S256"
    api.log_in(code=mastodon_server.authorize(url, "alice"), code_verifier=verifier)
    assert api.account_verify_credentials().username == "alice"


def test_password_grant_is_refused_as_mastodon_4_4_refuses_it(mastodon_server):
    mastodon_server.create_account("alice", password="secret")
    client_id, client_secret = Mastodon.create_app("app", api_base_url=mastodon_server.url)
    answer = requests.post(mastodon_server.url + "/oauth/token", timeout=5, data=dict(
        grant_type="password", username="alice", password="secret", client_id=client_id,
        client_secret=client_secret))
    assert answer.status_code == 400
    assert answer.json() == {"error": "unsupported_grant_type", "error_description":
                             "The authorization grant type is not supported by the authorization server."}
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=mastodon_server.url)
    with pytest.raises(MastodonIllegalArgumentError, match=r"refused the password grant \(unsupported_grant_type\)"):
        api.log_in("alice", "secret")


def test_client_credentials_token_is_an_app_token(mastodon_server):
    client_id, client_secret = Mastodon.create_app("app", api_base_url=mastodon_server.url, scopes=["read", "write"])
    answer = requests.post(mastodon_server.url + "/oauth/token", timeout=5, data=dict(
        grant_type="client_credentials", client_id=client_id, client_secret=client_secret, scope="read"))
    body = answer.json()
    assert (answer.status_code, body["token_type"], body["scope"]) == (200, "Bearer", "read")
    api = Mastodon(access_token=body["access_token"], api_base_url=mastodon_server.url)
    app = api.app_verify_credentials()
    assert (app.name, app.scopes, app.redirect_uris) == ("app", ["read", "write"], ["urn:ietf:wg:oauth:2.0:oob"])
    with pytest.raises(MastodonAPIError) as error:
        api.timeline_home()
    assert (error.value.status_code, error.value.error) == (422, "This method requires an authenticated user")
    assert api.timeline_public() == []


def test_wrong_client_secret_is_invalid_client(mastodon_server):
    client_id, _ = Mastodon.create_app("app", api_base_url=mastodon_server.url)
    answer = requests.post(mastodon_server.url + "/oauth/token", timeout=5, data=dict(
        grant_type="client_credentials", client_id=client_id, client_secret="nope"))
    assert (answer.status_code, answer.json()["error"]) == (401, "invalid_client")


def test_revoked_and_unknown_tokens_are_invalid(mastodon_server):
    client_id, client_secret = Mastodon.create_app("app", api_base_url=mastodon_server.url)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=mastodon_server.url)
    api.log_in(code=mastodon_server.authorize(api.auth_request_url(), "alice"))
    token = api.access_token
    api.revoke_access_token(allow_http=True)
    stale = Mastodon(access_token=token, api_base_url=mastodon_server.url)
    with pytest.raises(MastodonUnauthorizedError) as error:
        stale.account_verify_credentials()
    assert error.value.error == "The access token is invalid"


def test_token_without_the_scope_gets_403(mastodon_server):
    client_id, client_secret = Mastodon.create_app("reader", api_base_url=mastodon_server.url, scopes=["read"])
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=mastodon_server.url)
    api.log_in(code=mastodon_server.authorize(api.auth_request_url(scopes=["read"]), "alice"), scopes=["read"])
    assert api.timeline_home() == []
    with pytest.raises(MastodonAPIError) as error:
        api.status_post("hello")
    assert (error.value.status_code, error.value.error) == (403, "This action is outside the authorized scopes")


def test_oauth_metadata_and_userinfo(mastodon_server):
    api = mastodon_server.client("alice", mastodon_version="4.5.0")
    info = api.oauth_authorization_server_info()
    assert info.authorization_endpoint == mastodon_server.url + "/oauth/authorize"
    assert info.grant_types_supported == ["authorization_code", "client_credentials"]
    assert info.code_challenge_methods_supported == ["S256"]
    assert "read:statuses" in info.scopes_supported
    api.oauth_authorization_server_info()
    client_id, client_secret = Mastodon.create_app("app", api_base_url=mastodon_server.url,
                                                   scopes=["profile"])
    profile = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=mastodon_server.url)
    profile.log_in(code=mastodon_server.authorize(profile.auth_request_url(scopes=["profile"]), "alice"),
                   scopes=["profile"])
    user = profile.oauth_userinfo()
    assert (user.preferred_username, user.sub) == ("alice", mastodon_server.url + "/@alice")
    assert profile.account_verify_credentials().username == "alice"


def test_instance_answers_with_the_server_version_and_streaming_url(mastodon_server):
    api = mastodon_server.client("alice")
    assert (api.mastodon_major, api.mastodon_minor) == (4, 5)
    instance = api.instance_v1()
    assert instance.urls.streaming_api == mastodon_server.streaming_url
    assert (instance.version, instance.configuration.statuses.max_characters) == ("4.5.0", 500)
    assert instance.stats.user_count == 1
    v2 = api.instance_v2()
    assert (v2.domain, v2.configuration.urls.streaming) == (mastodon_server.url[7:], mastodon_server.streaming_url)
    assert v2.contact.account.username == "alice"
    assert api.instance_health() is True
    assert api.stream_healthy() is True
    assert api.instance_peers() == [] and api.instance_rules() == [] and api.custom_emojis() == []
    assert api.get_approx_server_time().year >= 2024


def test_unknown_endpoint_answers_record_not_found(mastodon_server):
    api = mastodon_server.client("alice")
    answer = requests.get(mastodon_server.url + "/api/v1/announcements", timeout=5,
                          headers={"Authorization": "Bearer " + mastodon_server.token("alice")})
    assert (answer.status_code, answer.json()) == (404, {"error": "Record not found"})
    assert answer.headers["X-RateLimit-Limit"] == "300"
    with pytest.raises(MastodonNotFoundError):
        api.announcements()


def test_every_api_answer_carries_rate_limit_headers_counting_down(mastodon_server):
    headers = {"Authorization": "Bearer " + mastodon_server.create_account("alice")}
    first = requests.get(mastodon_server.url + "/api/v1/timelines/home", headers=headers, timeout=5)
    second = requests.get(mastodon_server.url + "/api/v1/accounts/verify_credentials", headers=headers, timeout=5)
    assert (first.headers["X-RateLimit-Limit"], first.headers["X-RateLimit-Remaining"]) == ("300", "299")
    assert second.headers["X-RateLimit-Remaining"] == "298"
    assert RESET.match(first.headers["X-RateLimit-Reset"])
    posted = requests.post(mastodon_server.url + "/api/v1/statuses", data=dict(status="hi"), headers=headers,
                           timeout=5)
    assert (posted.headers["X-RateLimit-Limit"], posted.headers["X-RateLimit-Remaining"]) == ("300", "297")
    assert ISO_MS.match(posted.json()["created_at"])


def test_apps_are_limited_to_five_per_window_per_address(mastodon_server):
    for number in range(5):
        Mastodon.create_app(f"app {number}", api_base_url=mastodon_server.url)
    answer = requests.post(mastodon_server.url + "/api/v1/apps", data=dict(client_name="sixth"), timeout=5)
    assert (answer.status_code, answer.json()) == (429, {"error": "Too many requests"})
    assert (answer.headers["X-RateLimit-Limit"], answer.headers["X-RateLimit-Remaining"]) == ("5", "0")


@pytest.mark.parametrize("mastodon_server_options", [{"rate_limits": False}])
def test_rate_limits_can_be_turned_off(mastodon_server):
    for number in range(6):
        Mastodon.create_app(f"app {number}", api_base_url=mastodon_server.url)
    api = mastodon_server.client("alice")
    api.timeline_home()
    assert api.ratelimit_remaining == 300


@pytest.mark.parametrize("mastodon_server_options", [{"rate_limit_window": 1}])
def test_injected_429_is_thrown_or_waited_out_until_the_window_resets(mastodon_server):
    api = mastodon_server.client("alice", ratelimit_method="throw")
    mastodon_server.faults.rate_limit(1)
    with pytest.raises(MastodonRatelimitError):
        api.timeline_home()
    waiting = mastodon_server.client("alice", ratelimit_method="wait")
    mastodon_server.faults.rate_limit(1)
    started = time.monotonic()
    assert waiting.timeline_home() == []
    assert time.monotonic() - started < 1.5
    assert [r.status for r in mastodon_server.requests][-2:] == [429, 200]


def test_a_bug_of_the_fake_server_answers_500_and_says_so(mastodon_server, monkeypatch, capsys):
    from mastodon.errors import MastodonInternalServerError
    from mastodon.testing import endpoints

    route, _ = endpoints.match("GET", "/api/v1/timelines/home")
    monkeypatch.setattr(route, "handler", lambda state, request: 1 / 0)
    with pytest.raises(MastodonInternalServerError) as error:
        mastodon_server.client("alice", mastodon_version="4.5.0").timeline_home()
    assert error.value.error == "mastodon.testing failed: ZeroDivisionError('division by zero')"
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_requests_log_names_the_account(mastodon_server):
    api = mastodon_server.client("alice", mastodon_version="4.5.0")
    api.toot("hi")
    last = mastodon_server.requests[-1]
    assert (last.method, last.path, last.status, last.account) == ("POST", "/api/v1/statuses", 200, "alice")
