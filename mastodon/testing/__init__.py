"""An in-memory Mastodon server for testing clients and bots.

:class:`FakeMastodon` runs a stateful Mastodon 4.5 stand-in on 127.0.0.1, in the test's own
process: apps and OAuth, accounts, statuses, timelines with real pagination, notifications,
follows, lists, search, media, polls, markers, filters, rate limits and streaming, answered
in the shapes a real Mastodon answers with. Several users can act at once, and faults
(5xx, 429, dropped or stalled connections and streams) can be injected::

    from mastodon.testing import FakeMastodon

    with FakeMastodon() as server:
        bot = server.client("bot")
        alice = server.client("alice")
        alice.status_post("@bot hello")
        assert bot.notifications()[0].type == "mention"

``start()`` is the one-call form; the pytest plugin provides the ``mastodon_server`` fixture;
``python -m mastodon.testing`` serves one for a bot running in another process.
"""

__all__ = ["FakeMastodon", "start"]


from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import FakeMastodon


def start(**options: Any) -> "FakeMastodon":
    """Start a :class:`FakeMastodon` (``options`` as for its constructor) and return it;
    call ``stop()`` when done."""
    from .server import FakeMastodon
    return FakeMastodon(**options).start()


def __getattr__(name):
    # Loaded on first use: the pytest plugin imports this package in every test run.
    if name == "FakeMastodon":
        from .server import FakeMastodon
        return FakeMastodon
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
