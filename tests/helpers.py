"""Helpers shared by the test servers and the test modules.

- ``fixture`` / ``fixture_body``: the recorded Mastodon responses in ``tests/fixtures``.
- ``record_request`` / ``Recorded``: a request as a test server saw it (both servers use it).
- ``assert_sent``: "this call sent exactly this" against the recording server.
- ``free_port``, ``FakeClock``, ``spy`` and ``stop_http_server`` for the rest.
"""

import email.parser
import email.policy
import json
import os
import re
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

TOKEN = "test-access-token-0123456789"  # the access token of the ``api`` fixture's client

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


# ---------------------------------------------------------------------------------------------
# Recorded responses


def fixture(name):
    """A fixture file (``GET_api_v1_accounts_id_200`` or with ``.json``) as a dict with
    ``status``, ``headers`` and ``body``."""
    if not name.endswith(".json"):
        name += ".json"
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return json.load(handle)


def fixture_body(name):
    """The body of a fixture, as decoded JSON."""
    return fixture(name)["body"]


# ---------------------------------------------------------------------------------------------
# Recorded requests


@dataclass
class Part:
    """One part of a multipart/form-data body."""
    name: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class Recorded:
    """One request as the server saw it."""
    method: str
    path: str
    query: list
    headers: dict  # lower-case names
    body: bytes
    raw_path: str = ""
    form: list = None
    json: object = None
    parts: list = None
    time: float = 0.0

    @property
    def content_type(self):
        return self.headers.get("content-type", "").split(";")[0].strip()

    def part(self, name):
        for part in self.parts or ():
            if part.name == name:
                return part
        raise KeyError(name)


def _parse_multipart(content_type, body):
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    parts = []
    for item in message.iter_parts():
        disposition = item.get("Content-Disposition", "")
        name = re.search(r'name="([^"]*)"', disposition)
        filename = re.search(r'filename="([^"]*)"', disposition)
        parts.append(Part(name.group(1) if name else None, filename.group(1) if filename else None,
                          item.get_content_type() if item.get("Content-Type") else None,
                          item.get_payload(decode=True) or b""))
    return parts


def record_request(method, raw_path, headers, body):
    """A :class:`Recorded` request, with the body decoded by its content type."""
    split = urlsplit(raw_path)
    headers = {k.lower(): v for k, v in headers.items()}
    recorded = Recorded(method=method, path=split.path, query=parse_qsl(split.query, keep_blank_values=True),
                        headers=headers, body=body, raw_path=raw_path, time=time.time())
    content_type = headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        recorded.form = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
    elif content_type.startswith("application/json") and body:
        recorded.json = json.loads(body)
    elif content_type.startswith("multipart/form-data"):
        recorded.parts = _parse_multipart(content_type, body)
    return recorded


def assert_sent(server, method, path, query=None, form=None, json=None, body=None, headers=None, token=TOKEN):
    """Assert that ``server`` saw exactly one request and that it was this one; return it.

    ``query`` is the list of query pairs in order (a dict for short); None means no query string.
    The body is checked in the form given: ``form`` (the pairs of a form-encoded body; ``[]`` also
    matches an empty body), ``json`` (the decoded JSON body) or ``body`` (raw bytes). Given none of
    them, the request must not have a body. ``headers`` maps lower-case names to the value
    expected, or to None for a header that must be absent. The request must carry
    ``Authorization: Bearer <token>``, or no Authorization header when ``token`` is None.
    """
    assert len(server.requests) == 1, server.requests
    request = server.requests[0]
    query = list(query.items()) if isinstance(query, dict) else list(query or [])
    assert (request.method, request.path, request.query) == (method, path, query)
    if form is not None:
        sent_form = request.form if request.form is not None else (None if request.body else [])
        assert sent_form == list(form), request.body
    elif json is not None:
        assert request.content_type == "application/json"
        assert request.json == json
    elif body is not None:
        assert request.body == body
    else:
        assert request.body == b""
    expected_headers = dict(headers or {})
    expected_headers["authorization"] = None if token is None else "Bearer " + token
    assert {name: request.headers.get(name) for name in expected_headers} == expected_headers
    return request


# ---------------------------------------------------------------------------------------------
# Stand-ins


def free_port():
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeClock:
    """A clock that only moves when slept on: ``sleep`` records the wait and advances ``now``.
    Patch its ``sleep``/``monotonic``/``time`` over a module's (or pass it as the ``time`` module)."""

    def __init__(self, now=1000.0):
        self.now = now
        self.sleeps = []

    def monotonic(self):
        return self.now

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def spy(monkeypatch, owner, name):
    """Wrap ``owner.name`` so that every call is recorded as ``(args, kwargs)`` and then goes
    through to the original; returns the list the calls go to."""
    calls = []
    original = getattr(owner, name)

    def recording(*args, **kwargs):
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls


def stop_http_server(httpd):
    """Stop a ``socketserver`` server at once.

    ``shutdown()`` alone waits for the serving loop's next poll; asking for the stop first and
    then waking the loop's ``select`` with a connection makes it return immediately, which
    matters over the thousand servers a test run starts and stops.
    """
    httpd._BaseServer__shutdown_request = True
    try:
        with socket.create_connection(httpd.server_address[:2], timeout=1.0):
            pass
    except OSError:
        pass
    httpd.shutdown()
    httpd.server_close()


class WaitingListener:
    """The shared part of the stream listeners the streaming tests record with: calls are kept
    in ``calls`` (added with ``_add``) and ``wait_for(predicate)`` waits for them from another
    thread. Mix it in before ``StreamListener``."""

    def __init__(self):
        self.calls = []
        self.changed = threading.Condition()

    def _add(self, entry):
        with self.changed:
            self.calls.append(entry)
            self.changed.notify_all()

    def wait_for(self, predicate, timeout=5.0):
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self.calls):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
        return True
