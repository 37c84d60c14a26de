"""Reporting accounts and statuses to the server's moderators."""

from __future__ import annotations

from typing import Sequence

from .return_types import (  # noqa: F401 (used in annotations)
    Account, Collection, IdType, List, NonPaginatableList, Optional, Report, Rule, Status, Union,
)
from .errors import MastodonIllegalArgumentError, MastodonVersionError
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_REPORT, api_version

_REPORT_CATEGORIES = ("spam", "violation", "legal", "other")


class Mastodon(Internals):
    @api_version("1.1.0", "1.1.0", _DICT_VERSION_REPORT)
    def reports(self) -> NonPaginatableList[Report]:
        """The reports the logged-in user filed (list of Report).

        The endpoint was removed in Mastodon 2.5.0; on such servers (by the cached version)
        MastodonVersionError is raised and nothing is sent.
        """
        if self.__version_at_least("2.5.0"):
            raise MastodonVersionError("API removed in Mastodon 2.5.0")
        return self.__api_request("GET", "/api/v1/reports")

    @api_version("1.1.0", "3.5.0", _DICT_VERSION_REPORT)
    def report(self, account_id: Union[Account, IdType], status_ids: Optional[Union[Status, IdType]] = None,
               comment: Optional[str] = None, forward: bool = False, category: Optional[str] = None,
               rule_ids: Optional[Sequence[Union[Rule, IdType]]] = None,
               forward_to_domains: Optional[List[str]] = None,
               collection_ids: Optional[List[Union[Collection, IdType]]] = None) -> Report:
        """Report an account (and optionally some of its statuses) to the moderators; returns the Report.

        ``forward`` also sends the report to the account's server (or only to the domains in
        ``forward_to_domains``); ``category`` is ``'spam'``, ``'violation'`` (then give the
        broken ``rule_ids``), ``'legal'`` or ``'other'``. ``collection_ids`` names collections of
        the account that are part of the problem (Mastodon 4.6). An unknown category raises
        MastodonIllegalArgumentError before anything is sent.
        """
        if category is not None and category not in _REPORT_CATEGORIES:
            raise MastodonIllegalArgumentError(
                f"Invalid report category {category!r} (must be one of {', '.join(_REPORT_CATEGORIES)})")
        account_id = self.__unpack_id(account_id)
        status_ids = self.__unpack_id(status_ids, listify=True)
        rule_ids = self.__unpack_id(rule_ids, listify=True)
        collection_ids = self.__unpack_id(collection_ids, listify=True)
        if isinstance(forward_to_domains, str):
            forward_to_domains = [forward_to_domains]
        params = self.__generate_params(dict(
            account_id=account_id, status_ids=status_ids, comment=comment, forward=forward,
            category=category, rule_ids=rule_ids, forward_to_domains=forward_to_domains,
            collection_ids=collection_ids), omit_false=("forward",))
        return self.__api_request("POST", "/api/v1/reports/", params)
