"""Requests and answers as the endpoints see them: Rails-style parameters, uploads, pagination.

Parameters arrive in the query string, a form, a multipart body or JSON, and are merged into
one nested dict the way Rack does it (``poll[options][]`` becomes ``{"poll": {"options": [...]}}``).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import parse_qsl, urlencode

from .state import ApiError, truthy

JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class Upload:
    filename: Optional[str]
    content_type: str
    data: bytes


@dataclass
class Answer:
    status: int = 200
    body: object = None  # JSON-ready data, or str/bytes sent as they are
    headers: dict = field(default_factory=dict)
    content_type: Optional[str] = None


class Request:
    """One API request: ``params`` (nested, query and body merged), ``files``, and once the
    token is checked ``token``, ``account`` (the viewer, None for anonymous or app tokens)."""

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.params = {}
        self.files = {}
        self.token = None
        self.account = None
        self.path_params = {}
        self.cookies = _cookies(headers.get("cookie", ""))
        for name, value in parse_qsl(query, keep_blank_values=True):
            _normalize(self.params, name, value)
        self._read_body()

    def _read_body(self):
        content_type = self.headers.get("content-type", "")
        if not self.body:
            return
        if content_type.startswith("application/x-www-form-urlencoded"):
            for name, value in parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True):
                _normalize(self.params, name, value)
        elif content_type.startswith("application/json"):
            try:
                data = json.loads(self.body)
            except ValueError:
                raise ApiError(400, "Error occurred while parsing request parameters.") from None
            if isinstance(data, dict):
                self.params.update(data)
        elif content_type.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + self.body)
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_param("filename", header="content-disposition")
                data = part.get_payload(decode=True) or b""
                if filename is not None:
                    self.files[name] = Upload(filename, part.get_content_type(), data)
                else:
                    _normalize(self.params, name, data.decode("utf-8", "replace"))

    # -- typed access ----------------------------------------------------------------------------

    def get(self, name, default=None):
        value = self.params.get(name, default)
        if isinstance(value, list):
            return value[-1] if value else default
        return value

    def text(self, name, default=None):
        value = self.get(name, default)
        return value if value is None or isinstance(value, (str, dict)) else str(value)

    def list(self, name):
        value = self.params.get(name)
        if value is None:
            return []
        if isinstance(value, dict):  # a[0]=x&a[1]=y
            return [value[key] for key in sorted(value, key=lambda k: int(k) if str(k).isdigit() else 0)]
        return [str(item) if not isinstance(item, (dict, str)) else item for item in value] \
            if isinstance(value, list) else [value]

    def flag(self, name, default=None):
        if name not in self.params:
            return default
        return truthy(self.get(name))

    def int(self, name, default=None):
        value = self.get(name)
        try:
            return int(value)
        except (TypeError, ValueError):
            return default

    def id(self, name):
        """A pagination id: an int, or None when absent or not a number (Mastodon ignores it)."""
        value = self.get(name)
        try:
            return int(value)
        except (TypeError, ValueError):
            return None


def _cookies(header):
    cookies = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            cookies[name] = value
    return cookies


def _normalize(params, name, value):
    """Rack's ``normalize_params``: ``a[b][]`` and ``a[][b]`` into nested dicts and lists."""
    match = re.match(r"\A[\[\]]*([^\[\]]+)\]*", name or "")
    if match is None:
        return params
    key, after = match.group(1), name[match.end():]
    if after == "":
        params[key] = value
    elif after == "[]":
        current = params.setdefault(key, [])
        if isinstance(current, list):
            current.append(value)
    elif after.startswith("[]"):
        child = re.match(r"\A\[\]\[?([^\[\]]+)\]?(.*)\Z", after)
        current = params.setdefault(key, [])
        if child is None or not isinstance(current, list):
            return params
        child_name = child.group(1) + child.group(2)
        if current and isinstance(current[-1], dict) and child.group(1) not in current[-1]:
            _normalize(current[-1], child_name, value)
        else:
            current.append(_normalize({}, child_name, value))
    else:
        current = params.get(key)
        if not isinstance(current, dict):
            current = params[key] = {}
        _normalize(current, after, value)
    return params


# ---------------------------------------------------------------------------------------------
# Pagination


def limit_of(request, default, maximum=None):
    """Mastodon's ``limit_param``: the default when absent, else ``|limit|`` capped at twice the
    default (or ``maximum``)."""
    value = request.get("limit")
    if value in (None, ""):
        return default
    try:
        limit = abs(int(value))
    except (TypeError, ValueError):
        return default
    return min(limit, maximum if maximum is not None else default * 2)


def paginate(request, records, key, default_limit, prev_key="min_id", keep=("limit",), maximum=None):
    """One page of ``records`` (sorted newest first by ``key``) for the request's ``max_id``,
    ``since_id`` and ``min_id``, and the ``Link`` header Mastodon sends with it.

    ``next`` points below the page's last record when the page is full; ``prev`` above its
    first record whenever it is not empty (``prev_key``: ``min_id`` for timelines and
    notifications, ``since_id`` for account lists).
    """
    limit = limit_of(request, default_limit, maximum)
    max_id, since_id, min_id = request.id("max_id"), request.id("since_id"), request.id("min_id")
    candidates = [record for record in records
                  if (max_id is None or key(record) < max_id)
                  and (since_id is None or key(record) > since_id)
                  and (min_id is None or key(record) > min_id)]
    if min_id is not None:
        page = candidates[-limit:] if limit else []
    else:
        page = candidates[:limit]
    links = []
    kept = {}
    for name in keep:
        if name in request.params:
            kept[name] = request.params[name]
    if page and len(page) == limit:
        links.append((dict(kept, max_id=str(key(page[-1]))), "next"))
    if page:
        links.append((dict(kept, **{prev_key: str(key(page[0]))}), "prev"))
    headers = {}
    if links:
        headers["Link"] = ", ".join(f'<{request.base_url}{request.path}?{_query(params)}>; rel="{rel}"'
                                    for params, rel in links)
    return page, headers


def _query(params):
    """Rails' ``to_query``: keys sorted, arrays as ``key[]``."""
    pairs = []
    for name in sorted(params):
        value = params[name]
        if isinstance(value, list):
            pairs += [(f"{name}[]", item) for item in value]
        else:
            pairs.append((name, value))
    return urlencode(pairs)
