"""The relay from examples/push_relay.py, end to end on 127.0.0.1: a push encrypted the way
Mastodon sends it is POSTed to the relay, which answers 201, decrypts it, fetches the named
notification from the (recording) Mastodon server and reads its sender and content."""

import importlib.util
import os
import queue

import pytest
import requests

from helpers import assert_sent, stop_http_server
from test_push import mastodon_encrypt, mastodon_payload

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "push_relay.py")


@pytest.fixture(scope="module")
def push_relay():
    spec = importlib.util.spec_from_file_location("push_relay_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def relay(push_relay, api):
    private, public = api.push_subscription_generate_keys()
    received = queue.Queue()
    pushes = queue.Queue()
    running = push_relay.PushRelay(api, private, received.put, on_push=pushes.put).start()
    running.public_keys = public
    running.received, running.pushes = received, pushes
    yield running
    stop_http_server(running._httpd)  # at once: the relay's own stop() waits for a half-second poll
    running.stop()


@pytest.mark.parametrize("standard", [False, True], ids=["aesgcm", "aes128gcm"])
def test_relay_decrypts_push_and_fetches_the_notification(relay, server, push_relay, standard):
    server.fixture("GET_api_v1_notifications_id_200", path="/api/v1/notifications/20")
    body, headers = mastodon_encrypt(mastodon_payload(notification_id=20), relay.public_keys, standard=standard)
    answer = requests.post(relay.url, data=body, headers=headers, timeout=5)
    assert answer.status_code == 201

    notification = relay.received.get(timeout=5)
    assert relay.pushes.get_nowait().notification_id == 20
    assert_sent(server, "GET", "/api/v1/notifications/20")
    assert notification.id == 20 and notification.type == "mention"
    assert notification.account.acct == "admin"
    assert "hello!" in notification.status.content
    assert push_relay.describe(notification) == "@admin mention: @mastodonpy_test hello!"


def test_relay_refuses_a_push_for_another_subscription(relay, server, api):
    _, other_public = api.push_subscription_generate_keys()
    body, headers = mastodon_encrypt(mastodon_payload(notification_id=20), other_public)
    answer = requests.post(relay.url, data=body, headers=headers, timeout=5)
    assert answer.status_code == 400
    assert relay.received.empty() and server.requests == []


def test_relay_answers_201_even_when_the_notification_is_gone(relay, server):
    body, headers = mastodon_encrypt(mastodon_payload(notification_id=404404), relay.public_keys, standard=True)
    assert requests.post(relay.url, data=body, headers=headers, timeout=5).status_code == 201
    assert relay.pushes.get(timeout=5).notification_id == 404404
    # The fetch failed (404 from the server): nothing is handed on.
    with pytest.raises(queue.Empty):
        relay.received.get(timeout=0.3)
    assert server.last.path == "/api/v1/notifications/404404"
