"""WebSocket streaming throughput: events per client-CPU second, ours vs. a floor.

A separate process (tests/ws_server.py) sends the same mixed frames on every connection as
Mastodon frames them (``{"stream": ["user"], "event": ..., "payload": "<JSON text>"}``): updates
carrying a realistic ~2.8 KB status, notifications and deletes, the mix of bench_streaming.py.
The client reads them three times:

* floor: the same client library used as its documentation shows, ``websockets.sync.client``'s
  ``connect`` and ``recv()``, plus ``json.loads`` of every frame and of its payload (the payload
  is JSON inside JSON: every consumer decodes twice). No dispatch, no conversion of ids and dates;
* ours: a :class:`~mastodon.WebSocketStreamHandle` with one subscription (frame reading over the
  library's sans-I/O protocol, routing by stream, the library's id/date conversion and attribute
  dicts, dispatch to ``on_*`` handlers), counted until the server closes;
* for reference, the sans-I/O floor: the library's protocol over a plain socket read in large
  chunks, plus the same two ``json.loads`` (the cheapest way to read these frames with it).

CPU time is ``time.process_time()`` of this (client) process, all its threads. Run:
``python benchmarks/bench_websocket.py [events]``; prints the ratios ours / floor.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from websockets.client import ClientProtocol  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402
from websockets.frames import Opcode  # noqa: E402
from websockets.sync.client import connect  # noqa: E402
from websockets.uri import parse_uri  # noqa: E402

from mastodon import StreamListener, WebSocketStreamHandle  # noqa: E402


def decode(message):
    frame = json.loads(message)
    if frame["event"] != "delete":
        json.loads(frame["payload"])


def run_floor(url):
    count = 0
    started = time.process_time()
    with connect(url, compression=None) as websocket:
        try:
            while True:
                decode(websocket.recv())
                count += 1
        except ConnectionClosed:
            pass
    return count, time.process_time() - started


def run_sans_io_floor(url):
    count = 0
    started = time.process_time()
    uri = parse_uri(url)
    protocol = ClientProtocol(uri, max_size=2 ** 24)
    sock = socket.create_connection((uri.host, uri.port))
    protocol.send_request(protocol.connect())
    sock.sendall(b"".join(protocol.data_to_send()))
    done = False
    while not done:
        data = sock.recv(256 * 1024)
        if data:
            protocol.receive_data(data)
        else:
            protocol.receive_eof()
            done = True
        for event in protocol.events_received():
            if getattr(event, "opcode", None) is Opcode.TEXT:
                decode(event.data)
                count += 1
            elif getattr(event, "opcode", None) is Opcode.CLOSE:
                done = True
        for chunk in protocol.data_to_send():
            if chunk:
                sock.sendall(chunk)
    sock.close()
    return count, time.process_time() - started


class Counting(StreamListener):
    def __init__(self):
        self.count = 0
        self.ended = threading.Event()

    def on_update(self, status):
        self.count += 1

    def on_notification(self, notification):
        self.count += 1

    def on_delete(self, status_id):
        self.count += 1

    def on_abort(self, err):
        self.ended.set()


def run_ours(url):
    listener = Counting()
    started = time.process_time()
    handle = WebSocketStreamHandle(url, None, None, listener, liveness_timeout=None)
    handle.subscribe("user")
    listener.ended.wait(120)
    cpu = time.process_time() - started
    handle.close()
    return listener.count, cpu


def main():
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    port_file = os.path.join(tempfile.mkdtemp(prefix="bench_websocket_"), "port")
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "ws_server.py"), port_file, str(events)])
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the WebSocket server did not start")
            time.sleep(0.05)
        with open(port_file) as handle:
            url = f"ws://127.0.0.1:{handle.read().strip()}/api/v1/streaming"

        results = {"floor": [], "sans-I/O floor": [], "ours": []}
        for _ in range(3):  # interleaved, best of three: the machine's noise hits all alike
            for name, run in (("floor", run_floor), ("sans-I/O floor", run_sans_io_floor), ("ours", run_ours)):
                count, cpu = run(url)
                assert count == events, (name, count, events)
                results[name].append(count / cpu)
        best = {name: max(rates) for name, rates in results.items()}
        print(f"events: {events}")
        print(f"floor (websockets.sync recv + 2x json.loads): {best['floor']:,.0f} events per CPU second")
        print(f"sans-I/O floor (protocol + 2x json.loads):    {best['sans-I/O floor']:,.0f} events per CPU second")
        print(f"mastodon WebSocketStreamHandle:                {best['ours']:,.0f} events per CPU second")
        print(f"ratio ours / floor: {best['ours'] / best['floor']:.2f}")
        print(f"ratio ours / sans-I/O floor: {best['ours'] / best['sans-I/O floor']:.2f}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
