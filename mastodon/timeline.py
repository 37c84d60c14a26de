"""Timelines: home, local, public (federated), hashtag, list and link feeds."""

from __future__ import annotations

from urllib.parse import quote

from .return_types import (  # noqa: F401 (used in annotations)
    DateTime, IdType, Optional, PaginatableList, Status, Union, UserList,
)
from . import _callsite
from .errors import MastodonAPIError, MastodonIllegalArgumentError, MastodonWarning
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_STATUS, api_version


# What the warning of an unavailable feed calls each kind (row X6).
_FEED_NAMES = {"public": "public timeline", "hashtag": "hashtag timeline", "trending_links": "link timeline"}


class Mastodon(Internals):
    @api_version("1.0.0", "3.1.4", _DICT_VERSION_STATUS)
    def timeline(self, timeline: str = "home", max_id: Optional[Union[Status, IdType, DateTime]] = None,
                 min_id: Optional[Union[Status, IdType, DateTime]] = None,
                 since_id: Optional[Union[Status, IdType, DateTime]] = None, limit: Optional[int] = None,
                 only_media: bool = False, local: bool = False, remote: bool = False
                 ) -> PaginatableList[Status]:
        """A page of statuses from a timeline (paginated list of Status), newest first.

        ``timeline`` is ``home``, ``local``, ``public``, ``tag/<hashtag>``, ``list/<id>`` or
        ``link?url=<url>``. ``only_media``, ``local`` and ``remote`` filter the public timelines.
        ``max_id``/``min_id``/``since_id`` accept ids, statuses or datetimes.
        """
        params = self.__generate_params(dict(max_id=max_id, min_id=min_id, since_id=since_id, limit=limit,
                                             only_media=only_media, local=local,
                                             remote=remote), omit_false=("only_media", "local", "remote"))
        if timeline == "local":
            timeline = "public"
            params["local"] = "1"
        return self.__api_request("GET", f"/api/v1/timelines/{timeline}", params)

    @api_version("1.0.0", "3.1.4", _DICT_VERSION_STATUS)
    def timeline_home(self, max_id: Optional[Union[Status, IdType, DateTime]] = None,
                      min_id: Optional[Union[Status, IdType, DateTime]] = None,
                      since_id: Optional[Union[Status, IdType, DateTime]] = None, limit: Optional[int] = None,
                      only_media: bool = False, local: bool = False, remote: bool = False
                      ) -> PaginatableList[Status]:
        """A page of your home timeline (paginated list of Status)."""
        return self.timeline("home", max_id=max_id, min_id=min_id, since_id=since_id, limit=limit,
                             only_media=only_media, local=local, remote=remote)

    @api_version("1.0.0", "3.1.4", _DICT_VERSION_STATUS)
    def timeline_local(self, max_id: Optional[Union[Status, IdType, DateTime]] = None,
                       min_id: Optional[Union[Status, IdType, DateTime]] = None,
                       since_id: Optional[Union[Status, IdType, DateTime]] = None,
                       limit: Optional[int] = None, only_media: bool = False) -> PaginatableList[Status]:
        """A page of the local timeline: public statuses of this server (paginated list of Status)."""
        self.__dialect.feed_check(self, "public", True, False)
        return self.timeline("local", max_id=max_id, min_id=min_id, since_id=since_id, limit=limit,
                             only_media=only_media)

    @api_version("1.0.0", "3.1.4", _DICT_VERSION_STATUS)
    def timeline_public(self, max_id: Optional[Union[Status, IdType, DateTime]] = None,
                        min_id: Optional[Union[Status, IdType, DateTime]] = None,
                        since_id: Optional[Union[Status, IdType, DateTime]] = None,
                        limit: Optional[int] = None, only_media: bool = False, local: bool = False,
                        remote: bool = False) -> PaginatableList[Status]:
        """A page of the federated timeline (paginated list of Status); ``local`` / ``remote`` narrow it."""
        self.__dialect.feed_check(self, "public", local, remote)
        return self.timeline("public", max_id=max_id, min_id=min_id, since_id=since_id, limit=limit,
                             only_media=only_media, local=local, remote=remote)

    @api_version("1.0.0", "3.1.4", _DICT_VERSION_STATUS)
    def timeline_hashtag(self, hashtag: str, local: bool = False,
                         max_id: Optional[Union[Status, IdType, DateTime]] = None,
                         min_id: Optional[Union[Status, IdType, DateTime]] = None,
                         since_id: Optional[Union[Status, IdType, DateTime]] = None,
                         limit: Optional[int] = None, only_media: bool = False, remote: bool = False
                         ) -> PaginatableList[Status]:
        """A page of public statuses with a hashtag, given without the ``#`` (paginated list of Status).

        A leading ``#`` raises MastodonIllegalArgumentError before anything is sent.
        """
        if not isinstance(hashtag, str):
            raise MastodonIllegalArgumentError("hashtag must be a string")
        if hashtag.startswith("#"):
            raise MastodonIllegalArgumentError("Hashtag parameter should omit leading #")
        self.__dialect.feed_check(self, "hashtag", local, remote)
        return self.timeline(f"tag/{hashtag}", max_id=max_id, min_id=min_id, since_id=since_id, limit=limit,
                             only_media=only_media, local=local, remote=remote)

    @api_version("2.1.0", "3.1.4", _DICT_VERSION_STATUS)
    def timeline_list(self, id: Union[UserList, IdType],
                      max_id: Optional[Union[Status, IdType, DateTime]] = None,
                      min_id: Optional[Union[Status, IdType, DateTime]] = None,
                      since_id: Optional[Union[Status, IdType, DateTime]] = None, limit: Optional[int] = None,
                      only_media: bool = False, local: bool = False, remote: bool = False
                      ) -> PaginatableList[Status]:
        """A page of the timeline of one of your lists (paginated list of Status)."""
        id = self.__unpack_id(id)
        return self.timeline(f"list/{id}", max_id=max_id, min_id=min_id, since_id=since_id, limit=limit,
                             only_media=only_media, local=local, remote=remote)

    def timeline_link(self, url: str, local: bool = False,
                      max_id: Optional[Union[Status, IdType, DateTime]] = None,
                      min_id: Optional[Union[Status, IdType, DateTime]] = None,
                      since_id: Optional[Union[Status, IdType, DateTime]] = None, limit: Optional[int] = None,
                      only_media: bool = False, remote: bool = False) -> PaginatableList[Status]:
        """A page of public statuses sharing a trending link (paginated list of Status; Mastodon 4.3).

        The URL is percent-encoded into the query, so ``&``, ``#`` and ``?`` in it survive.
        """
        if not isinstance(url, str) or not url:
            raise MastodonIllegalArgumentError("url must be a non-empty string")
        return self.timeline(f"link?url={quote(url, safe=':/')}", max_id=max_id, min_id=min_id,
                             since_id=since_id, limit=limit, only_media=only_media, local=local, remote=remote)

    # -----------------------------------------------------------------------------------------
    # 2.x: timeline availability

    def timeline_is_available(self, timeline: str = "public", local: bool = False, remote: bool = False,
                              with_auth: bool = False, fail_hard: bool = False) -> bool:
        """Whether the server lets this client read a public feed (``public``, ``hashtag`` or
        ``trending_links``), according to ``configuration.timelines_access`` of the v2 instance.

        Returns True when the server does not say. With ``fail_hard``, an unknown feed raises
        :class:`MastodonIllegalArgumentError` and an unreadable answer :class:`MastodonAPIError`.
        """
        feeds = {"public": "live_feeds", "hashtag": "hashtag_feeds", "trending_links": "trending_link_feeds"}
        if timeline not in feeds:
            if fail_hard:
                raise MastodonIllegalArgumentError(f"Unknown timeline type: {timeline}")
            return True
        try:
            access = self.__instance_v2_cached()["configuration"]["timelines_access"][feeds[timeline]]
            allowed = ("public", "authenticated") if with_auth else ("public",)
            scopes = []
            if local or not remote:
                scopes.append("local")
            if remote or not local:
                scopes.append("remote")
            return all(access[scope] in allowed for scope in scopes)
        except Exception as e:
            if fail_hard:
                raise MastodonAPIError(f"Could not determine timeline availability: {e}") from e
            return True

    def __warn_if_feed_unavailable(self, feed, local, remote):
        """Dialect "2" (rows W5, W6, X6): before reading a public feed, warn (MastodonWarning)
        when the server's ``timelines_access`` says it is closed to this client (anonymous, or
        logged in). Asked once per client and kind of feed; the v2 instance is fetched once."""
        checked = self.__caches.feeds_checked
        key = (feed, bool(local), bool(remote))
        if key in checked:
            return
        checked.add(key)
        logged_in = self.access_token is not None
        if not self.timeline_is_available(feed, local=local, remote=remote, with_auth=logged_in):
            which = "local " if local and not remote else "remote " if remote and not local else ""
            _callsite.warn(f"The server says its {which}{_FEED_NAMES[feed]} is not available to "
                           f"{'this account' if logged_in else 'clients without a login'} "
                           f"(timelines_access): the call may fail or return nothing.", MastodonWarning)
