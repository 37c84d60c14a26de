"""Register an app, log in, post, read the post back, hear it on the stream, page a timeline.

The log-in is OAuth's authorization code flow with PKCE, the one Mastodon 4.4 and later accept.
With ``--api-base-url`` it talks to a real server: it prints the authorization URL, you approve
the app in your browser and paste the code it shows. Without it, it starts the in-memory
Mastodon of ``mastodon.testing`` on 127.0.0.1 (stateful: what the example posts is there to
read back), where a signed-in user ``demo`` approves the app:

    python examples/quickstart.py
"""

import argparse
import os
import queue
import re
import sys
import tempfile
from typing import Any, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from mastodon import Mastodon, StreamListener  # noqa: E402
from mastodon.errors import MastodonError  # noqa: E402
from mastodon.return_types import PaginatableList, Status  # noqa: E402


def text(status: Status) -> str:
    """A status's content without its HTML."""
    return re.sub(r"<[^>]+>", "", status.content)


class Updates(StreamListener):
    """Collects the statuses the user stream announces."""

    def __init__(self) -> None:
        self.statuses: "queue.Queue[Status]" = queue.Queue()

    def on_update(self, status: Status) -> None:
        self.statuses.put(status)


def in_memory_server() -> Any:
    """A ``mastodon.testing`` server with a user ``demo`` signed in to the "browser" and an
    account ``alice`` that ``demo`` follows, with a few statuses to page through."""
    from mastodon.testing import FakeMastodon

    server = FakeMastodon().start()
    server.sign_in("demo")
    alice = server.client("alice", mastodon_version="4.5.0")
    for number in range(1, 6):
        alice.toot(f"Status number {number} from alice")
    server.client("demo", mastodon_version="4.5.0").account_follow(alice.me())
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-base-url", help="a Mastodon server (default: an in-memory one)")
    args = parser.parse_args()

    server = None
    if args.api_base_url is None:
        server = in_memory_server()
        args.api_base_url = server.url
        print(f"In-memory Mastodon (mastodon.testing) at {server.url}")

    with tempfile.TemporaryDirectory() as directory:
        client_file = os.path.join(directory, "clientcred.secret")
        user_file = os.path.join(directory, "usercred.secret")

        Mastodon.create_app("quickstart example", api_base_url=args.api_base_url, to_file=client_file)
        api = Mastodon(client_id=client_file)
        url = api.auth_request_url(use_pkce=True)
        print(f"Registered the app; it asks for authorization at\n  {url[:90]}...")
        if server is not None:
            code = server.authorize(url)  # what the signed-in user does in the browser
            print("@demo approved it in the browser")
        else:
            code = input("Open that URL, approve the app and paste the code here: ").strip()
        api.log_in(code=code, to_file=user_file)
        print(f"Logged in with the code; token saved with mode {oct(os.stat(user_file).st_mode & 0o777)}")

        api = Mastodon(access_token=user_file)
        me = api.me()
        print(f"Server version {api.mastodon_major}.{api.mastodon_minor}.{api.mastodon_patch}, "
              f"logged in as @{me.acct}")

        updates = Updates()
        stream: Optional[Any] = None
        try:
            stream = api.stream_user(updates, run_async=True)
        except MastodonError as error:
            print(f"(no stream: {error})")

        status = api.status_post("Hello from the quickstart example! #python", visibility="public")
        print(f"Posted status {status.id} at {status.created_at:%H:%M:%S}: {text(status)}")

        newest = api.timeline_home(limit=1)
        if newest and newest[0].id == status.id:
            print(f"Read it back from the home timeline: @{newest[0].account.acct}: {text(newest[0])}")

        if stream is not None:
            try:
                heard = updates.statuses.get(timeout=10)
                print(f"Heard it on the stream: update {heard.id} from @{heard.account.acct}")
            except queue.Empty:
                print("Nothing came on the stream within 10 seconds.")
            stream.close()

        print("The home timeline, three statuses a page:")
        page: Optional[PaginatableList[Status]] = api.timeline_home(limit=3)
        pages = 0
        while page and pages < 4:
            pages += 1
            for item in page:
                print(f"  page {pages}: {item.id} @{item.account.acct}: {text(item)[:50]}")
            page = api.fetch_next(page)

    if server is not None:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
