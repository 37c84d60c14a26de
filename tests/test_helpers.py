"""The shared test helpers hold the suite up, so they are tested too: assert_sent must fail on
every kind of difference, or the tests built on it prove nothing."""

import pytest
import requests

from helpers import TOKEN, FakeClock, assert_sent, fixture, fixture_body, spy

BEARER = {"Authorization": "Bearer " + TOKEN}


def send(server, method, path, **kwargs):
    headers = dict(BEARER, **kwargs.pop("headers", {}))
    requests.request(method, server.url + path, headers=headers, timeout=5, **kwargs)


def test_assert_sent_accepts_the_exact_request_and_returns_it(server):
    send(server, "POST", "/api/v1/x?a=1&b=2", data={"k": "v"}, headers={"Idempotency-Key": "i"})
    sent = assert_sent(server, "POST", "/api/v1/x", query=[("a", "1"), ("b", "2")], form=[("k", "v")],
                       headers={"idempotency-key": "i", "x-missing": None})
    assert sent is server.last


def test_assert_sent_reads_json_and_raw_bodies(server):
    send(server, "PUT", "/j", json={"id": [1]})
    assert_sent(server, "PUT", "/j", json={"id": [1]})
    server.clear()
    send(server, "PUT", "/raw", data=b"\x00bytes")
    assert_sent(server, "PUT", "/raw", body=b"\x00bytes")


@pytest.mark.parametrize("expected", [
    dict(method="PUT"),
    dict(path="/api/v1/y"),
    dict(query=[("a", "1")]),  # the request had none
    dict(form=[("k", "other")]),
    dict(headers={"user-agent": "someone else"}),
    dict(token="another-token"),
    dict(token=None),
])
def test_assert_sent_fails_on_any_difference(server, expected):
    send(server, "POST", "/api/v1/x", data={"k": "v"})
    call = dict(method="POST", path="/api/v1/x", form=[("k", "v")])
    call.update(expected)
    with pytest.raises(AssertionError):
        assert_sent(server, call.pop("method"), call.pop("path"), **call)


def test_assert_sent_fails_on_an_unexpected_body_or_a_second_request(server):
    send(server, "DELETE", "/api/v1/x", data={"k": "v"})
    with pytest.raises(AssertionError):
        assert_sent(server, "DELETE", "/api/v1/x")
    assert_sent(server, "DELETE", "/api/v1/x", form=[("k", "v")])
    send(server, "DELETE", "/api/v1/x", data={"k": "v"})
    with pytest.raises(AssertionError):
        assert_sent(server, "DELETE", "/api/v1/x", form=[("k", "v")])


def test_assert_sent_fails_when_nothing_was_sent(server):
    with pytest.raises(AssertionError):
        assert_sent(server, "GET", "/")


def test_fixture_body_is_the_body_of_the_fixture():
    assert fixture_body("GET_api_v1_statuses_id_200") == fixture("GET_api_v1_statuses_id_200.json")["body"]


def test_fake_clock_moves_only_when_slept_on():
    clock = FakeClock()
    start = clock.monotonic()
    clock.sleep(1.5)
    clock.sleep(0)
    assert (clock.monotonic() - start, clock.time() - start, clock.sleeps) == (1.5, 1.5, [1.5, 0])


def test_spy_records_and_lets_calls_through(monkeypatch):
    class Target:
        @staticmethod
        def add(a, b=0):
            return a + b

    calls = spy(monkeypatch, Target, "add")
    assert Target.add(1, b=2) == 3
    assert calls == [((1,), {"b": 2})]
