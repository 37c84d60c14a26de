"""Relationships seen from the logged-in user: mutes, blocks, domain blocks, follow requests."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    Account, IdType, Optional, PaginatableList, Relationship, Union,
)
from ._binding import rebinding
from .errors import MastodonIllegalArgumentError
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_ACCOUNT, _DICT_VERSION_RELATIONSHIP, api_version


class Mastodon(Internals):
    @api_version("1.1.0", "2.6.0", _DICT_VERSION_ACCOUNT)
    def mutes(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
              since_id: Optional[IdType] = None, limit: Optional[int] = None) -> PaginatableList[Account]:
        """Accounts the logged-in user has muted (paginated list of Account)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/mutes", params)

    @api_version("1.0.0", "2.6.0", _DICT_VERSION_ACCOUNT)
    def blocks(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
               since_id: Optional[IdType] = None, limit: Optional[int] = None) -> PaginatableList[Account]:
        """Accounts the logged-in user has blocked (paginated list of Account)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/blocks", params)

    @api_version("1.4.0", "2.6.0", "1.4.0")
    def domain_blocks(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                      since_id: Optional[IdType] = None, limit: Optional[int] = None) -> PaginatableList[str]:
        """Domains the logged-in user has blocked (paginated list of str).

        Pages are keyed by ids that only appear in the Link header; use :meth:`fetch_next`.
        """
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/domain_blocks", params)

    @rebinding
    @api_version("1.4.0", "1.4.0", "1.4.0")
    def domain_block(self, domain: Optional[str] = None) -> None:
        """Hide everything from ``domain`` (e.g. ``'example.com'``) from the logged-in user.

        A missing domain raises MastodonIllegalArgumentError before anything is sent (in dialect
        ``"2"`` the TypeError of Mastodon.py 2.x, where ``domain`` is required).
        """
        params = self.__generate_params(dict(domain=_checked_domain(domain)))
        self.__api_request("POST", "/api/v1/domain_blocks", params)

    @rebinding
    @api_version("1.4.0", "1.4.0", "1.4.0")
    def domain_unblock(self, domain: Optional[str] = None) -> None:
        """Undo a domain block.

        A missing domain raises MastodonIllegalArgumentError before anything is sent.
        """
        params = self.__generate_params(dict(domain=_checked_domain(domain)))
        self.__api_request("DELETE", "/api/v1/domain_blocks", params)

    @api_version("1.0.0", "2.6.0", _DICT_VERSION_ACCOUNT)
    def follow_requests(self, max_id: Optional[IdType] = None, min_id: Optional[IdType] = None,
                        since_id: Optional[IdType] = None, limit: Optional[int] = None
                        ) -> PaginatableList[Account]:
        """Accounts asking to follow the logged-in user (paginated list of Account)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/follow_requests", params)

    @api_version("1.0.0", "3.0.0", _DICT_VERSION_RELATIONSHIP)
    def follow_request_authorize(self, id: Union[Account, IdType]) -> Relationship:
        """Accept a follow request from an account; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/follow_requests/{id}/authorize")

    @api_version("1.0.0", "3.0.0", _DICT_VERSION_RELATIONSHIP)
    def follow_request_reject(self, id: Union[Account, IdType]) -> Relationship:
        """Reject a follow request from an account; returns the new Relationship."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/follow_requests/{id}/reject")


def _checked_domain(domain):
    if not isinstance(domain, str) or not domain:
        raise MastodonIllegalArgumentError(f"A domain name is required, got {domain!r}")
    return domain
