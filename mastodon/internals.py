"""The request core: every HTTP call of the library goes through ``__api_request``.

``__api_request`` is a short orchestrator of named steps, each small enough to test alone:
build params → build headers → pace → send (retrying a 429 in wait/pace mode) → rate-limit
bookkeeping → error mapping → JSON parsing → pagination.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import functools
import json
import logging
import mimetypes
import os
import re
import threading
import time
import uuid
import warnings
from pathlib import PurePath
from urllib.parse import parse_qsl, urlsplit

import dateutil.parser
import requests

from .compat import IMPL_HAS_MAGIC
from .errors import (
    MastodonAPIError, MastodonBadGatewayError, MastodonDeprecationWarning, MastodonFileNotFoundError,
    MastodonGatewayTimeoutError, MastodonIllegalArgumentError, MastodonInternalServerError, MastodonIOError,
    MastodonNetworkError, MastodonNotFoundError, MastodonRatelimitError, MastodonReadTimeout,
    MastodonServerError, MastodonServiceUnavailableError, MastodonUnauthorizedError,
    MastodonVersionError,
)
from .types_base import LAZY_KEYS, AsyncRefresh, AttribAccessDict, AttribAccessList
from .versions import max_version, parse_version_string

if IMPL_HAS_MAGIC:
    import magic

log = logging.getLogger("mastodon")

# ---------------------------------------------------------------------------------------------
# Response post-processing tables (Mastodon.py 1.8.1 semantics).

_INT_KEYS = frozenset((
    "id", "week", "in_reply_to_id", "in_reply_to_account_id", "logins", "registrations", "statuses",
    "day", "last_read_id", "value", "frequency", "rate", "invited_by_account_id", "count",
))
_DATE_KEYS = frozenset((
    "created_at", "week", "day", "expires_at", "scheduled_at", "updated_at", "last_status_at",
    "starts_at", "ends_at", "published_at", "edited_at", "date", "period",
))
_TRUEFALSE_KEYS = frozenset((
    "follow", "favourite", "reblog", "mention", "confirmed", "suspended", "silenced", "disabled",
    "approved", "all_day",
))
_SPECIAL_KEYS = _INT_KEYS | _DATE_KEYS | _TRUEFALSE_KEYS

_fromisoformat = datetime.datetime.fromisoformat
_UTC = datetime.timezone.utc

# Status code -> exception class; other 5xx up to 511 are MastodonServerError, the rest MastodonAPIError.
_STATUS_ERRORS = {
    401: MastodonUnauthorizedError,
    404: MastodonNotFoundError,
    500: MastodonInternalServerError,
    502: MastodonBadGatewayError,
    503: MastodonServiceUnavailableError,
    504: MastodonGatewayTimeoutError,
}

_PAGINATION_KEYS = ("max_id", "min_id", "since_id")
_SECRET_PARAMS = frozenset(("access_token", "client_secret", "password", "token", "refresh_token", "code",
                            "code_verifier", "email", "ip", "canonical_email_hash"))
# Personal data in answers (admin account listings carry users' e-mail and IP addresses).
_PERSONAL_JSON_RE = re.compile(r'("(?:[a-z_]*email[a-z_]*|ip|password)"\s*:\s*")((?:[^"\\]|\\.)*)(")')
_MAX_SLEEP = 300
_LAZY_INIT_LOCK = threading.Lock()
_RESET_MARGIN = 0.1  # seconds added to a rate-limit reset before assuming a fresh budget


def _parse_date(value):
    """One date value from JSON → aware datetime. Raises ValueError/TypeError/OverflowError."""
    if value.__class__ is str:
        try:
            parsed = _fromisoformat(value)
        except ValueError:
            # Odd servers send RFC 2822 or other formats; dateutil copes with most of them.
            try:
                parsed = dateutil.parser.parse(value)
            except (OverflowError, dateutil.parser.ParserError) as e:
                raise ValueError(str(e)) from None
        # Like dateutil (and so Mastodon.py), a value without a zone stays naive.
        return parsed
    if value.__class__ is bool:
        raise TypeError("not a date")
    return datetime.datetime.fromtimestamp(value, _UTC)


def _convert_in_place(obj):
    """Apply the id / date / true-false conversions of Mastodon.py to one decoded JSON object."""
    for key in _SPECIAL_KEYS.intersection(obj):
        value = obj[key]
        if key in _INT_KEYS and value.__class__ is str:
            try:
                obj[key] = value = int(value)
            except ValueError:
                pass
        if key in _DATE_KEYS:
            if value is None or value.__class__ is datetime.datetime:
                continue  # nothing to do, or already converted by the hot path
            try:
                if value.__class__ is str:
                    # The common case (ISO 8601) without a function call of ours.
                    obj[key] = _fromisoformat(value)
                else:
                    obj[key] = _parse_date(value)
            except (ValueError, TypeError, OverflowError, OSError):
                try:
                    obj[key] = _parse_date(value)
                except (ValueError, TypeError, OverflowError, OSError):
                    del obj[key]
        elif key in _TRUEFALSE_KEYS and value.__class__ is str:
            lowered = value.lower()
            if lowered == "true":
                obj[key] = True
            elif lowered == "false":
                obj[key] = False
    return obj


_dict_new = dict.__new__
_dict_update = dict.update
_object_setattr = object.__setattr__
_lazy_keys_cover = LAZY_KEYS.issuperset
_plain_keys_cover = (LAZY_KEYS - _SPECIAL_KEYS).issuperset
# Conversion kinds of special keys (the C hook's table uses the same numbers).
_KIND_INT, _KIND_DATE, _KIND_OTHER = 1, 2, 3
_KIND_UNCOVERED = 8  # flag: a key without a lazy attribute descriptor
_KEY_KIND = {key: _KIND_INT for key in _INT_KEYS - _DATE_KEYS}
_KEY_KIND.update({key: _KIND_DATE for key in _DATE_KEYS - _INT_KEYS})


def _json_object_hook(obj):
    """Hot path: handle the common cases (numeric-string ids, ISO dates, nulls) inline and leave
    anything unusual to the general converter."""
    if _plain_keys_cover(obj):
        # Most objects (emojis, tags, cards, fields...) have nothing to convert.
        wrapped = _dict_new(AttribAccessDict)
        _dict_update(wrapped, obj)
        return wrapped
    if not _SPECIAL_KEYS.isdisjoint(obj):
        for key in _SPECIAL_KEYS.intersection(obj):
            value = obj[key]
            if value is None:
                continue
            kind = _KEY_KIND.get(key)
            if value.__class__ is str:
                if kind == _KIND_INT:
                    first = value[:1]
                    # Only strings int() may accept are tried: a failed int() costs an exception.
                    if first.isdigit() or first in "+-" or first.isspace():
                        try:
                            obj[key] = int(value)
                        except ValueError:
                            pass
                    continue
                if kind == _KIND_DATE:
                    try:
                        obj[key] = _fromisoformat(value)
                        continue
                    except ValueError:
                        pass
            _convert_in_place(obj)
            break
    # Build the AttribAccessDict with C calls only (no __init__); see types_base for why a dict
    # with keys outside the known field names becomes its own __dict__ right away.
    wrapped = _dict_new(AttribAccessDict)
    _dict_update(wrapped, obj)
    if not _lazy_keys_cover(obj):
        _object_setattr(wrapped, "__dict__", wrapped)
    return wrapped


def _speedup_key_kinds():
    """The key table of the C hook: every known field name → its conversion kind, with a flag
    for special keys that have no lazy attribute descriptor."""
    # Built key by key: a dict with only str keys gets CPython's faster str-only lookup table.
    kinds = {key: 0 for key in sorted(LAZY_KEYS)}
    for key in _SPECIAL_KEYS:
        kinds[key] = _KEY_KIND.get(key, _KIND_OTHER) | (0 if key in LAZY_KEYS else _KIND_UNCOVERED)
    return kinds


def _load_speedups():
    """The C object hook when it was built (and not switched off with MASTODON_NO_SPEEDUPS=1),
    else the Python one; both give the same results."""
    if os.environ.get("MASTODON_NO_SPEEDUPS"):
        return _json_object_hook
    try:
        from . import _speedups
    except ImportError:
        return _json_object_hook
    _speedups.configure(AttribAccessDict, _speedup_key_kinds(), _fromisoformat, _json_object_hook)
    return _speedups.object_hook


_object_hook = _load_speedups()
SPEEDUPS = _object_hook is not _json_object_hook


def parse_json_bytes(data):
    """Decode a JSON document the way every response is decoded (conversions + attribute dicts)."""
    return json.loads(data, object_hook=_object_hook)


# ---------------------------------------------------------------------------------------------
# Link headers

_LINK_RE = re.compile(r'<([^>]*)>\s*((?:;\s*[^;,<]*)*)')
_LINK_REL_RE = re.compile(r';\s*rel\s*=\s*"?([^";,]*)"?', re.IGNORECASE)


def parse_link_header(value):
    """Parse an RFC 8288 ``Link`` header into ``{rel: url}``. Garbage yields ``{}``."""
    links = {}
    if not value or not isinstance(value, str):
        return links
    for match in _LINK_RE.finditer(value):
        url, attributes = match.group(1).strip(), match.group(2)
        for rel in _LINK_REL_RE.findall(attributes):
            for name in rel.split():
                links.setdefault(name.lower(), url)
    return links


def _id_from_query(value):
    return int(value) if value.isdigit() else value


def pagination_params_from_url(url):
    """The pagination keys (``max_id``, ``min_id``, ``since_id``, ``offset``) in a Link URL."""
    found = {}
    try:
        query = urlsplit(url).query
    except ValueError:
        return found
    for key, value in parse_qsl(query, keep_blank_values=False):
        if key in _PAGINATION_KEYS:
            found[key] = _id_from_query(value)
        elif key == "offset" and value.isdigit():
            found[key] = int(value)
    return found


def _retry_after_seconds(value, now):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    when = _header_http_date(value)
    return None if when is None else max(0.0, when - now)


class _MediaFileNotFoundError(MastodonFileNotFoundError, MastodonIllegalArgumentError):
    """A media path that names no file: a file-not-found error, and the illegal-argument error
    Mastodon.py raised for it."""


def format_focus(focus):
    """A media focus point ``(x, y)`` as the ``"x,y"`` string the API takes; a string passes as is
    (like Mastodon.py, only the first two values of a longer sequence are used)."""
    if isinstance(focus, str):
        return focus
    try:
        x, y = focus[0], focus[1]
    except (TypeError, IndexError, KeyError):
        raise MastodonIllegalArgumentError(f"focus must be an (x, y) pair, not {focus!r}") from None
    return f"{x},{y}"


def _parse_async_refresh(value):
    """``id="abc", retry=3, result_count=5`` → dict."""
    info = {}
    for part in value.split(","):
        key, sep, raw = part.strip().partition("=")
        if not sep:
            continue
        raw = raw.strip().strip('"')
        info[key.strip()] = int(raw) if raw.isdigit() else raw
    return info


def _mask(value):
    if not value:
        return value
    return "***" if len(value) < 12 else value[:3] + "***" + value[-2:]


class Mastodon:
    """The request core and the helpers every API area shares."""

    # -----------------------------------------------------------------------------------------
    # URL helpers

    @staticmethod
    def __protocolize(base_url):
        """Add ``https://`` when no scheme is given and strip trailing slashes."""
        if not isinstance(base_url, str):
            raise MastodonIllegalArgumentError(f"A URL must be a string, not {type(base_url).__name__}")
        if not base_url.startswith("http://") and not base_url.startswith("https://"):
            base_url = "https://" + base_url
        return base_url.rstrip("/")

    @staticmethod
    def __deprotocolize(base_url):
        """Strip the scheme from a URL, leaving the domain (and path)."""
        for prefix in ("http://", "https://", "onion://"):
            if base_url.startswith(prefix):
                return base_url[len(prefix):]
        return base_url

    # -----------------------------------------------------------------------------------------
    # JSON post-processing (kept callable one step at a time, as in Mastodon.py)

    @staticmethod
    def __json_hooks(json_object):
        """All response conversions for one decoded JSON object; returns an AttribAccessDict."""
        return _json_object_hook(json_object)

    @staticmethod
    def __json_strnum_to_bignum(json_object):
        for key in _INT_KEYS.intersection(json_object):
            value = json_object[key]
            if value.__class__ is str:
                try:
                    json_object[key] = int(value)
                except ValueError:
                    pass
        return json_object

    @staticmethod
    def __json_date_parse(json_object):
        for key in _DATE_KEYS.intersection(json_object):
            if json_object[key] is not None:
                try:
                    json_object[key] = _parse_date(json_object[key])
                except (ValueError, TypeError, OverflowError, OSError):
                    del json_object[key]
        return json_object

    @staticmethod
    def __json_truefalse_parse(json_object):
        for key in _TRUEFALSE_KEYS.intersection(json_object):
            value = json_object[key]
            if value.__class__ is str and value.lower() in ("true", "false"):
                json_object[key] = value.lower() == "true"
        return json_object

    @staticmethod
    def __json_allow_dict_attrs(json_object):
        if isinstance(json_object, dict):
            return AttribAccessDict(json_object)
        return json_object

    # -----------------------------------------------------------------------------------------
    # Dates and ids

    @staticmethod
    def __consistent_isoformat_utc(datetime_val):
        """``YYYY-MM-DDTHH:MM:SS+00:00`` in UTC; naive datetimes count as local time."""
        if not isinstance(datetime_val, datetime.datetime):
            raise MastodonIllegalArgumentError(
                f"Expected a datetime.datetime, got {type(datetime_val).__name__}")
        utc = datetime_val.astimezone(_UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def __datetime_to_epoch(self, date_time):
        """Seconds since the epoch; a naive datetime counts as UTC."""
        if date_time.tzinfo is None:
            date_time = date_time.replace(tzinfo=_UTC)
        return date_time.timestamp()

    def __unpack_id(self, id, dateconv=False, listify=False, field="id"):
        """An entity (dict with ``field``) becomes its id; a datetime becomes a snowflake id when
        ``dateconv``; lists are unpacked element by element (``listify`` wraps a single value)."""
        if id is None:
            return None
        if isinstance(id, (list, tuple)):
            return [self.__unpack_id(x, dateconv=dateconv, field=field) for x in id]
        if listify:
            return [self.__unpack_id(id, dateconv=dateconv, field=field)]
        if isinstance(id, dict) and field in id:
            id = id[field]
        if dateconv and isinstance(id, datetime.datetime):
            id = (int(self.__datetime_to_epoch(id)) << 16) * 1000
        return id

    # -----------------------------------------------------------------------------------------
    # Parameters

    def __generate_params(self, params, exclude=None, for_json=False, dateconv=True):
        """The wire form of API parameters.

        ``None`` values and ``exclude`` keys are dropped, booleans become ``'1'``/``'0'``,
        ``max_id``/``min_id``/``since_id`` are unpacked from entities (and datetimes), and a list
        under ``key`` goes out as ``key[]`` after the scalar keys (bare ``key`` when ``for_json``).
        """
        exclude = exclude or ()
        scalars = {}
        lists = {}
        for key, value in params.items():
            if value is None or key in exclude or key == "self":
                continue
            if key in _PAGINATION_KEYS:
                value = self.__unpack_id(value, dateconv=dateconv)
            if value is True:
                value = "1"
            elif value is False:
                value = "0"
            if isinstance(value, list):
                lists[key if for_json else key + "[]"] = value
            else:
                scalars[key] = value
        scalars.update(lists)
        return scalars

    # -----------------------------------------------------------------------------------------
    # Versions

    def __check_version(self, created_ver, last_changed_ver, return_value_ver, name):
        """The ``@api_version`` gate: refuse calls the server is too old for."""
        mode = getattr(self, "version_check_mode", "none")
        if mode == "created":
            required = created_ver
        elif mode == "changed":
            required = max_version(last_changed_ver, return_value_ver)
        else:
            return
        # A server whose version could not be read (forks, Takahē, GoToSocial) is not refused.
        if self.version_check_worked is False:
            return
        if (self.mastodon_major, self.mastodon_minor, self.mastodon_patch) < parse_version_string(required):
            raise MastodonVersionError(
                f"Version check failed (Need version {required}, have "
                f"{self.mastodon_major}.{self.mastodon_minor}.{self.mastodon_patch}) for {name}")

    def __version_at_least(self, version_str):
        """Cached comparison with the server version, for methods that switch endpoints. A server
        whose version could not be read (forks) is assumed to speak the current API."""
        if self.version_check_worked is False:
            return True
        return (self.mastodon_major, self.mastodon_minor, self.mastodon_patch) >= parse_version_string(version_str)

    def __normalize_version_string(self, version_string):
        """``4.2.1+glitch`` → ``4.2.1``; ``3.5.3+hometown-1.0.6`` → the upstream part;
        a string starting with something else is returned as is (and will fail to parse)."""
        version_string = version_string.strip().split(" ")[0]
        if "+" in version_string:
            before, _, after = version_string.partition("+")
            try:
                parse_version_string(after)
                return after
            except MastodonVersionError:
                return before
        return version_string

    # -----------------------------------------------------------------------------------------
    # Request core

    def __api_request(self, method, endpoint, params=None, files=None, headers=None,
                      access_token_override=None, base_url_override=None, do_ratelimiting=True,
                      use_json=False, parse=True, return_response_object=False, skip_error_check=False,
                      lang_override=None, override_type=None, force_pagination=False, *,
                      warn_deprecation=True):
        """Send one API request and return its parsed result.

        ``method``/``endpoint``/``params`` describe the call; the keywords are transport options.
        Users may call this (as ``_Mastodon__api_request``) for endpoints the library lacks.
        """
        params = self.__request_params(params, lang_override)
        url = self.__request_url(endpoint, base_url_override)
        request_headers = self.__request_headers(url, headers, access_token_override)
        kwargs = self.__request_kwargs(method, params, files, request_headers, use_json)
        self.__debug_request(method, url, params, request_headers, files)

        response = self.__send_with_ratelimit(method, url, kwargs, files, do_ratelimiting)
        self.__debug_response(response)
        if not skip_error_check:
            self.__raise_for_error(response)
        if warn_deprecation:
            self.__warn_deprecated(response, endpoint)
        if return_response_object:
            return response
        if not parse:
            return response.content

        result = self.__parse_response(response)
        if isinstance(result, list) or (force_pagination and isinstance(result, AttribAccessDict)):
            result = self.__attach_pagination(result, response, method, endpoint, params, force_pagination)
        return self.__attach_async_refresh(result, response, method, endpoint, params)

    def __request_params(self, params, lang_override):
        params = dict(params) if params else {}
        lang = lang_override if lang_override is not None else getattr(self, "lang", None)
        if lang is not None:
            params["lang"] = lang
        return params

    def __request_url(self, endpoint, base_url_override):
        base_url = self.api_base_url if base_url_override is None else base_url_override
        return (base_url or "") + endpoint

    def __host_is_trusted(self, url):
        """Whether the token may be sent to ``url``: only the API host or a host the server itself
        named (its streaming API)."""
        try:
            host = urlsplit(url).netloc.lower()
        except ValueError:
            return False
        api_host = urlsplit(self.api_base_url or "").netloc.lower()
        return host == api_host or host in self.__trusted_hosts()

    def __trusted_hosts(self):
        try:
            return self._Mastodon__extra_trusted_hosts
        except AttributeError:
            hosts = set()
            self._Mastodon__extra_trusted_hosts = hosts
            return hosts

    def __request_headers(self, url, headers, access_token_override):
        request_headers = dict(headers) if headers else {}
        token = access_token_override if access_token_override is not None else self.access_token
        if token and self.__host_is_trusted(url):
            request_headers["Authorization"] = "Bearer " + token
        if self.user_agent:
            request_headers["User-Agent"] = self.user_agent
        return request_headers

    def __request_kwargs(self, method, params, files, headers, use_json):
        kwargs = dict(headers=headers, files=files or {}, timeout=self.request_timeout)
        if use_json:
            kwargs["json"] = params
        elif method == "GET":
            kwargs["params"] = params
        else:
            kwargs["data"] = params
        return kwargs

    def __send_with_ratelimit(self, method, url, kwargs, files, do_ratelimiting):
        """Send, and in wait/pace mode sleep out a 429 and send again."""
        immediate_retries = 0
        while True:
            pacing = do_ratelimiting and self.ratelimit_method == "pace"
            if pacing:
                self.__ratelimit_pace()
            try:
                response = self.__send(method, url, kwargs)
            finally:
                if pacing:
                    self.__ratelimit_release()
            if do_ratelimiting:
                self.__ratelimit_update(response)
            if response.status_code != 429:
                return response
            if not do_ratelimiting or self.ratelimit_method == "throw":
                raise self.__ratelimit_error(response)
            wait = self.__ratelimit_retry_wait(response)
            if wait == 0.0:
                immediate_retries += 1
            if wait is None or immediate_retries > 3:
                # Nothing to wait for (no Retry-After, no reset): the normal error path decides.
                return response
            log.debug("Rate limited on %s %s, sleeping %.2f s", method, url, wait)
            time.sleep(min(wait, _MAX_SLEEP))
            self.__rewind_files(files)

    def __send(self, method, url, kwargs):
        """One HTTP exchange; transport failures become MastodonNetworkError (cause chained)."""
        try:
            return self.session.request(method, url, **kwargs)
        except (requests.exceptions.ReadTimeout) as e:
            raise MastodonReadTimeout(f"Could not complete request: {e}") from e
        except requests.exceptions.RequestException as e:
            raise MastodonNetworkError(f"Could not complete request: {e}") from e

    @staticmethod
    def __rewind_files(files):
        for value in (files or {}).values():
            handle = value[1] if isinstance(value, tuple) and len(value) > 1 else value
            if hasattr(handle, "seek"):
                try:
                    handle.seek(0)
                except (OSError, ValueError):
                    pass

    # -----------------------------------------------------------------------------------------
    # Rate limiting

    def __ratelimit_lock(self):
        try:
            return self._Mastodon__ratelimit_lock_obj
        except AttributeError:
            # Normally made in __init__; guard the lazy path so two threads share one lock.
            with _LAZY_INIT_LOCK:
                if not hasattr(self, "_Mastodon__ratelimit_lock_obj"):
                    self._Mastodon__ratelimit_lock_obj = threading.RLock()
            return self._Mastodon__ratelimit_lock_obj

    def __ratelimit_pace(self):
        """Spread requests over the window so that the budget lasts until the reset.

        Holding the lock while sleeping serialises the threads sharing this instance, and each
        request reserves one unit of the budget before it is sent, so concurrent callers cannot
        burst past it.
        """
        with self.__ratelimit_lock():
            now = time.time()
            if self.ratelimit_remaining <= 0:
                # Out of budget: wait for the window to end (with a margin for clock skew).
                wait = self.ratelimit_reset + _RESET_MARGIN - now
            else:
                time_wait = (self.ratelimit_reset - now) / self.ratelimit_remaining
                wait = (time_wait - (now - self.ratelimit_lastcall)) / self.ratelimit_pacefactor
            if wait > 0:
                time.sleep(min(wait, _MAX_SLEEP))
                now = time.time()
            if self.ratelimit_remaining <= 0 and now >= self.ratelimit_reset:
                self.ratelimit_remaining = self.ratelimit_limit
            self.ratelimit_lastcall = now
            self.ratelimit_remaining -= 1
            self._Mastodon__ratelimit_in_flight = getattr(self, "_Mastodon__ratelimit_in_flight", 0) + 1

    def __ratelimit_release(self):
        with self.__ratelimit_lock():
            self._Mastodon__ratelimit_in_flight -= 1

    def __ratelimit_update(self, response):
        """Read the X-RateLimit-* headers; missing or malformed ones are ignored."""
        headers = response.headers
        remaining = _header_int(headers.get("X-RateLimit-Remaining"))
        limit = _header_int(headers.get("X-RateLimit-Limit"))
        reset = _header_epoch(headers.get("X-RateLimit-Reset"))
        if reset is not None:
            server_now = _header_http_date(headers.get("Date"))
            if server_now is not None:
                if self.ratelimit_method != "pace":
                    self.ratelimit_lastcall = time.time()
                offset = time.time() - server_now
                # The Date header has one-second resolution: smaller offsets are noise.
                if abs(offset) >= 1.0:
                    reset += offset
        with self.__ratelimit_lock():
            if limit is not None:
                self.ratelimit_limit = limit
            new_window = reset is not None and reset > self.ratelimit_reset + _RESET_MARGIN
            if reset is not None:
                self.ratelimit_reset = reset
            if remaining is None:
                return
            if self.ratelimit_method != "pace":
                self.ratelimit_remaining = remaining
                return
            # Requests still in flight may or may not have been counted by the server yet:
            # assume they were not, and never let an older answer undo reservations made since.
            in_flight = getattr(self, "_Mastodon__ratelimit_in_flight", 0)
            if new_window:
                self.ratelimit_remaining = remaining - in_flight
            else:
                self.ratelimit_remaining = min(self.ratelimit_remaining, remaining - in_flight)

    def __ratelimit_retry_wait(self, response):
        now = time.time()
        wait = _retry_after_seconds(response.headers.get("Retry-After"), now)
        if wait is not None:
            return wait
        with self.__ratelimit_lock():
            reset = self.ratelimit_reset
        if reset > now:
            return reset - now
        if _header_epoch(response.headers.get("X-RateLimit-Reset")) is not None:
            # The window this answer counted against has just ended: try again right away.
            return 0.0
        return None

    def __ratelimit_error(self, response):
        error = MastodonRatelimitError("Hit rate limit.")
        _annotate_error(error, response)
        return error

    # -----------------------------------------------------------------------------------------
    # Errors and parsing

    def __raise_for_error(self, response):
        """Map a non-2xx response to its exception class (one table, one place)."""
        if response.ok:
            return
        status = response.status_code
        error_message, details = _error_text(response)
        if status == 404 and not error_message:
            error_message = "Endpoint not found."
        cls = _STATUS_ERRORS.get(status)
        if cls is None:
            cls = MastodonServerError if 500 <= status <= 511 else MastodonAPIError
        error = cls("Mastodon API returned error", status, response.reason, error_message)
        _annotate_error(error, response, error_message, details)
        raise error

    def __parse_response(self, response):
        try:
            return parse_json_bytes(response.content)
        except (ValueError, RecursionError):
            error = MastodonAPIError(
                f"Could not parse response as JSON, response code was {response.status_code}, "
                f"bad json content was '{response.content}'")
            _annotate_error(error, response)
            raise error from None

    def __attach_pagination(self, result, response, method, endpoint, params, force_pagination=False):
        """Turn an answer with a Link header into a page that knows its neighbours.

        A list becomes an AttribAccessList carrying ``_pagination_next``/``_pagination_prev``
        (also set on its last/first item); with ``force_pagination`` an object answer (grouped
        notifications) carries them itself.
        """
        links = parse_link_header(response.headers.get("Link"))
        if not links and not force_pagination:
            return result
        is_list = isinstance(result, list)
        page = AttribAccessList(result) if is_list else result
        if "next" in links:
            found = pagination_params_from_url(links["next"])
            if "max_id" in found or "offset" in found:
                info = _pagination_dict(params, method, endpoint, found, drop=("since_id", "min_id"))
                page._pagination_next = info
                if is_list and page and isinstance(page[-1], AttribAccessDict):
                    page[-1]._pagination_next = info
        if "prev" in links:
            found = pagination_params_from_url(links["prev"])
            found.pop("offset", None)
            if "min_id" in found:
                found.pop("since_id", None)
            if "min_id" in found or "since_id" in found:
                info = _pagination_dict(params, method, endpoint, found, drop=("max_id",))
                page._pagination_prev = info
                if is_list and page and isinstance(page[0], AttribAccessDict):
                    page[0]._pagination_prev = info
        return page

    def __attach_async_refresh(self, result, response, method, endpoint, params):
        header = response.headers.get("Mastodon-Async-Refresh")
        if not header or not isinstance(result, (dict, list)):
            return result
        if type(result) is list:
            result = AttribAccessList(result)
        info = AsyncRefresh(_parse_async_refresh(header))
        info._request = (method, endpoint, dict(params))
        result._async_refresh = info
        return result

    def __warn_deprecated(self, response, endpoint):
        if response.headers.get("Deprecation"):
            warnings.warn(f"Endpoint {endpoint} is deprecated by the server ({response.headers['Deprecation']})",
                          MastodonDeprecationWarning, stacklevel=4)

    # -----------------------------------------------------------------------------------------
    # Debug output (never shows secrets)

    def __debug_request(self, method, url, params, headers, files):
        if not self.debug_requests and not log.isEnabledFor(logging.DEBUG):
            return
        shown_headers = dict(headers)
        if "Authorization" in shown_headers:
            shown_headers["Authorization"] = "Bearer " + _mask(shown_headers["Authorization"][7:])
        shown_params = {k: (_mask(str(v)) if k in _SECRET_PARAMS else v) for k, v in params.items()}
        lines = [f"Mastodon: Request to endpoint \"{url}\" using {method}.",
                 f"Parameters: {shown_params}", f"Headers: {shown_headers}",
                 f"Files: {files or {}}"]
        self.__debug_emit(lines)

    def __debug_response(self, response):
        if not self.debug_requests and not log.isEnabledFor(logging.DEBUG):
            return
        text = response.text if len(response.content) < 20000 else response.text[:20000] + "..."
        token = self.access_token
        if token:
            text = text.replace(token, _mask(token))
        text = _PERSONAL_JSON_RE.sub(r"\1***\3", text)
        lines = [f"Response code: {response.status_code}", f"Response headers: {dict(response.headers)}",
                 f"Response text content: {text}"]
        self.__debug_emit(lines)

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
        self._Mastodon__instance_v1_cache = instance
        return instance

    def __instance_v2_cached(self):
        try:
            cached = self._Mastodon__instance_v2_cache
        except AttributeError:
            cached = None
        if cached is None:
            cached = self.__api_request("GET", "/api/v2/instance/")
            self._Mastodon__instance_v2_cache = cached
        return cached

    def __get_logged_in_id(self):
        """The logged-in account's id, fetched once per token."""
        cached = getattr(self, "_Mastodon__logged_in_id", None)
        if cached is None:
            cached = self.__api_request("GET", "/api/v1/accounts/verify_credentials").id
            self._Mastodon__logged_in_id = cached
        return cached

    # -----------------------------------------------------------------------------------------
    # Media files

    def __guess_type(self, media_file):
        """Mime type of a file on disk: python-magic when installed, else the file extension."""
        mime_type = None
        if IMPL_HAS_MAGIC:
            try:
                mime_type = magic.from_file(media_file, mime=True)
            except (OSError, magic.MagicException):
                mime_type = None
        if not mime_type:
            mime_type = mimetypes.guess_type(media_file)[0]
        return mime_type

    def __load_media_file(self, media_file, mime_type=None, file_name=None):
        """A ``(file_name, file_object, mime_type)`` tuple for a multipart upload.

        ``media_file`` is a path (str or PurePath) or raw bytes / a file object (then
        ``mime_type`` is required). Errors are raised before anything is sent.
        """
        if mime_type is not None and not isinstance(mime_type, str):
            raise MastodonIllegalArgumentError(f"mime_type must be a string, not {type(mime_type).__name__}")
        if isinstance(media_file, PurePath):
            media_file = str(media_file)
            if not os.path.isfile(media_file):
                raise _MediaFileNotFoundError(f"Media file not found or not a regular file: {media_file}")
        if isinstance(media_file, str) and not os.path.isfile(media_file) and mime_type is not None:
            # Mastodon.py uploads a string that names no file as the data itself.
            media_file = media_file.encode("utf-8")
        if isinstance(media_file, str):
            path = os.path.abspath(media_file)
            if not os.path.isfile(path):
                raise _MediaFileNotFoundError(f"Media file not found or not a regular file: {media_file}")
            if not os.access(path, os.R_OK):
                raise MastodonIllegalArgumentError(f"Media file is not readable: {media_file}")
            mime_type = self.__guess_type(path) or mime_type
            try:
                with open(path, "rb") as handle:
                    media_file = handle.read()
            except OSError as e:
                raise MastodonIllegalArgumentError(f"Could not read media file {path}: {e}") from e
        elif isinstance(media_file, (bytes, bytearray, memoryview)):
            media_file = bytes(media_file)
        elif not hasattr(media_file, "read"):
            raise MastodonIllegalArgumentError(
                f"Media must be a path, bytes or a file object, not {type(media_file).__name__}")
        if mime_type is None:
            raise MastodonIllegalArgumentError(
                "Could not determine mime type or data passed directly without mime type.")
        if file_name is None:
            extension = mimetypes.guess_extension(mime_type) or ""
            file_name = f"mastodonpyupload_{time.time()}_{uuid.uuid4().hex}{extension}"
        return (file_name, media_file, mime_type)

    def __encode_data_uri(self, media_file, mime_type=None):
        """A ``data:<mime>;base64,...`` URI for a media file (used for inline thumbnails)."""
        _, data, mime_type = self.__load_media_file(media_file, mime_type)
        if hasattr(data, "read"):
            data = data.read()
        return f"data:{mime_type};base64," + base64.b64encode(data).decode("ascii")

    # -----------------------------------------------------------------------------------------
    # 2.x: timeline availability

    def timeline_is_available(self, timeline: str = "public", local: bool = False, remote: bool = False,
                              with_auth: bool = False, fail_hard: bool = False) -> bool:
        """Whether the server lets this client read a public feed (``public``, ``hashtag`` or
        ``trending_links``), according to ``configuration.timelines_access`` of the v2 instance.

        Returns True when the server does not say. With ``fail_hard``, an unknown feed raises
        :class:`MastodonIllegalArgumentError` and an unreadable answer :class:`MastodonAPIError`.
        """
        feeds = {"public": "live_feeds", "hashtag": "hashtag_feeds", "trending_links": "trending_link_feeds"}
        if timeline not in feeds:
            if fail_hard:
                raise MastodonIllegalArgumentError(f"Unknown timeline type: {timeline}")
            return True
        try:
            access = self.__instance_v2_cached()["configuration"]["timelines_access"][feeds[timeline]]
            allowed = ("public", "authenticated") if with_auth else ("public",)
            scopes = []
            if local or not remote:
                scopes.append("local")
            if remote or not local:
                scopes.append("remote")
            return all(access[scope] in allowed for scope in scopes)
        except Exception as e:
            if fail_hard:
                raise MastodonAPIError(f"Could not determine timeline availability: {e}") from e
            return True


def write_secret_file(path, lines):
    """Write credential lines to ``path`` atomically with mode 0600.

    The text goes to a temporary file in the same directory, which is then renamed over the
    target, so a crash never leaves a half-written secret and the old file survives a failure.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    text = "".join(f"{line}\n" for line in lines)
    temp_path = os.path.join(directory, f".{os.path.basename(path)}.{uuid.uuid4().hex}.tmp")
    try:
        fd = os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_path, path)
        except BaseException:
            try:
                os.unlink(temp_path)
            except OSError:
                pass
            raise
    except OSError as e:
        raise MastodonIOError(f"Could not write credentials to {path}: {e}") from e


def read_secret_file(path):
    """The lines of a credential file, right-stripped."""
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return [line.rstrip() for line in handle]
    except OSError as e:
        raise MastodonIOError(f"Could not read credentials from {path}: {e}") from e


def _header_int(value):
    if value is None:
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None


# Rate-limit headers repeat the same reset time and Date second across many answers.
@functools.lru_cache(maxsize=64)
def _header_epoch(value):
    """X-RateLimit-Reset: epoch seconds or an ISO date; None when unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return _parse_date(value).timestamp()
    except (ValueError, TypeError, OverflowError, OSError):
        return None


@functools.lru_cache(maxsize=64)
def _header_http_date(value):
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_UTC)
    return when.timestamp()


def _error_text(response):
    """The server's error text and details from an error body (JSON or not)."""
    try:
        body = parse_json_bytes(response.content)
    except (ValueError, RecursionError):
        return None, None
    if isinstance(body, dict):
        return body.get("error"), body.get("details")
    if isinstance(body, str):
        return body, None
    return None, None


_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")


def _annotate_error(error, response, error_message=None, details=None):
    error.status_code = response.status_code
    error.reason = response.reason
    error.error = error_message
    error.details = details
    error.response = response
    if error_message is None:
        try:
            text = response.content.decode("utf-8", "replace")
        except AttributeError:
            text = ""
        text = _SPACE_RE.sub(" ", _TAG_RE.sub(" ", text)).strip()
        error.body_excerpt = (text[:200] + "...") if len(text) > 200 else (text or None)


def _pagination_dict(params, method, endpoint, found, drop):
    """The request params (as sent, ``lang`` included), then method and endpoint, then the
    position keys from the Link URL; ``drop`` keys of the request are removed."""
    info = dict(params)
    info["_pagination_method"] = method
    info["_pagination_endpoint"] = endpoint
    info.update(found)
    for key in drop:
        if key not in found:
            info.pop(key, None)
    return info
