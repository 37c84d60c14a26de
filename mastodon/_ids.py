"""Ids and time: snowflake ids from datetimes and back, Pleroma's base62 flake ids, id ordering.

Mastodon's ids are snowflakes: the milliseconds since the epoch shifted left by 16 bits, plus a
sequence. Pleroma (and its forks) send 128-bit flake ids, base62-encoded, whose top 64 bits are
the milliseconds since the epoch. Both the wire form of ``max_id=<datetime>`` (``_params``) and
Mastodon.py 2.x's id type (:class:`mastodon.types_base.MaybeSnowflakeIdType`) are built here.
"""

import datetime

#: The digits of Pleroma's base62 ids, in value order (Mastodon.py 2.3.3's order: upper case first).
BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BASE62_VALUES = {character: value for value, character in enumerate(BASE62_ALPHABET)}

_UTC = datetime.timezone.utc
_SNOWFLAKE_SHIFT = 16
_FLAKE_SHIFT = 64


def epoch_seconds(date_time):
    """Seconds since the epoch; a naive datetime counts as UTC (as Mastodon.py does here)."""
    if date_time.tzinfo is None:
        date_time = date_time.replace(tzinfo=_UTC)
    return date_time.timestamp()


def snowflake_from_datetime(date_time):
    """The smallest snowflake id of the second ``date_time`` falls in (Mastodon.py's formula)."""
    return (int(epoch_seconds(date_time)) << _SNOWFLAKE_SHIFT) * 1000


def base62_to_int(text):
    """A base62 string (:data:`BASE62_ALPHABET`) → its number. Raises ValueError on other characters."""
    value = 0
    try:
        for character in text:
            value = value * 62 + _BASE62_VALUES[character]
    except KeyError:
        raise ValueError(f"not a base62 digit: {character!r}") from None
    return value


def int_to_base62(number):
    """A non-negative number → base62 text (``'0'`` for 0)."""
    if number < 0:
        raise ValueError("base62 numbers are not negative")
    digits = []
    while True:
        number, digit = divmod(number, 62)
        digits.append(BASE62_ALPHABET[digit])
        if not number:
            return "".join(reversed(digits))


def flake_id_from_datetime(date_time):
    """The smallest Pleroma flake id of the millisecond ``date_time`` falls in, as base62 text."""
    return int_to_base62(int(round(epoch_seconds(date_time) * 1000)) << _FLAKE_SHIFT)


def id_from_datetime(date_time, assume_pleroma=False):
    """An id string for ``date_time``: a snowflake, or with ``assume_pleroma`` a flake id."""
    if assume_pleroma:
        return flake_id_from_datetime(date_time)
    return str(snowflake_from_datetime(date_time))


def is_numeric(text):
    return text.isascii() and text.isdigit()


def is_base62(text):
    return text.isascii() and text.isalnum()


def _local_naive(milliseconds):
    try:
        return datetime.datetime.fromtimestamp(milliseconds / 1000)
    except (OverflowError, OSError, ValueError):
        return None


def datetime_of_flake_id(text):
    """The creation time (naive, local) of a Pleroma flake id, None when it has none."""
    try:
        return _local_naive(base62_to_int(text) >> _FLAKE_SHIFT)
    except ValueError:
        return None


def datetime_of_id(text):
    """The creation time (naive, local) an id encodes: snowflakes and Pleroma flake ids; None for
    anything else."""
    if is_numeric(text):
        return _local_naive(int(text) >> _SNOWFLAKE_SHIFT)
    if is_base62(text):
        return datetime_of_flake_id(text)
    return None


def order_key(value):
    """The number an id sorts by (Mastodon.py 2.3.3's ordering): a numeric id its value, a base62
    id its value (Pleroma's flake ids sort by their time that way), an ``int`` itself. Raises
    TypeError for anything else."""
    if isinstance(value, str):
        if is_numeric(value):
            return int(value)
        if is_base62(value):
            return base62_to_int(value)
        raise TypeError(f"{value!r} is neither a numeric nor a base62 id and cannot be ordered")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"an id cannot be compared with {type(value).__name__}")
