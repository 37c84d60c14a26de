"""mastodon.testing: WebSocket streaming on /api/v1/streaming (several streams on one
connection, refused subscriptions, the token in the handshake, faults), through the library's
WebSocket client."""

import queue
import time

import pytest
import requests

from mastodon import StreamListener
from mastodon.errors import MastodonNetworkError

pytest.importorskip("websockets")


class Recorder(StreamListener):
    def __init__(self):
        self.events = queue.Queue()

    def on_update(self, status):
        self.events.put(("update", status))

    def on_notification(self, notification):
        self.events.put(("notification", notification))

    def on_delete(self, status_id):
        self.events.put(("delete", status_id))

    def on_websocket_error(self, error, stream):
        self.events.put(("error", error))

    def next(self, timeout=5.0):
        return self.events.get(timeout=timeout)


@pytest.fixture
def alice(mastodon_server):
    return mastodon_server.client("alice", mastodon_version="4.5.0")


@pytest.fixture
def bob(mastodon_server):
    return mastodon_server.client("bob", mastodon_version="4.5.0")


@pytest.fixture
def handles():
    opened = []
    yield opened
    for handle in opened:
        handle.close()


def subscribed(server, *labels):
    return lambda: all(list(label) in server.stream_subscriptions for label in labels)


def test_one_websocket_carries_several_streams(mastodon_server, alice, bob, handles):
    home, cats = Recorder(), Recorder()
    handle = alice.stream_open_websocket(home)
    handles.append(handle)
    handle.subscribe("user")
    handle.subscribe("hashtag", cats, tag="Cats")
    mastodon_server.wait_until(subscribed(mastodon_server, ["user"], ["hashtag", "Cats"]))
    assert mastodon_server.open_streams == 1
    posted = bob.toot("@alice look: #cats")
    event, notification = home.next()
    assert (event, notification.type, notification.status.id) == ("notification", "mention", posted.id)
    event, update = cats.next()
    assert (event, update.id, update.account.acct) == ("update", posted.id, "bob")
    bob.status_delete(posted.id)
    assert cats.next() == ("delete", posted.id)

    handle.unsubscribe("hashtag", tag="cats")
    mastodon_server.wait_until(lambda: ["hashtag", "Cats"] not in mastodon_server.stream_subscriptions)
    bob.toot("#cats again")
    own = alice.toot("mine")
    assert home.next()[1].id == own.id
    assert cats.events.empty()


def test_stream_methods_subscribe_on_a_websocket_handle(mastodon_server, alice, bob, handles):
    alice.account_follow(mastodon_server.account_id("bob"))
    friends = alice.list_create("friends")
    alice.list_accounts_add(friends, [mastodon_server.account_id("bob")])
    handle = alice.stream_open_websocket()
    handles.append(handle)
    listed = Recorder()
    alice.stream_list(friends, listed, websocket_handle=handle)
    mastodon_server.wait_until(subscribed(mastodon_server, ["list", str(friends.id)]))
    posted = bob.toot("to my listeners")
    assert listed.next()[1].id == posted.id


def test_refused_subscription_gets_an_error_frame(mastodon_server, alice, handles):
    recorder = Recorder()
    handle = alice.stream_open_websocket(recorder)
    handles.append(handle)
    handle.subscribe("list", list=12345)
    event, error = recorder.next()
    assert (event, error.status_code, error.error) == ("error", 404, "Record not found")
    handle.subscribe("direct")
    event, error = recorder.next()
    assert (event, error.status_code, error.error) == ("error", 400, "Unknown stream type")


def test_invalid_token_is_refused_at_the_handshake(mastodon_server):
    stale = mastodon_server.client("alice", access_token="not-a-token", mastodon_version="4.5.0")
    with pytest.raises(MastodonNetworkError) as error:
        stale.stream_open_websocket(Recorder())
    assert error.value.status_code == 401
    plain = requests.get(mastodon_server.url + "/api/v1/streaming", timeout=5)
    assert (plain.status_code, plain.json()) == (404, {"error": "Record not found"})


def test_dropped_websocket_reconnects_subscribes_again_and_backfills(mastodon_server, alice, bob, handles):
    recorder = Recorder()
    handle = alice.stream_open_websocket(recorder, reconnect_async=True, reconnect_async_wait_sec=0.05,
                                         backfill=True)
    handles.append(handle)
    handle.subscribe("user")
    mastodon_server.wait_until(subscribed(mastodon_server, ["user"]))
    first = bob.toot("@alice one")
    assert recorder.next()[1].status.id == first.id
    mastodon_server.faults.fail(1, path="/api/v1/streaming")
    mastodon_server.faults.drop_streams()
    missed = bob.toot("@alice while you were away")
    assert recorder.next()[1].status.id == missed.id
    mastodon_server.wait_until(subscribed(mastodon_server, ["user"]))
    after = bob.toot("@alice welcome back")
    assert recorder.next()[1].status.id == after.id
    assert handle.reconnects >= 1


@pytest.mark.parametrize("mastodon_server_options", [{"heartbeat": 0.1}])
def test_stalled_websocket_trips_the_liveness_check(mastodon_server, alice, handles):
    recorder = Recorder()
    handle = alice.stream_open_websocket(recorder, reconnect_async=True, reconnect_async_wait_sec=0.05,
                                         liveness_timeout=0.5)
    handles.append(handle)
    handle.subscribe("user")
    mastodon_server.wait_until(subscribed(mastodon_server, ["user"]))
    time.sleep(0.15)
    mastodon_server.faults.stall_streams(5)
    # The new connection has subscribed once the stalled one is gone and a stream is heard.
    mastodon_server.wait_until(lambda: handle.reconnects >= 1 and mastodon_server.open_streams == 1
                               and ["user"] in mastodon_server.stream_subscriptions, timeout=5)
    posted = alice.toot("after the stall")
    assert recorder.next()[1].id == posted.id
