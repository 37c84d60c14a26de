"""The C object hook (mastodon/_speedups.c) against the pure-Python reference hook.

Every answer is decoded by one of the two; they must give the same result for any JSON, and the
C hook's garbage-collector shortcut (atomic-only dicts left untracked) must never lose a cycle.
"""

import datetime
import gc
import json
import os
import subprocess
import sys
import threading
import tracemalloc
import weakref

import pytest
from hypothesis import given, settings, strategies as st

from helpers import FIXTURES, fixture, fixture_body
from mastodon import AttribAccessDict
from mastodon import internals
from mastodon.internals import _DATE_KEYS, _INT_KEYS, _TRUEFALSE_KEYS, _json_object_hook
from mastodon.types_base import LAZY_KEYS

speedups = pytest.importorskip("mastodon._speedups")
c_hook = speedups.object_hook
# Switched off (MASTODON_NO_SPEEDUPS=1), the extension is not configured and not in use.
pytestmark = pytest.mark.skipif(not internals.SPEEDUPS, reason="the C hook is switched off")


def decode_both(text):
    return json.loads(text, object_hook=c_hook), json.loads(text, object_hook=_json_object_hook)


def owns_dict(value):
    """Whether an AttribAccessDict is its own ``__dict__`` (without creating one by asking)."""
    return any(ref is value for ref in gc.get_referents(value))


def read_attribute(value, name):
    try:
        return getattr(value, name)
    except AttributeError as error:  # "_attrs" is a slot, not the key, in both implementations
        return error


def assert_same(ours, reference, path="$"):
    """Equal values of the same types all the way down, with the same attribute set-up."""
    assert type(ours) is type(reference), (path, ours, reference)
    if isinstance(reference, dict):
        assert list(ours) == list(reference), path
        assert owns_dict(ours) == owns_dict(reference), path
        for key in reference:
            assert_same(ours[key], reference[key], f"{path}.{key}")
            if isinstance(key, str) and key.isidentifier() and not hasattr(dict, key):
                ours_attr, reference_attr = read_attribute(ours, key), read_attribute(reference, key)
                if isinstance(reference_attr, Exception):
                    assert type(ours_attr) is type(reference_attr), f"{path}.{key}(attr)"
                else:
                    assert_same(ours_attr, reference_attr, f"{path}.{key}(attr)")
    elif isinstance(reference, list):
        assert len(ours) == len(reference), path
        for index, (a, b) in enumerate(zip(ours, reference)):
            assert_same(a, b, f"{path}[{index}]")
    elif isinstance(reference, float) and reference != reference:
        assert ours != ours
    else:
        assert ours == reference, (path, ours, reference)


special_keys = sorted(_INT_KEYS | _DATE_KEYS | _TRUEFALSE_KEYS)
plain_keys = sorted(LAZY_KEYS - set(special_keys))[:40]
odd_keys = ["brand_new_field", "zh-CN", "", "x" * 70, "Id", "id ", "créé"]
keys = st.one_of(st.sampled_from(special_keys), st.sampled_from(plain_keys), st.sampled_from(odd_keys),
                 st.text(max_size=8))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    st.integers(min_value=0, max_value=10**25).map(str),
    st.sampled_from([
        "117030000000000000", " 12", "+5", "-7", "1_000", "１２", "", "0x10", "12a", "٣", "\t9\n",
        "2024-01-02T03:04:05.000Z", "2024-01-02T03:04:05+02:00", "2024-01-02", "2024-13-45T00:00:00Z",
        "Tue, 02 Jan 2024 03:04:05 GMT", "not a date", "true", "False", "TRUE", "yes",
    ]),
)
documents = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(keys, children, max_size=6),
), max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_c_hook_matches_the_python_hook_on_any_document(document):
    ours, reference = decode_both(json.dumps(document))
    assert_same(ours, reference)


def test_c_hook_matches_on_recorded_fixtures():
    names = sorted(n for n in os.listdir(FIXTURES) if n.endswith(".json"))
    assert len(names) > 100
    for name in names:
        ours, reference = decode_both(json.dumps(fixture(name).get("body")))
        assert_same(ours, reference, name)


def test_the_request_core_uses_the_c_hook_when_it_is_built():
    assert internals.SPEEDUPS is True
    status = internals.parse_json_bytes(b'{"id": "117030000000000000", "created_at": "2026-08-01T13:55:51.777Z"}')
    assert status == {"id": 117030000000000000,
                      "created_at": datetime.datetime(2026, 8, 1, 13, 55, 51, 777000, tzinfo=datetime.timezone.utc)}


def test_the_c_hook_can_be_switched_off():
    code = "import mastodon.internals as i; print(i.SPEEDUPS, i._object_hook is i._json_object_hook)"
    env = dict(os.environ, MASTODON_NO_SPEEDUPS="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_conversions_and_fallbacks():
    text = json.dumps({
        "id": "42", "value": "<p>html</p>", "count": 7, "in_reply_to_id": None,
        "created_at": "2024-01-02T03:04:05.000Z", "last_status_at": "2024-01-02",
        "child": {"id": "9", "expires_at": "Tue, 02 Jan 2024 03:04:05 GMT"},  # dateutil fallback
        "bad": {"id": "1", "created_at": "garbage"},  # dropped, as Mastodon.py does
        "flags": {"follow": "True", "week": "1704164645"},  # left to the Python hook
        "huge": {"id": "1" * 5000},  # past int()'s digit limit: stays a string, as in Python
    })
    ours, reference = decode_both(text)
    assert_same(ours, reference)
    assert ours.id == 42 and ours.value == "<p>html</p>" and ours.count == 7
    assert ours.created_at == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    assert ours.last_status_at == datetime.datetime(2024, 1, 2)
    assert ours.child.expires_at.tzinfo is not None
    assert ours.bad == {"id": 1}
    assert ours.flags.follow is True and isinstance(ours.flags.week, datetime.datetime)
    assert ours.huge.id == "1" * 5000


def test_many_distinct_and_long_keys_do_not_confuse_the_key_cache():
    # More distinct keys than the cache has entries, known keys among them, long ones too.
    document = [{f"k{i}": str(i), "id": str(i), ("x" * 100) + str(i): "1", "created_at": None}
                for i in range(3000)]
    ours, reference = decode_both(json.dumps(document))
    assert_same(ours, reference)
    assert ours[2999].id == 2999 and ours[2999].k2999 == "2999"


def test_threads_decoding_at_once_get_correct_results():
    # The key cache is shared: threads decoding different documents must not disturb each other.
    documents = [json.dumps([{f"t{n}_{i}": str(i), "id": str(n * 1000 + i), "created_at": "2024-01-02",
                              "account": {"acct": f"u{n}", "id": str(n)}} for i in range(200)])
                 for n in range(4)]
    expected = [json.loads(text, object_hook=_json_object_hook) for text in documents]
    failures = []

    def work(n):
        for _ in range(30):
            result = json.loads(documents[n], object_hook=c_hook)
            if result != expected[n] or result[5][f"t{n}_5"] != "5":
                failures.append(n)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_non_plain_dicts_go_to_the_python_hook():
    from collections import OrderedDict
    value = OrderedDict([("id", "5"), ("acct", "a")])
    assert_same(c_hook(OrderedDict(value)), _json_object_hook(OrderedDict(value)))


def test_configure_rejects_bad_tables():
    with pytest.raises(TypeError):
        speedups.configure(dict, {}, datetime.datetime.fromisoformat, _json_object_hook)
    with pytest.raises(TypeError):
        speedups.configure(AttribAccessDict, [], datetime.datetime.fromisoformat, _json_object_hook)
    with pytest.raises(TypeError):
        speedups.configure(AttribAccessDict, {}, None, _json_object_hook)
    with pytest.raises(TypeError):
        speedups.materialize({})
    # The tables in use are unchanged by the refused calls.
    assert internals.parse_json_bytes(b'{"id": "3"}') == {"id": 3}


# ---------------------------------------------------------------------------------------------
# The garbage-collector shortcut


def test_atomic_dicts_are_untracked_like_plain_dicts():
    page = internals.parse_json_bytes(b'[{"id": "1", "account": {"acct": "a", "id": "2"}, "tags": []}]')
    status, account = page[0], page[0]["account"]
    assert gc.is_tracked(status)  # holds containers
    assert not gc.is_tracked(account)  # atomic values only, as json.loads leaves a plain dict
    assert gc.is_tracked(json.loads('{"a": {}}')) and not gc.is_tracked(json.loads('{"a": 1}'))


def test_every_way_into_a_cycle_tracks_the_dict_again():
    account = internals.parse_json_bytes(b'{"acct": "a"}')
    assert not gc.is_tracked(account)
    assert account.acct == "a"  # first attribute read: the dict becomes its own __dict__
    assert gc.is_tracked(account)

    extra = internals.parse_json_bytes(b'{"acct": "b"}')
    extra.note_to_self = "x"  # extra attributes live in the _attrs slot
    assert gc.is_tracked(extra)

    stored = internals.parse_json_bytes(b'{"acct": "c"}')
    stored["more"] = []  # dicts track themselves when a container goes in
    assert gc.is_tracked(stored)

    unknown = internals.parse_json_bytes(b'{"brand_new_field": 1}')
    assert gc.is_tracked(unknown) and unknown.brand_new_field == 1


class _Witness:
    pass


def test_dicts_read_by_attribute_are_freed():
    # The first attribute read makes the dict its own __dict__: a cycle the collector must free.
    def read_many():
        for _ in range(2000):
            account = internals.parse_json_bytes(b'{"acct": "someone", "id": "1", "note": "x"}')
            assert account.acct == "someone"

    tracemalloc.start()  # before the warm-up, for the key cache's turnover (see below)
    growth = []
    try:
        read_many()
        gc.collect()
        for _ in range(3):
            before = tracemalloc.get_traced_memory()[0]
            read_many()
            gc.collect()
            growth.append(tracemalloc.get_traced_memory()[0] - before)
    finally:
        tracemalloc.stop()
    # Freed dicts leave every round as it found it; a leak (2000 dicts a round) grows each one.
    # Caches still settling after the tests before (Python 3.10's json scanner and the key
    # cache) can show in a round or two, not in all three.
    assert min(growth) < 32 * 1024, growth


@pytest.mark.parametrize("make_cycle", ["extra_attribute", "item"])
def test_cycles_through_untracked_dicts_are_collected(make_cycle):
    account = internals.parse_json_bytes(b'{"acct": "a", "id": "1"}')
    witness = _Witness()
    alive = weakref.ref(witness)
    if make_cycle == "extra_attribute":
        account.witness = witness
    else:
        account["w"] = witness
    witness.back = account
    del account, witness
    gc.collect()
    assert alive() is None


@pytest.mark.slow  # ten seconds of decoding under tracemalloc; .ci/run runs it
def test_repeated_decoding_does_not_leak():
    raw = json.dumps(fixture_body("GET_api_v1_timelines_home_200") * 5).encode()
    weird = json.dumps([{"id": "12a", "created_at": "garbage", "brand_new": {"week": "1"}}] * 50).encode()

    def run(times):
        for _ in range(times):
            page = internals.parse_json_bytes(raw)
            page[0].account.acct  # materialise some
            internals.parse_json_bytes(weird)

    # The warm-up fills the key cache (bounded: it holds at most a few thousand short keys) with
    # keys that tracemalloc sees, so that their turnover does not count as growth.
    tracemalloc.start()
    try:
        run(400)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        run(300)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after - before < 16 * 1024
