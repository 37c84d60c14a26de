"""A small web push relay: Mastodon pushes encrypted notifications to it, it decrypts each one,
fetches the notification it names and hands it to a callback (here: prints who did what).

Run it where your Mastodon server can reach it::

    python examples/push_relay.py --api-base-url https://mastodon.example \\
        --access-token YOUR_TOKEN --public-url https://relay.example/push --port 8080

It subscribes the token to web push (``standard=True`` asks Mastodon 4.4+ for RFC 8291
``aes128gcm``; older servers send legacy ``aesgcm``, which works the same) and serves until
interrupted. Keep the private keys it generates: they are needed to read every later push.
"""

import argparse
import html
import logging
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional

from mastodon import Mastodon
from mastodon.errors import MastodonError, MastodonIllegalArgumentError
from mastodon.return_types import Notification, PushNotification, Status, WebpushCryptoParamsPrivkey

log = logging.getLogger("push_relay")


class PushRelay:
    """An HTTP server receiving pushes for one subscription.

    ``on_notification(notification)`` gets the full Notification fetched from the server;
    ``on_push(push)`` (optional) gets the decrypted push itself. Mastodon expects a 201 answer;
    the relay answers before fetching, so a slow server never delays the acknowledgement.
    """

    def __init__(self, api: Mastodon, private_keys: WebpushCryptoParamsPrivkey,
                 on_notification: Callable[[Notification], Any], host: str = "127.0.0.1", port: int = 0,
                 on_push: Optional[Callable[[PushNotification], Any]] = None) -> None:
        self.api = api
        self.private_keys = private_keys
        self.on_notification = on_notification
        self.on_push = on_push
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                log.debug(format, *args)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    push = relay.api.push_subscription_decrypt_push(
                        body, relay.private_keys, self.headers.get("Encryption"), self.headers.get("Crypto-Key"))
                except MastodonIllegalArgumentError as e:
                    log.warning("Refused a push: %s", e)
                    self._answer(400)
                    return
                self._answer(201)
                relay.handle_push(push)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.wfile.flush()

        self._httpd = ThreadingHTTPServer((host, port), Handler)
        self._httpd.daemon_threads = True
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        host, port = self._httpd.socket.getsockname()[:2]
        return f"http://{host}:{port}/push"

    def handle_push(self, push: PushNotification) -> None:
        """Fetch the notification a decrypted push names and pass it on."""
        if self.on_push is not None:
            self.on_push(push)
        try:
            notification = self.api.notifications(id=push["notification_id"])
        except MastodonError as e:
            log.warning("Could not fetch notification %s: %s", push.get("notification_id"), e)
            return
        self.on_notification(notification)

    def start(self) -> "PushRelay":
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def describe(notification: Notification) -> str:
    """``@alice mention: hello!`` for a notification."""
    # Mastodon leaves "status" out of notifications about no status (follows, sign-ups...).
    status: Optional[Status] = notification.get("status")
    text = html.unescape(re.sub(r"<[^>]*>", "", status["content"])).strip() if status else ""
    line = f"@{notification['account']['acct']} {notification['type']}"
    return f"{line}: {text}" if text else line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-base-url", required=True)
    parser.add_argument("--access-token", required=True)
    parser.add_argument("--public-url", required=True, help="the URL Mastodon posts pushes to")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)

    api = Mastodon(api_base_url=args.api_base_url, access_token=args.access_token)
    private_keys, public_keys = api.push_subscription_generate_keys()
    relay = PushRelay(api, private_keys, lambda n: print(describe(n), flush=True), host=args.host, port=args.port)
    api.push_subscription_set(args.public_url, public_keys, mention_events=True, follow_events=True,
                              favourite_events=True, reblog_events=True, standard=True)
    print(f"Relaying pushes received on {args.host}:{args.port}; Ctrl-C to stop.")
    try:
        relay.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        api.push_subscription_delete()


if __name__ == "__main__":
    main()
