"""Instance information, custom emoji, the profile directory and announcements."""

from __future__ import annotations

import datetime

from .return_types import (  # noqa: F401 (used in annotations)
    Account, Activity, Announcement, CustomEmoji, Date, Dict, DomainBlock, Entity, ExtendedDescription,
    IdType, Instance, InstanceV2, List, Nodeinfo, NonPaginatableList, Optional, PaginatableList, Rule,
    SupportedLocale, TermsOfService, Union,
)
from .errors import MastodonIllegalArgumentError, MastodonNetworkError, MastodonNotFoundError
from ._links import OffsetPaging
from .internals import Mastodon as Internals
from .versions import (
    _DICT_VERSION_ACCOUNT, _DICT_VERSION_ACTIVITY, _DICT_VERSION_ANNOUNCEMENT, _DICT_VERSION_EMOJI,
    _DICT_VERSION_INSTANCE, api_version,
)
from urllib.parse import urlsplit

_NODEINFO_20 = "http://nodeinfo.diaspora.software/ns/schema/2.0"


class Mastodon(Internals):
    @api_version("1.1.0", "2.3.0", _DICT_VERSION_INSTANCE)
    def instance(self) -> Union[InstanceV2, Instance]:
        """Information about the server: Instance, from ``/api/v1/instance``, as in Mastodon.py
        1.8.1; in dialect ``"2"`` InstanceV2 (``/api/v2/instance``) on servers from 4.0.0 on."""
        return self.__dialect.instance(self)

    def __instance_v1_answer(self):
        return self.__api_request("GET", "/api/v1/instance/", warn_deprecation=False)

    def __instance_by_version(self):
        """Dialect "2" (rows V9, T4): the v2 instance where the server has it, else the v1 one."""
        if self.__version_at_least("4.0.0"):
            return self.__instance_v2()
        return self.__instance_v1_answer()

    @api_version("1.1.0", "2.3.0", "4.0.0")
    def instance_v1(self) -> Instance:
        """The v1 instance information (Instance)."""
        return self.__api_request("GET", "/api/v1/instance/", warn_deprecation=False)

    @api_version("4.0.0", "4.0.0")
    def instance_v2(self) -> InstanceV2:
        """The v2 instance information (InstanceV2)."""
        return self.__instance_v2()

    @api_version("2.1.2", "2.1.2", _DICT_VERSION_ACTIVITY)
    def instance_activity(self) -> NonPaginatableList[Activity]:
        """Weekly activity of the last 12 weeks: statuses, logins and registrations (list of Activity)."""
        return self.__api_request("GET", "/api/v1/instance/activity")

    @api_version("2.1.2", "2.1.2", "2.1.2")
    def instance_peers(self) -> NonPaginatableList[str]:
        """The domains this server federates with (list of str)."""
        return self.__api_request("GET", "/api/v1/instance/peers")

    @api_version("3.0.0", "3.0.0", "3.0.0")
    def instance_health(self) -> bool:
        """True when the server's ``/health`` endpoint reports it healthy."""
        status = self.__api_request("GET", "/health", parse=False).decode("utf-8", "replace")
        return status in ("OK", "success")

    @api_version("3.0.0", "3.0.0", "3.0.0")
    def instance_nodeinfo(self, schema: str = _NODEINFO_20) -> Nodeinfo:
        """The server's NodeInfo document for ``schema`` (NodeInfo 2.0 by default)."""
        document = self.__api_request("GET", "/.well-known/nodeinfo")
        links = document.get("links") if isinstance(document, dict) else None
        schema_url = None
        for link in links if isinstance(links, list) else ():
            if isinstance(link, dict) and link.get("rel") == schema:
                schema_url = link.get("href")
        if schema_url is None:
            raise MastodonIllegalArgumentError("Requested nodeinfo schema is not available.")
        try:
            # The request core sends no token to a host other than the API's.
            return self.__api_request("GET", schema_url, base_url_override="")
        except (MastodonNotFoundError, MastodonNetworkError):
            # Servers behind proxies often advertise an internal host name: try the API host.
            return self.__api_request("GET", _path_of(schema_url))

    @api_version("3.4.0", "3.4.0", _DICT_VERSION_INSTANCE)
    def instance_rules(self) -> NonPaginatableList[Rule]:
        """The server's rules (list of Rule)."""
        return self.__api_request("GET", "/api/v1/instance/rules")

    @api_version("4.0.0", "4.0.0")
    def instance_domain_blocks(self) -> NonPaginatableList[DomainBlock]:
        """Domains the server blocks, if it publishes them (list of DomainBlock)."""
        return self.__api_request("GET", "/api/v1/instance/domain_blocks")

    @api_version("4.0.0", "4.0.0")
    def instance_extended_description(self) -> ExtendedDescription:
        """The server's extended description (ExtendedDescription)."""
        return self.__api_request("GET", "/api/v1/instance/extended_description")

    @api_version("4.2.0", "4.2.0")
    def instance_languages(self) -> NonPaginatableList[SupportedLocale]:
        """Languages the server supports (list of SupportedLocale)."""
        return self.__api_request("GET", "/api/v1/instance/languages")

    @api_version("4.4.0", "4.4.0")
    def instance_terms_of_service(self, date: Optional[Date] = None) -> TermsOfService:
        """The server's terms of service, the current ones or those valid on ``date`` (TermsOfService)."""
        if date is not None and not isinstance(date, datetime.date):
            raise MastodonIllegalArgumentError("date must be a datetime.date")
        params = self.__generate_params(dict(date=date), days=("date",))
        return self.__api_request("GET", "/api/v1/instance/terms_of_service", params)

    @api_version("4.4.0", "4.4.0")
    def instance_terms_of_service_version(self, date: Date) -> TermsOfService:
        """The terms of service that took effect on ``date`` (a ``datetime.date``), read from
        ``/api/v1/instance/terms_of_service/YYYY-MM-DD`` (TermsOfService). A date on which no
        version took effect raises MastodonNotFoundError.

        :meth:`instance_terms_of_service` sends the date as a query parameter, as Mastodon.py 2.3 does.
        """
        if not isinstance(date, datetime.date):
            raise MastodonIllegalArgumentError("date must be a datetime.date")
        return self.__api_request("GET", f"/api/v1/instance/terms_of_service/{date.strftime('%Y-%m-%d')}")

    @api_version("4.0.0", "4.0.0")
    def instance_privacy_policy(self) -> Entity:
        """The server's privacy policy (a dict with ``updated_at`` and the HTML ``content``)."""
        return self.__api_request("GET", "/api/v1/instance/privacy_policy")

    def instance_translation_languages(self) -> Dict[str, List[str]]:
        """For each source language, the languages statuses can be translated into (dict of lists)."""
        return self.__api_request("GET", "/api/v1/instance/translation_languages")

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_EMOJI)
    def custom_emojis(self) -> NonPaginatableList[CustomEmoji]:
        """The server's custom emoji (list of CustomEmoji)."""
        return self.__api_request("GET", "/api/v1/custom_emojis")

    @api_version("3.0.0", "3.0.0", _DICT_VERSION_ACCOUNT)
    def directory(self, offset: Optional[int] = None, limit: Optional[int] = None,
                  order: Optional[str] = None, local: Optional[bool] = None) -> PaginatableList[Account]:
        """Accounts in the profile directory (list of Account, paged by offset: see :meth:`fetch_next`).

        ``order`` is ``'active'`` or ``'new'``; ``local`` limits it to this server's accounts.
        """
        params = self.__generate_params(dict(offset=offset, limit=limit, order=order, local=local))
        return self.__api_request("GET", "/api/v1/directory", params, offset_paging=OffsetPaging())

    @api_version("3.1.0", "3.1.0", _DICT_VERSION_ANNOUNCEMENT)
    def announcements(self) -> NonPaginatableList[Announcement]:
        """Current announcements of the server staff (list of Announcement)."""
        return self.__api_request("GET", "/api/v1/announcements")

    @api_version("3.1.0", "3.1.0", "3.1.0")
    def announcement_dismiss(self, id: Union[Announcement, IdType]) -> None:
        """Mark an announcement as read."""
        id = self.__unpack_id(id)
        self.__api_request("POST", f"/api/v1/announcements/{id}/dismiss")

    @api_version("3.1.0", "3.1.0", "3.1.0")
    def announcement_reaction_create(self, id: Union[Announcement, IdType], reaction: str) -> None:
        """React to an announcement with an emoji (unicode or a custom emoji's shortcode)."""
        id = self.__unpack_id(id)
        self.__api_request("PUT", f"/api/v1/announcements/{id}/reactions/{reaction}")

    @api_version("3.1.0", "3.1.0", "3.1.0")
    def announcement_reaction_delete(self, id: Union[Announcement, IdType], reaction: str) -> None:
        """Remove a reaction from an announcement."""
        id = self.__unpack_id(id)
        self.__api_request("DELETE", f"/api/v1/announcements/{id}/reactions/{reaction}")


def _path_of(url):
    parts = urlsplit(url)
    return parts.path + (("?" + parts.query) if parts.query else "")
