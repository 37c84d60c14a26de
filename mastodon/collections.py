"""Collections: curated, shareable lists of accounts (Mastodon 4.6)."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    Account, Collection, CollectionItem, Collections, CollectionWithAccounts, IdType, List, Optional, Union,
    WrappedCollection, WrappedCollectionItem,
)
from ._links import OffsetPaging
from .internals import Mastodon as Internals
from .types_base import EmptyResponse
from .versions import api_version


class Mastodon(Internals):
    # -----------------------------------------------------------------------------------------
    # Reading collections

    @api_version("4.6.0", "4.6.0", "4.6.0")
    def collection(self, id: Union[Collection, IdType]) -> CollectionWithAccounts:
        """One collection with the accounts in it (CollectionWithAccounts: ``collection``, ``accounts``)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/collections/{id}")

    @api_version("4.6.0", "4.6.0", "4.6.0")
    def account_collections(self, id: Union[Account, IdType], limit: Optional[int] = None,
                            offset: Optional[int] = None) -> Collections:
        """The collections an account made (Collections: the list under ``collections``).

        The result pages by offset: pass it to :meth:`fetch_next` for the following page.
        """
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(limit=limit, offset=offset))
        return self.__api_request("GET", f"/api/v1/accounts/{id}/collections", params,
                                  offset_paging=OffsetPaging("collections"))

    @api_version("4.6.0", "4.6.0", "4.6.0")
    def account_in_collections(self, id: Optional[Union[Account, IdType]], limit: Optional[int] = None,
                               offset: Optional[int] = None) -> Collections:
        """The collections an account is featured in (Collections, paged by offset like
        :meth:`account_collections`). ``id`` None means the logged-in account, which is looked
        up first (one more request)."""
        if id is None:
            # As Mastodon.py 2.3 does: ask for the logged-in account on every such call.
            id = self.__api_request("GET", "/api/v1/accounts/verify_credentials")
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(limit=limit, offset=offset))
        return self.__api_request("GET", f"/api/v1/accounts/{id}/in_collections", params,
                                  offset_paging=OffsetPaging("collections"))

    # -----------------------------------------------------------------------------------------
    # Own collections

    @api_version("4.6.0", "4.6.0", "4.6.0")
    def collection_create(self, name: str, description: Optional[str] = None, language: Optional[str] = None,
                          tag_name: Optional[str] = None, sensitive: bool = False, discoverable: bool = False,
                          account_ids: Optional[List[Union[Account, IdType]]] = None) -> WrappedCollection:
        """Create a collection, optionally with its first accounts; returns it (WrappedCollection:
        ``collection``).

        ``tag_name`` files it under a hashtag; ``sensitive`` and ``discoverable`` are always sent.
        """
        account_ids = self.__unpack_id(account_ids, listify=True)
        params = self.__generate_params(dict(
            name=name, description=description, language=language, tag_name=tag_name, sensitive=sensitive,
            discoverable=discoverable, account_ids=account_ids))
        return self.__api_request("POST", "/api/v1/collections", params)

    @api_version("4.6.0", "4.6.0", "4.6.0")
    def collection_update(self, id: Union[Collection, IdType], name: Optional[str] = None,
                          description: Optional[str] = None, language: Optional[str] = None,
                          tag_name: Optional[str] = None, sensitive: Optional[bool] = None,
                          discoverable: Optional[bool] = None) -> WrappedCollection:
        """Change a collection; only the given fields are sent. Returns it (WrappedCollection)."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(
            name=name, description=description, language=language, tag_name=tag_name, sensitive=sensitive,
            discoverable=discoverable))
        return self.__api_request("PATCH", f"/api/v1/collections/{id}", params)

    @api_version("4.6.0", "4.6.0")
    def collection_delete(self, id: Union[Collection, IdType]) -> EmptyResponse:
        """Delete a collection (EmptyResponse)."""
        id = self.__unpack_id(id)
        return self.__api_request("DELETE", f"/api/v1/collections/{id}", allow_empty=True)

    # -----------------------------------------------------------------------------------------
    # Items

    @api_version("4.6.0", "4.6.0", "4.6.0")
    def collection_item_add(self, id: Union[Collection, IdType], account_id: Union[Account, IdType]
                            ) -> WrappedCollectionItem:
        """Add an account to a collection; returns the new item (WrappedCollectionItem:
        ``collection_item``, whose ``state`` says whether the account still has to agree)."""
        id = self.__unpack_id(id)
        params = self.__generate_params(dict(account_id=self.__unpack_id(account_id)))
        return self.__api_request("POST", f"/api/v1/collections/{id}/items", params)

    @api_version("4.6.0", "4.6.0")
    def collection_item_delete(self, collection_id: Union[Collection, IdType],
                               item_id: Union[CollectionItem, IdType]) -> EmptyResponse:
        """Remove an item from one of the own collections (EmptyResponse)."""
        collection_id = self.__unpack_id(collection_id)
        item_id = self.__unpack_id(item_id)
        return self.__api_request("DELETE", f"/api/v1/collections/{collection_id}/items/{item_id}",
                                  allow_empty=True)

    @api_version("4.6.0", "4.6.0")
    def collection_item_revoke(self, collection_id: Union[Collection, IdType],
                               item_id: Union[CollectionItem, IdType]) -> EmptyResponse:
        """Take the logged-in account out of someone else's collection (EmptyResponse)."""
        collection_id = self.__unpack_id(collection_id)
        item_id = self.__unpack_id(item_id)
        return self.__api_request("POST", f"/api/v1/collections/{collection_id}/items/{item_id}/revoke",
                                  allow_empty=True)
