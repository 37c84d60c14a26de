"""The face every API area inherits: the request core and the private helpers of Mastodon.py.

Every HTTP call of the library goes through ``__api_request`` (reachable as
``_Mastodon__api_request``), a short orchestrator of named steps whose logic lives in modules
of its own, each testable alone:

* ``_params``: the wire form of parameters, ids, dates and base URLs;
* ``_ratelimit``: the budget the server grants and the throw / wait / pace modes;
* ``_transport``: one HTTP exchange with an overall deadline and safe redirects;
* ``_http_errors``: status code → exception, error texts of any body;
* ``_decoding``: JSON into attribute dicts with Mastodon.py's conversions;
* ``_links``: Link pagination and async-refresh bookkeeping on results;
* ``_redaction``: what debug output may show;
* ``_media_files`` and ``_credentials``: upload files and credential files.

The private helpers Mastodon.py's users call or patch (``__json_hooks``, ``__unpack_id``,
``__generate_params``, ``__protocolize``, ...) keep their names and call shapes here.
"""

from __future__ import annotations

import datetime
import logging
import time
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, List, Optional, Union

import requests

from . import _decoding, _dialect, _links, _media_files, _params, _redaction, _transport
from . import _callsite
from ._credentials import read_secret_file, write_secret_file  # noqa: F401 (used by the mixins)
from ._decoding import (  # noqa: F401 (the decoding names tests and tools read from here)
    _DATE_KEYS, _INT_KEYS, _TRUEFALSE_KEYS, SPEEDUPS, _json_object_hook, _object_hook, _speedup_key_kinds,
    parse_json_bytes,
)
from ._http_errors import raise_for_status, ratelimit_error, unparseable, unparseable_args
from ._links import ascii_int, pagination_params_from_url, parse_link_header  # noqa: F401
from ._media_files import format_focus  # noqa: F401
from ._ratelimit import MAX_SLEEP, RateLimiter
from ._state import Caches
from .errors import MastodonDeprecationWarning, MastodonError, MastodonVersionError, MastodonWarning
from .types_base import AttribAccessDict, EmptyResponse
from .versions import check_version, normalize_version_string, parse_version_string, speaks_mastodon_quirks

log = logging.getLogger("mastodon")

# A 429 that names no time to wait is sent again at once at most this often.
_IMMEDIATE_RETRIES = 3


def _ratelimit_attribute(name, doc):
    def get(self):
        return getattr(self._Mastodon__ratelimiter, name)

    def set(self, value):
        setattr(self._Mastodon__ratelimiter, name, value)
    return property(get, set, doc=doc)


def _cache_attribute(name):
    def get(self):
        return getattr(self._Mastodon__caches, name)

    def set(self, value):
        setattr(self._Mastodon__caches, name, value)
    return property(get, set)


class Mastodon:
    """The request core and the helpers every API area shares."""

    # -----------------------------------------------------------------------------------------
    # Client state, assigned by ``__init__`` (authentication.py) and declared here, once, so that
    # every area sees the same types.

    api_base_url: str
    #: ``client_id`` and ``access_token`` hold the text of a credential file named in their place;
    #: only a path that names no file is kept as given (as Mastodon.py 1.8.1 does).
    client_id: Optional[Union[str, PurePath]]
    client_secret: Optional[str]
    access_token: Optional[Union[str, PurePath]]
    debug_requests: bool
    request_timeout: float
    session: requests.Session
    feature_set: str
    user_agent: Optional[str]
    lang: Optional[str]
    mastodon_major: int
    mastodon_minor: int
    mastodon_patch: int
    #: True once the server version was read, False when reading it failed, None before. A public
    #: attribute in dialect "1.8" only: dialect "2" keeps it private, as Mastodon.py 2.x does.
    version_check_worked: Optional[bool]
    version_check_mode: str
    #: Dialect "2" only: the server's ``api_versions.mastodon`` (0 until fetched).
    mastodon_api_version: int
    __dialect: _dialect.Dialect
    _token_expired: datetime.datetime
    _refresh_token: Optional[str]
    __caches: Caches
    __ratelimiter: RateLimiter
    __pkce_verifier: Optional[str]

    if TYPE_CHECKING:
        # Methods of other areas that some areas call; the composed client has them all.
        def retrieve_mastodon_version(self, fail_hard: bool = False) -> str: ...

        def verify_minimum_version(self, version_str: str, cached: bool = False) -> bool: ...

        def __adopt_token(self, answer: Any, requested_scopes: List[str]) -> None: ...

    # -----------------------------------------------------------------------------------------
    # Rate-limit state, as Mastodon.py exposes it (owned by the client's RateLimiter)

    ratelimit_method = _ratelimit_attribute("method", "'throw', 'wait' or 'pace'.")
    ratelimit_limit = _ratelimit_attribute("limit", "Calls the server allows per window.")
    ratelimit_remaining = _ratelimit_attribute("remaining", "Calls left in the current window.")
    ratelimit_reset = _ratelimit_attribute("reset", "When the window resets (epoch seconds).")
    ratelimit_lastcall = _ratelimit_attribute("lastcall", "When the last call was made (epoch seconds).")
    ratelimit_pacefactor = _ratelimit_attribute("pacefactor", "How much faster than even spacing pace mode runs.")
    ratelimit_callback = _ratelimit_attribute(
        "callback", "Called as callback(seconds, reason) before each rate-limit wait ('429' or 'pace').")

    # Mastodon.py's names of cached state (user code and tests read and reset them), kept as
    # views of the one cache container.
    __logged_in_id = _cache_attribute("logged_in_id")
    __instance_v1_cache = _cache_attribute("instance_v1")
    __instance_v2_cache = _cache_attribute("instance_v2")
    __oauth_info_cache = _cache_attribute("oauth_info")

    # -----------------------------------------------------------------------------------------
    # Mastodon.py's private helpers

    __protocolize = staticmethod(_params.protocolize)
    __deprotocolize = staticmethod(_params.deprotocolize)
    __consistent_isoformat_utc = staticmethod(_params.isoformat_utc)
    __json_hooks = staticmethod(_decoding._json_object_hook)
    __json_strnum_to_bignum = staticmethod(_decoding.convert_ids)
    __json_date_parse = staticmethod(_decoding.convert_dates)
    __json_truefalse_parse = staticmethod(_decoding.convert_truefalse)
    __json_allow_dict_attrs = staticmethod(_decoding.wrap_dict)

    def __datetime_to_epoch(self, date_time):
        return _params.datetime_to_epoch(date_time)

    def __unpack_id(self, id, dateconv=False, listify=False, field="id"):
        return _params.unpack_id(id, dateconv=dateconv, listify=listify, field=field)

    def __generate_params(self, params, exclude=None, for_json=False, dateconv=True, *, omit_false=(), days=()):
        return _params.generate_params(params, exclude=exclude, for_json=for_json, dateconv=dateconv,
                                       omit_false=omit_false, days=days)

    def __guess_type(self, media_file):
        return _media_files.guess_type(media_file)

    def __load_media_file(self, media_file, mime_type=None, file_name=None):
        return _media_files.load_media_file(media_file, mime_type=mime_type, file_name=file_name)

    def __encode_data_uri(self, media_file, mime_type=None):
        return _media_files.encode_data_uri(media_file, mime_type=mime_type)

    def __normalize_version_string(self, version_string):
        return normalize_version_string(version_string)

    # -----------------------------------------------------------------------------------------
    # Versions

    @property
    def dialect(self) -> str:
        """The dialect this client speaks: ``"1.8"`` (Mastodon.py 1.8.1) or ``"2"`` (Mastodon.py 2.x).

        Set by the constructor's ``dialect=`` (else ``MASTODON_PY_DIALECT``); read-only.
        """
        return self.__dialect.name

    def __load_version_check_worked(self):
        """Whether reading the server version worked (None: not tried), wherever the dialect
        keeps it (row V6: public in 1.8.1, private in 2.x)."""
        return getattr(self, self.__dialect.version_check_worked_attribute, None)

    def __store_version_check_worked(self, value):
        setattr(self, self.__dialect.version_check_worked_attribute, value)

    def __check_version(self, created_ver, last_changed_ver, return_value_ver, name):
        """The ``@api_version`` gate: refuse calls the server is too old for."""
        check_version((self.mastodon_major, self.mastodon_minor, self.mastodon_patch),
                      self.__load_version_check_worked(), self.version_check_mode, created_ver,
                      last_changed_ver, return_value_ver, name, self.__dialect.version_error)

    def __version_at_least(self, version_str):
        """Cached comparison with the server version, for methods that switch endpoints. A server
        whose version could not be read (forks) is assumed to speak the current API."""
        self.__dialect.before_version_switch(self)
        if self.__load_version_check_worked() is False:
            return True
        return (self.mastodon_major, self.mastodon_minor, self.mastodon_patch) >= parse_version_string(version_str)

    def __fetch_version_once(self):
        """Dialect "2" (row V5): a client that neither fetched nor was given the server version
        (mode 'none', 2.x's default) fetches it before the first call that depends on it."""
        if self.__load_version_check_worked() is None:
            self.retrieve_mastodon_version()

    def __server_at_least(self, version_str):
        """Whether the server version, fetched first if unknown (dialect "2"), is at least
        ``version_str``; unlike ``__version_at_least`` an unreadable version counts as too old."""
        self.__dialect.before_version_switch(self)
        return (self.mastodon_major, self.mastodon_minor, self.mastodon_patch) >= parse_version_string(version_str)

    def __read_api_version(self, fail_hard=False):
        """Dialect "2" (row V4): ``api_versions.mastodon`` of ``/api/v2/instance/`` into
        ``mastodon_api_version``. Servers before 4.0.0 have no v2 instance and those before 4.3.0
        no API version: 0 for them. A 4.3.0+ server without one warns (``fail_hard``: raises
        MastodonVersionError, as does a 4.0.0+ server whose v2 instance cannot be read)."""
        try:
            instance = self.__instance_v2()
        except MastodonError as e:
            if fail_hard and self.__server_at_least("4.0.0"):
                raise MastodonVersionError(f"Could not read the v2 instance information: {e}") from e
            instance = None
        versions = instance.get("api_versions") if isinstance(instance, dict) else None
        api_version = versions.get("mastodon") if isinstance(versions, dict) else None
        if isinstance(api_version, str):
            api_version = ascii_int(api_version)
        if api_version.__class__ is int and api_version >= 0:
            self.mastodon_api_version = api_version
            return
        self.mastodon_api_version = 0
        if self.__server_at_least("4.3.0"):
            message = "The server is Mastodon 4.3.0 or later but reports no API version (api_versions.mastodon)"
            if fail_hard:
                raise MastodonVersionError(message)
            _callsite.warn(message, MastodonWarning)

    def __documented_requests(self):
        """Whether to send the documented form of requests where Mastodon.py 1.8.1 sends a quirky
        one that only Mastodon accepts: for servers whose version says they are something else."""
        return self.__caches.server_is_other is True

    # -----------------------------------------------------------------------------------------
    # Request core

    def __api_request(self, method, endpoint, params=None, files=None, headers=None,
                      access_token_override=None, base_url_override=None, do_ratelimiting=True,
                      use_json=False, parse=True, return_response_object=False, skip_error_check=False,
                      lang_override=None, override_type=None, force_pagination=False, *,
                      warn_deprecation=True, offset_paging=None, allow_empty=False):
        """Send one API request and return its parsed result.

        ``method``/``endpoint``/``params`` describe the call; the keywords are transport options.
        ``offset_paging`` (an ``_links.OffsetPaging``) marks an endpoint that pages by offset;
        ``allow_empty`` lets an answer without content become an ``EmptyResponse``.
        Users may call this (as ``_Mastodon__api_request``) for endpoints the library lacks.
        """
        params = self.__request_params(params, lang_override)
        endpoint, other_form = self.__route(endpoint, base_url_override)
        response = self.__exchange(method, endpoint, params, files, headers, access_token_override,
                                   base_url_override, do_ratelimiting, use_json)
        if response.status_code == 404 and other_form is not None:
            # Mastodon.py 1.8.1's trailing slash: servers other than Mastodon answer 404 to it,
            # and the documented form is tried once (or the other way round).
            retried = self.__exchange(method, other_form, params, files, headers, access_token_override,
                                      base_url_override, do_ratelimiting, use_json)
            if retried.status_code != 404:
                self.__caches.path_forms[endpoint.rstrip("/") + "/"] = other_form
                endpoint, response = other_form, retried
        if not skip_error_check:
            raise_for_status(response)
        if warn_deprecation:
            self.__warn_deprecated(response, endpoint)
        if return_response_object:
            return response
        if not parse:
            return response.content

        if allow_empty and isinstance(response.content, (bytes, bytearray)) and not response.content.strip():
            result = EmptyResponse()
        else:
            result = self.__parse_response(response, self.__dialect.decoder.parse, self.__dialect.json_error_args)
        if allow_empty and type(result) is AttribAccessDict and not result:
            result = EmptyResponse()
        if offset_paging is not None:
            result = _links.attach_offset_pagination(result, header_text_long(response.headers, "Link"), method,
                                                     endpoint, params, offset_paging, lang_override)
        elif isinstance(result, list) or (force_pagination and isinstance(result, AttribAccessDict)):
            result = _links.attach_pagination(result, header_text_long(response.headers, "Link"), method,
                                              endpoint, params, force_pagination)
        return _links.attach_async_refresh(result, header_text_long(response.headers, "Mastodon-Async-Refresh"),
                                           method, endpoint, params)

    def __exchange(self, method, endpoint, params, files, headers, access_token_override, base_url_override,
                   do_ratelimiting, use_json):
        url = self.__request_url(endpoint, base_url_override)
        request_headers = self.__request_headers(url, headers, access_token_override)
        kwargs = self.__request_kwargs(method, params, files, request_headers, use_json)
        self.__debug_request(method, url, params, request_headers, files)
        response = self.__send_with_ratelimit(method, url, kwargs, files, do_ratelimiting)
        self.__debug_response(response)
        return response

    def __route(self, endpoint, base_url_override):
        """The path to request and the other form to try on a 404 (None when there is none).

        Mastodon.py 1.8.1 puts a trailing slash on a few paths. Mastodon is sent that; servers
        whose version says they are something else get the documented path; whichever form
        turned out to work is remembered for the client.
        """
        if not endpoint.endswith("/") or len(endpoint) < 2 or base_url_override is not None:
            return endpoint, None
        documented = endpoint.rstrip("/")
        known = self.__caches.path_forms.get(endpoint)
        if known is not None:
            return known, None
        if self.__documented_requests():
            return documented, endpoint
        return endpoint, documented

    def __request_params(self, params, lang_override):
        params = dict(params) if params else {}
        lang = lang_override if lang_override is not None else self.lang
        if lang is not None:
            params["lang"] = lang
        return params

    def __request_url(self, endpoint, base_url_override):
        base_url = self.api_base_url if base_url_override is None else base_url_override
        return (base_url or "") + endpoint

    def __host_is_trusted(self, url):
        """Whether the token may be sent to ``url``: only the API's origin or a host the server
        itself named (its streaming API)."""
        if _transport.same_origin(self.api_base_url or "", url):
            return True
        try:
            host = _transport.urlsplit(url).netloc.lower()
        except ValueError:
            return False
        return host in self.__trusted_hosts()

    def __trusted_hosts(self):
        return self.__caches.trusted_hosts

    def __trust_host(self, netloc):
        """Let ``netloc`` (the streaming host the server names) see the token."""
        self.__caches.trusted_hosts.add(netloc.lower())

    def __request_headers(self, url, headers, access_token_override):
        request_headers = dict(headers) if headers else {}
        token = access_token_override if access_token_override is not None else self.access_token
        if token and self.__host_is_trusted(url):
            request_headers["Authorization"] = "Bearer " + token
        if self.user_agent:
            request_headers["User-Agent"] = self.user_agent
        return request_headers

    def __request_kwargs(self, method, params, files, headers, use_json):
        kwargs = dict(headers=headers, files=files or None)
        if use_json:
            kwargs["json"] = params
        elif method == "GET":
            kwargs["params"] = params
        else:
            kwargs["data"] = params
        return kwargs

    def __send_with_ratelimit(self, method, url, kwargs, files, do_ratelimiting):
        """Send, and in wait/pace mode sleep out a 429 and send again."""
        limiter = self.__ratelimiter
        immediate_retries = 0
        backoffs = 0
        while True:
            pacing = do_ratelimiting and limiter.method == "pace"
            if pacing:
                self.__dialect.pace_guard(limiter, None)  # rows X4, X8: may refuse to pace blind
                limiter.acquire()
            try:
                response = self.__send(method, url, kwargs)
            finally:
                if pacing:
                    limiter.release()
            if do_ratelimiting:
                limiter.update(response.headers)
                if pacing:
                    self.__dialect.pace_guard(limiter, response)
            if response.status_code != 429:
                return response
            if not do_ratelimiting or limiter.method == "throw":
                raise ratelimit_error(response)
            wait = limiter.retry_wait(response.headers)
            if wait == 0.0:
                immediate_retries += 1
            if wait is None or immediate_retries > _IMMEDIATE_RETRIES:
                # Nothing to wait for (no Retry-After, no reset): the dialect's back-off (row
                # X3), or none, and the normal error path decides.
                wait = self.__dialect.ratelimit_backoff(limiter.method, backoffs, response)
                backoffs += 1
            elif wait > 0.0:
                backoffs = 0  # a usable time to wait starts the back-off over
            if wait is None:
                return response
            limiter.report_wait(min(wait, MAX_SLEEP), "429", f"{method} {url.partition('?')[0]}")
            time.sleep(min(wait, MAX_SLEEP))
            self.__rewind_files(files)

    def __send(self, method, url, kwargs):
        """One HTTP exchange (see ``_transport``)."""
        return _transport.send(self.session, method, url, timeout=self.request_timeout, **kwargs)

    @staticmethod
    def __rewind_files(files):
        for value in (files or {}).values():
            handle = value[1] if isinstance(value, tuple) and len(value) > 1 else value
            if hasattr(handle, "seek"):
                try:
                    handle.seek(0)
                except (OSError, ValueError):
                    pass

    def __parse_response(self, response, parse=parse_json_bytes, args_for=unparseable_args):
        """The parsed body; ``args_for`` makes the error's args when it is not JSON (row X2)."""
        content = response.content
        if not isinstance(content, (bytes, bytearray)):
            raise unparseable(response, args_for, TypeError(f"the body is {type(content).__name__}, not bytes"))
        try:
            return parse(content)
        except (ValueError, RecursionError) as error:
            raise unparseable(response, args_for, error) from None

    def __warn_deprecated(self, response, endpoint):
        deprecation = header_text_long(response.headers, "Deprecation")
        if deprecation:
            _callsite.warn(f"Endpoint {endpoint} is deprecated by the server ({deprecation[:100]})",
                           MastodonDeprecationWarning)

    # -----------------------------------------------------------------------------------------
    # Debug output (never shows secrets)

    def __debug_enabled(self):
        return self.debug_requests or log.isEnabledFor(logging.DEBUG)

    def __debug_request(self, method, url, params, headers, files):
        if not self.__debug_enabled():
            return
        self.__debug_emit([f"Mastodon: Request to endpoint \"{url}\" using {method}.",
                           f"Parameters: {_redaction.masked_params(params)}",
                           f"Headers: {_redaction.masked_headers(headers)}",
                           f"Files: {_redaction.summarised_files(files)}"])

    def __debug_response(self, response):
        if not self.__debug_enabled():
            return
        secrets = (self.access_token, self.client_secret, self._refresh_token)
        content = response.content
        self.__debug_emit([f"Response code: {response.status_code}",
                           f"Response headers: {_redaction.masked_headers(response.headers)}",
                           f"Response text content: {_redaction.shown_body(content, secrets)}"])

    def __debug_emit(self, lines):
        for line in lines:
            log.debug(line)
        if self.debug_requests:
            print("\n".join(lines))

    # -----------------------------------------------------------------------------------------
    # Instance information and the logged-in account (cached)

    def __instance(self):
        """GET /api/v1/instance/ without a version check (used by the version check itself)."""
        instance = self.__api_request("GET", "/api/v1/instance/", warn_deprecation=False)
        self.__caches.instance_v1 = instance
        version = instance.get("version") if isinstance(instance, dict) else None
        self.__caches.server_is_other = not speaks_mastodon_quirks(version)
        return instance

    def __instance_v2(self):
        """GET /api/v2/instance/, remembered."""
        instance = self.__api_request("GET", "/api/v2/instance/")
        self.__caches.instance_v2 = instance
        return instance

    def __instance_v1_cached(self):
        cached = self.__caches.instance_v1
        return cached if cached is not None else self.__instance()

    def __instance_v2_cached(self):
        cached = self.__caches.instance_v2
        return cached if cached is not None else self.__instance_v2()

    def __get_logged_in_id(self):
        """The logged-in account's id, fetched once per token."""
        caches = self.__caches
        if caches.logged_in_id is None:
            caches.logged_in_id = self.__api_request("GET", "/api/v1/accounts/verify_credentials").id
        return caches.logged_in_id


def header_text_long(headers, name):
    """A header's value when it is a string (of any length), else None; stand-in response objects
    may carry anything as headers."""
    try:
        value = headers.get(name)
    except Exception:  # a stand-in's headers may not even be a mapping
        return None
    return value if isinstance(value, str) else None

