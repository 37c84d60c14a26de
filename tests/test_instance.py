"""Instance information, custom emoji, the directory and announcements, checked on the wire."""

import datetime
import re
import warnings
from urllib.parse import unquote

import pytest

from conftest import TOKEN
from helpers import assert_sent, fixture_body, free_port
from server import Response

from mastodon import (
    AttribAccessDict, Mastodon, MastodonIllegalArgumentError, MastodonNotFoundError, MastodonServiceUnavailableError,
    MastodonVersionError,
)

UTC = datetime.timezone.utc
NODEINFO_20 = "http://nodeinfo.diaspora.software/ns/schema/2.0"

ANNOUNCEMENT = {
    "id": "8",
    "content": "<p>Maintenance on Sunday from 02:00 to 04:00 UTC.</p>",
    "starts_at": "2026-08-09T02:00:00.000Z",
    "ends_at": "2026-08-09T04:00:00.000Z",
    "all_day": False,
    "published_at": "2026-08-01T12:00:00.000Z",
    "updated_at": "2026-08-01T12:05:00.000Z",
    "read": False,
    "mentions": [{"id": "109", "username": "admin", "url": "https://mastodon.example/@admin", "acct": "admin"}],
    "statuses": [],
    "tags": [{"name": "maintenance", "url": "https://mastodon.example/tags/maintenance"}],
    "emojis": [],
    "reactions": [{"name": "bongoCat", "count": 9, "me": False,
                   "url": "https://files.mastodon.example/custom_emojis/images/bongo.png",
                   "static_url": "https://files.mastodon.example/custom_emojis/images/static/bongo.png"},
                  {"name": "\U0001F418", "count": 2, "me": True}],
}


def just_below(version):
    major, minor, patch = (int(x) for x in version.split("."))
    if patch:
        return f"{major}.{minor}.{patch - 1}"
    if minor:
        return f"{major}.{minor - 1}.99"
    return f"{major - 1}.99.99"


# --- plain GETs: exact request and parsed result ---------------------------------------------------

PLAIN_GETS = [
    ("instance", "GET_api_v1_instance__200", "/api/v1/instance/"),
    ("instance_v1", "GET_api_v1_instance__200", "/api/v1/instance/"),
    ("instance_v2", "GET_api_v2_instance__200", "/api/v2/instance/"),
    ("instance_activity", "GET_api_v1_instance_activity_200", "/api/v1/instance/activity"),
    ("instance_peers", "GET_api_v1_instance_peers_200", "/api/v1/instance/peers"),
    ("instance_rules", "GET_api_v1_instance_rules_200", "/api/v1/instance/rules"),
    ("instance_extended_description", "GET_api_v1_instance_extended_description_200",
     "/api/v1/instance/extended_description"),
    ("instance_languages", "GET_api_v1_instance_languages_200", "/api/v1/instance/languages"),
    ("instance_translation_languages", "GET_api_v1_instance_translation_languages_200",
     "/api/v1/instance/translation_languages"),
    ("custom_emojis", "GET_api_v1_custom_emojis_200", "/api/v1/custom_emojis"),
    ("directory", "GET_api_v1_directory_200", "/api/v1/directory"),
]


@pytest.mark.parametrize("name, fixture_name, path", PLAIN_GETS)
def test_plain_get_sends_exact_request(api, server, name, fixture_name, path):
    server.fixture(fixture_name, path=path)
    getattr(api, name)()
    assert assert_sent(server, "GET", path, headers={"user-agent": "mastodonpy"}).raw_path == path


@pytest.mark.parametrize("name, fixture_name, path", PLAIN_GETS[:3])
def test_instance_language_is_sent(make_api, server, name, fixture_name, path):
    server.fixture(fixture_name, path=path)
    getattr(make_api(lang="de"), name)()
    assert server.last.query == [("lang", "de")]


def test_instance(api, server):
    server.fixture("GET_api_v1_instance__200")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the server marks v1 deprecated; instance() stays quiet
        instance = api.instance()
    assert isinstance(instance, AttribAccessDict)
    assert instance.uri == "mastodon.social"
    assert instance.version == "4.7.0-alpha.2+pr-39999-68e5caf"
    assert instance.urls.streaming_api == "wss://streaming.mastodon.social"
    assert instance.stats == {"user_count": 3354594, "status_count": 183323404, "domain_count": 120970}
    assert instance.contact_account.id == 13179
    assert instance.contact_account.created_at == datetime.datetime(2016, 11, 23, tzinfo=UTC)
    assert instance.rules[0].id == 1
    assert instance.configuration.statuses.max_characters == 500
    assert instance == api.instance_v1()


def test_instance_v2(api, server):
    server.fixture("GET_api_v2_instance__200")
    instance = api.instance_v2()
    assert instance.domain == "mastodon.social"
    assert instance.usage.users.active_month == 269307
    assert instance.contact.account.id == 13179
    assert instance.configuration.timelines_access.live_feeds == {"local": "disabled", "remote": "disabled"}
    assert instance.api_versions == {"mastodon": 11}
    # and it is what timeline_is_available reads, without a second request
    assert api.timeline_is_available("public") is False
    assert api.timeline_is_available("hashtag") is True
    assert len(server.requests) == 1


def test_instance_activity(api, server):
    server.fixture("GET_api_v1_instance_activity_200")
    activity = api.instance_activity()
    assert len(activity) == 12
    first = activity[0]
    assert first == {"week": datetime.datetime.fromtimestamp(1785592262, UTC), "statuses": 18, "logins": 4,
                     "registrations": 4}
    assert first.week.tzinfo is not None
    assert activity[-1].statuses == 0


def test_instance_peers(api, server):
    server.fixture("GET_api_v1_instance_peers_200")
    assert api.instance_peers() == ["chitter.xyz"]


def test_instance_rules(api, server):
    server.fixture("GET_api_v1_instance_rules_200")
    assert api.instance_rules() == []
    server.route("GET", "/api/v1/instance/rules", body=[
        {"id": "1", "text": "Be nice", "hint": "", "translations": {}},
        {"id": "2", "text": "No spam", "hint": "Includes ads.", "translations": {"de": {"text": "Kein Spam"}}}])
    rules = api.instance_rules()
    assert [rule.id for rule in rules] == [1, 2]
    assert rules[1].translations.de.text == "Kein Spam"


def test_instance_extended_description(api, server):
    server.fixture("GET_api_v1_instance_extended_description_200")
    assert api.instance_extended_description() == {"updated_at": None, "content": ""}
    server.route("GET", "/api/v1/instance/extended_description",
                 body={"updated_at": "2026-07-01T10:00:00.000Z", "content": "<p>About us</p>"})
    description = api.instance_extended_description()
    assert description.updated_at == datetime.datetime(2026, 7, 1, 10, tzinfo=UTC)
    assert description.content == "<p>About us</p>"


def test_instance_languages(api, server):
    server.fixture("GET_api_v1_instance_languages_200")
    languages = api.instance_languages()
    assert languages[:2] == [{"code": "aa", "name": "Afar"}, {"code": "ab", "name": "Abkhaz"}]
    assert languages[0].name == "Afar"
    assert len(languages) == len(fixture_body("GET_api_v1_instance_languages_200"))


def test_instance_translation_languages(api, server):
    server.fixture("GET_api_v1_instance_translation_languages_200")
    assert api.instance_translation_languages() == {}
    server.route("GET", "/api/v1/instance/translation_languages", body={"en": ["de", "fr"], "de": ["en"]})
    languages = api.instance_translation_languages()
    assert isinstance(languages, AttribAccessDict)
    assert languages.en == ["de", "fr"]


def test_instance_translation_languages_has_no_version_gate(make_api, server):
    server.fixture("GET_api_v1_instance_translation_languages_200")
    make_api(mastodon_version="1.0.0").instance_translation_languages()
    assert server.last.path == "/api/v1/instance/translation_languages"


def test_instance_domain_blocks_not_published(api, server):
    server.fixture("GET_api_v1_instance_domain_blocks_404")
    with pytest.raises(MastodonNotFoundError) as info:
        api.instance_domain_blocks()
    assert info.value.status_code == 404
    assert info.value.args[:2] == ("Mastodon API returned error", 404)
    assert (server.last.method, server.last.path) == ("GET", "/api/v1/instance/domain_blocks")


def test_instance_domain_blocks(api, server):
    server.route("GET", "/api/v1/instance/domain_blocks", body=[
        {"domain": "spam.example", "digest": "5d1e1c", "severity": "suspend", "comment": "Spam"},
        {"domain": "n***y.example", "digest": "a1b2c3", "severity": "silence", "comment": None}])
    blocks = api.instance_domain_blocks()
    assert [b.severity for b in blocks] == ["suspend", "silence"]
    assert blocks[1].comment is None


def test_instance_terms_of_service(api, server):
    terms = {"effective_date": "2026-01-31", "effective": True, "content": "<p>Be excellent.</p>",
             "succeeded_by": None}
    server.route("GET", "/api/v1/instance/terms_of_service", body=terms)
    result = api.instance_terms_of_service()
    assert (server.last.path, server.last.query) == ("/api/v1/instance/terms_of_service", [])
    assert result.content == "<p>Be excellent.</p>"
    assert result.effective is True
    api.instance_terms_of_service(datetime.date(2026, 1, 31))
    assert server.last.query == [("date", "2026-01-31")]
    api.instance_terms_of_service(date=datetime.datetime(2025, 12, 24, 23, 59))
    assert server.last.query == [("date", "2025-12-24")]


@pytest.mark.parametrize("bad", ["2026-01-31", 20260131, (2026, 1, 31)])
def test_instance_terms_of_service_needs_a_date(api, server, bad):
    with pytest.raises(MastodonIllegalArgumentError):
        api.instance_terms_of_service(bad)
    assert server.requests == []


# --- health ---------------------------------------------------------------------------------------

def test_instance_health(api, server):
    server.fixture("GET_health_200")
    assert api.instance_health() is True
    sent = server.last
    assert (sent.method, sent.path, sent.query, sent.body) == ("GET", "/health", [], b"")


@pytest.mark.parametrize("text, healthy", [("OK", True), ("success", True), ("ok", False), ("OK\n", False),
                                           ("", False), ("{\"status\": \"OK\"}", False)])
def test_instance_health_reads_the_body(api, server, text, healthy):
    server.route("GET", "/health", Response(200, text, {"content-type": "text/plain"}))
    assert api.instance_health() is healthy


def test_instance_health_server_error_raises(api, server):
    server.route("GET", "/health", Response(503, "<html>down</html>", {"content-type": "text/html"}))
    with pytest.raises(MastodonServiceUnavailableError):
        api.instance_health()


# --- nodeinfo -------------------------------------------------------------------------------------

def nodeinfo_links(*links):
    return {"links": [{"rel": rel, "href": href} for rel, href in links]}


def test_instance_nodeinfo(api, server):
    server.fixture("GET_.well-known_nodeinfo_200", body=nodeinfo_links((NODEINFO_20, server.url + "/nodeinfo/2.0")))
    server.fixture("GET_nodeinfo_2.0_200")
    info = api.instance_nodeinfo()
    assert [(r.method, r.path, r.query) for r in server.requests] == [
        ("GET", "/.well-known/nodeinfo", []), ("GET", "/nodeinfo/2.0", [])]
    assert server.last.headers["authorization"] == "Bearer " + TOKEN
    assert info == fixture_body("GET_nodeinfo_2.0_200")
    assert info.software.version == "4.6.4"
    assert info.usage.users.total == 4
    assert info.openRegistrations is True


def test_instance_nodeinfo_last_matching_link_wins(api, server):
    server.route("GET", "/.well-known/nodeinfo", body=nodeinfo_links(
        (NODEINFO_20, server.url + "/first"), ("http://nodeinfo.diaspora.software/ns/schema/2.1", server.url + "/v21"),
        (NODEINFO_20, server.url + "/second")))
    server.route("GET", "/second", body={"version": "2.0"})
    server.route("GET", "/v21", body={"version": "2.1"})
    assert api.instance_nodeinfo() == {"version": "2.0"}
    assert api.instance_nodeinfo("http://nodeinfo.diaspora.software/ns/schema/2.1") == {"version": "2.1"}
    assert [r.path for r in server.requests] == ["/.well-known/nodeinfo", "/second", "/.well-known/nodeinfo", "/v21"]


def test_instance_nodeinfo_unknown_schema(api, server):
    server.fixture("GET_.well-known_nodeinfo_200")
    with pytest.raises(MastodonIllegalArgumentError):
        api.instance_nodeinfo("http://nodeinfo.diaspora.software/ns/schema/1.0")
    assert [r.path for r in server.requests] == ["/.well-known/nodeinfo"]


def test_instance_nodeinfo_falls_back_to_the_api_host(api, server):
    # The recorded document points at http://localhost:3000 (the server's internal name).
    other_host = server.url.replace("127.0.0.1", "localhost")
    server.route("GET", "/.well-known/nodeinfo", body=nodeinfo_links((NODEINFO_20, other_host + "/nodeinfo/2.0?x=1")))

    def answer(recorded):
        if recorded.headers["host"].startswith("localhost"):
            return Response(404, {"error": "Not found"})
        return Response(200, fixture_body("GET_nodeinfo_2.0_200"))

    server.route("GET", "/nodeinfo/2.0", handler=answer)
    info = api.instance_nodeinfo()
    assert info.software.name == "mastodon"
    first, second = server.requests[1:]
    assert first.headers["host"].startswith("localhost")
    assert "authorization" not in first.headers  # no token for a host other than the API's
    assert second.headers["host"] == server.url[len("http://"):]
    assert second.headers["authorization"] == "Bearer " + TOKEN
    assert (second.path, second.query) == ("/nodeinfo/2.0", [("x", "1")])


def test_instance_nodeinfo_unreachable_href_falls_back(api, server):
    server.fixture("GET_.well-known_nodeinfo_200",
                   body=nodeinfo_links((NODEINFO_20, f"http://127.0.0.1:{free_port()}/nodeinfo/2.0")))
    server.fixture("GET_nodeinfo_2.0_200")
    assert api.instance_nodeinfo().version == "2.0"
    assert [r.path for r in server.requests] == ["/.well-known/nodeinfo", "/nodeinfo/2.0"]


# --- custom emoji, directory ----------------------------------------------------------------------

def test_custom_emojis(api, server):
    server.fixture("GET_api_v1_custom_emojis_200")
    assert api.custom_emojis() == []
    server.route("GET", "/api/v1/custom_emojis", body=[
        {"shortcode": "blobaww", "url": "https://files.example/blobaww.png",
         "static_url": "https://files.example/blobaww_static.png", "visible_in_picker": True, "category": "blobs"}])
    emojis = api.custom_emojis()
    assert emojis[0].shortcode == "blobaww"
    assert emojis[0].visible_in_picker is True


def test_directory(api, server):
    server.fixture("GET_api_v1_directory_200")
    accounts = api.directory()
    assert server.last.query == []
    assert len(accounts) == 1
    account = accounts[0]
    assert account.id == 117020566092212359
    assert account.acct == "mastodonpy_test_2"
    assert account.created_at == datetime.datetime(2026, 8, 1, tzinfo=UTC)
    assert account.last_status_at == datetime.datetime(2026, 8, 1)  # a bare date: naive, as in Mastodon.py
    assert account.feature_approval.current_user == "automatic"


@pytest.mark.parametrize("kwargs, query", [
    (dict(offset=40, limit=20, order="new", local=True),
     [("offset", "40"), ("limit", "20"), ("order", "new"), ("local", "1")]),
    (dict(local=False), [("local", "0")]),
    (dict(order="active"), [("order", "active")]),
    (dict(limit=5, offset=0), [("offset", "0"), ("limit", "5")]),
])
def test_directory_parameters(api, server, kwargs, query):
    server.fixture("GET_api_v1_directory_200")
    api.directory(**kwargs)
    assert server.last.query == query


# --- announcements --------------------------------------------------------------------------------

def test_announcements(api, server):
    server.route("GET", "/api/v1/announcements", body=[ANNOUNCEMENT])
    announcements = api.announcements()
    sent = server.last
    assert (sent.method, sent.path, sent.query, sent.body) == ("GET", "/api/v1/announcements", [], b"")
    announcement = announcements[0]
    assert announcement.id == 8
    assert announcement.starts_at == datetime.datetime(2026, 8, 9, 2, tzinfo=UTC)
    assert announcement.published_at == datetime.datetime(2026, 8, 1, 12, tzinfo=UTC)
    assert announcement.all_day is False
    assert announcement.mentions[0].id == 109
    assert announcement.statuses == []
    assert announcement.reactions[0].count == 9
    assert announcement.reactions[1].name == "\U0001F418"


@pytest.mark.parametrize("announcement", [8, "8", {"id": 8}, AttribAccessDict(id=8, content="x")])
def test_announcement_dismiss(api, server, announcement):
    server.route("POST", "/api/v1/announcements/8/dismiss", body={})
    assert api.announcement_dismiss(announcement) is None
    assert_sent(server, "POST", "/api/v1/announcements/8/dismiss")


@pytest.mark.parametrize("verb, method_name", [("PUT", "announcement_reaction_create"),
                                               ("DELETE", "announcement_reaction_delete")])
@pytest.mark.parametrize("reaction", ["bongoCat", "\U0001F418"])
def test_announcement_reactions(api, server, verb, method_name, reaction):
    server.route(verb, f"/api/v1/announcements/8/reactions/{reaction}", body={})
    server.route(verb, "/api/v1/announcements/8/reactions/%F0%9F%90%98", body={})
    assert getattr(api, method_name)({"id": "8"}, reaction) is None
    sent = server.last
    assert sent.method == verb
    assert unquote(sent.path) == f"/api/v1/announcements/8/reactions/{reaction}"
    assert (sent.query, sent.body) == ([], b"")


# --- version gates --------------------------------------------------------------------------------

GATED = [
    ("instance", (), "1.1.0"),
    ("instance_v1", (), "1.1.0"),
    ("instance_v2", (), "4.0.0"),
    ("instance_activity", (), "2.1.2"),
    ("instance_peers", (), "2.1.2"),
    ("instance_health", (), "3.0.0"),
    ("instance_nodeinfo", (), "3.0.0"),
    ("instance_rules", (), "3.4.0"),
    ("instance_domain_blocks", (), "4.0.0"),
    ("instance_extended_description", (), "4.0.0"),
    ("instance_languages", (), "4.2.0"),
    ("instance_terms_of_service", (), "4.4.0"),
    ("custom_emojis", (), "2.1.0"),
    ("directory", (), "3.0.0"),
    ("announcements", (), "3.1.0"),
    ("announcement_dismiss", (1,), "3.1.0"),
    ("announcement_reaction_create", (1, "x"), "3.1.0"),
    ("announcement_reaction_delete", (1, "x"), "3.1.0"),
]


@pytest.mark.parametrize("name, args, created", GATED)
def test_too_old_server_is_refused_before_sending(make_api, server, name, args, created):
    api = make_api(mastodon_version=just_below(created))
    with pytest.raises(MastodonVersionError):
        getattr(api, name)(*args)
    assert server.requests == []


@pytest.mark.parametrize("name, args, created", GATED)
def test_server_of_the_creating_version_is_served(make_api, server, name, args, created):
    server.route("*", re.compile(".*"), body={"links": [], "version": "x"})
    api = make_api(mastodon_version=created)
    try:
        getattr(api, name)(*args)
    except MastodonIllegalArgumentError:
        assert name == "instance_nodeinfo"  # no links in the catch-all answer
    assert len(server.requests) >= 1


def test_instance_rules_refused_on_3_0_0(make_api, server):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="3.0.0").instance_rules()
    assert server.requests == []


def test_version_check_mode_none_does_not_refuse(make_api, server):
    server.fixture("GET_api_v1_instance_rules_200")
    assert make_api(mastodon_version="3.0.0", version_check_mode="none").instance_rules() == []
    assert server.last.path == "/api/v1/instance/rules"


def test_changed_mode_uses_the_return_value_version(make_api, server):
    server.fixture("GET_api_v1_instance__200")
    make_api(mastodon_version="3.3.0").instance()  # created 1.1.0: fine
    with pytest.raises(MastodonVersionError):  # changed: max(2.3.0, 3.4.0)
        make_api(mastodon_version="3.3.0", version_check_mode="changed").instance()
    with pytest.raises(MastodonVersionError):  # changed: max(2.3.0, 4.0.0)
        make_api(mastodon_version="3.9.0", version_check_mode="changed").instance_v1()
    assert len(server.requests) == 1


def test_unknown_server_version_does_not_refuse(server):
    server.route("GET", "/api/v1/instance/", body={"version": "takahe/0.11.0"})
    server.fixture("GET_api_v1_instance_rules_200")
    api = Mastodon(api_base_url=server.url)
    assert api.version_check_worked is False
    assert api.instance_rules() == []


def test_instance_privacy_policy(api, server):
    server.route("GET", "/api/v1/instance/privacy_policy", body={
        "updated_at": "2026-07-01T00:00:00.000Z", "content": "<p>We keep little.</p>"})
    policy = api.instance_privacy_policy()
    assert_sent(server, "GET", "/api/v1/instance/privacy_policy")
    assert policy.content == "<p>We keep little.</p>"
    assert policy.updated_at == datetime.datetime(2026, 7, 1, tzinfo=UTC)


def test_instance_terms_of_service_version_puts_the_date_in_the_path(api, server):
    terms = {"effective_date": "2026-05-01", "effective": False, "content": "<p>Be nice.</p>",
             "succeeded_by": "2026-08-01"}
    server.route("GET", "/api/v1/instance/terms_of_service/2026-05-01", body=terms)
    result = api.instance_terms_of_service_version(datetime.date(2026, 5, 1))
    assert_sent(server, "GET", "/api/v1/instance/terms_of_service/2026-05-01")
    assert result.content == "<p>Be nice.</p>" and result.effective is False


def test_instance_terms_of_service_version_needs_a_date(api, server):
    with pytest.raises(MastodonIllegalArgumentError):
        api.instance_terms_of_service_version("2026-05-01")
    assert server.requests == []


@pytest.mark.parametrize("document", [{}, {"links": None}, {"links": ["x", {"href": "/y"}]}, ["links"], b"\"text\""])
def test_instance_nodeinfo_odd_discovery_document(api, server, document):
    server.route("GET", "/.well-known/nodeinfo", body=document)
    with pytest.raises(MastodonIllegalArgumentError):
        api.instance_nodeinfo()
    assert len(server.requests) == 1
