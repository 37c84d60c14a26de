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
from typing import Dict, Mapping, Optional

from .errors import MastodonIllegalArgumentError

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
    ),
}

#: The dialect of clients built without ``dialect=`` while the environment variable is unset.
DEFAULT = "1.8"

#: The rows of DIALECTS.md dialect "2" implements (docs/dialects.rst marks the same ones; V2
#: follows from V1's default).
IMPLEMENTED_ROWS = frozenset({"V1", "V2", "V3", "V6", "V7"})


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
