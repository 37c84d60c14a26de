"""The ``Mastodon`` class: every API area's mixin composed into one client."""

from __future__ import annotations

from . import (
    accounts, admin, async_refresh, authentication, conversations, endorsements, favourites, filters,
    hashtags, instance, internals, lists, media, notifications, polls, preferences, push, relationships,
    reports, search, statuses, streaming_endpoints, suggestions, timeline, trends, utility,
)
from .errors import *  # noqa: F401,F403 (Mastodon.py exposes the exceptions here too)
from .types_base import AttribAccessDict, AttribAccessList  # noqa: F401

# The version Mastodon.py 1.8.1 reports; the library itself covers the API up to
# mastodon.defaults._SUPPORTED_MASTODON_VERSION.
_COMPAT_SUPPORTED_VERSION = "3.5.5"


class Mastodon(utility.Mastodon, authentication.Mastodon, accounts.Mastodon, instance.Mastodon,
               timeline.Mastodon, statuses.Mastodon, polls.Mastodon, notifications.Mastodon,
               hashtags.Mastodon, filters.Mastodon, suggestions.Mastodon, endorsements.Mastodon,
               relationships.Mastodon, lists.Mastodon, trends.Mastodon, search.Mastodon,
               favourites.Mastodon, reports.Mastodon, preferences.Mastodon, push.Mastodon,
               admin.Mastodon, conversations.Mastodon, media.Mastodon, streaming_endpoints.Mastodon,
               async_refresh.Mastodon, internals.Mastodon):
    """A client for one Mastodon server, as one user (or as an app, or anonymously)."""

    @staticmethod
    def get_supported_version() -> str:
        """The Mastodon version the library reports supporting, as Mastodon.py 1.8.1 does."""
        return _COMPAT_SUPPORTED_VERSION
