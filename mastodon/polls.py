"""Polls: reading, voting, and building one to attach to a status."""

from __future__ import annotations

from .return_types import (  # noqa: F401 (used in annotations)
    Any, Dict, IdType, List, Poll, Union,
)
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_POLL, api_version


class Mastodon(Internals):
    @api_version("2.8.0", "2.8.0", _DICT_VERSION_POLL)
    def poll(self, id: Union[Poll, IdType]) -> Poll:
        """Fetch a poll by id (Poll)."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/polls/{id}")

    @api_version("2.8.0", "2.8.0", _DICT_VERSION_POLL)
    def poll_vote(self, id: Union[Poll, IdType], choices: Union[int, List[int]]) -> Poll:
        """Vote in a poll; ``choices`` is one option index or a list of them (for multiple-choice polls).

        Returns the updated Poll as the server answers it (Mastodon.py 1.8.1 returned None, which
        no caller can have used). Voting twice raises MastodonAPIError.
        """
        id = self.__unpack_id(id)
        if not isinstance(choices, list):
            choices = list(choices) if isinstance(choices, tuple) else [choices]
        params = self.__generate_params(dict(choices=choices))
        return self.__api_request("POST", f"/api/v1/polls/{id}/votes", params)

    def make_poll(self, options: List[str], expires_in: int, multiple: bool = False, hide_totals: bool = False
                  ) -> Dict[str, Any]:
        """A poll to pass as ``status_post(poll=...)``: ``options`` (list of str), ``expires_in``
        (seconds), ``multiple`` choices allowed, ``hide_totals`` until it ends. No request is made;
        returns a plain dict."""
        return {"options": options, "expires_in": expires_in, "multiple": multiple, "hide_totals": hide_totals}
