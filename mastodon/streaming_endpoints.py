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
import logging
import os
import ssl
from typing import NamedTuple, Union
from urllib.parse import parse_qsl, urlsplit

import requests

from .defaults import _DEFAULT_STREAM_RECONNECT_WAIT_SEC, _DEFAULT_STREAM_TIMEOUT
from .errors import MastodonAPIError, MastodonError, MastodonIllegalArgumentError, MastodonNetworkError
from . import _dialect, _transport, _websocket
from ._http_errors import annotate
from .internals import Mastodon as Internals
from .return_types import IdType, Optional
from .streaming import (  # noqa: I001
    _close_quietly,
    _DEFAULT_LIVENESS_SEC, _DEFAULT_RECONNECT_MAX_WAIT_SEC, SSEStreamHandle, StreamHandle, StreamListener,
    _BackfillSource,
)
from .streaming_websocket import WebSocketStreamHandle, WebSocketSubscription
from .versions import _DICT_VERSION_NOTIFICATION, _DICT_VERSION_STATUS, api_version

log = logging.getLogger("mastodon.streaming")

_LIVENESS = _DEFAULT_LIVENESS_SEC
_MAX_WAIT = _DEFAULT_RECONNECT_MAX_WAIT_SEC
# The largest ``limit`` Mastodon accepts: backfill reads the fewest pages with it.
_STATUS_PAGE = 40
_NOTIFICATION_PAGE = 80


_TRANSPORTS = ("sse", "websocket", "auto")
# WebSocket stream name → the path of the same stream as Server-Sent Events.
_SSE_PATHS = {
    "user": "/api/v1/streaming/user",
    "user:notification": "/api/v1/streaming/user/notification",
    "public": "/api/v1/streaming/public",
    "public:local": "/api/v1/streaming/public/local",
    "public:remote": "/api/v1/streaming/public/remote",
    "hashtag": "/api/v1/streaming/hashtag",
    "hashtag:local": "/api/v1/streaming/hashtag/local",
    "list": "/api/v1/streaming/list",
    "direct": "/api/v1/streaming/direct",
}


def _sse_endpoint(stream, params):
    """The SSE endpoint of a WebSocket stream (``public:local:media`` →
    ``/api/v1/streaming/public/local?only_media=true``); None for names Mastodon does not have."""
    media = stream.endswith(":media")
    path = _SSE_PATHS.get(stream[:-len(":media")] if media else stream)
    if path is None:
        return None
    if "tag" in params:
        return f"{path}?tag={params['tag']}"
    if "list" in params:
        return f"{path}?list={params['list']}"
    return path + "?only_media=true" if media else path


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


_Handle = Union[StreamHandle, WebSocketSubscription, None]


class Mastodon(Internals):
    #: How the ``stream_*`` methods reach the server without ``websocket_handle``: ``"sse"``
    #: (Server-Sent Events, the default), ``"websocket"`` (a WebSocket per call, for servers
    #: without the SSE endpoints, such as GoToSocial) or ``"auto"`` (SSE, and a WebSocket when
    #: the SSE endpoint answers 404 or 400). Set it on the client: ``api.streaming_transport =
    #: "websocket"``.
    streaming_transport = "sse"

    @api_version("1.1.0", "1.4.2", _DICT_VERSION_STATUS)
    def stream_user(self, listener: StreamListener, run_async: bool = False,
                    timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                    reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                    websocket_handle: Optional[WebSocketStreamHandle] = None,
                    backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                    reconnect_max_wait_sec: float = _MAX_WAIT,
                    backfill_max_pages: Optional[int] = None) -> _Handle:
        """Stream the logged-in user's home timeline and notifications to ``listener``.

        Returns None (blocking), a StreamHandle (``run_async``) or, with ``websocket_handle``, the
        WebSocketSubscription made on that handle (the connection options are then the
        handle's). With ``backfill``, statuses and notifications missed while reconnecting are
        fetched and delivered first; with ``backfill_max_pages`` too, only the newest of a longer
        gap are, and the listener's ``on_gap`` learns what was skipped. Raises
        :class:`MastodonNetworkError` when the stream cannot be opened or
        :class:`MastodonIllegalArgumentError` for a bad option.
        """
        return self.__stream_or_subscribe("user", {}, listener, websocket_handle, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    @api_version("1.4.2", "1.4.2", _DICT_VERSION_NOTIFICATION)
    def stream_user_notifications(self, listener: StreamListener, run_async: bool = False,
                                  timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                                  reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                                  websocket_handle: Optional[WebSocketStreamHandle] = None,
                                  backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                                  reconnect_max_wait_sec: float = _MAX_WAIT,
                                  backfill_max_pages: Optional[int] = None) -> _Handle:
        """Stream only the logged-in user's notifications to ``listener`` (``on_notification``).

        Returns None (blocking), a StreamHandle (``run_async``) or the WebSocketSubscription
        made on ``websocket_handle``; ``backfill`` fetches the notifications missed while
        reconnecting.
        """
        return self.__stream_or_subscribe("user:notification", {}, listener, websocket_handle, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    @api_version("1.1.0", "1.4.2", _DICT_VERSION_STATUS)
    def stream_public(self, listener: StreamListener, run_async: bool = False,
                      timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                      reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                      local: bool = False, remote: bool = False, only_media: bool = False,
                      websocket_handle: Optional[WebSocketStreamHandle] = None, backfill: bool = False,
                      liveness_timeout: Optional[float] = _LIVENESS, reconnect_max_wait_sec: float = _MAX_WAIT,
                      backfill_max_pages: Optional[int] = None) -> _Handle:
        """Stream the federated timeline (only local statuses with ``local``, only remote ones
        with ``remote``, only statuses with media with ``only_media``) to ``listener``.

        Returns None (blocking), a StreamHandle (``run_async``) or the WebSocketSubscription
        made on ``websocket_handle``. Raises :class:`MastodonIllegalArgumentError` when both
        ``local`` and ``remote`` are set.
        """
        if local and remote:
            raise MastodonIllegalArgumentError("Cannot stream only local and only remote statuses at once.")
        stream = "public" + (":local" if local else "") + (":remote" if remote else "") + (":media" if only_media else "")
        return self.__stream_or_subscribe(stream, {}, listener, websocket_handle, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    @api_version("1.1.0", "1.4.2", _DICT_VERSION_STATUS)
    def stream_local(self, listener: StreamListener, run_async: bool = False,
                     timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                     reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                     only_media: bool = False, websocket_handle: Optional[WebSocketStreamHandle] = None,
                     backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                     reconnect_max_wait_sec: float = _MAX_WAIT,
                     backfill_max_pages: Optional[int] = None) -> _Handle:
        """Stream the local timeline to ``listener``. Deprecated: same as
        ``stream_public(listener, local=True)``."""
        return self.stream_public(listener, run_async=run_async, timeout=timeout, reconnect_async=reconnect_async,
                                  reconnect_async_wait_sec=reconnect_async_wait_sec, local=True,
                                  only_media=only_media, websocket_handle=websocket_handle,
                                  backfill=backfill, liveness_timeout=liveness_timeout,
                                  reconnect_max_wait_sec=reconnect_max_wait_sec,
                                  backfill_max_pages=backfill_max_pages)

    @api_version("1.1.0", "1.4.2", _DICT_VERSION_STATUS)
    def stream_hashtag(self, tag: str, listener: StreamListener, local: bool = False, run_async: bool = False,
                       timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                       reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                       websocket_handle: Optional[WebSocketStreamHandle] = None,
                       backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                       reconnect_max_wait_sec: float = _MAX_WAIT,
                       backfill_max_pages: Optional[int] = None) -> _Handle:
        """Stream the statuses with hashtag ``tag`` (given without ``#``; only local ones with
        ``local``) to ``listener``.

        Returns None (blocking), a StreamHandle (``run_async``) or the WebSocketSubscription
        made on ``websocket_handle``. Raises :class:`MastodonIllegalArgumentError` for a tag
        starting with ``#``.
        """
        if not isinstance(tag, str) or not tag:
            raise MastodonIllegalArgumentError("The hashtag must be a non-empty string.")
        if tag.startswith("#"):
            raise MastodonIllegalArgumentError("Tag parameter should omit leading #")
        return self.__stream_or_subscribe("hashtag:local" if local else "hashtag", {"tag": tag}, listener,
                                          websocket_handle, _StreamOptions(
                                              run_async, timeout, reconnect_async, reconnect_async_wait_sec,
                                              backfill, liveness_timeout, reconnect_max_wait_sec,
                                              backfill_max_pages))

    @api_version("2.1.0", "2.1.0", _DICT_VERSION_STATUS)
    def stream_list(self, id: IdType, listener: StreamListener, run_async: bool = False,
                    timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                    reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                    websocket_handle: Optional[WebSocketStreamHandle] = None,
                    backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                    reconnect_max_wait_sec: float = _MAX_WAIT,
                    backfill_max_pages: Optional[int] = None) -> _Handle:
        """Stream the timeline of list ``id`` to ``listener``.

        Returns None (blocking), a StreamHandle (``run_async``) or the WebSocketSubscription
        made on ``websocket_handle``.
        """
        id = self.__unpack_id(id)
        return self.__stream_or_subscribe("list", {"list": str(id)}, listener, websocket_handle, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    @api_version("2.6.0", "2.6.0", _DICT_VERSION_STATUS)
    def stream_direct(self, listener: StreamListener, run_async: bool = False,
                      timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                      reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                      websocket_handle: Optional[WebSocketStreamHandle] = None,
                      backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                      reconnect_max_wait_sec: float = _MAX_WAIT,
                      backfill_max_pages: Optional[int] = None) -> _Handle:
        """Stream the user's direct conversations (``on_conversation``) to ``listener``.

        Returns None (blocking), a StreamHandle (``run_async``) or the WebSocketSubscription
        made on ``websocket_handle``. ``backfill`` has nothing to fetch for this stream and is
        accepted for uniformity.
        """
        return self.__stream_or_subscribe("direct", {}, listener, websocket_handle, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages))

    def stream_open_websocket(self, listener: Optional[StreamListener] = None,
                              timeout: float = _DEFAULT_STREAM_TIMEOUT, reconnect_async: bool = False,
                              reconnect_async_wait_sec: float = _DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                              backfill: bool = False, liveness_timeout: Optional[float] = _LIVENESS,
                              reconnect_max_wait_sec: float = _MAX_WAIT,
                              backfill_max_pages: Optional[int] = None) -> WebSocketStreamHandle:
        """Open one WebSocket to the streaming server (Mastodon 3.3+) for any number of streams.

        Subscribe with ``handle.subscribe("hashtag", tag="python")`` or by passing
        ``websocket_handle=handle`` to the ``stream_*`` methods; each subscription has its own
        listener, ``listener`` (optional) is the default one. The other options are those of the
        ``stream_*`` methods and apply to every subscription. Returns the connected, running
        :class:`~mastodon.WebSocketStreamHandle`. Raises :class:`MastodonNetworkError` when the
        connection fails (with ``reconnect_async``, only when the server refuses the token) and
        NotImplementedError without the optional dependency (``pip install "mastodon[websocket]"``).
        """
        options = _StreamOptions(True, timeout, reconnect_async, reconnect_async_wait_sec, backfill,
                                 liveness_timeout, reconnect_max_wait_sec, backfill_max_pages)
        return self.__websocket_handle(listener, options)._launch()

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
        streaming = self.__dialect.streaming_url(self)
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

    def __streaming_url_from_instance(self):
        """The streaming URL of ``instance()`` (asked at every stream, as Mastodon.py 1.8.1 does)."""
        instance = self.instance()
        try:
            return instance["urls"]["streaming_api"]
        except (KeyError, TypeError):
            return None

    def __streaming_url_v1_else_v2(self):
        """Dialect "2" (row W6): after the public feed's availability check (X6), the streaming
        URL of the v1 instance, else of the v2 one (both fetched once per client)."""
        self.__warn_if_feed_unavailable("public", False, False)
        for fetch, keys in ((self.__instance_v1_cached, ("urls", "streaming_api")),
                            (self.__instance_v2_cached, ("configuration", "urls", "streaming"))):
            try:
                value = fetch()
                for key in keys:
                    value = value[key]
            except (MastodonError, KeyError, TypeError):
                continue
            if value:
                return value
        return None

    def __stream(self, endpoint, listener, params=None, run_async=False, timeout=_DEFAULT_STREAM_TIMEOUT,
                 reconnect_async=False, reconnect_async_wait_sec=_DEFAULT_STREAM_RECONNECT_WAIT_SEC,
                 backfill=False, liveness_timeout=_LIVENESS, reconnect_max_wait_sec=_MAX_WAIT,
                 backfill_max_pages=None):
        """Mastodon.py's private helper, with its call shape: see :meth:`__open_stream`."""
        return self.__open_stream(endpoint, listener, _StreamOptions(
            run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
            reconnect_max_wait_sec, backfill_max_pages), params)

    def __stream_or_subscribe(self, stream, params, listener, websocket_handle, options):
        """One stream, by the transport asked for: a subscription on ``websocket_handle``, a
        WebSocket of its own or Server-Sent Events (see ``streaming_transport``)."""
        _dialect.set_listener_dialect(listener, self.__dialect)
        if websocket_handle is not None:
            if not isinstance(websocket_handle, WebSocketStreamHandle):
                raise MastodonIllegalArgumentError("websocket_handle must be a WebSocket stream handle.")
            return websocket_handle._subscribe(stream, listener, params, backfill=options.backfill or None)
        transport = self.streaming_transport
        if transport not in _TRANSPORTS:
            raise MastodonIllegalArgumentError(f"streaming_transport must be one of {', '.join(_TRANSPORTS)}, "
                                               f"not {transport!r}.")
        if transport == "websocket":
            return self.__stream_websocket(stream, params, listener, options)
        fallback = (stream, params) if transport == "auto" else None
        return self.__open_stream(_sse_endpoint(stream, params), listener, options, fallback=fallback)

    def __check_options(self, options):
        if options.liveness_timeout is not None and options.liveness_timeout < 0:
            raise MastodonIllegalArgumentError("liveness_timeout must be positive (or None to turn it off).")
        pages = options.backfill_max_pages
        if pages is not None and (not isinstance(pages, int) or isinstance(pages, bool) or pages < 1):
            raise MastodonIllegalArgumentError("backfill_max_pages must be a positive int (or None for no cap).")

    def __websocket_handle(self, listener, options, start=False):
        """A WebSocket handle to the streaming server (not connected yet)."""
        _websocket.require()
        self.__check_options(options)
        if listener is not None and not callable(getattr(listener, "handle_websocket_message", None)):
            raise MastodonIllegalArgumentError("The listener must be a StreamListener (it needs "
                                               "handle_websocket_message).")
        if listener is not None:
            _dialect.set_listener_dialect(listener, self.__dialect)
        base = self.__get_streaming_base()
        scheme, sep, rest = base.partition("://")
        ws_scheme = {"https": "wss", "http": "ws"}.get(scheme.lower())
        if ws_scheme is None or not sep:
            raise MastodonAPIError(f"Could not build the WebSocket streaming URL from {base!r}.")
        url = f"{ws_scheme}://{rest.rstrip('/')}/api/v1/streaming"
        # The token goes only where REST requests would send it: the API's host or the
        # streaming host the server itself named.
        trusted = "Authorization" in self.__request_headers(base + "/api/v1/streaming", None, None)
        http_url = f"{scheme}://{rest.rstrip('/')}/api/v1/streaming"
        return WebSocketStreamHandle(
            url, self.access_token if trusted else None, self.user_agent, listener, options.timeout,
            options.reconnect_async, options.reconnect_async_wait_sec, liveness_timeout=options.liveness_timeout,
            reconnect_max_wait_sec=options.reconnect_max_wait_sec, backfill=options.backfill,
            backfill_sources=self.__websocket_backfill_sources, backfill_max_pages=options.backfill_max_pages,
            ssl_context=self.__ssl_context(), proxy=self.__proxy_for(http_url), start=start,
            speaks=self.__dialect)

    def __stream_websocket(self, stream, params, listener, options):
        """One stream on a WebSocket of its own, behaving as the SSE stream would."""
        handle = self.__websocket_handle(listener, options)
        handle._subscribe(stream, listener, params, backfill=options.backfill)
        if not options.run_async:
            handle.run()
            return None
        return handle._launch()

    def __websocket_backfill_sources(self, stream, params):
        endpoint = _sse_endpoint(stream, params)
        return self.__backfill_sources(endpoint) if endpoint is not None else []

    def __ssl_context(self):
        """A TLS context that verifies as the session does (``session.verify``)."""
        verify = getattr(self.session, "verify", True)
        if verify is True or verify is None:
            return None
        context = ssl.create_default_context()
        if verify is False:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        elif isinstance(verify, str):
            if os.path.isdir(verify):
                context.load_verify_locations(capath=verify)
            else:
                context.load_verify_locations(cafile=verify)
        return context

    def __proxy_for(self, http_url):
        """The HTTP proxy requests would use for ``http_url`` (session proxies, then the
        environment unless ``trust_env`` is off), or None."""
        proxies = dict(getattr(self.session, "proxies", None) or {})
        if getattr(self.session, "trust_env", True):
            for key, value in requests.utils.get_environ_proxies(http_url).items():
                proxies.setdefault(key, value)
        return requests.utils.select_proxy(http_url, proxies) if proxies else None

    def __open_stream(self, endpoint, listener, options, params=None, fallback=None):
        """Open ``endpoint`` on the streaming server and feed ``listener``; see the stream_* methods.
        With ``fallback`` (a WebSocket stream name and its params), an endpoint the server does not
        have (404, or 400 for an unknown channel) is streamed over a WebSocket instead."""
        (run_async, timeout, reconnect_async, reconnect_async_wait_sec, backfill, liveness_timeout,
         reconnect_max_wait_sec, backfill_max_pages) = options
        if not callable(getattr(listener, "handle_stream", None)):
            raise MastodonIllegalArgumentError("The listener must be a StreamListener (it needs handle_stream).")
        # The listener decodes and dispatches as this client's dialect says.
        _dialect.set_listener_dialect(listener, self.__dialect)
        self.__check_options(options)
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
        handle = SSEStreamHandle(None, connect, reconnect_async, reconnect_async_wait_sec, listener,
                                 backfill_sources=sources, liveness_timeout=liveness_timeout,
                                 reconnect_max_wait_sec=reconnect_max_wait_sec, backfill_max_pages=backfill_max_pages)
        try:
            response = connect()
        except MastodonNetworkError as error:
            if fallback is not None and error.status_code in (400, 404) and _websocket.AVAILABLE:
                log.info("No SSE streaming endpoint (%s); streaming over a WebSocket", error.status_code)
                return self.__stream_websocket(*fallback, listener, options)
            if not run_async or not reconnect_async:
                raise
            handle._report(error)
            response = None
        if not run_async:
            handle._run_blocking(response)
            return None
        return handle._start(response)

    def __backfill_sources(self, endpoint):
        """Where a stream's missed events can be read: one ``_BackfillSource`` per event kind."""
        path, _, query = endpoint.partition("?")
        query = dict(parse_qsl(query, keep_blank_values=True))

        def source(kind, rest_endpoint, page, local=None, remote=None, only_media=None):
            def fetch(since_id, max_id, limit):
                params = self.__generate_params(dict(local=local, remote=remote, only_media=only_media,
                                                     max_id=max_id, since_id=since_id, limit=limit))
                return self.__api_request("GET", rest_endpoint, params)
            return _BackfillSource(kind, fetch, page)

        def statuses(rest_endpoint, local=None, remote=None, only_media=None):
            return source("update", rest_endpoint, _STATUS_PAGE, local=local, remote=remote, only_media=only_media)

        if path == "/api/v1/streaming/user":
            return [statuses("/api/v1/timelines/home"),
                    source("notification", "/api/v1/notifications", _NOTIFICATION_PAGE)]
        if path == "/api/v1/streaming/user/notification":
            return [source("notification", "/api/v1/notifications", _NOTIFICATION_PAGE)]
        if path.startswith("/api/v1/streaming/public"):
            return [statuses("/api/v1/timelines/public", local=path.endswith("/local") or None,
                             remote=path.endswith("/remote") or None,
                             only_media=query.get("only_media") == "true" or None)]
        if path.startswith("/api/v1/streaming/hashtag") and query.get("tag"):
            return [statuses(f"/api/v1/timelines/tag/{query['tag']}", local=path.endswith("/local") or None)]
        if path == "/api/v1/streaming/list" and query.get("list"):
            return [statuses(f"/api/v1/timelines/list/{query['list']}")]
        return []
