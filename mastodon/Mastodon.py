"""The ``Mastodon`` class: every API area's mixin composed into one client."""

from __future__ import annotations

import typing as _typing  # under a private name: ``from mastodon.Mastodon import *`` stays as it was

from . import _dialect
from . import (
    accounts, admin, annual_reports, async_refresh, authentication, collections, conversations, endorsements,
    favourites, filters, hashtags, instance, internals, lists, media, notifications, polls, preferences,
    profile, push, relationships, reports, search, statuses, streaming_endpoints, suggestions, timeline,
    trends, utility,
)

# Mastodon.py 1.8.1 imported these into this module, and code written for it imports them from here.
from .compat import IMPL_HAS_BLURHASH, IMPL_HAS_CRYPTO, IMPL_HAS_ECE  # noqa: F401
from .defaults import (  # noqa: F401
    _DEFAULT_SCOPES, _DEFAULT_STREAM_RECONNECT_WAIT_SEC, _DEFAULT_STREAM_TIMEOUT, _DEFAULT_TIMEOUT,
    _DEFAULT_USER_AGENT, _SCOPE_SETS, _VALID_SCOPES,
)
from .errors import *  # noqa: F401,F403
from .utility import (  # noqa: F401
    AttribAccessDict, AttribAccessList, api_version, max_version, parse_version_string,
)
from .versions import (  # noqa: F401
    _DICT_VERSION_APPLICATION, _DICT_VERSION_MENTION, _DICT_VERSION_MEDIA, _DICT_VERSION_ACCOUNT,
    _DICT_VERSION_POLL, _DICT_VERSION_STATUS, _DICT_VERSION_INSTANCE, _DICT_VERSION_HASHTAG,
    _DICT_VERSION_EMOJI, _DICT_VERSION_RELATIONSHIP, _DICT_VERSION_NOTIFICATION, _DICT_VERSION_CONTEXT,
    _DICT_VERSION_LIST, _DICT_VERSION_CARD, _DICT_VERSION_SEARCHRESULT, _DICT_VERSION_ACTIVITY,
    _DICT_VERSION_REPORT, _DICT_VERSION_PUSH, _DICT_VERSION_PUSH_NOTIF, _DICT_VERSION_FILTER,
    _DICT_VERSION_CONVERSATION, _DICT_VERSION_SCHEDULED_STATUS, _DICT_VERSION_PREFERENCES,
    _DICT_VERSION_ADMIN_ACCOUNT, _DICT_VERSION_FEATURED_TAG, _DICT_VERSION_MARKER, _DICT_VERSION_REACTION,
    _DICT_VERSION_ANNOUNCEMENT, _DICT_VERSION_STATUS_EDIT, _DICT_VERSION_FAMILIAR_FOLLOWERS,
    _DICT_VERSION_ADMIN_DOMAIN_BLOCK, _DICT_VERSION_ADMIN_MEASURE, _DICT_VERSION_ADMIN_DIMENSION,
    _DICT_VERSION_ADMIN_RETENTION,
)

def __getattr__(name: str) -> _typing.Any:
    """Mastodon.py 2.x imports every entity class into this module, and its programs write
    ``from mastodon.Mastodon import Status``; the names of ``return_types`` are served on demand,
    so that ``from mastodon.Mastodon import *`` brings what it brought in Mastodon.py 1.8.1.
    (Type checkers see them as ``Any`` here; ``mastodon.return_types`` has their types.)"""
    from . import return_types
    if name in return_types.__all__:
        return getattr(return_types, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Mastodon(utility.Mastodon, authentication.Mastodon, accounts.Mastodon, instance.Mastodon,
               timeline.Mastodon, statuses.Mastodon, polls.Mastodon, notifications.Mastodon,
               hashtags.Mastodon, filters.Mastodon, suggestions.Mastodon, endorsements.Mastodon,
               relationships.Mastodon, lists.Mastodon, trends.Mastodon, search.Mastodon,
               favourites.Mastodon, reports.Mastodon, preferences.Mastodon, push.Mastodon,
               admin.Mastodon, conversations.Mastodon, media.Mastodon, streaming_endpoints.Mastodon,
               async_refresh.Mastodon, collections.Mastodon, annual_reports.Mastodon, profile.Mastodon,
               internals.Mastodon):
    """A client for one Mastodon server, as one user (or as an app, or anonymously)."""

    @staticmethod
    def get_supported_version() -> str:
        """The Mastodon version the library reports supporting: ``'3.5.5'`` as Mastodon.py 1.8.1
        does, ``'4.7.3'`` as Mastodon.py 2.3.3 does when the process default dialect
        (``MASTODON_PY_DIALECT``) is ``"2"``. A static method sees no client, so a client's own
        ``dialect=`` does not change the answer.
        """
        return _dialect.process_default().supported_version
