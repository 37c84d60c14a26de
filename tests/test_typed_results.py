"""Results are instances of the entity classes their methods declare (issue 13), at no cost to
what a Mastodon.py 1.8.1 caller sees: the same dicts, ids as ints, dates as datetimes."""

import copy
import datetime
import json
import pickle

import pytest

from helpers import fixture_body
from server import Response
from sse_server import sse_event
from mastodon import AttribAccessDict, StreamListener, _casting, return_types as rt
from mastodon._serialise import json_default
from mastodon.types_base import AttribAccessList

UTC = datetime.timezone.utc


@pytest.fixture(params=["C", "Python"])
def cast_impl(request, monkeypatch):
    """Run a test with the C cast (where built) and with the Python reference."""
    _casting._Tables.load()
    if request.param == "Python":
        monkeypatch.setattr(_casting._Tables, "cast", _casting.python_cast_entity)
    elif _casting._Tables.cast is _casting.python_cast_entity:
        pytest.skip("the C extension is not built")
    return request.param


def test_a_status_and_what_it_holds_get_their_classes(api, server, cast_impl):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = api.status(1)
    assert type(status) is rt.Status and isinstance(status, dict) and isinstance(status, AttribAccessDict)
    assert type(status.account) is rt.Account
    assert status.account.acct == "mastodonpy_test" and status.account.id == 117020565966271181
    assert isinstance(status.created_at, datetime.datetime)
    assert status.reblog is None and status.poll is None
    assert [type(e) for e in status.account.fields] == [rt.AccountField] * 2
    assert status.account.fields[0].name == "bread"


def test_a_page_of_notifications_holds_typed_statuses_and_the_next_page_too(api, server, cast_impl):
    status = {"id": "9", "content": "<p>hi</p>", "created_at": "2026-08-01T00:00:00Z",
              "account": {"id": "5", "acct": "a"}}
    server.route("GET", "/api/v1/notifications", Response(200, [
        {"id": "4", "type": "mention", "created_at": "2026-08-01T00:00:00Z", "account": {"id": "5", "acct": "a"},
         "status": status},
        {"id": "3", "type": "follow", "created_at": "2026-08-01T00:00:00Z", "account": {"id": "6", "acct": "b"}}],
        {"Link": '<http://x/api/v1/notifications?max_id=3>; rel="next"'}))
    page = api.notifications()
    assert type(page) is AttribAccessList and page
    assert all(type(n) is rt.Notification and type(n.account) is rt.Account for n in page)
    with_status = [n for n in page if n.get("status")]
    assert with_status and all(type(n.status) is rt.Status for n in with_status)
    server.route("GET", "/api/v1/notifications", Response(200, [{"id": "1", "type": "follow",
                                                                  "created_at": "2026-08-01T00:00:00Z",
                                                                  "account": {"id": "5", "acct": "a"}}]))
    following = api.fetch_next(page)
    assert type(following[0]) is rt.Notification and type(following[0].account) is rt.Account


def test_union_fields_pick_the_candidate_whose_fields_are_there(cast_impl):
    full = AttribAccessDict(state="accepted", quoted_status=AttribAccessDict(id=1, content="x"))
    shallow = AttribAccessDict(state="accepted", quoted_status_id=1)
    status = AttribAccessDict(id=1, quote=full)
    _casting.cast_entity(status, rt.Status)
    assert type(status.quote) is rt.Quote and type(status.quote.quoted_status) is rt.Status
    status = AttribAccessDict(id=2, quote=shallow)
    _casting.cast_entity(status, rt.Status)
    assert type(status.quote) is rt.ShallowQuote


def test_casting_twice_and_odd_shapes_leave_objects_alone(cast_impl):
    status = AttribAccessDict(account="not an object", media_attachments={"not": "a list"}, reblog=[1])
    assert _casting.cast_entity(status, rt.Status) is status
    assert type(status) is rt.Status and status.account == "not an object"
    assert _casting.cast_entity(status, rt.Account) is status and type(status) is rt.Status
    plain = {"id": 1}
    assert _casting.cast_entity(plain, rt.Status) is plain and type(plain) is dict


def test_the_c_cast_gives_the_same_classes_as_the_python_reference():
    _casting._Tables.load()
    if _casting._Tables.cast is _casting.python_cast_entity:
        pytest.skip("the C extension is not built")
    from mastodon._decoding import parse_json_bytes
    for name in ("GET_api_v1_timelines_home_200", "GET_api_v1_notifications_200", "GET_api_v2_search_200"):
        raw = json.dumps(fixture_body(name)).encode()
        target = {"GET_api_v2_search_200": rt.SearchV2}.get(name)
        for cast in (_casting._Tables.cast, _casting.python_cast_entity):
            decoded = parse_json_bytes(raw)
            items = [decoded] if target else decoded
            for item in items:
                cast(item, target or (rt.Notification if "notifications" in name else rt.Status))
            if cast is _casting._Tables.cast:
                c_classes = _classes(decoded)
            else:
                assert _classes(decoded) == c_classes


def _classes(value):
    if isinstance(value, dict):
        return (type(value).__name__, {key: _classes(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_classes(item) for item in value]
    return None


def test_stream_events_arrive_as_entities(stream_api, sse):
    seen = []

    class Listener(StreamListener):
        def on_update(self, status):
            seen.append(status)

        def on_notification(self, notification):
            seen.append(notification)

    status = {"id": "9", "content": "<p>hi</p>", "created_at": "2026-08-01T00:00:00Z",
              "account": {"id": "5", "acct": "a"}, "media_attachments": [{"id": "3", "type": "image"}]}
    notification = {"id": "4", "type": "mention", "created_at": "2026-08-01T00:00:00Z",
                    "account": {"id": "5", "acct": "a"}, "status": status}

    def script(stream):
        stream.start()
        stream.write(sse_event("update", json.dumps(status)))
        stream.write(sse_event("notification", json.dumps(notification)))
        stream.end()

    sse.serve(script)
    stream_api.stream_user(Listener())
    assert [type(x) for x in seen] == [rt.Status, rt.Notification]
    assert type(seen[0].media_attachments[0]) is rt.MediaAttachment and seen[0].id == 9
    assert type(seen[1].status) is rt.Status and type(seen[1].status.account) is rt.Account


def test_to_json_and_back_gives_an_equal_result_of_the_same_class(api, server):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = api.status(1)
    text = status.to_json()
    envelope = json.loads(text)
    assert envelope["_mastopy_type"] == "Status" and envelope["_mastopy_version"] == "2.0.1"
    assert envelope["_mastopy_data"]["id"] == status.id and isinstance(status.id, int)
    assert envelope["_mastopy_data"]["created_at"] == status.created_at.isoformat()
    again = rt.Status.from_json(text)
    assert again == status and type(again) is rt.Status and type(again.account) is rt.Account
    assert again.created_at == status.created_at and isinstance(again.created_at, datetime.datetime)
    assert AttribAccessDict.from_json(status.to_json(pretty=False)) == status
    with pytest.raises(ValueError, match="not a Account"):
        rt.Account.from_json(text)


def test_a_page_to_json_and_back_keeps_its_pagination(api, server):
    server.fixture("GET_api_v1_timelines_home_200")
    page = api.timeline_home()
    again = AttribAccessList.from_json(page.to_json())
    assert again == page and type(again) is AttribAccessList and type(again[0]) is rt.Status
    assert dict(again._pagination_next) == dict(page._pagination_next)
    server.route("GET", "/api/v1/timelines/home", Response(200, [{"id": "1", "account": {"id": "2"}}]))
    following = api.fetch_next(again)
    assert type(following[0]) is rt.Status and type(following[0].account) is rt.Account


def test_json_dumps_with_the_default_helper(api, server):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = api.status(1)
    text = json.dumps(status, default=json_default)
    assert json.loads(text)["created_at"] == status.created_at.isoformat()
    with pytest.raises(TypeError):
        json.dumps({"x": object()}, default=json_default)


def test_pickle_and_copies_keep_the_class(api, server):
    server.fixture("GET_api_v1_timelines_home_200")
    page = api.timeline_home()
    for again in (pickle.loads(pickle.dumps(page)), copy.deepcopy(page)):
        assert again == page and type(again[0]) is rt.Status and type(again[0].account) is rt.Account
        assert again._pagination_next == page._pagination_next
    assert type(copy.copy(page[0])) is rt.Status


def test_a_1_8_1_caller_sees_the_same_values(api, server):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = api.status(1)
    assert status["id"] == status.id and isinstance(status.id, int)
    assert status.account["acct"] == "mastodonpy_test"
    assert list(status.keys()) == list(fixture_body("GET_api_v1_statuses_id_200").keys())
    assert dict(status) == {k: status[k] for k in status}
