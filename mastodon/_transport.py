"""The one HTTP exchange every call makes: deadline, redirects, body reading, transport errors.

* The timeout bounds the whole exchange (connect, headers and body), not each socket read:
  a server trickling one byte at a time cannot hold a call past it. On sessions the library
  creates, a watchdog thread cuts a connection whose deadline passed even while the response
  headers are being read; on a session the caller passes in, the body is still bounded.
* Redirects are followed here, not by ``requests``: a redirect to another origin of a request
  that carries a body or a token is refused (``requests`` would resend the POST body of a
  307/308 to any host), and a malformed ``Location`` is an error of the library's own.
* A body the library cannot use (an error page, HTML where JSON was expected) is read only up to
  :data:`MAX_UNUSABLE_BODY` bytes.
"""

import errno
import heapq
import itertools
import socket
import threading
import time
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .errors import MastodonNetworkError, MastodonReadTimeout, MastodonRedirectError

MAX_REDIRECTS = 10
# What is read of an answer that can only become an error message.
MAX_UNUSABLE_BODY = 1024 * 1024
_CHUNK = 64 * 1024
_REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_DEFAULT_PORTS = {"http": 80, "https": 443}


# ---------------------------------------------------------------------------------------------
# Deadline watchdog

class _Watchdog:
    """One daemon thread that shuts down the sockets of exchanges whose deadline passed.

    Shutting a socket down (not closing it) makes a read blocked in another thread return at
    once; that thread then sees a broken connection and reports the timeout.
    """

    def __init__(self):
        self._cond = threading.Condition()
        self._heap = []
        self._order = itertools.count()
        self._thread = None

    def watch(self, deadline, sock):
        """Cut ``sock`` at ``deadline`` (time.monotonic) unless :meth:`unwatch` comes first."""
        ticket = [deadline, next(self._order), sock, False]  # ..., fired
        with self._cond:
            heapq.heappush(self._heap, ticket)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mastodon-deadline", daemon=True)
                self._thread.start()
            elif self._heap[0] is ticket:
                self._cond.notify()
        return ticket

    def unwatch(self, ticket):
        """Stop watching; True when the deadline had already cut the socket."""
        with self._cond:
            fired = ticket[3]
            ticket[2] = None
            return fired

    def _run(self):
        with self._cond:
            while True:
                while self._heap and self._heap[0][2] is None:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                ticket = self._heap[0]
                delay = ticket[0] - time.monotonic()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
                sock, ticket[2], ticket[3] = ticket[2], None, True
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


_watchdog = _Watchdog()
_exchange = threading.local()


class _WatchedConnection:
    """Registers the connection's socket with the watchdog when the response is awaited."""

    def getresponse(self, *args, **kwargs):
        deadline = getattr(_exchange, "deadline", None)
        sock = getattr(self, "sock", None)
        if deadline is not None and sock is not None:
            _exchange.tickets.append(_watchdog.watch(deadline, sock))
        return super().getresponse(*args, **kwargs)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = type("WatchedHTTPConnection", (_WatchedConnection, HTTPConnection), {})


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = type("WatchedHTTPSConnection", (_WatchedConnection, HTTPSConnection), {})


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


class ByVerb:
    """Sends through ``target.post``/``target.get``... (a session, or the ``requests`` module
    itself) where Mastodon.py called those directly (app registration): the function is looked
    up at each call, so code that patches or overrides it keeps seeing the calls."""

    def __init__(self, target=requests):
        self.target = target

    def request(self, method, url, **kwargs):
        return getattr(self.target, method.lower())(url, **kwargs)


def _note_answer(response, *args, **kwargs):
    # requests reads a redirect's Location even when it does not follow it, and reports a
    # malformed one as a bare ValueError: remember the answer so the error can name it.
    _exchange.answered = response


def new_session():
    """A ``requests.Session`` whose exchanges the deadline watchdog can cut at any stage."""
    session = requests.Session()
    adapter = _WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.hooks["response"].append(_note_answer)
    return session


# ---------------------------------------------------------------------------------------------
# Origins and redirects

def _origin(url):
    """``(scheme, host, port)`` of a URL; ValueError when it cannot be read."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError(f"not an http(s) URL: {url!r}")
    port = parts.port  # raises ValueError for a malformed port
    return scheme, host, port or _DEFAULT_PORTS[scheme]


def same_origin(first, second):
    """Whether two URLs share scheme, host and port (an upgrade from http to https of the same
    host on default ports counts as the same origin)."""
    try:
        a, b = _origin(first), _origin(second)
    except ValueError:
        return False
    if a == b:
        return True
    return a[0] == "http" and b[0] == "https" and a[1] == b[1] and a[2] == 80 and b[2] == 443


def _redirect_target(url, response):
    location = response.headers.get("Location")
    if not isinstance(location, str) or not location:
        return None
    target = None
    try:
        target = urljoin(url, location.strip())
        _origin(target)
    except ValueError:
        response.close()
        raise MastodonNetworkError(
            f"Could not complete request: the server redirected to a malformed URL: {location!r}") from None
    return target


# ---------------------------------------------------------------------------------------------
# The exchange

def send(session, method, url, *, headers=None, params=None, data=None, json=None, files=None,
         timeout=None, stream=False, read_timeout=None):
    """Send one request and return the final response with its body read.

    ``timeout`` (seconds) bounds the whole exchange including redirects. With ``stream`` the
    body is left unread (for event streams), only the exchange up to the headers is bounded, and
    each later read of the body waits at most ``read_timeout`` seconds. Transport failures raise
    :class:`MastodonNetworkError` (or :class:`MastodonReadTimeout`), a refused redirect
    :class:`MastodonRedirectError`.
    """
    deadline = None if timeout is None else time.monotonic() + float(timeout)
    headers = dict(headers or {})
    carries_secret = bool(data or json or files) or "Authorization" in headers
    start_url = url
    for _ in range(MAX_REDIRECTS + 1):
        response = _exchange_once(session, method, url, headers, params, data, json, files, deadline,
                                  stream, read_timeout)
        if response.status_code not in _REDIRECT_STATUSES:
            return response
        target = _redirect_target(url, response)
        if target is None:
            return response
        if not same_origin(start_url, target) and carries_secret:
            response.close()
            raise MastodonRedirectError(
                f"Refused to follow a redirect of {method} {_without_query(start_url)} to another origin: "
                f"{_without_query(target)} (the request carries a token or a body)", target)
        response.close()
        if response.status_code in (301, 302, 303) and method != "HEAD":
            # As browsers do: the follow-up is a GET without the body.
            method, data, json, files = "GET", None, None, None
            headers.pop("Content-Type", None)
        if not same_origin(url, target):
            headers.pop("Authorization", None)
        url, params = target, None  # the Location carries its own query
    raise MastodonNetworkError(f"Could not complete request: more than {MAX_REDIRECTS} redirects from {start_url}")


def _without_query(url):
    return url.partition("?")[0]


def _exchange_once(session, method, url, headers, params, data, json, files, deadline, stream, read_timeout):
    _exchange.deadline = deadline
    _exchange.tickets = tickets = []
    _exchange.answered = None
    cut = False
    response = None
    try:
        try:
            body = {name: value for name, value in (("params", params), ("data", data), ("json", json),
                                                    ("files", files)) if value is not None}
            response = session.request(method, url, **body, headers=headers,
                                       timeout=_socket_timeout(deadline, stream, read_timeout),
                                       allow_redirects=False, stream=True)
            if not stream:
                if deadline is not None and not tickets:
                    # A session of the caller's: the watchdog can still cut the body.
                    sock = socket_of(response)
                    if sock is not None:
                        tickets.append(_watchdog.watch(deadline, sock))
                _read_body(response, deadline)
        finally:
            _exchange.deadline = None
            for ticket in tickets:
                cut = _watchdog.unwatch(ticket) or cut
    except ValueError as e:
        # requests reads the Location of a redirect even when not following it.
        answered = getattr(_exchange, "answered", None)
        if answered is not None and getattr(answered, "is_redirect", False):
            location = answered.headers.get("Location")
            raise MastodonNetworkError(
                f"Could not complete request: the server redirected to a malformed URL: {location!r}") from e
        if cut or _past(deadline):
            raise MastodonReadTimeout(f"Could not complete request: {e}") from e
        raise MastodonNetworkError(f"Could not complete request: {e}") from e
    except requests.exceptions.RequestException as e:
        if isinstance(e, requests.exceptions.ConnectTimeout):
            raise MastodonReadTimeout(f"Could not reach {_host(url)}: connection timed out") from e
        if cut or isinstance(e, requests.exceptions.ReadTimeout) or _past(deadline):
            raise MastodonReadTimeout(f"Could not complete request: {e}") from e
        raise _unreachable(url, e) or MastodonNetworkError(f"Could not complete request: {e}") from e
    except OSError as e:
        # A socket error urllib3 did not wrap.
        if cut or _past(deadline):
            raise MastodonReadTimeout(f"Could not complete request: {e}") from e
        raise _unreachable(url, e) or MastodonNetworkError(f"Could not complete request: {e}") from e
    if cut and not stream:
        raise MastodonReadTimeout("Could not complete request: the timeout passed")
    return response


# Why a connection could not be opened, by the error at the bottom of the chain requests and
# urllib3 wrap around it (the full chain stays reachable as ``__cause__``).
_CONNECT_ERRNOS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ENETUNREACH: "network unreachable",
    errno.EHOSTUNREACH: "host unreachable",
}


def _connect_failure(error):
    """A short reason when ``error`` is a failure to open the connection, else None."""
    seen = 0
    while isinstance(error, BaseException) and seen < 12:
        seen += 1
        if isinstance(error, socket.gaierror):
            return "host name not found"
        if type(error).__name__ == "NameResolutionError":  # urllib3 2, before it chains the gaierror
            return "host name not found"
        if isinstance(error, OSError) and error.errno in _CONNECT_ERRNOS \
                and not isinstance(error, requests.exceptions.RequestException):
            return _CONNECT_ERRNOS[error.errno]
        following = error.__cause__ or error.__context__ or getattr(error, "reason", None)
        if following is None and error.args and isinstance(error.args[0], BaseException):
            following = error.args[0]
        error = following
    return None


def _host(url):
    """``host[:port]`` of a URL, for messages (never the user info)."""
    try:
        return urlsplit(url).netloc.rpartition("@")[2] or url
    except ValueError:
        return url


def _unreachable(url, error):
    """``MastodonNetworkError("Could not reach <host>: <why>")`` when the connection could not be
    opened (a server that is down, a wrong host name), else None."""
    reason = _connect_failure(error)
    return None if reason is None else MastodonNetworkError(f"Could not reach {_host(url)}: {reason}")


def socket_of(response):
    """The socket a streamed response reads from, or None (a stand-in, or already released)."""
    raw = getattr(response, "raw", None)
    if raw is None:
        return None
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if isinstance(sock, socket.socket):
        return sock
    try:
        sock = raw._fp.fp.raw._sock
    except AttributeError:
        return None
    return sock if isinstance(sock, socket.socket) else None


def _past(deadline):
    return deadline is not None and time.monotonic() >= deadline


def _socket_timeout(deadline, stream, read_timeout):
    """``(connect, read)`` socket timeouts: what is left of the deadline, and for a stream the
    read timeout of its body."""
    if deadline is None:
        return (None, read_timeout) if stream else None
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise MastodonReadTimeout("Could not complete request: the timeout passed")
    return (remaining, read_timeout) if stream else (remaining, remaining)


def _read_body(response, deadline):
    """Read the body in chunks, checking the deadline between them; a body that can only become
    an error message (an error status, or HTML) is read up to MAX_UNUSABLE_BODY bytes."""
    if not isinstance(response, requests.Response) or response._content is not False:
        return  # a stand-in response of a test session, or already read
    limit = None
    if response.status_code >= 400 or _is_html(response):
        limit = MAX_UNUSABLE_BODY
    chunks = []
    size = 0
    try:
        for chunk in response.iter_content(_CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if limit is not None and size >= limit:
                break
            if _past(deadline):
                raise requests.exceptions.ReadTimeout("the timeout passed while reading the body")
    finally:
        response._content = b"".join(chunks)
        response._content_consumed = True
        if limit is not None and size >= limit:
            response._content = response._content[:limit]
            response.close()


def _is_html(response):
    content_type = response.headers.get("Content-Type")
    return isinstance(content_type, str) and content_type.lower().startswith("text/html")
