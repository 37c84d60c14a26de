"""The timeline endpoints (being written; see the issue tracker)."""

from .internals import Mastodon as Internals


class Mastodon(Internals):
    pass
