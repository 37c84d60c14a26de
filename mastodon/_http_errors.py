"""From an HTTP answer to the library's exception: one status table, one place that fills in the
error's attributes, and linear readers of error bodies of any size or shape."""

from ._decoding import parse_json_bytes
from .errors import (
    MastodonAPIError, MastodonBadGatewayError, MastodonGatewayTimeoutError, MastodonInternalServerError,
    MastodonNotFoundError, MastodonRatelimitError, MastodonServerError, MastodonServiceUnavailableError,
    MastodonUnauthorizedError,
)

# Status code -> exception class; other 5xx up to 511 are MastodonServerError, the rest MastodonAPIError.
STATUS_ERRORS = {
    401: MastodonUnauthorizedError,
    404: MastodonNotFoundError,
    500: MastodonInternalServerError,
    502: MastodonBadGatewayError,
    503: MastodonServiceUnavailableError,
    504: MastodonGatewayTimeoutError,
}

# Characters of a non-JSON body kept for the readable excerpt, and of the body shown in messages.
_EXCERPT_SOURCE = 64 * 1024
_EXCERPT = 200
_MESSAGE_BODY = 1000


def error_class(status):
    cls = STATUS_ERRORS.get(status)
    if cls is None:
        cls = MastodonServerError if 500 <= status <= 511 else MastodonAPIError
    return cls


def body_bytes(response):
    """The body as bytes; a stand-in response without real bytes gives b''."""
    try:
        content = response.content
    except Exception:  # a body that failed to arrive: the status still says what happened
        return b""
    return bytes(content) if isinstance(content, (bytes, bytearray, memoryview)) else b""


def error_text(response):
    """The server's error text and details from an error body (JSON or not)."""
    content = body_bytes(response)
    if content:
        try:
            body = parse_json_bytes(content)
        except (ValueError, RecursionError):
            return None, None
    else:
        # A stand-in response (a test double) may offer only json().
        try:
            body = response.json()
        except Exception:
            return None, None
    if isinstance(body, dict):
        error, details = body.get("error"), body.get("details")
        return (error if isinstance(error, str) or error is None else str(error)), details
    if isinstance(body, str):
        return body, None
    return None, None


def strip_tags(text):
    """``text`` without ``<...>`` tags, in one pass (a ``<`` that is never closed stays)."""
    pieces = []
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            pieces.append(text[position:])
            break
        end = text.find(">", start + 1)
        if end < 0:
            pieces.append(text[position:])  # no later tag can be closed either
            break
        pieces.append(text[position:start])
        pieces.append(" ")
        position = end + 1
    return "".join(pieces)


def body_excerpt(content):
    """A short readable excerpt of a non-JSON body (an HTML error page, say), or None."""
    text = content[:_EXCERPT_SOURCE].decode("utf-8", "replace")
    text = " ".join(strip_tags(text).split())
    if not text:
        return None
    return (text[:_EXCERPT] + "...") if len(text) > _EXCERPT else text


def annotate(error, response, error_message=None, details=None):
    """Fill in the attributes every error built from a response carries."""
    status = getattr(response, "status_code", None)
    error.status_code = status if isinstance(status, int) else None
    reason = getattr(response, "reason", None)
    error.reason = reason if isinstance(reason, str) else None
    error.error = error_message
    error.details = details
    error.response = response
    if error_message is None:
        error.body_excerpt = body_excerpt(body_bytes(response))
    return error


def raise_for_status(response):
    """Map a non-2xx response to its exception class; return quietly for a success."""
    status = response.status_code
    if not isinstance(status, int):
        raise annotate(MastodonAPIError(f"The server's answer has no readable status: {status!r}"), response)
    if 200 <= status < 400:
        return
    error_message, details = error_text(response)
    if status == 404 and not error_message:
        error_message = "Endpoint not found."
    error = error_class(status)("Mastodon API returned error", status, response.reason, error_message)
    raise annotate(error, response, error_message, details)


def ratelimit_error(response):
    return annotate(MastodonRatelimitError("Hit rate limit."), response)


def unparseable_args(text, cause):
    """The args of the error for a body that is not JSON: the text only (Mastodon.py 1.8.1)."""
    return (text,)


def unparseable(response, args_for=unparseable_args, cause=None):
    """The error for a success answer whose body is not JSON (the body shortened in the message).
    ``args_for(text, cause)`` gives the exception's args from the text and the parser's error
    (the client's dialect: the text only, or 2.x's second argument)."""
    content = body_bytes(response)
    shown = content[:_MESSAGE_BODY]
    if len(content) > _MESSAGE_BODY:
        shown += b"..."
    text = (f"Could not parse response as JSON, response code was {response.status_code}, "
            f"bad json content was '{shown}'")
    return annotate(MastodonAPIError(*args_for(text, cause)), response)
