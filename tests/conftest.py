import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from helpers import TOKEN  # noqa: E402,F401 (tests import it from here too)
from server import RecordingServer, Response  # noqa: E402
from sse_server import SSEServer, instance_body  # noqa: E402

from mastodon import Mastodon  # noqa: E402


@pytest.fixture(autouse=True)
def no_process_dialect(monkeypatch):
    """Every test starts without MASTODON_PY_DIALECT (a developer's shell or CI might set it);
    the dialect tests set it where they mean to."""
    monkeypatch.delenv("MASTODON_PY_DIALECT", raising=False)


@pytest.fixture
def server():
    with RecordingServer() as running:
        yield running


@pytest.fixture
def make_api(server):
    """Build a client against the recording server; keywords override the defaults
    (a 4.5.0 server, version gates on, a user token, rate limiting in 'throw' mode)."""
    def make(**kwargs):
        options = dict(api_base_url=server.url, access_token=TOKEN, mastodon_version="4.5.0",
                       version_check_mode="created", ratelimit_method="throw")
        options.update(kwargs)
        return Mastodon(**options)
    return make


@pytest.fixture
def api(make_api):
    return make_api()


@pytest.fixture(params=["1.8", "2"])
def dialect(request):
    """Each dialect in turn (issue 15), for the request tables that must send the same in both."""
    return request.param


@pytest.fixture
def dialect_api(make_api, dialect):
    """The ``api`` client, built once per dialect (see ``dialect``)."""
    return make_api(dialect=dialect)


@pytest.fixture
def sse():
    """A local SSE server (tests/sse_server.py)."""
    with SSEServer() as running:
        yield running


@pytest.fixture
def stream_api(server, make_api, sse):
    """A client whose instance names the local SSE server as its streaming API."""
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(sse.ws_url)))
    return make_api()
