"""The admin API on the wire: the exact request each method sends and what it returns,
against the recording server answering with real Mastodon responses."""

import datetime
import json

import pytest

from helpers import assert_sent, fixture, fixture_body
from server import Response

from mastodon import MastodonAPIError, MastodonVersionError
from mastodon.internals import parse_json_bytes

UTC = datetime.timezone.utc

ACCOUNT = "GET_api_v1_admin_accounts_id_200"
REPORT = "GET_api_v1_admin_reports_id_200"
CARD = {"url": "https://example.com/a", "title": "A", "type": "link", "history": []}
STATUS = {"id": "110", "content": "<p>hi</p>", "created_at": "2026-08-01T13:49:58.485Z", "account": {"id": "3"}}
TAG = {"id": "5", "name": "cats", "url": "https://example.com/tags/cats", "history": [], "trendable": True}
DOMAIN_ALLOW = {"id": "4", "domain": "friendly.example", "created_at": "2026-08-01T13:50:00.420Z"}


def parsed(body):
    """What a response body must come back as (ids ints, dates datetimes, attribute dicts)."""
    return parse_json_bytes(json.dumps(body))


def call(api, name, *args, **kwargs):
    return getattr(api, name)(*args, **kwargs)


# (method, args, kwargs, HTTP verb, path, query, form, answer: fixture name or a body)
CASES = [
    # accounts
    ("admin_account", (117020566092212359,), {}, "GET", "/api/v1/admin/accounts/117020566092212359",
     [], None, ACCOUNT),
    ("admin_account", ({"id": "117020566092212359"},), {}, "GET", "/api/v1/admin/accounts/117020566092212359",
     [], None, ACCOUNT),
    ("admin_account_enable", (7,), {}, "POST", "/api/v1/admin/accounts/7/enable", [], [],
     "POST_api_v1_admin_accounts_id_enable_200"),
    ("admin_account_approve", (7,), {}, "POST", "/api/v1/admin/accounts/7/approve", [], [], ACCOUNT),
    ("admin_account_reject", (7,), {}, "POST", "/api/v1/admin/accounts/7/reject", [], [], ACCOUNT),
    ("admin_account_unsilence", (7,), {}, "POST", "/api/v1/admin/accounts/7/unsilence", [], [],
     "POST_api_v1_admin_accounts_id_unsilence_200"),
    ("admin_account_unsuspend", (7,), {}, "POST", "/api/v1/admin/accounts/7/unsuspend", [], [],
     "POST_api_v1_admin_accounts_id_unsuspend_200"),
    ("admin_account_unsensitive", ({"id": 7},), {}, "POST", "/api/v1/admin/accounts/7/unsensitive", [], [],
     "POST_api_v1_admin_accounts_id_unsensitive_200"),
    ("admin_account_delete", (7,), {}, "DELETE", "/api/v1/admin/accounts/7", [], [], ACCOUNT),
    # reports
    ("admin_report", (1,), {}, "GET", "/api/v1/admin/reports/1", [], None, REPORT),
    ("admin_report_assign", (1,), {}, "POST", "/api/v1/admin/reports/1/assign_to_self", [], [],
     "POST_api_v1_admin_reports_id_assign_to_self_200"),
    ("admin_report_unassign", (1,), {}, "POST", "/api/v1/admin/reports/1/unassign", [], [],
     "POST_api_v1_admin_reports_id_unassign_200"),
    ("admin_report_reopen", ({"id": "1"},), {}, "POST", "/api/v1/admin/reports/1/reopen", [], [],
     "POST_api_v1_admin_reports_id_reopen_200"),
    ("admin_report_resolve", (1,), {}, "POST", "/api/v1/admin/reports/1/resolve", [], [],
     "POST_api_v1_admin_reports_id_resolve_200"),
    ("admin_reports", (), {}, "GET", "/api/v1/admin/reports", [], None, "GET_api_v1_admin_reports_200"),
    ("admin_reports", (), dict(resolved=True, account_id={"id": 11}, target_account_id=12, max_id={"id": 30},
                              min_id=20, since_id=10, limit=5),
     "GET", "/api/v1/admin/reports",
     [("resolved", "1"), ("account_id", "11"), ("target_account_id", "12"), ("max_id", "30"),
      ("min_id", "20"), ("since_id", "10"), ("limit", "5")], None, "GET_api_v1_admin_reports_200"),
    # trends
    ("admin_trending_tags", (), {}, "GET", "/api/v1/admin/trends/tags", [], None,
     "GET_api_v1_admin_trends_tags_200"),
    ("admin_trending_tags", (), dict(limit=3), "GET", "/api/v1/admin/trends/tags", [("limit", "3")], None,
     [TAG]),
    ("admin_trending_statuses", (), {}, "GET", "/api/v1/admin/trends/statuses", [], None,
     "GET_api_v1_admin_trends_statuses_200"),
    ("admin_trending_links", (), {}, "GET", "/api/v1/admin/trends/links", [], None,
     "GET_api_v1_admin_trends_links_200"),
    ("admin_approve_trending_link", (9,), {}, "POST", "/api/v1/admin/trends/links/9/approve", [], [], CARD),
    ("admin_reject_trending_link", (9,), {}, "POST", "/api/v1/admin/trends/links/9/reject", [], [], CARD),
    ("admin_approve_trending_status", ({"id": 110},), {}, "POST", "/api/v1/admin/trends/statuses/110/approve",
     [], [], STATUS),
    ("admin_reject_trending_status", (110,), {}, "POST", "/api/v1/admin/trends/statuses/110/reject", [], [],
     STATUS),
    ("admin_approve_trending_tag", (5,), {}, "POST", "/api/v1/admin/trends/tags/5/approve", [], [], TAG),
    ("admin_reject_trending_tag", (TAG,), {}, "POST", "/api/v1/admin/trends/tags/5/reject", [], [], TAG),
    # domain blocks: trailing slashes on list and create; limit is sent (1.8.1 dropped it)
    ("admin_domain_blocks", (), {}, "GET", "/api/v1/admin/domain_blocks/", [], None,
     "GET_api_v1_admin_domain_blocks__200"),
    ("admin_domain_blocks", (), dict(max_id={"id": 9}, min_id=2, since_id=1, limit=5), "GET",
     "/api/v1/admin/domain_blocks/", [("max_id", "9"), ("min_id", "2"), ("since_id", "1"), ("limit", "5")], None,
     "GET_api_v1_admin_domain_blocks__200"),
    ("admin_domain_blocks", (1,), dict(max_id=9, limit=5), "GET", "/api/v1/admin/domain_blocks/1", [], None,
     "GET_api_v1_admin_domain_blocks_id_200"),
    ("admin_create_domain_block", ("chitter.xyz",), {}, "POST", "/api/v1/admin/domain_blocks/", [],
     [("domain", "chitter.xyz")], "POST_api_v1_admin_domain_blocks__200"),
    ("admin_create_domain_block", ("https://chitter.xyz",),
     dict(severity="suspend", reject_media=True, reject_reports=False, private_comment="internal",
          public_comment="sicko behaviour", obfuscate=True),
     "POST", "/api/v1/admin/domain_blocks/", [],
     [("domain", "https://chitter.xyz"), ("severity", "suspend"), ("reject_media", "1"), ("reject_reports", "0"),
      ("private_comment", "internal"), ("public_comment", "sicko behaviour"), ("obfuscate", "1")],
     "POST_api_v1_admin_domain_blocks__200"),
    ("admin_update_domain_block", (1,), dict(severity="silence", private_comment="jk ilu <3"), "PUT",
     "/api/v1/admin/domain_blocks/1", [], [("severity", "silence"), ("private_comment", "jk ilu <3")],
     "PUT_api_v1_admin_domain_blocks_id_200"),
    ("admin_update_domain_block", ({"id": 1},), dict(reject_media=False, obfuscate=True), "PUT",
     "/api/v1/admin/domain_blocks/1", [], [("reject_media", "0"), ("obfuscate", "1")],
     "PUT_api_v1_admin_domain_blocks_id_200"),
    # domain allows
    ("admin_domain_allows", (), {}, "GET", "/api/v1/admin/domain_allows", [], None, [DOMAIN_ALLOW]),
    ("admin_domain_allows", (), dict(max_id=9, min_id={"id": 2}, since_id=1, limit=5), "GET",
     "/api/v1/admin/domain_allows", [("max_id", "9"), ("min_id", "2"), ("since_id", "1"), ("limit", "5")],
     None, [DOMAIN_ALLOW]),
    ("admin_domain_allow", (4,), {}, "GET", "/api/v1/admin/domain_allows/4", [], None, DOMAIN_ALLOW),
    ("admin_create_domain_allow", ("friendly.example",), {}, "POST", "/api/v1/admin/domain_allows", [],
     [("domain", "friendly.example")], DOMAIN_ALLOW),
    # canonical e-mail blocks
    ("admin_canonical_email_blocks", (), {}, "GET", "/api/v1/admin/canonical_email_blocks", [], None,
     "GET_api_v1_admin_canonical_email_blocks_200"),
    ("admin_canonical_email_blocks", (), dict(limit=2, since_id=1), "GET",
     "/api/v1/admin/canonical_email_blocks", [("since_id", "1"), ("limit", "2")], None,
     "GET_api_v1_admin_canonical_email_blocks_200"),
    ("admin_canonical_email_block", (3,), {}, "GET", "/api/v1/admin/canonical_email_blocks/3", [], None,
     "GET_api_v1_admin_canonical_email_blocks_id_200"),
    ("admin_test_canonical_email_block", ("Some.One+x@example.com",), {}, "POST",
     "/api/v1/admin/canonical_email_blocks/test", [], [("email", "Some.One+x@example.com")],
     "POST_api_v1_admin_canonical_email_blocks_test_200"),
    ("admin_create_canonical_email_block", (), dict(email="someone@example.com"), "POST",
     "/api/v1/admin/canonical_email_blocks", [], [("email", "someone@example.com")],
     "POST_api_v1_admin_canonical_email_blocks_200"),
    ("admin_create_canonical_email_block", (), dict(canonical_email_hash="973dfe46"), "POST",
     "/api/v1/admin/canonical_email_blocks", [], [("canonical_email_hash", "973dfe46")],
     "POST_api_v1_admin_canonical_email_blocks_200"),
    ("admin_delete_canonical_email_block", (3,), {}, "DELETE", "/api/v1/admin/canonical_email_blocks/3", [], [],
     "DELETE_api_v1_admin_canonical_email_blocks_id_200"),
    # e-mail domain blocks
    ("admin_email_domain_blocks", (), {}, "GET", "/api/v1/admin/email_domain_blocks", [], None,
     "GET_api_v1_admin_email_domain_blocks_200"),
    ("admin_email_domain_blocks", (), dict(max_id=5, limit=1), "GET", "/api/v1/admin/email_domain_blocks",
     [("max_id", "5"), ("limit", "1")], None, "GET_api_v1_admin_email_domain_blocks_200"),
    ("admin_email_domain_block", (1,), {}, "GET", "/api/v1/admin/email_domain_blocks/1", [], None,
     "GET_api_v1_admin_email_domain_blocks_id_200"),
    ("admin_create_email_domain_block", ("blockedexample.com",), {}, "POST", "/api/v1/admin/email_domain_blocks",
     [], [("domain", "blockedexample.com")], "POST_api_v1_admin_email_domain_blocks_200"),
    # IP blocks
    ("admin_ip_blocks", (), {}, "GET", "/api/v1/admin/ip_blocks", [], None, "GET_api_v1_admin_ip_blocks_200"),
    ("admin_ip_blocks", (), dict(min_id=1, limit=10), "GET", "/api/v1/admin/ip_blocks",
     [("min_id", "1"), ("limit", "10")], None, "GET_api_v1_admin_ip_blocks_200"),
    ("admin_ip_block", (1,), {}, "GET", "/api/v1/admin/ip_blocks/1", [], None, "GET_api_v1_admin_ip_blocks_id_200"),
    ("admin_create_ip_block", ("8.8.8.0/24", "no_access"), dict(comment="Google DNS is ULTRA BANNED",
                                                                 expires_in=3600),
     "POST", "/api/v1/admin/ip_blocks", [],
     [("ip", "8.8.8.0/24"), ("severity", "no_access"), ("comment", "Google DNS is ULTRA BANNED"),
      ("expires_in", "3600")], "POST_api_v1_admin_ip_blocks_200"),
    ("admin_create_ip_block", ("2001:db8::1", "sign_up_block"), {}, "POST", "/api/v1/admin/ip_blocks", [],
     [("ip", "2001:db8::1"), ("severity", "sign_up_block")], "POST_api_v1_admin_ip_blocks_200"),
    # the update also sends the id in the form, as Mastodon.py 2.x does
    ("admin_update_ip_block", ({"id": 1},), dict(comment="Updated test block"), "PUT", "/api/v1/admin/ip_blocks/1",
     [], [("id", "1"), ("comment", "Updated test block")], "PUT_api_v1_admin_ip_blocks_id_200"),
    ("admin_update_ip_block", (1, "8.8.4.0/24", "sign_up_requires_approval", "c", 60), {}, "PUT",
     "/api/v1/admin/ip_blocks/1", [],
     [("id", "1"), ("ip", "8.8.4.0/24"), ("severity", "sign_up_requires_approval"), ("comment", "c"),
      ("expires_in", "60")], "PUT_api_v1_admin_ip_blocks_id_200"),
]

# (method, args, HTTP verb, path, answer) for calls that return None whatever the server says
NONE_CASES = [
    ("admin_delete_domain_block", (1,), "DELETE", "/api/v1/admin/domain_blocks/1",
     "DELETE_api_v1_admin_domain_blocks_id_200"),
    ("admin_delete_domain_allow", ({"id": 4},), "DELETE", "/api/v1/admin/domain_allows/4", {}),
    ("admin_delete_email_domain_block", (1,), "DELETE", "/api/v1/admin/email_domain_blocks/1",
     "DELETE_api_v1_admin_email_domain_blocks_id_200"),
    ("admin_delete_ip_block", (1,), "DELETE", "/api/v1/admin/ip_blocks/1", "DELETE_api_v1_admin_ip_blocks_id_200"),
]


def answer(server, verb, path, source):
    body = fixture_body(source) if isinstance(source, str) else source
    headers = dict(fixture(source)["headers"]) if isinstance(source, str) else {}
    server.route(verb, path, Response(200, body, headers))
    return body


def case_id(case):
    return f"{case[0]}-{case[3]}-{len(case[2])}kw"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_sends_exactly_and_returns_the_parsed_answer(api, server, case):
    name, args, kwargs, verb, path, query, form, source = case
    body = answer(server, verb, path, source)
    result = call(api, name, *args, **kwargs)
    assert_sent(server, verb, path, query=query, form=form)
    assert result == parsed(body)
    if isinstance(result, dict) and "id" in result:
        assert isinstance(result.id, int)


@pytest.mark.parametrize("name, args, verb, path, source", NONE_CASES, ids=[c[0] for c in NONE_CASES])
def test_deletes_return_none(api, server, name, args, verb, path, source):
    answer(server, verb, path, source)
    assert call(api, name, *args) is None
    assert_sent(server, verb, path)


def test_admin_account_result_is_converted(api, server):
    server.fixture(ACCOUNT, path="/api/v1/admin/accounts/117020566092212359")
    account = api.admin_account("117020566092212359")
    assert server.last.path == "/api/v1/admin/accounts/117020566092212359"
    assert account.id == 117020566092212359
    assert account.created_at == datetime.datetime(2026, 8, 1, 13, 48, 54, 6000, tzinfo=UTC)
    assert account.suspended is True and account.confirmed is True
    assert account.account.id == 117020566092212359
    assert account.email == "mastodonpy_test_2@localhost"


def test_delete_canonical_email_block_returns_the_parsed_body(api, server):
    server.route("DELETE", "/api/v1/admin/canonical_email_blocks/3", body={"id": "3", "canonical_email_hash": "ab"})
    result = api.admin_delete_canonical_email_block(3)
    assert result == {"id": 3, "canonical_email_hash": "ab"}
    assert result.id == 3


# --- accounts listings ------------------------------------------------------------------------------

def test_admin_accounts_v1_defaults_append_the_status_as_raw_true(api, server):
    server.fixture("GET_api_v1_admin_accounts_200")
    result = api.admin_accounts_v1()
    assert server.last.query == [("active", "True")]
    assert result == parsed(fixture_body("GET_api_v1_admin_accounts_200"))
    assert result[0].id == 117020566092212359
    # the Link header's prev page keeps the appended raw filter
    assert result._pagination_prev["min_id"] == 117020566092212359
    assert result._pagination_prev["active"] is True
    assert result._pagination_prev["_pagination_endpoint"] == "/api/v1/admin/accounts"


def test_admin_accounts_v1_all_filters_in_upstream_order(api, server):
    server.fixture("GET_api_v1_admin_accounts_200")
    api.admin_accounts_v1(remote=True, by_domain="https://example.com/", status="suspended", username="al",
                          display_name="Al Ice", email="al@example.com", ip="10.0.0.1", staff_only=True,
                          max_id={"id": 30}, min_id=20, since_id=10, limit=40)
    # by_domain goes out exactly as given; remote / staff / status are appended as raw True values
    assert server.last.query == [
        ("by_domain", "https://example.com/"), ("username", "al"), ("display_name", "Al Ice"),
        ("email", "al@example.com"), ("ip", "10.0.0.1"), ("max_id", "30"), ("min_id", "20"),
        ("since_id", "10"), ("limit", "40"), ("remote", "True"), ("staff", "True"), ("suspended", "True")]


def test_admin_accounts_v1_false_flags_are_not_sent(api, server):
    server.fixture("GET_api_v1_admin_accounts_200")
    api.admin_accounts_v1(remote=False, staff_only=False, status="pending")
    assert server.last.query == [("pending", "True")]


def test_admin_accounts_v1_datetime_pagination_becomes_a_snowflake(api, server):
    server.fixture("GET_api_v1_admin_accounts_200")
    when = datetime.datetime(2026, 8, 1, tzinfo=UTC)
    api.admin_accounts_v1(max_id=when)
    assert server.last.query == [("max_id", str((int(when.timestamp()) << 16) * 1000)), ("active", "True")]


def test_admin_accounts_forwards_everything_including_limit(api, server):
    # Decision: Mastodon.py 1.8.1 dropped `limit` in this alias; we pass it on (see the report).
    server.fixture("GET_api_v1_admin_accounts_200")
    result = api.admin_accounts(remote=True, by_domain="example.com", status="disabled", email="x@example.com",
                                staff_only=True, since_id=3, limit=5)
    assert server.last.path == "/api/v1/admin/accounts"
    assert server.last.query == [("by_domain", "example.com"), ("email", "x@example.com"), ("since_id", "3"),
                                 ("limit", "5"), ("remote", "True"), ("staff", "True"), ("disabled", "True")]
    assert result[0].username == "mastodonpy_test_2"


def test_admin_accounts_v2_all_filters(api, server):
    server.fixture("GET_api_v2_admin_accounts_200")
    result = api.admin_accounts_v2(origin="local", by_domain="https://example.com", status="active",
                                   username="admin", display_name="A", email="zerocool@example.com",
                                   ip="127.0.0.1", permissions="staff", invited_by={"id": 7},
                                   role_ids=[1, {"id": 2}], max_id=30, min_id={"id": 20}, since_id=10, limit=2)
    assert server.last.path == "/api/v2/admin/accounts"
    assert server.last.query == [
        ("origin", "local"), ("by_domain", "example.com"), ("status", "active"), ("username", "admin"),
        ("display_name", "A"), ("email", "zerocool@example.com"), ("ip", "127.0.0.1"), ("permissions", "staff"),
        ("invited_by", "7"), ("max_id", "30"), ("min_id", "20"), ("since_id", "10"), ("limit", "2"),
        ("role_ids[]", "1"), ("role_ids[]", "2")]
    assert result == parsed(fixture_body("GET_api_v2_admin_accounts_200"))
    assert result[0].id == 117020565837443964


def test_admin_accounts_v2_defaults_and_single_role(api, server):
    server.fixture("GET_api_v2_admin_accounts_200")
    api.admin_accounts_v2()
    assert server.last.query == []
    api.admin_accounts_v2(role_ids={"id": 3}, by_domain="onion://hidden.onion")
    assert server.last.query == [("by_domain", "hidden.onion"), ("role_ids[]", "3")]


# --- moderation -------------------------------------------------------------------------------------

def test_moderate_defaults_send_type_none_last_and_notify(api, server):
    server.fixture("POST_api_v1_admin_accounts_id_action_200", path="/api/v1/admin/accounts/5/action")
    assert api.admin_account_moderate(5) is None
    assert server.last.method == "POST"
    assert server.last.path == "/api/v1/admin/accounts/5/action"
    assert server.last.form == [("send_email_notification", "1"), ("type", "none")]


def test_moderate_all_options(api, server):
    server.fixture("POST_api_v1_admin_accounts_id_action_200", path="/api/v1/admin/accounts/5/action")
    result = api.admin_account_moderate({"id": 5}, "suspend", report_id={"id": 3}, warning_preset_id=4,
                                        text="Goodbye", send_email_notification=True)
    assert result is None
    assert server.last.form == [("report_id", "3"), ("warning_preset_id", "4"), ("text", "Goodbye"),
                                ("send_email_notification", "1"), ("type", "suspend")]


@pytest.mark.parametrize("action", ["none", "sensitive", "disable", "silence", "suspend"])
def test_moderate_without_email_notification_omits_the_flag(api, server, action):
    server.fixture("POST_api_v1_admin_accounts_id_action_200", path="/api/v1/admin/accounts/5/action")
    api.admin_account_moderate(5, action, send_email_notification=False)
    assert server.last.form == [("type", action)]


# --- statistics -------------------------------------------------------------------------------------

START = datetime.datetime(2020, 10, 4, tzinfo=UTC)
END = datetime.datetime(2020, 10, 10, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))


def test_measures_json_body_in_upstream_key_order(api, server):
    server.fixture("POST_api_v1_admin_measures_200")
    result = api.admin_measures(START, END, active_users=True, new_users=True, interactions=False,
                                resolved_reports=True, tag_accounts={"id": 7}, tag_servers=8,
                                instance_accounts="https://chitter.xyz/about", instance_followers="example.com")
    sent = server.last
    assert (sent.method, sent.path, sent.content_type) == ("POST", "/api/v1/admin/measures", "application/json")
    assert list(sent.json.items()) == [
        ("tag_accounts", {"id": 7}), ("tag_servers", {"id": 8}),
        ("instance_accounts", {"domain": "chitter.xyz"}), ("instance_followers", {"domain": "example.com"}),
        ("keys", ["active_users", "new_users", "resolved_reports", "tag_accounts", "tag_servers",
                  "instance_accounts", "instance_followers"]),
        ("start_at", "2020-10-04T00:00:00+00:00"), ("end_at", "2020-10-09T22:30:00+00:00")]
    assert result == parsed(fixture_body("POST_api_v1_admin_measures_200"))
    assert result[0].key == "active_users"
    assert result[0].data[0].date == datetime.datetime(2020, 10, 4, tzinfo=UTC)
    assert result[0].data[0].value == 0


def test_measures_single_metric(api, server):
    server.fixture("POST_api_v1_admin_measures_200")
    api.admin_measures(START, START, opened_reports=True)
    assert server.last.json == {"keys": ["opened_reports"], "start_at": "2020-10-04T00:00:00+00:00",
                                "end_at": "2020-10-04T00:00:00+00:00"}


def test_dimensions_json_body_with_limit_after_keys(api, server):
    server.fixture("POST_api_v1_admin_dimensions_200")
    result = api.admin_dimensions(START, END, limit=5, languages=True, sources=True, servers=True,
                                  space_usage=True, software_versions=False, tag_languages={"id": 3},
                                  instance_accounts="http://chitter.xyz", instance_languages="chitter.xyz/x")
    sent = server.last
    assert (sent.method, sent.path) == ("POST", "/api/v1/admin/dimensions")
    assert list(sent.json.items()) == [
        ("tag_languages", {"id": 3}), ("instance_accounts", {"domain": "chitter.xyz"}),
        ("instance_languages", {"domain": "chitter.xyz"}),
        ("keys", ["languages", "sources", "servers", "space_usage", "tag_languages", "instance_accounts",
                  "instance_languages"]),
        ("limit", 5), ("start_at", "2020-10-04T00:00:00+00:00"), ("end_at", "2020-10-09T22:30:00+00:00")]
    assert result == parsed(fixture_body("POST_api_v1_admin_dimensions_200"))
    assert result[3].data[0].value == 20230959


def test_dimensions_without_limit(api, server):
    server.fixture("POST_api_v1_admin_dimensions_200")
    api.admin_dimensions(START, END, software_versions=True)
    assert list(server.last.json) == ["keys", "start_at", "end_at"]


@pytest.mark.parametrize("frequency", ["day", "month"])
def test_retention_is_a_form_body(api, server, frequency):
    server.fixture("POST_api_v1_admin_retention_200")
    result = api.admin_retention(START, END, frequency)
    sent = server.last
    assert (sent.method, sent.path, sent.content_type) == (
        "POST", "/api/v1/admin/retention", "application/x-www-form-urlencoded")
    assert sent.form == [("start_at", "2020-10-04T00:00:00+00:00"), ("end_at", "2020-10-09T22:30:00+00:00"),
                         ("frequency", frequency)]
    assert result == parsed(fixture_body("POST_api_v1_admin_retention_200"))
    assert result[0].period == datetime.datetime(2020, 9, 29, tzinfo=UTC)
    assert result[0].frequency == "day"


def test_retention_default_frequency_is_day(api, server):
    server.fixture("POST_api_v1_admin_retention_200")
    api.admin_retention(START, END)
    assert server.last.form[-1] == ("frequency", "day")


def test_naive_datetimes_count_as_local_time(api, server):
    server.fixture("POST_api_v1_admin_retention_200")
    naive = datetime.datetime(2020, 10, 4, 12, 0)
    api.admin_retention(naive, naive)
    expected = naive.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert server.last.form[0] == ("start_at", expected)


# --- errors from the server and version gates -------------------------------------------------------

def test_token_without_admin_scope_gives_403_api_error(api, server):
    server.fixture("POST_api_v1_admin_accounts_id_unsuspend_403", path="/api/v1/admin/accounts/7/unsuspend")
    with pytest.raises(MastodonAPIError) as info:
        api.admin_account_unsuspend(7)
    error = info.value
    assert type(error) is MastodonAPIError
    assert error.status_code == 403
    assert error.error == "This action is not allowed"
    assert "403" in str(error) and "This action is not allowed" in str(error)
    assert error.args == ("Mastodon API returned error", 403, "Forbidden", "This action is not allowed")


def test_destructive_call_answered_403_raises_too(api, server):
    server.route("POST", "/api/v1/admin/accounts/7/action", Response(403, {"error": "This action is not allowed"}))
    with pytest.raises(MastodonAPIError) as info:
        api.admin_account_moderate(7, "suspend")
    assert info.value.status_code == 403


@pytest.mark.parametrize("name, args, version", [
    ("admin_approve_trending_link", (1,), "4.1.0"),
    ("admin_email_domain_block", (1,), "4.0.0"),
    ("admin_create_ip_block", ("1.2.3.4", "no_access"), "3.5.5"),
    ("admin_measures", (START, END), "3.4.0"),
    ("admin_account_delete", (1,), "3.2.0"),
])
def test_version_gate_refuses_old_servers_without_sending(make_api, server, name, args, version):
    api = make_api(mastodon_version=version)
    with pytest.raises(MastodonVersionError):
        call(api, name, *args)
    assert server.requests == []
