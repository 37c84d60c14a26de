"""Endorsements: the accounts the logged-in user features on their profile."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    Account, NonPaginatableList,
)
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_ACCOUNT, api_version


class Mastodon(Internals):
    @api_version("2.5.0", "2.5.0", _DICT_VERSION_ACCOUNT)
    def endorsements(self) -> NonPaginatableList[Account]:
        """The accounts the logged-in user endorses (features) on their profile (list of Account)."""
        return self.__api_request("GET", "/api/v1/endorsements")
