"""The pytest plugin of :mod:`mastodon.testing` (registered through the ``pytest11`` entry point).

``mastodon_server`` is a started :class:`~mastodon.testing.FakeMastodon`, new for each test and
stopped after it. Override ``mastodon_server_options`` to pass constructor options::

    @pytest.fixture
    def mastodon_server_options():
        return {"rate_limits": False, "heartbeat": 1.0}
"""

import pytest


@pytest.fixture
def mastodon_server_options():
    """Keyword arguments for the ``mastodon_server`` fixture's :class:`FakeMastodon`."""
    return {}


@pytest.fixture
def mastodon_server(mastodon_server_options):
    """A running in-memory Mastodon server (:class:`mastodon.testing.FakeMastodon`)."""
    from mastodon.testing.server import FakeMastodon

    with FakeMastodon(**mastodon_server_options) as server:
        yield server
