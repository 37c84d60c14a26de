"""Attribute access and memory of parsed results against plain ``json.loads`` dicts.

Targets (issue: foundation): ns per ``status.account.acct`` on 10,000 parsed statuses within 2x
of plain dict indexing, and bytes per parsed status within 1.1x of the plain ``json.loads``
result, both measured in this one run.

Run: ``python benchmarks/bench_parse.py``
"""

import gc
import json
import statistics
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from mastodon.internals import parse_json_bytes  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
COUNT = 10_000


def statuses_payload():
    with open(os.path.join(FIXTURES, "GET_api_v1_timelines_home_200.json"), encoding="utf-8") as handle:
        samples = json.load(handle)["body"]
    statuses = []
    for i in range(COUNT):
        status = json.loads(json.dumps(samples[i % len(samples)]))
        status["id"] = str(117000000000000000 + i)
        statuses.append(status)
    return json.dumps(statuses).encode("utf-8")


def read_plain(items):
    for status in items:
        status["account"]["acct"]


def read_attributes(items):
    for status in items:
        status.account.acct


def one_pass(items, read):
    start = time.perf_counter_ns()
    read(items)
    return (time.perf_counter_ns() - start) / len(items)


def paired_passes(plain, parsed, rounds=21):
    """Alternate passes over both sides so that both see the same machine state (10,000
    statuses exceed the CPU caches, and memory speed drifts on a shared machine); return the
    best ns per item of each side and the median of the per-round ratios."""
    read_plain(plain)
    read_attributes(parsed)  # first reads turn the dicts into their own attribute namespace
    plain_times, attr_times, ratios = [], [], []
    for _ in range(rounds):
        p = one_pass(plain, read_plain)
        a = one_pass(parsed, read_attributes)
        plain_times.append(p)
        attr_times.append(a)
        ratios.append(a / p)
    return min(plain_times), min(attr_times), statistics.median(ratios)


def retained_bytes(parse, data):
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = parse(data)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del result
    return after - before


def main():
    data = statuses_payload()
    plain = json.loads(data)
    parsed = parse_json_bytes(data)
    assert parsed[0].account.acct == plain[0]["account"]["acct"]

    plain_ns, attr_ns, median_ratio = paired_passes(plain, parsed)
    plain_bytes = retained_bytes(json.loads, data) / COUNT
    parsed_bytes = retained_bytes(parse_json_bytes, data) / COUNT

    access_ratio = attr_ns / plain_ns
    print(f"median of paired per-pass ratios: {median_ratio:.2f}")
    memory_ratio = parsed_bytes / plain_bytes
    print(f"status.account.acct: {attr_ns:.1f} ns vs s['account']['acct']: {plain_ns:.1f} ns "
          f"-> ratio {access_ratio:.2f} (target <= 2.0) {'PASS' if access_ratio <= 2.0 else 'FAIL'}")
    print(f"bytes per parsed status: {parsed_bytes:.0f} vs json.loads: {plain_bytes:.0f} "
          f"-> ratio {memory_ratio:.3f} (target <= 1.1) {'PASS' if memory_ratio <= 1.1 else 'FAIL'}")
    return 0 if access_ratio <= 2.0 and memory_ratio <= 1.1 else 1


if __name__ == "__main__":
    sys.exit(main())
