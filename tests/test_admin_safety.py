"""Admin API safety: destructive calls are checked completely before anything is sent, and no
token or user e-mail address ends up in exception messages or log output."""

import datetime
import ipaddress
import logging
import os
import re
import traceback

import pytest

from conftest import TOKEN
from helpers import assert_sent
from server import Response

from mastodon import MastodonAPIError, MastodonError, MastodonIllegalArgumentError

UTC = datetime.timezone.utc
START = datetime.datetime(2020, 10, 4, tzinfo=UTC)
END = datetime.datetime(2020, 10, 10, tzinfo=UTC)
EMAIL = "victim.person+tag@private-mail.example"

# (method, args, kwargs): each must raise MastodonIllegalArgumentError and send nothing.
BAD_CALLS = [
    # account deletion / moderation
    ("admin_account_delete", (None,), {}),
    ("admin_account_delete", ("",), {}),
    ("admin_account_delete", ("7/../../domain_blocks/1",), {}),
    ("admin_account_delete", ("7?x=1",), {}),
    ("admin_account_delete", ("..",), {}),
    ("admin_account_delete", (7.5,), {}),
    ("admin_account_delete", (True,), {}),
    ("admin_account_delete", ([7],), {}),
    ("admin_account_delete", ({"username": "x"},), {}),
    ("admin_account_moderate", (5, "suspnd"), {}),
    ("admin_account_moderate", (5, "Suspend"), {}),
    ("admin_account_moderate", (5, ""), {}),
    ("admin_account_moderate", (5, ["suspend"]), {}),
    ("admin_account_moderate", (None, "suspend"), {}),
    ("admin_account_moderate", (5, "suspend"), dict(report_id="3/resolve")),
    ("admin_account_moderate", (5, "suspend"), dict(report_id=1.0)),
    ("admin_account_moderate", (5, "suspend"), dict(warning_preset_id=[1])),
    ("admin_account_moderate", (5, "suspend"), dict(text=42)),
    ("admin_account_moderate", (5, "suspend"), dict(send_email_notification="maybe")),
    ("admin_account_moderate", (5, "suspend"), dict(send_email_notification=[True])),
    ("admin_account_approve", (None,), {}),
    ("admin_account_reject", ("1 2",), {}),
    ("admin_account_unsuspend", (None,), {}),
    ("admin_account", (None,), {}),
    ("admin_report_resolve", (None,), {}),
    ("admin_report_assign", ("1/x",), {}),
    # domain blocks
    ("admin_create_domain_block", (None,), {}),
    ("admin_create_domain_block", ("",), {}),
    ("admin_create_domain_block", ("   ",), {}),
    ("admin_create_domain_block", (123,), {}),
    ("admin_create_domain_block", ("chitter.xyz",), dict(severity="supend")),
    ("admin_create_domain_block", ("chitter.xyz",), dict(severity="Suspend")),
    ("admin_create_domain_block", ("chitter.xyz",), dict(severity=2)),
    ("admin_create_domain_block", ("chitter.xyz",), dict(reject_media="yes please")),
    ("admin_create_domain_block", ("chitter.xyz",), dict(reject_reports=2)),
    ("admin_create_domain_block", ("chitter.xyz",), dict(obfuscate=[True])),
    ("admin_create_domain_block", ("chitter.xyz",), dict(public_comment=5)),
    ("admin_create_domain_block", ("chitter.xyz",), dict(private_comment=b"bytes")),
    ("admin_update_domain_block", (None,), dict(severity="silence")),
    ("admin_update_domain_block", (1,), dict(severity="block")),
    ("admin_update_domain_block", (1,), dict(reject_media="nope")),
    ("admin_delete_domain_block", (), {}),
    ("admin_delete_domain_block", (None,), {}),
    ("admin_delete_domain_block", ("1/",), {}),
    ("admin_domain_blocks", ("a b",), {}),
    # domain allows, e-mail and canonical e-mail blocks
    ("admin_create_domain_allow", (None,), {}),
    ("admin_create_domain_allow", ("",), {}),
    ("admin_delete_domain_allow", (None,), {}),
    ("admin_create_email_domain_block", (None,), {}),
    ("admin_create_email_domain_block", (["a.example"],), {}),
    ("admin_delete_email_domain_block", (None,), {}),
    ("admin_create_canonical_email_block", (), {}),
    ("admin_create_canonical_email_block", (), dict(email=5)),
    ("admin_create_canonical_email_block", (), dict(email="")),
    ("admin_create_canonical_email_block", (), dict(canonical_email_hash=" ")),
    ("admin_create_canonical_email_block", (), dict(canonical_email_hash=["x"])),
    ("admin_test_canonical_email_block", (None,), {}),
    ("admin_delete_canonical_email_block", (None,), {}),
    # IP blocks
    ("admin_create_ip_block", (None, "no_access"), {}),
    ("admin_create_ip_block", ("8.8.8.256", "no_access"), {}),
    ("admin_create_ip_block", ("not an ip", "no_access"), {}),
    ("admin_create_ip_block", (8, "no_access"), {}),
    ("admin_create_ip_block", ("8.8.8.0/24", None), {}),
    ("admin_create_ip_block", ("8.8.8.0/24", "block"), {}),
    ("admin_create_ip_block", ("8.8.8.0/24", "no_access"), dict(expires_in=-1)),
    ("admin_create_ip_block", ("8.8.8.0/24", "no_access"), dict(expires_in="soon")),
    ("admin_create_ip_block", ("8.8.8.0/24", "no_access"), dict(expires_in=True)),
    ("admin_create_ip_block", ("8.8.8.0/24", "no_access"), dict(expires_in=1.5)),
    ("admin_create_ip_block", ("8.8.8.0/24", "no_access"), dict(comment=1)),
    ("admin_update_ip_block", (None,), dict(comment="x")),
    ("admin_update_ip_block", (1,), dict(severity="noop")),
    ("admin_update_ip_block", (1,), dict(ip="999.1.1.1")),
    ("admin_delete_ip_block", (None,), {}),
    ("admin_ip_block", ("1/..",), {}),
    # trends
    ("admin_approve_trending_tag", (None,), {}),
    ("admin_reject_trending_status", ("1#x",), {}),
    # listings with upstream validation
    ("admin_accounts_v1", (), dict(status="banned")),
    ("admin_accounts_v1", (), dict(status=None)),
    ("admin_accounts", (), dict(status="Active")),
    ("admin_accounts_v2", (), dict(origin="elsewhere")),
    ("admin_accounts_v2", (), dict(status="banned")),
    ("admin_accounts_v2", (), dict(permissions="admin")),
    # statistics
    ("admin_measures", (START, END), {}),
    ("admin_measures", (START, END), dict(active_users="yes")),
    ("admin_measures", ("2020-10-04", END), dict(active_users=True)),
    ("admin_measures", (START, None), dict(active_users=True)),
    ("admin_measures", (START, END), dict(instance_accounts=42)),
    ("admin_dimensions", (START, END), {}),
    ("admin_dimensions", (START, 5), dict(languages=True)),
    ("admin_retention", (START, END, "week"), {}),
    ("admin_retention", (START, END, None), {}),
    ("admin_retention", (1601769600, END), {}),
]


def bad_call_id(case):
    return f"{case[0]}:{case[1]!r}:{case[2]!r}"[:90]


@pytest.mark.parametrize("name, args, kwargs", BAD_CALLS, ids=[bad_call_id(c) for c in BAD_CALLS])
def test_bad_call_raises_before_sending(api, server, name, args, kwargs):
    server.route("*", re.compile(".*"), Response(200, {}))
    with pytest.raises(MastodonIllegalArgumentError) as info:
        getattr(api, name)(*args, **kwargs)
    assert server.requests == []
    assert isinstance(info.value, ValueError)
    assert str(info.value)


def test_unknown_status_is_still_a_value_error_as_upstream(api, server):
    with pytest.raises(ValueError):
        api.admin_accounts_v1(status="banned")
    assert server.requests == []


def test_moderate_empty_messages_say_what_is_allowed(api, server):
    with pytest.raises(MastodonIllegalArgumentError) as info:
        api.admin_account_moderate(5, "suspnd")
    assert "none, sensitive, disable, silence, suspend" in str(info.value)
    with pytest.raises(MastodonIllegalArgumentError) as info:
        api.admin_create_ip_block("8.8.8.8", "block")
    assert "sign_up_requires_approval, sign_up_block, no_access" in str(info.value)
    with pytest.raises(MastodonIllegalArgumentError) as info:
        api.admin_create_domain_block("chitter.xyz", severity="x")
    assert "noop, silence, suspend" in str(info.value)
    with pytest.raises(MastodonIllegalArgumentError) as info:
        api.admin_measures(START, END)
    assert str(info.value) == "Must request at least one metric."
    assert server.requests == []


# Valid input that 1.8.1 / 2.x sent unchanged keeps going out unchanged.
GOOD_CALLS = [
    ("admin_account_delete", ("117020566092212359",), {}, "DELETE", "/api/v1/admin/accounts/117020566092212359",
     []),
    ("admin_create_domain_block", ("chitter.xyz",), dict(reject_media=1, reject_reports="true", obfuscate=0),
     "POST", "/api/v1/admin/domain_blocks/",
     [("domain", "chitter.xyz"), ("reject_media", "1"), ("reject_reports", "true"), ("obfuscate", "0")]),
    ("admin_create_ip_block", (ipaddress.ip_network("10.0.0.0/8"), "sign_up_block"), dict(expires_in="86400"),
     "POST", "/api/v1/admin/ip_blocks",
     [("ip", "10.0.0.0/8"), ("severity", "sign_up_block"), ("expires_in", "86400")]),
    ("admin_account_moderate", (5, "disable"), dict(send_email_notification=0), "POST",
     "/api/v1/admin/accounts/5/action", [("type", "disable")]),
    ("admin_account_moderate", (5, "silence"), dict(send_email_notification=1), "POST",
     "/api/v1/admin/accounts/5/action", [("send_email_notification", "1"), ("type", "silence")]),
    ("admin_account_moderate", (5,), dict(warning_preset_id={"id": 2}), "POST",
     "/api/v1/admin/accounts/5/action", [("warning_preset_id", "2"), ("send_email_notification", "1"),
                                         ("type", "none")]),
    ("admin_create_domain_allow", ("xn--bcher-kva.example",), {}, "POST", "/api/v1/admin/domain_allows",
     [("domain", "xn--bcher-kva.example")]),
]


@pytest.mark.parametrize("name, args, kwargs, verb, path, form", GOOD_CALLS, ids=[c[0] for c in GOOD_CALLS])
def test_valid_input_passes_validation_unchanged(api, server, name, args, kwargs, verb, path, form):
    server.route(verb, path, Response(200, {"id": "1"}))
    getattr(api, name)(*args, **kwargs)
    assert_sent(server, verb, path, form=form)


# --- secrets: the token and users' e-mail addresses ------------------------------------------------

# Validation failures with an e-mail address (or the token) in the offending slot.
LEAKY_BAD_CALLS = [
    ("admin_account_delete", (EMAIL,), {}),
    ("admin_account_delete", (TOKEN + "/x",), {}),
    ("admin_account", (EMAIL,), {}),
    ("admin_account_moderate", (5, EMAIL), {}),
    ("admin_account_moderate", (5, TOKEN), {}),
    ("admin_account_moderate", (EMAIL, "suspend"), {}),
    ("admin_account_moderate", (5, "none"), dict(report_id=EMAIL)),
    ("admin_account_moderate", (5, "none"), dict(warning_preset_id=EMAIL)),
    ("admin_account_moderate", (5, "none"), dict(send_email_notification=EMAIL)),
    ("admin_create_domain_block", ("example.com",), dict(severity=EMAIL)),
    ("admin_create_domain_block", ("example.com",), dict(reject_media=EMAIL)),
    ("admin_update_domain_block", (EMAIL,), {}),
    ("admin_delete_domain_block", (EMAIL,), {}),
    ("admin_create_ip_block", (EMAIL, "no_access"), {}),
    ("admin_create_ip_block", ("1.2.3.4", EMAIL), {}),
    ("admin_create_ip_block", ("1.2.3.4", "no_access"), dict(expires_in=EMAIL)),
    ("admin_update_ip_block", (1,), dict(ip=TOKEN)),
    ("admin_delete_ip_block", (EMAIL,), {}),
    ("admin_delete_canonical_email_block", (EMAIL,), {}),
    ("admin_delete_email_domain_block", (EMAIL,), {}),
    ("admin_accounts_v1", (), dict(status=EMAIL)),
    ("admin_accounts", (False, None, EMAIL), {}),
    ("admin_accounts_v2", (EMAIL,), {}),
    ("admin_accounts_v2", (), dict(status=EMAIL)),
    ("admin_accounts_v2", (), dict(permissions=EMAIL)),
    ("admin_retention", (EMAIL, END), {}),
    ("admin_retention", (START, END, EMAIL), {}),
    ("admin_measures", (START, EMAIL), dict(active_users=True)),
    ("admin_dimensions", (EMAIL, END), dict(languages=True)),
]


def assert_secret_free(error, text_sources=()):
    """Neither the token nor the e-mail address appears in the error, its chain or its traceback."""
    texts = [str(error), repr(error), "".join(traceback.format_exception(type(error), error, error.__traceback__))]
    link = error
    while link is not None:
        texts += [str(link), repr(link.args)]
        link = link.__cause__ or link.__context__
    texts += list(text_sources)
    for text in texts:
        assert EMAIL not in text
        assert TOKEN not in text
        assert "victim.person" not in text


@pytest.mark.parametrize("name, args, kwargs", LEAKY_BAD_CALLS, ids=[bad_call_id(c) for c in LEAKY_BAD_CALLS])
def test_validation_errors_never_echo_secrets(api, server, caplog, capsys, name, args, kwargs):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(MastodonIllegalArgumentError) as info:
        getattr(api, name)(*args, **kwargs)
    assert server.requests == []
    captured = capsys.readouterr()
    assert_secret_free(info.value, [caplog.text, captured.out, captured.err])


# Server error answers to calls that carry an e-mail address (the token is always sent).
SERVER_ERROR_CALLS = [
    ("admin_accounts_v1", (), dict(email=EMAIL), "GET", "/api/v1/admin/accounts"),
    ("admin_accounts", (), dict(email=EMAIL), "GET", "/api/v1/admin/accounts"),
    ("admin_accounts_v2", (), dict(email=EMAIL), "GET", "/api/v2/admin/accounts"),
    ("admin_test_canonical_email_block", (EMAIL,), {}, "POST", "/api/v1/admin/canonical_email_blocks/test"),
    ("admin_create_canonical_email_block", (), dict(email=EMAIL), "POST", "/api/v1/admin/canonical_email_blocks"),
    ("admin_account_moderate", (5, "suspend"), dict(text="Contact " + EMAIL), "POST",
     "/api/v1/admin/accounts/5/action"),
    ("admin_account_delete", (5,), {}, "DELETE", "/api/v1/admin/accounts/5"),
    ("admin_create_ip_block", ("8.8.8.8", "no_access"), dict(comment=EMAIL), "POST", "/api/v1/admin/ip_blocks"),
]
ERROR_ANSWERS = [
    Response(403, {"error": "This action is not allowed"}),
    Response(422, {"error": "Validation failed: Canonical email hash has already been taken"}),
    Response(500, "<html><body>Internal Server Error</body></html>", {"Content-Type": "text/html"}),
    Response(404, {"error": "Record not found"}),
]


@pytest.mark.parametrize("answer", ERROR_ANSWERS, ids=lambda r: str(r.status))
@pytest.mark.parametrize("name, args, kwargs, verb, path", SERVER_ERROR_CALLS,
                         ids=[c[0] + "-" + "-".join(c[2]) for c in SERVER_ERROR_CALLS])
def test_server_errors_never_carry_the_token_or_email_in_the_message(api, server, caplog, name, args, kwargs,
                                                                      verb, path, answer):
    caplog.set_level(logging.DEBUG)
    server.route(verb, path, answer)
    with pytest.raises(MastodonAPIError) as info:
        getattr(api, name)(*args, **kwargs)
    assert info.value.status_code == answer.status
    assert len(server.requests) == 1
    assert_secret_free(info.value)
    # The core logs requests at DEBUG with the token masked.
    assert TOKEN not in caplog.text
    # Nothing is logged from the admin module itself.
    assert not [r for r in caplog.records if r.pathname.endswith(os.path.join("mastodon", "admin.py"))]


def test_debug_log_does_not_contain_email_parameters(api, server, caplog):
    caplog.set_level(logging.DEBUG)
    server.route("GET", "/api/v1/admin/accounts", Response(403, {"error": "This action is not allowed"}))
    with pytest.raises(MastodonAPIError):
        api.admin_accounts_v1(email=EMAIL)
    assert EMAIL not in caplog.text


def test_successful_calls_log_no_token(api, server, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    server.fixture("GET_api_v2_admin_accounts_200")
    api.admin_accounts_v2(status="active")
    assert TOKEN not in caplog.text
    assert capsys.readouterr().out == ""


def test_admin_module_has_no_logging_or_printing():
    import mastodon.admin as admin_module
    with open(admin_module.__file__, encoding="utf-8") as handle:
        source = handle.read()
    for forbidden in ("print(", "import logging", "getLogger", "log.", "warnings.warn", "sys.stdout",
                      "sys.stderr"):
        assert forbidden not in source, forbidden


def test_all_admin_errors_are_mastodon_errors(api, server):
    for name, args, kwargs in LEAKY_BAD_CALLS:
        with pytest.raises(MastodonError):
            getattr(api, name)(*args, **kwargs)
    assert server.requests == []
