"""Statuses: the exact request of every method, the parsed result, validation and retries."""

import datetime
import re
import threading

import pytest

from helpers import assert_sent, fixture_body
from server import DROP, Response

import mastodon.statuses
from mastodon import (
    MastodonAPIError, MastodonIllegalArgumentError, MastodonNetworkError, MastodonNotFoundError,
    MastodonVersionError,
)
from mastodon.types_base import AttribAccessDict

STATUS = fixture_body("GET_api_v1_statuses_id_200")
STATUS_ID = int(STATUS["id"])


@pytest.fixture(autouse=True)
def no_retry_sleep(monkeypatch):
    waits = []
    monkeypatch.setattr(mastodon.statuses, "_sleep", waits.append)
    return waits


def status_dict(**changes):
    body = dict(STATUS)
    body.update(changes)
    return body


# ---------------------------------------------------------------------------------------------
# Simple methods: one request each, exact wire form, parsed fixture result.

SIMPLE = [
    # (call, method, path, query, form, fixture)
    (lambda a: a.status(5), "GET", "/api/v1/statuses/5", [], None, "GET_api_v1_statuses_id_200"),
    (lambda a: a.status({"id": 5}), "GET", "/api/v1/statuses/5", [], None, "GET_api_v1_statuses_id_200"),
    (lambda a: a.status_context(5), "GET", "/api/v1/statuses/5/context", [], None,
     "GET_api_v1_statuses_id_context_200"),
    (lambda a: a.status_reblogged_by(5), "GET", "/api/v1/statuses/5/reblogged_by", [], None,
     "GET_api_v1_statuses_id_reblogged_by_200"),
    (lambda a: a.status_favourited_by(5), "GET", "/api/v1/statuses/5/favourited_by", [], None,
     "GET_api_v1_statuses_id_favourited_by_200"),
    (lambda a: a.status_history(5), "GET", "/api/v1/statuses/5/history", [], None,
     "GET_api_v1_statuses_id_history_200"),
    (lambda a: a.status_source(5), "GET", "/api/v1/statuses/5/source", [], None,
     "GET_api_v1_statuses_id_source_200"),
    (lambda a: a.status_quotes(5, max_id=9, limit=2), "GET", "/api/v1/statuses/5/quotes",
     [("max_id", "9"), ("limit", "2")], None, "GET_api_v1_statuses_id_quotes_200"),
    (lambda a: a.status_unreblog(5), "POST", "/api/v1/statuses/5/unreblog", [], None,
     "POST_api_v1_statuses_id_unreblog_200"),
    (lambda a: a.status_favourite(5), "POST", "/api/v1/statuses/5/favourite", [], None,
     "POST_api_v1_statuses_id_favourite_200"),
    (lambda a: a.status_unfavourite(5), "POST", "/api/v1/statuses/5/unfavourite", [], None,
     "POST_api_v1_statuses_id_unfavourite_200"),
    (lambda a: a.status_mute(5), "POST", "/api/v1/statuses/5/mute", [], None, "POST_api_v1_statuses_id_mute_200"),
    (lambda a: a.status_unmute(5), "POST", "/api/v1/statuses/5/unmute", [], None,
     "POST_api_v1_statuses_id_unmute_200"),
    (lambda a: a.status_pin(5), "POST", "/api/v1/statuses/5/pin", [], None, "POST_api_v1_statuses_id_pin_200"),
    (lambda a: a.status_unpin(5), "POST", "/api/v1/statuses/5/unpin", [], None, "POST_api_v1_statuses_id_unpin_200"),
    (lambda a: a.status_bookmark(5), "POST", "/api/v1/statuses/5/bookmark", [], None,
     "POST_api_v1_statuses_id_bookmark_200"),
    (lambda a: a.status_unbookmark(5), "POST", "/api/v1/statuses/5/unbookmark", [], None,
     "POST_api_v1_statuses_id_unbookmark_200"),
    (lambda a: a.status_reblog({"id": 5}), "POST", "/api/v1/statuses/5/reblog", [], None,
     "POST_api_v1_statuses_id_reblog_200"),
    (lambda a: a.status_reblog(5, visibility="Private"), "POST", "/api/v1/statuses/5/reblog", [],
     [("visibility", "private")], "POST_api_v1_statuses_id_reblog_200"),
    (lambda a: a.status_delete(5), "DELETE", "/api/v1/statuses/5", [], None, "DELETE_api_v1_statuses_id_200"),
    (lambda a: a.status_delete(5, delete_media=True), "DELETE", "/api/v1/statuses/5", [],
     [("delete_media", "1")], "DELETE_api_v1_statuses_id_200"),
    (lambda a: a.status_quote_revoke(5, {"id": 7}), "POST", "/api/v1/statuses/5/quotes/7/revoke", [], None,
     "POST_api_v1_statuses_id_quotes_id_revoke_200"),
    (lambda a: a.status_update_quote_approval_policy(5, "followers"), "PUT",
     "/api/v1/statuses/5/interaction_policy", [], [("quote_approval_policy", "followers")],
     "PUT_api_v1_statuses_id_interaction_policy_200"),
    (lambda a: a.status_translate(5, lang="de"), "POST", "/api/v1/statuses/5/translate", [], [("lang", "de")],
     None),
    (lambda a: a.statuses([1, {"id": 2}]), "GET", "/api/v1/statuses", [("id[]", "1"), ("id[]", "2")], None, None),
    (lambda a: a.scheduled_statuses(), "GET", "/api/v1/scheduled_statuses", [], None,
     "GET_api_v1_scheduled_statuses_200"),
    (lambda a: a.scheduled_statuses(max_id={"id": 3}, limit=5), "GET", "/api/v1/scheduled_statuses",
     [("max_id", "3"), ("limit", "5")], None, "GET_api_v1_scheduled_statuses_200"),
    (lambda a: a.scheduled_status(5), "GET", "/api/v1/scheduled_statuses/5", [], None,
     "GET_api_v1_scheduled_statuses_id_200"),
    (lambda a: a.scheduled_status_update(5, datetime.datetime(2030, 1, 2, 3, 4, 5,
                                                              tzinfo=datetime.timezone(datetime.timedelta(hours=2)))),
     "PUT", "/api/v1/scheduled_statuses/5", [], [("scheduled_at", "2030-01-02T01:04:05+00:00")],
     "PUT_api_v1_scheduled_statuses_id_200"),
]


@pytest.mark.parametrize("call,method,path,query,form,fixture_name", SIMPLE)
def test_simple_method_sends_exactly_this(server, dialect_api, dialect, call, method, path, query, form,
                                          fixture_name):
    """The same request in both dialects; the result (ids as ints) is dialect "1.8"'s."""
    if fixture_name:
        server.fixture(fixture_name, path=path, method=method)
        expected = fixture_body(fixture_name)
    else:
        expected = [STATUS] if path == "/api/v1/statuses" else {"content": "Hallo", "detected_source_language": "en"}
        server.route(method, path, Response(200, expected))
    result = call(dialect_api)
    assert_sent(server, method, path, query=query, form=form)
    if dialect != "1.8":
        return
    if isinstance(expected, dict):
        assert isinstance(result, AttribAccessDict)
        if "id" in expected:
            assert result.id == int(expected["id"])
        assert set(result) == set(expected) - {k for k, v in expected.items() if k.endswith("_at") and v == ""}
    else:
        assert len(result) == len(expected)
        for item, raw in zip(result, expected):
            if isinstance(raw, dict) and "id" in raw:
                assert item.id == int(raw["id"])


def test_status_parses_ids_dates_and_nested_entities(server, api):
    server.fixture("GET_api_v1_statuses_id_200", path=f"/api/v1/statuses/{STATUS_ID}")
    status = api.status(STATUS_ID)
    assert status.id == STATUS_ID
    assert isinstance(status.created_at, datetime.datetime) and status.created_at.tzinfo is not None
    assert status.account.acct == STATUS["account"]["acct"]
    assert status.account.id == int(STATUS["account"]["id"])
    assert status.card.title == STATUS["card"]["title"]


def test_scheduled_status_delete_returns_none(server, api):
    server.fixture("DELETE_api_v1_scheduled_statuses_id_200", path="/api/v1/scheduled_statuses/5")
    assert api.scheduled_status_delete(5) is None
    assert_sent(server, "DELETE", "/api/v1/scheduled_statuses/5")


def test_scheduled_status_update_rejects_non_datetime(server, api):
    with pytest.raises(MastodonIllegalArgumentError):
        api.scheduled_status_update(5, "tomorrow")
    assert server.requests == []


@pytest.mark.parametrize("bad", ["friends", 3])
def test_status_reblog_rejects_bad_visibility(server, api, bad):
    with pytest.raises(ValueError):
        api.status_reblog(5, visibility=bad)
    assert server.requests == []


def test_status_not_found_raises(server, api):
    server.fixture("GET_api_v1_statuses_id_404", path="/api/v1/statuses/1")
    with pytest.raises(MastodonNotFoundError) as info:
        api.status(1)
    assert info.value.status_code == 404


def test_translate_404_raises(server, api):
    server.fixture("POST_api_v1_statuses_id_translate_404", path="/api/v1/statuses/1/translate")
    with pytest.raises(MastodonNotFoundError):
        api.status_translate(1)
    assert server.last.body == b""


def test_garbage_answer_is_an_api_error(server, api):
    server.route("GET", "/api/v1/statuses/1", Response(200, b"<html>oops</html>", {"content-type": "text/html"}))
    with pytest.raises(MastodonAPIError):
        api.status(1)


def test_version_gate_refuses_old_server(server, make_api):
    api = make_api(mastodon_version="3.4.0")
    with pytest.raises(MastodonVersionError):
        api.status_history(1)
    with pytest.raises(MastodonVersionError):
        api.statuses([1])
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# status_card

def test_status_card_reads_the_status_on_new_servers(server, api):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/5")
    card = api.status_card({"id": 5})
    assert [r.path for r in server.requests] == ["/api/v1/statuses/5"]
    assert card.url == STATUS["card"]["url"]
    assert card.published_at is None and card.missing_attribution is False


def test_status_card_without_card_key_is_none(server, api):
    body = status_dict()
    del body["card"]
    server.route("GET", "/api/v1/statuses/5", Response(200, body))
    assert api.status_card(5) is None


def test_status_card_uses_card_endpoint_on_old_servers(server, make_api):
    api = make_api(mastodon_version="2.9.0")
    server.route("GET", "/api/v1/statuses/5/card", Response(200, STATUS["card"]))
    assert api.status_card(5).title == STATUS["card"]["title"]
    assert server.last.path == "/api/v1/statuses/5/card"


# ---------------------------------------------------------------------------------------------
# status_post / toot / status_update

def test_toot_sends_only_the_text(server, api):
    server.fixture("POST_api_v1_statuses_200")
    result = api.toot("Hello")
    assert_sent(server, "POST", "/api/v1/statuses", form=[("status", "Hello")], headers={"idempotency-key": None})
    assert result.id == int(fixture_body("POST_api_v1_statuses_200")["id"])


def test_status_post_full_form_in_signature_order_with_lists_last(server, api):
    server.fixture("POST_api_v1_statuses_200")
    when = datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    api.status_post("Hi", in_reply_to_id={"id": 11}, media_ids=[{"id": 1}, 2], sensitive=True,
                    visibility="UNLISTED", spoiler_text="cw", language="en", idempotency_key="key-1",
                    scheduled_at=when)
    assert_sent(server, "POST", "/api/v1/statuses", form=[
        ("status", "Hi"), ("in_reply_to_id", "11"), ("sensitive", "1"), ("visibility", "unlisted"),
        ("spoiler_text", "cw"), ("language", "en"), ("scheduled_at", "2031-05-06T07:08:09+00:00"),
        ("media_ids[]", "1"), ("media_ids[]", "2")], headers={"idempotency-key": "key-1"})


def test_status_post_single_media_id_is_wrapped(server, api):
    server.fixture("POST_api_v1_statuses_200")
    api.status_post("x", media_ids={"id": 9}, sensitive=False)
    assert server.last.form == [("status", "x"), ("media_ids[]", "9")]


def test_status_post_with_poll_is_json(server, api):
    server.fixture("POST_api_v1_statuses_200")
    poll = api.make_poll(["a", "b"], 300, multiple=True)
    api.status_post("Vote", poll=poll, media_ids=[], sensitive=True)
    assert server.last.content_type == "application/json"
    assert server.last.json == {"status": "Vote", "sensitive": "1", "poll": {
        "options": ["a", "b"], "expires_in": 300, "multiple": True, "hide_totals": False}, "media_ids[]": []}


def test_status_post_quote_options_of_mastodon_4_5(server, api):
    server.fixture("POST_api_v1_statuses_200")
    api.status_post("q", quoted_status_id={"id": 4}, quote_approval_policy="nobody")
    assert server.last.form == [("status", "q"), ("quoted_status_id", "4"), ("quote_approval_policy", "nobody")]


def test_status_post_fedibird_quote_and_pleroma_content_type(server, make_api):
    server.fixture("POST_api_v1_statuses_200")
    make_api(feature_set="fedibird").status_post("q", quote_id={"id": 3})
    assert server.last.form == [("status", "q"), ("quote_id", "3")]
    make_api(feature_set="pleroma").status_post("md", content_type="text/markdown")
    assert server.last.form == [("status", "md"), ("content_type", "text/markdown")]
    make_api().status_post("md", content_type="text/markdown", strict_content_type=True)
    assert server.last.form == [("status", "md"), ("content_type", "text/markdown")]


BAD_POSTS = [
    dict(visibility="friends"),
    dict(visibility=5),
    dict(poll={"options": ["a"], "expires_in": 60}, media_ids=[1]),
    dict(poll={"options": ["a"], "expires_in": 60}, media_ids=7),
    dict(quote_id=3),
    dict(content_type="text/markdown"),
    dict(scheduled_at="2030-01-01"),
    dict(media_ids=[{"no": "id"}]),
    dict(media_ids=[None]),
]


@pytest.mark.parametrize("kwargs", BAD_POSTS)
def test_status_post_bad_input_sends_nothing(server, api, kwargs):
    with pytest.raises(MastodonIllegalArgumentError) as info:
        api.status_post("x", **kwargs)
    assert isinstance(info.value, ValueError)
    assert server.requests == []


def test_status_post_pleroma_rejects_unknown_content_type(server, make_api):
    with pytest.raises(MastodonIllegalArgumentError):
        make_api(feature_set="pleroma").status_post("x", content_type="text/rtf")
    assert server.requests == []


def test_status_post_422_raises_with_server_text(server, api):
    server.fixture("POST_api_v1_statuses_422")
    with pytest.raises(MastodonAPIError) as info:
        api.status_post("x" * 600)
    assert info.value.status_code == 422
    assert "500" in info.value.error


def test_status_update_is_a_put_with_only_the_given_fields(server, api):
    server.fixture("PUT_api_v1_statuses_id_200", path="/api/v1/statuses/5")
    result = api.status_update({"id": 5}, "new text", spoiler_text="cw", sensitive=False, media_ids=[3])
    assert_sent(server, "PUT", "/api/v1/statuses/5",
                form=[("status", "new text"), ("spoiler_text", "cw"), ("media_ids[]", "3")],
                headers={"idempotency-key": None})
    assert result.id == int(fixture_body("PUT_api_v1_statuses_id_200")["id"])
    api.status_update(5)
    assert server.last.body == b""


def test_status_update_with_media_attributes_is_json(server, api):
    server.fixture("PUT_api_v1_statuses_id_200", path="/api/v1/statuses/5")
    attributes = api.generate_media_edit_attributes({"id": 8}, description="alt", focus=(0.5, -0.25))
    assert attributes == {"id": 8, "description": "alt", "focus": "0.5,-0.25"}
    api.status_update(5, "t", media_ids=[8], media_attributes=[attributes])
    assert server.last.json == {"status": "t", "media_ids": [8], "media_attributes": [attributes]}


def test_generate_media_edit_attributes_thumbnail_and_errors(server, api, make_api):
    attributes = api.generate_media_edit_attributes(1, thumbnail=b"\x89PNG", thumb_mimetype="image/png")
    assert attributes == {"id": 1, "thumbnail": "data:image/png;base64,iVBORw=="}
    with pytest.raises(MastodonIllegalArgumentError):
        api.generate_media_edit_attributes(1, focus=(1, 2, 3))
    with pytest.raises(MastodonIllegalArgumentError):
        api.generate_media_edit_attributes(1, focus="0,0")
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="3.1.0").generate_media_edit_attributes(1, thumbnail=b"x",
                                                                          thumb_mimetype="image/png")
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# status_reply

ME_ID = 1000


def reply_server(server):
    server.route("GET", "/api/v1/accounts/verify_credentials", Response(200, {"id": str(ME_ID), "acct": "me"}))
    server.fixture("POST_api_v1_statuses_200")


def mention(id, acct):
    return {"id": str(id), "acct": acct, "username": acct.split("@")[0], "url": "http://x/@" + acct}


def to_status(api, server, **changes):
    body = status_dict(**changes)
    server.route("GET", "/api/v1/statuses/77", Response(200, body))
    status = api.status(77)
    server.clear()
    return status


def test_status_reply_mentions_author_then_others_except_me(server, api):
    reply_server(server)
    target = to_status(api, server, visibility="private", spoiler_text="cw", mentions=[
        mention(2, "bob@remote.example"), mention(ME_ID, "me"), mention(STATUS["account"]["id"], "dup"),
        mention(3, "carol")])
    api.status_reply(target, "hello", in_reply_to_id=999)
    assert [r.path for r in server.requests] == ["/api/v1/accounts/verify_credentials", "/api/v1/statuses"]
    acct = STATUS["account"]["acct"]
    assert server.last.form == [
        ("status", f"@{acct} @bob@remote.example @carol hello"), ("in_reply_to_id", str(STATUS_ID)),
        ("visibility", "private"), ("spoiler_text", "cw")]


def test_status_reply_untag_and_explicit_visibility(server, api):
    reply_server(server)
    target = to_status(api, server, mentions=[mention(2, "bob")], spoiler_text="")
    api.status_reply(target, "hi", untag=True, visibility="direct", idempotency_key="k")
    assert server.last.form == [
        ("status", f"@{STATUS['account']['acct']} hi"), ("in_reply_to_id", str(STATUS_ID)),
        ("visibility", "direct"), ("spoiler_text", "")]
    assert server.last.headers["idempotency-key"] == "k"


def test_status_reply_to_myself_still_mentions_me(server, api):
    reply_server(server)
    account = dict(STATUS["account"], id=str(ME_ID), acct="me")
    target = to_status(api, server, account=account, mentions=[mention(ME_ID, "me")])
    api.status_reply(target, "again")
    assert server.last.form[0] == ("status", "@me again")


def test_own_id_is_fetched_once(server, api):
    reply_server(server)
    target = to_status(api, server)
    api.status_reply(target, "1")
    api.status_reply(target, "2")
    assert [r.path for r in server.requests].count("/api/v1/accounts/verify_credentials") == 1


@pytest.mark.parametrize("bad", [None, 5, "text", {"id": 1}, {"account": {"id": 1}}])
def test_status_reply_rejects_non_status_before_any_request(server, api, bad):
    with pytest.raises(TypeError) as info:
        api.status_reply(bad, "x")
    assert isinstance(info.value, MastodonIllegalArgumentError)
    assert server.requests == []


def test_status_reply_accepts_plain_dict_status(server, api):
    reply_server(server)
    api.status_reply(status_dict(), "plain")
    assert server.last.form[0] == ("status", f"@{STATUS['account']['acct']} plain")


# ---------------------------------------------------------------------------------------------
# Idempotency: a dropped connection is retried only with a key, and the server deduplicates.

class DedupingServer:
    """Cuts the connection of the first request per key after reading it, yet keeps the post."""

    def __init__(self):
        self.posted = {}
        self.dropped = set()
        self.lock = threading.Lock()
        self.created = 0

    def __call__(self, recorded):
        key = recorded.headers.get("idempotency-key")
        with self.lock:
            if key is None or key not in self.posted:
                self.created += 1
                body = status_dict(id=str(STATUS_ID + self.created))
                if key is not None:
                    self.posted[key] = body
            else:
                body = self.posted[key]
            if key not in self.dropped:
                self.dropped.add(key)
                return DROP
        return Response(200, body)


def test_idempotent_post_is_retried_after_a_drop_and_posted_once(server, api, no_retry_sleep):
    backend = DedupingServer()
    server.route("POST", "/api/v1/statuses", handler=backend)
    result = api.status_post("once", idempotency_key="abc")
    assert len(server.requests) == 2
    assert [r.headers["idempotency-key"] for r in server.requests] == ["abc", "abc"]
    assert server.requests[0].form == server.requests[1].form == [("status", "once")]
    assert backend.created == 1
    assert result.id == STATUS_ID + 1
    assert no_retry_sleep == [0.5]


def test_post_without_key_is_never_retried(server, api):
    backend = DedupingServer()
    server.route("POST", "/api/v1/statuses", handler=backend)
    with pytest.raises(MastodonNetworkError):
        api.status_post("maybe")
    assert len(server.requests) == 1


def test_idempotent_retries_are_bounded(server, api, no_retry_sleep):
    server.route("POST", "/api/v1/statuses", handler=lambda recorded: DROP)
    with pytest.raises(MastodonNetworkError):
        api.status_post("never", idempotency_key="k")
    assert len(server.requests) == 3
    assert no_retry_sleep == [0.5, 1.0]


def test_http_errors_are_not_retried_even_with_key(server, api):
    server.fixture("POST_api_v1_statuses_422")
    with pytest.raises(MastodonAPIError):
        api.status_post("x", idempotency_key="k")
    assert len(server.requests) == 1


def test_edits_are_not_retried(server, api):
    server.route("PUT", re.compile(r"/api/v1/statuses/\d+"), handler=lambda recorded: DROP)
    with pytest.raises(MastodonNetworkError):
        api.status_update(5, "x")
    assert len(server.requests) == 1


def test_status_reblog_accepts_direct_like_mastodon_py(server, api):
    server.fixture("POST_api_v1_statuses_id_reblog_200", path="/api/v1/statuses/5/reblog")
    api.status_reblog(5, visibility="DIRECT")
    assert server.last.form == [("visibility", "direct")]


def test_oembed(server, api):
    # Hand-written after Mastodon's oEmbed answer (no recorded one exists).
    server.route("GET", "/api/oembed", body={
        "type": "rich", "version": "1.0", "title": "New status by alice", "author_name": "Alice",
        "author_url": "https://example.org/@alice", "provider_name": "example.org",
        "provider_url": "https://example.org/", "cache_age": 86400,
        "html": "<blockquote class=\"mastodon-embed\"></blockquote>", "width": 400, "height": None})
    result = api.oembed("https://example.org/@alice/109", maxwidth=400)
    assert_sent(server, "GET", "/api/oembed", [("url", "https://example.org/@alice/109"), ("maxwidth", "400")])
    assert result.html.startswith("<blockquote") and (result.width, result.height) == (400, None)
    assert result.author_name == "Alice"
