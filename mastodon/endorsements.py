"""Endorsements: the accounts the logged-in user features on their profile."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    Account, IdType, NonPaginatableList, Optional, PaginatableList, Union,
)
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_ACCOUNT, api_version


class Mastodon(Internals):
    @api_version("2.5.0", "2.5.0", _DICT_VERSION_ACCOUNT)
    def endorsements(self) -> NonPaginatableList[Account]:
        """The accounts the logged-in user endorses (features) on their profile (list of Account)."""
        return self.__api_request("GET", "/api/v1/endorsements")

    @api_version("4.4.0", "4.4.0", _DICT_VERSION_ACCOUNT)
    def account_endorsements(self, id: Union[Account, IdType], max_id: Optional[Union[Account, IdType]] = None,
                             since_id: Optional[Union[Account, IdType]] = None, limit: Optional[int] = None
                             ) -> PaginatableList[Account]:
        """The accounts an account features on its profile (paginated list of Account)."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(max_id=max_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", f"/api/v1/accounts/{id}/endorsements", params)
