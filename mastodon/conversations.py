"""Direct conversations."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    Conversation, IdType, Optional, PaginatableList, Union,
)
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_CONVERSATION, api_version


class Mastodon(Internals):
    @api_version("2.6.0", "2.6.0", _DICT_VERSION_CONVERSATION)
    def conversations(self, max_id: Optional[Union[Conversation, IdType]] = None,
                      min_id: Optional[Union[Conversation, IdType]] = None,
                      since_id: Optional[Union[Conversation, IdType]] = None, limit: Optional[int] = None
                      ) -> PaginatableList[Conversation]:
        """Your direct conversations, most recent first (paginated list of Conversation)."""
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit))
        return self.__api_request("GET", "/api/v1/conversations/", params)

    @api_version("2.6.0", "2.6.0", _DICT_VERSION_CONVERSATION)
    def conversations_read(self, id: Union[Conversation, IdType]) -> Conversation:
        """Mark a conversation as read. Returns the Conversation."""
        id = self.__unpack_id(id)
        return self.__api_request("POST", f"/api/v1/conversations/{id}/read")

    @api_version("2.6.0", "2.6.0")
    def conversations_delete(self, id: Union[Conversation, IdType]) -> None:
        """Remove a conversation from the list (its statuses stay). Returns None."""
        id = self.__unpack_id(id)
        self.__api_request("DELETE", f"/api/v1/conversations/{id}", allow_empty=True)
