"""Fault injection: make the next requests fail the way real servers and networks fail.

``server.faults.fail(3)`` answers the next three requests with 503 (nginx's page, as a
restarting Mastodon gives), ``rate_limit(2)`` with 429 (remaining 0, the reset of the current
window: start the server with a short ``rate_limit_window`` to keep the waits short),
``drop()`` closes the connection without answering, ``stall(seconds=5)`` answers late.
``path`` narrows a fault to requests whose path starts with it (``"/api/v1/streaming"`` makes
stream reconnections fail). Open streams are cut with ``drop_streams()`` or silenced with
``stall_streams(seconds)``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Optional

_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Temporarily Unavailable",
            504: "Gateway Time-out"}


@dataclass
class Fault:
    kind: str  # "fail", "rate_limit", "drop" or "stall"
    remaining: int
    path: Optional[str] = None
    status: int = 503
    seconds: float = 0.0

    def body(self):
        """What the server sends: Rails' JSON for a 500, nginx's page for a gateway error."""
        if self.status == 500:
            return {"error": "We're sorry, but something went wrong on our end."}, None
        reason = _REASONS.get(self.status, "Error")
        page = (f"<html>\r\n<head><title>{self.status} {reason}</title></head>\r\n<body>\r\n"
                f"<center><h1>{self.status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
                "</body>\r\n</html>\r\n")
        return page, "text/html"


class Faults:
    def __init__(self, hub):
        self._hub = hub
        self._lock = threading.Lock()
        self._pending = []

    def _add(self, fault):
        if fault.remaining < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._pending.append(fault)
        return self

    def fail(self, count=1, status=503, path=None):
        """Answer the next ``count`` requests with ``status`` (500, 502, 503 or 504)."""
        if not 500 <= status <= 599:
            raise ValueError("status must be a 5xx code")
        return self._add(Fault("fail", count, path, status=status))

    def rate_limit(self, count=1, path=None):
        """Answer the next ``count`` requests with 429, as when their budget is spent."""
        return self._add(Fault("rate_limit", count, path, status=429))

    def drop(self, count=1, path=None):
        """Close the connection of the next ``count`` requests without an answer."""
        return self._add(Fault("drop", count, path))

    def stall(self, count=1, seconds=5.0, path=None):
        """Answer the next ``count`` requests only after ``seconds``."""
        return self._add(Fault("stall", count, path, seconds=seconds))

    def drop_streams(self):
        """Cut every open stream now."""
        self._hub.drop_all()

    def stall_streams(self, seconds):
        """Open streams send nothing (not even heartbeats) for ``seconds``; events queued
        meanwhile are delivered afterwards."""
        self._hub.stall_all(seconds)

    def clear(self):
        """Forget the faults not yet used."""
        with self._lock:
            self._pending.clear()

    @property
    def pending(self):
        with self._lock:
            return sum(fault.remaining for fault in self._pending)

    def take(self, path):
        """The fault for a request to ``path``, used up by one; None when there is none."""
        with self._lock:
            for fault in self._pending:
                if fault.path is None or path.startswith(fault.path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._pending.remove(fault)
                    return fault
        return None
