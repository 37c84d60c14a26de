"""Benchmark: timeline reading against a floor of plain ``requests`` + ``json.loads``.

Run with ``python benchmarks/bench_timeline.py [--calls N] [--pages N]``. A loopback server in a
separate process serves a realistic page of 40 statuses (accounts, media, mentions, tags,
emojis, card, poll; built from the recorded fixtures) so that only the client's CPU is measured.

Measured, client side only:
- ``timeline_home(limit=40)``: CPU per call (``time.process_time``), against ``session.get`` +
  ``json.loads`` of the same page.
- ``fetch_remaining`` over 50 pages: CPU, and memory retained by the result (``tracemalloc``),
  against following ``Link`` headers by hand with ``json.loads``.

Targets: ratio ≤ 1.3 for CPU, ≤ 1.1 for retained memory. The script prints ratios; it is not a test.
``MASTODON_NO_SPEEDUPS=1`` measures the pure-Python object hook instead of the C one.
"""

import argparse
import copy
import gc
import json
import multiprocessing
import os
import sys
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
sys.path.insert(0, ROOT)

PAGE_SIZE = 40
FIRST_ID = 117030000000000000


def _load(name):
    with open(os.path.join(FIXTURES, name + ".json"), encoding="utf-8") as handle:
        return json.load(handle)["body"]


def build_page_template():
    """40 distinct statuses (~4 KB each) built from recorded fixtures."""
    home = _load("GET_api_v1_timelines_home_200")
    full = _load("GET_api_v1_statuses_id_200")
    media = _load("GET_api_v1_media_id_200")
    poll = _load("GET_api_v1_polls_id_200")
    accounts = [s["account"] for s in home] + [full["account"]]
    card = full["card"] or {"url": "https://example.org/", "title": "Example", "type": "link"}
    statuses = []
    for i in range(PAGE_SIZE):
        base = copy.deepcopy(home[i % len(home)])
        base.update({k: copy.deepcopy(v) for k, v in full.items() if k not in base})
        author = copy.deepcopy(accounts[i % len(accounts)])
        author["id"] = str(int(author["id"]) + i)
        base["account"] = author
        base["mentions"] = [{"id": str(int(a["id"]) + 7), "username": a["username"], "acct": a["acct"] + "@remote.example",
                             "url": a["url"]} for a in accounts[:2]]
        base["tags"] = [{"name": f"tag{i}", "url": f"http://localhost:3000/tags/tag{i}"},
                        {"name": "python", "url": "http://localhost:3000/tags/python"}]
        base["emojis"] = [{"shortcode": f"blob{i}", "url": f"http://localhost:3000/emoji/{i}.png",
                           "static_url": f"http://localhost:3000/emoji/{i}s.png", "visible_in_picker": True}]
        attachment = copy.deepcopy(media)
        attachment["id"] = str(int(attachment["id"]) + i)
        base["media_attachments"] = [attachment]
        base["card"] = copy.deepcopy(card) if i % 2 == 0 else None
        if i % 4 == 0:
            base["poll"] = copy.deepcopy(poll)
            base["poll"]["id"] = str(100 + i)
        base["content"] = (f"<p>Status {i} with a <a href=\"https://example.org/{i}\">link</a> and "
                           "some words to give it a realistic length for a timeline entry.</p>") * 2
        statuses.append(base)
    return statuses


def render_page(template, page_index):
    """Page ``page_index`` of the timeline (ids decreasing) as JSON bytes."""
    for i, status in enumerate(template):
        status["id"] = str(FIRST_ID - page_index * PAGE_SIZE - i)
    return json.dumps(template).encode("utf-8")


def serve(port_queue, pages):
    template = build_page_template()
    rendered = [render_page(template, p) for p in range(pages)]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            split = urlsplit(self.path)
            query = dict(parse_qsl(split.query))
            page = 0
            if "max_id" in query:
                page = (FIRST_ID - int(query["max_id"])) // PAGE_SIZE + 1
            if split.path == "/api/v1/instance/":
                body = json.dumps({"version": "4.5.0"}).encode()
                headers = {}
            elif page >= pages:
                body, headers = b"[]", {}
            else:
                body = rendered[page]
                last_id = FIRST_ID - page * PAGE_SIZE - (PAGE_SIZE - 1)
                first_id = FIRST_ID - page * PAGE_SIZE
                base = f"http://127.0.0.1:{self.server.server_address[1]}{split.path}"
                links = [f'<{base}?min_id={first_id}>; rel="prev"']
                if page + 1 < pages:
                    links.insert(0, f'<{base}?limit={PAGE_SIZE}&max_id={last_id}>; rel="next"')
                headers = {"Link": ", ".join(links), "X-RateLimit-Limit": "300",
                           "X-RateLimit-Remaining": "299", "X-RateLimit-Reset": "2099-01-01T00:00:00.000Z"}
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port_queue.put(httpd.server_address[1])
    httpd.serve_forever()


# ---------------------------------------------------------------------------------------------
# Clients

TOKEN = "bench-token"


def floor_timeline(session, base):
    response = session.get(base + "/api/v1/timelines/home", params={"limit": PAGE_SIZE},
                           headers={"Authorization": "Bearer " + TOKEN}, timeout=300)
    response.raise_for_status()
    return json.loads(response.content)


def floor_fetch_all(session, base):
    items = []
    url = base + "/api/v1/timelines/home?limit=%d" % PAGE_SIZE
    while url:
        response = session.get(url, headers={"Authorization": "Bearer " + TOKEN}, timeout=300)
        response.raise_for_status()
        page = json.loads(response.content)
        if not page:
            break
        items.extend(page)
        url = response.links.get("next", {}).get("url")
    return items


def cpu_per_call(function, calls):
    function()  # warm up connections and caches
    gc.collect()
    start = time.process_time()
    for _ in range(calls):
        function()
    return (time.process_time() - start) / calls


def retained_memory(function):
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = function()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del result
    return after - before


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=150, help="timeline_home calls per side")
    parser.add_argument("--pages", type=int, default=50, help="pages walked by fetch_remaining")
    parser.add_argument("--rounds", type=int, default=7, help="rounds per side (the best counts)")
    args = parser.parse_args()

    import requests
    from mastodon import Mastodon

    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    server = context.Process(target=serve, args=(ports, args.pages), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=30)
        base = f"http://127.0.0.1:{port}"
        session = requests.Session()
        api = Mastodon(api_base_url=base, access_token=TOKEN, mastodon_version="4.5.0",
                       version_check_mode="created", ratelimit_method="throw")
        # Dialect "2" decodes by declared type into its own classes: measured against dialect
        # "1.8" on the same pages (target: within 1.1x).
        api2 = Mastodon(api_base_url=base, access_token=TOKEN, mastodon_version="4.5.0",
                        version_check_mode="created", ratelimit_method="throw", dialect="2")

        size = len(session.get(base + "/api/v1/timelines/home?limit=40").content)
        from mastodon.internals import SPEEDUPS
        print(f"payload: {PAGE_SIZE} statuses, {size / 1024:.0f} KiB per page; {args.pages} pages; "
              f"object hook: {'C (mastodon._speedups)' if SPEEDUPS else 'pure Python'}")

        results = {}
        # Interleave the two sides so that machine noise hits both alike; keep the best round.
        floor_cpu, ours_cpu, v2_cpu = [], [], []
        for _ in range(args.rounds):
            floor_cpu.append(cpu_per_call(lambda: floor_timeline(session, base), args.calls))
            ours_cpu.append(cpu_per_call(lambda: api.timeline_home(limit=PAGE_SIZE), args.calls))
            v2_cpu.append(cpu_per_call(lambda: api2.timeline_home(limit=PAGE_SIZE), args.calls))
        results["timeline_home CPU/call"] = (min(floor_cpu), min(ours_cpu), 1.3, "ms", 1000)
        results["timeline_home CPU/call, dialect 2"] = (min(floor_cpu), min(v2_cpu), 1.3 * 1.1, "ms", 1000)
        results["  dialect 2 / dialect 1.8"] = (min(ours_cpu), min(v2_cpu), 1.1, "ms", 1000)

        floor_cpu, ours_cpu, v2_cpu = [], [], []
        for _ in range(args.rounds):
            floor_cpu.append(cpu_per_call(lambda: floor_fetch_all(session, base), 1))
            ours_cpu.append(cpu_per_call(lambda: api.fetch_remaining(api.timeline_home(limit=PAGE_SIZE)), 1))
            v2_cpu.append(cpu_per_call(lambda: api2.fetch_remaining(api2.timeline_home(limit=PAGE_SIZE)), 1))
        results["fetch_remaining CPU"] = (min(floor_cpu), min(ours_cpu), 1.3, "ms", 1000)
        results["fetch_remaining CPU, dialect 2"] = (min(floor_cpu), min(v2_cpu), 1.3 * 1.1, "ms", 1000)
        results["  dialect 2 / dialect 1.8 "] = (min(ours_cpu), min(v2_cpu), 1.1, "ms", 1000)

        floor_mem = retained_memory(lambda: floor_fetch_all(session, base))
        ours_mem = retained_memory(lambda: api.fetch_remaining(api.timeline_home(limit=PAGE_SIZE)))
        results["fetch_remaining retained memory"] = (floor_mem, ours_mem, 1.1, "MiB", 1 / 2 ** 20)

        print(f"{'measure':34} {'floor':>10} {'mastodon':>10} {'ratio':>7} {'target':>7}")
        for name, (floor, ours, target, unit, scale) in results.items():
            target = round(target, 2)
            ratio = ours / floor
            verdict = "ok" if ratio <= target else "MISSED"
            print(f"{name:34} {floor * scale:8.2f}{unit:>3} {ours * scale:8.2f}{unit:>3} {ratio:7.2f} "
                  f"{'≤' + str(target):>7} {verdict}")
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    main()
