"""What a fake Mastodon server remembers, and the rules that tie it together.

Accounts, apps and tokens, statuses and their edits, home and list feeds, notifications,
relationships, media, polls, lists, filters and markers live here as plain objects; the
operations follow Mastodon's services (who gets a status in their home feed, who is notified,
which streams hear of a change). ``entities.py`` turns the objects into API entities.

Everything runs under :attr:`State.lock`: the HTTP layer takes it for the whole of a request,
so operations never see each other half done. Changes are announced through
:attr:`State.publish` (the streaming hub) and :attr:`State.changed` (a condition that helpers
wait on).
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional

from . import _text

OOB = "urn:ietf:wg:oauth:2.0:oob"
MAX_CHARACTERS = 500
MAX_MEDIA = 4
MAX_PINS = 5
HOME_FEED_SIZE = 800
POLL_MIN_EXPIRATION = 300
POLL_MAX_EXPIRATION = 2629746
POLL_MAX_OPTIONS = 4
VISIBILITIES = ("public", "unlisted", "private", "direct")
FILTER_CONTEXTS = ("home", "notifications", "public", "thread", "account")
FILTER_ACTIONS = ("warn", "hide", "blur")
NOTIFICATION_TYPES = ("mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update")

# The scopes Mastodon 4.5 knows (its OAuth metadata), and what the umbrella scopes cover.
SCOPES = frozenset("""
    read write follow push profile
    read:accounts read:blocks read:bookmarks read:collections read:favourites read:filters read:follows
    read:lists read:mutes read:notifications read:search read:statuses
    write:accounts write:blocks write:bookmarks write:collections write:conversations write:favourites
    write:filters write:follows write:lists write:media write:mutes write:notifications write:reports
    write:statuses
    admin:read admin:write
""".split())
_FOLLOW_SCOPES = frozenset("read:blocks write:blocks read:follows write:follows read:mutes write:mutes".split())


class ApiError(Exception):
    """An error answer: HTTP ``status`` and the JSON ``body`` Mastodon sends with it."""

    def __init__(self, status, error, **extra):
        super().__init__(error)
        self.status = status
        self.body = dict(error=error, **extra)


def not_found():
    return ApiError(404, "Record not found")


def not_allowed():
    return ApiError(403, "This action is not allowed")


def invalid(message):
    return ApiError(422, f"Validation failed: {message}")


def now():
    return datetime.now(timezone.utc)


def iso(moment):
    """``2026-08-01T13:53:14.135Z``: Mastodon's timestamps (milliseconds, UTC, ``Z``)."""
    if moment is None:
        return None
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def scope_allows(granted, required):
    """Whether the ``granted`` scopes cover ``required`` (``read`` covers ``read:statuses``,
    ``follow`` the follow, block and mute scopes)."""
    if required in granted:
        return True
    parts = required.split(":")
    for end in range(len(parts) - 1, 0, -1):
        if ":".join(parts[:end]) in granted:
            return True
    return required in _FOLLOW_SCOPES and "follow" in granted


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(eq=False)
class App:
    id: int
    name: str
    website: Optional[str]
    redirect_uris: List[str]
    scopes: List[str]
    client_id: str
    client_secret: str


@dataclass(eq=False)
class Account:
    id: int
    username: str
    created_at: datetime
    display_name: str = ""
    note: str = ""
    locked: bool = False
    bot: bool = False
    discoverable: bool = True
    password: Optional[str] = None
    fields: List[dict] = field(default_factory=list)
    privacy: str = "public"
    sensitive: bool = False
    language: Optional[str] = None
    home: List[int] = field(default_factory=list)  # status ids, ascending
    notifications: list = field(default_factory=list)  # ascending ids
    markers: Dict[str, dict] = field(default_factory=dict)
    followed_tags: Dict[str, int] = field(default_factory=dict)
    notes: Dict[int, str] = field(default_factory=dict)
    filters: list = field(default_factory=list)
    muted_conversations: set = field(default_factory=set)
    avatar: Optional[tuple] = None  # (key, mime type, bytes)
    header: Optional[tuple] = None


@dataclass(eq=False)
class Token:
    value: str
    app: App
    account: Optional[Account]
    scopes: List[str]
    created_at: datetime
    revoked: bool = False


@dataclass(eq=False)
class Grant:
    """An authorization code waiting to be exchanged at ``/oauth/token``."""
    code: str
    app: App
    account: Account
    redirect_uri: str
    scopes: List[str]
    challenge: Optional[str]
    challenge_method: Optional[str]
    expires: float


@dataclass(eq=False)
class Media:
    id: int
    account: Account
    kind: str
    mime: str
    data: bytes
    key: str
    created_at: datetime
    description: Optional[str] = None
    focus: tuple = (0.0, 0.0)
    size: Optional[tuple] = None
    pending_polls: int = 0
    status: Optional["Status"] = None


@dataclass(eq=False)
class Poll:
    id: int
    options: List[str]
    expires_at: datetime
    multiple: bool
    hide_totals: bool
    votes: Dict[int, List[int]] = field(default_factory=dict)  # account id -> choices
    status: Optional["Status"] = None
    ended_notified: bool = False

    def expired(self):
        return self.expires_at <= now()


@dataclass(eq=False)
class Status:
    id: int
    account: Account
    created_at: datetime
    text: str = ""
    spoiler_text: str = ""
    sensitive: bool = False
    visibility: str = "public"
    language: Optional[str] = None
    in_reply_to: Optional["Status"] = None
    reblog: Optional["Status"] = None
    media: List[Media] = field(default_factory=list)
    poll: Optional[Poll] = None
    app: Optional[App] = None
    content: str = ""
    mentions: List[Account] = field(default_factory=list)
    tags: List[str] = field(default_factory=list)
    edited_at: Optional[datetime] = None
    edits: List[dict] = field(default_factory=list)
    deleted: bool = False
    pinned: bool = False
    favourited_by: Dict[int, int] = field(default_factory=dict)  # account id -> favourite id
    bookmarked_by: Dict[int, int] = field(default_factory=dict)  # account id -> bookmark id
    reblogs: Dict[int, "Status"] = field(default_factory=dict)  # account id -> the reblog

    @property
    def is_self_reply(self):
        return self.in_reply_to is None or self.in_reply_to.account is self.account

    def root(self):
        status = self
        while status.in_reply_to is not None:
            status = status.in_reply_to
        return status


@dataclass(eq=False)
class Notification:
    id: int
    type: str
    recipient: Account
    account: Account
    status: Optional[Status]
    created_at: datetime
    group_key: str


@dataclass(eq=False)
class UserList:
    id: int
    account: Account
    title: str
    replies_policy: str = "list"
    exclusive: bool = False
    members: Dict[int, int] = field(default_factory=dict)  # account id -> membership id
    feed: List[int] = field(default_factory=list)


@dataclass(eq=False)
class FilterKeyword:
    id: int
    keyword: str
    whole_word: bool = True


@dataclass(eq=False)
class FilterStatus:
    id: int
    status_id: int


@dataclass(eq=False)
class Filter:
    id: int
    account: Account
    title: str
    context: List[str]
    action: str = "warn"
    expires_at: Optional[datetime] = None
    keywords: List[FilterKeyword] = field(default_factory=list)
    statuses: List[FilterStatus] = field(default_factory=list)

    def active(self):
        return self.expires_at is None or self.expires_at > now()


@dataclass(eq=False)
class Follow:
    id: int
    account: Account
    target: Account
    reblogs: bool = True
    notify: bool = False
    languages: Optional[List[str]] = None


@dataclass(eq=False)
class Mute:
    id: int
    notifications: bool
    expires_at: Optional[datetime]


# ---------------------------------------------------------------------------------------------
# The state


class _Ids:
    """Mastodon's id schemes: snowflakes (milliseconds << 16, strictly increasing) for accounts,
    statuses and media; plain sequences for everything else."""

    def __init__(self):
        self._last_snowflake = 0
        self._sequences = {}

    def snowflake(self, moment):
        candidate = int(moment.timestamp() * 1000) << 16
        self._last_snowflake = max(candidate, self._last_snowflake + 1)
        return self._last_snowflake

    def next(self, kind):
        self._sequences[kind] = self._sequences.get(kind, 0) + 1
        return self._sequences[kind]


def _insert_sorted(ids, value, cap=None):
    position = bisect.bisect_left(ids, value)
    if position < len(ids) and ids[position] == value:
        return False
    ids.insert(position, value)
    if cap is not None and len(ids) > cap:
        del ids[0]
    return True


def _remove_sorted(ids, value):
    position = bisect.bisect_left(ids, value)
    if position < len(ids) and ids[position] == value:
        del ids[position]
        return True
    return False


class State:
    """The whole server state. ``base_url`` is set once the server knows its port."""

    def __init__(self, media_processing_polls: int = 1) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.base_url = "http://127.0.0.1"
        self.media_processing_polls = media_processing_polls
        self.ids = _Ids()
        self.apps: Dict[str, App] = {}
        self.tokens: Dict[str, Token] = {}
        self.grants: Dict[str, Grant] = {}
        self.accounts: Dict[int, Account] = {}
        self.usernames: Dict[str, Account] = {}
        self.statuses: Dict[int, Status] = {}
        self.media: Dict[int, Media] = {}
        self.polls: Dict[int, Poll] = {}
        self.lists: Dict[int, UserList] = {}
        self.follows: Dict[tuple, Follow] = {}
        self.follow_requests: Dict[tuple, Follow] = {}
        self.blocks: Dict[tuple, int] = {}
        self.mutes: Dict[tuple, Mute] = {}
        self.tags: Dict[str, str] = {}  # lower-case name -> name as first written
        self.tag_ids: Dict[str, int] = {}
        self.idempotency: Dict[tuple, tuple] = {}
        self.sessions: Dict[str, Account] = {}  # browser sessions (cookie -> signed-in account)
        self.signed_in: Optional[Account] = None
        self.publish = lambda channel, event, render: None  # replaced by the streaming hub
        from .entities import Renderer  # late: entities reads the record classes above
        self.render = Renderer(self)

    @property
    def domain(self):
        return self.base_url.split("://", 1)[-1]

    def tag_id(self, name):
        key = name.lower()
        if key not in self.tag_ids:
            self.tag_ids[key] = self.ids.next("tag")
        return self.tag_ids[key]

    def touch(self):
        """Wake whoever waits on :attr:`changed` (call with the lock held)."""
        self.changed.notify_all()

    def tick(self):
        """Work that Mastodon does in the background: end expired polls."""
        for poll in list(self.polls.values()):
            if not poll.ended_notified and poll.status is not None and poll.expired():
                self._end_poll(poll)

    # -- lookups ------------------------------------------------------------------------------

    def account(self, id):
        account = self.accounts.get(_int(id))
        if account is None:
            raise not_found()
        return account

    def find_account(self, username, domain=None):
        if domain is not None and domain.lower() != self.domain.lower():
            return None
        return self.usernames.get(username.lower())

    def status(self, id, viewer):
        """The status ``id`` when ``viewer`` may see it, else 404 (as Mastodon hides it)."""
        status = self.statuses.get(_int(id))
        if status is None or not self.can_see(viewer, status):
            raise not_found()
        return status

    def following(self, account, target):
        return (account.id, target.id) in self.follows

    def blocking(self, account, target):
        return (account.id, target.id) in self.blocks

    def muting(self, account, target):
        mute = self.mutes.get((account.id, target.id))
        if mute is not None and mute.expires_at is not None and mute.expires_at <= now():
            del self.mutes[(account.id, target.id)]
            return None
        return mute

    def followers(self, account):
        return [follow.account for key, follow in self.follows.items() if key[1] == account.id]

    def can_see(self, viewer, status):
        """Mastodon's ``StatusPolicy#show?``."""
        if status.deleted:
            return False
        if status.reblog is not None:
            return self.can_see(viewer, status.reblog) and not (
                viewer is not None and self.blocking(status.account, viewer))
        author = status.account
        if viewer is not None and viewer is not author and self.blocking(author, viewer):
            return False
        if status.visibility in ("public", "unlisted"):
            return True
        if viewer is None:
            return False
        if viewer is author or viewer in status.mentions:
            return True
        return status.visibility == "private" and self.following(viewer, author)

    def hidden_for(self, viewer, status):
        """Whether ``viewer`` blocks or mutes the author (or the reblogged author)."""
        if viewer is None:
            return False
        for author in {status.account, status.reblog.account if status.reblog else status.account}:
            if author is not viewer and (self.blocking(viewer, author) or self.muting(viewer, author)):
                return True
        return False

    # -- apps and tokens ----------------------------------------------------------------------

    def create_app(self, name, redirect_uris, scopes, website=None):
        if not name or not name.strip():
            raise invalid("Application name can't be blank")
        uris = [uri.strip() for uri in (redirect_uris or OOB).split("\n") if uri.strip()]
        for uri in uris:
            if uri != OOB and not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", uri):
                raise invalid("Redirect URI must be an absolute URI.")
        scope_list = (scopes or "read").split()
        if any(scope not in SCOPES for scope in scope_list):
            raise invalid("Scopes are invalid")
        app = App(self.ids.next("app"), name.strip(), website or None, uris or [OOB], scope_list,
                  secrets.token_urlsafe(32), secrets.token_urlsafe(32))
        self.apps[app.client_id] = app
        return app

    def app_for(self, client_id, client_secret=None, check_secret=True):
        app = self.apps.get(client_id or "")
        if app is None or (check_secret and not secrets.compare_digest(app.client_secret, client_secret or "")):
            raise ApiError(401, "invalid_client", error_description=(
                "Client authentication failed due to unknown client, no client authentication included, "
                "or unsupported authentication method."))
        return app

    def issue_token(self, app, account, scopes):
        token = Token(secrets.token_urlsafe(32), app, account, list(scopes), now())
        self.tokens[token.value] = token
        return token

    def token(self, value):
        token = self.tokens.get(value or "")
        return token if token is not None and not token.revoked else None

    def authorize(self, app, account, redirect_uri, scopes, challenge=None, challenge_method=None):
        """Approve an authorization request; returns the code (Doorkeeper's rules)."""
        if redirect_uri not in app.redirect_uris:
            raise ApiError(400, "invalid_redirect_uri", error_description=(
                "The requested redirect uri is malformed or doesn't match client redirect URI."))
        scopes = scopes or ["read"]
        if any(scope not in app.scopes and not any(scope_allows([granted], scope) for granted in app.scopes)
               for scope in scopes):
            raise ApiError(400, "invalid_scope",
                           error_description="The requested scope is invalid, unknown, or malformed.")
        if challenge is not None and (challenge_method or "plain") != "S256":
            raise ApiError(400, "invalid_request",
                           error_description="The code challenge method must be S256.")
        grant = Grant(secrets.token_urlsafe(32), app, account, redirect_uri, list(scopes), challenge,
                      challenge_method, time.monotonic() + 600)
        self.grants[grant.code] = grant
        return grant.code

    def exchange_code(self, app, code, redirect_uri, verifier):
        grant = self.grants.pop(code or "", None)
        bad_grant = ApiError(400, "invalid_grant", error_description=(
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection "
            "URI used in the authorization request, or was issued to another client."))
        if grant is None or grant.app is not app or grant.expires < time.monotonic():
            raise bad_grant
        if (redirect_uri or OOB) != grant.redirect_uri:
            raise bad_grant
        if grant.challenge is not None:
            if not verifier:
                raise ApiError(400, "invalid_request", error_description=(
                    "The request is missing a required parameter, includes an unsupported parameter value, "
                    "or is otherwise malformed. Missing required parameter: code_verifier."))
            digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
            if not secrets.compare_digest(expected, grant.challenge):
                raise bad_grant
        return self.issue_token(app, grant.account, grant.scopes)

    # -- accounts -----------------------------------------------------------------------------

    def create_account(self, username, display_name="", note="", locked=False, bot=False, password=None,
                       discoverable=True):
        if not re.fullmatch(r"[A-Za-z0-9_]{1,30}", username or ""):
            raise invalid("Username must contain only letters, numbers and underscores")
        if username.lower() in self.usernames:
            raise invalid("Username has already been taken")
        moment = now()
        day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        account = Account(self.ids.snowflake(moment), username, day, display_name=display_name, note=note,
                          locked=locked, bot=bot, discoverable=discoverable, password=password)
        self.accounts[account.id] = account
        self.usernames[username.lower()] = account
        self.touch()
        return account

    def update_credentials(self, account, display_name=None, note=None, locked=None, bot=None,
                           discoverable=None, fields=None, privacy=None, sensitive=None, language=None):
        if display_name is not None:
            if len(display_name) > 30:
                raise invalid("Display name is too long (maximum is 30 characters)")
            account.display_name = display_name
        if note is not None:
            if len(note) > 500:
                raise invalid("Note is too long (maximum is 500 characters)")
            account.note = note
        for name, value in (("locked", locked), ("bot", bot), ("discoverable", discoverable),
                            ("sensitive", sensitive), ("language", language)):
            if value is not None:
                setattr(account, name, value)
        if privacy is not None:
            if privacy not in ("public", "unlisted", "private"):
                raise invalid("Privacy is not included in the list")
            account.privacy = privacy
        if fields is not None:
            account.fields = [dict(name=item.get("name", ""), value=item.get("value", ""))
                              for item in fields if item.get("name") or item.get("value")][:4]
        self.touch()
        return account

    def statuses_of(self, account):
        return [status for status in self.statuses.values() if status.account is account and not status.deleted]

    # -- relationships ------------------------------------------------------------------------

    def follow(self, account, target, reblogs=None, notify=None, languages=None):
        if target is account or self.blocking(target, account) or self.blocking(account, target):
            raise not_allowed()
        key = (account.id, target.id)
        existing = self.follows.get(key) or self.follow_requests.get(key)
        if existing is not None:
            if reblogs is not None:
                existing.reblogs = reblogs
            if notify is not None:
                existing.notify = notify
            if languages is not None:
                existing.languages = languages or None
            return
        follow = Follow(self.ids.next("follow"), account, target, True if reblogs is None else reblogs,
                        bool(notify), languages or None)
        if target.locked:
            self.follow_requests[key] = follow
            self.notify(target, "follow_request", account)
        else:
            self._start_following(follow)
        self.touch()

    def _start_following(self, follow):
        self.follows[(follow.account.id, follow.target.id)] = follow
        # Mastodon merges the new followee's recent statuses into the home feed.
        for status in self.statuses_of(follow.target):
            if status.visibility != "direct" and self._home_accepts(follow.account, status):
                _insert_sorted(follow.account.home, status.id, HOME_FEED_SIZE)
        self.notify(follow.target, "follow", follow.account)

    def unfollow(self, account, target):
        key = (account.id, target.id)
        self.follow_requests.pop(key, None)
        if self.follows.pop(key, None) is not None:
            for status_id in list(account.home):
                status = self.statuses.get(status_id)
                if status is not None and status.account is target:
                    _remove_sorted(account.home, status_id)
            for user_list in self.lists.values():
                if user_list.account is account:
                    user_list.members.pop(target.id, None)
        self.touch()

    def answer_follow_request(self, account, requester, accept):
        follow = self.follow_requests.pop((requester.id, account.id), None)
        if follow is None:
            raise not_found()
        if accept:
            self.follows[(requester.id, account.id)] = follow
            for status in self.statuses_of(account):
                if status.visibility != "direct" and self._home_accepts(requester, status):
                    _insert_sorted(requester.home, status.id, HOME_FEED_SIZE)
        self.touch()

    def remove_from_followers(self, account, follower):
        self.unfollow(follower, account)

    def block(self, account, target):
        if target is account:
            raise not_allowed()
        self.unfollow(account, target)
        self.unfollow(target, account)
        self.blocks.setdefault((account.id, target.id), self.ids.next("block"))
        self.touch()

    def unblock(self, account, target):
        self.blocks.pop((account.id, target.id), None)
        self.touch()

    def mute(self, account, target, notifications=True, duration=0):
        if target is account:
            raise not_allowed()
        expires = now() + timedelta(seconds=duration) if duration else None
        previous = self.mutes.get((account.id, target.id))
        self.mutes[(account.id, target.id)] = Mute(previous.id if previous else self.ids.next("mute"),
                                                  notifications, expires)
        self.touch()

    def unmute(self, account, target):
        self.mutes.pop((account.id, target.id), None)
        self.touch()

    # -- statuses -----------------------------------------------------------------------------

    def post_status(self, account, text="", visibility=None, spoiler_text="", sensitive=False,
                    in_reply_to_id=None, media_ids=(), poll=None, language=None, app=None, idempotency_key=None):
        """Mastodon's ``PostStatusService``: validate, store, fan out, notify."""
        if idempotency_key:
            remembered = self.idempotency.get((account.id, idempotency_key))
            if remembered is not None and remembered[1] > time.monotonic() - 3600:
                status = self.statuses.get(remembered[0])
                if status is not None and not status.deleted:
                    return status
        in_reply_to = None
        if in_reply_to_id not in (None, ""):
            in_reply_to = self.statuses.get(_int(in_reply_to_id))
            if in_reply_to is None or not self.can_see(account, in_reply_to) or in_reply_to.reblog is not None:
                raise ApiError(404, "The post you are trying to reply to does not appear to exist.")
        visibility = visibility or account.privacy
        if visibility not in VISIBILITIES:
            raise invalid("Visibility is not included in the list")
        if in_reply_to is not None and in_reply_to.visibility == "direct" and visibility != "direct":
            pass  # Mastodon lets a reply widen the audience; clients keep it direct by choice
        media = self._attachable_media(account, media_ids)
        if poll is not None and media:
            raise invalid("Cannot attach files to a post with a poll")
        text = text or ""
        if not text.strip() and not media and poll is None:
            raise invalid("Text can't be blank")
        if len(text) + len(spoiler_text or "") > MAX_CHARACTERS:
            raise invalid(f"Text character limit of {MAX_CHARACTERS} exceeded")
        moment = now()
        status = Status(self.ids.snowflake(moment), account, moment, text=text, spoiler_text=spoiler_text or "",
                        sensitive=bool(sensitive) or bool(spoiler_text), visibility=visibility,
                        language=language or account.language or "en", in_reply_to=in_reply_to, app=app)
        self._set_text(status, text)
        if poll is not None:
            status.poll = self._new_poll(poll, moment)
            status.poll.status = status
        for item in media:
            item.status = status
        status.media = media
        self.statuses[status.id] = status
        if idempotency_key:
            self.idempotency[(account.id, idempotency_key)] = (status.id, time.monotonic())
        self._distribute(status)
        self._notify_mentions(status, status.mentions)
        if visibility in ("public", "unlisted", "private"):
            for follower_follow in [f for key, f in self.follows.items() if key[1] == account.id and f.notify]:
                self.notify(follower_follow.account, "status", account, status)
        self.touch()
        return status

    def _set_text(self, status, text):
        content, mentions, tags = _text.render(text, self.base_url, self.find_account)
        status.content, status.mentions = content, mentions
        status.tags = []
        for tag in tags:
            status.tags.append(self.tags.setdefault(tag.lower(), tag))
            self.tag_id(tag)

    def _attachable_media(self, account, media_ids):
        ids = [_int(value) for value in (media_ids or ()) if value not in (None, "")]
        if len(ids) > MAX_MEDIA:
            raise invalid(f"You cannot attach more than {MAX_MEDIA} files.")
        media = [self.media[i] for i in ids
                 if i in self.media and self.media[i].account is account and self.media[i].status is None]
        if any(item.pending_polls > 0 for item in media):
            raise invalid("Cannot attach files that have not finished processing. Try again in a moment!")
        return media

    def _new_poll(self, poll, moment):
        options = [str(option) for option in poll.get("options") or []]
        if len(options) < 2:
            raise invalid("Poll must have at least 2 options")
        if len(options) > POLL_MAX_OPTIONS:
            raise invalid(f"Poll cannot have more than {POLL_MAX_OPTIONS} options")
        if len(set(options)) != len(options):
            raise invalid("Poll contains duplicate options")
        try:
            expires_in = int(poll.get("expires_in"))
        except (TypeError, ValueError):
            raise invalid("Poll duration is not a number") from None
        if expires_in < POLL_MIN_EXPIRATION:
            raise invalid("Poll duration too short")
        if expires_in > POLL_MAX_EXPIRATION:
            raise invalid("Poll duration too long")
        created = Poll(self.ids.next("poll"), options, moment + timedelta(seconds=expires_in),
                       truthy(poll.get("multiple")), truthy(poll.get("hide_totals")))
        self.polls[created.id] = created
        return created

    def edit_status(self, account, status, text=None, spoiler_text=None, sensitive=None, language=None,
                    media_ids=None, poll=None, media_attributes=()):
        """Mastodon's ``UpdateStatusService``: keep the history, notify reblog authors, stream
        ``status.update``."""
        if status.account is not account or status.reblog is not None:
            raise not_found() if status.account is not account else not_allowed()
        if not status.edits:
            status.edits.append(self._snapshot(status, status.created_at))
        media = status.media
        if media_ids is not None:
            keep = [item for item in status.media if str(item.id) in {str(i) for i in media_ids}]
            media = keep + self._attachable_media(account, [i for i in media_ids
                                                            if str(i) not in {str(m.id) for m in keep}])
        for attributes in media_attributes or ():
            for item in media:
                if str(item.id) == str(attributes.get("id")):
                    if "description" in attributes:
                        item.description = attributes["description"]
                    if attributes.get("focus"):
                        item.focus = _focus(attributes["focus"])
        new_text = status.text if text is None else text
        new_spoiler = status.spoiler_text if spoiler_text is None else spoiler_text
        if not new_text.strip() and not media and status.poll is None and poll is None:
            raise invalid("Text can't be blank")
        if len(new_text) + len(new_spoiler) > MAX_CHARACTERS:
            raise invalid(f"Text character limit of {MAX_CHARACTERS} exceeded")
        old_mentions = list(status.mentions)
        status.text, status.spoiler_text = new_text, new_spoiler
        if sensitive is not None or spoiler_text is not None:
            status.sensitive = bool(sensitive) or bool(status.spoiler_text)
        if language is not None:
            status.language = language
        for item in status.media:
            if item not in media:
                item.status = None
        for item in media:
            item.status = status
        status.media = media
        if poll is not None:
            options = [str(option) for option in poll.get("options") or []]
            if status.poll is None or options != status.poll.options:
                if status.poll is not None:
                    self.polls.pop(status.poll.id, None)
                status.poll = self._new_poll(poll, now())
                status.poll.status = status
        self._set_text(status, new_text)
        status.edited_at = now()
        status.edits.append(self._snapshot(status, status.edited_at))
        self._publish_status("status.update", status)
        self._notify_mentions(status, [account for account in status.mentions if account not in old_mentions])
        for reblog in status.reblogs.values():
            self.notify(reblog.account, "update", account, status)
        self.touch()
        return status

    @staticmethod
    def _snapshot(status, moment):
        return dict(content=status.content, spoiler_text=status.spoiler_text, sensitive=status.sensitive,
                    created_at=moment, media=list(status.media),
                    poll=list(status.poll.options) if status.poll else None)

    def delete_status(self, account, status_id):
        status = self.statuses.get(_int(status_id))
        if status is None or status.deleted or status.account is not account or status.reblog is not None:
            raise not_found()
        self._remove(status)
        self.touch()
        return status

    def _remove(self, status):
        """Delete a status (and its reblogs): out of every feed, ``delete`` on every stream that
        carried it, its notifications gone."""
        for reblog in list(status.reblogs.values()):
            self._remove(reblog)
        status.deleted = True
        channels = set()
        for account in self.accounts.values():
            if _remove_sorted(account.home, status.id):
                channels.add(f"timeline:{account.id}")
            account.notifications = [n for n in account.notifications if n.status is not status]
        for user_list in self.lists.values():
            if _remove_sorted(user_list.feed, status.id):
                channels.add(f"timeline:list:{user_list.id}")
        if status.reblog is None:
            channels.update(self._public_channels(status))
        else:
            status.reblog.reblogs.pop(status.account.id, None)
        for channel in channels:
            self.publish(channel, "delete", lambda viewer, status=status: str(status.id))

    def reblog(self, account, status, visibility=None):
        original = status.reblog or status
        existing = original.reblogs.get(account.id)
        if existing is not None:
            return existing
        if original.visibility == "direct" or (original.visibility == "private" and original.account is not account):
            raise not_allowed()
        if self.blocking(original.account, account):
            raise not_allowed()
        visibility = visibility or "public"
        if visibility not in ("public", "unlisted", "private"):
            raise invalid("Visibility is not included in the list")
        moment = now()
        reblog = Status(self.ids.snowflake(moment), account, moment, visibility=visibility, reblog=original)
        self.statuses[reblog.id] = reblog
        original.reblogs[account.id] = reblog
        self._distribute(reblog)
        self.notify(original.account, "reblog", account, original)
        self.touch()
        return reblog

    def unreblog(self, account, status):
        original = status.reblog or status
        reblog = original.reblogs.get(account.id)
        if reblog is not None:
            self._remove(reblog)
            self.touch()
        return original

    def favourite(self, account, status):
        original = status.reblog or status
        if account.id not in original.favourited_by:
            original.favourited_by[account.id] = self.ids.next("favourite")
            self.notify(original.account, "favourite", account, original)
            self.touch()
        return original

    def unfavourite(self, account, status):
        original = status.reblog or status
        original.favourited_by.pop(account.id, None)
        self.touch()
        return original

    def bookmark(self, account, status, on):
        original = status.reblog or status
        if on:
            original.bookmarked_by.setdefault(account.id, self.ids.next("bookmark"))
        else:
            original.bookmarked_by.pop(account.id, None)
        self.touch()
        return original

    def pin(self, account, status, on):
        if status.account is not account:
            raise not_found()
        if on:
            if status.reblog is not None or status.visibility == "direct":
                raise invalid("Only public, unlisted and followers-only posts of your own can be pinned")
            if not status.pinned and sum(1 for s in self.statuses_of(account) if s.pinned) >= MAX_PINS:
                raise invalid("You have already pinned the maximum number of posts")
        status.pinned = on
        self.touch()
        return status

    def mute_conversation(self, account, status, on):
        original = status.reblog or status
        if on:
            account.muted_conversations.add(original.root().id)
        else:
            account.muted_conversations.discard(original.root().id)
        self.touch()
        return original

    def context(self, viewer, status):
        ancestors = []
        parent = status.in_reply_to
        while parent is not None:
            if not parent.deleted and self.can_see(viewer, parent):
                ancestors.insert(0, parent)
            parent = parent.in_reply_to
        descendants = []

        def walk(node):
            children = sorted((s for s in self.statuses.values() if s.in_reply_to is node and not s.deleted),
                              key=lambda s: s.id)
            for child in children:
                if self.can_see(viewer, child) and not self.hidden_for(viewer, child):
                    descendants.append(child)
                walk(child)

        walk(status)
        return ancestors, descendants

    # -- fan-out ------------------------------------------------------------------------------

    def _home_accepts(self, recipient, status):
        """Mastodon's ``FeedManager#filter_from_home?``, inverted."""
        author = status.account
        if recipient is author:
            return status.reblog is None or status.reblog.account is not recipient
        if self.hidden_for(recipient, status):
            return False
        if status.reblog is not None:
            original = status.reblog
            follow = self.follows.get((recipient.id, author.id))
            if original.account is recipient or (follow is not None and not follow.reblogs):
                return False
            if original.id in recipient.home or any(
                    self.statuses[i].reblog is original for i in recipient.home if i in self.statuses):
                return False
            return True
        replied = status.in_reply_to.account if status.in_reply_to is not None else None
        if replied is not None and replied is not author and replied is not recipient \
                and not self.following(recipient, replied):
            return False
        for user_list in self.lists.values():
            if user_list.account is recipient and user_list.exclusive and author.id in user_list.members:
                return False
        follow = self.follows.get((recipient.id, author.id))
        if follow is not None and follow.languages and status.language not in follow.languages:
            return False
        return True

    def _distribute(self, status):
        """Mastodon's ``FanOutOnWriteService``: home feeds, lists, public and hashtag streams."""
        author = status.account
        original = status.reblog or status
        if original.visibility == "direct":
            recipients = [author] + [m for m in original.mentions if self.following(m, author)]
        else:
            recipients = [author] + self.followers(author)
            if status.reblog is None and status.visibility == "public":
                for account in self.accounts.values():
                    if account not in recipients and any(t.lower() in account.followed_tags for t in status.tags):
                        recipients.append(account)
        for recipient in recipients:
            if self._home_accepts(recipient, status):
                _insert_sorted(recipient.home, status.id, HOME_FEED_SIZE)
                self.publish(f"timeline:{recipient.id}", "update", self._renderer(status, "home"))
        if original.visibility != "direct":
            for user_list in self.lists.values():
                if author.id in user_list.members and self._list_accepts(user_list, status):
                    _insert_sorted(user_list.feed, status.id, HOME_FEED_SIZE)
                    self.publish(f"timeline:list:{user_list.id}", "update", self._renderer(status, "home"))
        if status.reblog is None:
            for channel in self._public_channels(status):
                self.publish(channel, "update", self._renderer(status, "public"))

    def _list_accepts(self, user_list, status):
        owner = user_list.account
        if self.hidden_for(owner, status) or not self.following(owner, status.account):
            return False
        if status.reblog is not None:
            return status.reblog.account is not owner
        if status.in_reply_to is None or status.is_self_reply:
            return True
        replied = status.in_reply_to.account
        if user_list.replies_policy == "none":
            return False
        if user_list.replies_policy == "list":
            return replied.id in user_list.members or replied is owner
        return self.following(owner, replied) or replied is owner

    def _public_channels(self, status):
        if status.visibility != "public" or status.reblog is not None or not status.is_self_reply:
            return []
        channels = ["timeline:public", "timeline:public:local"]
        for tag in status.tags:
            channels += [f"timeline:hashtag:{tag.lower()}", f"timeline:hashtag:{tag.lower()}:local"]
        return channels

    def _publish_status(self, event, status):
        """``status.update`` to wherever the status went."""
        for account in self.accounts.values():
            for entry in account.home:
                candidate = self.statuses.get(entry)
                if candidate is status or (candidate is not None and candidate.reblog is status):
                    self.publish(f"timeline:{account.id}", event, self._renderer(status, "home"))
                    break
        for user_list in self.lists.values():
            if status.id in user_list.feed:
                self.publish(f"timeline:list:{user_list.id}", event, self._renderer(status, "home"))
        for channel in self._public_channels(status):
            self.publish(channel, event, self._renderer(status, "public"))

    def _renderer(self, status, context):
        """A per-viewer payload for the streaming hub (None: this viewer does not get it)."""
        def render(viewer):
            if not self.can_see(viewer, status) or self.hidden_for(viewer, status):
                return None
            if viewer is not None and self.render.hidden_by_filter(viewer, status, context):
                return None
            return self.render.status(status, viewer, context)
        return render

    # -- notifications ------------------------------------------------------------------------

    def notify(self, recipient, type, from_account, status=None):
        """Mastodon's ``NotifyService``: nothing for one's own actions, blocked or muted senders
        or muted conversations; streamed as ``notification``."""
        if recipient is from_account and type != "poll":
            return None
        if self.blocking(recipient, from_account):
            return None
        mute = self.muting(recipient, from_account)
        if mute is not None and mute.notifications:
            return None
        if type == "mention" and status is not None and status.root().id in recipient.muted_conversations:
            return None
        moment = now()
        notification_id = self.ids.next("notification")
        bucket = int(moment.timestamp()) // 3600
        if type in ("favourite", "reblog"):
            group_key = f"{type}-{status.id}-{bucket}"
        elif type == "follow":
            group_key = f"follow-{bucket}"
        else:
            group_key = f"ungrouped-{notification_id}"
        notification = Notification(notification_id, type, recipient, from_account, status, moment, group_key)
        recipient.notifications.append(notification)
        self.publish(f"timeline:{recipient.id}", "notification",
                     lambda viewer: self.render.notification(notification, viewer)
                     if viewer is recipient else None)
        self.touch()
        return notification

    def _notify_mentions(self, status, accounts):
        for account in accounts:
            if account is not status.account and self.can_see(account, status):
                self.notify(account, "mention", status.account, status)

    def notifications_for(self, account, types=None, exclude_types=None, from_account=None):
        found = []
        for notification in account.notifications:
            if types and notification.type not in types:
                continue
            if exclude_types and notification.type in exclude_types:
                continue
            if from_account is not None and notification.account is not from_account:
                continue
            if notification.status is not None and (notification.status.deleted or
                                                    self.render.hidden_by_filter(account, notification.status,
                                                                                 "notifications")):
                continue
            found.append(notification)
        return found

    def dismiss_notification(self, account, notification_id):
        before = len(account.notifications)
        account.notifications = [n for n in account.notifications if n.id != _int(notification_id)]
        if len(account.notifications) == before:
            raise not_found()
        self.touch()

    def clear_notifications(self, account):
        account.notifications = []
        self.touch()

    # -- polls --------------------------------------------------------------------------------

    def poll(self, viewer, poll_id):
        poll = self.polls.get(_int(poll_id))
        if poll is None or poll.status is None or not self.can_see(viewer, poll.status):
            raise not_found()
        return poll

    def vote(self, account, poll, choices):
        if poll.expired():
            raise invalid("The poll has already ended")
        if poll.status.account is account:
            raise invalid("You cannot vote in your own polls")
        if account.id in poll.votes:
            raise invalid("You have already voted on this poll")
        try:
            choices = [int(choice) for choice in choices]
        except (TypeError, ValueError):
            raise invalid("Choice is not a valid option") from None
        if not choices or any(choice < 0 or choice >= len(poll.options) for choice in choices):
            raise invalid("Choice is not a valid option")
        if len(set(choices)) != len(choices):
            raise invalid("Choice has already been chosen")
        if not poll.multiple and len(choices) > 1:
            raise invalid("You can only choose one option")
        poll.votes[account.id] = choices
        self.touch()
        return poll

    def end_poll(self, poll):
        if not poll.expired():
            poll.expires_at = now()
        self._end_poll(poll)

    def _end_poll(self, poll):
        if poll.ended_notified:
            return
        poll.ended_notified = True
        author = poll.status.account
        for account_id in poll.votes:
            voter = self.accounts.get(account_id)
            if voter is not None:
                self.notify(voter, "poll", author, poll.status)
        self.notify(author, "poll", author, poll.status)
        self.touch()

    # -- media --------------------------------------------------------------------------------

    def upload(self, account, data, mime, description=None, focus=None):
        kind = _media_kind(mime)
        if kind is None or not data:
            raise invalid("File content type is invalid, File file type is invalid")
        moment = now()
        media = Media(self.ids.snowflake(moment), account, kind, mime, data, secrets.token_hex(8), moment,
                      description=description, focus=_focus(focus) if focus else (0.0, 0.0),
                      size=_image_size(data), pending_polls=self.media_processing_polls)
        self.media[media.id] = media
        self.touch()
        return media

    def own_media(self, account, media_id):
        """Media of ``account`` not yet attached (Mastodon's lookup for GET and PUT)."""
        media = self.media.get(_int(media_id))
        if media is None or media.account is not account or media.status is not None:
            raise not_found()
        return media

    def media_file(self, key):
        for media in self.media.values():
            if media.key == key:
                return media
        return None

    # -- lists --------------------------------------------------------------------------------

    def create_list(self, account, title, replies_policy=None, exclusive=None):
        if not title or not title.strip():
            raise invalid("Title can't be blank")
        user_list = UserList(self.ids.next("list"), account, title)
        self.update_list(user_list, None, replies_policy, exclusive)
        self.lists[user_list.id] = user_list
        self.touch()
        return user_list

    def update_list(self, user_list, title=None, replies_policy=None, exclusive=None):
        if title is not None:
            if not title.strip():
                raise invalid("Title can't be blank")
            user_list.title = title
        if replies_policy is not None:
            if replies_policy not in ("followed", "list", "none"):
                raise invalid("Replies policy is not included in the list")
            user_list.replies_policy = replies_policy
        if exclusive is not None:
            user_list.exclusive = exclusive
        self.touch()
        return user_list

    def own_list(self, account, list_id):
        user_list = self.lists.get(_int(list_id))
        if user_list is None or user_list.account is not account:
            raise not_found()
        return user_list

    def add_to_list(self, user_list, accounts):
        for target in accounts:
            if not self.following(user_list.account, target):
                raise invalid("Follow must exist")
        for target in accounts:
            if target.id not in user_list.members:
                user_list.members[target.id] = self.ids.next("list_account")
                for status in self.statuses_of(target):
                    if status.visibility != "direct" and self._list_accepts(user_list, status):
                        _insert_sorted(user_list.feed, status.id, HOME_FEED_SIZE)
        self.touch()

    def remove_from_list(self, user_list, accounts):
        for target in accounts:
            if user_list.members.pop(target.id, None) is not None:
                user_list.feed = [i for i in user_list.feed if self.statuses[i].account is not target]
        self.touch()

    # -- filters ------------------------------------------------------------------------------

    def save_filter(self, account, existing=None, title=None, context=None, action=None, expires_in=None,
                    keywords=()):
        if existing is None and (not title or not str(title).strip()):
            raise invalid("Title can't be blank")
        if context is not None:
            if not context or any(item not in FILTER_CONTEXTS for item in context):
                raise invalid("Context is invalid" if context else "Context can't be blank")
        elif existing is None:
            raise invalid("Context can't be blank")
        if action is not None and action not in FILTER_ACTIONS:
            raise invalid("Filter action is not included in the list")
        created = existing or Filter(self.ids.next("filter"), account, "", [])
        if title is not None:
            created.title = str(title)
        if context is not None:
            created.context = list(context)
        if action is not None:
            created.action = action
        if expires_in not in (None, ""):
            created.expires_at = now() + timedelta(seconds=int(expires_in))
        elif expires_in == "":
            created.expires_at = None
        for attributes in keywords or ():
            keyword_id = attributes.get("id")
            if keyword_id not in (None, ""):
                keyword = next((k for k in created.keywords if str(k.id) == str(keyword_id)), None)
                if keyword is None:
                    raise not_found()
                if truthy(attributes.get("_destroy")):
                    created.keywords.remove(keyword)
                    continue
                if "keyword" in attributes:
                    keyword.keyword = str(attributes["keyword"])
                if "whole_word" in attributes:
                    keyword.whole_word = truthy(attributes["whole_word"])
            else:
                self.add_filter_keyword(created, attributes.get("keyword"), attributes.get("whole_word", True))
        if existing is None:
            account.filters.append(created)
        self.publish(f"timeline:{account.id}", "filters_changed", lambda viewer: "undefined")
        self.touch()
        return created

    def add_filter_keyword(self, created, keyword, whole_word=True):
        if not keyword or not str(keyword).strip():
            raise invalid("Keyword can't be blank")
        item = FilterKeyword(self.ids.next("filter_keyword"), str(keyword), truthy(whole_word))
        created.keywords.append(item)
        self.touch()
        return item

    def filter_of(self, account, filter_id):
        for item in account.filters:
            if str(item.id) == str(filter_id):
                return item
        raise not_found()

    def keyword_of(self, account, keyword_id):
        for item in account.filters:
            for keyword in item.keywords:
                if str(keyword.id) == str(keyword_id):
                    return item, keyword
        raise not_found()

    def filter_status_of(self, account, filter_status_id):
        for item in account.filters:
            for entry in item.statuses:
                if str(entry.id) == str(filter_status_id):
                    return item, entry
        raise not_found()

    # -- markers ------------------------------------------------------------------------------

    def set_marker(self, account, timeline, last_read_id):
        marker = account.markers.get(timeline)
        version = marker["version"] + 1 if marker else 0
        account.markers[timeline] = dict(last_read_id=str(last_read_id), version=version, updated_at=now())
        self.touch()


# ---------------------------------------------------------------------------------------------
# Small helpers


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def truthy(value):
    """Rails' boolean casting: everything but false, 0, "0", "f", "false", "off" (any case) and
    blanks is true."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "f", "false", "off")
    return bool(value)


def _focus(value):
    if isinstance(value, (tuple, list)):
        return float(value[0]), float(value[1])
    try:
        x, y = str(value).split(",")
        return max(-1.0, min(1.0, float(x))), max(-1.0, min(1.0, float(y)))
    except ValueError:
        return 0.0, 0.0


_MIME_KINDS = (("image/gif", "gifv"), ("image/", "image"), ("video/", "video"), ("audio/", "audio"))


def _media_kind(mime):
    for prefix, kind in _MIME_KINDS:
        if (mime or "").lower().startswith(prefix):
            return kind
    return None


def _image_size(data):
    """``(width, height)`` of a PNG, GIF or JPEG, read from its header; None for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if data[:2] == b"\xff\xd8":
        position = 2
        while position + 9 < len(data):
            if data[position] != 0xFF:
                return None
            marker = data[position + 1]
            length = int.from_bytes(data[position + 2:position + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                return (int.from_bytes(data[position + 7:position + 9], "big"),
                        int.from_bytes(data[position + 5:position + 7], "big"))
            position += 2 + length
    return None
