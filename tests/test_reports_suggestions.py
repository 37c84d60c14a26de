"""Reports and follow suggestions."""

import sys
import warnings

import pytest

from helpers import assert_sent
from server import Response

from mastodon.errors import MastodonDeprecationWarning
from mastodon import MastodonAPIError, MastodonIllegalArgumentError, MastodonVersionError
from mastodon import _callsite
from mastodon.types_base import AttribAccessDict

ACCOUNT_ID = 117020565966271181


def test_report_minimal_posts_to_trailing_slash_path(server, api):
    server.fixture("POST_api_v1_reports__200")
    report = api.report(ACCOUNT_ID)
    assert_sent(server, "POST", "/api/v1/reports/", form=[("account_id", str(ACCOUNT_ID))])
    assert report.id == 2 and report.category == "other"
    assert report.status_ids == ["117020583182779033"]
    assert report.target_account.id == ACCOUNT_ID
    assert report.created_at.year == 2026


def test_report_full_form_scalars_then_lists(server, api):
    server.fixture("POST_api_v1_reports__200")
    api.report({"id": ACCOUNT_ID}, status_ids=[{"id": 11}, 12], comment="makes the bad post", forward=True,
               category="violation", rule_ids=[AttribAccessDict(id=1), 3], forward_to_domains=["a.example"])
    assert server.last.form == [
        ("account_id", str(ACCOUNT_ID)), ("comment", "makes the bad post"), ("forward", "1"),
        ("category", "violation"), ("status_ids[]", "11"), ("status_ids[]", "12"), ("rule_ids[]", "1"),
        ("rule_ids[]", "3"), ("forward_to_domains[]", "a.example")]


def test_report_single_status_and_forward_false(server, api):
    server.fixture("POST_api_v1_reports__200")
    api.report(ACCOUNT_ID, status_ids={"id": 11}, forward=False, category="spam")
    assert server.last.form == [("account_id", str(ACCOUNT_ID)), ("category", "spam"), ("status_ids[]", "11")]


@pytest.mark.parametrize("category", ["rude", "SPAM", ""])
def test_report_unknown_category_sends_nothing(server, api, category):
    with pytest.raises(MastodonIllegalArgumentError, match="category"):
        api.report(ACCOUNT_ID, category=category)
    assert server.requests == []


def test_report_validation_error_from_server(server, api):
    server.route("POST", "/api/v1/reports/", Response(422, {"error": "Validation failed: Rule ids is invalid",
                                                           "details": {"rule_ids": [{"error": "ERR_INVALID"}]}}))
    with pytest.raises(MastodonAPIError) as info:
        api.report(ACCOUNT_ID, category="violation", rule_ids=[999])
    assert info.value.status_code == 422
    assert info.value.details.rule_ids[0].error == "ERR_INVALID"


def test_reports_refused_on_servers_without_the_endpoint(server, api):
    with pytest.raises(MastodonVersionError):
        api.reports()
    assert server.requests == []


def test_reports_on_ancient_server(server, make_api):
    api = make_api(mastodon_version="2.4.0")
    server.route("GET", "/api/v1/reports", body=[{"id": "1", "action_taken": False}])
    assert api.reports()[0].id == 1
    assert (server.last.method, server.last.path) == ("GET", "/api/v1/reports")


def test_suggestions_use_v1_like_mastodon_py_1_8_1(server, api):
    server.route("GET", "/api/v1/suggestions", body=[{"id": str(ACCOUNT_ID), "acct": "a"}])
    assert api.suggestions()[0].id == ACCOUNT_ID
    assert api.suggestions_v1()[0].acct == "a"
    assert [(r.method, r.path, r.query) for r in server.requests] == [("GET", "/api/v1/suggestions", [])] * 2


def test_suggestions_v2(server, api):
    server.route("GET", "/api/v2/suggestions", body=[
        {"source": "global", "sources": ["featured"], "account": {"id": str(ACCOUNT_ID), "acct": "a"}}])
    result = api.suggestions_v2()
    assert_sent(server, "GET", "/api/v2/suggestions")
    assert result[0].account.id == ACCOUNT_ID and result[0].sources == ["featured"]


def test_suggestions_fixtures_parse_and_v1_deprecation_is_reported(server, api):
    server.fixture("GET_api_v1_suggestions_200")
    server.fixture("GET_api_v2_suggestions_200")
    with pytest.warns(MastodonDeprecationWarning, match="/api/v1/suggestions"):
        assert api.suggestions() == []
    assert api.suggestions_v2() == []


def test_deprecation_warning_points_at_the_callers_line(server, api, monkeypatch):
    server.fixture("GET_api_v1_suggestions_200")
    # Python 3.12 skips the library's frames itself; before that the level is counted.
    for skips_files in sorted({False, _callsite.SKIPS_FILES}):
        monkeypatch.setattr(_callsite, "SKIPS_FILES", skips_files)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            line = sys._getframe().f_lineno + 1
            api.suggestions()
            api.fetch_next({"_pagination_method": "GET", "_pagination_endpoint": "/api/v1/suggestions"})
        assert [(w.category, w.filename, w.lineno) for w in caught] == [
            (MastodonDeprecationWarning, __file__, line), (MastodonDeprecationWarning, __file__, line + 1)]


def test_suggestion_delete(server, api):
    server.route("DELETE", f"/api/v1/suggestions/{ACCOUNT_ID}", body={})
    assert api.suggestion_delete({"id": ACCOUNT_ID}) is None
    assert_sent(server, "DELETE", f"/api/v1/suggestions/{ACCOUNT_ID}")


def test_suggestions_v2_needs_3_4(server, make_api):
    api = make_api(mastodon_version="3.3.0")
    with pytest.raises(MastodonVersionError):
        api.suggestions_v2()
    assert server.requests == []
