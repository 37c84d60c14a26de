"""The REST endpoints of the fake server, as a table: verb, path, scope, who may call, handler.

Each handler reads the request's parameters, asks :class:`~mastodon.testing.state.State` to do
the work and renders the answer with Mastodon's entity shapes. A path that is not in the table
answers 404 ``{"error": "Record not found"}``, as Mastodon answers for what it does not have.

``user=True``: a token of a logged-in user is needed (401 without a valid token, 422 with an app
token). ``token=True``: any valid token. Otherwise a token is optional, and when one is sent it
must carry the scope.
"""

from __future__ import annotations

import html
import re
import secrets
from typing import List
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from ._wire import Answer, limit_of, paginate
from .state import OOB, ApiError, not_found, scope_allows, truthy


class Route:
    def __init__(self, method, pattern, handler, scope, user, token):
        self.method = method
        self.pattern = pattern
        self.regex = re.compile("^" + re.sub(r":(\w+)", r"(?P<\1>[^/]+)", pattern) + "$")
        self.handler = handler
        self.scope = (scope,) if isinstance(scope, str) else scope
        self.user = user
        self.token = token or user


ROUTES: List[Route] = []


def _route(method):
    def register(pattern, scope=None, user=False, token=False):
        def decorate(handler):
            ROUTES.append(Route(method, pattern, handler, scope, user, token))
            return handler
        return decorate
    return register


GET, POST, PUT, PATCH, DELETE = (_route(verb) for verb in ("GET", "POST", "PUT", "PATCH", "DELETE"))


def match(method, path):
    """``(route, path params)`` for a request; ``(None, None)`` when nothing answers it."""
    path = path.rstrip("/") or "/"
    for route in ROUTES:
        if route.method == method or (method == "HEAD" and route.method == "GET"):
            found = route.regex.match(path)
            if found:
                return route, {name: unquote(value) for name, value in found.groupdict().items()}
    return None, None


def authorize(route, state, request):
    """Check the token against the route (Doorkeeper's and ``require_user!``'s answers)."""
    header = request.headers.get("authorization", "")
    value = header[7:].strip() if header.lower().startswith("bearer ") else request.get("access_token")
    token = state.token(value) if value else None
    if token is None:
        if route.token:
            raise ApiError(401, "The access token is invalid")
        return
    if route.scope and not any(scope_allows(token.scopes, scope) for scope in route.scope):
        raise ApiError(403, "This action is outside the authorized scopes")
    if route.user and token.account is None:
        raise ApiError(422, "This method requires an authenticated user")
    request.token, request.account = token, token.account


# ---------------------------------------------------------------------------------------------
# Small helpers


def _statuses(state, request, statuses, context, default=20):
    """Filter what the viewer may not see, paginate, render."""
    viewer = request.account
    visible = [s for s in statuses if state.can_see(viewer, s) and not state.hidden_for(viewer, s)
               and not (viewer is not None and state.render.hidden_by_filter(viewer, s, context))]
    visible.sort(key=lambda s: s.id, reverse=True)
    keep = ("limit", "local", "remote", "only_media", "pinned", "exclude_replies", "exclude_reblogs", "tagged",
            "any", "all", "none")
    page, headers = paginate(request, visible, lambda s: s.id, default, keep=keep)
    return Answer(body=[state.render.status(s, viewer, context) for s in page], headers=headers)


def _accounts(state, request, records, key, default=40):
    """A page of accounts from ``(record id, account)`` pairs (followers, favourited_by...)."""
    records = sorted(records, key=lambda pair: pair[0], reverse=True)
    page, headers = paginate(request, records, key, default, prev_key="since_id")
    return Answer(body=[state.render.account(account) for _, account in page], headers=headers)


def _html(state, title, body, status=200, headers=None):
    return Answer(status, state.render.page(title, body), headers or {}, "text/html; charset=utf-8")


def _redirect(location, headers=None):
    return Answer(302, "", dict(headers or {}, Location=location), "text/html; charset=utf-8")


# ---------------------------------------------------------------------------------------------
# Instance and server information


@GET("/")
def landing(state, request):
    return _html(state, "mastodon.testing", "<p>An in-memory Mastodon server for tests.</p>")


@GET("/health")
def health(state, request):
    return Answer(body="OK", content_type="text/plain; charset=utf-8")


@GET("/api/v1/instance")
def instance_v1(state, request):
    return state.render.instance_v1()


@GET("/api/v2/instance")
def instance_v2(state, request):
    return state.render.instance_v2()


@GET("/api/v1/instance/peers")
def instance_peers(state, request):
    return []  # nothing federates with an in-memory server


@GET("/api/v1/instance/rules")
def instance_rules(state, request):
    return []


@GET("/api/v1/custom_emojis")
def custom_emojis(state, request):
    return []


@GET("/.well-known/oauth-authorization-server")
def oauth_metadata(state, request):
    return state.render.oauth_metadata()


# ---------------------------------------------------------------------------------------------
# Apps and OAuth


@POST("/api/v1/apps")
def create_app(state, request):
    uris = request.params.get("redirect_uris")
    if isinstance(uris, list):
        uris = "\n".join(uris)
    app = state.create_app(request.text("client_name"), uris, request.text("scopes"), request.text("website"))
    return state.render.app(app, credentials=True)


@GET("/api/v1/apps/verify_credentials", token=True)
def verify_app(state, request):
    return state.render.app(request.token.app)


def _client_credentials(request):
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        import base64
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            return client_id, secret
        except ValueError:
            pass
    return request.text("client_id"), request.text("client_secret")


@POST("/oauth/token")
def oauth_token(state, request):
    grant_type = request.text("grant_type")
    unsupported = ApiError(400, "unsupported_grant_type", error_description=(
        "The authorization grant type is not supported by the authorization server."))
    if grant_type not in ("authorization_code", "client_credentials"):
        # Mastodon 4.4 dropped the password grant; refresh tokens are never issued.
        raise unsupported
    app = state.app_for(*_client_credentials(request))
    if grant_type == "authorization_code":
        token = state.exchange_code(app, request.text("code"), request.text("redirect_uri"),
                                    request.text("code_verifier"))
    else:
        scopes = (request.text("scope") or "read").split()
        if any(not any(scope_allows([granted], scope) for granted in app.scopes) for scope in scopes):
            raise ApiError(400, "invalid_scope",
                           error_description="The requested scope is invalid, unknown, or malformed.")
        token = state.issue_token(app, None, scopes)
    return dict(access_token=token.value, token_type="Bearer", scope=" ".join(token.scopes),
                created_at=int(token.created_at.timestamp()))


@POST("/oauth/revoke")
def oauth_revoke(state, request):
    app = state.app_for(*_client_credentials(request))
    token = state.token(request.text("token"))
    if token is not None and token.app is app:
        token.revoked = True
    return {}


@GET("/oauth/userinfo", scope="profile", user=True)
def oauth_userinfo(state, request):
    account = request.account
    url = f"{state.base_url}/@{account.username}"
    return dict(iss=f"{state.base_url}/", sub=url, name=account.display_name or account.username,
                preferred_username=account.username, profile=url,
                picture=f"{state.base_url}/avatars/original/missing.png")


def _browser_account(state, request):
    return state.sessions.get(request.cookies.get("_mastodon_session", "")) or state.signed_in


def _authorization(state, request):
    """The app, redirect URI and scopes of an authorization request, checked as Doorkeeper does
    before it shows the consent screen."""
    app = state.apps.get(request.text("client_id") or "")
    if app is None:
        raise ApiError(401, "invalid_client")
    if request.text("response_type", "code") != "code":
        raise ApiError(400, "unsupported_response_type")
    redirect_uri = request.text("redirect_uri") or OOB
    if redirect_uri not in app.redirect_uris:
        raise ApiError(400, "invalid_redirect_uri")
    scopes = (request.text("scope") or "read").split()
    return app, redirect_uri, scopes


@GET("/oauth/authorize")
def oauth_authorize_page(state, request):
    try:
        app, _, scopes = _authorization(state, request)
    except ApiError as error:
        return _html(state, "An error has occurred", f"<p>{html.escape(error.body['error'])}</p>", error.status)
    account = _browser_account(state, request)
    if account is None or truthy(request.get("force_login")):
        return _redirect("/auth/sign_in?" + urlencode(dict(return_to=request.path + "?" + request.query)))
    fields = "".join(f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(str(value))}">'
                     for name, value in parse_qsl(request.query, keep_blank_values=True))
    return _html(state, "Authorization required",
                 f"<p>{html.escape(app.name)} would like to access your account @{account.username} "
                 f"({html.escape(' '.join(scopes))}).</p>"
                 f'<form method="post" action="/oauth/authorize">{fields}'
                 '<button type="submit">Authorize</button></form>')


@POST("/oauth/authorize")
def oauth_authorize(state, request):
    account = _browser_account(state, request)
    if account is None:
        return _redirect("/auth/sign_in")
    app, redirect_uri, scopes = _authorization(state, request)
    code = state.authorize(app, account, redirect_uri, scopes, request.text("code_challenge"),
                           request.text("code_challenge_method"))
    if redirect_uri == OOB:
        return _redirect(f"/oauth/authorize/native?{urlencode(dict(code=code))}")
    query = dict(code=code)
    if request.text("state") is not None:
        query["state"] = request.text("state")
    separator = "&" if "?" in redirect_uri else "?"
    return _redirect(redirect_uri + separator + urlencode(query))


@GET("/oauth/authorize/native")
def oauth_code_page(state, request):
    code = html.escape(request.text("code") or "")
    return _html(state, "Authorization code",
                 f'<p>Copy this authorization code and paste it to the application.</p>'
                 f'<input class="oauth-code" readonly type="text" value="{code}">')


@GET("/auth/sign_in")
def sign_in_page(state, request):
    return_to = html.escape(request.text("return_to") or "/")
    return _html(state, "Log in",
                 '<form method="post" action="/auth/sign_in">'
                 f'<input type="hidden" name="return_to" value="{return_to}">'
                 '<input name="username"><input name="password" type="password">'
                 '<button type="submit">Log in</button></form>')


@POST("/auth/sign_in")
def sign_in(state, request):
    account = state.find_account(request.text("username") or "")
    password = request.text("password") or ""
    if account is None or account.password is None or not secrets.compare_digest(account.password, password):
        return _html(state, "Log in", "<p>Invalid username or password.</p>", 401)
    session = secrets.token_urlsafe(24)
    state.sessions[session] = account
    return_to = request.text("return_to") or "/"
    if not return_to.startswith("/"):
        return_to = "/"
    return _redirect(return_to, {"Set-Cookie": f"_mastodon_session={session}; path=/; HttpOnly"})


# ---------------------------------------------------------------------------------------------
# Accounts


@GET("/api/v1/accounts/verify_credentials", scope=("read:accounts", "profile"), user=True)
def verify_credentials(state, request):
    return state.render.account(request.account, credentials=True)


@PATCH("/api/v1/accounts/update_credentials", scope="write:accounts", user=True)
def update_credentials(state, request):
    source = request.params.get("source") if isinstance(request.params.get("source"), dict) else {}
    fields = request.list("fields_attributes") if "fields_attributes" in request.params else None
    account = state.update_credentials(
        request.account, display_name=request.text("display_name"), note=request.text("note"),
        locked=request.flag("locked"), bot=request.flag("bot"), discoverable=request.flag("discoverable"),
        fields=[item for item in fields or [] if isinstance(item, dict)] if fields is not None else None,
        privacy=source.get("privacy"), sensitive=truthy(source["sensitive"]) if "sensitive" in source else None,
        language=source.get("language"))
    for name in ("avatar", "header"):
        upload = request.files.get(name)
        if upload is not None:
            setattr(account, name, (secrets.token_hex(8), upload.content_type, upload.data))
    return state.render.account(account, credentials=True)


@GET("/api/v1/accounts/relationships", scope="read:follows", user=True)
def relationships(state, request):
    found = [state.accounts.get(_int(value)) for value in request.list("id")]
    return [state.render.relationship(request.account, target) for target in found if target is not None]


@GET("/api/v1/accounts/lookup", scope="read:accounts")
def lookup(state, request):
    acct = (request.text("acct") or "").lstrip("@")
    username, _, domain = acct.partition("@")
    account = state.find_account(username, domain or None)
    if account is None:
        raise not_found()
    return state.render.account(account)


@GET("/api/v1/accounts/search", scope="read:accounts", user=True)
def account_search(state, request):
    return _search_accounts(state, request, request.text("q") or "", limit_of(request, 40, 80),
                            request.int("offset", 0))


@GET("/api/v1/accounts", scope="read:accounts")
def accounts(state, request):
    found = [state.accounts.get(_int(value)) for value in request.list("id")]
    return [state.render.account(account) for account in found if account is not None]


@GET("/api/v1/accounts/:id", scope="read:accounts")
def account(state, request, id):
    return state.render.account(state.account(id))


@GET("/api/v1/accounts/:id/statuses", scope="read:statuses")
def account_statuses(state, request, id):
    target = state.account(id)
    statuses = state.statuses_of(target)
    if request.flag("pinned"):
        statuses = [s for s in statuses if s.pinned]
    if request.flag("exclude_replies"):
        statuses = [s for s in statuses if s.in_reply_to is None or s.is_self_reply]
    if request.flag("exclude_reblogs"):
        statuses = [s for s in statuses if s.reblog is None]
    if request.flag("only_media"):
        statuses = [s for s in statuses if (s.reblog or s).media]
    if request.text("tagged"):
        statuses = [s for s in statuses if request.text("tagged").lower() in (t.lower() for t in s.tags)]
    if request.account is not target:
        statuses = [s for s in statuses if s.visibility != "direct" or request.account in (s.reblog or s).mentions]
    return _statuses(state, request, statuses, "account")


@GET("/api/v1/accounts/:id/followers", scope="read:accounts")
def followers(state, request, id):
    target = state.account(id)
    records = [(follow.id, follow.account) for key, follow in state.follows.items() if key[1] == target.id]
    return _accounts(state, request, records, lambda pair: pair[0])


@GET("/api/v1/accounts/:id/following", scope="read:accounts")
def following(state, request, id):
    target = state.account(id)
    records = [(follow.id, follow.target) for key, follow in state.follows.items() if key[0] == target.id]
    return _accounts(state, request, records, lambda pair: pair[0])


@GET("/api/v1/accounts/:id/lists", scope="read:lists", user=True)
def account_lists(state, request, id):
    target = state.account(id)
    return [state.render.list(item) for item in sorted(state.lists.values(), key=lambda item: item.id)
            if item.account is request.account and target.id in item.members]


@POST("/api/v1/accounts/:id/follow", scope="write:follows", user=True)
def follow(state, request, id):
    target = state.account(id)
    languages = request.list("languages") if "languages" in request.params else None
    state.follow(request.account, target, request.flag("reblogs"), request.flag("notify"), languages)
    return state.render.relationship(request.account, target)


@POST("/api/v1/accounts/:id/unfollow", scope="write:follows", user=True)
def unfollow(state, request, id):
    target = state.account(id)
    state.unfollow(request.account, target)
    return state.render.relationship(request.account, target)


@POST("/api/v1/accounts/:id/remove_from_followers", scope="write:follows", user=True)
def remove_from_followers(state, request, id):
    target = state.account(id)
    state.remove_from_followers(request.account, target)
    return state.render.relationship(request.account, target)


@POST("/api/v1/accounts/:id/block", scope="write:blocks", user=True)
def block(state, request, id):
    target = state.account(id)
    state.block(request.account, target)
    return state.render.relationship(request.account, target)


@POST("/api/v1/accounts/:id/unblock", scope="write:blocks", user=True)
def unblock(state, request, id):
    target = state.account(id)
    state.unblock(request.account, target)
    return state.render.relationship(request.account, target)


@POST("/api/v1/accounts/:id/mute", scope="write:mutes", user=True)
def mute(state, request, id):
    target = state.account(id)
    state.mute(request.account, target, request.flag("notifications", True), request.int("duration", 0))
    return state.render.relationship(request.account, target)


@POST("/api/v1/accounts/:id/unmute", scope="write:mutes", user=True)
def unmute(state, request, id):
    target = state.account(id)
    state.unmute(request.account, target)
    return state.render.relationship(request.account, target)


@POST("/api/v1/accounts/:id/note", scope="write:accounts", user=True)
def account_note(state, request, id):
    target = state.account(id)
    request.account.notes[target.id] = request.text("comment") or ""
    state.touch()
    return state.render.relationship(request.account, target)


@GET("/api/v1/follow_requests", scope="read:follows", user=True)
def follow_requests(state, request):
    records = [(follow.id, follow.account) for key, follow in state.follow_requests.items()
               if key[1] == request.account.id]
    return _accounts(state, request, records, lambda pair: pair[0])


@POST("/api/v1/follow_requests/:id/authorize", scope="write:follows", user=True)
def follow_request_authorize(state, request, id):
    requester = state.account(id)
    state.answer_follow_request(request.account, requester, True)
    return state.render.relationship(request.account, requester)


@POST("/api/v1/follow_requests/:id/reject", scope="write:follows", user=True)
def follow_request_reject(state, request, id):
    requester = state.account(id)
    state.answer_follow_request(request.account, requester, False)
    return state.render.relationship(request.account, requester)


@GET("/api/v1/blocks", scope="read:blocks", user=True)
def blocks(state, request):
    records = [(record, state.accounts[key[1]]) for key, record in state.blocks.items()
               if key[0] == request.account.id]
    return _accounts(state, request, records, lambda pair: pair[0])


@GET("/api/v1/mutes", scope="read:mutes", user=True)
def mutes(state, request):
    records = [(mute.id, state.accounts[key[1]]) for key, mute in list(state.mutes.items())
               if key[0] == request.account.id and state.muting(request.account, state.accounts[key[1]])]
    return _accounts(state, request, records, lambda pair: pair[0])


@GET("/api/v1/preferences", scope="read:accounts", user=True)
def preferences(state, request):
    account = request.account
    return {"posting:default:visibility": account.privacy, "posting:default:sensitive": account.sensitive,
            "posting:default:language": account.language, "posting:default:quote_policy": "public",
            "reading:expand:media": "default", "reading:expand:spoilers": False, "reading:autoplay:gifs": False}


# ---------------------------------------------------------------------------------------------
# Statuses


@POST("/api/v1/statuses", scope="write:statuses", user=True)
def post_status(state, request):
    if request.get("scheduled_at"):
        raise ApiError(422, "Validation failed: scheduled statuses are not implemented by mastodon.testing")
    if request.get("quoted_status_id") or request.get("quote_id"):
        raise ApiError(422, "Validation failed: quote posts are not implemented by mastodon.testing")
    poll = request.params.get("poll") if isinstance(request.params.get("poll"), dict) else None
    if poll is not None and not isinstance(poll.get("options"), list):
        poll = dict(poll, options=list((poll.get("options") or {}).values())
                    if isinstance(poll.get("options"), dict) else [])
    status = state.post_status(
        request.account, text=request.text("status") or "", visibility=request.text("visibility"),
        spoiler_text=request.text("spoiler_text") or "", sensitive=request.flag("sensitive", False),
        in_reply_to_id=request.get("in_reply_to_id"), media_ids=request.list("media_ids"), poll=poll,
        language=request.text("language"), app=request.token.app,
        idempotency_key=request.headers.get("idempotency-key"))
    return state.render.status(status, request.account)


@GET("/api/v1/statuses", scope="read:statuses")
def statuses(state, request):
    found = []
    for value in request.list("id"):
        status = state.statuses.get(_int(value))
        if status is not None and state.can_see(request.account, status):
            found.append(status)
    return [state.render.status(s, request.account, "thread") for s in found]


@GET("/api/v1/statuses/:id", scope="read:statuses")
def status(state, request, id):
    return state.render.status(state.status(id, request.account), request.account, "thread")


@PUT("/api/v1/statuses/:id", scope="write:statuses", user=True)
def edit_status(state, request, id):
    target = state.status(id, request.account)
    poll = request.params.get("poll") if isinstance(request.params.get("poll"), dict) else None
    media_ids = request.list("media_ids") if "media_ids" in request.params else None
    attributes = [item for item in request.list("media_attributes") if isinstance(item, dict)]
    edited = state.edit_status(request.account, target, text=request.text("status"),
                               spoiler_text=request.text("spoiler_text"), sensitive=request.flag("sensitive"),
                               language=request.text("language"), media_ids=media_ids, poll=poll,
                               media_attributes=attributes)
    return state.render.status(edited, request.account)


@DELETE("/api/v1/statuses/:id", scope="write:statuses", user=True)
def delete_status(state, request, id):
    deleted = state.delete_status(request.account, id)
    if truthy(request.get("delete_media")):
        for item in deleted.media:
            state.media.pop(item.id, None)
    else:
        for item in deleted.media:
            item.status = None
    entity = state.render.status(deleted, request.account, source=True)
    return entity


@GET("/api/v1/statuses/:id/context", scope="read:statuses")
def status_context(state, request, id):
    target = state.status(id, request.account)
    ancestors, descendants = state.context(request.account, target.reblog or target)
    return state.render.context(ancestors, descendants, request.account)


@GET("/api/v1/statuses/:id/history", scope="read:statuses")
def status_history(state, request, id):
    return state.render.status_edits(state.status(id, request.account))


@GET("/api/v1/statuses/:id/source", scope="read:statuses", user=True)
def status_source(state, request, id):
    target = state.status(id, request.account)
    if target.account is not request.account:
        raise not_found()
    return state.render.status_source(target)


@GET("/api/v1/statuses/:id/favourited_by", scope="read:accounts")
def favourited_by(state, request, id):
    target = state.status(id, request.account)
    target = target.reblog or target
    records = [(record, state.accounts[account_id]) for account_id, record in target.favourited_by.items()]
    return _accounts(state, request, records, lambda pair: pair[0])


@GET("/api/v1/statuses/:id/reblogged_by", scope="read:accounts")
def reblogged_by(state, request, id):
    target = state.status(id, request.account)
    target = target.reblog or target
    records = [(reblog.id, reblog.account) for reblog in target.reblogs.values()]
    return _accounts(state, request, records, lambda pair: pair[0])


def _status_action(action):
    def handler(state, request, id):
        target = state.status(id, request.account)
        result = action(state, request, target)
        return state.render.status(result, request.account)
    return handler


for _path, _scope, _action in (
        ("favourite", "write:favourites", lambda state, request, s: state.favourite(request.account, s)),
        ("unfavourite", "write:favourites", lambda state, request, s: state.unfavourite(request.account, s)),
        ("reblog", "write:statuses",
         lambda state, request, s: state.reblog(request.account, s, request.text("visibility"))),
        ("unreblog", "write:statuses", lambda state, request, s: state.unreblog(request.account, s)),
        ("bookmark", "write:bookmarks", lambda state, request, s: state.bookmark(request.account, s, True)),
        ("unbookmark", "write:bookmarks", lambda state, request, s: state.bookmark(request.account, s, False)),
        ("pin", "write:accounts", lambda state, request, s: state.pin(request.account, s, True)),
        ("unpin", "write:accounts", lambda state, request, s: state.pin(request.account, s, False)),
        ("mute", "write:mutes", lambda state, request, s: state.mute_conversation(request.account, s, True)),
        ("unmute", "write:mutes", lambda state, request, s: state.mute_conversation(request.account, s, False)),
):
    POST(f"/api/v1/statuses/:id/{_path}", scope=_scope, user=True)(_status_action(_action))


@GET("/api/v1/favourites", scope="read:favourites", user=True)
def favourites(state, request):
    viewer = request.account
    records = sorted(((s.favourited_by[viewer.id], s) for s in state.statuses.values()
                      if viewer.id in s.favourited_by and state.can_see(viewer, s)), key=lambda r: r[0], reverse=True)
    page, headers = paginate(request, records, lambda r: r[0], 20)
    return Answer(body=[state.render.status(s, viewer) for _, s in page], headers=headers)


@GET("/api/v1/bookmarks", scope="read:bookmarks", user=True)
def bookmarks(state, request):
    viewer = request.account
    records = sorted(((s.bookmarked_by[viewer.id], s) for s in state.statuses.values()
                      if viewer.id in s.bookmarked_by and state.can_see(viewer, s)), key=lambda r: r[0], reverse=True)
    page, headers = paginate(request, records, lambda r: r[0], 20)
    return Answer(body=[state.render.status(s, viewer) for _, s in page], headers=headers)


# ---------------------------------------------------------------------------------------------
# Timelines


@GET("/api/v1/timelines/home", scope="read:statuses", user=True)
def timeline_home(state, request):
    statuses = [state.statuses[i] for i in request.account.home if i in state.statuses]
    return _statuses(state, request, statuses, "home")


def _public_statuses(state, request):
    if request.flag("remote"):
        return []  # every status of an in-memory server is local
    statuses = [s for s in state.statuses.values() if s.visibility == "public" and s.reblog is None
                and not s.deleted and s.is_self_reply]
    if request.flag("only_media"):
        statuses = [s for s in statuses if s.media]
    return statuses


@GET("/api/v1/timelines/public", scope="read:statuses")
def timeline_public(state, request):
    return _statuses(state, request, _public_statuses(state, request), "public")


@GET("/api/v1/timelines/tag/:hashtag", scope="read:statuses")
def timeline_tag(state, request, hashtag):
    any_tags = {hashtag.lower()} | {t.lower() for t in request.list("any")}
    all_tags = {t.lower() for t in request.list("all")}
    none_tags = {t.lower() for t in request.list("none")}
    statuses = []
    for s in _public_statuses(state, request):
        tags = {t.lower() for t in s.tags}
        if tags & any_tags and all_tags <= tags and not tags & none_tags:
            statuses.append(s)
    return _statuses(state, request, statuses, "public")


@GET("/api/v1/timelines/list/:id", scope="read:lists", user=True)
def timeline_list(state, request, id):
    user_list = state.own_list(request.account, id)
    statuses = [state.statuses[i] for i in user_list.feed if i in state.statuses]
    return _statuses(state, request, statuses, "home")


# ---------------------------------------------------------------------------------------------
# Notifications


@GET("/api/v1/notifications", scope="read:notifications", user=True)
def notifications(state, request):
    from_account = state.account(request.get("account_id")) if request.get("account_id") else None
    found = state.notifications_for(request.account, request.list("types"), request.list("exclude_types"),
                                    from_account)
    found.sort(key=lambda n: n.id, reverse=True)
    page, headers = paginate(request, found, lambda n: n.id, 40,
                             keep=("limit", "account_id", "types", "exclude_types", "include_filtered"))
    return Answer(body=[state.render.notification(n, request.account) for n in page], headers=headers)


@GET("/api/v1/notifications/unread_count", scope="read:notifications", user=True)
def notifications_unread(state, request):
    marker = request.account.markers.get("notifications")
    last_read = int(marker["last_read_id"]) if marker else 0
    found = [n for n in state.notifications_for(request.account) if n.id > last_read]
    return dict(count=min(len(found), limit_of(request, 100, 1000)))


@POST("/api/v1/notifications/clear", scope="write:notifications", user=True)
def notifications_clear(state, request):
    state.clear_notifications(request.account)
    return {}


@GET("/api/v1/notifications/:id", scope="read:notifications", user=True)
def notification(state, request, id):
    for item in state.notifications_for(request.account):
        if str(item.id) == id:
            return state.render.notification(item, request.account)
    raise not_found()


@POST("/api/v1/notifications/:id/dismiss", scope="write:notifications", user=True)
def notification_dismiss(state, request, id):
    state.dismiss_notification(request.account, id)
    return {}


# ---------------------------------------------------------------------------------------------
# Lists


@GET("/api/v1/lists", scope="read:lists", user=True)
def lists(state, request):
    return [state.render.list(item) for item in sorted(state.lists.values(), key=lambda item: item.id)
            if item.account is request.account]


@POST("/api/v1/lists", scope="write:lists", user=True)
def create_list(state, request):
    created = state.create_list(request.account, request.text("title"), request.text("replies_policy"),
                                request.flag("exclusive"))
    return state.render.list(created)


@GET("/api/v1/lists/:id", scope="read:lists", user=True)
def get_list(state, request, id):
    return state.render.list(state.own_list(request.account, id))


@PUT("/api/v1/lists/:id", scope="write:lists", user=True)
def update_list(state, request, id):
    user_list = state.own_list(request.account, id)
    return state.render.list(state.update_list(user_list, request.text("title"), request.text("replies_policy"),
                                               request.flag("exclusive")))


@DELETE("/api/v1/lists/:id", scope="write:lists", user=True)
def delete_list(state, request, id):
    user_list = state.own_list(request.account, id)
    del state.lists[user_list.id]
    state.touch()
    return {}


@GET("/api/v1/lists/:id/accounts", scope="read:lists", user=True)
def list_accounts(state, request, id):
    user_list = state.own_list(request.account, id)
    records = [(record, state.accounts[account_id]) for account_id, record in user_list.members.items()]
    if request.get("limit") in ("0", 0):
        return [state.render.account(account) for _, account in sorted(records, key=lambda r: r[0], reverse=True)]
    return _accounts(state, request, records, lambda pair: pair[0])


@POST("/api/v1/lists/:id/accounts", scope="write:lists", user=True)
def list_add_accounts(state, request, id):
    user_list = state.own_list(request.account, id)
    state.add_to_list(user_list, [state.account(value) for value in request.list("account_ids")])
    return {}


@DELETE("/api/v1/lists/:id/accounts", scope="write:lists", user=True)
def list_remove_accounts(state, request, id):
    user_list = state.own_list(request.account, id)
    state.remove_from_list(user_list, [state.account(value) for value in request.list("account_ids")])
    return {}


# ---------------------------------------------------------------------------------------------
# Search and hashtags


def _search_accounts(state, request, query, limit, offset):
    query = query.strip().lstrip("@")
    username, _, domain = query.partition("@")
    if not username:
        return []
    found = []
    exact = state.find_account(username, domain or None)
    if exact is not None:
        found.append(exact)
    needle = username.lower()
    for account in sorted(state.accounts.values(), key=lambda a: a.id):
        if account in found:
            continue
        if account.username.lower().startswith(needle) or needle in account.display_name.lower():
            found.append(account)
    if request.flag("following") and request.account is not None:
        found = [a for a in found if state.following(request.account, a)]
    return [state.render.account(a) for a in found[offset:offset + limit]]


@GET("/api/v2/search", scope="read:search")
def search(state, request):
    query = request.text("q") or ""
    kind = request.text("type")
    limit = limit_of(request, 20, 40)
    offset = request.int("offset", 0) or 0
    if request.account is None and (offset or request.flag("resolve")):
        raise ApiError(401, "Search queries with offset or resolve require authentication")
    result = dict(accounts=[], statuses=[], hashtags=[], collections=[])
    if kind in (None, "accounts") and not request.get("account_id"):
        result["accounts"] = _search_accounts(state, request, query, limit, offset)
    if kind in (None, "hashtags") and not request.get("account_id"):
        needle = query.strip().lstrip("#").lower()
        names = sorted(name for name in state.tags if needle and name.startswith(needle))
        result["hashtags"] = [state.render.tag(state.tags[name], request.account)
                              for name in names[offset:offset + limit]]
    if kind in (None, "statuses") and request.account is not None:
        result["statuses"] = [state.render.status(s, request.account)
                              for s in _search_statuses(state, request, query)[offset:offset + limit]]
    return result


def _search_statuses(state, request, query):
    query = query.strip()
    if not query:
        return []
    statuses = [s for s in state.statuses.values() if s.reblog is None and state.can_see(request.account, s)
                and not state.hidden_for(request.account, s)]
    if request.get("account_id"):
        statuses = [s for s in statuses if str(s.account.id) == str(request.get("account_id"))]
    max_id, min_id = request.id("max_id"), request.id("min_id")
    statuses = [s for s in statuses if (max_id is None or s.id < max_id) and (min_id is None or s.id > min_id)]
    url = urlsplit(query)
    if url.scheme in ("http", "https"):
        return [s for s in statuses
                if query in (f"{state.base_url}/@{s.account.username}/{s.id}",
                             f"{state.base_url}/ap/users/{s.account.id}/statuses/{s.id}")]
    words = query.lower().split()
    found = [s for s in statuses if all(word in (s.text + " " + s.spoiler_text).lower() for word in words)]
    return sorted(found, key=lambda s: s.id, reverse=True)


@GET("/api/v1/tags/:name", scope="read:follows")
def tag(state, request, name):
    return state.render.tag(state.tags.get(name.lower(), name), request.account)


@POST("/api/v1/tags/:name/follow", scope="write:follows", user=True)
def follow_tag(state, request, name):
    request.account.followed_tags.setdefault(name.lower(), state.ids.next("tag_follow"))
    state.tags.setdefault(name.lower(), name)
    state.touch()
    return state.render.tag(state.tags[name.lower()], request.account)


@POST("/api/v1/tags/:name/unfollow", scope="write:follows", user=True)
def unfollow_tag(state, request, name):
    request.account.followed_tags.pop(name.lower(), None)
    state.touch()
    return state.render.tag(state.tags.get(name.lower(), name), request.account)


@GET("/api/v1/followed_tags", scope="read:follows", user=True)
def followed_tags(state, request):
    records = sorted(((record, name) for name, record in request.account.followed_tags.items()), reverse=True)
    page, headers = paginate(request, records, lambda r: r[0], 100, maximum=200)
    return Answer(body=[state.render.tag(state.tags.get(name, name), request.account) for _, name in page],
                  headers=headers)


# ---------------------------------------------------------------------------------------------
# Media and polls


def _upload(state, request):
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, "Validation failed: File can't be blank")
    return state.upload(request.account, upload.data, upload.content_type, request.text("description"),
                        request.text("focus"))


@POST("/api/v2/media", scope="write:media", user=True)
def upload_media_v2(state, request):
    media = _upload(state, request)
    return Answer(202 if media.pending_polls > 0 else 200, state.render.media(media))


@POST("/api/v1/media", scope="write:media", user=True)
def upload_media_v1(state, request):
    return state.render.media(_upload(state, request))


@GET("/api/v1/media/:id", scope="write:media", user=True)
def get_media(state, request, id):
    media = state.own_media(request.account, id)
    if media.pending_polls > 0:
        answer = Answer(206, state.render.media(media))
        media.pending_polls -= 1
        state.touch()
        return answer
    return state.render.media(media)


@PUT("/api/v1/media/:id", scope="write:media", user=True)
def update_media(state, request, id):
    from .state import _focus
    media = state.own_media(request.account, id)
    if "description" in request.params:
        media.description = request.text("description")
    if request.text("focus"):
        media.focus = _focus(request.text("focus"))
    state.touch()
    return Answer(206 if media.pending_polls > 0 else 200, state.render.media(media))


@DELETE("/api/v1/media/:id", scope="write:media", user=True)
def delete_media(state, request, id):
    media = state.media.get(_int(id))
    if media is None or media.account is not request.account:
        raise not_found()
    if media.status is not None:
        raise ApiError(422, "Media attachment is currently used by a status")
    del state.media[media.id]
    state.touch()
    return {}


@GET("/api/v1/polls/:id", scope="read:statuses")
def poll(state, request, id):
    return state.render.poll(state.poll(request.account, id), request.account)


@POST("/api/v1/polls/:id/votes", scope="write:statuses", user=True)
def poll_vote(state, request, id):
    voted = state.vote(request.account, state.poll(request.account, id), request.list("choices"))
    return state.render.poll(voted, request.account)


# ---------------------------------------------------------------------------------------------
# Markers


@GET("/api/v1/markers", scope="read:statuses", user=True)
def markers(state, request):
    return state.render.markers(request.account, request.list("timeline"))


@POST("/api/v1/markers", scope="write:statuses", user=True)
def set_markers(state, request):
    names = []
    for name in ("home", "notifications"):
        value = request.params.get(name)
        if isinstance(value, dict) and value.get("last_read_id") not in (None, ""):
            state.set_marker(request.account, name, value["last_read_id"])
            names.append(name)
    return state.render.markers(request.account, names)


# ---------------------------------------------------------------------------------------------
# Filters (v2)


def _keyword_attributes(request):
    return [item for item in request.list("keywords_attributes") if isinstance(item, dict)]


@GET("/api/v2/filters", scope="read:filters", user=True)
def filters(state, request):
    return [state.render.filter(item) for item in request.account.filters]


@POST("/api/v2/filters", scope="write:filters", user=True)
def create_filter(state, request):
    created = state.save_filter(request.account, None, request.text("title"), request.list("context"),
                                request.text("filter_action") or "warn", request.get("expires_in"),
                                _keyword_attributes(request))
    return state.render.filter(created)


@GET("/api/v2/filters/keywords/:id", scope="read:filters", user=True)
def filter_keyword(state, request, id):
    return state.render.filter_keyword(state.keyword_of(request.account, id)[1])


@PUT("/api/v2/filters/keywords/:id", scope="write:filters", user=True)
def update_filter_keyword(state, request, id):
    _, keyword = state.keyword_of(request.account, id)
    if request.text("keyword"):
        keyword.keyword = request.text("keyword")
    if "whole_word" in request.params:
        keyword.whole_word = request.flag("whole_word")
    state.touch()
    return state.render.filter_keyword(keyword)


@DELETE("/api/v2/filters/keywords/:id", scope="write:filters", user=True)
def delete_filter_keyword(state, request, id):
    item, keyword = state.keyword_of(request.account, id)
    item.keywords.remove(keyword)
    state.touch()
    return {}


@GET("/api/v2/filters/statuses/:id", scope="read:filters", user=True)
def filter_status(state, request, id):
    return state.render.filter_status(state.filter_status_of(request.account, id)[1])


@DELETE("/api/v2/filters/statuses/:id", scope="write:filters", user=True)
def delete_filter_status(state, request, id):
    item, entry = state.filter_status_of(request.account, id)
    item.statuses.remove(entry)
    state.touch()
    return {}


@GET("/api/v2/filters/:id", scope="read:filters", user=True)
def get_filter(state, request, id):
    return state.render.filter(state.filter_of(request.account, id))


@PUT("/api/v2/filters/:id", scope="write:filters", user=True)
def update_filter(state, request, id):
    existing = state.filter_of(request.account, id)
    context = request.list("context") if "context" in request.params else None
    expires = request.get("expires_in") if "expires_in" in request.params else None
    updated = state.save_filter(request.account, existing, request.text("title"), context,
                                request.text("filter_action"), "" if expires is None and "expires_in" in
                                request.params else expires, _keyword_attributes(request))
    return state.render.filter(updated)


@DELETE("/api/v2/filters/:id", scope="write:filters", user=True)
def delete_filter(state, request, id):
    request.account.filters.remove(state.filter_of(request.account, id))
    state.touch()
    return {}


@GET("/api/v2/filters/:id/keywords", scope="read:filters", user=True)
def filter_keywords(state, request, id):
    return [state.render.filter_keyword(k) for k in state.filter_of(request.account, id).keywords]


@POST("/api/v2/filters/:id/keywords", scope="write:filters", user=True)
def add_filter_keyword(state, request, id):
    item = state.filter_of(request.account, id)
    whole_word = request.flag("whole_word", True)
    return state.render.filter_keyword(state.add_filter_keyword(item, request.text("keyword"), whole_word))


@GET("/api/v2/filters/:id/statuses", scope="read:filters", user=True)
def filter_statuses(state, request, id):
    return [state.render.filter_status(entry) for entry in state.filter_of(request.account, id).statuses]


@POST("/api/v2/filters/:id/statuses", scope="write:filters", user=True)
def add_filter_status(state, request, id):
    from .state import FilterStatus
    item = state.filter_of(request.account, id)
    target = state.status(request.get("status_id"), request.account)
    entry = FilterStatus(state.ids.next("filter_status"), target.id)
    item.statuses.append(entry)
    state.touch()
    return state.render.filter_status(entry)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1

