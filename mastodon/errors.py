"""Exceptions raised by the library.

::

    MastodonError
    ├── MastodonVersionError            server too old for the call
    ├── MastodonIllegalArgumentError    bad input (also a ValueError)
    │   └── MastodonPushDecryptError    a web push that cannot be decrypted
    ├── MastodonIOError                 (also an OSError)
    │   ├── MastodonFileNotFoundError
    │   └── MastodonNetworkError        connection failed or dropped
    │       ├── MastodonReadTimeout     the timeout passed
    │       └── MastodonRedirectError   a redirect the library refuses to follow
    ├── MastodonAPIError                the server answered with an error
    │   ├── MastodonNotFoundError       404
    │   ├── MastodonUnauthorizedError   401
    │   └── MastodonServerError         5xx
    │       ├── MastodonInternalServerError      500
    │       ├── MastodonBadGatewayError          502
    │       ├── MastodonServiceUnavailableError  503
    │       └── MastodonGatewayTimeoutError      504
    ├── MastodonRatelimitError          429 that was not (or could not be) waited out
    └── MastodonMalformedEventError     a streaming event that cannot be parsed

    MastodonWarning (a Warning)
    └── MastodonDeprecationWarning      the server flagged an endpoint as deprecated

Errors built from an HTTP response keep Mastodon.py's positional ``args``
(``'Mastodon API returned error', status_code, reason, error``) and also carry
the attributes ``status_code``, ``reason``, ``error``, ``details`` and ``response``.
"""

__all__ = [
    "MastodonError", "MastodonVersionError", "MastodonIllegalArgumentError", "MastodonIOError",
    "MastodonFileNotFoundError", "MastodonNetworkError", "MastodonReadTimeout", "MastodonAPIError",
    "MastodonServerError", "MastodonInternalServerError", "MastodonBadGatewayError",
    "MastodonServiceUnavailableError", "MastodonGatewayTimeoutError", "MastodonNotFoundError",
    "MastodonUnauthorizedError", "MastodonRedirectError", "MastodonRatelimitError", "MastodonMalformedEventError",
    "MastodonPushDecryptError",
    "MastodonWarning", "MastodonDeprecationWarning",
]


class MastodonError(Exception):
    """Base class of every error the library raises."""

    #: HTTP status of the response that caused the error, if there was one.
    status_code = None
    #: HTTP reason phrase of that response.
    reason = None
    #: The server's error text (the ``error`` field of its JSON answer), if any.
    error = None
    #: Per-field validation details the server sent (422 answers), if any.
    details = None
    #: The :class:`requests.Response`, if the error came from one.
    response = None
    #: A short, readable excerpt of a non-JSON error body.
    body_excerpt = None

    def __str__(self):
        if self.status_code is None or len(self.args) != 4:
            return super().__str__()
        text = self.error if self.error is not None else self.body_excerpt
        message = f"{self.args[0]}: {self.status_code}"
        if self.reason:
            message += f" {self.reason}"
        if text:
            message += f": {text}"
        return message


class MastodonVersionError(MastodonError):
    """The server's version is too old for the method called."""


class MastodonIllegalArgumentError(ValueError, MastodonError):
    """An argument was invalid, missing or inconsistent with another."""


class MastodonIOError(IOError, MastodonError):
    """Input or output failed."""


class MastodonFileNotFoundError(MastodonIOError):
    """A file the call needs does not exist."""


class _MediaFileNotFoundError(MastodonFileNotFoundError, MastodonIllegalArgumentError):
    """A media path that names no file: a file-not-found error, and the illegal-argument error
    Mastodon.py raised for it."""


class _NotAStatusError(MastodonIllegalArgumentError, TypeError):
    """``to_status`` is not a status (a TypeError, as in Mastodon.py, and a Mastodon error)."""


class MastodonPushDecryptError(MastodonIllegalArgumentError):
    """A push message could not be decrypted: malformed headers or body, wrong keys, a message
    meant for another subscription, corrupted or truncated data, or a payload that is not JSON."""


class MastodonNetworkError(MastodonIOError):
    """The request could not be completed: connection refused, dropped or timed out."""


class MastodonReadTimeout(MastodonNetworkError):
    """The server (usually a stream) sent nothing for longer than the read timeout."""


class MastodonRedirectError(MastodonNetworkError):
    """The server redirected a request that carries a token or a body to another origin (or
    somewhere unreadable); nothing was sent there. ``target`` is where it pointed."""

    def __init__(self, message, target=None):
        super().__init__(message)
        self.target = target


class MastodonAPIError(MastodonError):
    """The server answered with an error status, or with something that is not JSON."""


class MastodonServerError(MastodonAPIError):
    """The server answered with a 5xx status."""


class MastodonInternalServerError(MastodonServerError):
    """HTTP 500."""


class MastodonBadGatewayError(MastodonServerError):
    """HTTP 502."""


class MastodonServiceUnavailableError(MastodonServerError):
    """HTTP 503."""


class MastodonGatewayTimeoutError(MastodonServerError):
    """HTTP 504."""


class MastodonNotFoundError(MastodonAPIError):
    """HTTP 404, or an object the call looked for does not exist."""


class MastodonUnauthorizedError(MastodonAPIError):
    """HTTP 401: the token is missing, invalid or revoked."""


class MastodonRatelimitError(MastodonError):
    """The rate limit was hit and the call could not wait it out."""


class MastodonMalformedEventError(MastodonError):
    """A streaming event could not be parsed."""


class MastodonWarning(Warning):
    """Base class of the library's warnings."""


class MastodonDeprecationWarning(MastodonWarning):
    """The server marked the endpoint just called as deprecated."""
