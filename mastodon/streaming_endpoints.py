"""Streaming endpoints: the user, public, hashtag, list and direct streams and the health check.

Every ``stream_*`` method blocks and hands events to the listener until the stream fails
(``run_async=False``), or returns a :class:`~mastodon.streaming.StreamHandle` reading in the
background (``run_async=True``), which with ``reconnect_async=True`` survives network failures.
Options beyond Mastodon.py's come last: ``backfill`` (fetch what was missed while disconnected),
``liveness_timeout`` (seconds of silence after which the connection counts as dead; None turns
the check off), ``reconnect_max_wait_sec`` (cap of the reconnect backoff) and
``backfill_max_pages`` (at most this many REST pages per kind of event after each reconnect;
None, the default, fetches the whole gap).
"""

from __future__ import annotations

import copy
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit

from .defaults import _DEFAULT_STREAM_RECONNECT_WAIT_SEC, _DEFAULT_STREAM_TIMEOUT
from .errors import MastodonAPIError, MastodonIllegalArgumentError, MastodonNetworkError
from . import _transport
from ._http_errors import annotate
from .internals import Mastodon as Internals
from .return_types import IdType, Optional
from .streaming import (  # noqa: I001
    _close_quietly,
    _DEFAULT_LIVENESS_SEC, _DEFAULT_RECONNECT_MAX_WAIT_SEC, StreamHandle, StreamListener, _BackfillSource,
)
from .versions import _DICT_VERSION_STATUS, api_version

_LIVENESS = _DEFAULT_LIVENESS_SEC
_MAX_WAIT = _DEFAULT_RECONNECT_MAX_WAIT_SEC
# The largest ``limit`` Mastodon accepts: backfill reads the fewest pages with it.
_STATUS_PAGE = 40
_NOTIFICATION_PAGE = 80


class _StreamOptions(NamedTuple):
    """The options every stream_* method takes, passed on as one object."""
    run_async: bool
    timeout: float
    reconnect_async: bool
    reconnect_async_wait_sec: float
    backfill: bool
    liveness_timeout: Optional[float]
    reconnect_max_wait_sec: float
    backfill_max_pages: Optional[int]


class Mastodon(Internals):
    @api_version("1.1.0", "1.4.2", _DICT_VERSION_STATUS)
    def stream_user(self, listener: StreamListener, run_async: bool = False,
                    timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                    reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                    backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                    reconnect_max_wait_sec: float = _MAX_WAIT,
                    backfill_max_pages: Optional[int] = None) -> Optional[StreamHandle]:
        """Stream the logged-in user's home timeline and notifications to ``listener``.

        Returns None (blocking) or a StreamHandle (``run_async``). With ``backfill``, statuses and
        notifications missed while reconnecting are fetched and delivered first; with
        ``backfill_max_pages`` too, only the newest of a longer gap are, and the listener's
        ``on_gap`` learns what was skipped. Raises :class:`MastodonNetworkError` when the stream
        cannot be opened or :class:`MastodonIllegalArgumentError` for a bad option.
        """
        return self.__open_stream("/api/v1/streaming/user", listener, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    @api_version("1.1.0", "1.4.2", _DICT_VERSION_STATUS)
    def stream_public(self, listener: StreamListener, run_async: bool = False,
                      timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                      reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                      local: bool = False, remote: bool = False, backfill: bool = False,
                      liveness_timeout: Optional[float] = _LIVENESS, reconnect_max_wait_sec: float = _MAX_WAIT,
                      backfill_max_pages: Optional[int] = None) -> Optional[StreamHandle]:
        """Stream the federated timeline (only local statuses with ``local``, only remote ones
        with ``remote``) to ``listener``.

        Returns None (blocking) or a StreamHandle (``run_async``). Raises
        :class:`MastodonIllegalArgumentError` when both ``local`` and ``remote`` are set.
        """
        if local and remote:
            raise MastodonIllegalArgumentError("Cannot stream only local and only remote statuses at once.")
        endpoint = "/api/v1/streaming/public" + ("/local" if local else "") + ("/remote" if remote else "")
        return self.__open_stream(endpoint, listener, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    @api_version("1.1.0", "1.4.2", _DICT_VERSION_STATUS)
    def stream_local(self, listener: StreamListener, run_async: bool = False,
                     timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                     reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                     backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                     reconnect_max_wait_sec: float = _MAX_WAIT,
                     backfill_max_pages: Optional[int] = None) -> Optional[StreamHandle]:
        """Stream the local timeline to ``listener``. Deprecated: same as
        ``stream_public(listener, local=True)``."""
        return self.stream_public(listener, run_async=run_async, timeout=timeout, reconnect_async=reconnect_async,
                                  reconnect_async_wait_sec=reconnect_async_wait_sec, local=True,
                                  backfill=backfill, liveness_timeout=liveness_timeout,
                                  reconnect_max_wait_sec=reconnect_max_wait_sec,
                                  backfill_max_pages=backfill_max_pages)

    @api_version("1.1.0", "1.4.2", _DICT_VERSION_STATUS)
    def stream_hashtag(self, tag: str, listener: StreamListener, local: bool = False, run_async: bool = False,
                       timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                       reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                       backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                       reconnect_max_wait_sec: float = _MAX_WAIT,
                       backfill_max_pages: Optional[int] = None) -> Optional[StreamHandle]:
        """Stream the statuses with hashtag ``tag`` (given without ``#``; only local ones with
        ``local``) to ``listener``.

        Returns None (blocking) or a StreamHandle (``run_async``). Raises
        :class:`MastodonIllegalArgumentError` for a tag starting with ``#``.
        """
        if not isinstance(tag, str) or not tag:
            raise MastodonIllegalArgumentError("The hashtag must be a non-empty string.")
        if tag.startswith("#"):
            raise MastodonIllegalArgumentError("Tag parameter should omit leading #")
        endpoint = "/api/v1/streaming/hashtag" + ("/local" if local else "") + f"?tag={tag}"
        return self.__open_stream(endpoint, listener, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_STATUS)
    def stream_list(self, id: IdType, listener: StreamListener, run_async: bool = False,
                    timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                    reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                    backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                    reconnect_max_wait_sec: float = _MAX_WAIT,
                    backfill_max_pages: Optional[int] = None) -> Optional[StreamHandle]:
        """Stream the timeline of list ``id`` to ``listener``.

        Returns None (blocking) or a StreamHandle (``run_async``).
        """
        id = self.__unpack_id(id)
        return self.__open_stream(f"/api/v1/streaming/list?list={id}", listener, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    @api_version("2.6.0", "2.6.0", _DICT_VERSION_STATUS)
    def stream_direct(self, listener: StreamListener, run_async: bool = False,
                      timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                      reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                      backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                      reconnect_max_wait_sec: float = _MAX_WAIT,
                      backfill_max_pages: Optional[int] = None) -> Optional[StreamHandle]:
        """Stream the user's direct conversations (``on_conversation``) to ``listener``.

        Returns None (blocking) or a StreamHandle (``run_async``). ``backfill`` has nothing to
        fetch for this stream and is accepted for uniformity.
        """
        return self.__open_stream("/api/v1/streaming/direct", listener, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    @api_version("2.5.0", "2.5.0", "2.5.0")
    def stream_healthy(self) -> bool:
        """True when the streaming server reports itself healthy (bool)."""
        base = self.__get_streaming_base()
        status = self.__api_request("GET", "/api/v1/streaming/health", base_url_override=base, parse=False)
        return status in (b"OK", b"success")

    # -----------------------------------------------------------------------------------------
    # Internals

    def __get_streaming_base(self):
        """The streaming server's base URL, from the instance information (``wss://`` becomes
        ``https://``, ``ws://`` becomes ``http://``). The server's own streaming host is trusted
        with the access token from then on."""
        instance = self.instance()
        try:
            streaming = instance["urls"]["streaming_api"]
        except (KeyError, TypeError):
            streaming = None
        if not streaming or streaming == self.api_base_url:
            return self.api_base_url
        if not isinstance(streaming, str):
            raise MastodonAPIError(f"Could not parse streaming api location returned from server: {streaming!r}.")
        try:
            parts = urlsplit(streaming)
        except ValueError:
            parts = None
        scheme = {"wss": "https", "ws": "http"}.get(parts.scheme.lower()) if parts is not None else None
        if scheme is None or not parts.netloc:
            raise MastodonAPIError(f"Could not parse streaming api location returned from server: {streaming}.")
        self.__trust_host(parts.netloc)
        return f"{scheme}://{parts.netloc}"  # as Mastodon.py: the host only, any path is ignored

    def __stream(self, endpoint, listener, params=None, run_async=False, timeout=_DEFAULT_STREAM_TIMEOUT,
                 reconnect_async=False, reconnect_async_wait_sec=_DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                 backfill=False, liveness_timeout=_LIVENESS, reconnect_max_wait_sec=_MAX_WAIT,
                 backfill_max_pages=None):
        """Mastodon.py's private helper, with its call shape: see :meth:`__open_stream`."""
        return self.__open_stream(endpoint, listener, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages), params)

    def __open_stream(self, endpoint, listener, options, params=None):
        """Open ``endpoint`` on the streaming server and feed ``listener``; see the stream_* methods."""
        (run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
         reconnect_max_wait_sec, backfill_max_pages) = options
        if not callable(getattr(listener, "handle_stream", None)):
            raise MastodonIllegalArgumentError("The listener must be a StreamListener (it needs handle_stream).")
        if liveness_timeout is not None and liveness_timeout < 0:
            raise MastodonIllegalArgumentError("liveness_timeout must be positive (or None to turn it off).")
        if backfill_max_pages is not None and (not isinstance(backfill_max_pages, int)
                                               or isinstance(backfill_max_pages, bool) or backfill_max_pages < 1):
            raise MastodonIllegalArgumentError("backfill_max_pages must be a positive int (or None for no cap).")
        url = self.__get_streaming_base() + endpoint
        params = dict(params) if params else {}

        def connect():
            headers = self.__request_headers(url, None, None)
            try:
                # Through session.get, as Mastodon.py opens streams (code that wraps it keeps working).
                response = _transport.send(_transport.ByVerb(self.session), "GET", url, headers=headers,
                                           data=params or None,
                                           timeout=self.request_timeout, stream=True, read_timeout=timeout)
            except MastodonNetworkError as e:
                error = copy.copy(e)  # keeps the class and attributes (a refused redirect's target)
                error.args = (f"Could not connect to streaming server: {e}",)
                raise error from e
            if response.status_code != 200:
                error = annotate(MastodonNetworkError(f"Could not connect to streaming server: {response.reason}"),
                                 response)
                _close_quietly(response)
                raise error
            return response

        sources = self.__backfill_sources(endpoint) if backfill else ()
        handle = StreamHandle(connect, listener, reconnect_async, reconnect_async_wait_sec,
                              backfill_sources=sources, liveness_timeout=liveness_timeout,
                              reconnect_max_wait_sec=reconnect_max_wait_sec, backfill_max_pages=backfill_max_pages)
        if not run_async:
            handle._run_blocking(connect())
            return None
        try:
            response = connect()
        except MastodonNetworkError as error:
            if not reconnect_async:
                raise
            handle._report(error)
            response = None
        return handle._start(response)

    def __backfill_sources(self, endpoint):
        """Where a stream's missed events can be read: one ``_BackfillSource`` per event kind."""
        path, _, query = endpoint.partition("?")
        query = dict(parse_qsl(query, keep_blank_values=True))

        def source(kind, rest_endpoint, page, local=None, remote=None):
            def fetch(since_id, max_id, limit):
                params = self.__generate_params(dict(local=local, remote=remote, max_id=max_id,
                                                     since_id=since_id, limit=limit))
                return self.__api_request("GET", rest_endpoint, params)
            return _BackfillSource(kind, fetch, page)

        def statuses(rest_endpoint, local=None, remote=None):
            return source("update", rest_endpoint, _STATUS_PAGE, local=local, remote=remote)

        if path == "/api/v1/streaming/user":
            return [statuses("/api/v1/timelines/home"),
                    source("notification", "/api/v1/notifications", _NOTIFICATION_PAGE)]
        if path == "/api/v1/streaming/user/notification":
            return [source("notification", "/api/v1/notifications", _NOTIFICATION_PAGE)]
        if path.startswith("/api/v1/streaming/public"):
            return [statuses("/api/v1/timelines/public", local=path.endswith("/local") or None,
                             remote=path.endswith("/remote") or None)]
        if path.startswith("/api/v1/streaming/hashtag") and query.get("tag"):
            return [statuses(f"/api/v1/timelines/tag/{query['tag']}", local=path.endswith("/local") or None)]
        if path == "/api/v1/streaming/list" and query.get("list"):
            return [statuses(f"/api/v1/timelines/list/{query['list']}")]
        return []
