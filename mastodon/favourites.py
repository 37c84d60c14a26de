"""Your favourites and bookmarks."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    IdType, Optional, PaginatableList, Status,
)
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_STATUS, api_version


class Mastodon(Internals):
    @api_version("1.0.0", "2.6.0", _DICT_VERSION_STATUS)
    def favourites(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                   since_id: Optional[IdType] = None, limit: Optional[int] = None) -> PaginatableList[Status]:
        """The statuses you favourited, most recently favourited first (paginated list of Status)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/favourites", params)

    @api_version("3.1.0", "3.1.0", _DICT_VERSION_STATUS)
    def bookmarks(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                  since_id: Optional[IdType] = None, limit: Optional[int] = None) -> PaginatableList[Status]:
        """The statuses you bookmarked, most recently bookmarked first (paginated list of Status)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/bookmarks", params)
