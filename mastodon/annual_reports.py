"""Annual reports ("Wrapstodon"): the yearly summary of an account's activity."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    AnnualReport, AnnualReportState, Union, WrappedAnnualReports,
)
from .internals import Mastodon as Internals
from .types_base import EmptyResponse
from .versions import api_version


class Mastodon(Internals):
    @api_version("4.3.0", "4.3.0", "4.3.0")
    def annual_reports(self) -> WrappedAnnualReports:
        """The logged-in user's annual reports not yet marked as read (WrappedAnnualReports:
        ``annual_reports`` with the ``accounts`` and ``statuses`` they refer to)."""
        return self.__api_request("GET", "/api/v1/annual_reports")

    @api_version("4.4.0", "4.4.0", "4.3.0")
    def annual_report(self, year: Union[int, AnnualReport]) -> WrappedAnnualReports:
        """The annual report of one year (WrappedAnnualReports)."""
        year = self.__unpack_id(year, field="year")
        return self.__api_request("GET", f"/api/v1/annual_reports/{year}")

    @api_version("4.6.0", "4.6.0", "4.6.0")
    def annual_report_state(self, year: Union[int, AnnualReport]) -> AnnualReportState:
        """Whether the report of a year can be had (AnnualReportState: ``state`` is ``available``,
        ``generating``, ``eligible`` or ``ineligible``)."""
        year = self.__unpack_id(year, field="year")
        return self.__api_request("GET", f"/api/v1/annual_reports/{year}/state")

    @api_version("4.6.0", "4.6.0")
    def annual_report_generate(self, year: Union[int, AnnualReport]) -> EmptyResponse:
        """Ask the server to build the report of a year (EmptyResponse). The work happens in the
        background: poll :meth:`annual_report_state` (when the server announces the work with a
        ``Mastodon-Async-Refresh`` header, the result's ``_async_refresh`` names it for
        :meth:`get_async_refresh_status`)."""
        year = self.__unpack_id(year, field="year")
        return self.__api_request("POST", f"/api/v1/annual_reports/{year}/generate", allow_empty=True)

    @api_version("4.3.0", "4.3.0")
    def annual_report_read(self, year: Union[int, AnnualReport]) -> None:
        """Mark the report of a year as read, so that :meth:`annual_reports` leaves it out. Returns None."""
        year = self.__unpack_id(year, field="year")
        self.__api_request("POST", f"/api/v1/annual_reports/{year}/read")
