"""Lists: named groups of followed accounts, each with its own timeline."""

from __future__ import annotations

from typing import Sequence, cast

from .return_types import (  # noqa: F401 (used in annotations)
    Account, IdType, List, NonPaginatableList, Optional, PaginatableList, Union, UserList,
)
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_ACCOUNT, _DICT_VERSION_LIST, api_version


class _DefaultStr(str):
    """A default that reads as the plain string but tells "not given" apart from an explicit value."""


class _DefaultFalse(int):
    """A False default that tells "not given" apart from an explicit ``False``."""

    def __bool__(self):
        return False

    def __repr__(self):
        return "False"


# Mastodon.py 1.8.1 sent only the title; in dialect "1.8" the 2.x options go out only when the
# caller gives them, so an old-style call neither changes nor resets them. Dialect "2" sends
# 2.3.3's defaults for them (the dialect's list_option_defaults).
_REPLIES_POLICY_DEFAULT = _DefaultStr("list")
# Declared a bool for the signatures: it is one in every use (bool itself cannot be subclassed).
_EXCLUSIVE_DEFAULT = cast(bool, _DefaultFalse(0))


def _given(value, name, defaults):
    """An option as given, or, left out, what ``defaults`` (the dialect's) sends for it."""
    if value is _REPLIES_POLICY_DEFAULT or value is _EXCLUSIVE_DEFAULT:
        return defaults.get(name)
    return value


class Mastodon(Internals):
    @api_version("2.1.0", "2.1.0", _DICT_VERSION_LIST)
    def lists(self) -> NonPaginatableList[UserList]:
        """The logged-in user's lists (list of UserList)."""
        return self.__api_request("GET", "/api/v1/lists")

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_LIST)
    def list(self, id: Union[UserList, IdType]) -> UserList:
        """One of the logged-in user's lists (UserList)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/lists/{id}")

    @api_version("2.1.0", "2.6.0", _DICT_VERSION_ACCOUNT)
    def list_accounts(self, id: Union[UserList, IdType], max_id: Optional[Union[UserList, IdType]] = None,
                      min_id: Optional[Union[UserList, IdType]] = None,
                      since_id: Optional[Union[UserList, IdType]] = None, limit: Optional[int] = None
                      ) -> PaginatableList[Account]:
        """The accounts in a list (paginated list of Account)."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", f"/api/v1/lists/{id}/accounts", params)

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_LIST)
    def list_create(self, title: str, replies_policy: str = _REPLIES_POLICY_DEFAULT,
                    exclusive: bool = _EXCLUSIVE_DEFAULT) -> UserList:
        """Create a list; returns the new UserList.

        ``replies_policy`` (``'list'``, ``'followed'`` or ``'none'``) decides which replies show in
        the list's timeline; ``exclusive`` hides the list's members from the home timeline. Both
        are sent only when given (the server's defaults are the same); dialect ``"2"`` always
        sends them, ``list`` and False by default, as Mastodon.py 2.3.3 does.
        """
        defaults = self.__dialect.list_option_defaults
        params = self.__generate_params(dict(title=title,
                                             replies_policy=_given(replies_policy, "replies_policy", defaults),
                                             exclusive=_given(exclusive, "exclusive", defaults)))
        return self.__api_request("POST", "/api/v1/lists", params)

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_LIST)
    def list_update(self, id: Union[UserList, IdType], title: str,
                    replies_policy: str = _REPLIES_POLICY_DEFAULT, exclusive: bool = _EXCLUSIVE_DEFAULT
                    ) -> UserList:
        """Rename a list and change its options; returns the updated UserList.

        ``replies_policy`` and ``exclusive`` are sent only when given, so leaving them out keeps
        their current values (dialect ``"2"``, as Mastodon.py 2.3.3, sends ``list`` and False
        then, resetting them).
        """
        id = self.__unpack_id(id)
        defaults = self.__dialect.list_option_defaults
        params = self.__generate_params(dict(title=title,
                                             replies_policy=_given(replies_policy, "replies_policy", defaults),
                                             exclusive=_given(exclusive, "exclusive", defaults)))
        return self.__api_request("PUT", f"/api/v1/lists/{id}", params)

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_LIST)
    def list_delete(self, id: Union[UserList, IdType]) -> None:
        """Delete a list."""
        id = self.__unpack_id(id)
        self.__api_request("DELETE", f"/api/v1/lists/{id}")

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_LIST)
    def list_accounts_add(self, id: Union[UserList, IdType],
                          account_ids: Union[Account, IdType, Sequence[Union[Account, IdType]]]) -> None:
        """Add one account or a list of accounts (which the user must follow) to a list."""
        id = self.__unpack_id(id)
        account_ids = self.__unpack_id(account_ids, listify=True)
        params = self.__generate_params(dict(account_ids=account_ids))
        self.__api_request("POST", f"/api/v1/lists/{id}/accounts", params)

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_LIST)
    def list_accounts_delete(self, id: Union[UserList, IdType],
                             account_ids: Union[Account, IdType, Sequence[Union[Account, IdType]]]) -> None:
        """Remove one account or a list of accounts from a list."""
        id = self.__unpack_id(id)
        account_ids = self.__unpack_id(account_ids, listify=True)
        params = self.__generate_params(dict(account_ids=account_ids))
        self.__api_request("DELETE", f"/api/v1/lists/{id}/accounts", params)
