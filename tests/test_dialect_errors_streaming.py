"""Dialect "2" (issue 15): errors, rate limits, streaming control flow and module names, each row
of shared/spec/DIALECTS.md next to its 1.8 side. Row ids (X2, E8, M4, ...) are the spec's.
"""

import pytest

from server import Response
from sse_server import instance_body

from mastodon import Mastodon, StreamListener
from mastodon import _dialect

ENV = "MASTODON_PY_DIALECT"


@pytest.fixture(autouse=True)
def no_process_dialect(monkeypatch):
    """Every test starts without the environment variable (CI might set it)."""
    monkeypatch.delenv(ENV, raising=False)


class FakeResponse:
    """A stream body for ``listener.handle_stream``."""

    def __init__(self, data):
        self.data = data

    def iter_content(self, chunk_size=1):
        yield self.data


def stream_client(make_api, server, sse, dialect):
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(sse.ws_url)))
    return make_api(dialect=dialect)


def end_after(*events):
    def script(stream):
        for name, data in events:
            stream.event(name, data)
        stream.end()
    return script


# ---------------------------------------------------------------------------------------------
# The listener's dialect


def test_a_bare_listener_speaks_the_process_default(monkeypatch):
    listener = StreamListener()
    assert _dialect.listener_dialect(listener) is _dialect.DIALECTS["1.8"]
    monkeypatch.setenv(ENV, "2")
    assert _dialect.listener_dialect(listener) is _dialect.DIALECTS["2"]


@pytest.mark.parametrize("dialect", ["1.8", "2"])
def test_a_listener_fed_by_a_client_speaks_the_clients_dialect(dialect, make_api, server, sse, monkeypatch):
    # The environment names the other dialect: the client's wins.
    monkeypatch.setenv(ENV, "1.8" if dialect == "2" else "2")
    api = stream_client(make_api, server, sse, dialect)
    sse.serve(end_after(("delete", "5")))
    listener = StreamListener()
    api.stream_user(listener)
    assert _dialect.listener_dialect(listener) is _dialect.DIALECTS[dialect]
    assert vars(listener) == {_dialect.LISTENER_ATTRIBUTE: _dialect.DIALECTS[dialect]}


def test_a_listener_without_attributes_keeps_the_process_default():
    class Slotted:
        __slots__ = ()

        def handle_stream(self, response):
            pass

    class Frozen(StreamListener):
        def __setattr__(self, name, value):
            raise TypeError("frozen")

    for listener in (Slotted(), Frozen()):
        _dialect.set_listener_dialect(listener, _dialect.DIALECTS["2"])
        assert _dialect.listener_dialect(listener) is _dialect.DIALECTS["1.8"]
