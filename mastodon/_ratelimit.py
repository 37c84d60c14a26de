"""Rate limiting: the budget the server grants, read from its headers, spent in one of three modes.

``throw`` raises on a 429, ``wait`` sleeps a 429 out and sends again, ``pace`` spreads the calls
over the window so that the budget lasts until it resets. One :class:`RateLimiter` per client
owns the state; it is safe to share between threads.

Every header parser here is linear in its input and never raises: a header it cannot read is
ignored.
"""

import datetime
import email.utils
import functools
import logging
import math
import threading
import time

from ._decoding import parse_date
from .errors import MastodonIllegalArgumentError

MODES = ("throw", "wait", "pace")
log = logging.getLogger("mastodon")
# Pace-mode waits shorter than this come with every call and are logged at DEBUG, not INFO.
_NOTABLE_PACE_WAIT = 1.0
# Longest single sleep: a server naming a reset hours away must not freeze the client for hours.
MAX_SLEEP = 300
# Seconds added to a reset before assuming a fresh budget (rounding of the reset, clock jitter).
RESET_MARGIN = 0.02
# Header values longer than this are not numbers or dates a server would send.
_MAX_HEADER = 64
# Resets closer than this name the same window (Mastodon repeats the exact value).
_SAME_RESET = 0.001
# Transfer time assumed for an answer whose call's send time is unknown (not paced).
_TRANSFER_ALLOWANCE = 1.0
# How often a pacing thread sleeps again when answers that came in while it slept ask for more.
_PACE_ROUNDS = 4


def header_text(headers, name):
    """A header's value when it is a short string, else None (also for stand-in header objects)."""
    try:
        value = headers.get(name)
    except Exception:  # a stand-in response may carry anything as its headers
        return None
    if not isinstance(value, str) or len(value) > _MAX_HEADER:
        return None
    return value.strip()


def header_int(value):
    """An integer header value (``"42"``, ``"42.0"``), or None."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number)


# Rate-limit headers repeat the same reset time and Date second across many answers.
@functools.lru_cache(maxsize=64)
def header_epoch(value):
    """X-RateLimit-Reset: epoch seconds or an ISO date (UTC when it names no zone, as
    Mastodon.py reads it); None when unreadable."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        return number if math.isfinite(number) else None
    try:
        when = parse_date(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        return when.timestamp()
    except (ValueError, TypeError, OverflowError, OSError):
        return None


@functools.lru_cache(maxsize=64)
def http_date(value):
    """An HTTP date (``Date``, ``Retry-After``) as epoch seconds, or None."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    try:
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        return when.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


def retry_after_seconds(value, now):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        when = http_date(value)
        return None if when is None else max(0.0, when - now)
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


class ClockOffset:
    """How far the local clock is ahead of the server's, bounded from the answers.

    An answer's ``Date`` is the server's time cut down to the second, so ``received - Date`` is an
    upper bound of the offset and ``sent - Date - 1`` a lower one. A reset is later than the
    moment the server counted the call, so ``sent - reset`` is a lower bound too; an answer
    counted in a new window was counted after the previous reset, so ``received - previous reset``
    is an upper one. The reset bounds still hold when ``Date`` comes from another clock than the
    rate limiter's (a front proxy), and the ``Date`` bounds when a server's resets are not fixed
    windows; each source is dropped when the other proves it wrong. The bounds are kept over the
    answers of the current and the previous window, so that a clock set anew is followed within
    two windows.
    """

    __slots__ = ("_bounds",)

    def __init__(self):
        self._bounds = [self._unbounded()]

    @staticmethod
    def _unbounded():
        # upper from Date, lower from Date, lower from resets, upper from resets
        return [math.inf, -math.inf, -math.inf, math.inf]

    def observe(self, received, sent, date, reset, previous_reset=None):
        """One answer: received at local time ``received`` for a call sent at ``sent`` (None when
        unknown), its Date and reset as server epoch seconds (None when absent), and the reset of
        the window before when the answer is the first one seen of a new window."""
        bounds = self._bounds[0]
        if date is not None:
            bounds[0] = min(bounds[0], received - date)
            # Without the send time, allow for the transfer: this bound only decides whether the
            # clocks can be in step, never how far the offset goes.
            sent_at = sent if sent is not None else received - _TRANSFER_ALLOWANCE
            bounds[1] = max(bounds[1], sent_at - date - 1.0)
        if reset is not None and sent is not None:
            bounds[2] = max(bounds[2], sent - reset)
        if previous_reset is not None:
            bounds[3] = min(bounds[3], received - previous_reset)

    def next_window(self):
        self._bounds = [self._unbounded(), self._bounds[0]]

    def estimate(self):
        """Seconds to add to a server time to get the local one: ``(likely, safe)``.

        ``likely`` is zero while the answers agree with clocks in step (the bounds are a second or
        so apart, and in-step clocks are the common case); ``safe`` is the upper bound, so that a
        reset is never expected too early. Once the clocks are shown apart both are the upper
        bound.
        """
        date_upper = min(bounds[0] for bounds in self._bounds)
        date_lower = max(bounds[1] for bounds in self._bounds)
        reset_lower = max(bounds[2] for bounds in self._bounds)
        reset_upper = min(bounds[3] for bounds in self._bounds)
        if date_upper < reset_lower:
            # A call counted later than Date allows: Date runs on another clock.
            date_upper, date_lower = math.inf, -math.inf
        lower = max(date_lower, reset_lower)
        # Resets that contradict the lower bounds are not fixed windows.
        upper = min(date_upper, reset_upper) if reset_upper >= lower else date_upper
        if upper == math.inf:
            offset = max(0.0, lower)
            return offset, offset
        if lower < 0.0 <= upper:
            return 0.0, upper
        offset = max(upper, lower)
        return offset, offset


def _started_now(now):
    return now


# ``RateLimiter._reset_when_unknown`` once a usable reset is known.
_KNOWN = object()


class RateLimiter:
    """The budget of one client: ``limit`` calls per window, ``remaining`` of them until ``reset``
    (epoch seconds, local clock), and the time of the last call. ``method`` is one of
    :data:`MODES`.

    In pace mode every call is bracketed by :meth:`acquire` (wait for its share of the window,
    reserve it) and :meth:`release`, then :meth:`update` reads the answer. ``remaining`` is then
    a lower bound of what the server has left: the fewest calls the server reported left in the
    window, less every call of this client whose answer has not been read yet (the server may
    have counted it after that report), less the calls that failed without an answer.
    """

    # The clock of the reset times (epoch) and the sleep used while pacing, looked up at each
    # call so that a patched ``time.sleep`` is seen.
    @staticmethod
    def clock():
        return time.time()

    @staticmethod
    def sleep(seconds):
        time.sleep(seconds)

    def __init__(self, method="wait", pacefactor=1.1, limit=300, start=None):
        if method not in MODES:
            raise MastodonIllegalArgumentError("Invalid ratelimit method.")
        self.method = method
        # Called as callback(seconds, reason) before every rate-limit wait (see report_wait).
        self.callback = None
        self.pacefactor = pacefactor
        self.limit = limit
        self.remaining = limit
        # ``start(now)`` gives the start value of ``reset`` and ``lastcall``: the current time
        # (Mastodon.py 1.8.1) or None, unknown until an answer tells (2.3.3; row V8). None reads
        # as long past wherever the limiter computes with them.
        self.reset = self.lastcall = (start or _started_now)(self.clock())
        # Seconds after ``reset`` until the window has ended for certain (see ClockOffset).
        self._caution = 0.0
        self.in_flight = 0
        self._lock = threading.Lock()   # the state below, held briefly
        self._turn = threading.Lock()   # pacing threads line up here, held while sleeping
        self._offset = ClockOffset()
        # The server's reset (its clock) of the window the figures below are about, or None.
        self._window = None
        # The fewest remaining calls the server reported for that window.
        self._reported = limit
        # Set when the window is believed over and no answer has told of the next one yet.
        self._blind = False
        self._blind_since = 0.0
        # Paced calls whose answer has not been read: thread ident -> local send time.
        self._unanswered = {}
        # Paced calls of this window that failed without an answer (may have been counted).
        self._lost = 0
        # Bumped by every answer, so that a sleeping pacer knows to look again.
        self._answers = 0
        # What pace mode refuses in dialect "2" (rows X4, X8, see ``_dialect``): the last answer's
        # X-RateLimit-Remaining was there but unreadable; answers carried X-RateLimit-Remaining;
        # ``reset`` as it was when the reset became unknown (at the start, or an answer's reset
        # already past), _KNOWN once an answer gave one ahead of the clock. Assigning ``reset``
        # (``ratelimit_reset``) makes it known too.
        self.remaining_unreadable = False
        self._remaining_seen = False
        self._reset_when_unknown = self.reset

    def report_wait(self, seconds, reason, what=None):
        """Announce a rate-limit wait before it starts: ``reason`` is ``"429"`` (a rate-limited
        call waited out before it is sent again) or ``"pace"`` (pace mode spacing the calls). It is
        logged on the ``mastodon`` logger, at INFO (pace-mode waits under a second, which come with
        every call, at DEBUG), and the client's ``ratelimit_callback`` gets ``(seconds, reason)``;
        an exception the callback raises ends the call."""
        level = logging.DEBUG if reason == "pace" and seconds < _NOTABLE_PACE_WAIT else logging.INFO
        if reason == "429":
            log.log(level, "Rate limited%s: waiting %.1f s for the limit to reset", f" on {what}" if what else "",
                    seconds)
        else:
            log.log(level, "Pacing calls to the rate limit: waiting %.1f s", seconds)
        callback = self.callback
        if callback is not None:
            callback(seconds, reason)

    # -- pace mode -----------------------------------------------------------------------------

    def acquire(self):
        """Pace mode, before a call: wait for this call's share of the window and reserve it.

        Pacing threads line up one behind the other (and so cannot burst past the budget
        together); answers are read meanwhile, and one that changes the picture during a sleep
        is taken into account before the call goes out.
        """
        with self._turn:
            for _ in range(_PACE_ROUNDS):
                with self._lock:
                    wait = self._wait(self.clock())
                    answers = self._answers
                if wait <= 0:
                    break
                self.report_wait(min(wait, MAX_SLEEP), "pace")
                self.sleep(min(wait, MAX_SLEEP))
                with self._lock:
                    if self._answers == answers:
                        break
            with self._lock:
                now = self.clock()
                self._start_window_if_over(now)
                ident = threading.get_ident()
                if ident in self._unanswered:
                    # This thread's previous call raised before its answer was read.
                    self._lost += 1
                self._unanswered[ident] = now
                self.lastcall = now
                self.remaining = max(0, self.remaining - 1)
                self.in_flight += 1

    def release(self):
        """Pace mode, after a call (answered or failed)."""
        with self._lock:
            self.in_flight = max(0, self.in_flight - 1)

    def _wait(self, now):
        """Seconds until the next call may go out (Mastodon.py's pacing, reset by the window)."""
        self._start_window_if_over(now)
        if self.remaining <= 0:
            return self._reset_for_certain() + RESET_MARGIN - now
        share = (self._reset_for_certain() - now) / self.remaining
        lastcall = self.lastcall if self.lastcall is not None else -math.inf
        return (share - (now - lastcall)) / self.pacefactor

    def _reset_for_certain(self):
        # Pacing aims past every reset the server's clock allows, so that calls made after the
        # likely reset also narrow the clock offset down (ClockOffset's reset bounds).
        return (self.reset if self.reset is not None else -math.inf) + self._caution

    def _start_window_if_over(self, now):
        """Past the reset, assume the full budget of the next window until an answer tells its
        figures: calls still unanswered may be counted in it, so they are kept off."""
        if not self._blind and now >= self._reset_for_certain() + RESET_MARGIN:
            self._blind = True
            self._blind_since = now
            self._lost = 0
            self.remaining = max(0, self.limit - len(self._unanswered))

    # -- all modes -----------------------------------------------------------------------------

    def update(self, headers):
        """Read the X-RateLimit-* and Date headers of an answer; missing or malformed ones are
        ignored."""
        remaining_text = header_text(headers, "X-RateLimit-Remaining")
        remaining = header_int(remaining_text)
        limit = header_int(header_text(headers, "X-RateLimit-Limit"))
        reset_text = header_text(headers, "X-RateLimit-Reset")
        reset = header_epoch(reset_text)
        date = http_date(header_text(headers, "Date"))
        now = self.clock()
        ident = threading.get_ident()
        with self._lock:
            self._answers += 1
            sent = self._unanswered.pop(ident, None)
            if self.method != "pace":
                self._blind = False  # only pacing assumes a new window before an answer tells it
            if limit is not None and limit > 0:
                self.limit = limit
            if remaining is not None:
                remaining = max(0, remaining)
            previous = self._window
            current = reset is not None and self._read_window(reset, remaining, sent)
            boundary = previous if current and self._window != previous else None
            self._offset.observe(now, sent, date, reset, boundary)
            if self._window is not None:
                likely, safe = self._offset.estimate()
                self.reset = self._window + likely
                self._caution = safe - likely
            if self.method != "pace":
                if reset is not None:
                    self.lastcall = now
                if remaining is not None and (current or reset is None):
                    self.remaining = remaining
            elif reset is not None:
                budget = self.limit if self._blind else self._reported
                self.remaining = max(0, budget - len(self._unanswered) - self._lost)
            elif remaining is not None:
                # No window to place the figure in: only ever lower the estimate.
                self.remaining = min(self.remaining, max(0, remaining - len(self._unanswered)))
            self.remaining_unreadable = bool(remaining_text) and remaining is None
            self._remaining_seen = self._remaining_seen or bool(remaining_text)
            if reset is not None:
                ahead = self.reset is not None and self.reset > now
                self._reset_when_unknown = _KNOWN if ahead else self.reset

    @property
    def reset_unknown(self):
        """Whether answers carried X-RateLimit-Remaining but no reset time this limiter can use
        (none, or only unreadable ones, or one already past when it came) was given since."""
        return self._remaining_seen and self._reset_when_unknown is not _KNOWN and (
            self.reset is None or self.reset == self._reset_when_unknown)

    def _read_window(self, reset, remaining, sent):
        """Place an answer's figures by the window its reset names; True when they are about the
        current window."""
        if self._window is None or reset > self._window + _SAME_RESET:
            self._window = reset
            self._reported = self.limit if remaining is None else remaining
            self._blind = False
            self._lost = 0
            self._offset.next_window()
            self._forget_dead_threads()
            return True
        if reset < self._window - _SAME_RESET:
            return False  # counted in a window that is over
        if self._blind:
            if sent is None or sent < self._blind_since:
                return False  # sent before the window was believed over
            # Sent after the reset we expected and still counted in the old window: the reset
            # was expected too early (the offset estimate now knows better).
            self._blind = False
        if remaining is not None:
            self._reported = min(self._reported, remaining)
        return True

    def _forget_dead_threads(self):
        alive = {thread.ident for thread in threading.enumerate()}
        for ident in [ident for ident in self._unanswered if ident not in alive]:
            del self._unanswered[ident]

    def retry_wait(self, headers):
        """Seconds to wait before sending a rate-limited (429) call again, or None when the answer
        gives nothing to wait for."""
        now = self.clock()
        wait = retry_after_seconds(header_text(headers, "Retry-After"), now)
        if wait is not None:
            return wait
        with self._lock:
            reset = self.reset
        if reset is not None and reset > now:
            return reset - now + RESET_MARGIN
        if header_epoch(header_text(headers, "X-RateLimit-Reset")) is not None:
            # The window this answer counted against has just ended: try again right away.
            return 0.0
        return None
