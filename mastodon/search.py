"""Search for accounts, statuses and hashtags."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    Account, IdType, Optional, Search, SearchV2, Union,
)
from .errors import MastodonVersionError
from ._links import OffsetPaging
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_SEARCHRESULT, api_version


class Mastodon(Internals):
    def __ensure_search_params_acceptable(self, account_id, offset, min_id, max_id):
        """Refuse the search filters added in Mastodon 2.8.0 on older servers (cached version)."""
        if any(value is not None for value in (account_id, offset, min_id, max_id)):
            if not self.__version_at_least("2.8.0"):
                raise MastodonVersionError(
                    "Advanced search parameters (account_id, offset, min_id, max_id) require Mastodon 2.8.0+")

    @api_version("1.1.0", "2.8.0", _DICT_VERSION_SEARCHRESULT)
    def search(self, q: str, resolve: bool = True, result_type: Optional[str] = None,
               account_id: Optional[Union[Account, IdType]] = None, offset: Optional[int] = None,
               min_id: Optional[IdType] = None, max_id: Optional[IdType] = None,
               exclude_unreviewed: bool = True, limit: Optional[int] = None) -> Union[Search, SearchV2]:
        """Search accounts, statuses and hashtags (Search / SearchV2 dict with ``accounts``,
        ``statuses`` and ``hashtags``).

        Uses :meth:`search_v2` on servers from 2.4.1 on (by the cached version) and
        :meth:`search_v1` before; there the filters of 2.8.0 raise MastodonVersionError and
        ``result_type``, ``exclude_unreviewed`` and ``limit`` are not sent.
        """
        if self.__version_at_least("2.4.1"):
            return self.search_v2(q, resolve=resolve, result_type=result_type, account_id=account_id,
                                  offset=offset, min_id=min_id, max_id=max_id,
                                  exclude_unreviewed=exclude_unreviewed, limit=limit)
        self.__ensure_search_params_acceptable(account_id, offset, min_id, max_id)
        return self.search_v1(q, resolve=resolve)

    @api_version("1.1.0", "2.1.0", "2.1.0")
    def search_v1(self, q: str, resolve: bool = False) -> Search:
        """Search with the v1 endpoint (removed in Mastodon 3.0) (Search, hashtags as strings)."""
        params = self.__generate_params(dict(q=q, resolve=resolve), omit_false=("resolve",))
        return self.__api_request("GET", "/api/v1/search", params)

    @api_version("2.4.1", "2.8.0", _DICT_VERSION_SEARCHRESULT)
    def search_v2(self, q: str, resolve: bool = True, result_type: Optional[str] = None,
                  account_id: Optional[Union[Account, IdType]] = None, offset: Optional[int] = None,
                  min_id: Optional[IdType] = None, max_id: Optional[IdType] = None,
                  exclude_unreviewed: bool = True, limit: Optional[int] = None) -> SearchV2:
        """Search with the v2 endpoint (SearchV2: ``accounts``, ``statuses``, ``hashtags``).

        ``resolve`` looks remote accounts and statuses up by URL / webfinger; ``result_type`` is
        ``'accounts'``, ``'hashtags'`` or ``'statuses'``; ``account_id`` limits statuses to one
        author; ``offset``, ``min_id``, ``max_id`` and ``limit`` page through the results (with a
        ``result_type``, :meth:`fetch_next` on the result asks for the next ``offset``)
        (Mastodon 2.8.0+, else MastodonVersionError); ``exclude_unreviewed`` hides hashtags the
        staff has not reviewed (Mastodon 3.0.0+, not sent to older servers).
        """
        # 1.8.1 sends any result_type; 2.3.3 refuses all but the three kinds before sending.
        self.__dialect.check_search_result_type(result_type)
        self.__ensure_search_params_acceptable(account_id, offset, min_id, max_id)
        unreviewed = exclude_unreviewed if self.__version_at_least("3.0.0") else None
        params = self.__generate_params(dict(
            q=q, resolve=resolve, account_id=self.__unpack_id(account_id), offset=offset,
            min_id=min_id, max_id=max_id, exclude_unreviewed=unreviewed, limit=limit,
            type=result_type), omit_false=("resolve", "exclude_unreviewed"))
        # One kind of result pages by offset on its list (``fetch_next`` works on the SearchV2).
        paging = OffsetPaging(result_type) if isinstance(result_type, str) else None
        return self.__api_request("GET", "/api/v2/search", params, offset_paging=paging)
