"""Version handling, the @api_version gate, result containers and utility methods."""

import copy
import datetime
import inspect
import json
import pickle

import pytest

from server import Response

from mastodon import AttribAccessDict, Mastodon, MastodonIllegalArgumentError, MastodonVersionError
from mastodon.types_base import AttribAccessList
from mastodon.utility import api_version, max_version, parse_version_string


@pytest.mark.parametrize("text,expected", [
    ("4.2.1", (4, 2, 1)), ("4.5.0rc1", (4, 5, 0)), ("3.5", (3, 5, 0)), ("4", (4, 0, 0)),
    ("4.3.0-beta.2", (4, 3, 0)), ("10.20.30.40", (10, 20, 30)), ("2.9.x", (2, 9, 0)),
])
def test_parse_version_string(text, expected):
    assert parse_version_string(text) == expected


@pytest.mark.parametrize("text", ["", "takahe/0.11.0", "garbage", "v4.2.1", ".1.2"])
def test_unparseable_versions_raise_version_error(text):
    with pytest.raises(MastodonVersionError):
        parse_version_string(text)


def test_max_version():
    assert max_version("3.0.0", "4.1.0", "4.0.9") == "4.1.0"
    assert max_version("3.5.0", None) == "3.5.0"


@pytest.mark.parametrize("reported,normalised,worked", [
    ("4.5.0", "4.5.0", True),
    ("4.7.0-alpha.2+pr-39999-68e5caf", "4.7.0-alpha.2", True),
    ("3.5.3+hometown-1.0.6", "3.5.3", True),   # the part after + does not parse as a version
    ("3.5.3+4.0.1", "4.0.1", True),             # the part after + does
    ("2.7.2 (compatible; Pleroma 2.0.0)", "2.7.2", True),
    ("takahe/0.11.0", "1.0.0", False),
    ("", "1.0.0", False),
])
def test_retrieve_mastodon_version_normalises(make_api, server, reported, normalised, worked):
    server.route("GET", "/api/v1/instance/", body={"version": reported})
    api = make_api(mastodon_version=None, version_check_mode="created")
    assert api.version_check_worked is worked
    assert server.last.path == "/api/v1/instance/"
    assert api.retrieve_mastodon_version() == normalised
    if worked:
        assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == parse_version_string(normalised)


def test_unreachable_server_version_does_not_break_the_constructor(make_api, server):
    server.route("GET", "/api/v1/instance/", status=502, body=b"<html>down</html>")
    api = make_api(mastodon_version=None)
    assert api.version_check_worked is False
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (1, 0, 0)
    with pytest.raises(MastodonVersionError):
        api.retrieve_mastodon_version(fail_hard=True)


class Gated(Mastodon):
    @api_version("3.1.0", "3.5.0", "4.0.0")
    def gated(self, a, b=2):
        """A gated method."""
        return a + b


def test_api_version_keeps_signature_and_docstring():
    assert str(inspect.signature(Gated.gated)) == "(self, a, b=2)"
    assert "A gated method." in Gated.gated.__doc__
    assert "3.1.0" in Gated.gated.__doc__


@pytest.mark.parametrize("mode,version,allowed", [
    ("created", "3.1.0", True), ("created", "3.0.9", False),
    ("changed", "3.5.0", False), ("changed", "4.0.0", True),
    ("none", "1.0.0", True),
])
def test_version_check_modes(server, mode, version, allowed):
    api = Gated(api_base_url=server.url, mastodon_version=version, version_check_mode=mode)
    if allowed:
        assert api.gated(1) == 3
    else:
        with pytest.raises(MastodonVersionError, match="3.1.0|4.0.0"):
            api.gated(1)
    assert server.requests == []


def test_unknown_server_version_never_refuses_calls(server):
    server.route("GET", "/api/v1/instance/", body={"version": "takahe/0.11.0"})
    api = Gated(api_base_url=server.url)
    assert api.version_check_worked is False
    assert api.gated(1) == 3


def test_verify_minimum_version_cached_and_fresh(make_api, server):
    server.route("GET", "/api/v1/instance/", body={"version": "4.2.0"})
    api = make_api(mastodon_version="3.0.0")
    assert api.verify_minimum_version("3.0.0", cached=True) is True
    assert api.verify_minimum_version("4.0.0", cached=True) is False
    assert server.requests == []
    assert api.verify_minimum_version("4.0.0") is True
    assert len(server.requests) == 1


def test_bad_given_version_is_a_version_error(server):
    with pytest.raises(MastodonVersionError, match="Bad version specified"):
        Mastodon(api_base_url=server.url, mastodon_version="garbage")


def test_supported_version():
    assert Mastodon.get_supported_version() == "3.5.5"
    assert isinstance(inspect.getattr_static(Mastodon, "get_supported_version"), staticmethod)


# --- AttribAccessDict / AttribAccessList ---------------------------------------------------------

def test_attrib_access_dict_is_a_real_dict():
    d = AttribAccessDict(id=1, acct="a", update=True, items=[1])
    assert d.id == 1 and d.acct == "a"
    assert d == {"id": 1, "acct": "a", "update": True, "items": [1]}
    assert json.loads(json.dumps(d)) == dict(d)
    # dict methods win over keys of the same name, as with Mastodon.py
    assert callable(d.update) and d["update"] is True
    assert list(d.items()) == [("id", 1), ("acct", "a"), ("update", True), ("items", [1])]
    assert hasattr(d, "missing") is False
    with pytest.raises(AttributeError):
        d.missing
    with pytest.raises(KeyError):
        d["missing"]


def test_attrib_access_dict_attributes_are_read_only_for_keys():
    d = AttribAccessDict(id=1)
    with pytest.raises(AttributeError):
        d.id = 2
    d["id"] = 3
    assert d.id == 3
    d.note = "mine"
    assert d.note == "mine" and "note" not in d and json.dumps(d) == '{"id": 3}'
    with pytest.raises(AttributeError):
        d.keys = 5
    assert AttribAccessDict(note="key").note == "key"


def test_attrib_access_dict_copies_and_pickles():
    d = AttribAccessDict(id=1, inner=AttribAccessDict(x=[1, 2]))
    d._pagination_next = {"max_id": 3}
    for clone in (copy.deepcopy(d), pickle.loads(pickle.dumps(d)), copy.copy(d)):
        assert clone == d and type(clone) is AttribAccessDict
        assert clone.inner.x == [1, 2]
        assert clone._pagination_next == {"max_id": 3}
    deep = copy.deepcopy(d)
    deep.inner.x.append(3)
    assert d.inner.x == [1, 2]
    lst = AttribAccessList([d])
    lst._pagination_next = {"a": 1}
    again = pickle.loads(pickle.dumps(lst))
    assert again == lst and again._pagination_next == {"a": 1}


# --- utility methods -----------------------------------------------------------------------------

def test_set_language(api, server):
    assert api.set_language("ja") is None
    server.route("GET", "/x", body={})
    api._Mastodon__api_request("GET", "/x")
    assert server.last.query == [("lang", "ja")]


def test_get_approx_server_time(api, server):
    server.fixture("HEAD__200")
    when = api.get_approx_server_time()
    expected = datetime.datetime(2026, 8, 1, 13, 51, 2, tzinfo=datetime.timezone.utc).astimezone().replace(tzinfo=None)
    assert when == expected and when.tzinfo is None
    assert server.last.method == "HEAD" and server.last.path == "/"


def test_get_approx_server_time_without_date_header(api, server):
    server.route("HEAD", "/", Response(200, None, {"Date": ""}))
    from mastodon import MastodonAPIError
    with pytest.raises(MastodonAPIError):
        api.get_approx_server_time()


def test_decode_blurhash(api):
    media = AttribAccessDict(blurhash="UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH")
    image = api.decode_blurhash(media)
    assert len(image) == 4 * 16 and len(image[0]) == 4 * 16 and len(image[0][0]) == 3  # 4x4 components
    assert all(0.0 <= channel <= 1.0 for channel in image[5][7])
    small = api.decode_blurhash(media, out_size=(5, 4), size_per_component=False, return_linear=False)
    assert len(small) == 4 and len(small[0]) == 5
    assert any(channel > 1.0 for row in small for pixel in row for channel in pixel)
    with pytest.raises(MastodonIllegalArgumentError):
        api.decode_blurhash({"blurhash": None})
    with pytest.raises(MastodonIllegalArgumentError):
        api.decode_blurhash({"blurhash": "!!"})


def test_get_status_length():
    assert Mastodon.get_status_length("hello") == 5
    assert Mastodon.get_status_length("see https://example.com/a/very/long/path/indeed ok") == 4 + 23 + 3
    assert Mastodon.get_status_length("hi @alice@remote.example.org") == len("hi @alice")
    assert Mastodon.get_status_length("e\u0301", "cw") == 3


def test_pagination_iterator_rejects_bad_direction(api):
    with pytest.raises(MastodonIllegalArgumentError):
        list(api.pagination_iterator([], direction="sideways"))


def test_decoded_dicts_read_known_unknown_and_extra_attributes():
    from mastodon.internals import parse_json_bytes
    status = parse_json_bytes(b'{"id": "5", "account": {"acct": "a"}, "brand_new_field": 1, "zh-CN": 2}')
    account = parse_json_bytes(b'{"acct": "b", "note": "hi"}')
    assert account.acct == "b" and account.note == "hi"
    assert status.brand_new_field == 1 and getattr(status, "zh-CN") == 2
    assert status.account.acct == "a" and status.id == 5
    with pytest.raises(AttributeError):
        account.display_name  # a known field name that this dict lacks
    account.display_name_cache = "x"  # an extra attribute, not a key
    assert account.display_name_cache == "x" and "display_name_cache" not in account
    fresh = parse_json_bytes(b'{"acct": "c"}')
    fresh.url = "extra"  # a known field name used as an extra attribute
    assert fresh.url == "extra" and "url" not in fresh and fresh.acct == "c"
    user_built = AttribAccessDict(anything_at_all=3)
    assert user_built.anything_at_all == 3


def test_unknown_server_version_picks_the_current_endpoints(make_api, server):
    server.route("GET", "/api/v1/instance/", body={"version": "takahe/0.11.0"})
    server.route("GET", "/api/v2/search", body={"accounts": [], "statuses": [], "hashtags": []})
    api = make_api(mastodon_version=None)
    assert api.version_check_worked is False
    api.search("x")
    assert server.last.path == "/api/v2/search"
