"""The HTTP side of the fake server, and :class:`FakeMastodon`, the object tests hold.

A ``ThreadingHTTPServer`` on 127.0.0.1 answers REST calls from the endpoint table, streams
from the streaming hub, and uploaded media and avatars from memory. Every API answer carries
Mastodon's ``X-RateLimit-*`` headers; requests over a limit get 429, as from Rack::Attack.
"""

from __future__ import annotations

import collections
import json
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Callable, Deque, Dict, List, Optional, TypeVar, Union
from urllib.parse import urlsplit

from . import endpoints, streaming, websocket
from ._wire import JSON_TYPE, Answer, Request
from .faults import Faults
from .state import ApiError, App, State

if TYPE_CHECKING:
    from mastodon import Mastodon

_T = TypeVar("_T")

# A 1x1 transparent PNG: the default avatar, header and preview images.
_PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                       "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
_HELPER_SCOPES = ("read", "write", "follow", "push")


# ---------------------------------------------------------------------------------------------
# Rate limits


@dataclass
class Throttle:
    name: str
    limit: int
    period: int
    applies: object  # (method, path) -> bool
    per_account: bool = False
    per_ip: bool = False


# Mastodon's Rack::Attack throttles and per-family limits (config/initializers/rack_attack.rb).
THROTTLES = (
    Throttle("api", 300, 300, lambda method, path: path.startswith("/api/")),
    Throttle("statuses", 300, 10800, lambda method, path: method == "POST" and path == "/api/v1/statuses",
             per_account=True),
    Throttle("deletes", 30, 1800, lambda method, path: (method == "DELETE" and path.startswith("/api/v1/statuses/"))
             or (method == "POST" and path.startswith("/api/v1/statuses/") and path.endswith("/unreblog")),
             per_account=True),
    Throttle("media", 30, 1800, lambda method, path: method == "POST" and path in ("/api/v1/media", "/api/v2/media"),
             per_account=True),
    Throttle("apps", 5, 600, lambda method, path: method == "POST" and path == "/api/v1/apps", per_ip=True),
)


def _reset_header(moment):
    return datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RateLimits:
    """Counts requests per throttle and key in aligned windows, as Rack::Attack does.

    ``window`` is the period of the general API throttle (Mastodon: 300 s); a shorter one makes
    a rate-limited client's wait short.
    """

    def __init__(self, enforce=True, window=300):
        self.enforce = enforce
        self.window = window
        self._counts = {}
        self._lock = threading.Lock()

    def check(self, method, path, token, client_ip, exhausted=False):
        """``(headers, limited)`` for one request: the most limited applicable throttle's
        headers, and whether it is over its limit (always, with ``exhausted``: an injected 429
        names the reset of the window it belongs to, as Mastodon's do)."""
        moment = time.time()
        worst = None
        for throttle in THROTTLES:
            if not throttle.applies(method, path.rstrip("/")):
                continue
            if throttle.per_ip or token is None:
                key = ("ip", client_ip)
            elif throttle.per_account and token.account is not None:
                key = ("account", token.account.id)
            else:
                key = ("token", token.value)
            period = self.window if throttle.name == "api" else throttle.period
            window = int(moment // period)
            with self._lock:
                count = self._counts.get((throttle.name, key, window), 0) + 1
                self._counts[(throttle.name, key, window)] = count
            remaining = throttle.limit - count if self.enforce else throttle.limit
            if exhausted:
                remaining = -1
            reset = (window + 1) * period + (moment % 1 if period >= 1 else 0)
            if worst is None or remaining < worst[1]:
                worst = (throttle, remaining, reset)
        if worst is None:
            return {}, exhausted
        throttle, remaining, reset = worst
        headers = {"X-RateLimit-Limit": str(throttle.limit), "X-RateLimit-Remaining": str(max(remaining, 0)),
                   "X-RateLimit-Reset": _reset_header(reset)}
        return headers, remaining < 0


# ---------------------------------------------------------------------------------------------
# The server


@dataclass
class LoggedRequest:
    """One request as the server answered it (``server.requests``)."""
    method: str
    path: str
    query: str
    status: int
    account: Optional[str]


class FakeMastodon:
    """A stateful in-memory Mastodon 4.5 server on 127.0.0.1.

    ``with FakeMastodon() as server:`` (or :meth:`start` and :meth:`stop`). ``port=0`` picks a
    free port; :attr:`url` is the base URL to give clients. ``rate_limits=False`` reports full
    budgets and never answers 429 of its own accord; ``rate_limit_window`` is the period (seconds)
    of the general API limit of 300 calls (Mastodon: 300); ``heartbeat`` is the seconds between
    stream heartbeats; ``media_processing_polls`` how many ``GET /api/v1/media/:id`` answer 206
    before an upload is processed (0: uploads are processed at once and answer 200).

    :attr:`faults` injects failures (:class:`~mastodon.testing.faults.Faults`); :attr:`requests`
    logs the requests answered (method, path, query, status, account); :attr:`state` is the
    server's memory (:mod:`mastodon.testing.state`).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, rate_limits: bool = True,
                 rate_limit_window: int = 300, heartbeat: float = 15.0, media_processing_polls: int = 1) -> None:
        self.host = host
        self.port = port
        self.heartbeat = heartbeat
        self.state = State(media_processing_polls=media_processing_polls)
        self.hub = streaming.Hub()
        self.state.publish = self.hub.publish
        self.faults = Faults(self.hub)
        self.rate_limits = RateLimits(enforce=rate_limits, window=rate_limit_window)
        self.requests: Deque[LoggedRequest] = collections.deque(maxlen=10000)
        self._stopping = threading.Event()
        self._httpd: Optional[_HTTPServer] = None
        self._thread: Optional[threading.Thread] = None
        self._helper_app: Optional[App] = None
        self._helper_tokens: Dict[int, str] = {}

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL (``http://127.0.0.1:PORT``)."""
        return f"http://{self.host}:{self.port}"

    @property
    def streaming_url(self) -> str:
        """The streaming API URL the instance announces (``ws://127.0.0.1:PORT``)."""
        return f"ws://{self.host}:{self.port}"

    def start(self) -> "FakeMastodon":
        """Bind and serve in a background thread; returns the server."""
        if self._httpd is not None:
            return self
        httpd = self._httpd = _HTTPServer((self.host, self.port), _handler_class(self))
        self.port = httpd.server_address[1]
        self.state.base_url = self.url
        self._stopping.clear()
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs=dict(poll_interval=0.5),
                                        name="mastodon.testing", daemon=True)
        self._thread.start()
        threading.Thread(target=self._run_clock, name="mastodon.testing clock", daemon=True).start()
        return self

    def _run_clock(self):
        """What Mastodon's scheduled jobs do: end the polls whose time is up (notifying their
        voters and authors) while nobody makes a request."""
        while not self._stopping.wait(0.25):
            with self.state.lock:
                self.state.tick()

    def stop(self) -> None:
        """Close open streams and stop serving (returns at once)."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        self.hub.close_all()
        # Ask the serving loop to stop, then wake its select() with a connection: shutdown()
        # alone waits for the next poll.
        httpd._BaseServer__shutdown_request = True  # type: ignore[attr-defined]
        try:
            with socket.create_connection((self.host, self.port), timeout=1.0):
                pass
        except OSError:
            pass
        httpd.shutdown()
        httpd.server_close()

    def __enter__(self) -> "FakeMastodon":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- accounts and clients -------------------------------------------------------------------

    def create_account(self, username: str, *, display_name: str = "", note: str = "", bot: bool = False,
                       locked: bool = False, password: Optional[str] = None) -> str:
        """Create an account; returns an access token for it (scopes ``read write follow push``)."""
        with self.state.lock:
            self.state.create_account(username, display_name=display_name, note=note, bot=bot, locked=locked,
                                      password=password)
            return self.token(username)

    def token(self, username: str) -> str:
        """An access token of the account ``username`` (the same one each time)."""
        with self.state.lock:
            account = self.state.find_account(username)
            if account is None:
                raise KeyError(f"no account {username!r}")
            if account.id not in self._helper_tokens:
                if self._helper_app is None:
                    self._helper_app = self.state.create_app("mastodon.testing", None, " ".join(_HELPER_SCOPES))
                token = self.state.issue_token(self._helper_app, account, _HELPER_SCOPES)
                self._helper_tokens[account.id] = token.value
            return self._helper_tokens[account.id]

    def client(self, username: str, **options: Any) -> "Mastodon":
        """A :class:`mastodon.Mastodon` logged in as ``username`` (created when missing);
        ``options`` go to the constructor."""
        from mastodon import Mastodon

        with self.state.lock:
            if self.state.find_account(username) is None:
                self.create_account(username)
            token = self.token(username)
        options.setdefault("api_base_url", self.url)
        options.setdefault("access_token", token)
        return Mastodon(**options)

    def account_id(self, username: str) -> str:
        """The id (a string, as in entities) of the account ``username``."""
        account = self.state.find_account(username)
        if account is None:
            raise KeyError(f"no account {username!r}")
        return str(account.id)

    def sign_in(self, username: Optional[str]) -> None:
        """Make ``username`` the user signed in to the browser that visits ``/oauth/authorize``
        (created when missing; None signs out)."""
        with self.state.lock:
            if username is None:
                self.state.signed_in = None
                return
            account = self.state.find_account(username) or self.state.create_account(username)
            self.state.signed_in = account

    def authorize(self, url: str, username: Optional[str] = None) -> str:
        """What a user does in the browser: approve the authorization URL ``url`` (from
        ``Mastodon.auth_request_url``) as ``username`` (default: the signed-in user). Returns
        the authorization code."""
        query = Request("GET", urlsplit(url).path, urlsplit(url).query, {}, b"")
        with self.state.lock:
            account = self.state.find_account(username) if username else self.state.signed_in
            if account is None:
                if username is None:
                    raise ValueError("nobody is signed in: pass username or call sign_in() first")
                account = self.state.create_account(username)
            app, redirect_uri, scopes = endpoints._authorization(self.state, query)
            return self.state.authorize(app, account, redirect_uri, scopes, query.text("code_challenge"),
                                        query.text("code_challenge_method"))

    # -- the passage of time --------------------------------------------------------------------

    def end_poll(self, poll_id: Union[int, str]) -> None:
        """End a poll now (as if it expired): voters and the author are notified."""
        with self.state.lock:
            poll = self.state.polls.get(int(poll_id))
            if poll is None:
                raise KeyError(f"no poll {poll_id!r}")
            self.state.end_poll(poll)

    def finish_media_processing(self, media_id: Optional[Union[int, str]] = None) -> None:
        """Finish processing an upload (all uploads when ``media_id`` is None)."""
        with self.state.lock:
            for media in self.state.media.values():
                if media_id is None or str(media.id) == str(media_id):
                    media.pending_polls = 0
            self.state.touch()

    def wait_until(self, predicate: Callable[[], Optional[_T]], timeout: float = 5.0) -> _T:
        """Call ``predicate()`` whenever the state changes until it returns something true, and
        return that; raises ``TimeoutError`` after ``timeout`` seconds. The predicate may make
        API calls: it runs without the server's lock."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"condition still false after {timeout} s")
            with self.state.changed:
                self.state.changed.wait(min(remaining, 0.05))

    @property
    def open_streams(self) -> int:
        """How many streaming connections are open now (an SSE stream each, a WebSocket once)."""
        return self.hub.count

    @property
    def stream_subscriptions(self) -> List[List[str]]:
        """The streams listened to now, as WebSocket frames name them (``["user"]``,
        ``["hashtag", "cats"]``, ``["list", "3"]``), SSE and WebSocket alike: a test waits on
        it before acting, since a WebSocket subscription is not acknowledged."""
        return [list(subscription.label) for subscription in self.hub.subscriptions() if subscription.label]

    # -- answering ------------------------------------------------------------------------------

    def _answer(self, request, client_ip, exhausted=False):
        """The answer to one REST request (streams are handled by the caller); ``exhausted``:
        a 429 injected by a fault."""
        state = self.state
        route, path_params = endpoints.match(request.method, request.path)
        with state.lock:
            token = _bearer_token(state, request)
            limit_headers, limited = self.rate_limits.check(request.method, request.path, token, client_ip,
                                                            exhausted)
            if limited:
                return _json_answer(429, {"error": "Too many requests"}, limit_headers), token
            static = self._static(request.path)
            if static is not None:
                return static, token
            if route is None:
                return _json_answer(404, {"error": "Record not found"}, limit_headers), token
            try:
                state.tick()
                endpoints.authorize(route, state, request)
                result = route.handler(state, request, **path_params)
            except ApiError as error:
                return _json_answer(error.status, error.body, limit_headers), token
            except Exception as error:  # a bug of the fake server: say so, as a 500
                traceback.print_exc()
                return _json_answer(500, {"error": f"mastodon.testing failed: {error!r}"}, limit_headers), token
            answer = result if isinstance(result, Answer) else Answer(body=result)
            answer.headers = dict(limit_headers, **answer.headers)
            return answer, token

    def _static(self, path):
        """Images: the default avatar and header, uploaded media and avatars."""
        if path in ("/avatars/original/missing.png", "/headers/original/missing.png"):
            return Answer(body=_PIXEL, content_type="image/png")
        parts = path.split("/")
        if path.startswith("/system/media_attachments/") and len(parts) == 7:
            media = self.state.media_file(parts[-1].split(".")[0])
            if media is not None:
                if parts[3] == "thumbnails" or (parts[5] == "small" and media.kind not in ("image", "gifv")):
                    return Answer(body=_PIXEL, content_type="image/png")
                return Answer(body=media.data, content_type=media.mime)
        if path.startswith("/system/accounts/") and len(parts) == 7:
            account = self.state.accounts.get(int(parts[4]) if parts[4].isdigit() else -1)
            image = getattr(account, parts[3][:-1], None) if account is not None else None
            if image is not None and parts[-1].startswith(image[0]):
                return Answer(body=image[2], content_type=image[1])
        return None


def _bearer_token(state, request):
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return state.token(header[7:].strip())
    return None


def _json_answer(status, body, headers):
    return Answer(status, body, dict(headers))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        # Clients hang up on streams and on stalled answers; anything else is worth seeing.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def _handler_class(server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are separate writes
        server_version = "Mastodon"
        sys_version = ""

        def log_message(self, format, *args):
            pass

        def _read_body(self):
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _handle(self):
            split = urlsplit(self.path)
            headers = {name.lower(): value for name, value in self.headers.items()}
            body = self._read_body()
            try:
                request = Request(self.command, split.path, split.query, headers, body)
            except ApiError as error:
                self._send(_json_answer(error.status, error.body, {}))
                return
            request.base_url = server.url
            fault = server.faults.take(split.path)
            if fault is not None and self._apply_fault(fault, request):
                return
            if split.path.rstrip("/") == "/api/v1/streaming" and websocket.is_upgrade(request):
                server.requests.append(LoggedRequest(self.command, split.path, split.query, 101, None))
                refused = websocket.serve(self, server, request)
                if refused is not None:
                    self._send(_json_answer(refused.status, refused.body, {}))
                return
            if split.path.startswith("/api/v1/streaming"):
                self._stream(request)
                return
            answer, token = server._answer(request, self.client_address[0])
            account = token.account.username if token is not None and token.account is not None else None
            server.requests.append(LoggedRequest(self.command, split.path, split.query, answer.status, account))
            self._send(answer)

        def _apply_fault(self, fault, request):
            """Carry out a fault; True when the request is answered (or dropped) by it."""
            server.requests.append(LoggedRequest(self.command, request.path, request.query,
                                                 {"drop": 0, "stall": 0}.get(fault.kind, fault.status), None))
            if fault.kind == "stall":
                server._stopping.wait(fault.seconds)
                return False
            if fault.kind == "drop":
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return True
            if fault.kind == "rate_limit":
                answer, _ = server._answer(request, self.client_address[0], exhausted=True)
                self._send(answer)
                return True
            body, content_type = fault.body()
            self._send(Answer(fault.status, body, {}, content_type))
            return True

        def _stream(self, request):
            state = server.state
            if request.path.rstrip("/") == "/api/v1/streaming/health":
                self._send(Answer(body="OK", content_type="text/plain"))
                return
            try:
                with state.lock:
                    subscription = streaming.subscription_for(state, request.path, request)
            except ApiError as error:
                self._send(_json_answer(error.status, error.body, {}))
                return
            if subscription is None:
                self._send(_json_answer(404, {"error": "Record not found"}, {}))
                return
            server.requests.append(LoggedRequest(self.command, request.path, request.query, 200,
                                                 subscription.viewer.username if subscription.viewer else None))
            server.hub.subscribe(subscription)  # before the answer: events after connect() are not lost
            streaming.serve(self, server.hub, subscription, server.heartbeat, server._stopping)

        def _send(self, answer):
            body = answer.body
            content_type = answer.content_type
            if isinstance(body, bytes):
                payload = body
            elif isinstance(body, str):
                payload = body.encode("utf-8")
            else:
                payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                content_type = content_type or JSON_TYPE
            try:
                self.send_response(answer.status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
            except OSError:
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

    return Handler

