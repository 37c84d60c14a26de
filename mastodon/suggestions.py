"""Follow suggestions."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    Account, IdType, NonPaginatableList, Suggestion, Union,
)
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_ACCOUNT, api_version


class Mastodon(Internals):
    @api_version("2.4.3", "2.4.3", _DICT_VERSION_ACCOUNT)
    def suggestions(self) -> Union[NonPaginatableList[Suggestion], NonPaginatableList[Account]]:
        """Accounts the server suggests following (list of Account), from ``/api/v1/suggestions``
        as in Mastodon.py 1.8.1; in dialect ``"2"`` the accounts of ``/api/v2/suggestions`` on
        servers from 3.4.0 on. :meth:`suggestions_v2` also says why each one is suggested."""
        return self.__dialect.suggestions(self)

    def __suggestions_v1_answer(self):
        return self.__api_request("GET", "/api/v1/suggestions")

    def __suggested_accounts(self):
        """Dialect "2" (rows V10, T5): the ``account`` of each v2 suggestion, where the server has them."""
        if self.__version_at_least("3.4.0"):
            answer = self.__api_request("GET", "/api/v2/suggestions")
            return [item["account"] for item in answer if isinstance(item, dict) and "account" in item]
        return self.__suggestions_v1_answer()

    @api_version("2.4.3", "2.4.3")
    def suggestions_v1(self) -> NonPaginatableList[Account]:
        """Accounts the server suggests following (list of Account)."""
        return self.__api_request("GET", "/api/v1/suggestions")

    @api_version("3.4.0", "3.4.0")
    def suggestions_v2(self) -> NonPaginatableList[Suggestion]:
        """Follow suggestions with their reasons (list of Suggestion: ``source``/``sources`` and ``account``)."""
        return self.__api_request("GET", "/api/v2/suggestions")

    @api_version("2.4.3", "2.4.3", _DICT_VERSION_ACCOUNT)
    def suggestion_delete(self, account_id: Union[Account, IdType]) -> None:
        """Stop suggesting the given account."""
        account_id = self.__unpack_id(account_id)
        self.__api_request("DELETE", f"/api/v1/suggestions/{account_id}")
