"""Pace mode: the budget bookkeeping of RateLimiter on constructed answers (fake clock), and
threads sharing one paced client against a loopback server enforcing a fixed-window budget."""

import email.utils
import os
import queue
import sys
import threading
import time
from datetime import datetime, timezone

import pytest

from mastodon._ratelimit import RESET_MARGIN, RateLimiter, header_epoch, header_int, http_date

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks"))

from bench_pace import BudgetServer, run_pace  # noqa: E402

MEGABYTE = 1024 * 1024
START = 1_800_000_000.25  # local clock at the start of each unit test


class FakeClock:
    def __init__(self, now):
        self.now = now
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def make_limiter(method="pace", **kwargs):
    clock = FakeClock(START)

    class Limiter(RateLimiter):
        @staticmethod
        def clock():
            return clock.now

        @staticmethod
        def sleep(seconds):
            clock.sleep(seconds)

    return Limiter(method, **kwargs), clock


def answer(remaining, reset, limit=300, date=None):
    """Rate-limit headers as Mastodon sends them; ``reset`` and ``date`` on the server's clock."""
    headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
               "X-RateLimit-Reset": datetime.fromtimestamp(reset, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    if date is not None:
        headers["Date"] = email.utils.formatdate(date, usegmt=True)
    return headers


class Call(threading.Thread):
    """One paced call on a thread of its own (the limiter tells calls apart by thread): it
    acquires at once and reads its answer when the test hands one over (None: it fails)."""

    def __init__(self, limiter):
        super().__init__(daemon=True)
        self.limiter = limiter
        self.acquired = threading.Event()
        self.answers = queue.Queue()
        self.start()
        assert self.acquired.wait(5)

    def run(self):
        self.limiter.acquire()
        self.acquired.set()
        headers = self.answers.get()
        self.limiter.release()
        if headers is not None:
            self.limiter.update(headers)

    def finish(self, headers):
        self.answers.put(headers)
        self.join(5)
        assert not self.is_alive()


def call(limiter, headers):
    Call(limiter).finish(headers)


def exchange(limiter, clock, remaining, reset, limit=300, skew=0.0, transfer=0.005):
    """One paced call answered by a server whose clock is ``skew`` seconds ahead: it counts
    the call 2 ms after it was sent and the answer is read ``transfer`` seconds after that."""
    pending = Call(limiter)
    server_now = clock.now + 0.002 + skew
    clock.now += 0.002 + transfer
    pending.finish(answer(remaining, reset, limit, date=server_now))


# --- budget bookkeeping ----------------------------------------------------------------------------

def test_remaining_is_never_negative_when_the_server_says_zero_with_calls_in_flight():
    limiter, _clock = make_limiter()
    reset = START + 60
    call(limiter, answer(5, reset, date=START))
    pending = [Call(limiter) for _ in range(3)]
    call(limiter, answer(0, reset, date=START))
    assert limiter.remaining == 0
    assert limiter.in_flight == 3
    for each in pending:
        each.finish(answer(0, reset, date=START))
        assert limiter.remaining == 0


def test_unanswered_calls_are_kept_off_until_their_answers_are_read():
    limiter, _clock = make_limiter()
    reset = START + 60
    call(limiter, answer(20, reset, date=START))
    pending = [Call(limiter) for _ in range(3)]
    # The server's latest figure, less the three calls it may have counted since.
    call(limiter, answer(10, reset, date=START))
    assert limiter.remaining == 7
    # An answer counted before that figure gives its place back: it was not counted after it.
    pending[0].finish(answer(12, reset, date=START))
    assert limiter.remaining == 8
    # One counted after it lowers the figure.
    pending[1].finish(answer(9, reset, date=START))
    assert limiter.remaining == 8


def test_a_call_that_failed_without_answer_counts_until_the_window_ends():
    limiter, clock = make_limiter()
    reset = START + 60
    call(limiter, answer(50, reset, date=START))

    def failing_then_answered():
        limiter.acquire()
        limiter.release()  # the request raised: no answer to read
        limiter.acquire()
        limiter.release()
        limiter.update(answer(40, reset, date=START))

    thread = threading.Thread(target=failing_then_answered)
    thread.start()
    thread.join(5)
    assert limiter.remaining == 39
    clock.now = reset + 1
    call(limiter, answer(299, reset + 60, date=reset + 1))
    assert limiter.remaining == 299


def test_tickets_of_threads_gone_are_forgotten_at_the_next_window():
    limiter, clock = make_limiter()
    reset = START + 60
    call(limiter, answer(100, reset, date=START))
    thread = threading.Thread(target=limiter.acquire)  # acquires and dies without an answer
    thread.start()
    thread.join(5)
    call(limiter, answer(99, reset, date=START))
    assert limiter.remaining == 98
    clock.now = reset + 1
    call(limiter, answer(299, reset + 60, date=reset + 1))
    assert limiter.remaining == 299


# --- the window boundary ---------------------------------------------------------------------------

def test_after_the_reset_the_full_budget_less_unanswered_calls_is_assumed():
    limiter, clock = make_limiter()
    reset = START + 1
    call(limiter, answer(3, reset, limit=20))
    old = [Call(limiter) for _ in range(3)]  # may be counted in either window
    assert limiter.remaining == 0
    clock.now = reset + RESET_MARGIN
    clock.sleeps.clear()
    new = [Call(limiter) for _ in range(5)]
    assert clock.sleeps == [] and limiter.remaining == 20 - 3 - 5
    # Old-window answers of calls sent before the reset say nothing about the new window.
    old[0].finish(answer(0, reset, limit=20))
    assert limiter.remaining == 20 - 2 - 5
    # The first answer of the new window gives its figures.
    new[0].finish(answer(14, reset + 1, limit=20))
    assert limiter.remaining == 14 - 2 - 4
    assert limiter.reset == reset + 1
    for each in old[1:] + new[1:]:
        each.finish(answer(13, reset + 1, limit=20))
    assert limiter.remaining == 13


def test_a_call_still_counted_in_the_old_window_after_the_reset_restores_it():
    # The server's Date says its clock is in step, but its rate limiter counts later than that.
    limiter, clock = make_limiter()
    reset = START + 1
    call(limiter, answer(0, reset, limit=20, date=START))
    clock.now = limiter._reset_for_certain() + RESET_MARGIN
    late = Call(limiter)  # goes at once: a new window is assumed
    assert limiter.remaining == 19
    sent = clock.now
    clock.now += 0.01
    late.finish(answer(0, reset, limit=20, date=clock.now))
    assert limiter.remaining == 0
    assert limiter._reset_for_certain() >= sent
    clock.sleeps.clear()
    call(limiter, answer(0, reset, limit=20, date=clock.now))
    assert clock.sleeps and clock.now >= sent + RESET_MARGIN


def test_pacing_spreads_the_remaining_budget_until_the_reset():
    limiter, clock = make_limiter(pacefactor=1.0)
    call(limiter, answer(10, START + 100))
    limiter.lastcall = clock.now
    call(limiter, answer(9, START + 100))
    assert clock.sleeps == [pytest.approx(10)]


def test_a_spent_budget_waits_for_the_reset():
    limiter, clock = make_limiter()
    call(limiter, answer(0, START + 20))
    call(limiter, answer(299, START + 320))
    assert clock.sleeps == [pytest.approx(20 + RESET_MARGIN)]


def test_pace_waits_are_announced_to_the_callback_and_logged(caplog):
    limiter, clock = make_limiter(pacefactor=1.0)
    seen = []
    limiter.callback = lambda seconds, reason: seen.append((seconds, reason))
    with caplog.at_level("DEBUG", logger="mastodon"):
        call(limiter, answer(10, START + 100))
        limiter.lastcall = clock.now
        call(limiter, answer(9, START + 100))
        call(limiter, answer(200, START + 100, limit=300))
        # Short waits come with every call in pace mode: DEBUG, not INFO.
        limiter.report_wait(0.25, "pace")
    assert clock.sleeps == [pytest.approx(10), pytest.approx(10)]
    assert seen == [(s, "pace") for s in clock.sleeps] + [(0.25, "pace")]
    logged = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "mastodon"]
    assert logged == [("INFO", "Pacing calls to the rate limit: waiting 10.0 s"),
                      ("INFO", "Pacing calls to the rate limit: waiting 10.0 s"),
                      ("DEBUG", "Pacing calls to the rate limit: waiting 0.2 s")]


# --- the server's clock ----------------------------------------------------------------------------

@pytest.mark.parametrize("skew", [0.0, 0.3, -0.4, 3.0, -3.0, 3600.0, -3600.0])
def test_resets_follow_the_server_clock_from_the_safe_side(skew):
    """``skew``: how far the server's clock is ahead of the local one."""
    limiter, clock = make_limiter()
    reset = 1_800_000_060.0 + skew
    true_reset = reset - skew  # the server's reset on the local clock
    for i in range(40):
        clock.now = max(clock.now, START + i * 0.37)  # calls spread over the second
        exchange(limiter, clock, 290 - i, reset, skew=skew)
        # Pacing never expects the reset early, not even before the answers show the clocks apart.
        assert limiter._reset_for_certain() >= true_reset
    assert true_reset <= limiter.reset <= limiter._reset_for_certain() <= true_reset + 0.1


@pytest.mark.parametrize("skew", [0.0, -3.0])
def test_a_single_slow_answer_does_not_move_the_reset(skew):
    limiter, clock = make_limiter()
    reset = 1_800_000_060.0 + skew
    for i in range(10):
        clock.now = max(clock.now, START + i * 0.37)
        exchange(limiter, clock, 200 - i, reset, skew=skew)
    before = limiter.reset
    assert before == reset if skew == 0 else before >= reset - skew
    # Read 1.7 s after the server answered: its Date lags the local clock by up to 2.7 s.
    exchange(limiter, clock, 189, reset, skew=skew, transfer=1.7)
    assert limiter.reset == before


def test_wait_mode_applies_a_server_clock_an_hour_behind():
    limiter, _clock = make_limiter("wait")
    limiter.update(answer(10, START - 3600 + 60, date=START - 3600))
    assert limiter.reset == pytest.approx(START + 60, abs=1.5)
    assert limiter.reset >= START + 60


# --- header parsing --------------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("2026-08-01T13:50:00.032044Z", datetime(2026, 8, 1, 13, 50, 0, 32044, timezone.utc).timestamp()),
    ("2026-08-01T13:50:00.032Z", datetime(2026, 8, 1, 13, 50, 0, 32000, timezone.utc).timestamp()),
    ("2026-08-01T15:50:00+02:00", datetime(2026, 8, 1, 13, 50, tzinfo=timezone.utc).timestamp()),
    ("2026-08-01T13:50:00", datetime(2026, 8, 1, 13, 50, tzinfo=timezone.utc).timestamp()),  # UTC, as Mastodon.py
    ("1785592200", 1785592200.0),
    ("1785592200.5", 1785592200.5),
    ("", None), ("soon", None), ("nan", None), ("inf", None), ("-inf", None), ("1e400", None),
    ("2026-13-45T99:00:00Z", None),
])
def test_reset_header_parsing(value, expected):
    assert header_epoch(value) == expected


def test_number_and_date_headers():
    assert header_int("42") == 42 and header_int("42.0") == 42 and header_int("-3") == -3
    assert header_int("lots") is None and header_int("nan") is None and header_int("1e400") is None
    assert http_date("Sat, 01 Aug 2026 13:50:00 GMT") == datetime(2026, 8, 1, 13, 50, tzinfo=timezone.utc).timestamp()
    assert http_date("yesterday") is None and http_date("") is None


def test_malformed_answers_leave_the_state_alone():
    limiter, _clock = make_limiter()
    call(limiter, answer(100, START + 60, date=START))
    state = (limiter.remaining, limiter.limit, limiter.reset)
    for headers in [{}, {"X-RateLimit-Reset": "soon", "X-RateLimit-Remaining": "lots"},
                    {"X-RateLimit-Limit": "0", "X-RateLimit-Reset": "nan", "Date": "yesterday"}]:
        call(limiter, headers)
        state = (state[0] - 1,) + state[1:]  # the call itself
        assert (limiter.remaining, limiter.limit, limiter.reset) == state


@pytest.mark.timeout(5)
@pytest.mark.parametrize("method", ["pace", "wait"])
def test_megabyte_header_values_are_ignored_at_once(method):
    limiter, _clock = make_limiter(method)
    limiter.update(answer(100, START + 60, date=START))
    state = (limiter.remaining, limiter.limit, limiter.reset)
    started = time.perf_counter()
    hostile = ["9" * MEGABYTE, "2026-08-01T13:50:00" + "0" * MEGABYTE, "Sat, " * (MEGABYTE // 5), "\u00b2" * MEGABYTE]
    for text in hostile:
        headers = {name: text for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining",
                                           "X-RateLimit-Reset", "Date", "Retry-After")}
        limiter.update(headers)
        assert (limiter.remaining, limiter.limit, limiter.reset) == state
        assert limiter.retry_wait(headers) == pytest.approx(60 + RESET_MARGIN)
    assert time.perf_counter() - started < 1


# --- threads against a fixed-window server ----------------------------------------------------------

def check_run(result, limit, max_ratio):
    assert result["errors"] == []
    assert result["rejected"] == 0
    assert result["max_window"] <= limit
    assert result["min_remaining"] >= 0
    assert result["ratio"] <= max_ratio, result


@pytest.mark.timeout(30)
def test_threads_sharing_a_paced_client_keep_the_budget_near_the_ideal_time():
    # 8 threads x 25 calls at 20 per 0.5 s: 5 s if the budget is spread perfectly.
    with BudgetServer(limit=20, window=0.5, latency=0.001) as server:
        result = run_pace(server.url, threads=8, calls=25, limit=20, window=0.5)
    check_run(result, 20, 1.25)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("skew", [2.6, -0.4])
def test_paced_threads_follow_a_server_clock_ahead_or_behind(skew):
    with BudgetServer(limit=20, window=0.5, skew=skew, latency=0.001) as server:
        result = run_pace(server.url, threads=4, calls=15, limit=20, window=0.5)
    check_run(result, 20, 1.4)
