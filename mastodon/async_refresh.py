"""Server-side background refreshes (``Mastodon-Async-Refresh``, Mastodon 4.4+).

Some answers (for instance the replies of a remote status) are filled in by the server after
it answered. It then sends a ``Mastodon-Async-Refresh`` header, which the request core stores
on the result as ``_async_refresh``; these methods read and wait for it.
"""

from __future__ import annotations

import time

from .return_types import (  # noqa: F401 (used in annotations)
    Any, IdType, Optional, Tuple, Union,
)
from .errors import MastodonIllegalArgumentError
from .internals import Mastodon as Internals
from .types_base import AsyncRefresh, AttribAccessDict, AttribAccessList
from .versions import api_version

_MAX_RETRY_SLEEP = 300


class Mastodon(Internals):
    def get_async_refresh_info(self, result: AttribAccessDict) -> Optional[Tuple[AsyncRefresh, int]]:
        """``(AsyncRefresh, retry_seconds)`` for a result that is still being refreshed, else None."""
        info = getattr(result, "_async_refresh", None)
        if info is None:
            return None
        refresh = AsyncRefresh(id=info.get("id"), status="running", result_count=info.get("result_count"))
        return refresh, info.get("retry", 3)

    @api_version("4.4.0", "4.4.0")
    def get_async_refresh_status(self, result_or_id: Union[IdType, AsyncRefresh, AttribAccessDict]
                                 ) -> AsyncRefresh:
        """The current state of a background refresh (AsyncRefresh).

        ``result_or_id`` is the refresh id, an AsyncRefresh, or a result carrying refresh info.
        """
        if isinstance(result_or_id, (str, int)) and not isinstance(result_or_id, bool):
            refresh_id = result_or_id
        elif isinstance(result_or_id, AsyncRefresh) and "id" in result_or_id:
            refresh_id = result_or_id["id"]
        elif (carried := getattr(result_or_id, "_async_refresh", None)) is not None:
            refresh_id = carried.get("id")
        else:
            raise MastodonIllegalArgumentError("Need an async refresh id, an AsyncRefresh or a result carrying one.")
        answer = self.__api_request("GET", f"/api/v1_alpha/async_refreshes/{refresh_id}")
        return AsyncRefresh(answer.get("async_refresh", answer))

    @api_version("4.4.0", "4.4.0")
    def await_async_refresh(self, result: Union[AttribAccessDict, AttribAccessList[Any]], timeout: float = 0.0,
                            max_attempts: int = -1) -> Optional[Union[AttribAccessDict, AttribAccessList[Any]]]:
        """Wait until the server finished refreshing ``result``, then fetch it again.

        Returns the fresh result, ``result`` itself when nothing is being refreshed, or None when
        ``timeout`` seconds (0: no limit) or ``max_attempts`` polls (-1: no limit) ran out.
        """
        if not isinstance(result, (AttribAccessDict, AttribAccessList)):
            raise MastodonIllegalArgumentError("await_async_refresh needs a result returned by this library.")
        info = getattr(result, "_async_refresh", None)
        if info is None:
            return result
        request = getattr(info, "_request", None)
        if request is None or info.get("id") is None:
            raise MastodonIllegalArgumentError("The result's refresh info does not say how to fetch it again.")
        if info.get("status") == "finished":
            return result
        retry = info.get("retry")
        if retry.__class__ is not int or retry <= 0:
            retry = 3  # what Mastodon suggests; the header may carry anything
        deadline = time.monotonic() + timeout if timeout else None
        attempts = 0
        while max_attempts < 0 or attempts < max_attempts:
            status = self.get_async_refresh_status(info["id"])
            attempts += 1
            if status.get("status") == "finished":
                method, endpoint, params = request
                return self.__api_request(method, endpoint, params)
            if 0 <= max_attempts <= attempts:
                break
            sleep: float = min(retry, _MAX_RETRY_SLEEP)
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                sleep = min(sleep, remaining)
            time.sleep(sleep)
        return None
