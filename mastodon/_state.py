"""What a client remembers about its server and its login, in one container.

:meth:`Mastodon.clear_caches` empties it; nothing else in the client is a cache. Each entry is
filled by the one method that fetches it.
"""


class Caches:
    """Server facts and login facts fetched once and reused."""

    __slots__ = ("instance_v1", "instance_v2", "oauth_info", "logged_in_id",
                 "trusted_hosts", "path_forms", "server_is_other", "feeds_checked")

    def __init__(self):
        self.clear()

    def clear(self):
        #: ``GET /api/v1/instance`` and ``/api/v2/instance`` answers.
        self.instance_v1 = None
        self.instance_v2 = None
        #: The server's RFC 8414 OAuth metadata.
        self.oauth_info = None
        #: The logged-in account's id (reset whenever the token changes).
        self.logged_in_id = None
        #: Hosts besides the API's that may see the token (the streaming host the server names).
        self.trusted_hosts = set()
        #: Mastodon.py's trailing-slash paths → the form this server answered.
        self.path_forms = {}
        #: Whether the server's version string says it is not Mastodon (None: not known).
        self.server_is_other = None
        #: The public feeds whose availability (``timelines_access``) was checked: dialect "2".
        self.feeds_checked = set()
