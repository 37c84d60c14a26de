"""Decoding in both dialects (issue 15): rows I1 to I7, N1 to N5, R1 to R13, P1 to P5, T2, T3
of DIALECTS.md, each in dialect "2" against hand-written values, and every recorded answer decoded
in both dialects with the same data underneath. The C cast and its Python reference must agree.
"""

import copy
import datetime
import json
import pickle
import typing

import pytest

from helpers import assert_sent, fixture_body

from mastodon import AttribAccessDict, MastodonIllegalArgumentError, StreamListener, return_types
from mastodon import _casting, _decoding
from mastodon.types_base import Entity, MaybeSnowflakeIdType, NonPaginatableList, PaginatableList, PaginationInfo

UTC = datetime.timezone.utc
STATUS = fixture_body("GET_api_v1_statuses_id_200")
STATUS_ID = STATUS["id"]
ACCOUNT_ID = STATUS["account"]["id"]


@pytest.fixture
def api2(make_api):
    return make_api(dialect="2")


def answer(server, path, body, method="GET", headers=None):
    server.route(method, path, body=body, headers=headers)


# ---------------------------------------------------------------------------------------------
# Ids (I1 to I7)


def test_i1_ids_of_id_typed_fields_are_the_id_type_and_plain_str_fields_stay_str(api2, server):
    answer(server, "/api/v1/statuses/1", STATUS)
    status = api2.status(1)
    assert type(status.id) is MaybeSnowflakeIdType and status.id == STATUS_ID
    assert type(status.account.id) is MaybeSnowflakeIdType and status.account.id == ACCOUNT_ID
    assert status.in_reply_to_id is None
    answer(server, "/api/v1/markers", {"home": {"last_read_id": "42", "version": 3,
                                                "updated_at": "2026-08-01T10:00:00.000Z"}})
    markers = api2.markers_get()
    assert type(markers["home"].last_read_id) is str and markers["home"].last_read_id == "42"
    assert markers["home"].version == 3


def test_i1_dialect_1_8_ids_stay_ints(api, server):
    answer(server, "/api/v1/statuses/1", STATUS)
    status = api.status(1)
    assert type(status.id) is int and status.id == int(STATUS_ID)
    assert type(status.account.id) is int


def test_i2_to_i5_id_semantics(api2, server):
    answer(server, "/api/v1/statuses/1", dict(STATUS, id="9"))
    status_id = api2.status(1).id
    assert status_id == "9" and status_id != 9
    assert {"9": "found"}[status_id] == "found"
    with pytest.raises(KeyError):
        {9: "int key"}[status_id]
    assert isinstance(status_id, str) and not isinstance(status_id, int)
    with pytest.raises(TypeError):
        status_id + 1
    assert int(status_id) == 9 and str(status_id) == "9" and repr(status_id) == "9"
    assert status_id < 10 and status_id < "10" and sorted([MaybeSnowflakeIdType("10"), status_id]) == ["9", "10"]


def test_i5_snowflake_id_to_datetime(api2, server):
    answer(server, "/api/v1/statuses/1", STATUS)
    when = api2.status(1).id.to_datetime()
    assert isinstance(when, datetime.datetime) and when.tzinfo is None
    created = api2.status(1).created_at.astimezone().replace(tzinfo=None)
    assert abs((when - created).total_seconds()) < 1


def test_i6_ids_serialise_as_json_strings(api2, api, server):
    answer(server, "/api/v1/statuses/1", STATUS)
    assert json.loads(json.dumps(api2.status(1), default=str))["id"] == STATUS_ID
    assert json.loads(json.dumps(api.status(1), default=str))["id"] == int(STATUS_ID)


def test_i7_an_id_taken_from_a_result_is_sent_back_as_a_string_in_json(api2, api, server):
    answer(server, "/api/v1/accounts/1", STATUS["account"])
    answer(server, "/api/v1/accounts/familiar_followers", [])
    api2.account_familiar_followers(api2.account(1))
    assert json.loads(server.last.body) == {"id": [ACCOUNT_ID]}
    api.account_familiar_followers(api.account(1))
    assert json.loads(server.last.body) == {"id": [int(ACCOUNT_ID)]}


def test_i8_datetime_ids_are_the_same_on_the_wire(api2, server):
    answer(server, "/api/v1/timelines/home", [])
    api2.timeline_home(max_id=datetime.datetime(2026, 1, 1, tzinfo=UTC))
    assert_sent(server, "GET", "/api/v1/timelines/home", query={"max_id": "115816896921600000"})


# ---------------------------------------------------------------------------------------------
# Numbers, dates, booleans (N1 to N5)


def test_n1_numbers_convert_by_declared_type_only(api2, server):
    application = {"name": "app", "website": None, "count": "4"}
    answer(server, "/api/v1/statuses/1", dict(STATUS, application=application, replies_count="7"))
    status = api2.status(1)
    assert status.replies_count == 7
    assert status.application["count"] == "4"  # undeclared: the wire value


def test_n1_dialect_1_8_converts_by_key_name(api, server):
    application = {"name": "app", "website": None, "count": "4"}
    answer(server, "/api/v1/statuses/1", dict(STATUS, application=application))
    assert api.status(1).application["count"] == 4


def test_n2_dates_convert_in_declared_fields_only(api2, server):
    application = {"name": "app", "created_at": "2026-08-01T10:00:00.000Z"}
    answer(server, "/api/v1/statuses/1", dict(STATUS, application=application))
    status = api2.status(1)
    assert status.created_at.tzinfo is not None
    assert status.application["created_at"] == "2026-08-01T10:00:00.000Z"


def test_n3_an_unreadable_date_stays_as_none(api2, api, server):
    answer(server, "/api/v1/accounts/1", dict(STATUS["account"], created_at="not a date"))
    account = api2.account(1)
    assert "created_at" in account and account.created_at is None
    assert "created_at" not in api.account(1)


def test_n4_date_only_and_epoch_dates_read_as_in_1_8(api2, api, server):
    answer(server, "/api/v1/accounts/1", dict(STATUS["account"], last_status_at="2026-08-01",
                                              created_at=1785542400))
    for client in (api2, api):
        account = client.account(1)
        assert account.last_status_at == datetime.datetime(2026, 8, 1)
        assert account.created_at == datetime.datetime(2026, 8, 1, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("wire, expected", [("true", True), ("TRUE", True), ("false", False),
                                            ("False", False), ("yes", False), (True, True), (0, False)])
def test_n5_declared_booleans(api2, server, wire, expected):
    alerts = {"follow": wire, "favourite": True, "reblog": False, "mention": True, "poll": False}
    answer(server, "/api/v1/push/subscription", {"id": 3, "endpoint": "https://push.example/x",
                                                 "alerts": alerts, "server_key": "k"})
    assert api2.push_subscription().alerts.follow is expected


def test_n5_undeclared_true_strings_stay_strings(api2, server):
    answer(server, "/api/v1/statuses/1", dict(STATUS, application={"name": "app", "follow": "true"}))
    assert api2.status(1).application["follow"] == "true"


# ---------------------------------------------------------------------------------------------
# Result objects (R1 to R13)


def test_r1_r2_entity_classes(api2, server):
    answer(server, "/api/v1/statuses/1", STATUS)
    status = api2.status(1)
    assert type(status).__name__ == "Status"
    assert isinstance(status, return_types.Status) and isinstance(status, AttribAccessDict)
    assert isinstance(status, dict) and isinstance(status, Entity)
    assert type(status.account).__name__ == "Account" and isinstance(status.account, return_types.Account)


def test_r3_declared_fields_are_filled_in_with_none(api2, api, server):
    answer(server, "/api/v1/statuses/5", {"id": "5", "content": "x", "created_at": "2026-08-01T10:00:00Z"})
    status = api2.status(5)
    declared = [key for key, _ in return_types.FIELD_KINDS[return_types.Status]]
    assert list(status)[:3] == ["id", "content", "created_at"]
    assert sorted(status) == sorted(declared) and len(status) == len(declared)
    assert "visibility" in status and status["visibility"] is None
    assert len(api.status(5)) == 3


def test_r4_absent_and_undeclared_attributes(api2, api, server):
    answer(server, "/api/v1/statuses/5", {"id": "5", "content": "x"})
    status = api2.status(5)
    assert status.visibility is None
    del status["visibility"]
    assert status.visibility is None  # declared: None even when the key is gone
    with pytest.raises(AttributeError, match=r"^'Status' object has no attribute 'x'$"):
        status.x
    with pytest.raises(AttributeError, match="^'Status' object has no attribute 'username'$"):
        status.username
    with pytest.raises(AttributeError, match="Attribute not found: visibility"):
        api.status(5).visibility


def test_r5_attribute_assignment(api2, api, server):
    answer(server, "/api/v1/statuses/5", {"id": "5", "content": "x"})
    status = api2.status(5)
    status.content = "y"
    assert status["content"] == "y" and status.content == "y"
    with pytest.raises(AttributeError, match="^Attribute not found: brand_new$"):
        status.brand_new = 1
    old = api.status(5)
    with pytest.raises(AttributeError, match="read"):
        old.content = "y"
    old.brand_new = 1
    assert "brand_new" not in old


def test_r6_type_tags(api2, api, server):
    answer(server, "/api/v1/statuses/1", STATUS)
    status = api2.status(1)
    assert status._mastopy_type == "Status" and "_mastopy_type" not in status
    assert status.id._mastopy_type == "MaybeSnowflakeIdType"
    assert status.account.emojis._mastopy_type.startswith("NonPaginatableList[")
    assert getattr(api.status(1), "_mastopy_type", None) is None


def test_r7_json_round_trip_in_dialect_2(api2, server):
    answer(server, "/api/v1/statuses/1", STATUS)
    status = api2.status(1)
    text = status.to_json(pretty=True)
    envelope = json.loads(text)
    assert envelope["_mastopy_version"] == "2.0.1" and envelope["_mastopy_type"] == "Status"
    back = type(status).from_json(text)
    assert back == status and type(back) is type(status)
    assert type(back.id) is MaybeSnowflakeIdType and back.created_at == status.created_at


def test_r8_repr_is_ordered_dict_style(api2, api, server):
    answer(server, "/api/v1/statuses/5", {"id": "5", "content": "x"})
    assert repr(api2.status(5)).startswith("Status([('id', 5), ('content', 'x'), (")
    assert str(api2.status(5)) == repr(api2.status(5))
    assert repr(api.status(5)) == "{'id': 5, 'content': 'x'}"


def test_r9_nested_lists_are_non_paginatable_lists(api2, api, server):
    answer(server, "/api/v1/statuses/1", STATUS)
    status = api2.status(1)
    assert type(status.media_attachments) is NonPaginatableList
    assert type(status.tags) is NonPaginatableList and type(status.account.fields) is NonPaginatableList
    assert type(api.status(1).media_attachments) is list


def test_r10_renamed_keys_get_python_names_in_front(api2, api, server):
    body = fixture_body("GET_api_v1_preferences_200")
    answer(server, "/api/v1/preferences", body)
    preferences = api2.preferences()
    renamed = [python for _, python in return_types.RENAMED_KEYS[return_types.Preferences]]
    assert list(preferences)[:len(renamed)] == renamed
    assert preferences.posting_default_visibility == body["posting:default:visibility"]
    assert preferences["posting:default:visibility"] == body["posting:default:visibility"]
    assert list(api.preferences()) == list(body)


def test_r11_moved_fields_answer_from_their_new_path(api2, server):
    v1 = fixture_body("GET_api_v1_instance__200")
    moved = {key: value for key, value in v1.items() if key not in ("uri", "urls")}
    moved["domain"] = "example.org"
    moved["configuration"] = {"urls": {"streaming": "wss://example.org"}}
    answer(server, "/api/v1/instance/", moved)
    instance = api2.instance_v1()
    assert "uri" not in instance and instance.uri == "example.org"
    assert instance.urls == {"streaming": "wss://example.org"}


def test_r12_async_refresh_is_an_attribute(api2, server):
    answer(server, "/api/v1/statuses/1/context", fixture_body("GET_api_v1_statuses_id_context_200"),
           headers={"Mastodon-Async-Refresh": 'id="abc", retry=5, result_count=2'})
    context = api2.status_context(1)
    assert context._async_refresh["id"] == "abc" and "_async_refresh" not in context


def test_r13_pickle_and_deepcopy_keep_the_class(api2, server):
    answer(server, "/api/v1/statuses/1", STATUS)
    status = api2.status(1)
    for copied in (pickle.loads(pickle.dumps(status)), copy.deepcopy(status), copy.copy(status)):
        assert type(copied) is type(status) and copied == status


# ---------------------------------------------------------------------------------------------
# Lists and pagination (P1 to P8), containers (T2, T3)

LINK = ('<{url}/api/v1/timelines/home?max_id=100>; rel="next", '
        '<{url}/api/v1/timelines/home?min_id=200>; rel="prev"')


def test_p1_to_p4_pages(api2, server):
    statuses = [dict(STATUS, id="200"), dict(STATUS, id="100")]
    answer(server, "/api/v1/timelines/home", statuses, headers={"Link": LINK.format(url=server.url)})
    page = api2.timeline_home()
    assert type(page) is PaginatableList and page._mastopy_type == "PaginatableList[Status]"
    assert getattr(page[-1], "_pagination_next", None) is None
    assert getattr(page[0], "_pagination_prev", None) is None
    info = page._pagination_next
    assert type(info) is PaginationInfo and info["_mastopy_type"] == "PaginatableList[Status]"
    assert info["max_id"] == 100
    server.requests.clear()
    api2.fetch_next(page)
    assert_sent(server, "GET", "/api/v1/timelines/home", query={"max_id": "100"})
    assert type(api2.fetch_next(page)[0]).__name__ == "Status"


def test_p1_dialect_1_8_pages(api, server):
    statuses = [dict(STATUS, id="200"), dict(STATUS, id="100")]
    answer(server, "/api/v1/timelines/home", statuses, headers={"Link": LINK.format(url=server.url)})
    page = api.timeline_home()
    assert type(page).__name__ == "AttribAccessList"
    assert page[-1]._pagination_next == page._pagination_next


def test_p2_p5_lists_without_pages(api2, api, server):
    answer(server, "/api/v1/custom_emojis", [{"shortcode": "blob", "url": "https://e.example/b.png",
                                              "static_url": "https://e.example/b.png",
                                              "visible_in_picker": True}])
    emojis = api2.custom_emojis()
    assert type(emojis) is NonPaginatableList and type(emojis[0]).__name__ == "CustomEmoji"
    with pytest.raises(MastodonIllegalArgumentError, match="The passed object is not paginatable"):
        api2.fetch_next(emojis)
    assert type(api.custom_emojis()) is list and api.fetch_next(api.custom_emojis()) is None
    answer(server, "/api/v1/instance/peers", ["a.example", "b.example"])
    assert type(api2.instance_peers()) is NonPaginatableList


def test_p1_a_paginatable_result_without_link_header_and_p8_fetch_remaining(api2, server):
    answer(server, "/api/v1/timelines/home", [dict(STATUS, id="200")])
    page = api2.timeline_home()
    assert type(page) is PaginatableList and api2.fetch_next(page) is None
    assert type(api2.fetch_remaining(page)) is list


def test_t3_typed_containers(api2, server):
    answer(server, "/api/v1/markers", fixture_body("GET_api_v1_markers_200"))
    markers = api2.markers_get()
    assert all(type(marker).__name__ == "Marker" for marker in markers.values())
    answer(server, "/api/v1/accounts/relationships", fixture_body("GET_api_v1_accounts_relationships_200"))
    relationships = api2.account_relationships(1)
    assert type(relationships) is NonPaginatableList and type(relationships[0]).__name__ == "Relationship"


def test_t2_account_creation_error_details(make_api, server):
    api2 = make_api(dialect="2", client_id="id", client_secret="secret")
    server.route("POST", "/oauth/token", body={"access_token": "app", "token_type": "Bearer",
                                                "scope": "read write follow push", "created_at": 1})
    server.route("POST", "/api/v1/accounts", status=422, body={
        "error": "Validation failed", "details": {"email": [{"error": "ERR_TAKEN", "description": "taken"}]}})
    token, error = api2.create_account("u", "pw", "u@example.org", agreement=True, return_detailed_error=True)
    assert token is None and type(error).__name__ == "AccountCreationError"
    assert type(error.details).__name__ == "AccountCreationErrorDetails"
    assert "username" in error.details and error.details.username is None
    assert error.details.email[0].error == "ERR_TAKEN"


# ---------------------------------------------------------------------------------------------
# The same data in both dialects, for every recorded answer; C and Python agree


_PYTHON_NAMES = {python for pairs in return_types.RENAMED_KEYS.values() for _, python in pairs}


def _canonical(value):
    """Wire data with the conversions of either dialect undone as far as they differ: ids,
    numbers, dates and true/false strings as numbers and booleans, absent and None alike, and
    the Python names dialect "2" adds for renamed keys left out."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()
                if item is not None and key not in _PYTHON_NAMES}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.timestamp() if value.tzinfo else value.isoformat()
    if isinstance(value, str):
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        try:
            return int(value)
        except ValueError:
            pass
        try:
            return _canonical(_decoding.parse_date(str(value)))
        except (ValueError, TypeError, OverflowError):
            return str(value)
    return value


def _typed_fixtures():
    entities = {"GET_api_v1_statuses_id_200": return_types.Status,
                "GET_api_v1_timelines_home_200": typing.List[return_types.Status],
                "GET_api_v1_notifications_200": typing.List[return_types.Notification],
                "GET_api_v1_instance__200": return_types.Instance,
                "GET_api_v1_accounts_relationships_200": typing.List[return_types.Relationship],
                "GET_api_v1_polls_id_200": return_types.Poll,
                "GET_api_v1_preferences_200": return_types.Preferences,
                "GET_api_v1_statuses_id_context_200": return_types.Context,
                "GET_api_v1_custom_emojis_200": typing.List[return_types.CustomEmoji],
                "GET_api_v1_admin_accounts_200": typing.List[return_types.AdminAccount]}
    return list(entities.items())


@pytest.mark.parametrize("name, annotation", _typed_fixtures(), ids=[n for n, _ in _typed_fixtures()])
def test_both_dialects_hold_the_same_wire_data(name, annotation):
    raw = json.dumps(fixture_body(name)).encode()
    old = _casting.caster_for(annotation)(_decoding.parse_json_bytes(raw))
    new = _casting.caster_for_v2(annotation)(_decoding.parse_json_bytes_plain(raw))
    assert _canonical(new) == _canonical(old)


class _PythonCastV2:
    cast = staticmethod(_casting.python_cast_entity_v2)


def _v2_python(raw, annotation):
    if _casting._TablesV2.fields is None:
        _casting._TablesV2.load()
    caster = _casting._caster(annotation, _casting._entity_classes(), _PythonCastV2, _casting.python_cast_entity_v2)
    return caster(json.loads(raw, object_hook=_decoding._plain_object_hook))


def _shape(value):
    """Classes and values, at every depth."""
    if isinstance(value, dict):
        return (type(value).__qualname__, type(value).__module__, [(key, _shape(item)) for key, item in value.items()])
    if isinstance(value, list):
        return (type(value).__name__, [_shape(item) for item in value])
    return (type(value).__name__, value)


@pytest.mark.skipif(not _decoding.SPEEDUPS, reason="the C extension is not built")
@pytest.mark.parametrize("name, annotation", _typed_fixtures(), ids=[n for n, _ in _typed_fixtures()])
def test_the_c_cast_equals_the_python_reference(name, annotation):
    raw = json.dumps(fixture_body(name)).encode()
    c_result = _casting.caster_for_v2(annotation)(_decoding.parse_json_bytes_plain(raw))
    python_result = _v2_python(raw, annotation)
    assert _shape(c_result) == _shape(python_result)


ODD_VALUES = [None, "", "x", "12", "-3", "1.5", "true", "FALSE", "2026-08-01", "2026-08-01T10:00:00Z",
              "not a date", 7, 0, 1.5, True, False, [], ["a"], {}, {"id": "3"}, 10 ** 30, "²"]


@pytest.mark.skipif(not _decoding.SPEEDUPS, reason="the C extension is not built")
@pytest.mark.parametrize("value", ODD_VALUES, ids=[repr(v)[:20] for v in ODD_VALUES])
def test_the_c_cast_equals_the_python_reference_on_odd_values(value):
    kinds = return_types.FIELD_KINDS[return_types.Account]
    body = {key: value for key, _ in kinds}
    body["emojis"] = [{"shortcode": value, "visible_in_picker": value}]
    raw = json.dumps(body).encode()
    c_result = _casting.caster_for_v2(return_types.Account)(_decoding.parse_json_bytes_plain(raw))
    assert _shape(c_result) == _shape(_v2_python(raw, return_types.Account))


# ---------------------------------------------------------------------------------------------
# Stream payloads (E1 to E5): a bare listener speaks the process default, a streamed one its
# client's dialect


class _Body:
    def __init__(self, data):
        self.data = data

    def iter_content(self, chunk_size=1):
        yield self.data


class _Events(StreamListener):
    def __init__(self):
        self.events = []

    def on_update(self, status):
        self.events.append(("update", status))

    def on_notification(self, notification):
        self.events.append(("notification", notification))

    def on_delete(self, status_id):
        self.events.append(("delete", status_id))

    def on_status_update(self, status):
        self.events.append(("status.update", status))

    def on_announcement_reaction(self, reaction):
        self.events.append(("announcement.reaction", reaction))

    def on_announcement_delete(self, annoucement_id):
        self.events.append(("announcement.delete", annoucement_id))

    def on_unknown_event(self, name, unknown_event=None):
        self.events.append((name, unknown_event))


def stream_events(*events):
    listener = _Events()
    text = "".join(f"event: {name}\ndata: {data}\n\n" for name, data in events)
    listener.handle_stream(_Body(text.encode()))
    return listener.events


NOTIFICATION = {"id": "12", "type": "mention", "created_at": "2026-08-01T10:00:00.000Z",
                "account": STATUS["account"], "status": STATUS}


@pytest.mark.parametrize("process", ["1.8", "2"])
def test_e1_update_and_notification_payloads(monkeypatch, process):
    monkeypatch.setenv("MASTODON_PY_DIALECT", process)
    (_, status), (_, notification) = stream_events(("update", json.dumps(STATUS)),
                                                   ("notification", json.dumps(NOTIFICATION)))
    assert type(status).__name__ == "Status" and type(notification.status).__name__ == "Status"
    id_type = MaybeSnowflakeIdType if process == "2" else int
    assert type(status.id) is id_type and type(notification.status.account.id) is id_type
    assert type(notification).__module__ == ("mastodon._entities_v2" if process == "2" else "mastodon.return_types")


@pytest.mark.parametrize("process, expected", [("1.8", 123), ("2", "123")])
def test_e2_delete_payload(monkeypatch, process, expected):
    monkeypatch.setenv("MASTODON_PY_DIALECT", process)
    assert stream_events(("delete", "123")) == [("delete", expected)]
    assert type(stream_events(("delete", "123"))[0][1]) is type(expected)


def test_e3_status_update_payload_in_dialect_2(monkeypatch):
    monkeypatch.setenv("MASTODON_PY_DIALECT", "2")
    [(_, status)] = stream_events(("status.update", json.dumps(STATUS)))
    assert type(status) is AttribAccessDict and status["id"] == STATUS_ID and type(status["id"]) is str
    assert status["created_at"] == STATUS["created_at"]
    monkeypatch.setenv("MASTODON_PY_DIALECT", "1.8")
    [(_, status)] = stream_events(("status.update", json.dumps(STATUS)))
    assert type(status.id) is int


def test_e4_announcement_events_in_dialect_2(monkeypatch):
    monkeypatch.setenv("MASTODON_PY_DIALECT", "2")
    reaction = {"name": "👍", "count": "2", "announcement_id": "8"}
    events = stream_events(("announcement.reaction", json.dumps(reaction)), ("announcement.delete", "8"))
    assert type(events[0][1]) is AttribAccessDict and events[0][1]["count"] == "2"
    assert events[1] == ("announcement.delete", 8)
    monkeypatch.setenv("MASTODON_PY_DIALECT", "1.8")
    assert stream_events(("announcement.reaction", json.dumps(reaction)))[0][1]["count"] == 2


def test_e5_unknown_events_keep_their_wire_values_in_dialect_2(monkeypatch):
    monkeypatch.setenv("MASTODON_PY_DIALECT", "2")
    [(name, payload)] = stream_events(("foo.bar", '{"count": "3", "id": "2", "created_at": "2026-08-01T10:00:00Z"}'))
    assert name == "foo.bar" and type(payload) is AttribAccessDict
    assert payload == {"count": "3", "id": "2", "created_at": "2026-08-01T10:00:00Z"}
    monkeypatch.setenv("MASTODON_PY_DIALECT", "1.8")
    [(_, payload)] = stream_events(("foo.bar", '{"count": "3", "id": "2"}'))
    assert payload == {"count": 3, "id": 2}


def test_a_streamed_listener_decodes_in_its_clients_dialect(make_api, server, sse):
    from conftest import Response
    from sse_server import instance_body
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(sse.ws_url)))
    api2 = make_api(dialect="2")

    def script(stream):
        stream.event("update", json.dumps(STATUS))
        stream.event("delete", "77")
        stream.end()
    sse.serve(script)
    listener = _Events()
    api2.stream_user(listener)
    assert [name for name, _ in listener.events] == ["update", "delete"]
    assert type(listener.events[0][1].id) is MaybeSnowflakeIdType and listener.events[1][1] == "77"


@pytest.mark.skipif(not _decoding.SPEEDUPS, reason="the C extension is not built")
def test_the_1_8_hook_is_unchanged_once_dialect_2_numbered_the_keys():
    _casting.caster_for_v2(return_types.Status)  # loads dialect 2's tables into the C module
    for name, _ in _typed_fixtures():
        raw = json.dumps(fixture_body(name)).encode()
        c_result = _decoding.parse_json_bytes(raw)
        python_result = json.loads(raw, object_hook=_decoding._json_object_hook)
        assert _shape(c_result) == _shape(python_result), name


@pytest.mark.skipif(not _decoding.SPEEDUPS, reason="the C extension is not built")
def test_the_c_cast_refuses_a_table_it_cannot_follow():
    from mastodon import _speedups
    _casting.caster_for_v2(return_types.Status)
    good = _casting._TablesV2.fields
    v2_class, entries, fixup, positions, kinds = good[return_types.Status]
    too_many = tuple(entries) * 2
    args = (_casting._PLAIN, None, _casting.choose, MaybeSnowflakeIdType, NonPaginatableList,
            datetime.datetime.fromisoformat, _casting._v2_date, {})
    for table in ({return_types.Status: (v2_class, too_many, fixup, positions, bytes(len(too_many)))},
                  {return_types.Status: (v2_class, entries, fixup, positions, kinds[:-1])},
                  {return_types.Status: (dict, entries, fixup, positions, kinds)}):
        with pytest.raises(TypeError):
            _speedups.configure_cast_v2(args[0], table, *args[2:])
    with pytest.raises(TypeError):  # a list type with another layout than list's
        _speedups.configure_cast_v2(args[0], good, args[2], args[3], PaginatableList, *args[5:])


# ---------------------------------------------------------------------------------------------
# The typed-result tests (test_typed_results.py) in both dialects, with the C cast and its Python
# reference: the same classes (as isinstance sees them) and the same values, in each dialect's
# id type.


@pytest.fixture(params=[("1.8", "C"), ("1.8", "Python"), ("2", "C"), ("2", "Python")],
                ids=["1.8-C", "1.8-Python", "2-C", "2-Python"])
def typed_api(request, make_api, monkeypatch):
    dialect, implementation = request.param
    _casting._Tables.load()
    _casting._TablesV2.load()
    if implementation == "Python":
        monkeypatch.setattr(_casting._Tables, "cast", _casting.python_cast_entity)
        monkeypatch.setattr(_casting._TablesV2, "cast", _casting.python_cast_entity_v2)
    elif _casting._Tables.cast is _casting.python_cast_entity:
        pytest.skip("the C extension is not built")
    api = make_api(dialect=dialect)
    api.id_of = (lambda wire: MaybeSnowflakeIdType(wire)) if dialect == "2" else int
    return api


def test_both_dialects_a_status_and_what_it_holds(typed_api, server):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = typed_api.status(1)
    assert isinstance(status, return_types.Status) and isinstance(status.account, return_types.Account)
    assert status.account.id == typed_api.id_of(ACCOUNT_ID)
    assert type(status.account.id) is type(typed_api.id_of(ACCOUNT_ID))
    assert isinstance(status.created_at, datetime.datetime) and status.created_at.tzinfo is not None
    assert [isinstance(field, return_types.AccountField) for field in status.account.fields] == [True, True]
    assert status.account.fields[0].name == "bread" and status.reblog is None


def test_both_dialects_a_page_of_notifications_and_the_next_page(typed_api, server):
    from server import Response
    status = {"id": "9", "content": "<p>hi</p>", "created_at": "2026-08-01T00:00:00Z",
              "account": {"id": "5", "acct": "a"}}
    server.route("GET", "/api/v1/notifications", Response(200, [
        {"id": "4", "type": "mention", "created_at": "2026-08-01T00:00:00Z", "account": {"id": "5", "acct": "a"},
         "status": status},
        {"id": "3", "type": "follow", "created_at": "2026-08-01T00:00:00Z", "account": {"id": "6", "acct": "b"}}],
        {"Link": '<http://x/api/v1/notifications?max_id=3>; rel="next"'}))
    page = typed_api.notifications()
    assert all(isinstance(n, return_types.Notification) and isinstance(n.account, return_types.Account)
               for n in page)
    assert page[0].status.id == typed_api.id_of("9") and page[0].account.id == typed_api.id_of("5")
    server.route("GET", "/api/v1/notifications", Response(200, [{"id": "1", "type": "follow",
                                                                  "created_at": "2026-08-01T00:00:00Z",
                                                                  "account": {"id": "7", "acct": "c"}}]))
    following = typed_api.fetch_next(page)
    assert isinstance(following[0], return_types.Notification)
    assert type(following[0]) is type(page[0]) and following[0].account.id == typed_api.id_of("7")


def test_both_dialects_json_and_pickle_round_trips(typed_api, server):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = typed_api.status(1)
    again = type(status).from_json(status.to_json())
    assert again == status and type(again) is type(status) and type(again.account) is type(status.account)
    for copied in (pickle.loads(pickle.dumps(status)), copy.deepcopy(status)):
        assert copied == status and type(copied) is type(status)


# ---------------------------------------------------------------------------------------------
# What the library adds works the same in dialect "2": a dropped stream backfills, exactly once


def test_dialect_2_stream_backfills_its_gap_exactly_once(make_api, server, sse):
    from server import Response
    from sse_server import instance_body
    from test_streaming_backfill import MastodonTimeline, Recorder, page, rest_requests, run_user_stream, \
        send_then, statuses
    server.route("GET", "/api/v1/instance/", Response(200, instance_body(sse.ws_url)))
    server.route("GET", "/api/v1/timelines/home", handler=MastodonTimeline(range(1, 61)))
    sse.serve(send_then(statuses(1, 2, 3, 4, 5), "drop"), send_then(statuses(*range(50, 66)), "stall"))
    listener = Recorder()
    run_user_stream(make_api(dialect="2"), listener, lambda calls: ("update", "65") in calls)
    assert listener.calls == [("update", str(i)) for i in range(1, 66)]
    assert all(type(status_id) is MaybeSnowflakeIdType for _, status_id in listener.calls)
    # (Dialect "2" also reads the v2 instance for the feed check and the streaming URL: W6.)
    timeline = [request for request in rest_requests(server) if not request[0].startswith("/api/v2/instance")]
    assert timeline == [("/api/v1/timelines/home", page(5)), ("/api/v1/timelines/home", page(5, max_id=21))]


@pytest.mark.parametrize("standard", [False, True], ids=["aesgcm", "aes128gcm"])
def test_dialect_2_decrypts_pushes_into_its_push_notification(make_api, server, standard):
    pytest.importorskip("cryptography")
    pytest.importorskip("http_ece")
    from test_push import mastodon_encrypt, mastodon_payload
    api2 = make_api(dialect="2")
    private, public = api2.push_subscription_generate_keys()
    payload = dict(mastodon_payload(), notification_id="117020579695730951")
    body, headers = mastodon_encrypt(payload, public, standard=standard)
    push = api2.push_subscription_decrypt_push(body, private, headers.get("Encryption"), headers.get("Crypto-Key"))
    assert isinstance(push, return_types.PushNotification) and type(push).__module__ == "mastodon._entities_v2"
    assert push.notification_id == "117020579695730951"  # an IdType field: the wire value
    assert push.body == "@alice hello there & welcome <3" and server.requests == []


def test_dialect_2_websocket_listeners_subscribed_later_decode_in_the_clients_dialect(make_api, server):
    pytest.importorskip("websockets")
    from server import Response
    from sse_server import instance_body
    from test_websocket import Recorder
    from ws_server import WSServer

    def script(conn):
        conn.wait_for_messages(1)
        conn.status(8, stream=["user"])
        conn.event("delete", "9", stream=["user"])
        conn.hold()

    with WSServer() as ws:
        ws.serve(script)
        server.route("GET", "/api/v1/instance/", Response(200, instance_body(ws.url)))
        handle = make_api(dialect="2").stream_open_websocket()
        try:
            listener = Recorder()
            handle.subscribe("user", listener)
            assert listener.wait_for(lambda calls: len(calls) == 2), listener.calls
        finally:
            handle.close()
    assert listener.calls == [("update", "8", ["user"]), ("delete", "9")]
    assert type(listener.calls[0][1]) is MaybeSnowflakeIdType and type(listener.calls[1][1]) is str
