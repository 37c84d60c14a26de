"""mastodon.testing: streaming (user, notification, public, local, hashtag and list streams),
fault injection on REST calls and streams, and ``python -m mastodon.testing``."""

import os
import queue
import subprocess
import sys
import time

import pytest
import requests

from mastodon import StreamListener
from mastodon.errors import (
    MastodonInternalServerError,
    MastodonNetworkError,
    MastodonServiceUnavailableError,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Recorder(StreamListener):
    """Puts ``(event, payload)`` pairs on a queue."""

    def __init__(self):
        self.events = queue.Queue()

    def on_update(self, status):
        self.events.put(("update", status))

    def on_notification(self, notification):
        self.events.put(("notification", notification))

    def on_delete(self, status_id):
        self.events.put(("delete", status_id))

    def on_status_update(self, status):
        self.events.put(("status.update", status))

    def on_filters_changed(self):
        self.events.put(("filters_changed", None))

    def next(self, timeout=5.0):
        return self.events.get(timeout=timeout)

    def none_within(self, seconds=0.2):
        try:
            event = self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        raise AssertionError(f"unexpected event {event[0]}")


@pytest.fixture
def alice(mastodon_server):
    return mastodon_server.client("alice", mastodon_version="4.5.0")


@pytest.fixture
def bob(mastodon_server):
    return mastodon_server.client("bob", mastodon_version="4.5.0")


@pytest.fixture
def streams():
    handles = []
    yield handles
    for handle in handles:
        handle.close()


def test_user_stream_hears_updates_notifications_edits_and_deletes(mastodon_server, alice, bob, streams):
    recorder = Recorder()
    streams.append(alice.stream_user(recorder, run_async=True))
    alice.account_follow(mastodon_server.account_id("bob"))
    recorder.none_within(0.05)  # the follow notifies bob, not alice
    status = bob.toot("hello followers")
    event, update = recorder.next()
    assert (event, update.id, update.account.acct, update.favourited) == ("update", status.id, "bob", False)
    bob.status_update(status.id, "hello, followers")
    event, edited = recorder.next()
    assert (event, edited.id, edited.content) == ("status.update", status.id, "<p>hello, followers</p>")
    bob.status_delete(status.id)
    assert recorder.next() == ("delete", status.id)
    mention = bob.toot("@alice are you there?")
    # A notification, and the status in alice's home (she follows bob), in either order.
    events = dict([recorder.next(), recorder.next()])
    assert (events["notification"].type, events["notification"].status.id) == ("mention", mention.id)
    assert events["update"].id == mention.id
    alice.create_filter_v2("words", ["home"], "warn", keywords_attributes=[{"keyword": "words"}])
    assert recorder.next() == ("filters_changed", None)


def test_own_posts_reach_the_own_user_stream_first_thing(alice, streams):
    recorder = Recorder()
    streams.append(alice.stream_user(recorder, run_async=True))
    posted = alice.toot("my own")
    event, update = recorder.next()
    assert (event, update.id, update.content) == ("update", posted.id, "<p>my own</p>")
    recorder.none_within(0.1)


def test_notification_stream_carries_only_notifications(mastodon_server, alice, bob, streams):
    recorder = Recorder()
    streams.append(alice.stream_user_notifications(recorder, run_async=True))
    alice.toot("my own update is not sent here")
    bob.account_follow(mastodon_server.account_id("alice"))
    event, notification = recorder.next()
    assert (event, notification.type, notification.account.acct) == ("notification", "follow", "bob")
    recorder.none_within(0.1)


def test_public_local_and_hashtag_streams(mastodon_server, alice, bob, streams):
    public, local, tagged, tagged_local, remote = Recorder(), Recorder(), Recorder(), Recorder(), Recorder()
    streams.append(bob.stream_public(public, run_async=True))
    streams.append(bob.stream_local(local, run_async=True))
    streams.append(bob.stream_hashtag("Cats", tagged, run_async=True))
    streams.append(bob.stream_hashtag("cats", tagged_local, local=True, run_async=True))
    streams.append(bob.stream_public(remote, remote=True, run_async=True))
    alice.status_post("quiet", visibility="unlisted")
    alice.toot("no tag")
    shout = alice.toot("loud #cats")
    for recorder in (public, local):
        assert recorder.next()[1].content == "<p>no tag</p>"
    for recorder in (public, local, tagged, tagged_local):
        event, update = recorder.next()
        assert (event, update.id, update.tags[0].name) == ("update", shout.id, "cats")
    alice.status_delete(shout.id)
    for recorder in (public, local, tagged, tagged_local):
        assert recorder.next() == ("delete", shout.id)
        recorder.none_within(0.01)
    remote.none_within(0.01)  # everything on an in-memory server is local


def test_list_stream(mastodon_server, alice, bob, streams):
    alice.account_follow(mastodon_server.account_id("bob"))
    friends = alice.list_create("friends")
    alice.list_accounts_add(friends, [mastodon_server.account_id("bob")])
    recorder = Recorder()
    streams.append(alice.stream_list(friends, recorder, run_async=True))
    status = bob.toot("for my listeners")
    assert recorder.next()[1].id == status.id
    mastodon_server.client("carol").toot("not on the list")
    recorder.none_within(0.1)


def test_streams_check_the_token(mastodon_server, alice):
    anonymous = mastodon_server.client("carol", access_token=None, mastodon_version="4.5.0")
    with pytest.raises(MastodonNetworkError) as error:
        anonymous.stream_user(Recorder(), run_async=True)
    assert error.value.status_code == 401
    answer = requests.get(mastodon_server.url + "/api/v1/streaming/user", headers={"Authorization": "Bearer x"},
                          timeout=5)
    assert (answer.status_code, answer.json()) == (401, {"error": "Invalid access token"})
    answer = requests.get(mastodon_server.url + "/api/v1/streaming/direct", timeout=5,
                          headers={"Authorization": "Bearer " + mastodon_server.token("alice")})
    assert (answer.status_code, answer.json()) == (404, {"error": "Record not found"})


@pytest.mark.parametrize("mastodon_server_options", [{"heartbeat": 0.1}])
def test_stream_opens_with_a_smiley_and_sends_heartbeats(mastodon_server, alice):
    with requests.get(mastodon_server.url + "/api/v1/streaming/public", stream=True, timeout=5) as answer:
        assert answer.headers["Content-Type"] == "text/event-stream"
        lines = answer.iter_lines()
        assert [next(lines), next(lines)] == [b":)", b":thump"]
        alice.toot("hi")
        assert next(lines) == b"event: update"
        assert next(lines).startswith(b'data: {"id":"')


def test_dropped_stream_reconnects_and_backfills_what_it_missed(mastodon_server, alice, bob, streams):
    recorder = Recorder()
    handle = alice.stream_user(recorder, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.05,
                               backfill=True)
    streams.append(handle)
    first = bob.toot("@alice hi")
    assert recorder.next()[1].status.id == first.id  # backfill starts from the last event seen
    mastodon_server.faults.fail(1, status=502, path="/api/v1/streaming")
    mastodon_server.faults.drop_streams()
    missed = bob.toot("@alice while you were away")
    event, notification = recorder.next()
    assert (event, notification.status.id) == ("notification", missed.id)
    mastodon_server.wait_until(lambda: handle.reconnects >= 1 and mastodon_server.open_streams == 1)
    after = bob.toot("@alice welcome back")
    assert recorder.next()[1].status.id == after.id


@pytest.mark.parametrize("mastodon_server_options", [{"heartbeat": 0.1}])
def test_stalled_stream_trips_the_liveness_check(mastodon_server, alice, streams):
    recorder = Recorder()
    handle = alice.stream_user(recorder, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.05,
                               liveness_timeout=0.5)
    streams.append(handle)
    time.sleep(0.2)  # a heartbeat or two: the client learns this server sends them
    mastodon_server.faults.stall_streams(5)
    mastodon_server.wait_until(lambda: handle.reconnects >= 1, timeout=5)
    posted = alice.toot("after the stall")
    assert recorder.next()[1].id == posted.id


def test_rest_faults_fail_drop_and_stall_the_next_requests(mastodon_server):
    api = mastodon_server.client("alice", mastodon_version="4.5.0", request_timeout=0.3)
    mastodon_server.faults.fail(1)
    with pytest.raises(MastodonServiceUnavailableError) as unavailable:
        api.timeline_home()
    assert "nginx" in unavailable.value.response.text
    mastodon_server.faults.fail(1, status=500)
    with pytest.raises(MastodonInternalServerError) as internal:
        api.timeline_home()
    assert internal.value.error == "We're sorry, but something went wrong on our end."
    mastodon_server.faults.drop(1)
    with pytest.raises(MastodonNetworkError):
        api.timeline_home()
    mastodon_server.faults.stall(1, seconds=0.6)
    with pytest.raises(MastodonNetworkError):
        api.timeline_home()
    mastodon_server.faults.fail(1, path="/api/v1/notifications")
    assert api.timeline_home() == []  # other paths are not affected
    assert mastodon_server.faults.pending == 1
    mastodon_server.faults.clear()
    assert api.notifications() == []


def test_wait_until_raises_after_its_timeout(mastodon_server):
    with pytest.raises(TimeoutError):
        mastodon_server.wait_until(lambda: False, timeout=0.1)


def test_python_m_mastodon_testing_serves_another_process():
    help_text = subprocess.run([sys.executable, "-m", "mastodon.testing", "--help"], capture_output=True, text=True,
                               check=True, timeout=30).stdout
    assert "--account NAME" in help_text and "--port" in help_text
    process = subprocess.Popen([sys.executable, "-u", "-m", "mastodon.testing", "--port", "0", "--account", "bot",
                                "--sign-in", "alice"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        banner = process.stdout.readline()
        assert banner.startswith("mastodon.testing: Mastodon 4.5 stand-in at http://127.0.0.1:")
        url = banner.split(" at ")[1].split()[0]
        token = process.stdout.readline().strip().split("access token ")[1]
        assert process.stdout.readline().startswith("@alice approves authorization requests")
        from mastodon import Mastodon
        bot = Mastodon(api_base_url=url, access_token=token)
        assert bot.status_post("running elsewhere").account.acct == "bot"
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0  # SIGTERM stops it cleanly
