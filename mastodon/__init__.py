"""A Python client for the Mastodon API, a drop-in replacement for Mastodon.py."""

from .Mastodon import Mastodon
from .errors import (
    MastodonAPIError, MastodonBadGatewayError, MastodonError, MastodonFileNotFoundError,
    MastodonGatewayTimeoutError, MastodonIllegalArgumentError, MastodonInternalServerError,
    MastodonIOError, MastodonMalformedEventError, MastodonNetworkError, MastodonNotFoundError,
    MastodonRatelimitError, MastodonServerError, MastodonServiceUnavailableError,
    MastodonUnauthorizedError, MastodonVersionError,
)
from .streaming import CallbackStreamListener, SSEStreamHandle, StreamHandle, StreamListener
from .streaming_websocket import WebSocketStreamHandle, WebSocketSubscription
from .types_base import AttribAccessDict
from . import _coexistence

__version__ = "0.1.0"

__all__ = [
    "Mastodon", "AttribAccessDict", "StreamListener", "CallbackStreamListener", "StreamHandle", "SSEStreamHandle",
    "WebSocketStreamHandle", "WebSocketSubscription", "MastodonError",
    "MastodonVersionError", "MastodonIllegalArgumentError", "MastodonIOError", "MastodonFileNotFoundError",
    "MastodonNetworkError", "MastodonAPIError", "MastodonNotFoundError", "MastodonUnauthorizedError",
    "MastodonRatelimitError", "MastodonMalformedEventError", "MastodonServerError",
    "MastodonInternalServerError", "MastodonBadGatewayError", "MastodonServiceUnavailableError",
    "MastodonGatewayTimeoutError",
]

# Mastodon.py installed beside this library shares the ``mastodon`` package: say so, once.
_coexistence.warn_if_mastodon_py_installed()
