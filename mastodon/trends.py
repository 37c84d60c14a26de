"""Trends: hashtags, statuses and links that are popular on the server right now."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    NonPaginatableList, Optional, PaginatableList, PreviewCard, Status, Tag,
)
from ._binding import rebinding
from ._links import OffsetPaging
from ._validation import checked_offset
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_CARD, _DICT_VERSION_HASHTAG, _DICT_VERSION_STATUS, api_version


class Mastodon(Internals):
    @rebinding
    @api_version("3.5.0", "3.5.0", _DICT_VERSION_HASHTAG)
    def trending_tags(self, limit: Optional[int] = None, lang: Optional[str] = None,
                      offset: Optional[int] = None) -> PaginatableList[Tag]:
        """Hashtags trending on the server, most popular first (list of Tag, paged by offset).

        ``lang`` asks for the trends of that language instead of the client's language.
        Servers before 3.5.0 are asked at ``/api/v1/trends``. In dialect ``"2"`` the second
        positional argument is ``offset``, as in Mastodon.py 2.x; an offset that is not an int
        raises MastodonIllegalArgumentError before sending.
        """
        params = self.__generate_params(dict(limit=limit, offset=checked_offset(offset)))
        endpoint = "/api/v1/trends/tags" if self.__version_at_least("3.5.0") else "/api/v1/trends"
        return self.__api_request("GET", endpoint, params, lang_override=lang,
                                  offset_paging=OffsetPaging())

    @rebinding
    @api_version("3.5.0", "3.5.0", _DICT_VERSION_STATUS)
    def trending_statuses(self, limit: Optional[int] = None, lang: Optional[str] = None,
                          offset: Optional[int] = None) -> PaginatableList[Status]:
        """Statuses trending on the server, most popular first (list of Status, paged by offset).

        ``lang`` asks for the trends of that language instead of the client's language.
        """
        params = self.__generate_params(dict(limit=limit, offset=checked_offset(offset)))
        return self.__api_request("GET", "/api/v1/trends/statuses", params, lang_override=lang,
                                  offset_paging=OffsetPaging())

    @rebinding
    @api_version("3.5.0", "3.5.0", _DICT_VERSION_CARD)
    def trending_links(self, limit: Optional[int] = None, lang: Optional[str] = None,
                       offset: Optional[int] = None) -> PaginatableList[PreviewCard]:
        """Links trending on the server, most shared first (list of PreviewCard with history,
        paged by offset).

        ``lang`` asks for the trends of that language instead of the client's language.
        """
        params = self.__generate_params(dict(limit=limit, offset=checked_offset(offset)))
        return self.__api_request("GET", "/api/v1/trends/links", params, lang_override=lang,
                                  offset_paging=OffsetPaging())

    @api_version("2.4.3", "3.5.0", _DICT_VERSION_HASHTAG)
    def trends(self, limit: Optional[int] = None) -> NonPaginatableList[Tag]:
        """Trending hashtags (deprecated alias of :meth:`trending_tags`) (list of Tag)."""
        return self.trending_tags(limit=limit)
