"""Checks of what callers pass, made before anything is sent.

Error messages name the argument and what is allowed, never the value given: it might be an
e-mail address, an IP address or a token pasted into the wrong slot.
"""

import ipaddress
import re

from .errors import MastodonIllegalArgumentError

VISIBILITIES = ("private", "public", "unlisted", "direct")
_FLAG_STRINGS = ("0", "1", "true", "false")

# An id goes into the URL path as is, so it must not be able to change the path or add a query.
_PATH_ID_RE = re.compile(r"[A-Za-z0-9_~.-]+")


def fail(message):
    """Raise the argument error without chaining (the cause could carry the bad value)."""
    raise MastodonIllegalArgumentError(message)


def checked_id(value, name="id"):
    """``value`` (already unpacked from an entity) if it is a usable path id, else raise."""
    if value is None:
        fail(f"{name} is required")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        fail(f"{name} must be an id (int or str) or an entity with an id, not {type(value).__name__}")
    if isinstance(value, str) and not is_path_safe(value):
        fail(f"{name} is not a valid id (only letters, digits and _ ~ . - are allowed)")
    return value


def checked_optional_id(value, name):
    return None if value is None else checked_id(value, name)


def checked_choice(value, name, allowed, required=False):
    if value is None and not required:
        return None
    if not isinstance(value, str) or value not in allowed:
        fail(f"{name} must be one of {', '.join(allowed)}")
    return value


def checked_text(value, name, required=False):
    if value is None:
        if required:
            fail(f"{name} is required")
        return None
    if not isinstance(value, str):
        fail(f"{name} must be a str, not {type(value).__name__}")
    if required and not value.strip():
        fail(f"{name} must not be empty")
    return value


def checked_flag(value, name):
    """A yes/no option: bool or None, or the int / str spellings Rails accepts (sent unchanged)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return value
    if isinstance(value, str) and value.lower() in _FLAG_STRINGS:
        return value
    fail(f"{name} must be True or False")


def checked_ip(value, name, required=False):
    if value is None and not required:
        return None
    if isinstance(value, (ipaddress.IPv4Network, ipaddress.IPv6Network,
                          ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(value)
    if not isinstance(value, str):
        fail(f"{name} must be an IP address or network (str)")
    try:
        ipaddress.ip_network(value, strict=False)
        valid = True
    except ValueError:
        valid = False
    if not valid:
        # Raised outside the except block so the library's error (which quotes the value) is not chained.
        fail(f"{name} is not a valid IP address or CIDR network")
    return value


def checked_expiry(value):
    if value is None:
        return None
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
        fail("expires_in must be a number of seconds (int)")
    if isinstance(value, int) and value < 0:
        fail("expires_in must not be negative")
    return value


def checked_visibility(value):
    """A status visibility (any case) in lower case, or None."""
    if value is None:
        return None
    if not isinstance(value, str) or value.lower() not in VISIBILITIES:
        # A visibility is no secret: the message may quote it.
        fail(f"Invalid visibility value {value!r}, must be one of {', '.join(VISIBILITIES)}")
    return value.lower()


def checked_offset(value):
    """An ``offset`` (int, or a string of digits as the query carries it), or None. Anything else
    would be sent and then break computing the next page's offset (Mastodon.py 2.3.3 lets a
    ValueError escape there, after the request)."""
    if value is None:
        return None
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit()
                                                                  and value.isascii())):
        fail(f"offset must be an int, not {type(value).__name__}")
    return value


def refuse_poll_with_media(poll, media_ids):
    """Mastodon.py 1.8.1's rule (Mastodon before 4.6 refused it too): a poll or media, not both."""
    if poll is not None and media_ids:
        fail("Status can have media or poll attached - not both.")


def refuse_domain_with_protocol(domain):
    """Mastodon.py 2.3.3's rule for admin domain blocks: a domain, not a URL."""
    if isinstance(domain, str) and "://" in domain:
        fail("Domain should not contain a protocol identifier.")


SEARCH_RESULT_TYPES = ("accounts", "hashtags", "statuses")


def checked_search_result_type(value):
    """Mastodon.py 2.3.3's rule for ``search_v2(result_type=)``: None or one of the three kinds."""
    if value is not None:
        checked_choice(value, "result_type", SEARCH_RESULT_TYPES)
    return value


def is_path_safe(value):
    """Whether a string id can go into a URL path without changing the path or adding a query."""
    return bool(_PATH_ID_RE.fullmatch(value)) and value not in (".", "..")
