"""A small bot written against the typed API: it reads the home timeline page by page and
answers the mentions in its notifications.

Every result is an entity class (``Status``, ``Notification``, ...) whose fields have types, so
``mypy --strict`` checks this file (CI does): ``status.account.acct`` is a ``str``,
``status.created_at`` a ``datetime``, and a field that may be missing or None (a notification's
status, a status's reblog) has to be checked before it is used.

With ``--api-base-url`` and ``--access-token`` it talks to a real server (``--dry-run`` prints the
replies instead of posting them). Without them it starts an embedded Mastodon stand-in on
127.0.0.1 that answers with real recorded Mastodon responses, so it runs offline:

    python examples/typed_bot.py
"""

import argparse
import datetime
import html
import importlib
import os
import re
import sys
from typing import Any, Dict, List, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from mastodon import Mastodon  # noqa: E402
from mastodon.return_types import Notification, PaginatableList, Status  # noqa: E402

REPLY = "Thanks for the mention! (an example bot)"


def plain_text(status: Status) -> str:
    """The text of a status without its HTML."""
    return html.unescape(re.sub(r"<[^>]*>", "", status.content)).strip()


def age(when: datetime.datetime, now: datetime.datetime) -> str:
    """``3 d``, ``5 h``, ``12 min`` or ``40 s``."""
    seconds = int((now - when).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def describe(status: Status, now: datetime.datetime) -> str:
    """``12 min ago @alice: hello`` (a reblog names who reblogged what)."""
    line = f"{age(status.created_at, now)} ago @{status.account.acct}"
    if status.reblog is not None:  # Optional[Status]: None unless this is a reblog
        return f"{line} reblogged @{status.reblog.account.acct}: {plain_text(status.reblog)[:50]}"
    return f"{line}: {plain_text(status)[:60]}"


def read_home(api: Mastodon, max_pages: int, page_size: int = 5) -> int:
    """Print up to ``max_pages`` pages of the home timeline; returns how many statuses were read."""
    now = datetime.datetime.now(datetime.timezone.utc)
    count = pages = 0
    page: Optional[PaginatableList[Status]] = api.timeline_home(limit=page_size)
    while page:
        for status in page:
            print(f"  {describe(status, now)}")
            count += 1
        pages += 1
        # fetch_next gives the page after this one, or None after the last.
        page = api.fetch_next(page) if pages < max_pages else None
    return count


def mentions(notifications: Sequence[Notification]) -> List[Status]:
    """The statuses of the mention notifications among ``notifications``."""
    found: List[Status] = []
    for notification in notifications:
        # Mastodon leaves "status" out of notifications that are about no status (follows,
        # sign-ups...): read it with get(), which gives None then, and check before use.
        status: Optional[Status] = notification.get("status")
        if notification.type == "mention" and status is not None:
            found.append(status)
    return found


def answer_mentions(api: Mastodon, dry_run: bool) -> List[Status]:
    """Reply to every mention in the latest notifications; returns the replies posted."""
    replies: List[Status] = []
    for status in mentions(api.notifications(limit=20)):
        if dry_run:
            print(f"  would answer @{status.account.acct} ({status.id})")
            continue
        reply = api.status_reply(status, REPLY, visibility=status.visibility)
        print(f"  answered @{status.account.acct}: status {reply.id} at {reply.created_at:%H:%M:%S}")
        replies.append(reply)
    return replies


def embedded_server() -> Any:
    """A loopback server (the test suite's recording server, which is not typed) answering the
    calls of this bot with recorded Mastodon responses."""
    sys.path.insert(0, os.path.join(HERE, "..", "tests"))
    stand_in = importlib.import_module("server")
    fixture = stand_in.fixture

    server = stand_in.RecordingServer().start()
    for name in ("GET_api_v1_instance__200", "GET_api_v1_accounts_verify_credentials_200",
                 "POST_api_v1_statuses_200"):
        server.fixture(name)
    # A mention, and a sign-up notification, which has no status.
    notifications = [fixture("GET_api_v1_notifications_id_200")["body"],
                     fixture("GET_api_v1_notifications_200")["body"][0]]
    server.route("GET", "/api/v1/notifications", body=notifications)
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


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--api-base-url")
    parser.add_argument("--access-token")
    parser.add_argument("--pages", type=int, default=2, help="home timeline pages to read (default 2)")
    parser.add_argument("--dry-run", action="store_true", help="print the replies instead of posting them")
    args = parser.parse_args(argv)

    server = None
    if args.api_base_url is None:
        server = embedded_server()
        args.api_base_url, args.access_token = server.url, "stand-in-token"
        print(f"Using an embedded Mastodon stand-in at {server.url}")
    try:
        api = Mastodon(api_base_url=args.api_base_url, access_token=args.access_token)
        print("Home timeline:")
        read = read_home(api, args.pages)
        print(f"Read {read} statuses.")
        print("Mentions:")
        replies = answer_mentions(api, args.dry_run)
        print(f"Answered {len(replies)} mention(s).")
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
