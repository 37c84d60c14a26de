"""mastodon.testing answers in the shapes real Mastodon 4.5 answers with: every entity has the
keys of the recorded answer in tests/fixtures, no more and no fewer, at every level where both
have a value (a null card or an empty field list on one side says nothing about the other)."""

import json

from helpers import fixture_body


def differences(mine, recorded, path=""):
    """Paths where the two JSON documents' keys differ."""
    found = []
    if isinstance(mine, dict) and isinstance(recorded, dict):
        for key in sorted(set(mine) ^ set(recorded)):
            found.append(f"{path}.{key} ({'extra' if key in mine else 'missing'})")
        for key in set(mine) & set(recorded):
            found += differences(mine[key], recorded[key], f"{path}.{key}")
    elif isinstance(mine, list) and isinstance(recorded, list) and mine and recorded:
        found += differences(mine[0], recorded[0], path + "[]")
    return found


# A server without a custom thumbnail answers with the URL of the default image only, as
# Mastodon's InstanceSerializer does; the recorded server had one.
EXPECTED = {"GET_api_v2_instance__200": [".thumbnail.blurhash (missing)", ".thumbnail.description (missing)",
                                        ".thumbnail.versions (missing)"]}


def test_entities_have_the_keys_of_the_recorded_answers(mastodon_server):
    alice = mastodon_server.client("alice", mastodon_version="4.5.0")
    bob = mastodon_server.client("bob", mastodon_version="4.5.0")
    alice.account_update_credentials(fields=[("site", "https://alice.example")])

    def raw(api, path, params=None, method="GET"):
        return json.loads(api._Mastodon__api_request(method, path, params, parse=False))

    bob.account_follow(mastodon_server.account_id("alice"))
    status = alice.status_post("@bob hi #tag", poll=alice.make_poll(["x", "y"], expires_in=600))
    bob.status_favourite(status.id)
    user_list = alice.list_create("l")
    created = alice.create_filter_v2("f", ["home"], "warn", keywords_attributes=[{"keyword": "k"}])
    alice.markers_set("home", status.id)
    media = alice.media_post(b"GIF89a\x01\x00\x01\x00", mime_type="image/gif")
    mastodon_server.finish_media_processing()
    bob_id = mastodon_server.account_id("bob")
    client_id, client_secret = alice.create_app("shape", api_base_url=mastodon_server.url)
    answers = {
        "GET_api_v1_statuses_id_200": raw(alice, f"/api/v1/statuses/{status.id}"),
        "DELETE_api_v1_statuses_id_200": raw(alice, f"/api/v1/statuses/{alice.toot('bye').id}", method="DELETE"),
        "POST_api_v1_statuses_id_reblog_200": raw(alice, f"/api/v1/statuses/{status.id}/reblog", method="POST"),
        "GET_api_v1_accounts_verify_credentials_200": raw(alice, "/api/v1/accounts/verify_credentials"),
        "GET_api_v1_accounts_id_200": raw(alice, f"/api/v1/accounts/{bob_id}"),
        "GET_api_v1_notifications_id_200": raw(bob, "/api/v1/notifications")[-1],
        "GET_api_v1_polls_id_200": raw(bob, f"/api/v1/polls/{status.poll.id}"),
        "POST_api_v2_media_200": raw(alice, f"/api/v1/media/{media.id}"),
        "GET_api_v1_accounts_relationships_200": raw(alice, "/api/v1/accounts/relationships", {"id[]": [bob_id]}),
        "GET_api_v1_lists_id_200": raw(alice, f"/api/v1/lists/{user_list.id}"),
        "GET_api_v2_filters_id_200": raw(alice, f"/api/v2/filters/{created.id}"),
        "GET_api_v1_markers_200": raw(alice, "/api/v1/markers", {"timeline[]": ["home"]}),
        "GET_api_v1_instance__200": raw(alice, "/api/v1/instance"),
        "GET_api_v2_instance__200": raw(alice, "/api/v2/instance"),
        "GET_api_v1_apps_verify_credentials_200": raw(alice, "/api/v1/apps/verify_credentials"),
        "POST_api_v1_apps_200": raw(alice, "/api/v1/apps", {"client_name": "x"}, method="POST"),
        "GET_api_v1_statuses_id_context_200": raw(alice, f"/api/v1/statuses/{status.id}/context"),
        "GET_api_v1_statuses_id_source_200": raw(alice, f"/api/v1/statuses/{status.id}/source"),
        "GET_api_v1_tags_heeho_200": raw(alice, "/api/v1/tags/tag"),
        "GET_api_v2_search_200": raw(alice, "/api/v2/search", {"q": "alice"}),
        "GET_api_v1_preferences_200": raw(alice, "/api/v1/preferences"),
        "GET_.well-known_oauth-authorization-server_200": raw(alice, "/.well-known/oauth-authorization-server"),
        "POST_oauth_token_200": raw(alice, "/oauth/token", dict(grant_type="client_credentials", client_id=client_id,
                                                               client_secret=client_secret), method="POST"),
    }
    found = {name: differences(mine, fixture_body(name)) for name, mine in answers.items()}
    assert {name: paths for name, paths in found.items() if paths} == EXPECTED
