"""Notifications: the v1 list, grouped (v2) notifications, the notification policy and the
requests from accounts that policy filtered."""

from __future__ import annotations

from typing import Sequence, overload

from .return_types import (  # noqa: F401 (used in annotations)
    Account, GroupedNotificationsResults, IdType, List, NonPaginatableList, Notification,
    NotificationPolicy, NotificationRequest, Optional, PaginatableList, Union,
    UnreadNotificationsCount,
)
from .errors import MastodonIllegalArgumentError
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_NOTIFICATION, api_version

# What ``mentions_only`` excludes on servers older than 3.5.0 (which lack ``types[]``).
_NOT_MENTIONS = ["follow", "favourite", "reblog", "poll", "follow_request"]


class Mastodon(Internals):
    # -----------------------------------------------------------------------------------------
    # v1 notifications

    # With an id one notification, else a page of them.
    @overload
    def notifications(self, id: Union[Notification, IdType],
                      account_id: Optional[Union[Account, IdType]] = None,
                      max_id: Optional[Union[Notification, IdType]] = None,
                      min_id: Optional[Union[Notification, IdType]] = None,
                      since_id: Optional[Union[Notification, IdType]] = None, limit: Optional[int] = None,
                      exclude_types: Optional[List[str]] = None, types: Optional[List[str]] = None,
                      mentions_only: Optional[bool] = None, supported_types: Optional[List[str]] = None
                      ) -> Notification: ...
    @overload
    def notifications(self, id: None = None,
                      account_id: Optional[Union[Account, IdType]] = None,
                      max_id: Optional[Union[Notification, IdType]] = None,
                      min_id: Optional[Union[Notification, IdType]] = None,
                      since_id: Optional[Union[Notification, IdType]] = None, limit: Optional[int] = None,
                      exclude_types: Optional[List[str]] = None, types: Optional[List[str]] = None,
                      mentions_only: Optional[bool] = None, supported_types: Optional[List[str]] = None
                      ) -> PaginatableList[Notification]: ...
    @overload
    def notifications(self, id: Optional[Union[Notification, IdType]] = None,
                      account_id: Optional[Union[Account, IdType]] = None,
                      max_id: Optional[Union[Notification, IdType]] = None,
                      min_id: Optional[Union[Notification, IdType]] = None,
                      since_id: Optional[Union[Notification, IdType]] = None, limit: Optional[int] = None,
                      exclude_types: Optional[List[str]] = None, types: Optional[List[str]] = None,
                      mentions_only: Optional[bool] = None, supported_types: Optional[List[str]] = None
                      ) -> Union[PaginatableList[Notification], Notification]: ...

    @api_version("1.0.0", "3.5.0", _DICT_VERSION_NOTIFICATION)
    def notifications(self, id: Optional[Union[Notification, IdType]] = None,
                      account_id: Optional[Union[Account, IdType]] = None,
                      max_id: Optional[Union[Notification, IdType]] = None,
                      min_id: Optional[Union[Notification, IdType]] = None,
                      since_id: Optional[Union[Notification, IdType]] = None, limit: Optional[int] = None,
                      exclude_types: Optional[List[str]] = None, types: Optional[List[str]] = None,
                      mentions_only: Optional[bool] = None, supported_types: Optional[List[str]] = None
                      ) -> Union[PaginatableList[Notification], Notification]:
        """The logged-in user's notifications (paginated list of Notification), newest first,
        or the single Notification ``id`` (then every other argument but ``supported_types`` is
        ignored).

        ``types`` / ``exclude_types`` narrow the list (``mention``, ``status``, ``reblog``,
        ``follow``, ``follow_request``, ``favourite``, ``poll``, ``update``, ...); ``account_id``
        keeps only those caused by one account. ``mentions_only=True`` asks for mentions only and
        cannot be combined with either type list (:class:`MastodonIllegalArgumentError`).
        ``supported_types`` names the types this client can show; from Mastodon 4.6 on, others
        come with a ``fallback`` (NotificationFallback: ``title``, ``summary``, ``details``).
        """
        if mentions_only is not None:
            if types is not None or exclude_types is not None:
                raise MastodonIllegalArgumentError(
                    "mentions_only cannot be combined with types or exclude_types")
            if mentions_only:
                if self.__version_at_least("3.5.0"):
                    types = ["mention"]
                else:
                    exclude_types = list(_NOT_MENTIONS)
        if id is not None:
            return self.__api_request("GET", f"/api/v1/notifications/{self.__unpack_id(id)}",
                                      self.__generate_params(dict(supported_types=supported_types)))
        params = self.__generate_params(dict(
            account_id=self.__unpack_id(account_id), max_id=max_id, min_id=min_id, since_id=since_id,
            limit=limit, exclude_types=exclude_types, types=types, supported_types=supported_types))
        return self.__api_request("GET", "/api/v1/notifications", params)

    @api_version("1.0.0", "1.0.0", "1.0.0")
    def notifications_clear(self) -> None:
        """Delete every notification of the logged-in user. Returns None."""
        self.__api_request("POST", "/api/v1/notifications/clear")

    @api_version("1.3.0", "2.9.2", "2.9.2")
    def notifications_dismiss(self, id: Union[Notification, IdType]) -> None:
        """Delete one notification. Returns None."""
        id = self.__unpack_id(id)
        if self.__version_at_least("2.9.2"):
            self.__api_request("POST", f"/api/v1/notifications/{id}/dismiss")
        else:
            self.__api_request("POST", "/api/v1/notifications/dismiss", {"id": id})

    @api_version("4.3.0", "4.3.0", "4.3.0")
    def notifications_unread_count(self) -> UnreadNotificationsCount:
        """How many notifications the user has not read yet (UnreadNotificationsCount: ``count``)."""
        return self.__api_request("GET", "/api/v1/notifications/unread_count")

    # -----------------------------------------------------------------------------------------
    # Grouped notifications (v2)

    @api_version("4.3.0", "4.3.0", "4.3.0")
    def grouped_notifications(self, max_id: Optional[IdType] = None, since_id: Optional[IdType] = None,
                              min_id: Optional[IdType] = None, limit: Optional[int] = None,
                              types: Optional[List[str]] = None, exclude_types: Optional[List[str]] = None,
                              account_id: Optional[Union[Account, IdType]] = None,
                              expand_accounts: Optional[str] = "partial_avatars",
                              grouped_types: Optional[List[str]] = None,
                              include_filtered: Optional[bool] = None,
                              supported_types: Optional[List[str]] = None) -> GroupedNotificationsResults:
        """Notifications grouped by the server (GroupedNotificationsResults: ``accounts``,
        ``partial_accounts``, ``statuses`` and ``notification_groups``).

        The result is paginated like a list: pass it (or its ``_pagination_next``) on to
        :meth:`fetch_next`. ``grouped_types`` says which types may be grouped,
        ``expand_accounts`` is ``'full'`` or ``'partial_avatars'``, ``supported_types`` as for
        :meth:`notifications`.
        """
        params = self.__generate_params(dict(
            max_id=max_id, since_id=since_id, min_id=min_id, limit=limit, types=types,
            exclude_types=exclude_types, account_id=self.__unpack_id(account_id),
            expand_accounts=expand_accounts, grouped_types=grouped_types, include_filtered=include_filtered,
            supported_types=supported_types))
        return self.__api_request("GET", "/api/v2/notifications", params, force_pagination=True)

    @api_version("4.3.0", "4.3.0", "4.3.0")
    def grouped_notification(self, group_key: str, supported_types: Optional[List[str]] = None
                             ) -> GroupedNotificationsResults:
        """One notification group (GroupedNotificationsResults); ``supported_types`` as for
        :meth:`notifications`."""
        params = self.__generate_params(dict(supported_types=supported_types))
        return self.__api_request("GET", f"/api/v2/notifications/{group_key}", params)

    @api_version("4.3.0", "4.3.0")
    def grouped_notification_accounts(self, group_key: str) -> NonPaginatableList[Account]:
        """Every account of one notification group (list of Account)."""
        return self.__api_request("GET", f"/api/v2/notifications/{group_key}/accounts")

    @api_version("4.3.0", "4.3.0")
    def dismiss_grouped_notification(self, group_key: str) -> None:
        """Delete every notification of one group. Returns None."""
        self.__api_request("POST", f"/api/v2/notifications/{group_key}/dismiss")

    @api_version("4.3.0", "4.3.0")
    def unread_grouped_notifications_count(self, limit: Optional[int] = None,
                                           types: Optional[List[str]] = None,
                                           exclude_types: Optional[List[str]] = None,
                                           account_id: Optional[Union[Account, IdType]] = None,
                                           grouped_types: Optional[List[str]] = None) -> int:
        """How many notification groups are unread (int)."""
        params = self.__generate_params(dict(
            limit=limit, types=types, exclude_types=exclude_types, account_id=self.__unpack_id(account_id),
            grouped_types=grouped_types))
        return self.__api_request("GET", "/api/v2/notifications/unread_count", params)["count"]

    # -----------------------------------------------------------------------------------------
    # Notification policy and filtered requests

    @api_version("4.3.0", "4.3.0", "4.3.0")
    def notifications_policy(self) -> NotificationPolicy:
        """The user's notification filtering policy (NotificationPolicy)."""
        return self.__api_request("GET", "/api/v2/notifications/policy")

    @api_version("4.3.0", "4.3.0", "4.3.0")
    def update_notifications_policy(self, for_not_following: Optional[str] = None,
                                    for_not_followers: Optional[str] = None,
                                    for_new_accounts: Optional[str] = None,
                                    for_private_mentions: Optional[str] = None,
                                    for_limited_accounts: Optional[str] = None) -> NotificationPolicy:
        """Change the notification policy; each value is ``'accept'``, ``'filter'`` or ``'drop'``
        and only the given ones change. Returns the new NotificationPolicy."""
        params = self.__generate_params(dict(
            for_not_following=for_not_following, for_not_followers=for_not_followers,
            for_new_accounts=for_new_accounts, for_private_mentions=for_private_mentions,
            for_limited_accounts=for_limited_accounts))
        return self.__api_request("PATCH", "/api/v2/notifications/policy", params)

    @api_version("4.3.0", "4.3.0")
    def notification_requests(self, max_id: Optional[IdType] = None, since_id: Optional[IdType] = None,
                              min_id: Optional[IdType] = None, limit: Optional[int] = None
                              ) -> PaginatableList[NotificationRequest]:
        """Accounts whose notifications the policy held back (paginated list of NotificationRequest)."""
        params = self.__generate_params(dict(max_id=max_id, since_id=since_id, min_id=min_id, limit=limit))
        return self.__api_request("GET", "/api/v1/notifications/requests", params)

    @api_version("4.3.0", "4.3.0", "4.3.0")
    def notification_request(self, id: Union[NotificationRequest, IdType]) -> NotificationRequest:
        """One notification request (NotificationRequest)."""
        return self.__api_request("GET", f"/api/v1/notifications/requests/{self.__unpack_id(id)}")

    @api_version("4.3.0", "4.3.0")
    def accept_notification_request(self, id: Union[NotificationRequest, IdType]) -> None:
        """Accept a notification request: its notifications appear and later ones are let through.
        Returns None."""
        self.__api_request("POST", f"/api/v1/notifications/requests/{self.__unpack_id(id)}/accept")

    @api_version("4.3.0", "4.3.0")
    def dismiss_notification_request(self, id: Union[NotificationRequest, IdType]) -> None:
        """Dismiss a notification request (its notifications stay hidden). Returns None."""
        self.__api_request("POST", f"/api/v1/notifications/requests/{self.__unpack_id(id)}/dismiss")

    @api_version("4.3.0", "4.3.0")
    def accept_multiple_notification_requests(self, ids: Sequence[Union[NotificationRequest, IdType]]) -> None:
        """Accept several notification requests (ids or NotificationRequest dicts). Returns None."""
        params = self.__generate_params(dict(id=self.__unpack_id(ids, listify=True)))
        self.__api_request("POST", "/api/v1/notifications/requests/accept", params)

    @api_version("4.3.0", "4.3.0")
    def dismiss_multiple_notification_requests(self, ids: Sequence[Union[NotificationRequest, IdType]]) -> None:
        """Dismiss several notification requests (ids or NotificationRequest dicts). Returns None."""
        params = self.__generate_params(dict(id=self.__unpack_id(ids, listify=True)))
        self.__api_request("POST", "/api/v1/notifications/requests/dismiss", params)

    @api_version("4.3.0", "4.3.0")
    def notifications_merged(self) -> bool:
        """Whether the server finished merging accepted requests into the notifications (bool)."""
        return self.__api_request("GET", "/api/v1/notifications/requests/merged")["merged"]
