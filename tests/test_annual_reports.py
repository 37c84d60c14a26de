"""Annual reports: the requests each method sends and the results it returns.

No recorded answers exist for these endpoints (../shared/fixtures has none): the bodies are
hand-written after the AnnualReport entity of the Mastodon API docs (schema versions 1 and 2).
"""

import re

import pytest

from helpers import assert_sent
from server import Response

from mastodon import MastodonVersionError
from mastodon.return_types import (
    Account, AnnualReport, AnnualReportDataV1, AnnualReportDataV2, AnnualReportState, WrappedAnnualReports,
)
from mastodon.types_base import EmptyResponse

REPORT_V1 = {
    "year": 2024, "schema_version": 1,
    "data": {
        "archetype": "lurker", "percentiles": {"statuses": 12.5},
        "type_distribution": {"total": 20, "reblogs": 5, "replies": 3, "standalone": 12},
        "top_statuses": {"by_reblogs": "113", "by_favourites": None, "by_replies": "114"},
        "most_used_apps": [{"name": "Web", "count": 17}],
        "commonly_interacted_with_accounts": [{"account_id": "2", "count": 4}],
        "time_series": [{"month": 1, "statuses": 3, "following": 1, "followers": 2}],
        "top_hashtags": [{"name": "cats", "count": 9}],
        "most_reblogged_accounts": [{"account_id": "3", "count": 2}],
    },
}
REPORT_V2 = {
    "year": 2025, "schema_version": 2, "share_url": "https://example.org/wrapstodon/2025/x",
    "account_id": "117020565966271181",
    "data": {
        "archetype": "booster", "top_statuses": {"by_reblogs": None, "by_favourites": "5", "by_replies": None},
        "time_series": [{"month": 12, "statuses": 40, "followers": 7}],
        "top_hashtags": [],
    },
}
WRAPPED = {"annual_reports": [REPORT_V1, REPORT_V2], "accounts": [{"id": "2", "acct": "bob"}], "statuses": []}


@pytest.fixture
def api(make_api):
    return make_api(mastodon_version="4.6.0")


def test_annual_reports_cast_each_data_by_its_schema(server, api):
    server.route("GET", "/api/v1/annual_reports", body=WRAPPED)
    result = api.annual_reports()
    assert_sent(server, "GET", "/api/v1/annual_reports")
    assert isinstance(result, WrappedAnnualReports)
    first, second = result.annual_reports
    assert isinstance(first, AnnualReport) and isinstance(second, AnnualReport)
    assert isinstance(first.data, AnnualReportDataV1) and isinstance(second.data, AnnualReportDataV2)
    assert first.data.type_distribution.standalone == 12
    assert first.data.most_used_apps[0].name == "Web"
    assert first.data.percentiles.statuses == 12.5
    assert second.data.archetype == "booster" and second.data.time_series[0].followers == 7
    assert second.share_url.endswith("/2025/x")
    assert isinstance(result.accounts[0], Account) and result.accounts[0].acct == "bob"


def test_annual_report_of_one_year(server, api):
    server.route("GET", "/api/v1/annual_reports/2024", body={"annual_reports": [REPORT_V1], "accounts": [],
                                                            "statuses": []})
    result = api.annual_report(2024)
    assert_sent(server, "GET", "/api/v1/annual_reports/2024")
    assert result.annual_reports[0].year == 2024


def test_annual_report_state(server, api):
    server.route("GET", "/api/v1/annual_reports/2025/state", body={"state": "eligible"})
    result = api.annual_report_state(2025)
    assert_sent(server, "GET", "/api/v1/annual_reports/2025/state")
    assert isinstance(result, AnnualReportState) and result.state == "eligible"


def test_annual_report_generate_carries_the_async_refresh(server, api):
    server.route("POST", "/api/v1/annual_reports/2025/generate",
                 Response(202, b"", {"Mastodon-Async-Refresh": 'id="ar-2025", retry=5'}))
    result = api.annual_report_generate(REPORT_V2)  # a report names its year
    assert_sent(server, "POST", "/api/v1/annual_reports/2025/generate")
    assert isinstance(result, EmptyResponse) and result == {}
    assert (result._async_refresh.id, result._async_refresh.retry) == ("ar-2025", 5)


def test_annual_report_read_returns_none(server, api):
    server.route("POST", "/api/v1/annual_reports/2024/read", body={})
    assert api.annual_report_read(2024) is None
    assert_sent(server, "POST", "/api/v1/annual_reports/2024/read")


def call(api, name):
    return api.annual_reports() if name == "annual_reports" else getattr(api, name)(2024)


@pytest.mark.parametrize("version, allowed, refused", [
    ("4.3.0", ["annual_reports", "annual_report_read"], ["annual_report", "annual_report_state"]),
    ("4.4.0", ["annual_report"], ["annual_report_generate"]),
])
def test_annual_report_gates(server, make_api, version, allowed, refused):
    api = make_api(mastodon_version=version)
    for name in refused:
        with pytest.raises(MastodonVersionError):
            call(api, name)
    assert server.requests == []
    server.route("*", re.compile(r"/api/v1/annual_reports.*"), body={"annual_reports": []})
    for name in allowed:
        call(api, name)
    assert len(server.requests) == len(allowed)
