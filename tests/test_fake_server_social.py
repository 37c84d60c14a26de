"""mastodon.testing: accounts, follows and relationships, notifications, search, hashtags,
markers, filters and preferences, driven through the library against the ``mastodon_server``
fixture."""

import pytest

from mastodon.errors import MastodonAPIError, MastodonNotFoundError

PNG_1x1 = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


@pytest.fixture
def alice(mastodon_server):
    return mastodon_server.client("alice", mastodon_version="4.5.0")


@pytest.fixture
def bob(mastodon_server):
    return mastodon_server.client("bob", mastodon_version="4.5.0")


def test_verify_credentials_and_update_credentials(mastodon_server, alice):
    me = alice.account_verify_credentials()
    assert (me.username, me.display_name, me.bot, me.locked, me.followers_count) == ("alice", "", False, False, 0)
    assert me.url == mastodon_server.url + "/@alice"
    assert me.source.note == ""
    updated = alice.account_update_credentials(display_name="Alice A.", note="I test #bots", bot=True,
                                               fields=[("site", "https://alice.example")], default_privacy="unlisted",
                                               avatar=PNG_1x1, avatar_mime_type="image/png")
    assert (updated.display_name, updated.bot, updated.source.note, updated.source.privacy) == (
        "Alice A.", True, "I test #bots", "unlisted")
    assert updated.note.startswith("<p>I test <a href=") and updated.note.endswith("</a></p>")
    assert [(f.name, f.verified_at) for f in updated.fields] == [("site", None)]
    assert alice.session.get(updated.avatar).content == PNG_1x1
    assert alice.session.get(mastodon_server.url + "/headers/original/missing.png").status_code == 200
    assert alice.status_post("defaults to the account's privacy").visibility == "unlisted"
    assert alice.preferences()["posting:default:visibility"] == "unlisted"


def test_account_lookup_search_and_fetch(mastodon_server, alice):
    mastodon_server.create_account("bob", display_name="Bobby Tables")
    mastodon_server.create_account("bobcat")
    bob_id = mastodon_server.account_id("bob")
    assert alice.account(bob_id).display_name == "Bobby Tables"
    assert alice.account_lookup("bob").id == int(bob_id)
    assert alice.account_lookup("@bob@" + mastodon_server.url[7:]).id == int(bob_id)
    with pytest.raises(MastodonNotFoundError):
        alice.account_lookup("nobody")
    with pytest.raises(MastodonNotFoundError):
        alice.account(1)
    assert [a.acct for a in alice.account_search("bob")] == ["bob", "bobcat"]
    assert [a.acct for a in alice.account_search("tables")] == ["bob"]
    assert [a.acct for a in alice.accounts([bob_id, mastodon_server.account_id("alice")])] == ["bob", "alice"]


def test_follow_relationship_and_follow_lists(mastodon_server, alice, bob):
    bob_id, alice_id = mastodon_server.account_id("bob"), mastodon_server.account_id("alice")
    relationship = alice.account_follow(bob_id, notify=True)
    assert (relationship.following, relationship.notifying, relationship.showing_reblogs,
            relationship.followed_by, relationship.requested) == (True, True, True, False, False)
    assert bob.account_relationships(alice_id)[0].followed_by is True
    assert [a.acct for a in alice.account_following(alice_id)] == ["bob"]
    assert [a.acct for a in bob.account_followers(bob_id)] == ["alice"]
    assert alice.account(bob_id).followers_count == 1
    assert alice.account_note_set(bob_id, "met at the conference").note == "met at the conference"
    status = bob.toot("followers with notify get a status notification")
    assert [(n.type, n.status.id) for n in alice.notifications(types=["status"])] == [("status", status.id)]
    bob.account_remove_from_followers(alice_id)
    assert alice.account_relationships(bob_id)[0].following is False


def test_follow_requests_for_locked_accounts(mastodon_server, alice):
    mastodon_server.create_account("dana", locked=True)
    dana = mastodon_server.client("dana", mastodon_version="4.5.0")
    dana_id = mastodon_server.account_id("dana")
    relationship = alice.account_follow(dana_id)
    assert (relationship.following, relationship.requested) == (False, True)
    assert [n.type for n in dana.notifications()] == ["follow_request"]
    assert [a.acct for a in dana.follow_requests()] == ["alice"]
    accepted = dana.follow_request_authorize(mastodon_server.account_id("alice"))
    assert accepted.followed_by is True
    assert alice.account_relationships(dana_id)[0].following is True
    mastodon_server.create_account("erin")
    erin = mastodon_server.client("erin", mastodon_version="4.5.0")
    erin.account_follow(dana_id)
    assert dana.follow_request_reject(mastodon_server.account_id("erin")).requested_by is False
    assert dana.follow_requests() == []


def test_notifications_for_mentions_follows_favourites_and_reblogs(mastodon_server, alice, bob):
    alice_id = mastodon_server.account_id("alice")
    bob.account_follow(alice_id)
    status = alice.toot("notice me")
    bob.status_favourite(status.id)
    bob.status_reblog(status.id)
    mention = bob.toot("@alice hello")
    found = alice.notifications()
    assert [(n.type, n.account.acct) for n in found] == [("mention", "bob"), ("reblog", "bob"),
                                                         ("favourite", "bob"), ("follow", "bob")]
    assert found[0].status.id == mention.id and found[1].status.id == status.id
    assert found[0].group_key == f"ungrouped-{found[0].id}"
    assert found[2].group_key.startswith(f"favourite-{status.id}-")
    assert [n.type for n in alice.notifications(exclude_types=["follow", "favourite"])] == ["mention", "reblog"]
    assert [n.type for n in alice.notifications(types=["mention"], account_id=mastodon_server.account_id("bob"))] \
        == ["mention"]
    assert alice.notifications(id=found[0].id).type == "mention"
    assert alice.notifications_unread_count().count == 4
    alice.markers_set("notifications", found[1].id)
    assert alice.notifications_unread_count().count == 1

    alice.notifications_dismiss(found[0].id)
    assert [n.type for n in alice.notifications()] == ["reblog", "favourite", "follow"]
    with pytest.raises(MastodonNotFoundError):
        alice.notifications(id=found[0].id)
    alice.notifications_clear()
    assert alice.notifications() == []
    assert bob.notifications() == []  # nothing for one's own actions


def test_notifications_paginate_with_min_id(mastodon_server, alice):
    for number in range(5):
        mastodon_server.client(f"fan{number}", mastodon_version="4.5.0").account_follow(
            mastodon_server.account_id("alice"))
    first = alice.notifications(limit=2)
    assert [n.account.acct for n in first] == ["fan4", "fan3"]
    assert [n.account.acct for n in alice.fetch_next(first)] == ["fan2", "fan1"]
    response = alice._Mastodon__api_request("GET", "/api/v1/notifications", {"limit": 2, "types[]": ["follow"]},
                                            return_response_object=True)
    assert response.headers["Link"].endswith('types%5B%5D=follow>; rel="prev"')


def test_muted_accounts_and_conversations_do_not_notify(mastodon_server, alice, bob):
    root = alice.toot("thread")
    alice.status_mute(root.id)
    bob.status_reply(root, "in a muted thread")
    assert alice.notifications() == []
    alice.account_mute(mastodon_server.account_id("bob"), duration=3600)
    relationship = alice.account_relationships(mastodon_server.account_id("bob"))[0]
    assert (relationship.muting, relationship.muting_notifications) == (True, True)
    assert relationship.muting_expires_at is not None
    bob.toot("@alice can you hear me")
    assert alice.notifications() == []


def test_search_accounts_statuses_and_hashtags(mastodon_server, alice, bob):
    status = bob.toot("Learning about #Mastodon bots")
    bob.status_post("a private word about bots", visibility="private")
    result = alice.search_v2("bots")
    assert [s.id for s in result.statuses] == [status.id]  # the private one is not alice's to see
    assert result.accounts == [] and result.hashtags == []
    assert [a.acct for a in alice.search_v2("bo", result_type="accounts").accounts] == ["bob"]
    tags = alice.search_v2("#mast", result_type="hashtags").hashtags
    assert [(t.name, t.url) for t in tags] == [("mastodon", mastodon_server.url + "/tags/mastodon")]
    assert tags[0].history[0].uses == "1"
    by_url = alice.search_v2(status.url)
    assert [s.id for s in by_url.statuses] == [status.id]
    assert alice.search_v2("learning", account_id=mastodon_server.account_id("alice")).statuses == []


def test_hashtags_follow_into_the_home_timeline(mastodon_server, alice, bob):
    followed = alice.tag_follow("python")
    assert (followed.name, followed.following) == ("python", True)
    assert [t.name for t in alice.followed_tags()] == ["python"]
    status = bob.toot("Hello #Python")
    assert [s.id for s in alice.timeline_home()] == [status.id]
    assert alice.tag("python").following is True
    assert alice.tag_unfollow("python").following is False
    assert alice.followed_tags() == []


def test_markers_keep_a_version(alice):
    first = alice.toot("read up to here")
    marked = alice.markers_set(["home"], [first.id])
    assert (marked.home.last_read_id, marked.home.version) == (first.id, 0)
    second = alice.toot("and here")
    again = alice.markers_set(["home", "notifications"], [second.id, 5])
    assert (again.home.last_read_id, again.home.version, again.notifications.last_read_id) == (second.id, 1, 5)
    assert set(alice.markers_get(["home", "notifications"])) == {"home", "notifications"}
    assert list(alice.markers_get(["home"])) == ["home"]


def test_filters_v2_warn_and_hide(mastodon_server, alice, bob):
    alice.account_follow(mastodon_server.account_id("bob"))
    created = alice.create_filter_v2("spoilers", ["home", "public"], "warn",
                                     keywords_attributes=[{"keyword": "ending", "whole_word": True}])
    assert (created.title, created.context, created.filter_action) == ("spoilers", ["home", "public"], "warn")
    assert [(k.keyword, k.whole_word) for k in created.keywords] == [("ending", True)]
    status = bob.toot("the ending was great")
    home = alice.timeline_home()
    assert [(s.id, [r.filter.title for r in s.filtered]) for s in home] == [(status.id, ["spoilers"])]
    assert home[0].filtered[0].keyword_matches == ["ending"]
    assert bob.timeline_home()[0].filtered == []

    hidden = alice.update_filter_v2(created, filter_action="hide", title="no spoilers")
    assert (hidden.title, hidden.filter_action) == ("no spoilers", "hide")
    assert alice.timeline_home() == []
    keyword = alice.add_filter_keyword_v2(created, "finale")
    assert [k.keyword for k in alice.filter_keywords_v2(created)] == ["ending", "finale"]
    alice.delete_filter_keyword_v2(keyword)
    other = alice.toot("unrelated")
    entry = alice.add_filter_status_v2(created, other.id)
    assert alice.filter_status_v2(entry).status_id == str(other.id)  # Mastodon sends it as a string
    assert [e.id for e in alice.filter_statuses_v2(created)] == [entry.id]
    assert alice.timeline_home() == []
    alice.delete_filter_status_v2(entry)
    assert [s.id for s in alice.timeline_home()] == [other.id]
    first_keyword = alice.filter_keywords_v2(created)[0]
    assert alice.filter_keyword_v2(first_keyword).keyword == "ending"
    changed = alice.update_filter_keyword_v2(first_keyword, keyword="twist", whole_word=False)
    assert (changed.keyword, changed.whole_word) == ("twist", False)
    assert [f.id for f in alice.filters_v2()] == [created.id]
    assert alice.filter_v2(created).title == "no spoilers"
    alice.delete_filter_v2(created)
    assert alice.filters_v2() == []
    with pytest.raises(MastodonNotFoundError):
        alice.filter_v2(created)


def test_filter_needs_a_context(alice):
    with pytest.raises(MastodonAPIError) as error:
        alice.create_filter_v2("nothing", [], "warn")
    assert (error.value.status_code, error.value.error) == (422, "Validation failed: Context can't be blank")
