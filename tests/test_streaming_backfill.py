"""Gap backfill after a reconnect: the whole gap in the fewest REST requests, oldest first and
exactly once; an optional page cap whose skipped range reaches ``on_gap``; and the SSE parser
against arbitrary and hostile input."""

import bisect
import datetime
import json
import logging
import socket
import struct
import threading
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import WaitingListener
from server import Response
from sse_server import sse_event

import mastodon.streaming as streaming
from mastodon import CallbackStreamListener, StreamListener
from mastodon.errors import MastodonError, MastodonIllegalArgumentError, MastodonMalformedEventError
from mastodon.streaming import SSEStreamHandle, _EventGate, _id_order

T0 = datetime.datetime(2026, 8, 1, 10, 0, tzinfo=datetime.timezone.utc)


class MastodonTimeline:
    """The REST side of a timeline (or of the notifications), paginated as Mastodon does it:
    ``limit`` is capped at ``maximum``; with ``min_id`` the items just above it, otherwise the
    newest items between ``since_id`` and ``max_id``; newest first. Ids may have holes."""

    def __init__(self, ids=(), maximum=40, extra=None, created=None):
        self.ids = sorted(ids)
        self.maximum = maximum
        self.extra = extra or {}
        self.created = created  # id -> created_at, for merging statuses and notifications
        self.lock = threading.Lock()

    def publish_up_to(self, last):
        with self.lock:
            start = self.ids[-1] + 1 if self.ids else 1
            self.ids.extend(range(start, last + 1))

    def __call__(self, recorded):
        query = dict(recorded.query)
        limit = min(int(query.get("limit", 20)), self.maximum)
        with self.lock:
            top = bisect.bisect_left(self.ids, int(query["max_id"])) if "max_id" in query else len(self.ids)
            if "min_id" in query:
                low = bisect.bisect_right(self.ids, int(query["min_id"]))
                page = self.ids[low:min(top, low + limit)]
            else:
                low = bisect.bisect_right(self.ids, int(query.get("since_id", 0)))
                page = self.ids[max(low, top - limit):top]
        return Response(200, [self.item(i) for i in reversed(page)])

    def item(self, item_id):
        item = dict(self.extra, id=str(item_id))
        if self.created is not None:
            item["created_at"] = self.created(item_id).isoformat()
        return item


class Recorder(WaitingListener, StreamListener):
    def on_update(self, status):
        self._add(("update", status.id))

    def on_notification(self, notification):
        self._add(("notification", notification.id))

    def on_gap(self, kind, after_id, before_id):
        self._add(("gap", kind, after_id, before_id))


def statuses(*ids):
    return b"".join(sse_event("update", f'{{"id": "{i}"}}') for i in ids)


def notifications(*ids):
    return b"".join(sse_event("notification", f'{{"id": "{i}", "type": "mention"}}') for i in ids)


def send_then(data, then):
    def script(stream):
        stream.heartbeat(")")
        stream.write(data)
        if then == "drop":
            stream.drop()
        else:
            stream.stall(30)
    return script


def rest_requests(server):
    return [(r.path, r.query) for r in server.requests if r.path != "/api/v1/instance/"]


def page(since, max_id=None, limit="40"):
    return ([("max_id", str(max_id))] if max_id is not None else []) + [("since_id", str(since)), ("limit", limit)]


def run_user_stream(stream_api, listener, until, **options):
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0.01,
                                    backfill=True, **options)
    try:
        assert listener.wait_for(until), listener.calls
    finally:
        handle.close()
    return handle


# ---------------------------------------------------------------------------------------------
# The whole gap, in the fewest requests


def test_a_gap_of_three_pages_and_a_bit_is_delivered_whole_in_order_with_four_requests(stream_api, server, sse):
    # Statuses 6..132 (127 = 3 * 40 + 7) are published while the stream is down.
    server.route("GET", "/api/v1/timelines/home", handler=MastodonTimeline(range(1, 133)))
    sse.serve(send_then(statuses(1, 2, 3, 4, 5), "drop"), send_then(statuses(133, 134), "stall"))
    listener = Recorder()
    run_user_stream(stream_api, listener, lambda calls: ("update", 134) in calls)
    assert listener.calls == [("update", i) for i in range(1, 135)]
    # Newest page first, each next one below the oldest id read; the short fourth page ends it.
    assert rest_requests(server) == [
        ("/api/v1/timelines/home", page(5)),
        ("/api/v1/timelines/home", page(5, max_id=93)),
        ("/api/v1/timelines/home", page(5, max_id=53)),
        ("/api/v1/timelines/home", page(5, max_id=13)),
    ]


def test_a_gap_under_one_page_costs_one_request_per_kind_and_kinds_merge_by_time(stream_api, server, sse):
    # Statuses 4..10 and notifications 2..6 are missed; their times interleave.
    home = MastodonTimeline(range(1, 11), created=lambda i: T0 + datetime.timedelta(seconds=10 * i))
    notes = MastodonTimeline(range(1, 7), maximum=80, extra={"type": "mention"},
                             created=lambda i: T0 + datetime.timedelta(seconds=25 * i + 1))
    server.route("GET", "/api/v1/timelines/home", handler=home)
    server.route("GET", "/api/v1/notifications", handler=notes)
    sse.serve(send_then(statuses(1, 2, 3) + notifications(1), "drop"),
              send_then(statuses(11) + notifications(7), "stall"))
    listener = Recorder()
    run_user_stream(stream_api, listener, lambda calls: ("notification", 7) in calls)
    missed = sorted([(home.created(i), ("update", i)) for i in range(4, 11)]
                    + [(notes.created(i), ("notification", i)) for i in range(2, 7)])
    assert listener.calls == ([("update", 1), ("update", 2), ("update", 3), ("notification", 1)]
                              + [call for _, call in missed] + [("update", 11), ("notification", 7)])
    assert rest_requests(server) == [
        ("/api/v1/timelines/home", page(3)),
        ("/api/v1/notifications", page(1, limit="80")),
    ]


def test_backfill_and_live_events_that_overlap_are_delivered_once(stream_api, server, sse):
    # The REST timeline already shows 50..60, which the new connection also streams live.
    server.route("GET", "/api/v1/timelines/home", handler=MastodonTimeline(range(1, 61)))
    sse.serve(send_then(statuses(1, 2, 3, 4, 5), "drop"), send_then(statuses(*range(50, 66)), "stall"))
    listener = Recorder()
    run_user_stream(stream_api, listener, lambda calls: ("update", 65) in calls)
    assert listener.calls == [("update", i) for i in range(1, 66)]
    assert rest_requests(server) == [("/api/v1/timelines/home", page(5)),
                                     ("/api/v1/timelines/home", page(5, max_id=21))]


def test_a_server_that_caps_pages_lower_loses_nothing(stream_api, server, sse):
    # A server that gives at most 40 notifications a page: the short page of 40 is confirmed
    # by one more request, which shows the cap; later pages ask for 40.
    notes = MastodonTimeline(range(1, 102), maximum=40, extra={"type": "mention"})
    server.route("GET", "/api/v1/notifications", handler=notes)
    sse.serve(send_then(notifications(1), "drop"), send_then(notifications(102), "stall"))
    listener = Recorder()
    run_user_stream(stream_api, listener, lambda calls: ("notification", 102) in calls)
    assert listener.calls == [("notification", i) for i in range(1, 103)]
    assert rest_requests(server) == [
        ("/api/v1/notifications", page(1, limit="80")),
        ("/api/v1/notifications", page(1, max_id=62, limit="80")),
        ("/api/v1/notifications", page(1, max_id=22, limit="40")),
    ]


# ---------------------------------------------------------------------------------------------
# A cap, and what it skips


def test_a_page_cap_delivers_the_newest_and_reports_the_older_skipped_range(stream_api, server, sse, caplog):
    server.route("GET", "/api/v1/timelines/home", handler=MastodonTimeline(range(1, 206)))
    sse.serve(send_then(statuses(1, 2, 3, 4, 5), "drop"), send_then(statuses(206), "stall"))
    listener = Recorder()
    with caplog.at_level(logging.WARNING, logger="mastodon.streaming"):
        run_user_stream(stream_api, listener, lambda calls: ("update", 206) in calls, backfill_max_pages=2)
    # 6..125 were not read: reported before the newer events, which all arrive.
    assert listener.calls == ([("update", i) for i in range(1, 6)] + [("gap", "update", 5, 126)]
                              + [("update", i) for i in range(126, 207)])
    assert rest_requests(server) == [("/api/v1/timelines/home", page(5)),
                                     ("/api/v1/timelines/home", page(5, max_id=166))]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [("Backfill of update events stopped after 2 pages (backfill_max_pages): the newest were "
                         "delivered, the older ones after id 5 and before id 126 were skipped")]


def test_a_cap_that_is_not_reached_reports_nothing(stream_api, server, sse):
    server.route("GET", "/api/v1/timelines/home", handler=MastodonTimeline(range(1, 50)))
    sse.serve(send_then(statuses(1), "drop"), send_then(statuses(50), "stall"))
    listener = Recorder()
    run_user_stream(stream_api, listener, lambda calls: ("update", 50) in calls, backfill_max_pages=2)
    assert listener.calls == [("update", i) for i in range(1, 51)]


def test_a_rate_limited_backfill_delivers_what_it_read_and_reports_the_rest(stream_api, server, sse, caplog):
    timeline = MastodonTimeline(range(1, 106))
    answers = []

    def home(recorded):
        answers.append(recorded)
        if len(answers) == 2:
            return Response(429, {"error": "Too many requests"}, {"X-RateLimit-Remaining": "0"})
        return timeline(recorded)

    server.route("GET", "/api/v1/timelines/home", handler=home)
    sse.serve(send_then(statuses(1, 2, 3, 4, 5), "drop"), send_then(statuses(106), "stall"))
    listener = Recorder()
    with caplog.at_level(logging.WARNING, logger="mastodon.streaming"):
        run_user_stream(stream_api, listener, lambda calls: ("update", 106) in calls)
    assert listener.calls == ([("update", i) for i in range(1, 6)] + [("gap", "update", 5, 66)]
                              + [("update", i) for i in range(66, 107)])
    assert "after id 5 and before id 66 were skipped" in caplog.text


def test_backfill_max_pages_must_be_a_positive_int(stream_api):
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(MastodonIllegalArgumentError):
            stream_api.stream_user(Recorder(), run_async=True, backfill=True, backfill_max_pages=bad)


def test_backfill_max_pages_is_the_last_keyword_of_every_stream_method(api):
    import inspect
    for name in ("stream_user", "stream_public", "stream_local", "stream_hashtag", "stream_list", "stream_direct"):
        parameters = list(inspect.signature(getattr(api, name)).parameters.values())
        assert parameters[-1].name == "backfill_max_pages" and parameters[-1].default is None, name


def test_gaps_reach_the_gap_handler_of_a_callback_listener():
    seen = []
    CallbackStreamListener(gap_handler=lambda *args: seen.append(args)).on_gap("notification", 7, None)
    CallbackStreamListener().on_gap("update", 1, 2)
    StreamListener().on_gap("update", 1, 2)
    assert seen == [("notification", 7, None)]


def test_a_handler_raising_on_a_backfilled_event_does_not_end_the_stream(stream_api, server, sse, caplog):
    server.route("GET", "/api/v1/timelines/home", handler=MastodonTimeline(range(1, 5)))

    class Fragile(Recorder):
        def on_update(self, status):
            if status.id == 3:
                raise RuntimeError("bot bug")
            super().on_update(status)

    sse.serve(send_then(statuses(1), "drop"), send_then(statuses(5), "stall"))
    listener = Fragile()
    with caplog.at_level(logging.ERROR, logger="mastodon.streaming"):
        handle = run_user_stream(stream_api, listener, lambda calls: ("update", 5) in calls)
    assert listener.calls == [("update", 1), ("update", 2), ("update", 4), ("update", 5)]
    assert "bot bug" in caplog.text and not handle.is_alive()


# ---------------------------------------------------------------------------------------------
# Soak: 20,000 events, 20 reconnects after large gaps


def reset(stream):
    """Abort the connection with a TCP reset, as a crashed proxy does."""
    stream._handler.wfile.flush()
    connection = stream._handler.connection
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    stream._handler.close_connection = True
    connection.close()


def soak_plan(total, connections):
    """``(first, last, overlap)`` per connection: the ids streamed live, and how many of them the
    REST timeline already shows when the connection opens. Before each later connection a gap
    of 250..1149 events is published that only the REST timeline has."""
    gaps = [0] + [250 + (k * 379) % 900 for k in range(1, connections)]
    live = (total - sum(gaps)) // connections
    plan, start = [], 1
    for k in range(connections):
        start += gaps[k]
        last = total if k == connections - 1 else start + live - 1
        plan.append((start, last, k % 7))
        start = last + 1
    return plan


@pytest.mark.parametrize("total, connections", [
    (20_000, 21),
    # The figure: a million events over a stream that drops 99 times (clean closes, TCP
    # resets and cuts inside an event) lost 153,825 of them before.
    pytest.param(1_000_000, 100, marks=pytest.mark.slow),
])
def test_soak_events_with_large_gaps_loses_nothing_and_reads_each_gap_once(stream_api, server, sse, total,
                                                                          connections):
    plan = soak_plan(total, connections)
    timeline = MastodonTimeline()
    server.route("GET", "/api/v1/timelines/home", handler=timeline)
    connection = iter(range(len(plan)))

    def script(stream):
        k = next(connection)
        first, last, overlap = plan[k]
        if k:
            timeline.publish_up_to(first - 1 + overlap)
        stream.heartbeat(")")
        stream.write_pieces(statuses(*range(first, last + 1)), 64 * 1024)
        if last == total:
            stream.stall(30)
        elif k % 3 == 0:
            stream.end()
        elif k % 3 == 1:
            reset(stream)
        else:
            stream.write(statuses(last + 1)[:20])  # cut inside the next event
            stream.drop()

    done = threading.Event()

    class Counter(StreamListener):
        def __init__(self):
            self.ids = []

        def on_update(self, status):
            self.ids.append(status.id)
            if status.id == total:
                done.set()

    sse.serve(script)
    listener = Counter()
    handle = stream_api.stream_user(listener, run_async=True, reconnect_async=True, reconnect_async_wait_sec=0,
                                    backfill=True)
    try:
        assert done.wait(30 + total / 10_000), f"only {len(listener.ids)} events"
    finally:
        handle.close()
    assert listener.ids == list(range(1, total + 1))
    assert handle.reconnects == connections - 1
    # Each gap, from the last event the listener saw (a connection cut with a reset may take
    # unread live events with it) to the present, is read once: full pages of 40 and one short
    # page, and a confirming request after a short page of 20.
    per_backfill = {}
    for _, query in rest_requests(server):
        since = int(dict(query)["since_id"])
        per_backfill[since] = per_backfill.get(since, 0) + 1
    assert len(per_backfill) == connections - 1
    for since, (first, _, overlap) in zip(sorted(per_backfill), plan[1:]):
        behind = first - 1 + overlap - since
        assert per_backfill[since] == behind // 40 + 1 + (behind % 40 == 20), since


# ---------------------------------------------------------------------------------------------
# Ids from the server


def test_delete_ids_are_ints_only_for_ascii_digits_within_the_int_limit():
    deleted = []

    class Deletes(StreamListener):
        def on_delete(self, status_id):
            deleted.append(status_id)

    long_id = "9" * 5000
    data = b"".join(sse_event("delete", payload) for payload in (
        "123", '"456"', '"\u00b2"', '"\u0663"', f'"{long_id}"', long_id))
    Deletes().handle_stream(Chunks([data]))
    assert deleted == [123, 456, "\u00b2", "\u0663", long_id, long_id]


def test_id_order_sorts_numbers_by_value_without_int():
    ids = ["9" * 5000, "10", 9, "0011", "\u00b2", "abc", "9" * 4999, 12]
    assert sorted(ids, key=_id_order) == [9, "10", "0011", 12, "9" * 4999, "9" * 5000, "\u00b2", "abc"]


def test_event_gate_takes_odd_ids_without_failing():
    gate = _EventGate(["update"])
    assert gate.admit("update", {"id": 5}) and gate.admit("update", {"id": "9" * 5000})
    assert gate.last_id["update"] == "9" * 5000
    for odd in ("\u00b2", [1], {"a": 1}, 1.5, None):
        assert gate.admit("update", {"id": odd})
    assert not gate.admit("update", {"id": "9" * 5000}) and not gate.admit("update", {"id": "\u00b2"})


# ---------------------------------------------------------------------------------------------
# The parser against arbitrary input


class Chunks:
    """A response whose body arrives in the given pieces."""

    def __init__(self, chunks):
        self.chunks = chunks

    def iter_content(self, chunk_size=1):
        return iter(self.chunks)


def parse(chunks, gate=False):
    """Feed the pieces to a listener whose handlers do nothing; with ``gate``, through a stream
    handle that drops duplicates as with backfill."""
    listener = StreamListener()
    if not gate:
        listener.handle_stream(Chunks(chunks))
        return
    handle = SSEStreamHandle(None, lambda: None, False, 5, listener, liveness_timeout=None)
    handle._gate = _EventGate(["update", "notification"])
    handle._run_blocking(Chunks(chunks))


def cut(data, sizes):
    pieces, start = [], 0
    for size in sizes:
        if start >= len(data):
            break
        pieces.append(data[start:start + size])
        start += size
    pieces.append(data[start:])
    return pieces


TRICKY_VALUES = [
    '"\u00b2"', '"\u0663"', '"' + "7" * 5000 + '"', "7" * 5000, '{"id": [1]}', '{"id": {"x": 1}}', '{"id": "\u00b2"}',
    '{"id": "' + "7" * 5000 + '"}', '{"id": 1.5}', '{"created_at": "2026-99-99"}', '{"created_at": 1e400}',
    "[" * 5000, "{" * 5000, "undefined", "null", '{"id": "12", "account": {"acct": 5}}', "NaN", '"\\ud800"',
]
FIELD_LINE = st.builds("{}: {}".format, st.sampled_from(["event", "data", "stream", "id", "retry", "x", "data "]),
                       st.one_of(st.sampled_from(TRICKY_VALUES), st.text(max_size=12),
                                 st.sampled_from(["update", "delete", "notification", "announcement.delete",
                                                  "status.update", "filters_changed", "abort", "any_event"])))
LINE = st.one_of(FIELD_LINE, FIELD_LINE, st.just(""), st.just(":thump"), st.text(max_size=12))


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, max_size=25), sizes=st.lists(st.integers(1, 40), max_size=8),
       eol=st.sampled_from(["\n", "\r\n"]), gate=st.booleans())
@example(lines=["event: delete", 'data: "\u00b2"', ""], sizes=[], eol="\n", gate=False)
@example(lines=["event: update", "stream: " + "[" * 5000, 'data: {"id": "1"}', ""], sizes=[], eol="\n", gate=False)
@example(lines=["event: update", 'data: {"id": [1]}', ""], sizes=[], eol="\n", gate=True)
@example(lines=["event: update", 'data: {"id": "\u00b2"}', "", "event: update", 'data: {"id": "3"}', ""],
         sizes=[], eol="\n", gate=True)
def test_event_shaped_input_raises_only_library_errors(lines, sizes, eol, gate):
    data = (eol.join(lines) + eol).encode("utf-8", "surrogatepass")
    try:
        parse(cut(data, sizes), gate=gate)
    except MastodonError:
        pass


@settings(max_examples=150, deadline=None, database=None)
@given(chunks=st.lists(st.binary(max_size=48), max_size=12), gate=st.booleans())
@example(chunks=[b"event: delete\ndata: \"\xc2", b"\xb2\"\n\n"], gate=False)
@example(chunks=[b"event: notification\nda", b"ta: {\"id\": {}}\n\n"], gate=True)
def test_arbitrary_bytes_raise_only_library_errors(chunks, gate):
    try:
        parse(chunks, gate=gate)
    except MastodonError:
        pass


MB = 1 << 20
HOSTILE = {
    "one comment line": b":" * MB + b"\n",
    "one line of data: repeats": b"data:" * (MB // 5) + b"\n\n",
    "only newlines": b"\n" * MB,
    "only CRLFs": b"\r\n" * (MB // 2),
    "only heartbeats": b":\n" * (MB // 2),
    "many data lines": b"event: update\n" + b"data:\n" * (MB // 6) + b"\n",
    "many short fields": b"event: update\n" + b"d:\n" * (MB // 3) + b"\n",
    "many event lines": b"event:x\n" * (MB // 8) + b"\n",
    "no newline at all": b"x" * MB,
}


@pytest.mark.timeout(10)
def test_a_megabyte_of_hostile_input_is_parsed_in_linear_time():
    slow = {}
    for name, data in HOSTILE.items():
        for pieces in ([data], cut(data, [7] * 1000 + [4096] * 300)):
            started = time.perf_counter()
            try:
                parse(pieces)
            except MastodonMalformedEventError:
                pass
            elapsed = time.perf_counter() - started
            # Linear parsing takes ~0.1 s here; a quadratic join of the lines took 1.5 s.
            if elapsed > 0.75:
                slow[name] = round(elapsed, 2)
    assert slow == {}


def test_an_endless_event_is_refused(monkeypatch):
    monkeypatch.setattr(streaming, "_MAX_EVENT_BYTES", 1000)
    with pytest.raises(MastodonMalformedEventError):
        parse([b"event: update\n" + b"data: xxxxxxxxx\n" * 200])
    parse([b"event: update\ndata: " + json.dumps({"id": "1", "text": "x" * 900}).encode() + b"\n\n"])
