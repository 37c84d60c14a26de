"""Register an app, log in, post a status and page through the home timeline.

With ``--api-base-url`` it talks to a real server (``--username``/``--password`` for the
password grant, as Mastodon allows for apps of its own admins). Without it, it starts an
embedded Mastodon stand-in on 127.0.0.1 that answers with real recorded Mastodon responses,
so the whole flow runs offline:

    python examples/quickstart.py
"""

import argparse
import importlib
import json
import os
import sys
import tempfile
from typing import Any, Dict, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from mastodon import Mastodon  # noqa: E402
from mastodon.return_types import PaginatableList, Status  # noqa: E402


def embedded_server() -> Any:
    """A loopback server answering the calls of this example with recorded Mastodon 4.5 responses
    (the test suite's recording server, which is not typed)."""
    sys.path.insert(0, os.path.join(HERE, "..", "tests"))
    stand_in = importlib.import_module("server")
    fixture = stand_in.fixture

    server = stand_in.RecordingServer().start()
    for name in ("GET_api_v1_instance__200", "POST_api_v1_apps_200", "POST_oauth_token_200",
                 "POST_api_v1_statuses_200", "GET_api_v1_accounts_verify_credentials_200"):
        server.fixture(name)
    statuses = fixture("GET_api_v1_timelines_home_200")["body"]
    pages = [statuses[i:i + 5] for i in range(0, len(statuses), 5)]

    def home(recorded: Any) -> Any:
        max_id = dict(recorded.query).get("max_id")
        index = 0 if max_id is None else next(i + 1 for i, page in enumerate(pages) if page[-1]["id"] == max_id)
        headers: Dict[str, str] = {}
        if index + 1 < len(pages):
            headers["Link"] = f'<{server.url}/api/v1/timelines/home?max_id={pages[index][-1]["id"]}>; rel="next"'
        return stand_in.Response(200, pages[index], headers)

    server.route("GET", "/api/v1/timelines/home", handler=home)
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-base-url")
    parser.add_argument("--username")
    parser.add_argument("--password")
    args = parser.parse_args()

    server = None
    if args.api_base_url is None:
        server = embedded_server()
        args.api_base_url, args.username, args.password = server.url, "demo@example.org", "demo-password"
        print(f"Using an embedded Mastodon stand-in at {server.url}")

    with tempfile.TemporaryDirectory() as directory:
        client_file = os.path.join(directory, "clientcred.secret")
        user_file = os.path.join(directory, "usercred.secret")

        Mastodon.create_app("quickstart example", api_base_url=args.api_base_url, to_file=client_file)
        api = Mastodon(client_id=client_file)
        api.log_in(args.username, args.password, to_file=user_file)
        print(f"Logged in; token saved with mode {oct(os.stat(user_file).st_mode & 0o777)}")

        api = Mastodon(access_token=user_file)
        print(f"Server version {api.mastodon_major}.{api.mastodon_minor}.{api.mastodon_patch}")
        status = api.toot("Hello from the quickstart example!")
        print(f"Posted status {status.id} at {status.created_at:%Y-%m-%d %H:%M}: {status.content[:60]}")

        page: Optional[PaginatableList[Status]] = api.timeline_home(limit=5)
        count = 0
        while page:
            for item in page:
                count += 1
                print(f"  {item.id} @{item.account.acct}: {item.content[:50]}")
            page = api.fetch_next(page)
        print(f"Read {count} statuses from the home timeline, page by page.")

    if server is not None:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
