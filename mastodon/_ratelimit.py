"""Rate limiting: the budget the server grants, read from its headers, spent in one of three modes.

``throw`` raises on a 429, ``wait`` sleeps a 429 out and sends again, ``pace`` spreads the calls
over the window so that the budget lasts until it resets. One :class:`RateLimiter` per client
owns the state; it is safe to share between threads.

Every header parser here is linear in its input and never raises: a header it cannot read is
ignored.
"""

import email.utils
import functools
import threading
import time

from ._decoding import parse_date
from .errors import MastodonIllegalArgumentError

MODES = ("throw", "wait", "pace")
# Longest single sleep: a server naming a reset hours away must not freeze the client for hours.
MAX_SLEEP = 300
# Seconds added to a reset before assuming a fresh budget (clocks and rounding differ).
RESET_MARGIN = 0.05
# Header values longer than this are not numbers or dates a server would send.
_MAX_HEADER = 64
# The Date header has one-second resolution: smaller clock offsets are indistinguishable from it.
_SKEW_RESOLUTION = 1.0


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
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return int(number)


# Rate-limit headers repeat the same reset time and Date second across many answers.
@functools.lru_cache(maxsize=64)
def header_epoch(value):
    """X-RateLimit-Reset: epoch seconds or an ISO date; None when unreadable."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        return number if number == number and abs(number) != float("inf") else None
    try:
        return parse_date(value).timestamp()
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
        return when.timestamp() if when.tzinfo is not None else when.replace(
            tzinfo=email.utils.datetime.timezone.utc).timestamp()
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
    if seconds != seconds:
        return None
    return max(0.0, seconds)


class RateLimiter:
    """The budget of one client: ``limit`` calls per window, ``remaining`` of them until ``reset``
    (epoch seconds), and the time of the last call. ``method`` is one of :data:`MODES`."""

    # The clock of the reset times (epoch) and the sleep used while pacing, looked up at each
    # call so that a patched ``time.sleep`` is seen.
    @staticmethod
    def clock():
        return time.time()

    @staticmethod
    def sleep(seconds):
        time.sleep(seconds)

    def __init__(self, method="wait", pacefactor=1.1, limit=300):
        if method not in MODES:
            raise MastodonIllegalArgumentError("Invalid ratelimit method.")
        self.method = method
        self.pacefactor = pacefactor
        self.limit = limit
        self.remaining = limit
        self.reset = self.clock()
        self.lastcall = self.reset
        self.in_flight = 0
        # Smallest (local clock - server Date) seen: the server's clock offset, see update().
        self._skew = None
        self._lock = threading.RLock()

    # -- pace mode -----------------------------------------------------------------------------

    def acquire(self):
        """Pace mode, before a call: wait for this call's share of the window and reserve it.

        The lock is held while sleeping, so threads sharing the client line up one behind the
        other and cannot burst past the budget together.
        """
        with self._lock:
            now = self.clock()
            if now >= self.reset + RESET_MARGIN and self.remaining < self.limit:
                # The window ended: a fresh budget until an answer says otherwise.
                self.remaining = self.limit
            if self.remaining <= 0:
                wait = self.reset + RESET_MARGIN - now
            else:
                share = (self.reset - now) / self.remaining / self.pacefactor
                wait = self.lastcall + share - now
            if wait > 0:
                self.sleep(min(wait, MAX_SLEEP))
                now = self.clock()
                if self.remaining <= 0 and now >= self.reset:
                    self.remaining = self.limit
            self.lastcall = now
            self.remaining = max(0, self.remaining - 1)
            self.in_flight += 1

    def release(self):
        """Pace mode, after a call (answered or failed)."""
        with self._lock:
            self.in_flight -= 1

    # -- all modes -----------------------------------------------------------------------------

    def update(self, headers):
        """Read the X-RateLimit-* headers of an answer; missing or malformed ones are ignored."""
        remaining = header_int(header_text(headers, "X-RateLimit-Remaining"))
        limit = header_int(header_text(headers, "X-RateLimit-Limit"))
        reset = header_epoch(header_text(headers, "X-RateLimit-Reset"))
        now = self.clock()
        with self._lock:
            if reset is not None:
                reset += self._clock_offset(headers, now)
            if self.method != "pace" and reset is not None:
                self.lastcall = now
            if limit is not None and limit > 0:
                self.limit = limit
            new_window = reset is not None and reset > self.reset + RESET_MARGIN
            if reset is not None:
                self.reset = reset
            if remaining is None:
                return
            remaining = max(0, remaining)
            if self.method != "pace":
                self.remaining = remaining
                return
            # Calls still in flight may or may not have been counted by the server yet: assume
            # they were not, and never let an older answer undo reservations made since.
            fresh = max(0, remaining - self.in_flight)
            self.remaining = fresh if new_window else min(self.remaining, fresh)

    def _clock_offset(self, headers, now):
        """How far the local clock is ahead of the server's, from its Date header.

        One answer's offset is the true offset plus up to a second of Date rounding plus the
        transfer time, so the smallest offset seen so far is the estimate, and it is only applied
        when it exceeds the Date header's resolution.
        """
        server_now = http_date(header_text(headers, "Date"))
        if server_now is None:
            return 0.0 if self._skew is None or abs(self._skew) < _SKEW_RESOLUTION else self._skew
        offset = now - server_now
        if self._skew is None or offset < self._skew:
            self._skew = offset
        return self._skew if abs(self._skew) >= _SKEW_RESOLUTION else 0.0

    def retry_wait(self, headers):
        """Seconds to wait before sending a rate-limited (429) call again, or None when the answer
        gives nothing to wait for."""
        now = self.clock()
        wait = retry_after_seconds(header_text(headers, "Retry-After"), now)
        if wait is not None:
            return wait
        with self._lock:
            reset = self.reset
        if reset > now:
            return reset - now
        if header_epoch(header_text(headers, "X-RateLimit-Reset")) is not None:
            # The window this answer counted against has just ended: try again right away.
            return 0.0
        return None
