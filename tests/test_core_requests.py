"""The request core: what goes on the wire, and how answers are parsed and paginated."""

import datetime
import json
import logging

import pytest

from conftest import TOKEN
from helpers import fixture_body
from server import RecordingServer, Response

from mastodon import AttribAccessDict, Mastodon
from mastodon.types_base import AttribAccessList

UTC = datetime.timezone.utc


def request(api, *args, **kwargs):
    return api._Mastodon__api_request(*args, **kwargs)


# --- what is sent -------------------------------------------------------------------------------

def test_get_sends_params_as_query_and_token_and_user_agent(api, server):
    server.route("GET", "/api/v1/things", body=[])
    request(api, "GET", "/api/v1/things", {"limit": 5, "q": "hé llo"})
    sent = server.last
    assert sent.method == "GET"
    assert sent.query == [("limit", "5"), ("q", "hé llo")]
    assert sent.body == b""
    assert sent.headers["authorization"] == "Bearer " + TOKEN
    assert sent.headers["user-agent"] == "mastodonpy"


def test_post_sends_params_as_form_body(api, server):
    server.route("POST", "/api/v1/things", body={})
    request(api, "POST", "/api/v1/things", {"a": "1", "b[]": ["x", "y"]})
    assert server.last.query == []
    assert server.last.form == [("a", "1"), ("b[]", "x"), ("b[]", "y")]


def test_request_without_params_has_no_body(api, server):
    server.route("POST", "/api/v1/things", body={})
    request(api, "POST", "/api/v1/things")
    assert server.last.body == b""
    assert "content-type" not in server.last.headers


def test_use_json_sends_a_json_body_even_for_get(api, server):
    server.route("GET", "/api/v1/things", body={})
    request(api, "GET", "/api/v1/things", {"id": [1, 2]}, use_json=True)
    assert server.last.query == []
    assert server.last.json == {"id": [1, 2]}


def test_instance_language_is_added_to_every_request(make_api, server):
    api = make_api(lang="de")
    server.route("GET", "/api/v1/things", body={})
    server.route("POST", "/api/v1/things", body={})
    request(api, "GET", "/api/v1/things", {"limit": 1})
    assert server.last.query == [("limit", "1"), ("lang", "de")]
    request(api, "POST", "/api/v1/things", {"x": "y"}, use_json=True)
    assert server.last.json == {"x": "y", "lang": "de"}
    request(api, "GET", "/api/v1/things", lang_override="fr")
    assert server.last.query == [("lang", "fr")]


def test_access_token_override_replaces_the_token(api, server):
    server.route("GET", "/x", body={})
    request(api, "GET", "/x", access_token_override="other")
    assert server.last.headers["authorization"] == "Bearer other"


def test_no_authorization_header_without_token(make_api, server):
    api = make_api(access_token=None)
    server.route("GET", "/x", body={})
    request(api, "GET", "/x")
    assert "authorization" not in server.last.headers


def test_token_is_never_sent_to_another_host(api, server):
    with RecordingServer() as elsewhere:
        elsewhere.route("GET", "/x", body={})
        request(api, "GET", elsewhere.url + "/x", base_url_override="")
        assert "authorization" not in elsewhere.last.headers
        request(api, "GET", "/x", base_url_override=elsewhere.url)
        assert "authorization" not in elsewhere.last.headers
    server.route("GET", "/x", body={})
    request(api, "GET", server.url + "/x", base_url_override="")
    assert server.last.headers["authorization"] == "Bearer " + TOKEN


def test_user_callable_core_keeps_the_upstream_call_shape(api, server):
    server.fixture("GET_api_v1_accounts_id_200", path="/api/v1/accounts/117020565966271181")
    account = api._Mastodon__api_request("GET", "/api/v1/accounts/117020565966271181", {})
    assert account.id == 117020565966271181
    raw = api._Mastodon__api_request("GET", "/api/v1/accounts/117020565966271181", parse=False)
    assert json.loads(raw)["id"] == "117020565966271181"
    response = api._Mastodon__api_request("GET", "/api/v1/accounts/117020565966271181",
                                          return_response_object=True)
    assert response.status_code == 200


# --- parameter generation and id unpacking --------------------------------------------------------

def test_generate_params_encodes_like_mastodon_py(api):
    generate = api._Mastodon__generate_params
    when = datetime.datetime(2020, 1, 1, tzinfo=UTC)
    params = generate(dict(a=True, b=False, c=None, tags=["x", "y"], d=0, max_id={"id": 7},
                           min_id=when, e="s"), exclude=["e"])
    assert params == {"a": "1", "b": "0", "d": 0, "max_id": 7,
                      "min_id": (int(when.timestamp()) << 16) * 1000, "tags[]": ["x", "y"]}
    assert list(params) == ["a", "b", "d", "max_id", "min_id", "tags[]"]
    assert generate(dict(tags=["x"]), for_json=True) == {"tags": ["x"]}


def test_unpack_id(api):
    unpack = api._Mastodon__unpack_id
    assert unpack({"id": 5, "x": 1}) == 5
    assert unpack(AttribAccessDict(id=6)) == 6
    assert unpack(7) == 7
    assert unpack("8") == "8"
    assert unpack(None) is None
    assert unpack([{"id": 1}, 2]) == [1, 2]
    assert unpack(3, listify=True) == [3]
    assert unpack({"name": "tag"}, field="name") == "tag"
    assert unpack(datetime.datetime(2021, 5, 1, tzinfo=UTC), dateconv=True) == \
        (int(datetime.datetime(2021, 5, 1, tzinfo=UTC).timestamp()) << 16) * 1000


def test_isoformat_for_sending_is_utc_with_colon_offset(api):
    fmt = api._Mastodon__consistent_isoformat_utc
    tz = datetime.timezone(datetime.timedelta(hours=2))
    assert fmt(datetime.datetime(2024, 3, 1, 12, 30, 5, tzinfo=tz)) == "2024-03-01T10:30:05+00:00"


def test_protocolize_and_deprotocolize():
    assert Mastodon._Mastodon__protocolize("mastodon.social//") == "https://mastodon.social"
    assert Mastodon._Mastodon__protocolize("http://localhost:3000/") == "http://localhost:3000"
    assert Mastodon._Mastodon__deprotocolize("https://a.example/x") == "a.example/x"
    assert Mastodon._Mastodon__deprotocolize("onion://b.onion") == "b.onion"


# --- parsing ----------------------------------------------------------------------------------------

def test_real_status_is_parsed_with_int_ids_and_aware_dates(api, server):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = request(api, "GET", "/api/v1/statuses/1")
    raw = fixture_body("GET_api_v1_statuses_id_200")
    assert isinstance(status, AttribAccessDict)
    assert status.id == int(raw["id"])
    assert status.account.id == int(raw["account"]["id"])
    assert status.created_at == datetime.datetime.fromisoformat(raw["created_at"].replace("Z", "+00:00"))
    assert status.created_at.tzinfo is not None
    assert status.account.acct == raw["account"]["acct"]
    assert status["account"]["username"] == raw["account"]["username"]


def test_json_hooks_convert_ids_dates_and_truefalse():
    hooks = Mastodon._Mastodon__json_hooks
    out = hooks({"id": "123", "count": "x12", "created_at": "2024-01-02T03:04:05.678Z",
                 "week": "1700000000", "expires_at": None, "updated_at": "not a date",
                 "follow": "TRUE", "mention": "false", "silenced": "maybe", "other": "true",
                 "last_status_at": "2024-05-06"})
    assert out == {
        "id": 123, "count": "x12",
        "created_at": datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
        "week": datetime.datetime.fromtimestamp(1700000000, UTC), "expires_at": None,
        "follow": True, "mention": False, "silenced": "maybe", "other": "true",
        "last_status_at": datetime.datetime(2024, 5, 6),  # no zone given: naive, as dateutil gives
    }
    assert "updated_at" not in out
    assert isinstance(out, AttribAccessDict)


def test_odd_date_formats_fall_back_to_dateutil():
    hooks = Mastodon._Mastodon__json_hooks
    out = hooks({"created_at": "Tue, 01 Aug 2023 10:00:00 GMT"})
    assert out.created_at == datetime.datetime(2023, 8, 1, 10, 0, tzinfo=UTC)


def test_non_json_success_body_is_an_api_error(api, server):
    server.route("GET", "/x", body=b"<html>oops</html>", headers={"content-type": "text/html"})
    with pytest.raises(Exception) as info:
        request(api, "GET", "/x")
    assert type(info.value).__name__ == "MastodonAPIError"
    assert "200" in str(info.value) and "oops" in str(info.value)


def test_truncated_json_is_an_api_error(api, server):
    server.route("GET", "/x", body=b'{"id": "1", "acct": "tru')
    from mastodon import MastodonAPIError
    with pytest.raises(MastodonAPIError, match="Could not parse response as JSON"):
        request(api, "GET", "/x")


# --- pagination ----------------------------------------------------------------------------------

def link(url, **rels):
    return ", ".join(f'<{url}?{query}>; rel="{rel}"' for rel, query in rels.items())


def test_link_header_pagination_on_list_and_items(api, server):
    server.fixture("GET_api_v1_timelines_home_200", headers={
        "link": link(server.url + "/api/v1/timelines/home", next="max_id=100&limit=2",
                     prev="min_id=200&limit=2")})
    page = request(api, "GET", "/api/v1/timelines/home", {"limit": 2, "since_id": 5})
    assert isinstance(page, AttribAccessList)
    # As Mastodon.py builds them: the request params, method, endpoint, then the new position;
    # next drops since_id/min_id, prev drops max_id only.
    expected_next = {"limit": 2, "_pagination_method": "GET",
                     "_pagination_endpoint": "/api/v1/timelines/home", "max_id": 100}
    expected_prev = {"limit": 2, "since_id": 5, "_pagination_method": "GET",
                     "_pagination_endpoint": "/api/v1/timelines/home", "min_id": 200}
    assert list(page._pagination_next.items()) == list(expected_next.items())
    assert page._pagination_prev == expected_prev
    assert page[-1]._pagination_next == expected_next
    assert page[0]._pagination_prev == expected_prev
    # pagination info never leaks into the items themselves
    assert "_pagination_next" not in page[-1]
    assert json.loads(json.dumps(page[-1], default=str))["id"] == page[-1].id


def test_fetch_next_previous_and_remaining_walk_the_pages(api, server):
    statuses = fixture_body("GET_api_v1_timelines_home_200")
    pages = {None: statuses[:4], "4": statuses[4:8], "8": statuses[8:]}

    def handler(recorded):
        query = dict(recorded.query)
        key = query.get("max_id")
        page_index = {None: None, str(statuses[3]["id"]): "4", str(statuses[7]["id"]): "8"}[key]
        items = pages[page_index]
        headers = {}
        rels = {"prev": f"min_id={items[0]['id']}"}
        if page_index != "8":
            rels["next"] = f"max_id={items[-1]['id']}"
        headers["Link"] = link(server.url + "/api/v1/timelines/home", **rels)
        return Response(200, items, headers)

    server.route("GET", "/api/v1/timelines/home", handler=handler)
    first = request(api, "GET", "/api/v1/timelines/home", {"limit": 4})
    second = api.fetch_next(first)
    assert [s.id for s in second] == [int(s["id"]) for s in statuses[4:8]]
    assert dict(server.last.query) == {"limit": "4", "max_id": str(statuses[3]["id"])}
    previous = api.fetch_previous(second)
    assert dict(server.last.query) == {"limit": "4", "min_id": str(statuses[4]["id"])}
    assert isinstance(previous, list)
    everything = api.fetch_remaining(first)
    assert type(everything) is list
    assert [s.id for s in everything] == [int(s["id"]) for s in statuses]
    assert everything[0] is first[0]  # the first page is not copied
    # the pagination dict itself can be passed
    again = api.fetch_next(first._pagination_next)
    assert [s.id for s in again] == [s.id for s in second]
    assert "_pagination_method" in first._pagination_next  # not consumed by fetch_next
    items = list(api.pagination_iterator(first))
    assert [s.id for s in items] == [int(s["id"]) for s in statuses]
    info = api.get_pagination_info(first, "next")
    assert info["max_id"] == int(statuses[3]["id"])
    assert api.get_pagination_info(everything, "previous") is None


def test_fetch_next_without_pagination_returns_none(api):
    assert api.fetch_next(AttribAccessList([AttribAccessDict(id=1)])) is None
    assert api.fetch_previous([AttribAccessDict(id=1)]) is None
    assert api.fetch_next([]) is None


def test_answers_without_link_header_stay_plain_lists(api, server):
    server.fixture("GET_api_v1_custom_emojis_200")
    emojis = request(api, "GET", "/api/v1/custom_emojis")
    assert type(emojis) is list


# --- debug output ---------------------------------------------------------------------------------

def test_debug_requests_masks_the_token_and_logs(make_api, server, capsys, caplog):
    api = make_api(debug_requests=True)
    server.route("GET", "/x", body={"echo": TOKEN})
    with caplog.at_level(logging.DEBUG, logger="mastodon"):
        request(api, "GET", "/x", {"limit": 1})
    printed = capsys.readouterr().out
    assert "/x" in printed and "Response code: 200" in printed
    assert TOKEN not in printed
    assert TOKEN not in caplog.text
    assert "Request to endpoint" in caplog.text


def test_debug_output_hides_personal_data_of_admin_answers(make_api, server, capsys, caplog):
    api = make_api(debug_requests=True)
    server.fixture("GET_api_v1_admin_accounts_200")
    body = fixture_body("GET_api_v1_admin_accounts_200")
    emails = [account["email"] for account in body if account.get("email")]
    assert emails
    with caplog.at_level(logging.DEBUG, logger="mastodon"):
        request(api, "GET", "/api/v1/admin/accounts", {"email": "someone@example.org"})
    printed = capsys.readouterr().out
    for text in (printed, caplog.text):
        assert "someone@example.org" not in text
        for email in emails:
            assert email not in text
        assert '"email":"***"' in text.replace(" ", "")


def test_forced_pagination_on_an_object_answer(api, server):
    def handler(recorded):
        query = dict(recorded.query)
        if "max_id" in query:
            return Response(200, {"notification_groups": [], "page": 2})
        return Response(200, {"notification_groups": [{"group_key": "g1"}], "page": 1},
                        {"Link": f'<{server.url}/api/v2/notifications?max_id=55>; rel="next"'})

    server.route("GET", "/api/v2/notifications", handler=handler)
    first = api.grouped_notifications(limit=5)
    assert first.page == 1
    assert first._pagination_next == {"limit": 5, "expand_accounts": "partial_avatars", "max_id": 55,
                                      "_pagination_method": "GET", "_pagination_endpoint": "/api/v2/notifications"}
    second = api.fetch_next(first)
    assert second.page == 2
    assert dict(server.last.query) == {"limit": "5", "expand_accounts": "partial_avatars", "max_id": "55"}
    assert api.fetch_next(second) is None


@pytest.mark.parametrize("call", [
    lambda api: api.fetch_remaining(None),
    lambda api: api.filters_apply(None, [], "home"),
    lambda api: api.filters_apply([{"content": "x"}], [{"phrase": 5, "context": ["home"]}], "home"),
    lambda api: api.filter_create("a", 5),
    lambda api: api.push_subscription_set(None, {"pubkey": b"x" * 65, "auth": b"y" * 16}),
])
def test_bad_input_found_by_review_is_an_illegal_argument(api, server, call):
    from mastodon import MastodonIllegalArgumentError
    with pytest.raises(MastodonIllegalArgumentError):
        call(api)
    assert server.requests == []
