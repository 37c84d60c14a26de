"""Benchmark: pace mode against a server that grants ``limit`` calls per ``window`` seconds.

Run with ``python benchmarks/bench_pace.py [--threads 8] [--calls 1000] [--limit 300]
[--window 1.0] [--latency 0.001] [--pacefactor 1.1] [--skews 0,3,-3] [--date-offset 0]``. Threads share one client in ``pace`` mode and
each makes ``--calls`` calls. The loopback server (in a separate process) behaves like Mastodon:
fixed windows aligned to its own clock, ``X-RateLimit-Limit`` / ``-Remaining`` / ``-Reset`` (ISO 8601
with microseconds) on every answer, a ``Date`` header of one-second resolution, 429 past the
budget. ``--skews`` sets the server clock ahead (positive) or behind (negative) of the client's;
``--date-offset`` moves the ``Date`` header alone (a front proxy with a clock of its own).

Printed per skew: wall time against the ideal ``calls / limit * window`` (pace mode spreads the
calls over the window, it does not burst), the 429s the server sent, the smallest
``ratelimit_remaining`` a side thread saw, and the most calls the server counted in one window.
Targets: ratio <= 1.1, no 429, remaining never negative, no window over the budget.

``BudgetServer`` is also the server of ``tests/test_ratelimit_pace.py``, which runs
:func:`run_pace` scaled down.
"""

import argparse
import email.utils
import json
import multiprocessing
import os
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from mastodon import Mastodon  # noqa: E402

STATS_PATH = "/__stats"


class BudgetServer:
    """A loopback server enforcing ``limit`` requests per fixed ``window`` like Mastodon.

    Its clock is the local one plus ``skew`` seconds: windows, the ``Date`` header and the reset
    times all follow it. ``date_offset`` moves the ``Date`` header alone, as a front proxy with a
    clock of its own would. Each request is counted when it arrives and answered ``latency`` seconds
    later. ``GET /__stats`` answers the per-window counts and the number of 429s, uncounted.
    """

    def __init__(self, limit, window, skew=0.0, latency=0.0, date_offset=0.0):
        self.limit, self.window, self.skew, self.latency = limit, window, skew, latency
        self.date_offset = date_offset
        self._lock = threading.Lock()
        self.counts = Counter()
        self.rejected = 0
        self._httpd = None
        self._thread = None

    @property
    def url(self):
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def count(self):
        """Count one request: its status code and rate-limit headers."""
        now = time.time() + self.skew
        index = int(now // self.window)
        with self._lock:
            self.counts[index] += 1
            used = self.counts[index]
            if used > self.limit:
                self.rejected += 1
        reset = datetime.fromtimestamp((index + 1) * self.window, timezone.utc)
        headers = {
            "Date": email.utils.formatdate(now + self.date_offset, usegmt=True),
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - used)),
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }
        return (429 if used > self.limit else 200), headers

    def stats(self):
        with self._lock:
            return {"counts": dict(self.counts), "rejected": self.rejected}

    def start(self):
        budget = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without this, Nagle's algorithm and the
            # client's delayed ACK hold every answer back by 40 ms.
            disable_nagle_algorithm = True

            def do_GET(self):
                if self.path == STATS_PATH:
                    self._answer(200, {}, budget.stats())
                    return
                status, headers = budget.count()
                if budget.latency:
                    time.sleep(budget.latency)
                self._answer(status, headers, {"error": "Too many requests"} if status == 429 else {})

            def _answer(self, status, headers, body):
                data = json.dumps(body).encode()
                self.send_response_only(status)
                # Date is part of the rate-limit headers (on the server's clock), not the default.
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def fetch_stats(url):
    body = requests.get(url + STATS_PATH, timeout=10).json()
    return {int(index): count for index, count in body["counts"].items()}, body["rejected"]


def run_pace(url, threads, calls, limit, window, pacefactor=1.1):
    """``threads`` threads sharing one pace-mode client make ``calls`` calls each.

    Returns a dict: ``elapsed`` and ``ideal`` seconds, ``ratio``, ``errors`` (exceptions the
    calls raised), ``min_remaining`` (sampled from a side thread and after every call),
    ``rejected`` (429s the server sent) and ``max_window`` (most calls counted in one window).
    """
    api = Mastodon(api_base_url=url, access_token="x", ratelimit_method="pace",
                   ratelimit_pacefactor=pacefactor, version_check_mode="none")
    errors = []
    seen = [api.ratelimit_remaining]
    done = threading.Event()

    def sample():
        while not done.is_set():
            seen.append(api.ratelimit_remaining)
            time.sleep(0.0005)

    def worker():
        for _ in range(calls):
            try:
                api._Mastodon__api_request("GET", "/api/v1/budget")
            except Exception as e:  # noqa: BLE001 - counted and reported
                errors.append(e)
            seen.append(api.ratelimit_remaining)

    sampler = threading.Thread(target=sample, daemon=True)
    workers = [threading.Thread(target=worker) for _ in range(threads)]
    sampler.start()
    start = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    api.session.close()
    counts, rejected = fetch_stats(url)
    ideal = threads * calls / limit * window
    return {"elapsed": elapsed, "ideal": ideal, "ratio": elapsed / ideal, "errors": errors,
            "min_remaining": min(seen), "rejected": rejected,
            "max_window": max(counts.values(), default=0), "windows": len(counts)}


def serve(port_queue, limit, window, skew, latency, date_offset):
    server = BudgetServer(limit, window, skew, latency, date_offset).start()
    port_queue.put(server.url)
    threading.Event().wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--calls", type=int, default=1000, help="calls per thread")
    parser.add_argument("--limit", type=int, default=300, help="calls per window")
    parser.add_argument("--window", type=float, default=1.0, help="window in seconds")
    parser.add_argument("--latency", type=float, default=0.001, help="server answer delay in seconds")
    parser.add_argument("--pacefactor", type=float, default=1.1)
    parser.add_argument("--skews", default="0,3,-3", help="server clock offsets in seconds, comma separated")
    parser.add_argument("--date-offset", type=float, default=0.0,
                        help="Date header ahead of the server's rate-limit clock by this many seconds")
    args = parser.parse_args()

    print(f"{args.threads} threads x {args.calls} calls, {args.limit} per {args.window} s window, "
          f"latency {args.latency * 1000:.1f} ms, pacefactor {args.pacefactor}, "
          f"Date offset {args.date_offset:+.1f} s")
    print(f"{'skew':>6} {'time':>8} {'ideal':>8} {'ratio':>6} {'429s':>5} {'errors':>6} "
          f"{'min rem':>7} {'max/window':>10}")
    context = multiprocessing.get_context("spawn")
    for skew in (float(s) for s in args.skews.split(",")):
        urls = context.Queue()
        server = context.Process(target=serve, daemon=True,
                                 args=(urls, args.limit, args.window, skew, args.latency, args.date_offset))
        server.start()
        try:
            result = run_pace(urls.get(timeout=30), args.threads, args.calls, args.limit,
                              args.window, args.pacefactor)
        finally:
            server.terminate()
            server.join()
        print(f"{skew:+6.1f} {result['elapsed']:8.2f} {result['ideal']:8.2f} {result['ratio']:6.3f} "
              f"{result['rejected']:5d} {len(result['errors']):6d} {result['min_remaining']:7d} "
              f"{result['max_window']:10d}")
        if result["errors"]:
            print(f"       first error: {result['errors'][0]!r}")


if __name__ == "__main__":
    main()
