"""Mastodon versions: parsing, comparison, the per-method version gate and the entity version table."""

import functools
import re
from typing import Any, Callable, Optional, Tuple, TypeVar

from decorator import decorate

from ._casting import remember_result_type
from .errors import MastodonVersionError

# A function given to a decorator that hands back one with the same signature.
_F = TypeVar("_F", bound=Callable[..., Any])

# The server version in which each returned entity last changed (Mastodon.py 1.8.1 table).
_DICT_VERSION_APPLICATION = "2.7.2"
_DICT_VERSION_MENTION = "1.0.0"
_DICT_VERSION_MEDIA = "3.2.0"
_DICT_VERSION_ACCOUNT = "3.3.0"
_DICT_VERSION_POLL = "2.8.0"
_DICT_VERSION_STATUS = "3.3.0"
_DICT_VERSION_INSTANCE = "3.4.0"
_DICT_VERSION_HASHTAG = "2.3.4"
_DICT_VERSION_EMOJI = "3.0.0"
_DICT_VERSION_RELATIONSHIP = "3.3.0"
_DICT_VERSION_NOTIFICATION = "3.5.0"
_DICT_VERSION_CONTEXT = "3.3.0"
_DICT_VERSION_LIST = "2.1.0"
_DICT_VERSION_CARD = "3.2.0"
_DICT_VERSION_SEARCHRESULT = "3.3.0"
_DICT_VERSION_ACTIVITY = "2.1.2"
_DICT_VERSION_REPORT = "2.9.1"
_DICT_VERSION_PUSH = "2.4.0"
_DICT_VERSION_PUSH_NOTIF = "2.4.0"
_DICT_VERSION_FILTER = "2.4.3"
_DICT_VERSION_CONVERSATION = "3.3.0"
_DICT_VERSION_SCHEDULED_STATUS = "3.3.0"
_DICT_VERSION_PREFERENCES = "2.8.0"
_DICT_VERSION_ADMIN_ACCOUNT = "4.0.0"
_DICT_VERSION_FEATURED_TAG = "3.0.0"
_DICT_VERSION_MARKER = "3.0.0"
_DICT_VERSION_REACTION = "3.1.0"
_DICT_VERSION_ANNOUNCEMENT = "3.1.0"
_DICT_VERSION_STATUS_EDIT = "3.5.0"
_DICT_VERSION_FAMILIAR_FOLLOWERS = "3.5.0"
_DICT_VERSION_ADMIN_DOMAIN_BLOCK = "4.0.0"
_DICT_VERSION_ADMIN_MEASURE = "3.5.0"
_DICT_VERSION_ADMIN_DIMENSION = "3.5.0"
_DICT_VERSION_ADMIN_RETENTION = "3.5.0"

# ASCII digits only: int() refuses some characters that \d would match.
_LEADING_DIGITS = re.compile(r"[0-9]*")
_MAX_PART_DIGITS = 18


def parse_version_string(version_string: str) -> Tuple[int, int, int]:
    """Parse ``"4.2.1"`` (or ``"4.2.1rc2"``, ``"4.2"``) into ``(4, 2, 1)``.

    Missing minor and patch parts count as 0. A string that does not start with a
    number raises :class:`MastodonVersionError`.
    """
    if not isinstance(version_string, str):
        raise MastodonVersionError(f"Version must be a string, not {type(version_string).__name__}")
    if len(version_string) > 256:
        raise MastodonVersionError(f"Could not parse version string {version_string[:100]!r}...")
    return _parse_version_cached(version_string)


# Every gated call compares against a handful of literal version strings: parse each once.
@functools.lru_cache(maxsize=512)
def _parse_version_cached(version_string: str) -> Tuple[int, int, int]:
    parts = version_string.split(".", 3)[:3]
    numbers = []
    for part in parts:
        leading = _LEADING_DIGITS.match(part)  # always matches ("*"), perhaps the empty string
        digits = leading.group(0) if leading else ""
        if not digits:
            break
        if len(digits) > _MAX_PART_DIGITS:
            raise MastodonVersionError(f"Could not parse version string {version_string[:100]!r}")
        numbers.append(int(digits))
    if not numbers:
        raise MastodonVersionError(f"Could not parse version string {version_string[:100]!r}")
    numbers += [0] * (3 - len(numbers))
    return numbers[0], numbers[1], numbers[2]


def max_version(*version_strings: Optional[str]) -> str:
    """Return the highest of the given version strings (``None`` entries are ignored)."""
    present = [v for v in version_strings if v is not None]
    return max(present, key=parse_version_string)


def api_version(created_ver: str, last_changed_ver: Optional[str] = None,
                return_value_ver: Optional[str] = None) -> Callable[[_F], _F]:
    """Gate a ``Mastodon`` method on the server version.

    ``created_ver`` is the Mastodon version that introduced the endpoint, ``last_changed_ver``
    the one that last changed it and ``return_value_ver`` the one that last changed the entity
    it returns. Which of them is enforced depends on the instance's ``version_check_mode``.
    The wrapper keeps the wrapped signature, so Sphinx and ``inspect`` see the real one, and is
    typed as the function it wraps, so type checkers do too.
    """
    if last_changed_ver is None:
        last_changed_ver = created_ver

    def decorate_method(function: _F) -> _F:
        typed = _ResultTyping(function)

        def gate(function: _F, self: Any, *args: Any, **kwargs: Any) -> Any:
            self._Mastodon__check_version(created_ver, last_changed_ver, return_value_ver, function.__name__)
            return typed(self, function(self, *args, **kwargs))

        # kwsyntax=True passes the arguments through untouched (no per-call signature binding).
        wrapped = decorate(function, gate, kwsyntax=True)
        # Read by the meta-tests; set with setattr, as the type of a function has no such field.
        setattr(wrapped, "_mastodon_api_version", (created_ver, last_changed_ver, return_value_ver))
        if wrapped.__doc__ is not None:
            wrapped.__doc__ = wrapped.__doc__.rstrip() + (
                f"\n\n        Added: Mastodon v{created_ver}, last changed: Mastodon v{last_changed_ver}\n")
        return wrapped

    return decorate_method


_UNRESOLVED = object()


class _ResultTyping:
    """Gives a method's result the entity classes its return annotation names.

    The annotation is resolved into a caster on the first call (the entity classes and the
    method's module are all imported by then), never per call.
    """

    __slots__ = ("function", "casters", "annotation")

    def __init__(self, function):
        self.function = function
        # The caster_for of the client's decoder (one per dialect) → its caster for this method.
        self.casters = {}
        self.annotation = _UNRESOLVED

    def __call__(self, client, result):
        caster_for = client._Mastodon__dialect.decoder.caster_for
        try:
            caster = self.casters[caster_for]
        except KeyError:
            caster = self._resolve(caster_for)
        if caster is None or result is None:
            return result
        result = caster(result)
        remember_result_type(result, self.annotation)
        return result

    def _resolve(self, caster_for):
        import typing
        if self.annotation is _UNRESOLVED:
            try:
                self.annotation = typing.get_type_hints(self.function).get("return")
            except Exception:  # an annotation that cannot be resolved casts nothing
                self.annotation = None
        caster = caster_for(self.annotation) if self.annotation is not None else None
        self.casters[caster_for] = caster
        return caster


def typed_result(function: _F) -> _F:
    """Give the results of an ungated method the entity classes its annotation names."""
    typed = _ResultTyping(function)

    def call(function: _F, self: Any, *args: Any, **kwargs: Any) -> Any:
        return typed(self, function(self, *args, **kwargs))
    return decorate(function, call, kwsyntax=True)


def normalize_version_string(version_string):
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


def speaks_mastodon_quirks(version_string):
    """Whether a server's version string says it is Mastodon (or a fork of it), whose routes
    accept the exact requests Mastodon.py 1.8.1 sends. Other servers (Pleroma and friends say
    ``(compatible; ...)``, Takahē and GoToSocial name themselves) get the documented forms."""
    if not isinstance(version_string, str):
        return False
    text = version_string.strip()
    return text[:1].isdigit() and "compatible" not in text.lower()


_VERSION_ERROR = "Version check failed (Need version {required})"


def check_version(have, worked, mode, created_ver, last_changed_ver, return_value_ver, name,
                  text=_VERSION_ERROR):
    """The ``@api_version`` gate: raise when the server (``have``, a version tuple) is too old
    for the call under ``mode`` (``created``, ``changed`` or ``none``). A server whose version
    could not be read (``worked`` False) is never refused. ``text`` is the error's format (the
    dialect's: fields ``required``, ``have`` and ``name``)."""
    if mode == "created":
        required = created_ver
    elif mode == "changed":
        required = max_version(last_changed_ver, return_value_ver)
    else:
        return
    if worked is False:
        return
    if have < parse_version_string(required):
        raise MastodonVersionError(text.format(required=required, have=f"{have[0]}.{have[1]}.{have[2]}", name=name))
