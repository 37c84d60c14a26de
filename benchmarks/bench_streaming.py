"""Streaming throughput: events per client-CPU second, ours vs. a plain ``iter_lines`` loop.

A separate process (tests/sse_server.py) serves the same 20,000 mixed events on every
connection: updates carrying a realistic ~2.8 KB status, notifications, deletes and heartbeats,
in chunked transfer encoding as Mastodon does. The client reads the stream twice:

* baseline: ``response.iter_lines()`` + ``json.loads`` of every ``data:`` line (no dispatch, no
  conversion of ids and dates);
* ours: ``StreamListener.handle_stream`` (SSE parsing, JSON with the library's id/date
  conversion and attribute dicts, dispatch to ``on_*`` handlers).

CPU time is measured with ``time.process_time()`` in this (client) process only. Run:
``python benchmarks/bench_streaming.py [events] [rounds]``; prints the ratio ours / baseline, in
dialect "1.8" and in dialect "2" (the listener speaks the process default, set per run).
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from mastodon import StreamListener  # noqa: E402


class Counting(StreamListener):
    def __init__(self):
        self.count = 0

    def on_update(self, status):
        self.count += 1

    def on_notification(self, notification):
        self.count += 1

    def on_delete(self, status_id):
        self.count += 1


def run_baseline(url):
    count = 0
    started = time.process_time()
    with requests.get(url, stream=True, timeout=(10, 60)) as response:
        for line in response.iter_lines():
            if line.startswith(b"data: "):
                json.loads(line[6:])
                count += 1
    return count, time.process_time() - started


def run_ours(url, dialect="1.8"):
    """A bare listener speaks the process default dialect (MASTODON_PY_DIALECT)."""
    listener = Counting()
    os.environ["MASTODON_PY_DIALECT"] = dialect
    try:
        started = time.process_time()
        with requests.get(url, stream=True, timeout=(10, 60)) as response:
            listener.handle_stream(response)
        return listener.count, time.process_time() - started
    finally:
        del os.environ["MASTODON_PY_DIALECT"]


def main():
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    port_file = os.path.join(tempfile.mkdtemp(prefix="bench_streaming_"), "port")
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "sse_server.py"), port_file, str(events)])
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the SSE server did not start")
            time.sleep(0.05)
        with open(port_file) as handle:
            url = f"http://127.0.0.1:{handle.read().strip()}/api/v1/streaming/user"

        # Rounds interleave the three readers so that machine noise hits them alike; the best
        # round of each counts.
        rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
        base_cpu = our_cpu = v2_cpu = float("inf")
        for _ in range(rounds):
            base_count, cpu = run_baseline(url)
            base_cpu = min(base_cpu, cpu)
            our_count, cpu = run_ours(url)
            our_cpu = min(our_cpu, cpu)
            v2_count, cpu = run_ours(url, "2")
            v2_cpu = min(v2_cpu, cpu)
            assert base_count == our_count == v2_count == events, (base_count, our_count, v2_count, events)
        base_rate = events / base_cpu
        our_rate = events / our_cpu
        v2_rate = events / v2_cpu
        print(f"events: {events}, best of {rounds} rounds")
        print(f"baseline iter_lines + json.loads: {base_rate:,.0f} events per CPU second ({base_cpu:.2f} s)")
        print(f"mastodon StreamListener:          {our_rate:,.0f} events per CPU second ({our_cpu:.2f} s)")
        print(f"  the same in dialect 2:          {v2_rate:,.0f} events per CPU second ({v2_cpu:.2f} s)")
        print(f"ratio ours / baseline: {our_rate / base_rate:.2f}")
        print(f"ratio dialect 2 / baseline: {v2_rate / base_rate:.2f}")
        print(f"CPU of dialect 2 / dialect 1.8: {v2_cpu / our_cpu:.2f} (target <= 1.1)")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
