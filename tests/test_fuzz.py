"""Property tests: parsers only ever return correct results or raise a Mastodon*Error."""

import datetime
import json

from hypothesis import given, settings, strategies as st

from mastodon import AttribAccessDict, MastodonError, MastodonVersionError
from mastodon.internals import (
    _DATE_KEYS, _INT_KEYS, _TRUEFALSE_KEYS, pagination_params_from_url, parse_json_bytes,
    parse_link_header,
)
from mastodon.versions import parse_version_string

ids = st.one_of(st.integers(min_value=0, max_value=10**20).map(str), st.text(alphabet="abcdef0123456789", min_size=1, max_size=12))


@given(st.text(max_size=300))
def test_link_header_parser_never_raises_on_garbage(value):
    links = parse_link_header(value)
    assert isinstance(links, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in links.items())


@given(next_id=ids, prev_id=ids, base=st.sampled_from(["https://a.example/api/v1/timelines/home",
                                                        "http://127.0.0.1:3000/api/v1/favourites"]),
       spaces=st.sampled_from(["", " ", "  "]))
def test_link_header_parser_reads_valid_headers(next_id, prev_id, base, spaces):
    header = f'<{base}?max_id={next_id}>;{spaces}rel="next",{spaces}<{base}?min_id={prev_id}&limit=5>; rel="prev"'
    links = parse_link_header(header)
    assert links == {"next": f"{base}?max_id={next_id}", "prev": f"{base}?min_id={prev_id}&limit=5"}
    nxt = pagination_params_from_url(links["next"])
    assert nxt == {"max_id": int(next_id) if next_id.isdigit() else next_id}


@given(st.text(max_size=200))
def test_pagination_params_from_any_url(value):
    found = pagination_params_from_url(value)
    assert set(found) <= {"max_id", "min_id", "since_id", "offset"}


@given(st.text(max_size=40))
def test_version_parser_returns_three_ints_or_version_error(value):
    try:
        parsed = parse_version_string(value)
    except MastodonVersionError:
        return
    assert isinstance(parsed, tuple) and len(parsed) == 3 and all(isinstance(x, int) and x >= 0 for x in parsed)


@given(st.tuples(st.integers(0, 999), st.integers(0, 999), st.integers(0, 999)), st.sampled_from(["", "rc1", "-beta.2", "+glitch"]))
def test_version_parser_reads_real_versions(numbers, suffix):
    assert parse_version_string("%d.%d.%d%s" % (numbers + (suffix,))) == numbers


special = sorted(_INT_KEYS | _DATE_KEYS | _TRUEFALSE_KEYS)
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
                    st.sampled_from(["2024-01-02T03:04:05.000Z", "2024-01-02", "true", "FALSE", "123", "1e999"]))
json_values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(special), st.text(max_size=8)), children, max_size=6)),
    max_leaves=30)


def check_converted(original, parsed):
    if isinstance(original, dict):
        assert isinstance(parsed, AttribAccessDict)
        for key, value in original.items():
            if key in _DATE_KEYS:
                if key not in parsed:
                    continue  # unparseable dates are dropped, as in Mastodon.py
                got = parsed[key]
                assert got is None or isinstance(got, datetime.datetime) or value is None
                if isinstance(got, datetime.datetime) and not isinstance(value, str):
                    assert got.tzinfo is not None  # epoch numbers are UTC
                continue
            assert key in parsed
            got = parsed[key]
            if key in _INT_KEYS and isinstance(value, str):
                try:
                    assert got == int(value)
                except ValueError:
                    assert got == value
            elif key in _TRUEFALSE_KEYS and isinstance(value, str) and value.lower() in ("true", "false"):
                assert got is (value.lower() == "true")
            else:
                check_converted(value, got)
    elif isinstance(original, list):
        assert isinstance(parsed, list) and len(parsed) == len(original)
        for a, b in zip(original, parsed):
            check_converted(a, b)
    else:
        assert parsed == original or (isinstance(original, float) and parsed == original)


@settings(max_examples=300)
@given(json_values)
def test_json_post_processing_is_total_and_correct(value):
    data = json.dumps(value).encode()
    try:
        parsed = parse_json_bytes(data)
    except MastodonError:
        return
    check_converted(value, parsed)


@given(st.binary(max_size=200))
def test_core_turns_garbage_bodies_into_api_errors(body):
    from mastodon.internals import Mastodon as Core

    class FakeResponse:
        status_code = 200
        reason = "OK"
        headers = {}
        content = body

    try:
        Core._Mastodon__parse_response(None, FakeResponse())
    except MastodonError:
        pass
