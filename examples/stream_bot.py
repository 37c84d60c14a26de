"""A StreamListener bot that answers mentions: "ping" gets "pong", "roll" a die roll.

It listens to the user stream of its account and replies to every mention, in the visibility
of the mention and with its content warning. The stream reconnects by itself and fetches the
mentions it missed meanwhile (``backfill``), so a dropped connection loses nothing.

Against a real server (a token of the bot's account, with read and write scopes)::

    python examples/stream_bot.py --api-base-url https://mastodon.example --access-token TOKEN

Without arguments it starts an in-memory Mastodon (``mastodon.testing``) and a user there who
talks to the bot, and prints the conversation. ``tests/test_example_stream_bot.py`` tests it with
the ``mastodon_server`` pytest fixture.
"""

import argparse
import functools
import html
import os
import random
import re
import sys
import threading
from typing import Any, Optional, Set, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from mastodon import Mastodon, StreamListener  # noqa: E402
from mastodon.return_types import IdType, Notification, Status  # noqa: E402

_RNG = random.Random()


def plain_text(content: str) -> str:
    """The text of a status's HTML content, mentions and all."""
    text = re.sub(r"<br\s*/?>", "\n", content)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def answer_to(text: str, rng: random.Random = _RNG) -> str:
    """What the bot says to a mention (``text`` without the mentions)."""
    words = text.lower().split()
    if "ping" in words:
        return "pong"
    if "roll" in words:
        return f"you rolled a {rng.randint(1, 6)}"
    return 'I know "ping" and "roll".'


class ReplyBot(StreamListener):
    """Replies to each mention once; ``replied`` holds the ids of the mentions answered."""

    def __init__(self, api: Mastodon, rng: random.Random = _RNG) -> None:
        self.api = api
        self.me = api.me()
        self.rng = rng
        self.replied: Set[IdType] = set()
        self._lock = threading.Lock()

    def on_notification(self, notification: Notification) -> None:
        if notification.type != "mention" or notification.status is None:
            return
        mention = notification.status
        with self._lock:
            # After a reconnection the backfill may hand over a mention that was seen already.
            if mention.id in self.replied or mention.account.id == self.me.id:
                return
            self.replied.add(mention.id)
        text = re.sub(r"(^|\s)@\S+", " ", plain_text(mention.content))
        self.api.status_reply(mention, answer_to(text, self.rng), untag=True)


def run(api: Mastodon, reconnect_wait: float = 5.0) -> Tuple[ReplyBot, Any]:
    """Start the bot in the background; returns ``(bot, stream handle)``. ``handle.close()``
    stops it."""
    bot = ReplyBot(api)
    handle = api.stream_user(bot, run_async=True, reconnect_async=True, reconnect_async_wait_sec=reconnect_wait,
                             backfill=True)
    assert handle is not None  # run_async=True returns the handle
    return bot, handle


def demo() -> int:
    """The bot and a user on an in-memory server, talking."""
    from mastodon.testing import FakeMastodon

    with FakeMastodon() as server:
        print(f"In-memory Mastodon at {server.url}")
        bot_api = server.client("pingbot")
        alice = server.client("alice")
        bot, handle = run(bot_api)

        def reply_to(asked: Status) -> Optional[Status]:
            for notification in alice.notifications(types=["mention"]):
                if notification.status is not None and notification.status.in_reply_to_id == asked.id:
                    return notification.status
            return None

        try:
            for text in ("@pingbot ping", "@pingbot roll", "@pingbot hello?"):
                asked = alice.status_post(text)
                print(f"@alice: {plain_text(asked.content)}")
                reply = server.wait_until(functools.partial(reply_to, asked))
                print(f"@pingbot: {plain_text(reply.content)}")
        finally:
            handle.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-base-url")
    parser.add_argument("--access-token")
    args = parser.parse_args()
    if args.api_base_url is None:
        return demo()
    api = Mastodon(api_base_url=args.api_base_url, access_token=args.access_token)
    bot, handle = run(api)
    print(f"@{bot.me.acct} is answering mentions; Ctrl-C stops it.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        handle.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
