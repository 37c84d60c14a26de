"""The wire form of what callers pass: parameters, ids, dates and base URLs."""

import datetime

from ._ids import epoch_seconds, snowflake_from_datetime
from ._validation import is_path_safe
from .errors import MastodonIllegalArgumentError

PAGINATION_KEYS = ("max_id", "min_id", "since_id")
_UTC = datetime.timezone.utc


def protocolize(base_url):
    """Add ``https://`` when no scheme is given and strip trailing slashes."""
    if not isinstance(base_url, str):
        raise MastodonIllegalArgumentError(f"A URL must be a string, not {type(base_url).__name__}")
    if not base_url.startswith("http://") and not base_url.startswith("https://"):
        base_url = "https://" + base_url
    return base_url.rstrip("/")


def deprotocolize(base_url):
    """Strip the scheme from a URL, leaving the domain (and path)."""
    for prefix in ("http://", "https://", "onion://"):
        if base_url.startswith(prefix):
            return base_url[len(prefix):]
    return base_url


def isoformat_utc(datetime_val):
    """``YYYY-MM-DDTHH:MM:SS+00:00`` in UTC; naive datetimes count as local time."""
    if not isinstance(datetime_val, datetime.datetime):
        raise MastodonIllegalArgumentError(f"Expected a datetime.datetime, got {type(datetime_val).__name__}")
    return datetime_val.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


#: Seconds since the epoch; a naive datetime counts as UTC.
datetime_to_epoch = epoch_seconds


def unpack_id(id, dateconv=False, listify=False, field="id"):
    """An entity (dict with ``field``) becomes its id; a datetime becomes a snowflake id when
    ``dateconv``; lists are unpacked element by element (``listify`` wraps a single value)."""
    if id is None:
        return None
    if isinstance(id, (list, tuple)):
        return [unpack_id(x, dateconv=dateconv, field=field) for x in id]
    if listify:
        return [unpack_id(id, dateconv=dateconv, field=field)]
    if isinstance(id, dict) and field in id:
        id = id[field]
    if dateconv and isinstance(id, datetime.datetime):
        id = snowflake_from_datetime(id)
    if isinstance(id, str) and not is_path_safe(id):
        # Ids go into URL paths: one must never be able to change the path or add a query.
        raise MastodonIllegalArgumentError(
            f"{field} is not a valid id (only letters, digits and _ ~ . - are allowed)")
    return id


def generate_params(params, exclude=None, for_json=False, dateconv=True, omit_false=(), days=()):
    """The wire form of API parameters.

    ``None`` values and ``exclude`` keys are dropped, and so are false values of the
    ``omit_false`` flags (Mastodon.py sends those only when set); booleans become ``'1'``/``'0'``;
    ``max_id``/``min_id``/``since_id`` are unpacked from entities (and datetimes); the dates of
    ``days`` go out as ``YYYY-MM-DD``, other datetimes as UTC ISO 8601; a list under ``key``
    goes out as ``key[]`` after the scalar keys (bare ``key`` when ``for_json``).
    """
    exclude = exclude or ()
    scalars = {}
    lists = {}
    for key, value in params.items():
        if value is None or key in exclude or key == "self" or (not value and key in omit_false):
            continue
        if key in PAGINATION_KEYS:
            value = unpack_id(value, dateconv=dateconv)
        elif key in days and isinstance(value, datetime.date):
            value = value.strftime("%Y-%m-%d")
        elif isinstance(value, datetime.datetime):
            value = isoformat_utc(value)
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
