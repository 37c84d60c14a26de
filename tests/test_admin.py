"""The admin API on the wire: the exact request each method sends and what it returns,
against the recording server answering with real Mastodon responses."""

import datetime
import re

import pytest

from helpers import assert_sent
from server import Response

from mastodon import MastodonAPIError, MastodonVersionError

UTC = datetime.timezone.utc

ACCOUNT = "GET_api_v1_admin_accounts_id_200"
REPORT = "GET_api_v1_admin_reports_id_200"
TAG = {"id": "5", "name": "cats", "url": "https://example.com/tags/cats", "history": [], "trendable": True}
DOMAIN_ALLOW = {"id": "4", "domain": "friendly.example", "created_at": "2026-08-01T13:50:00.420Z"}
# Answers written here rather than recorded, by name (the CASES' last column names these or a fixture).
BODIES = {
    "card": {"url": "https://example.com/a", "title": "A", "type": "link", "history": []},
    "status": {"id": "110", "content": "<p>hi</p>", "created_at": "2026-08-01T13:49:58.485Z", "account": {"id": "3"}},
    "tag": TAG,
    "tags": [TAG],
    "domain_allow": DOMAIN_ALLOW,
    "domain_allows": [DOMAIN_ALLOW],
}


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def pluck(value, path):
    """Follow a path such as ``statuses[0].account.id`` by attribute access and indexing."""
    for name, index in re.findall(r"([A-Za-z_]\w*)|\[(-?\d+)\]", path):
        value = getattr(value, name) if name else value[int(index)]
    return value


def assert_fields(result, expected):
    """Each path of ``expected`` reads its value, of the same type, from ``result`` (a list or
    an empty dict expected is compared whole)."""
    if isinstance(expected, list) or not expected:
        assert result == expected
        return
    for path, value in expected.items():
        found = pluck(result, path)
        assert (type(found), found) == (type(value), value), path


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
    # unresolved (Mastodon 4.6) is sent as given, False too; resolved=False is still dropped
    ("admin_reports", (), dict(resolved=True, unresolved=True), "GET", "/api/v1/admin/reports",
     [("resolved", "1"), ("unresolved", "1")], None, "GET_api_v1_admin_reports_200"),
    ("admin_reports", (), dict(unresolved=False), "GET", "/api/v1/admin/reports",
     [("unresolved", "0")], None, "GET_api_v1_admin_reports_200"),
    # trends
    ("admin_trending_tags", (), {}, "GET", "/api/v1/admin/trends/tags", [], None,
     "GET_api_v1_admin_trends_tags_200"),
    ("admin_trending_tags", (), dict(limit=3), "GET", "/api/v1/admin/trends/tags", [("limit", "3")], None,
     "tags"),
    ("admin_trending_statuses", (), {}, "GET", "/api/v1/admin/trends/statuses", [], None,
     "GET_api_v1_admin_trends_statuses_200"),
    ("admin_trending_links", (), {}, "GET", "/api/v1/admin/trends/links", [], None,
     "GET_api_v1_admin_trends_links_200"),
    ("admin_approve_trending_link", (9,), {}, "POST", "/api/v1/admin/trends/links/9/approve", [], [], "card"),
    ("admin_reject_trending_link", (9,), {}, "POST", "/api/v1/admin/trends/links/9/reject", [], [], "card"),
    ("admin_approve_trending_status", ({"id": 110},), {}, "POST", "/api/v1/admin/trends/statuses/110/approve",
     [], [], "status"),
    ("admin_reject_trending_status", (110,), {}, "POST", "/api/v1/admin/trends/statuses/110/reject", [], [],
     "status"),
    ("admin_approve_trending_tag", (5,), {}, "POST", "/api/v1/admin/trends/tags/5/approve", [], [], "tag"),
    ("admin_reject_trending_tag", (TAG,), {}, "POST", "/api/v1/admin/trends/tags/5/reject", [], [], "tag"),
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
    ("admin_domain_allows", (), {}, "GET", "/api/v1/admin/domain_allows", [], None, "domain_allows"),
    ("admin_domain_allows", (), dict(max_id=9, min_id={"id": 2}, since_id=1, limit=5), "GET",
     "/api/v1/admin/domain_allows", [("max_id", "9"), ("min_id", "2"), ("since_id", "1"), ("limit", "5")],
     None, "domain_allows"),
    ("admin_domain_allow", (4,), {}, "GET", "/api/v1/admin/domain_allows/4", [], None, "domain_allow"),
    ("admin_create_domain_allow", ("friendly.example",), {}, "POST", "/api/v1/admin/domain_allows", [],
     [("domain", "friendly.example")], "domain_allow"),
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
    """Answer ``verb path`` with a body of BODIES, a recorded fixture or a literal body."""
    if isinstance(source, str) and source in BODIES:
        server.route(verb, path, Response(200, BODIES[source]))
    elif isinstance(source, str):
        server.fixture(source, path=path, method=verb)
    else:
        server.route(verb, path, Response(200, source))


# What each answer comes back as, written out by hand: ids as ints, dates as datetimes, nested
# entities read by attribute; a list stands for the whole expected result.
ADMIN_ACCOUNT_ID = 117020566092212359
ADMIN_ID = 117020565693913441
EMAIL_HASH = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"
ACCOUNT_ACTION = {"id": ADMIN_ACCOUNT_ID, "suspended": False, "silenced": False, "disabled": False,
                  "account.id": ADMIN_ACCOUNT_ID, "account.acct": "mastodonpy_test_2"}
REPORT_FIELDS = {"id": 1, "category": "other", "created_at": at(2026, 8, 1, 13, 49, 58, 485000),
                 "account.account.acct": "admin", "target_account.id": ADMIN_ACCOUNT_ID,
                 "statuses[0].id": 117020570302719057, "statuses[0].created_at": at(2026, 8, 1, 13, 49, 58, 223000),
                 "rules": []}
DOMAIN_BLOCK = {"id": 1, "domain": "chitter.xyz", "created_at": at(2026, 8, 1, 13, 50, 0, 420000),
                "severity": "suspend", "reject_media": False, "private_comment": None,
                "public_comment": "sicko behaviour"}
EMAIL_DOMAIN_BLOCK = {"id": 1, "domain": "blockedexample.com", "created_at": at(2026, 8, 1, 13, 50, 2, 960000),
                      "history[0].day": at(2026, 8, 1), "history[0].accounts": "0"}
IP_BLOCK = {"id": 1, "ip": "8.8.8.0/24", "severity": "no_access", "comment": "Google DNS is ULTRA BANNED",
            "created_at": at(2026, 8, 1, 13, 50, 3, 231000), "expires_at": None}


def first(fields):
    """The same fields, read from the first item of a list."""
    return {f"[0].{path}": value for path, value in fields.items()}


EXPECTED = {
    ACCOUNT: {"id": ADMIN_ACCOUNT_ID, "username": "mastodonpy_test_2", "created_at": at(2026, 8, 1, 13, 48, 54, 6000),
              "suspended": True, "confirmed": True, "ip": None, "ips": [], "role.id": -99,
              "account.id": ADMIN_ACCOUNT_ID, "account.created_at": at(2026, 8, 1)},
    "POST_api_v1_admin_accounts_id_enable_200": ACCOUNT_ACTION,
    "POST_api_v1_admin_accounts_id_unsilence_200": ACCOUNT_ACTION,
    "POST_api_v1_admin_accounts_id_unsuspend_200": ACCOUNT_ACTION,
    "POST_api_v1_admin_accounts_id_unsensitive_200": ACCOUNT_ACTION,
    REPORT: dict(REPORT_FIELDS, action_taken=False, action_taken_at=None, assigned_account=None,
                 updated_at=at(2026, 8, 1, 13, 49, 59, 669000)),
    "POST_api_v1_admin_reports_id_assign_to_self_200": dict(
        REPORT_FIELDS, updated_at=at(2026, 8, 1, 13, 49, 59, 441000), **{"assigned_account.id": ADMIN_ID}),
    "POST_api_v1_admin_reports_id_unassign_200": dict(REPORT_FIELDS, assigned_account=None),
    "POST_api_v1_admin_reports_id_reopen_200": dict(REPORT_FIELDS, action_taken=False,
                                                    updated_at=at(2026, 8, 1, 13, 49, 59, 60000)),
    # action_taken_at is not one of Mastodon.py 1.8.1's date keys: it stays text there, and here.
    "POST_api_v1_admin_reports_id_resolve_200": dict(REPORT_FIELDS, action_taken=True,
                                                     action_taken_at="2026-08-01T13:49:58.789Z"),
    "GET_api_v1_admin_reports_200": first(REPORT_FIELDS),
    "GET_api_v1_admin_trends_tags_200": [],
    "GET_api_v1_admin_trends_statuses_200": [],
    "GET_api_v1_admin_trends_links_200": [],
    "card": {"url": "https://example.com/a", "type": "link", "history": []},
    "status": {"id": 110, "content": "<p>hi</p>", "created_at": at(2026, 8, 1, 13, 49, 58, 485000), "account.id": 3},
    "tag": {"id": 5, "name": "cats", "trendable": True, "history": []},
    "tags": {"[0].id": 5, "[0].name": "cats"},
    "GET_api_v1_admin_domain_blocks__200": first(DOMAIN_BLOCK),
    "GET_api_v1_admin_domain_blocks_id_200": DOMAIN_BLOCK,
    "POST_api_v1_admin_domain_blocks__200": DOMAIN_BLOCK,
    "PUT_api_v1_admin_domain_blocks_id_200": dict(DOMAIN_BLOCK, severity="silence", private_comment="jk ilu <3"),
    "domain_allow": {"id": 4, "domain": "friendly.example", "created_at": at(2026, 8, 1, 13, 50, 0, 420000)},
    "domain_allows": {"[0].id": 4, "[0].domain": "friendly.example"},
    "GET_api_v1_admin_canonical_email_blocks_200": {"[0].id": 2, "[0].canonical_email_hash": EMAIL_HASH},
    "GET_api_v1_admin_canonical_email_blocks_id_200": {"id": 3, "canonical_email_hash": EMAIL_HASH},
    "POST_api_v1_admin_canonical_email_blocks_test_200": {"[0].id": 2, "[0].canonical_email_hash": EMAIL_HASH},
    "POST_api_v1_admin_canonical_email_blocks_200": {"id": 2, "canonical_email_hash": EMAIL_HASH},
    "DELETE_api_v1_admin_canonical_email_blocks_id_200": {},
    "GET_api_v1_admin_email_domain_blocks_200": first(EMAIL_DOMAIN_BLOCK),
    "GET_api_v1_admin_email_domain_blocks_id_200": EMAIL_DOMAIN_BLOCK,
    "POST_api_v1_admin_email_domain_blocks_200": EMAIL_DOMAIN_BLOCK,
    "GET_api_v1_admin_ip_blocks_200": first(IP_BLOCK),
    "GET_api_v1_admin_ip_blocks_id_200": IP_BLOCK,
    "POST_api_v1_admin_ip_blocks_200": IP_BLOCK,
    "PUT_api_v1_admin_ip_blocks_id_200": dict(IP_BLOCK, comment="Updated test block"),
}


def case_id(case):
    return f"{case[0]}-{case[3]}-{len(case[2])}kw"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_sends_exactly_and_returns_the_parsed_answer(dialect_api, dialect, server, case):
    """The same request in both dialects; the values written above are dialect "1.8"'s (ids as
    ints), so the result is compared there only."""
    name, args, kwargs, verb, path, query, form, source = case
    if dialect == "2" and name == "admin_create_domain_block" and "://" in args[0]:
        pytest.skip("row W11: dialect 2 refuses the domain (tests/test_dialect_wire.py)")
    answer(server, verb, path, source)
    result = call(dialect_api, name, *args, **kwargs)
    assert_sent(server, verb, path, query=query, form=form)
    if dialect == "1.8":
        assert_fields(result, EXPECTED[source])


@pytest.mark.parametrize("name, args, verb, path, source", NONE_CASES, ids=[c[0] for c in NONE_CASES])
def test_deletes_return_none(dialect_api, server, name, args, verb, path, source):
    answer(server, verb, path, source)
    assert call(dialect_api, name, *args) is None
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
    assert len(result) == 4
    assert_fields(result, {"[0].id": ADMIN_ACCOUNT_ID, "[0].created_at": at(2026, 8, 1, 13, 48, 54, 6000),
                           "[1].account.acct": "mastodonpy_test", "[3].id": ADMIN_ID, "[3].username": "admin"})
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
    assert len(result) == 2
    assert_fields(result, {"[0].id": 117020565837443964, "[0].email": "zerocool@example.com", "[0].role.id": 3,
                           "[0].created_at": at(2026, 8, 1, 13, 48, 50, 97000), "[1].account.id": ADMIN_ID})


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
    assert len(result) == 10
    assert_fields(result, {"[0].key": "active_users", "[0].unit": None, "[0].total": "0",
                           "[0].data[0].date": at(2020, 10, 4), "[0].data[0].value": 0,
                           "[1].data[0].date": datetime.datetime(2020, 10, 4)})  # a bare date stays naive


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
    assert [dimension.key for dimension in result] == [
        "languages", "sources", "servers", "space_usage", "instance_accounts", "instance_languages"]
    assert_fields(result, {"[0].data": [], "[3].data[0].value": 20230959, "[3].data[0].unit": "bytes",
                           "[3].data[1].key": "redis", "[3].data[1].human_value": "2.41 MB"})


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
    assert len(result) == 11
    assert_fields(result, {"[0].period": at(2020, 9, 29), "[0].frequency": "day",
                           "[0].data[0].date": at(2020, 9, 29), "[0].data[0].rate": 0.0, "[0].data[0].value": 0,
                           "[-1].period": at(2020, 10, 9)})


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


def test_admin_update_report_changes_the_category(api, server):
    server.fixture(REPORT, method="PUT", path="/api/v1/admin/reports/1")
    report = api.admin_update_report({"id": 1}, category="violation", rule_ids=[{"id": 3}, 4])
    assert_sent(server, "PUT", "/api/v1/admin/reports/1", form=[
        ("category", "violation"), ("rule_ids[]", "3"), ("rule_ids[]", "4")])
    assert report.id == 1 and report.comment == "api crimes"


def test_admin_update_report_unknown_category_sends_nothing(api, server):
    from mastodon import MastodonIllegalArgumentError
    with pytest.raises(MastodonIllegalArgumentError):
        api.admin_update_report(1, category="rude")
    assert server.requests == []
