"""The dialect table: what a Mastodon.py 1.8.1 caller and a Mastodon.py 2.x caller see differently.

A client speaks one dialect, ``"1.8"`` (the default: Mastodon.py 1.8.1's behaviour) or ``"2"``
(Mastodon.py 2.x's), chosen by the constructor's ``dialect=`` keyword or, for every client that
does not pass it, by the environment variable ``MASTODON_PY_DIALECT``. Each row of
``shared/spec/DIALECTS.md`` that is implemented is one field of :class:`Dialect`, holding that
dialect's value; the library reads the field where the behaviour happens (construction, the version
gate, ...) and never compares dialect names anywhere else, so no endpoint body exists twice.
``tests/test_dialect.py`` scans the package for such comparisons.
"""

import contextlib
import os
import threading
from types import MappingProxyType
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Tuple

from . import _binding
from ._casting import DECODER_1_8, DECODER_2, Decoder
from .errors import MastodonIllegalArgumentError, MastodonIOError

#: The environment variable that sets the dialect of clients built without ``dialect=``.
ENVIRONMENT_VARIABLE = "MASTODON_PY_DIALECT"


class _DefaultText(str):
    """A default argument that reads as its text (``inspect.signature`` and Sphinx show
    ``'created'``, as in Mastodon.py 1.8.1) but can be told apart from the same text passed
    explicitly, so that a dialect may choose another default."""

    __slots__ = ()


#: The default of the constructor's ``version_check_mode``: 'created' as the signature shows it;
#: the dialect decides what leaving it out means (row V1).
VERSION_CHECK_MODE_DEFAULT = _DefaultText("created")


# -- Errors, rate limits and streaming control flow (rows X2, X3, X4, X8, E9) -----------------
# Small strategies the table holds; they import lazily (this module is imported early).


def _json_error_text_only(text, error):
    """X2, dialect "1.8": the exception for a body that is not JSON has the text only."""
    return (text,)


def _json_error_with_cause(text, error):
    """X2, dialect "2": the text and, as a second argument, what the JSON parser said."""
    return (text, f"Exception was: {error}")


def _no_backoff(method, attempt, response):
    """X3, dialect "1.8": a 429 that names no time to wait is not retried (None: the normal
    error mapping raises it)."""
    return None


def _backoff_2s_doubling(method, attempt, response):
    """X3, dialect "2" (2.3.3): mode 'wait' sleeps 2 s, doubling per consecutive such 429 up to
    300 s, and retries; mode 'pace' cannot pace without a reset and raises."""
    from ._http_errors import ratelimit_error
    from ._ratelimit import MAX_SLEEP
    if method == "pace":
        raise ratelimit_error(response)
    return float(min(2 * 2 ** min(attempt, 16), MAX_SLEEP))


def _pace_unguarded(limiter, response):
    """X4/X8, dialect "1.8": pace mode paces with what it knows and ignores unreadable headers."""


def _pace_refuses_blind(limiter, response):
    """X4/X8, dialect "2" (2.3.3), pace mode only: before a call (``response`` None) refuse when
    answers carried ``X-RateLimit-Remaining`` but no usable reset; after an answer refuse one
    whose ``X-RateLimit-Remaining`` is unreadable."""
    from ._http_errors import annotate
    from .errors import MastodonRatelimitError
    if response is None and limiter.reset_unknown:
        raise MastodonRatelimitError("Rate limit reset time unknown: cannot pace calls (mode 'pace').")
    if response is not None and limiter.remaining_unreadable:
        raise annotate(MastodonRatelimitError("Unreadable X-RateLimit-Remaining header: cannot pace calls "
                                              "(mode 'pace')."), response)


def _handler_then_any_event(listener, name, payload, for_stream):
    """E9, dialect "1.8": the event's handler, then ``on_any_event`` (the library's hook; 1.8.1
    never calls it) with all three arguments."""
    listener._call_handler(name, payload, for_stream)
    listener.on_any_event(name, payload, for_stream)


def _any_event_then_handler(listener, name, payload, for_stream):
    """E9, dialect "2": ``on_any_event`` first (given ``for_stream`` when it takes it), then the
    event's handler."""
    listener._call_any_event(name, payload, for_stream)
    listener._call_handler(name, payload, for_stream)


# -- Argument binding and requests on the wire (rows S2-S6, W1-W4, W11, W12, search_v2) -------
# The binding strategies live in _binding; the checks in _validation, imported when called.


def _check_nothing(*args):
    """Dialect "1.8" for W11 and search_v2, dialect "2" for W2: no such check."""


def _refuse_poll_with_media(poll, media_ids):
    """W2, dialect "1.8": a status has a poll or media, not both (nothing is sent)."""
    from ._validation import refuse_poll_with_media
    refuse_poll_with_media(poll, media_ids)


def _refuse_domain_with_protocol(domain):
    """W11, dialect "2" (2.3.3): an admin domain block names a domain, not a URL."""
    from ._validation import refuse_domain_with_protocol
    refuse_domain_with_protocol(domain)


def _check_search_result_type(result_type):
    """search_v2, dialect "2" (2.3.3): ``result_type`` is one of the three kinds of result."""
    from ._validation import checked_search_result_type
    checked_search_result_type(result_type)


def _json_lists_only_with_media_attributes(use_json, media_attributes):
    """W2, dialect "1.8": a status's JSON body keeps the form's ``key[]`` list names (1.8.1 sends
    ``"media_ids[]": []`` beside a poll) unless it carries media attributes."""
    return media_attributes is not None


def _json_lists_in_every_json_body(use_json, media_attributes):
    """W2, dialect "2": a JSON body names its lists plainly (``"media_ids": [...]`` beside a poll)."""
    return use_json


def _no_policy_param(policy):
    """W4, dialect "1.8": ``push_subscription_update`` sends the policy in ``data[policy]`` only,
    and only when it is not the server's default."""
    return {}


def _policy_param(policy):
    """W4, dialect "2": ``push_subscription_update`` also sends ``policy`` (``all`` by default)."""
    return {"policy": policy}


def _text_is_path(media_file, mime_type):
    """W12, dialect "2" (2.3.3): a string given as a media file is always a path."""
    return media_file


# -- Decoding (rows I*, N*, R*, P*, E1-E5): the decoders live in _casting ---------------------


def _no_more_pages(page):
    """P5, dialect "1.8": a list without that neighbour gives None."""
    return None


def _refuse_unpaginated(page):
    """P5, dialect "2": a list that never had pages cannot be paged (the end of a page list is
    None, as in 1.8)."""
    from .types_base import NonPaginatableList
    if isinstance(page, NonPaginatableList):
        raise MastodonIllegalArgumentError("The passed object is not paginatable")
    return None


# -- Versions, instance, OAuth discovery, feed availability (rows V4, V5, V8, V9, V10, T4-T6,
# W5-W10, X6) --------------------------------------------------------------------------------
# Each dialect-2 strategy calls a private client method (named as the client's mixins name
# theirs, ``_Mastodon__...``) in the area module that owns the behaviour; the dialect-1.8 ones
# do what Mastodon.py 1.8.1 does, most of them nothing.


def _nothing(*args):
    """Dialect "1.8" of a step Mastodon.py 1.8.1 does not have."""


def _read_api_version(client, fail_hard):
    """V4, dialect "2": after the version, read ``api_versions`` from ``/api/v2/instance/``."""
    client._Mastodon__read_api_version(fail_hard)


def _fetch_version_once(client):
    """V5, dialect "2": fetch the server version first when nothing has fetched or given it."""
    client._Mastodon__fetch_version_once()


def _started_now(now):
    """V8, dialect "1.8": the rate-limit reset and last call start at the current time."""
    return now


def _unknown(now):
    """V8, dialect "2" (2.3.3): they start unknown (None)."""
    return None


def _instance_v1(client):
    """V9/T4, dialect "1.8": ``instance()`` is ``GET /api/v1/instance/``."""
    return client._Mastodon__instance_v1_answer()


def _instance_by_version(client):
    """V9/T4, dialect "2": the v2 instance on servers from 4.0.0 on, else the v1 one."""
    return client._Mastodon__instance_by_version()


def _suggestions_v1(client):
    """V10/T5, dialect "1.8": ``suggestions()`` is ``GET /api/v1/suggestions``."""
    return client._Mastodon__suggestions_v1_answer()


def _suggested_accounts(client):
    """V10/T5, dialect "2": the accounts of ``/api/v2/suggestions`` from 3.4.0 on."""
    return client._Mastodon__suggested_accounts()


def _warn_if_feed_unavailable(client, feed, local, remote):
    """W5/W6/X6, dialect "2": read ``timelines_access`` once and warn when the feed is closed."""
    client._Mastodon__warn_if_feed_unavailable(feed, local, remote)


def _streaming_from_instance(client):
    """W6, dialect "1.8": the streaming URL ``instance()`` names (asked at every stream)."""
    return client._Mastodon__streaming_url_from_instance()


def _streaming_from_v1_else_v2(client):
    """W6, dialect "2": the feed check, then the streaming URL of instance v1, else of v2."""
    return client._Mastodon__streaming_url_v1_else_v2()


def _cached_oauth_metadata(client):
    """W7/T6, dialect "1.8": the OAuth metadata only if the caller fetched it (no request)."""
    return client._Mastodon__caches.oauth_info


def _discovered_oauth_metadata(client):
    """W7/T6, dialect "2": the OAuth metadata, fetched once per client."""
    return client._Mastodon__oauth_metadata()


def _fixed_oauth_endpoint(client, key, path, allow_http):
    """W7, dialect "1.8": ``log_in`` and ``revoke_access_token`` post to the API's own path."""
    return path, None


def _discovered_oauth_endpoint(client, key, path, allow_http):
    """W7, dialect "2": the absolute URL the server's OAuth metadata names (checked)."""
    return client._Mastodon__discovered_oauth_url(key, path, allow_http), ""


def _refuse_password_grant(client):
    """W9, dialect "2": refuse the password grant a 4.4.0+ server does not offer."""
    client._Mastodon__refuse_unoffered_password_grant()


@dataclass(frozen=True)
class Dialect:
    """One dialect's value for every implemented row of DIALECTS.md (row ids in the comments)."""

    name: str
    #: V1: the ``version_check_mode`` of a client built without one.
    version_check_mode: str
    #: V3: the text of the version gate's MastodonVersionError (fields: required, have, name).
    version_error: str
    #: V6: the instance attribute that says whether reading the server version worked (1.8.1 has
    #: it public; 2.x keeps it private, under the name its ``self.__version_check_worked`` gets).
    version_check_worked_attribute: str
    #: V6: public attributes a new client starts with besides Mastodon.py 1.8.1's.
    extra_attributes: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    #: V7: what ``Mastodon.get_supported_version()`` answers.
    supported_version: str = "3.5.5"

    # -- Errors, rate limits and streaming control flow (X2, X3, X4, X8, E9) ------------------
    #: X2: ``f(text, json_error)`` → the args of the MastodonAPIError for a body that is not JSON.
    json_error_args: Callable[[str, BaseException], Tuple[str, ...]] = _json_error_text_only
    #: X3: ``f(method, attempt, response)`` → seconds to wait before sending again a 429 that
    #: names no usable time (``attempt`` counts such 429s of the call from 0), or None to raise it.
    ratelimit_backoff: Callable[[str, int, Any], Optional[float]] = _no_backoff
    #: X4, X8: ``f(limiter, response)`` called in pace mode before each call (``response``
    #: None) and after each answer; raises MastodonRatelimitError when pacing cannot go on.
    pace_guard: Callable[[Any, Any], None] = _pace_unguarded
    #: E9: ``f(listener, name, payload, for_stream)`` calls the event's handler and
    #: ``on_any_event``, in the dialect's order.
    deliver_event: Callable[[Any, str, Any, Any], None] = _handler_then_any_event

    # -- Versions, instance, OAuth discovery, feed availability (V4, V5, V8, V9, V10, T4-T6,
    # W5-W10, X6) -----------------------------------------------------------------------------
    #: V4: ``f(client, fail_hard)`` run once ``retrieve_mastodon_version`` has read the version.
    after_version_fetch: Callable[[Any, bool], None] = _nothing
    #: V5: ``f(client)`` run before a method that switches endpoints compares server versions.
    before_version_switch: Callable[[Any], None] = _nothing
    #: V5/W10: what ``version_check_worked`` becomes when the constructor is given
    #: ``mastodon_version`` (1.8.1: unchanged, None; 2.x counts the given version as known).
    given_version_worked: Optional[bool] = None
    #: V8: ``f(now)`` → the start value of ``ratelimit_reset`` and ``ratelimit_lastcall``.
    ratelimit_start: Callable[[float], Optional[float]] = _started_now
    #: V9/T4: ``f(client)`` → the answer of ``instance()``.
    instance: Callable[[Any], Any] = _instance_v1
    #: V10/T5: ``f(client)`` → the answer of ``suggestions()``.
    suggestions: Callable[[Any], Any] = _suggestions_v1
    #: W5/W6/X6: ``f(client, feed, local, remote)`` run before a public feed is read.
    feed_check: Callable[[Any, str, bool, bool], None] = _nothing
    #: W6: ``f(client)`` → the streaming URL the server names (None: the API's own).
    streaming_url: Callable[[Any], Optional[str]] = _streaming_from_instance
    #: W7/T6: ``f(client)`` → the OAuth metadata ``auth_request_url`` uses (None: none).
    oauth_metadata: Callable[[Any], Optional[Mapping]] = _cached_oauth_metadata
    #: W7: ``f(client, metadata key, default path, allow_http)`` → ``(endpoint,
    #: base_url_override)`` of the request core for ``log_in`` / ``revoke_access_token``.
    oauth_endpoint: Callable[[Any, str, str, bool], Tuple[str, Optional[str]]] = _fixed_oauth_endpoint
    #: W7: the error text for an OAuth endpoint that is not https (field: url).
    oauth_http_error: str = "OAuth endpoint {url} is not https (pass allow_http=True to accept it)"
    #: W9: ``f(client)`` run before a password grant is sent.
    password_grant_check: Callable[[Any], None] = _nothing

    # -- Argument binding and requests on the wire (S2-S6, W1-W4, W11, W12, search_v2) -------
    #: S2-S6: ``f(method, args, kwargs)`` → ``(args, kwargs)`` the method body gets: as given
    #: (1.8.1's signature) or bound to Mastodon.py 2.3.3's parameter list (``_binding``).
    bind_arguments: Callable[[Callable[..., Any], Tuple[Any, ...], Dict[str, Any]],
                             Tuple[Tuple[Any, ...], Dict[str, Any]]] = _binding.as_given
    #: W1: what a status's ``sensitive=False`` is sent as: None (left out) or False (``'0'``).
    status_sensitive_false: Optional[bool] = None
    #: W2: ``f(poll, media_ids)`` raises when a status may not have both.
    check_poll_with_media: Callable[[Any, Any], None] = _refuse_poll_with_media
    #: W2: ``f(use_json, media_attributes)`` → whether a status request names its lists plainly.
    status_plain_list_keys: Callable[[bool, Any], bool] = _json_lists_only_with_media_attributes
    #: W3: what ``list_create``/``list_update`` send for the options left out (nothing, or
    #: 2.3.3's ``replies_policy=list&exclusive=0``).
    list_option_defaults: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    #: W4: ``f(policy)`` → extra form fields of ``push_subscription_update``.
    push_update_policy_params: Callable[[str], Dict[str, str]] = _no_policy_param
    #: W11: ``f(domain)`` raises for a domain ``admin_create_domain_block`` refuses.
    check_admin_block_domain: Callable[[Any], None] = _check_nothing
    #: 2.3.3's search_v2: ``f(result_type)`` raises for a result type the dialect refuses.
    check_search_result_type: Callable[[Any], None] = _check_nothing
    #: W12: keyword arguments of ``_media_files.load_media_file`` for ``media_post``'s files
    #: (how a string that names no file is read, which error an unreadable file raises).
    media_file_options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    # -- Decoding of results (I1-I7, N1-N5, R1-R10, R13, P1-P5, T2, T3, E1-E5) ---------------
    #: How answers become results: the JSON hook and the casts (``_casting.Decoder``).
    decoder: Decoder = DECODER_1_8
    #: P5: ``f(page)`` → what ``fetch_next``/``fetch_previous`` give for a list without that
    #: neighbour (None, or 2.x's error for a list that has no pages at all).
    end_of_pages: Callable[[Any], Any] = _no_more_pages

    def version_check_mode_for(self, given: str) -> str:
        """The ``version_check_mode`` a client uses when the constructor was given ``given``."""
        return self.version_check_mode if given is VERSION_CHECK_MODE_DEFAULT else given


DIALECTS: Dict[str, Dialect] = {
    "1.8": Dialect(
        name="1.8",
        version_check_mode="created",
        # Mastodon.py 1.8.1 says "(Need version X)"; the library has always added what the server
        # has and which method refused, after the same prefix.
        version_error="Version check failed (Need version {required})",
        version_check_worked_attribute="version_check_worked",
        supported_version="3.5.5",
    ),
    "2": Dialect(
        name="2",
        version_check_mode="none",
        version_error="Version check failed (Need Mastodon instance version {required} to call this endpoint)",
        version_check_worked_attribute="_Mastodon__version_check_worked",
        extra_attributes=MappingProxyType({"mastodon_api_version": 0}),
        supported_version="4.7.3",
        # S2-S6, W1-W4, W11, W12, search_v2 (Mastodon.py 2.3.3 where 2.2.2 differs)
        bind_arguments=_binding.as_2x,
        status_sensitive_false=False,
        check_poll_with_media=_check_nothing,
        status_plain_list_keys=_json_lists_in_every_json_body,
        list_option_defaults=MappingProxyType({"replies_policy": "list", "exclusive": False}),
        push_update_policy_params=_policy_param,
        check_admin_block_domain=_refuse_domain_with_protocol,
        check_search_result_type=_check_search_result_type,
        media_file_options=MappingProxyType({"text_rule": _text_is_path, "read_error": MastodonIOError}),
        json_error_args=_json_error_with_cause,
        ratelimit_backoff=_backoff_2s_doubling,
        pace_guard=_pace_refuses_blind,
        deliver_event=_any_event_then_handler,
        after_version_fetch=_read_api_version,
        before_version_switch=_fetch_version_once,
        given_version_worked=True,
        ratelimit_start=_unknown,
        instance=_instance_by_version,
        suggestions=_suggested_accounts,
        feed_check=_warn_if_feed_unavailable,
        streaming_url=_streaming_from_v1_else_v2,
        oauth_metadata=_discovered_oauth_metadata,
        oauth_endpoint=_discovered_oauth_endpoint,
        oauth_http_error="OAuth URLs must use with https.",
        password_grant_check=_refuse_password_grant,
        # I1-I7, N1-N5, R1-R10, R13, P1-P5, T2, T3, E1-E5
        decoder=DECODER_2,
        end_of_pages=_refuse_unpaginated,
    ),
}

#: The dialect of clients built without ``dialect=`` while the environment variable is unset.
DEFAULT = "1.8"

#: The rows of DIALECTS.md dialect "2" implements (docs/dialects.rst marks the same ones; V2
#: follows from V1's default).
IMPLEMENTED_ROWS = frozenset({"V1", "V2", "V3", "V6", "V7",
                              "S2", "S3", "S4", "S5", "S6", "W1", "W2", "W3", "W4", "W11", "W12",
                              "X2", "X3", "X4", "X8", "E9",
                              "V4", "V5", "V8", "V9", "V10", "T4", "T5", "T6", "W5", "W6", "W7", "W9", "W10", "X6",
                              "I1", "I2", "I3", "I4", "I5", "I6", "I7", "N1", "N2", "N3", "N5",
                              "R1", "R3", "R4", "R5", "R6", "R8", "R9", "R10", "R11",
                              "P1", "P2", "P3", "P4", "P5", "T2", "T3", "E1", "E2", "E3", "E4", "E5"})


def _allowed():
    return " or ".join(repr(name) for name in DIALECTS)


def resolve(value: Optional[str]) -> Dialect:
    """The dialect named ``value``, or the process default when it is None.

    Anything but ``"1.8"`` and ``"2"`` raises :class:`MastodonIllegalArgumentError`.
    """
    if value is None:
        return process_default()
    dialect = DIALECTS.get(value) if isinstance(value, str) else None
    if dialect is None:
        raise MastodonIllegalArgumentError(f"Unknown dialect {value!r}: use {_allowed()}")
    return dialect


def process_default() -> Dialect:
    """The dialect ``MASTODON_PY_DIALECT`` names (read at each call), ``"1.8"`` when it is unset
    or empty. An unknown value raises :class:`MastodonIllegalArgumentError`."""
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not value:
        return DIALECTS[DEFAULT]
    dialect = DIALECTS.get(value)
    if dialect is None:
        raise MastodonIllegalArgumentError(
            f"Unknown dialect {value!r} in the environment variable {ENVIRONMENT_VARIABLE}: use {_allowed()}")
    return dialect


#: The attribute a client's ``stream_*`` methods set on the listener they feed (the client's
#: Dialect). Trailing and leading underscores keep it clear of the names user subclasses choose.
LISTENER_ATTRIBUTE = "_mastodon_dialect_"


def listener_dialect(listener) -> Dialect:
    """The dialect a stream listener speaks: that of the client whose ``stream_*`` method last
    fed it, else (a bare listener whose ``handle_stream`` user code calls) the process default."""
    dialect = getattr(listener, LISTENER_ATTRIBUTE, None)
    if isinstance(dialect, Dialect):
        return dialect
    pinned = getattr(_pinned, "dialect", None)
    return pinned if pinned is not None else process_default()


_pinned = threading.local()


@contextlib.contextmanager
def process_default_pinned() -> Iterator[None]:
    """Within the block this thread reads ``MASTODON_PY_DIALECT`` once, not once per use: a
    stream read by a bare listener asks for its dialect at every event, and reading the
    environment costs microseconds."""
    previous = getattr(_pinned, "dialect", None)
    _pinned.dialect = process_default()
    try:
        yield
    finally:
        _pinned.dialect = previous


def given_or_default(dialect: Optional[Dialect]) -> Dialect:
    """``dialect``, or the process default when it is None (a WebSocket handle made without a
    client)."""
    return dialect if isinstance(dialect, Dialect) else process_default()


def set_listener_dialect(listener, dialect: Dialect) -> None:
    """Make ``listener`` speak ``dialect`` (see :func:`listener_dialect`). A listener that takes
    no attributes (``__slots__``) keeps speaking the process default."""
    try:
        setattr(listener, LISTENER_ATTRIBUTE, dialect)
    except (AttributeError, TypeError):
        pass
