"""Dialect "2" (issue 15): arguments bound as Mastodon.py 2.3.3 binds them (rows S2 to S6, S8) and
the requests on the wire that differ (W1 to W4, W11, W12), T1 and the 2.2.2 → 2.3.3 changes, each
next to dialect "1.8"'s side. Row ids are those of ``shared/spec/DIALECTS.md``; the 2.3.3 and 1.8.1
parameter lists come from ``tests/spec_binding_233.json`` (a copy of the spec's api.json)."""

import builtins
import inspect
import json
import os

import pytest

from helpers import assert_sent, fixture_body
from server import Response

from mastodon import (
    Mastodon, MastodonFileNotFoundError, MastodonIllegalArgumentError, MastodonIOError,
)
from mastodon import _binding, _dialect, _media_files
from mastodon.return_types import Account, Poll

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "spec_binding_233.json"), encoding="utf-8") as _spec:
    SIGNATURES = json.load(_spec)["methods"]

ME = {"id": "9", "acct": "me", "username": "me"}
TARGET = {"id": "5", "visibility": "unlisted", "spoiler_text": "",
          "account": {"id": "7", "acct": "ann"}, "mentions": [{"id": "8", "acct": "bob"}]}
POLL_OPTIONS = {"options": ["a", "b"], "expires_in": 300, "multiple": False, "hide_totals": False}


@pytest.fixture
def api2(make_api):
    return make_api(dialect="2")


def names(spec):
    return [name.rstrip("!") for name in spec]


def reply_sent(server, api, *args, **kwargs):
    """Call status_reply and return the status request (after the one-time own-id lookup)."""
    server.route("GET", "/api/v1/accounts/verify_credentials", Response(200, ME))
    server.fixture("POST_api_v1_statuses_200")
    api.status_reply(*args, **kwargs)
    assert [r.path for r in server.requests] == ["/api/v1/accounts/verify_credentials", "/api/v1/statuses"]
    del server.requests[0]
    return server.requests[0]


# ---------------------------------------------------------------------------------------------
# The binding mechanism


REBOUND = sorted(_binding.SIGNATURES_2X)


def test_the_rebound_methods_are_those_whose_2_3_3_binding_differs():
    """A method whose 2.3.3 parameters are not 1.8.1's (same order, same required ones) followed
    by appended ones is in the binding table, with 2.3.3's list; the others are not."""
    differing = set()
    for name, spec in SIGNATURES.items():
        old = [p for p in spec["1.8.1"] if p.rstrip("!") in names(spec["2.3.3"])]
        if name != "__init__" and spec["2.3.3"][:len(old)] != old:
            differing.add(name)
    assert differing == set(REBOUND)
    for name in REBOUND:
        assert _binding.SIGNATURES_2X[name] == tuple(SIGNATURES[name]["2.3.3"]), name


@pytest.mark.parametrize("name", REBOUND)
def test_rebound_methods_keep_their_1_8_1_signature(name):
    """``inspect.signature`` shows 1.8.1's parameters first, in order, with their defaults (S1-S6
    cannot change what a signature shows: it is the class's, not a client's)."""
    parameters = list(inspect.signature(getattr(Mastodon, name)).parameters.values())[1:]
    shown = [p.name + ("!" if p.default is inspect.Parameter.empty else "") for p in parameters]
    assert shown[:len(SIGNATURES[name]["1.8.1"])] == SIGNATURES[name]["1.8.1"]


@pytest.mark.parametrize("name", REBOUND)
def test_rebound_methods_keep_their_version_gate_and_documentation(name):
    method = getattr(Mastodon, name)
    assert method._mastodon_api_version
    assert "Added: Mastodon v" in method.__doc__


def test_s8_every_2_3_3_parameter_exists_and_1_8_1_order_comes_first():
    """S8: the library's signatures are a superset: 1.8.1's parameters first, in 1.8.1's order,
    and every parameter 2.3.3 has (appended ones after them)."""
    for name, spec in SIGNATURES.items():
        method = getattr(Mastodon, name, None)
        if method is None:
            continue  # a listener's or a module's
        own = [p for p in inspect.signature(method).parameters if p != "self"]  # create_app is static
        assert own[:len(spec["1.8.1"])] == names(spec["1.8.1"]), name
        assert set(names(spec["2.3.3"])) <= set(own), name


def test_dialect_1_8_passes_the_arguments_through_untouched():
    """No rebinding in dialect "1.8": its row holds the pass-through, which returns its inputs."""
    assert _dialect.DIALECTS["1.8"].bind_arguments is _binding.as_given
    args, kwargs = (1, 2), {"x": 3}
    assert _binding.as_given(Mastodon.status_reply, args, kwargs) == (args, kwargs)
    assert _dialect.DIALECTS["2"].bind_arguments is _binding.as_2x


def test_dialect_2_binding_refuses_what_2_3_3_refuses(server, api2):
    with pytest.raises(TypeError, match="too many positional arguments"):
        api2.trending_tags(1, 2, "en", 4)
    with pytest.raises(TypeError, match="multiple values for argument 'limit'"):
        api2.trending_tags(1, limit=2)
    with pytest.raises(TypeError, match="unexpected keyword argument 'count'"):
        api2.trending_tags(count=2)
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# S2: status_reply


def test_s2_dialect_2_third_positional_is_media_ids(server, api2):
    sent = reply_sent(server, api2, TARGET, "hello", [123])
    assert sent.form == [("status", "@ann @bob hello"), ("in_reply_to_id", "5"), ("sensitive", "0"),
                         ("visibility", "unlisted"), ("spoiler_text", ""), ("media_ids[]", "123")]


def test_s2_dialect_1_8_third_positional_is_the_ignored_in_reply_to_id(server, api):
    sent = reply_sent(server, api, TARGET, "hello", 123)
    assert sent.form == [("status", "@ann @bob hello"), ("in_reply_to_id", "5"), ("visibility", "unlisted"),
                         ("spoiler_text", "")]


def test_s2_dialect_2_quote_id_comes_before_untag(server, make_api):
    api = make_api(dialect="2", feature_set="fedibird")
    # to_status, status, media_ids, sensitive, visibility, spoiler_text, language, idempotency_key,
    # content_type, scheduled_at, poll, quote_id, untag
    sent = reply_sent(server, api, TARGET, "q", None, True, "private", None, None, None, None, None, None, 44, True)
    assert sent.form == [("status", "@ann q"), ("in_reply_to_id", "5"), ("sensitive", "1"),
                         ("visibility", "private"), ("spoiler_text", ""), ("quote_id", "44")]


def test_s2_dialect_2_still_takes_in_reply_to_id_by_keyword_and_ignores_it(server, api2):
    sent = reply_sent(server, api2, TARGET, "k", in_reply_to_id=999, untag=True)
    assert ("in_reply_to_id", "5") in sent.form and ("status", "@ann k") in sent.form


# ---------------------------------------------------------------------------------------------
# S3: trending_tags / trending_statuses / trending_links

TRENDS = [("trending_tags", "/api/v1/trends/tags"), ("trending_statuses", "/api/v1/trends/statuses"),
          ("trending_links", "/api/v1/trends/links")]


@pytest.mark.parametrize("name, path", TRENDS)
def test_s3_dialect_2_second_positional_is_offset(server, api2, name, path):
    server.route("GET", path, Response(200, []))
    getattr(api2, name)(10, 20)
    assert_sent(server, "GET", path, query=[("limit", "10"), ("offset", "20")])
    server.clear()
    getattr(api2, name)(10, 20, "de")
    assert_sent(server, "GET", path, query=[("limit", "10"), ("offset", "20"), ("lang", "de")])


@pytest.mark.parametrize("name, path", TRENDS)
def test_s3_dialect_2_a_1_8_style_language_is_a_bad_offset_and_nothing_is_sent(server, api2, name, path):
    with pytest.raises(MastodonIllegalArgumentError, match="offset must be an int"):
        getattr(api2, name)(10, "en")
    assert server.requests == []


@pytest.mark.parametrize("name, path", TRENDS)
def test_s3_dialect_1_8_second_positional_is_lang(server, api, name, path):
    server.route("GET", path, Response(200, []))
    getattr(api, name)(10, "en")
    assert_sent(server, "GET", path, query=[("limit", "10"), ("lang", "en")])


# ---------------------------------------------------------------------------------------------
# S4, S5, S6: parameters 2.x requires


@pytest.mark.parametrize("name, argument", [("domain_block", "domain"), ("domain_unblock", "domain"),
                                            ("admin_delete_domain_block", "id")])
def test_s4_s5_dialect_2_leaving_out_the_required_argument_is_a_type_error(server, api2, name, argument):
    with pytest.raises(TypeError, match=f"missing a required argument: '{argument}'") as info:
        getattr(api2, name)()
    assert not isinstance(info.value, MastodonIllegalArgumentError)
    assert server.requests == []


@pytest.mark.parametrize("name", ["domain_block", "domain_unblock", "admin_delete_domain_block"])
def test_s4_s5_dialect_1_8_leaving_it_out_is_refused_before_sending(server, api, name):
    with pytest.raises(MastodonIllegalArgumentError):
        getattr(api, name)()
    assert server.requests == []


@pytest.mark.parametrize("name, verb", [("domain_block", "POST"), ("domain_unblock", "DELETE")])
def test_s4_dialect_2_with_the_domain_sends_as_1_8(server, api2, name, verb):
    server.fixture(f"{verb}_api_v1_domain_blocks_200")
    assert getattr(api2, name)(domain="example.org") is None
    assert_sent(server, verb, "/api/v1/domain_blocks", form=[("domain", "example.org")])


def test_s6_dialect_2_status_update_requires_the_status(server, api2):
    with pytest.raises(TypeError, match="missing a required argument: 'status'"):
        api2.status_update(1)
    assert server.requests == []
    server.route("PUT", "/api/v1/statuses/1", Response(200, fixture_body("POST_api_v1_statuses_200")))
    api2.status_update(1, "new", None, None, [3])
    assert_sent(server, "PUT", "/api/v1/statuses/1", form=[("status", "new"), ("media_ids[]", "3")])


def test_s6_dialect_1_8_status_update_without_status_sends_an_empty_edit(server, api):
    server.route("PUT", "/api/v1/statuses/1", Response(200, fixture_body("POST_api_v1_statuses_200")))
    api.status_update(1)
    assert_sent(server, "PUT", "/api/v1/statuses/1", form=[])


# ---------------------------------------------------------------------------------------------
# W1: sensitive always sent


@pytest.mark.parametrize("call", [lambda a: a.status_post("hi"), lambda a: a.toot("hi"),
                                  lambda a: a.status_post("hi", sensitive=False)])
def test_w1_dialect_2_sends_sensitive_0(server, api2, call):
    server.fixture("POST_api_v1_statuses_200")
    call(api2)
    assert_sent(server, "POST", "/api/v1/statuses", form=[("status", "hi"), ("sensitive", "0")])


def test_w1_dialect_2_json_body_with_a_poll_carries_sensitive_as_the_string_0(server, api2):
    server.fixture("POST_api_v1_statuses_200")
    api2.status_post("hi", poll=api2.make_poll(["a", "b"], 300))
    assert_sent(server, "POST", "/api/v1/statuses", json={"status": "hi", "sensitive": "0", "poll": POLL_OPTIONS})


@pytest.mark.parametrize("call", [lambda a: a.status_post("hi"), lambda a: a.toot("hi"),
                                  lambda a: a.status_post("hi", sensitive=False)])
def test_w1_dialect_1_8_leaves_a_false_sensitive_out(server, api, call):
    server.fixture("POST_api_v1_statuses_200")
    call(api)
    assert_sent(server, "POST", "/api/v1/statuses", form=[("status", "hi")])


def test_w1_both_dialects_send_sensitive_1_when_true(server, dialect_api):
    server.fixture("POST_api_v1_statuses_200")
    dialect_api.status_post("hi", sensitive=True)
    assert_sent(server, "POST", "/api/v1/statuses", form=[("status", "hi"), ("sensitive", "1")])


# ---------------------------------------------------------------------------------------------
# W2: a poll together with media


def test_w2_dialect_2_sends_poll_and_media_in_one_json_body(server, api2):
    server.fixture("POST_api_v1_statuses_200")
    api2.status_post("hi", media_ids=[1, {"id": "2"}], poll=api2.make_poll(["a", "b"], 300))
    assert_sent(server, "POST", "/api/v1/statuses", json={
        "status": "hi", "sensitive": "0", "poll": POLL_OPTIONS, "media_ids": [1, "2"]})


def test_w2_dialect_1_8_refuses_poll_and_media_before_sending(server, api):
    with pytest.raises(MastodonIllegalArgumentError, match="Status can have media or poll attached - not both."):
        api.status_post("hi", media_ids=[1], poll=api.make_poll(["a", "b"], 300))
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# W3: list options


def test_w3_dialect_2_list_create_and_update_send_the_2_3_3_defaults(server, api2):
    server.fixture("POST_api_v1_lists_200")
    api2.list_create("ham")
    assert_sent(server, "POST", "/api/v1/lists",
                form=[("title", "ham"), ("replies_policy", "list"), ("exclusive", "0")])
    server.clear()
    server.fixture("PUT_api_v1_lists_id_200", path="/api/v1/lists/2")
    api2.list_update(2, "spam")
    assert_sent(server, "PUT", "/api/v1/lists/2",
                form=[("title", "spam"), ("replies_policy", "list"), ("exclusive", "0")])


def test_w3_dialect_2_explicit_options_are_sent_as_given(server, api2):
    server.fixture("POST_api_v1_lists_200")
    api2.list_create("ham", "followed", True)
    assert_sent(server, "POST", "/api/v1/lists",
                form=[("title", "ham"), ("replies_policy", "followed"), ("exclusive", "1")])


def test_w3_dialect_1_8_sends_the_title_only(server, api):
    server.fixture("PUT_api_v1_lists_id_200", path="/api/v1/lists/2")
    api.list_update(2, "spam")
    assert_sent(server, "PUT", "/api/v1/lists/2", form=[("title", "spam")])


# ---------------------------------------------------------------------------------------------
# W4: push_subscription_update policy


def test_w4_dialect_2_push_subscription_update_sends_policy_all(server, api2):
    server.fixture("PUT_api_v1_push_subscription_200")
    api2.push_subscription_update()
    assert_sent(server, "PUT", "/api/v1/push/subscription", form=[("policy", "all")])


def test_w4_dialect_2_another_policy_goes_in_both_places(server, api2):
    server.fixture("PUT_api_v1_push_subscription_200")
    api2.push_subscription_update(follow_events=True, policy="followed")
    assert_sent(server, "PUT", "/api/v1/push/subscription", form=[
        ("policy", "followed"), ("data[alerts][follow]", "1"), ("data[policy]", "followed")])


def test_w4_dialect_1_8_push_subscription_update_sends_nothing_by_default(server, api):
    server.fixture("PUT_api_v1_push_subscription_200")
    api.push_subscription_update()
    assert_sent(server, "PUT", "/api/v1/push/subscription", form=[])


# ---------------------------------------------------------------------------------------------
# W11: admin_create_domain_block with a protocol


def test_w11_dialect_2_refuses_a_domain_with_a_protocol(server, api2):
    with pytest.raises(MastodonIllegalArgumentError, match="^Domain should not contain a protocol identifier.$"):
        api2.admin_create_domain_block("https://example.org")
    assert server.requests == []


def test_w11_dialect_1_8_sends_the_domain_as_given(server, api):
    server.fixture("POST_api_v1_admin_domain_blocks__200", path="/api/v1/admin/domain_blocks/")
    api.admin_create_domain_block("https://example.org")
    assert_sent(server, "POST", "/api/v1/admin/domain_blocks/", form=[("domain", "https://example.org")])


# ---------------------------------------------------------------------------------------------
# W12: media_post with a path that names no file (or cannot be read)

MISSING = "/nonexistent/file.png"


@pytest.mark.parametrize("mime_type", [None, "image/png"])
def test_w12_dialect_2_a_missing_path_is_file_not_found(server, api2, mime_type):
    with pytest.raises(MastodonFileNotFoundError, match=MISSING):
        api2.media_post(MISSING, mime_type)
    assert server.requests == []


def test_w12_dialect_1_8_a_string_naming_no_file_with_a_mime_type_is_the_data(server, api):
    server.fixture("POST_api_v2_media_200")
    api.media_post(MISSING, "image/png", file_name="f.png")
    sent = server.last
    assert (sent.method, sent.path) == ("POST", "/api/v2/media")
    assert (sent.part("file").filename, sent.part("file").data) == ("f.png", MISSING.encode())


def test_w12_dialect_1_8_a_missing_path_without_mime_type_is_refused(server, api):
    with pytest.raises(MastodonIllegalArgumentError):
        api.media_post(MISSING)
    assert server.requests == []


@pytest.fixture
def unreadable(tmp_path, monkeypatch):
    """A file that exists but whose reading fails (as root, permissions would not stop it)."""
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")

    def failing_open(name, *args, **kwargs):
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return builtins.open(name, *args, **kwargs)
    monkeypatch.setattr(_media_files, "open", failing_open, raising=False)
    return str(path)


def test_w12_dialect_2_another_os_error_is_an_io_error(server, api2, unreadable):
    with pytest.raises(MastodonIOError, match="image.png") as info:
        api2.media_post(unreadable, "image/png")
    assert not isinstance(info.value, MastodonIllegalArgumentError)
    assert server.requests == []


def test_w12_dialect_1_8_another_os_error_is_an_illegal_argument(server, api, unreadable):
    with pytest.raises(MastodonIllegalArgumentError, match="image.png"):
        api.media_post(unreadable, "image/png")
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# T1 and the 2.2.2 → 2.3.3 changes (dialect "2" follows 2.3.3)


def test_t1_poll_vote_returns_the_poll_in_both_dialects(server, dialect_api):
    server.fixture("POST_api_v1_polls_id_votes_200", path="/api/v1/polls/3/votes")
    poll = dialect_api.poll_vote(3, [0, 1])
    assert_sent(server, "POST", "/api/v1/polls/3/votes", form=[("choices[]", "0"), ("choices[]", "1")])
    assert isinstance(poll, Poll) and poll.voted is True


@pytest.mark.parametrize("name, path", [("account_delete_avatar", "/api/v1/profile/avatar"),
                                        ("account_delete_header", "/api/v1/profile/header")])
def test_233_account_delete_avatar_and_header_return_the_account(server, dialect_api, name, path):
    server.fixture(f"DELETE_api_v1_profile_{path.rsplit('/', 1)[1]}_200", path=path)
    account = getattr(dialect_api, name)()
    assert_sent(server, "DELETE", path)
    assert isinstance(account, Account) and account.acct


def test_233_dialect_2_search_v2_refuses_an_unknown_result_type(server, api2):
    with pytest.raises(MastodonIllegalArgumentError, match="result_type"):
        api2.search_v2("cats", result_type="toots")
    assert server.requests == []
    server.fixture("GET_api_v2_search_200")
    api2.search_v2("cats", result_type="statuses")
    assert_sent(server, "GET", "/api/v2/search", query=[
        ("q", "cats"), ("resolve", "1"), ("exclude_unreviewed", "1"), ("type", "statuses")])


def test_233_dialect_1_8_search_v2_sends_any_result_type(server, api):
    server.fixture("GET_api_v2_search_200")
    api.search_v2("cats", result_type="toots")
    assert_sent(server, "GET", "/api/v2/search", query=[
        ("q", "cats"), ("resolve", "1"), ("exclude_unreviewed", "1"), ("type", "toots")])


def test_233_notifications_with_an_id_sends_supported_types(server, dialect_api):
    server.route("GET", "/api/v1/notifications/3", Response(200, {"id": "3", "type": "mention"}))
    dialect_api.notifications(id=3, supported_types=["mention", "follow"])
    assert_sent(server, "GET", "/api/v1/notifications/3",
                query=[("supported_types[]", "mention"), ("supported_types[]", "follow")])
