"""Streaming in the background: the handle, reconnects with backoff, liveness, gap backfill,
prompt close, and a soak run."""

import logging
import os
import threading
import time

import pytest

from helpers import WaitingListener
from server import Response
from sse_server import sse_event

import mastodon.streaming as streaming
from mastodon import StreamListener
from mastodon.errors import MastodonNetworkError, MastodonReadTimeout
from mastodon.streaming import StreamHandle, _Backoff, _EventGate


class Recorder(WaitingListener, StreamListener):
    def on_update(self, status):
        self._add(("update", status.id))

    def on_notification(self, notification):
        self._add(("notification", notification.id))

    def on_delete(self, status_id):
        self._add(("delete", status_id))

    def on_abort(self, err):
        self._add(("abort", err))


    def events(self):
        return [call for call in self.calls if call[0] != "abort"]

    def aborts(self):
        return [call[1] for call in self.calls if call[0] == "abort"]


def stream_threads():
    return [t for t in threading.enumerate() if t.name.startswith("mastodon-stream")]


def statuses(*ids):
    return b"".join(sse_event("update", f'{{"id": "{i}"}}') for i in ids)


def send_then(data, then):
    def script(stream):
        stream.heartbeat(")")
        if data:
            stream.write(data)
        if then == "drop":
            stream.drop()
        elif then == "stall":
            stream.stall(30)
        else:
            stream.end()
    return script


def answer(status):
    return lambda stream: stream.respond(status, {"error": "unavailable"})


# ---------------------------------------------------------------------------------------------
# The handle


def test_async_handle_delivers_events_and_closes_within_a_second_while_stalled(stream_api, sse):
    sse.serve(send_then(statuses(1, 2), "stall"))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True)
    assert isinstance(handle, StreamHandle)
    assert listener.wait_for(lambda calls: len(calls) == 2)
    assert handle.is_alive() and handle.is_receiving() and handle.running
    assert handle.connection is not None and not handle.closed and not handle.reconnecting
    started = time.monotonic()
    handle.close()
    assert time.monotonic() - started < 1.0
    assert handle.closed and not handle.running and not handle.is_alive() and not handle.is_receiving()
    assert stream_threads() == []
    assert listener.calls == [("update", 1), ("update", 2)]  # a deliberate close is no abort


def test_close_while_waiting_to_reconnect_returns_within_a_second(stream_api, sse):
    sse.serve(send_then(statuses(1), "drop"), answer(502))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=30)
    assert listener.wait_for(lambda calls: len(calls) >= 2)
    deadline = time.monotonic() + 5
    while not handle.reconnecting and time.monotonic() < deadline:
        time.sleep(0.01)
    assert handle.reconnecting and not handle.is_receiving() and handle.is_alive()
    started = time.monotonic()
    handle.close()
    assert time.monotonic() - started < 1.0
    assert stream_threads() == [] and not handle.running


def test_close_from_inside_a_handler_stops_the_stream(stream_api, sse):
    holder = {}

    class Closer(Recorder):
        def on_update(self, status):
            super().on_update(status)
            holder["handle"].close()

    sse.serve(send_then(statuses(1, 2, 3), "stall"))
    listener = Closer()
    # The first event may arrive before the handle is returned; hold it back until then.
    gate = threading.Event()
    original = Closer.on_update

    def delayed(self, status):
        gate.wait(5)
        original(self, status)

    listener.on_update = delayed.__get__(listener)
    holder["handle"] = handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True)
    gate.set()
    handle._thread.join(2)
    assert not handle.is_alive() and handle.closed
    assert listener.events() == [("update", 1)] and listener.aborts() == []
    handle._watchdog.join(1)
    assert stream_threads() == []


def test_async_without_reconnect_ends_when_the_connection_drops(stream_api, sse):
    sse.serve(send_then(statuses(1), "drop"))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, liveness_timeout=None)
    handle._thread.join(5)
    assert not handle.is_alive() and not handle.running
    assert listener.events() == [("update", 1)]
    assert len(listener.aborts()) == 1 and isinstance(listener.aborts()[0], MastodonNetworkError)
    assert handle.last_error is listener.aborts()[0]
    assert len(sse.connections) == 1
    handle.close()


def test_async_initial_failure_without_reconnect_raises(stream_api, sse):
    sse.serve(answer(401))
    with pytest.raises(MastodonNetworkError) as caught:
        stream_api.stream_user(Recorder(), run_async=True)
    assert caught.value.status_code == 401
    assert stream_threads() == []


def test_async_initial_failure_with_reconnect_keeps_trying(stream_api, sse):
    sse.serve(answer(502), send_then(statuses(5), "stall"))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.05)
    try:
        assert listener.wait_for(lambda calls: ("update", 5) in calls)
        assert handle.is_receiving()
        assert listener.aborts()[0].status_code == 502
    finally:
        handle.close()


def test_reconnects_after_a_drop_and_continues(stream_api, sse):
    sse.serve(send_then(statuses(1, 2), "drop"), send_then(statuses(3), "stall"))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.05)
    try:
        assert listener.wait_for(lambda calls: ("update", 3) in calls)
        assert listener.events() == [("update", 1), ("update", 2), ("update", 3)]
        assert [type(e) for e in listener.aborts()] == [MastodonNetworkError]
        assert handle.reconnects == 1 and len(sse.connections) == 2
        assert sse.connections[1].headers["authorization"] == sse.connections[0].headers["authorization"]
    finally:
        handle.close()


def test_listener_exception_is_logged_and_the_stream_goes_on(stream_api, sse, caplog):
    class Fragile(Recorder):
        def on_update(self, status):
            if status.id == 1:
                raise RuntimeError("bot bug")
            super().on_update(status)

    sse.serve(send_then(statuses(1), "stall"), send_then(statuses(2), "stall"))
    listener = Fragile()
    with caplog.at_level(logging.ERROR, logger="mastodon.streaming"):
        handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.01)
        try:
            assert listener.wait_for(lambda calls: ("update", 2) in calls)
        finally:
            handle.close()
    assert "bot bug" in caplog.text


# ---------------------------------------------------------------------------------------------
# Backoff


def test_backoff_doubles_from_the_first_wait_up_to_the_cap():
    backoff = _Backoff(5, cap=60, rng=lambda: 0.0)
    assert [backoff.next_delay(None) for _ in range(6)] == [5, 10, 20, 40, 60, 60]


def test_backoff_is_jittered_downwards_only():
    low = _Backoff(5, cap=60, jitter=0.2, rng=lambda: 1.0)
    assert [low.next_delay(None) for _ in range(3)] == [4.0, 8.0, 16.0]
    import random
    rng = random.Random(7)
    spread = _Backoff(5, cap=60, rng=rng.random)
    first = [spread.next_delay(None) for _ in range(1)] + [_Backoff(5, rng=rng.random).next_delay(None) for _ in range(50)]
    assert all(4.0 <= d <= 5.0 for d in first) and len(set(first)) > 10


def test_backoff_starts_over_after_a_healthy_connection():
    backoff = _Backoff(1, cap=60, healthy_after=60, rng=lambda: 0.0)
    assert [backoff.next_delay(None) for _ in range(3)] == [1, 2, 4]
    assert backoff.next_delay(5.0) == 8  # a short-lived connection does not reset it
    assert backoff.next_delay(61.0) == 0  # reconnect at once after a healthy period
    assert backoff.next_delay(None) == 1


def test_reconnect_waits_follow_the_backoff(stream_api, sse, monkeypatch):
    waits = []

    def fake_wait(self, seconds):
        waits.append(round(seconds, 6))
        return self._stop.is_set()

    monkeypatch.setattr(StreamHandle, "_wait", fake_wait)
    monkeypatch.setattr(StreamHandle, "_random", staticmethod(lambda: 0.5))
    sse.serve(send_then(statuses(1), "drop"), answer(502), answer(503), answer(502), send_then(statuses(2), "stall"))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=1,
                                    reconnect_max_wait_sec=3)
    try:
        assert listener.wait_for(lambda calls: ("update", 2) in calls)
    finally:
        handle.close()
    assert waits == [0.9, 1.8, 2.7, 2.7]
    assert [getattr(e, "status_code", None) for e in listener.aborts()] == [None, 502, 503, 502]


def test_reconnect_is_immediate_after_a_healthy_connection(stream_api, sse, monkeypatch):
    waits = []
    ticks = iter(range(0, 10 ** 9, 100))

    def fake_wait(self, seconds):
        waits.append(round(seconds, 6))
        return self._stop.is_set()

    monkeypatch.setattr(StreamHandle, "_wait", fake_wait)
    monkeypatch.setattr(StreamHandle, "_random", staticmethod(lambda: 0.0))
    monkeypatch.setattr(StreamHandle, "_clock", staticmethod(lambda: next(ticks)))
    sse.serve(send_then(statuses(1), "drop"), answer(502), send_then(statuses(2), "stall"))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=2,
                                    liveness_timeout=None)
    try:
        assert listener.wait_for(lambda calls: ("update", 2) in calls)
    finally:
        handle.close()
    # Long-lived first connection: no wait; then the 502 starts the backoff at the first wait.
    assert waits == [2.0]


# ---------------------------------------------------------------------------------------------
# Liveness


def test_silent_connection_is_replaced_in_async_mode(stream_api, sse):
    sse.serve(send_then(statuses(1), "stall"), send_then(statuses(2), "stall"))
    listener = Recorder()
    started = time.monotonic()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.01,
                                    liveness_timeout=0.3)
    try:
        assert listener.wait_for(lambda calls: ("update", 2) in calls)
        assert 0.25 < time.monotonic() - started < 3
        assert [type(e) for e in listener.aborts()] == [MastodonReadTimeout]
    finally:
        handle.close()


def test_heartbeats_keep_a_quiet_stream_alive(stream_api, sse):
    def script(stream):
        for _ in range(8):
            stream.heartbeat()
            time.sleep(0.1)
        stream.write(statuses(1))
        stream.stall(30)

    sse.serve(script)
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, liveness_timeout=0.3)
    try:
        assert listener.wait_for(lambda calls: ("update", 1) in calls)
        assert listener.aborts() == [] and len(sse.connections) == 1
    finally:
        handle.close()


# ---------------------------------------------------------------------------------------------
# Gap backfill


class Timeline:
    """REST side of a timeline: items 1..head, answering like Mastodon (newest first): with
    ``min_id`` the ``limit`` items just above it, else the newest ``limit`` items between
    ``since_id`` and ``max_id``."""

    def __init__(self, head=0, extra=None):
        self.head = head
        self.extra = extra or {}

    def __call__(self, recorded):
        query = dict(recorded.query)
        limit = int(query.get("limit", 20))
        top = min(self.head, int(query.get("max_id", self.head + 1)) - 1)
        if "min_id" in query:
            low = int(query["min_id"])
            top = min(top, low + limit)
        else:
            low = max(int(query.get("since_id", 0)), top - limit)
        return Response(200, [dict(self.extra, id=str(i)) for i in range(top, low, -1)])


def test_backfill_delivers_missed_statuses_and_notifications_once_in_order(stream_api, server, sse):
    home = Timeline(head=8, extra={"created_at": "2026-08-01T10:00:00.000Z"})
    notes = Timeline(head=3, extra={"type": "mention", "created_at": "2026-08-01T10:00:30.000Z"})
    server.route("GET", "/api/v1/timelines/home", handler=home)
    server.route("GET", "/api/v1/notifications", handler=notes)
    first = statuses(1, 2) + sse_event("notification", '{"id": "1", "type": "mention"}') + statuses(3, 4, 5)
    # Statuses 6..8 and notifications 2..3 appear while disconnected; 8 also arrives live.
    second = statuses(8, 9) + sse_event("notification", '{"id": "4", "type": "mention"}')
    sse.serve(send_then(first, "drop"), send_then(second, "stall"))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.01,
                                    backfill=True)
    try:
        assert listener.wait_for(lambda calls: ("notification", 4) in calls)
    finally:
        handle.close()
    assert listener.events() == [
        ("update", 1), ("update", 2), ("notification", 1), ("update", 3), ("update", 4), ("update", 5),
        ("update", 6), ("update", 7), ("update", 8), ("notification", 2), ("notification", 3),
        ("update", 9), ("notification", 4)]
    rest = [(r.path, r.query) for r in server.requests if r.path != "/api/v1/instance/"]
    # One short page each ends the gap.
    assert rest == [
        ("/api/v1/timelines/home", [("since_id", "5"), ("limit", "40")]),
        ("/api/v1/notifications", [("since_id", "1"), ("limit", "80")]),
    ]


@pytest.mark.parametrize("call, rest_path, rest_query", [
    (lambda api, l, **kw: api.stream_public(l, **kw), "/api/v1/timelines/public", []),
    (lambda api, l, **kw: api.stream_local(l, **kw), "/api/v1/timelines/public", [("local", "1")]),
    (lambda api, l, **kw: api.stream_public(l, remote=True, **kw), "/api/v1/timelines/public", [("remote", "1")]),
    (lambda api, l, **kw: api.stream_hashtag("python", l, local=True, **kw), "/api/v1/timelines/tag/python",
     [("local", "1")]),
    (lambda api, l, **kw: api.stream_list(7, l, **kw), "/api/v1/timelines/list/7", []),
])
def test_backfill_reads_the_matching_timeline(call, rest_path, rest_query, stream_api, server, sse):
    server.route("GET", rest_path, handler=Timeline(head=4))
    sse.serve(send_then(statuses(1, 2), "drop"), send_then(statuses(5), "stall"))
    listener = Recorder()
    handle = call(stream_api, listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.01,
                  backfill=True)
    try:
        assert listener.wait_for(lambda calls: ("update", 5) in calls)
    finally:
        handle.close()
    assert listener.events() == [("update", i) for i in range(1, 6)]
    first = next(r for r in server.requests if r.path == rest_path)
    assert first.query == rest_query + [("since_id", "2"), ("limit", "40")]


def test_no_backfill_unless_asked(stream_api, server, sse):
    sse.serve(send_then(statuses(1), "drop"), send_then(statuses(3), "stall"))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.01)
    try:
        assert listener.wait_for(lambda calls: ("update", 3) in calls)
    finally:
        handle.close()
    assert [r.path for r in server.requests] == ["/api/v1/instance/"]


def test_backfill_that_fails_on_the_network_is_retried_with_the_next_connection(stream_api, server, sse):
    from server import DROP
    home = Timeline(head=3)
    answers = iter([DROP])
    server.route("GET", "/api/v1/timelines/home", handler=lambda r: next(answers, None) or home(r))
    sse.serve(send_then(statuses(1), "drop"), send_then(statuses(4), "stall"))
    listener = Recorder()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.01,
                                    backfill=True)
    try:
        assert listener.wait_for(lambda calls: ("update", 4) in calls)
    finally:
        handle.close()
    assert listener.events() == [("update", i) for i in range(1, 5)]


def test_event_gate_memory_is_bounded():
    gate = _EventGate(["update"], remember=100)
    assert all(gate.admit("update", {"id": i}) for i in range(1000))
    assert gate.remembered() == 100 and gate.last_id["update"] == 999
    assert not gate.admit("update", {"id": 950}) and gate.admit("update", {"id": 5})
    assert gate.admit("delete", 999) and gate.admit("delete", 999)


# ---------------------------------------------------------------------------------------------
# Soak: 200,000 events, a drop every 10,000, backfill on


def _rss_bytes():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_soak_200k_events_with_drops_and_backfill_every_event_exactly_once(stream_api, server, sse):
    total, every, gap, overlap = 200_000, 10_000, 60, 5
    timeline = Timeline()
    server.route("GET", "/api/v1/timelines/home", handler=timeline)
    state = {"connection": 0}

    def script(stream):
        k = state["connection"]
        state["connection"] += 1
        first = k * every + 1 + (gap if k else 0)
        last = min((k + 1) * every, total)
        # Events before `first` were published while nobody listened; the REST timeline also
        # already shows the first few live ones, which must not be delivered twice.
        timeline.head = min(first - 1 + overlap, last) if k else 0
        body = b"".join(b'event: update\ndata: {"id":"%d"}\n\n' % i for i in range(first, last + 1))
        stream.heartbeat(")")
        stream.write_pieces(body, 64 * 1024)
        if last == total:
            stream.stall(60)
        else:
            stream.drop()

    class Counter(StreamListener):
        def __init__(self):
            self.ids = []
            self.rss_at_20k = None
            self.done = threading.Event()

        def on_update(self, status):
            self.ids.append(status.id)
            if len(self.ids) == 20_000:
                self.rss_at_20k = _rss_bytes()
            if len(self.ids) == total:
                self.done.set()

    sse.serve(script)
    listener = Counter()
    started = time.monotonic()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0,
                                    backfill=True)
    try:
        assert listener.done.wait(120), f"only {len(listener.ids)} events"
        time.sleep(0.05)
    finally:
        handle.close()
    elapsed = time.monotonic() - started
    assert listener.ids == list(range(1, total + 1))
    assert handle.reconnects == total // every - 1
    assert handle._gate.remembered() <= streaming._RECENT_IDS
    growth = _rss_bytes() - listener.rss_at_20k
    # The ids list itself grows by ~180,000 small ints (~7 MB); everything else must stay flat.
    assert growth < 24 * 1024 * 1024, growth
    assert stream_threads() == []
    print(f"soak: {total} events in {elapsed:.2f} s")
