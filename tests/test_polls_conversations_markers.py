"""Polls, conversations, preferences and read markers."""

import datetime

import pytest
from conftest import TOKEN
from helpers import assert_sent, fixture_body
from server import Response

from mastodon import MastodonAPIError, MastodonIllegalArgumentError, MastodonVersionError


# ---------------------------------------------------------------------------------------------
# Polls

def test_make_poll_is_a_plain_dict_and_sends_nothing(server, make_api):
    api = make_api(mastodon_version="1.0.0")  # no version gate on a local helper
    poll = api.make_poll(["yes", "no"], 3600)
    assert type(poll) is dict
    assert poll == {"options": ["yes", "no"], "expires_in": 3600, "multiple": False, "hide_totals": False}
    assert api.make_poll(["a"], 5, multiple=True, hide_totals=True)["hide_totals"] is True
    assert server.requests == []


def test_poll(server, api):
    server.fixture("GET_api_v1_polls_id_200", path="/api/v1/polls/1")
    poll = api.poll({"id": 1})
    assert_sent(server, "GET", "/api/v1/polls/1")
    assert poll.id == 1 and isinstance(poll.expires_at, datetime.datetime)
    assert poll.options[1].title == "sixty-nine"


@pytest.mark.parametrize("choices,form", [
    (0, [("choices[]", "0")]),
    ([1, 0], [("choices[]", "1"), ("choices[]", "0")]),
    ((1,), [("choices[]", "1")]),
])
def test_poll_vote_form(server, api, choices, form):
    server.fixture("POST_api_v1_polls_id_votes_200", path="/api/v1/polls/1/votes")
    poll = api.poll_vote(1, choices)
    # The updated poll (Mastodon.py 1.8.1 returned None; servers answer with the poll).
    assert (poll.id, poll.voted, poll.own_votes, poll.votes_count) == (1, True, [1, 0], 2)
    assert [option.title for option in poll.options] == ["four twenty", "sixty-nine"]
    assert (server.last.method, server.last.path) == ("POST", "/api/v1/polls/1/votes")
    assert server.last.form == form


def test_poll_vote_twice_is_an_api_error(server, api):
    server.fixture("POST_api_v1_polls_id_votes_422", path="/api/v1/polls/1/votes")
    with pytest.raises(MastodonAPIError) as info:
        api.poll_vote(1, [0])
    assert info.value.status_code == 422
    assert info.value.error == fixture_body("POST_api_v1_polls_id_votes_422")["error"]


def test_poll_version_gate(server, make_api):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="2.7.0").poll(1)
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# Conversations

def test_conversations_read(server, api):
    server.fixture("POST_api_v1_conversations_id_read_200", path="/api/v1/conversations/15/read")
    conversation = api.conversations_read({"id": 15})
    assert (server.last.method, server.last.path, server.last.body) == ("POST", "/api/v1/conversations/15/read", b"")
    assert server.last.headers["authorization"] == "Bearer " + TOKEN
    assert conversation.id == 15 and conversation.unread is False


def test_conversations_trailing_slash_and_pagination(server, api):
    server.fixture("GET_api_v1_conversations__200")
    page = api.conversations(limit=5)
    assert server.last.path == "/api/v1/conversations/" and server.last.query == [("limit", "5")]
    assert page._pagination_prev == {"limit": 5, "min_id": 117020593780198542, "_pagination_method": "GET",
                                     "_pagination_endpoint": "/api/v1/conversations/"}
    assert page[0].last_status.id == int(fixture_body("GET_api_v1_conversations__200")[0]["last_status"]["id"])


# ---------------------------------------------------------------------------------------------
# Preferences and markers

def test_preferences(server, api):
    server.fixture("GET_api_v1_preferences_200")
    prefs = api.preferences()
    assert_sent(server, "GET", "/api/v1/preferences")
    assert prefs["posting:default:visibility"] == "unlisted"
    assert prefs["reading:expand:spoilers"] is False


@pytest.mark.parametrize("arg,query", [
    ("unset", [("timeline[]", "home")]),
    ("notifications", [("timeline[]", "notifications")]),
    (["home", "notifications"], [("timeline[]", "home"), ("timeline[]", "notifications")]),
    (("home", "notifications"), [("timeline[]", "home"), ("timeline[]", "notifications")]),
])
def test_markers_get_query(server, api, arg, query):
    server.fixture("GET_api_v1_markers_200")
    markers = api.markers_get() if arg == "unset" else api.markers_get(arg)
    assert server.last.path == "/api/v1/markers" and server.last.query == query
    assert markers.home.last_read_id == 117020574841135347
    assert isinstance(markers.home.updated_at, datetime.datetime)


def test_markers_get_default_is_not_mutated(server, api):
    server.fixture("GET_api_v1_markers_200")
    api.markers_get()
    api.markers_get()
    assert type(api).markers_get.__defaults__ == (["home"],)


def test_markers_set_json_body_in_input_order(server, api):
    server.fixture("POST_api_v1_markers_200")
    result = api.markers_set(["notifications", "home"], [{"id": 7}, 117020574841135347])
    assert (server.last.method, server.last.path, server.last.content_type) == (
        "POST", "/api/v1/markers", "application/json")
    assert list(server.last.json) == ["notifications", "home"]
    assert server.last.json == {"notifications": {"last_read_id": 7}, "home": {"last_read_id": 117020574841135347}}
    assert result.home.version == 1


def test_markers_set_single_values(server, api):
    server.fixture("POST_api_v1_markers_200")
    api.markers_set("home", {"id": 3})
    assert server.last.json == {"home": {"last_read_id": 3}}


def test_markers_set_length_mismatch_sends_nothing(server, api):
    with pytest.raises(MastodonIllegalArgumentError):
        api.markers_set(["home", "notifications"], [1])
    assert server.requests == []


def test_markers_need_3_0(server, make_api):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="2.9.0").markers_set("home", 1)
    assert server.requests == []


def test_markers_answer_garbage(server, api):
    server.route("GET", "/api/v1/markers", Response(200, b"not json"))
    with pytest.raises(MastodonAPIError):
        api.markers_get()


@pytest.mark.parametrize("body", [{}, b""])
def test_conversations_delete_returns_none(server, api, body):
    server.route("DELETE", "/api/v1/conversations/11", body=body)
    assert api.conversations_delete({"id": 11, "unread": True}) is None
    assert_sent(server, "DELETE", "/api/v1/conversations/11")
