"""Decoding of answers: JSON into attribute dicts with Mastodon.py 1.8.1's conversions.

Numeric-string ids become ints, dates become datetimes, ``"true"``/``"false"`` strings of a few
fields become booleans, and every object becomes an :class:`~mastodon.AttribAccessDict`. The
pure-Python object hook is the reference; the optional C hook (``_speedups``) gives the same
results faster and is configured from the tables here.
"""

import datetime
import json
import os

import dateutil.parser

from .types_base import LAZY_KEYS, AttribAccessDict

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


def parse_date(value):
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
                    obj[key] = parse_date(value)
            except (ValueError, TypeError, OverflowError, OSError):
                try:
                    obj[key] = parse_date(value)
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


def _plain_object_hook(obj):
    """Dialect "2"'s hook: attribute dicts holding the wire values (the cast converts by type)."""
    wrapped = _dict_new(AttribAccessDict)
    _dict_update(wrapped, obj)
    if not _lazy_keys_cover(obj):
        _object_setattr(wrapped, "__dict__", wrapped)
    return wrapped


def _load_plain_hook():
    if _object_hook is _json_object_hook:
        return _plain_object_hook
    from . import _speedups
    return getattr(_speedups, "object_hook_plain", _plain_object_hook)


_plain_hook = _load_plain_hook()


def parse_json_bytes_plain(data):
    """Decode a JSON document into attribute dicts without any conversion (dialect "2")."""
    return json.loads(data, object_hook=_plain_hook)


# The step-by-step conversions of Mastodon.py's private ``__json_*`` helpers, from the same tables.

def convert_ids(obj):
    """Numeric-string ids of one object → ints."""
    for key in _INT_KEYS.intersection(obj):
        value = obj[key]
        if value.__class__ is str:
            try:
                obj[key] = int(value)
            except ValueError:
                pass
    return obj


def convert_dates(obj):
    """Date fields of one object → datetimes (unreadable dates are dropped, as in Mastodon.py)."""
    for key in _DATE_KEYS.intersection(obj):
        if obj[key] is not None:
            try:
                obj[key] = parse_date(obj[key])
            except (ValueError, TypeError, OverflowError, OSError):
                del obj[key]
    return obj


def convert_truefalse(obj):
    """``"true"``/``"false"`` strings of the flag fields → booleans."""
    for key in _TRUEFALSE_KEYS.intersection(obj):
        value = obj[key]
        if value.__class__ is str and value.lower() in ("true", "false"):
            obj[key] = value.lower() == "true"
    return obj


def wrap_dict(obj):
    """A dict → AttribAccessDict; anything else unchanged."""
    return AttribAccessDict(obj) if isinstance(obj, dict) else obj
