"""Pagination: ``Link`` headers, the pagination dicts results carry, and ``Mastodon-Async-Refresh``.

Every parser here reads server text and is linear in its length: scanning is done with
``str.find``/``partition``/``split``, never with a regular expression that could backtrack.
"""

from typing import NamedTuple, Optional
from urllib.parse import parse_qsl, urlsplit

from .types_base import AsyncRefresh, AttribAccessDict, AttribAccessList, PaginationInfo, set_extra

PAGINATION_KEYS = ("max_id", "min_id", "since_id")

# int() refuses longer digit strings (sys.get_int_max_str_digits); such an id stays a string.
_MAX_INT_DIGITS = 4300


def ascii_int(text):
    """``text`` as an int when it is a plain run of ASCII digits short enough for int(), else None.

    ``str.isdigit`` alone also accepts characters such as ``²`` that int() refuses.
    """
    if text.isascii() and text.isdigit() and len(text) <= _MAX_INT_DIGITS:
        return int(text)
    return None


def parse_link_header(value):
    """Parse an RFC 8288 ``Link`` header into ``{rel: url}``. Garbage yields ``{}``.

    The first link of each relation wins; relation names are compared in lower case.
    """
    links = {}
    if not value or not isinstance(value, str):
        return links
    position = 0
    length = len(value)
    while position < length:
        start = value.find("<", position)
        if start < 0:
            break
        end = value.find(">", start + 1)
        if end < 0:
            break  # no later link can be closed either
        url = value[start + 1:end].strip()
        following = value.find("<", end + 1)
        attributes = value[end + 1:following if following >= 0 else length]
        for attribute in attributes.split(";"):
            name, sep, rel = attribute.partition("=")
            if sep and name.strip().lower() == "rel":
                rel = rel.strip().rstrip(",").strip().strip('"')
                for name in rel.split():
                    links.setdefault(name.lower(), url)
        if following < 0:
            break
        position = following
    return links


def pagination_params_from_url(url):
    """The pagination keys (``max_id``, ``min_id``, ``since_id``, ``offset``) in a Link URL.

    Numeric ids become ints as the rest of the answer's ids do; others stay strings.
    """
    found = {}
    try:
        query = urlsplit(url).query
    except ValueError:
        return found
    for key, value in parse_qsl(query, keep_blank_values=False):
        if key in PAGINATION_KEYS:
            number = ascii_int(value)
            found[key] = value if number is None else number
        elif key == "offset":
            number = ascii_int(value)
            if number is not None:
                found[key] = number
    return found


def pagination_dict(params, method, endpoint, found, drop):
    """The request params (as sent, ``lang`` included), then method and endpoint, then the
    position keys from the Link URL; ``drop`` keys of the request are removed."""
    info = PaginationInfo(params)
    info["_pagination_method"] = method
    info["_pagination_endpoint"] = endpoint
    info.update(found)
    for key in drop:
        if key not in found:
            info.pop(key, None)
    return info


def attach_pagination(result, link_header, method, endpoint, params, force_pagination=False):
    """Turn an answer with a Link header into a page that knows its neighbours.

    A list becomes an AttribAccessList carrying ``_pagination_next``/``_pagination_prev``
    (also set on its last/first item); with ``force_pagination`` an object answer (grouped
    notifications) carries them itself.
    """
    links = parse_link_header(link_header)
    if not links and not force_pagination:
        return result
    is_list = isinstance(result, list)
    page = AttribAccessList(result) if is_list else result
    if "next" in links:
        found = pagination_params_from_url(links["next"])
        if "max_id" in found or "offset" in found:
            info = pagination_dict(params, method, endpoint, found, drop=("since_id", "min_id"))
            set_extra(page, "_pagination_next", info)
            if is_list and page and isinstance(page[-1], AttribAccessDict):
                set_extra(page[-1], "_pagination_next", info)
    if "prev" in links:
        found = pagination_params_from_url(links["prev"])
        found.pop("offset", None)
        if "min_id" in found:
            found.pop("since_id", None)
        if "min_id" in found or "since_id" in found:
            info = pagination_dict(params, method, endpoint, found, drop=("max_id",))
            set_extra(page, "_pagination_prev", info)
            if is_list and page and isinstance(page[0], AttribAccessDict):
                set_extra(page[0], "_pagination_prev", info)
    return page


class OffsetPaging(NamedTuple):
    """How a call that pages by ``offset`` finds its list: the result itself (``field`` None) or
    the list under ``field`` of a wrapper object; ``previous`` is the offset of the page before
    (known when the page was reached with ``fetch_next``)."""

    field: Optional[str] = None
    previous: Optional[int] = None


# The bookkeeping keys of an offset page's info; fetch_next/fetch_previous do not send them.
OFFSET_INFO_KEYS = ("_pagination_offset", "_pagination_offset_field", "_pagination_lang",
                    "_pagination_offset_previous")


def _offset_value(value):
    """An offset or limit as an int (request parameters may hold ints or digit strings), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return ascii_int(value)
    return None


def _offset_info(params, method, endpoint, paging, lang, offset, limit):
    info = PaginationInfo(params)
    info["_pagination_method"] = method
    info["_pagination_endpoint"] = endpoint
    info["_pagination_offset"] = True
    info["_pagination_offset_field"] = paging.field
    info["_pagination_lang"] = lang
    info["offset"] = offset
    if limit is not None:
        info["limit"] = limit
    return info


def attach_offset_pagination(result, link_header, method, endpoint, params, paging, lang=None):
    """Give a page of an endpoint that pages by ``offset`` its ``_pagination_next`` and
    ``_pagination_prev`` (Mastodon.py 2.3's rules).

    A ``Link`` URL that carries an ``offset`` is taken as it is. Otherwise the next page starts
    after the items returned (offered while there are any) and the previous one ends where this
    one starts (offered past offset 0): at the offset this page was reached from, or one page
    length back. An offset that is not a number gives no pagination.
    """
    items = result.get(paging.field) if paging.field is not None and isinstance(result, dict) else result
    if not isinstance(items, list):
        return result
    page = AttribAccessList(result) if isinstance(result, list) else result
    current = _offset_value(params.get("offset", 0))
    if current is None:
        return page
    links = parse_link_header(link_header)

    found = pagination_params_from_url(links["next"]) if "next" in links else {}
    if "offset" in found:
        limit = _offset_value(_query_value(links["next"], "limit"))
        info = _offset_info(params, method, endpoint, paging, lang, found["offset"], limit)
    elif items:
        info = _offset_info(params, method, endpoint, paging, lang, current + len(items), None)
    else:
        info = None
    if info is not None:
        info["_pagination_offset_previous"] = current
        set_extra(page, "_pagination_next", info)

    found = pagination_params_from_url(links["prev"]) if "prev" in links else {}
    if "offset" in found:
        limit = _offset_value(_query_value(links["prev"], "limit"))
        set_extra(page, "_pagination_prev", _offset_info(
            params, method, endpoint, paging, lang, found["offset"], limit))
    elif current > 0:
        previous = paging.previous
        if previous is None or not 0 <= previous < current:
            # One page length back (the items returned, else the limit asked for, else to the start).
            span = len(items) or _offset_value(params.get("limit")) or current
            previous = max(0, current - span)
        set_extra(page, "_pagination_prev", _offset_info(
            params, method, endpoint, paging, lang, previous, current - previous))
    return page


def _query_value(url, name):
    try:
        query = urlsplit(url).query
    except ValueError:
        return None
    for key, value in parse_qsl(query, keep_blank_values=False):
        if key == name:
            return value
    return None


def parse_async_refresh(value):
    """``id="abc", retry=3, result_count=5`` → dict (numbers as ints)."""
    info = {}
    for part in value.split(","):
        key, sep, raw = part.strip().partition("=")
        if not sep:
            continue
        raw = raw.strip().strip('"')
        number = ascii_int(raw)
        info[key.strip()] = raw if number is None else number
    return info


def attach_async_refresh(result, header, method, endpoint, params):
    """Store a ``Mastodon-Async-Refresh`` header on the result as ``_async_refresh``."""
    if not header or not isinstance(header, str) or not isinstance(result, (dict, list)):
        return result
    if type(result) is list:
        result = AttribAccessList(result)
    info = AsyncRefresh(parse_async_refresh(header))
    set_extra(info, "_request", (method, endpoint, dict(params)))
    set_extra(result, "_async_refresh", info)
    return result
