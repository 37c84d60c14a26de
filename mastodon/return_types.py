"""Names for the types in the library's annotations.

Every entity the API returns is an :class:`AttribAccessDict`; the entity names below (``Status``,
``Account``, ...) are aliases of it that say in a signature which entity to expect. Pages of results
are :class:`AttribAccessList` (``PaginatableList``).
"""

from datetime import date as Date, datetime as DateTime
from pathlib import PurePath
from typing import IO, Any, Dict, Iterator, List, Optional, Tuple, TypeVar, Union

from requests import Session

from .types_base import (
    AsyncRefresh, AttribAccessDict, AttribAccessList, NonPaginatableList, PaginatableList, PaginationInfo,
)

_T = TypeVar("_T")

#: Anything that names an entity: its id, or the entity itself.
PrimitiveIdType = Union[int, str]
IdType = Union[PrimitiveIdType, AttribAccessDict, dict]
#: A file to upload: a path, raw bytes or an open file.
PathOrFile = Union[str, PurePath, bytes, IO[bytes]]
Entity = AttribAccessDict

Account = AttribAccessDict
AccountCreationError = AttribAccessDict
Activity = AttribAccessDict
AdminAccount = AttribAccessDict
AdminCanonicalEmailBlock = AttribAccessDict
AdminDimension = AttribAccessDict
AdminDomainAllow = AttribAccessDict
AdminDomainBlock = AttribAccessDict
AdminEmailDomainBlock = AttribAccessDict
AdminIpBlock = AttribAccessDict
AdminMeasure = AttribAccessDict
AdminReport = AttribAccessDict
AdminRetention = AttribAccessDict
Announcement = AttribAccessDict
Application = AttribAccessDict
Context = AttribAccessDict
Conversation = AttribAccessDict
CustomEmoji = AttribAccessDict
DomainBlock = AttribAccessDict
ExtendedDescription = AttribAccessDict
FamiliarFollowers = AttribAccessDict
FeaturedTag = AttribAccessDict
Filter = AttribAccessDict
FilterKeyword = AttribAccessDict
FilterStatus = AttribAccessDict
FilterV2 = AttribAccessDict
GroupedNotificationsResults = AttribAccessDict
Instance = AttribAccessDict
InstanceV2 = AttribAccessDict
Marker = AttribAccessDict
MediaAttachment = AttribAccessDict
Nodeinfo = AttribAccessDict
Notification = AttribAccessDict
NotificationPolicy = AttribAccessDict
NotificationRequest = AttribAccessDict
OAuthServerInfo = AttribAccessDict
OAuthUserInfo = AttribAccessDict
Poll = AttribAccessDict
Preferences = AttribAccessDict
PreviewCard = AttribAccessDict
PushNotification = AttribAccessDict
Relationship = AttribAccessDict
Report = AttribAccessDict
Rule = AttribAccessDict
ScheduledStatus = AttribAccessDict
Search = AttribAccessDict
SearchV2 = AttribAccessDict
Status = AttribAccessDict
StatusEdit = AttribAccessDict
StatusSource = AttribAccessDict
Suggestion = AttribAccessDict
SupportedLocale = AttribAccessDict
Tag = AttribAccessDict
TermsOfService = AttribAccessDict
Translation = AttribAccessDict
UnreadNotificationsCount = AttribAccessDict
UserList = AttribAccessDict
WebPushSubscription = AttribAccessDict
WebpushCryptoParamsPrivkey = AttribAccessDict
WebpushCryptoParamsPubkey = AttribAccessDict

__all__ = [
    "Date", "DateTime", "PurePath", "Any", "Dict", "Iterator", "List", "Optional", "Tuple", "Union",
    "Session", "AsyncRefresh", "AttribAccessDict", "AttribAccessList", "NonPaginatableList",
    "PaginatableList", "PaginationInfo", "_T", "PrimitiveIdType", "IdType", "PathOrFile", "Entity",
    "Account", "AccountCreationError", "Activity", "AdminAccount", "AdminCanonicalEmailBlock",
    "AdminDimension", "AdminDomainAllow", "AdminDomainBlock", "AdminEmailDomainBlock",
    "AdminIpBlock", "AdminMeasure", "AdminReport", "AdminRetention", "Announcement", "Application",
    "Context", "Conversation", "CustomEmoji", "DomainBlock", "ExtendedDescription",
    "FamiliarFollowers", "FeaturedTag", "Filter", "FilterKeyword", "FilterStatus", "FilterV2",
    "GroupedNotificationsResults", "Instance", "InstanceV2", "Marker", "MediaAttachment",
    "Nodeinfo", "Notification", "NotificationPolicy", "NotificationRequest", "OAuthServerInfo",
    "OAuthUserInfo", "Poll", "Preferences", "PreviewCard", "PushNotification", "Relationship",
    "Report", "Rule", "ScheduledStatus", "Search", "SearchV2", "Status", "StatusEdit",
    "StatusSource", "Suggestion", "SupportedLocale", "Tag", "TermsOfService", "Translation",
    "UnreadNotificationsCount", "UserList", "WebPushSubscription", "WebpushCryptoParamsPrivkey",
    "WebpushCryptoParamsPubkey",
]
