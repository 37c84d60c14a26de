"""Results as JSON text and back, with the envelope Mastodon.py 2.x writes.

``to_json()`` writes ``{"_mastopy_version", "_mastopy_type", "_mastopy_data",
"_mastopy_extra_data"}``; ``from_json()`` reads it back into the same class, with datetimes, ids
and the pagination information restored, so that a result written and read back is equal to the
original.
"""

import datetime
import json

from .errors import MastodonIllegalArgumentError
from .types_base import AttribAccessDict, AttribAccessList, PaginationInfo, set_extra

ENVELOPE_VERSION = "2.0.1"
_EXTRA = ("_pagination_next", "_pagination_prev", "_async_refresh")


def json_default(value):
    """The ``default`` for ``json.dumps(result, default=json_default)``: datetimes and dates as
    ISO 8601 text (what the server sent), anything else refused as json.dumps does."""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def type_name(value):
    """``Status``, ``PaginatableList[Status]``, ``AttribAccessDict``..."""
    if isinstance(value, list):
        inner = next((item for item in value if isinstance(item, AttribAccessDict)), None)
        outer = "PaginatableList" if isinstance(value, AttribAccessList) else "NonPaginatableList"
        return f"{outer}[{type(inner).__name__ if inner is not None else 'AttribAccessDict'}]"
    return type(value).__name__


def to_json(value, pretty=True):
    extra = {}
    for name in _EXTRA:
        info = getattr(value, name, None)
        if info is not None:
            extra[name] = dict(info)
    envelope = {"_mastopy_version": ENVELOPE_VERSION, "_mastopy_type": type_name(value),
                "_mastopy_data": value, "_mastopy_extra_data": extra}
    return json.dumps(envelope, default=json_default, indent=4 if pretty else None, ensure_ascii=False)


def from_json(text, expected=None):
    """The result ``to_json`` wrote, as the class it had. ``expected`` (the class ``from_json``
    was called on) must match unless it is the base class."""
    decoder = _decoder_for(expected)
    try:
        envelope = json.loads(text, object_hook=decoder.object_hook)
    except (ValueError, RecursionError, TypeError) as e:
        raise MastodonIllegalArgumentError(f"Not JSON written by to_json(): {e}") from None
    if not isinstance(envelope, dict) or "_mastopy_data" not in envelope:
        raise MastodonIllegalArgumentError("Not JSON written by to_json(): no _mastopy_data")
    data = envelope["_mastopy_data"]
    cls = None
    name = envelope.get("_mastopy_type")
    name = name if isinstance(name, str) else ""
    outer, _, inner = name.partition("[")
    if isinstance(data, list):
        data = AttribAccessList(data) if outer == "PaginatableList" else data
        cls = _entity(inner.rstrip("]"))
        if cls is not None:
            for item in data:
                _cast(item, cls, decoder)
    elif isinstance(data, AttribAccessDict):
        cls = _entity(outer)
        if cls is not None:
            _cast(data, cls, decoder)
        if expected is not None and expected is not AttribAccessDict and not isinstance(data, expected):
            raise MastodonIllegalArgumentError(
                f"The JSON holds a {name}, not a {expected.__name__}")
    extra = envelope.get("_mastopy_extra_data")
    if isinstance(extra, dict) and isinstance(data, (AttribAccessDict, AttribAccessList)):
        for key in _EXTRA:
            info = extra.get(key)
            if isinstance(info, dict):
                set_extra(data, key, PaginationInfo(info) if key != "_async_refresh" else _async(info))
        if isinstance(data, list) and cls is not None:
            # The pages fetched from here on get the same classes.
            from ._casting import remember_result_type
            remember_result_type(data, AttribAccessList[cls])
    if isinstance(data, list):
        data = decoder.finish_list(data, name)
    return data


def _decoder_for(expected):
    """The decoder of the dialect the result was read for: dialect "2" for its own classes,
    else the process default's (``return_types.Status.from_json`` has no client to ask)."""
    from . import _dialect
    from ._entities_v2 import Behaviour
    if isinstance(expected, type) and issubclass(expected, Behaviour):
        return _dialect.DECODER_2
    return _dialect.process_default().decoder


def _async(info):
    from .types_base import AsyncRefresh
    return AsyncRefresh(info)


def _entity(name):
    from . import return_types
    return getattr(return_types, "ENTITIES", {}).get(name)


def _cast(obj, cls, decoder):
    if isinstance(obj, AttribAccessDict):
        decoder.cast_entity(obj, cls)
