"""examples/stream_bot.py, tested the way its README suggests: against the ``mastodon_server``
fixture, with a second account talking to the bot."""

import importlib.util
import os
import random

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("stream_bot", os.path.join(HERE, "..", "examples", "stream_bot.py"))
stream_bot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stream_bot)


@pytest.fixture
def bot(mastodon_server):
    api = mastodon_server.client("pingbot", mastodon_version="4.5.0")
    bot, handle = stream_bot.run(api, reconnect_wait=0.05)
    bot.rng = random.Random(4)
    yield bot
    handle.close()


@pytest.fixture
def alice(mastodon_server):
    return mastodon_server.client("alice", mastodon_version="4.5.0")


def reply_to(server, api, status):
    """Wait for the bot's reply to ``status`` among ``api``'s mentions; returns it."""
    return server.wait_until(lambda: next((n.status for n in api.notifications(types=["mention"])
                                           if n.status.in_reply_to_id == status.id), None))


def test_bot_answers_ping_with_pong(mastodon_server, bot, alice):
    asked = alice.status_post("@pingbot ping")
    reply = reply_to(mastodon_server, alice, asked)
    assert (reply.account.acct, stream_bot.plain_text(reply.content)) == ("pingbot", "@alice pong")
    assert (reply.in_reply_to_id, reply.visibility) == (asked.id, "public")


def test_bot_keeps_the_visibility_and_content_warning_of_the_mention(mastodon_server, bot, alice):
    asked = alice.status_post("@pingbot roll", visibility="direct", spoiler_text="dice")
    reply = reply_to(mastodon_server, alice, asked)
    assert (reply.visibility, reply.spoiler_text) == ("direct", "dice")
    assert stream_bot.plain_text(reply.content) == "@alice you rolled a 2"


def test_bot_does_not_answer_follows_or_its_own_posts(mastodon_server, bot, alice):
    alice.account_follow(mastodon_server.account_id("pingbot"))
    asked = alice.status_post("@pingbot what can you do?")
    reply = reply_to(mastodon_server, alice, asked)
    assert stream_bot.plain_text(reply.content) == '@alice I know "ping" and "roll".'
    bot_statuses = bot.api.account_statuses(bot.me)
    assert [s.in_reply_to_id for s in bot_statuses] == [asked.id]


def test_bot_answers_a_mention_made_while_its_stream_was_down(mastodon_server, bot, alice):
    first = alice.status_post("@pingbot ping")
    reply_to(mastodon_server, alice, first)
    mastodon_server.faults.fail(2, path="/api/v1/streaming")  # the first reconnections fail
    mastodon_server.faults.drop_streams()
    missed = alice.status_post("@pingbot ping again")
    reply = reply_to(mastodon_server, alice, missed)
    assert stream_bot.plain_text(reply.content) == "@alice pong"
    assert len(bot.replied) == 2


def test_answers():
    assert stream_bot.answer_to("ping") == "pong"
    assert stream_bot.answer_to("please ROLL", random.Random(4)) == "you rolled a 2"
    assert stream_bot.plain_text('<p>a<br />b</p><p>&amp;c</p>') == "a\nb\n\n&c"
