"""The dialect table: what a Mastodon.py 1.8.1 caller and a Mastodon.py 2.x caller see differently.

A client speaks one dialect, ``"1.8"`` (the default: Mastodon.py 1.8.1's behaviour) or ``"2"``
(Mastodon.py 2.x's), chosen by the constructor's ``dialect=`` keyword or, for every client that
does not pass it, by the environment variable ``MASTODON_PY_DIALECT``. Each row of
``shared/spec/DIALECTS.md`` that is implemented is one field of :class:`Dialect`, holding that
dialect's value; the library reads the field where the behaviour happens (construction, the version
gate, ...) and never compares dialect names anywhere else, so no endpoint body exists twice.
``tests/test_dialect.py`` scans the package for such comparisons.
"""

import os
from types import MappingProxyType
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from . import _binding
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
    ),
}

#: The dialect of clients built without ``dialect=`` while the environment variable is unset.
DEFAULT = "1.8"

#: The rows of DIALECTS.md dialect "2" implements (docs/dialects.rst marks the same ones; V2
#: follows from V1's default).
IMPLEMENTED_ROWS = frozenset({"V1", "V2", "V3", "V6", "V7",
                              "S2", "S3", "S4", "S5", "S6", "W1", "W2", "W3", "W4", "W11", "W12"})


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
    return dialect if isinstance(dialect, Dialect) else process_default()


def set_listener_dialect(listener, dialect: Dialect) -> None:
    """Make ``listener`` speak ``dialect`` (see :func:`listener_dialect`). A listener that takes
    no attributes (``__slots__``) keeps speaking the process default."""
    try:
        setattr(listener, LISTENER_ATTRIBUTE, dialect)
    except (AttributeError, TypeError):
        pass
