"""Times of the parsers of server text on hostile input, and of whole calls against hostile answers.

Every parser must be linear: the time per megabyte is what matters, and doubling the input must
about double the time. The old ``Link`` expression is timed beside the new parser on growing
input to show the difference in growth.

    python3 benchmarks/bench_hostile.py
"""

import os
import re
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from mastodon import Mastodon, MastodonError  # noqa: E402
from mastodon import _http_errors, _links, _ratelimit  # noqa: E402
from mastodon.streaming import StreamListener  # noqa: E402
from server import RecordingServer, Response  # noqa: E402

MEGABYTE = 1024 * 1024
_OLD_LINK_RE = re.compile(r'<([^>]*)>\s*((?:;\s*[^;,<]*)*)')


def timed(function, *args):
    started = time.perf_counter()
    try:
        function(*args)
    except MastodonError:
        pass
    return time.perf_counter() - started


class _Body:
    def __init__(self, data):
        self.data = data

    def iter_content(self, chunk_size=1):
        for start in range(0, len(self.data), 65536):
            yield self.data[start:start + 65536]


def parsers():
    limiter = _ratelimit.RateLimiter("wait")
    cases = {
        "Link header": lambda text: _links.parse_link_header(text),
        "Link URL ids": lambda text: _links.pagination_params_from_url("https://x/?max_id=" + text),
        "async-refresh header": lambda text: _links.parse_async_refresh(text),
        "rate-limit headers": lambda text: limiter.update({"X-RateLimit-Reset": text, "Date": text,
                                                           "X-RateLimit-Remaining": text}),
        "error body excerpt": lambda text: _http_errors.body_excerpt(text.encode()),
        "SSE stream": lambda text: StreamListener().handle_stream(_Body(text.encode())),
    }
    inputs = {"<": "<", "<a": "<a", ";rel=": ";rel=", '"': '"', "data:x\\n": "data:x\n", "²": "\u00b2"}
    print("Parser times on one megabyte of hostile input (ms), and the ratio 2 MB / 1 MB:")
    for name, parse in cases.items():
        row = []
        for label, unit in inputs.items():
            one = timed(parse, unit * (MEGABYTE // len(unit)))
            two = timed(parse, unit * (2 * MEGABYTE // len(unit)))
            row.append(f"{label}: {one * 1000:.1f} ({two / max(one, 1e-9):.1f}x)")
        print(f"  {name:22s} " + ", ".join(row))


def link_growth():
    print("Link header of n '<' characters (s): old expression vs the parser now")
    for n in (2500, 5000, 10000, 20000, 60000):
        old = timed(lambda: list(_OLD_LINK_RE.finditer("<" * n))) if n <= 10000 else float("nan")
        new = timed(_links.parse_link_header, "<" * n)
        print(f"  n={n:6d}  old {old:8.3f}  now {new:8.5f}")


def whole_calls():
    with RecordingServer() as server:
        api = Mastodon(api_base_url=server.url, access_token="x" * 43, version_check_mode="none")
        for status in (502, 200):
            server.route("GET", "/api/v1/statuses/1", Response(status, b"<" * 200000, {"Content-Type": "text/html"}))
            started = time.perf_counter()
            try:
                api.status(1)
            except MastodonError as error:
                print(f"200,000 '<' answered with {status}: {type(error).__name__} after "
                      f"{time.perf_counter() - started:.3f} s, message of {len(str(error))} characters")
        server.route("GET", "/api/v1/statuses/1", Response(502, b"x" * (100 * MEGABYTE), {"Content-Type": "text/html"}))
        started = time.perf_counter()
        try:
            api.status(1)
        except MastodonError as error:
            print(f"100 MB error page: {time.perf_counter() - started:.3f} s, {len(error.response.content)} bytes read, "
                  f"message of {len(str(error))} characters")


def trickle():
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]

    def serve():
        conn, _ = sock.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            try:
                for _ in range(1000):
                    time.sleep(0.5)
                    conn.sendall(b" ")
            except OSError:
                pass

    threading.Thread(target=serve, daemon=True).start()
    api = Mastodon(api_base_url=f"http://127.0.0.1:{port}", access_token="x" * 43, version_check_mode="none",
                   request_timeout=2)
    started = time.perf_counter()
    try:
        api.timeline_home()
    except MastodonError as error:
        print(f"Body trickled at 1 byte per 0.5 s, request_timeout=2: {type(error).__name__} after "
              f"{time.perf_counter() - started:.2f} s")
    sock.close()


if __name__ == "__main__":
    parsers()
    link_growth()
    whole_calls()
    trickle()
