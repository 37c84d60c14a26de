"""mastodon.testing: timelines (home, public, local, hashtag, list, account) and their Link
pagination, driven through the library against the ``mastodon_server`` fixture."""

import pytest


@pytest.fixture
def alice(mastodon_server):
    return mastodon_server.client("alice", mastodon_version="4.5.0")


@pytest.fixture
def bob(mastodon_server):
    return mastodon_server.client("bob", mastodon_version="4.5.0")


def ids(page):
    return [status.id for status in page]


def test_home_has_own_and_followed_statuses_newest_first(mastodon_server, alice, bob):
    mastodon_server.create_account("carol")
    carol = mastodon_server.client("carol", mastodon_version="4.5.0")
    early = bob.toot("before the follow")
    alice.account_follow(mastodon_server.account_id("bob"))
    own = alice.toot("mine")
    followed = bob.toot("after the follow")
    carol.toot("not followed")
    assert ids(alice.timeline_home()) == [followed.id, own.id, early.id]
    alice.account_unfollow(mastodon_server.account_id("bob"))
    assert ids(alice.timeline_home()) == [own.id]


def test_home_pages_follow_the_link_header(alice):
    posted = [alice.toot(f"status {number}").id for number in range(7)]
    newest_first = posted[::-1]
    response = alice._Mastodon__api_request("GET", "/api/v1/timelines/home", {"limit": 3},
                                            return_response_object=True)
    base = alice.api_base_url + "/api/v1/timelines/home"
    assert response.headers["Link"] == (f'<{base}?limit=3&max_id={newest_first[2]}>; rel="next", '
                                        f'<{base}?limit=3&min_id={newest_first[0]}>; rel="prev"')

    first = alice.timeline_home(limit=3)
    second = alice.fetch_next(first)
    third = alice.fetch_next(second)
    assert [ids(first), ids(second), ids(third)] == [newest_first[0:3], newest_first[3:6], newest_first[6:]]
    assert alice.fetch_next(third) is None  # the last page is not full: no next link
    assert ids(alice.fetch_previous(second)) == newest_first[0:3]
    assert ids(alice.fetch_remaining(alice.timeline_home(limit=2))) == newest_first


def test_max_min_and_since_id_select_pages_as_mastodon_does(alice):
    posted = [alice.toot(f"status {number}").id for number in range(6)]
    assert ids(alice.timeline_home(max_id=posted[3], limit=2)) == [posted[2], posted[1]]
    # min_id: the oldest page above it; since_id: the newest page above it.
    assert ids(alice.timeline_home(min_id=posted[0], limit=2)) == [posted[2], posted[1]]
    assert ids(alice.timeline_home(since_id=posted[0], limit=2)) == [posted[5], posted[4]]
    assert alice.timeline_home(min_id=posted[5]) == []


def test_limit_is_capped_at_forty_for_statuses(alice):
    for number in range(42):
        alice.toot(f"status {number}")
    assert len(alice.timeline_home(limit=100)) == 40
    assert len(alice.timeline_home()) == 20


def test_public_and_local_timelines(mastodon_server, alice, bob):
    public = alice.status_post("public", visibility="public")
    alice.status_post("unlisted", visibility="unlisted")
    alice.status_post("private", visibility="private")
    thread = alice.status_reply(public, "own thread")
    bob.status_reply(public, "a reply to someone else")
    bob.status_reblog(public.id)
    assert ids(bob.timeline_public()) == [thread.id, public.id]
    assert ids(alice.timeline_local()) == [thread.id, public.id]
    assert ids(alice.timeline_public(remote=True)) == []
    anonymous = mastodon_server.client("carol", access_token=None, mastodon_version="4.5.0")
    page = anonymous.timeline_public()
    assert ids(page) == [thread.id, public.id] and "favourited" not in page[0]


def test_hashtag_timeline_any_all_none(alice, bob):
    cats = alice.toot("I like #cats")
    both = bob.toot("#cats and #dogs")
    dogs = alice.toot("#Dogs only")
    alice.status_post("#cats but unlisted", visibility="unlisted")
    assert ids(alice.timeline_hashtag("cats")) == [both.id, cats.id]
    assert ids(alice.timeline_hashtag("CATS", local=True)) == [both.id, cats.id]
    # any[], all[] and none[] have no method of their own: the documented escape hatch sends them.
    def tagged(**params):
        return ids(alice._Mastodon__api_request("GET", "/api/v1/timelines/tag/cats", params))
    assert tagged(**{"any[]": ["dogs"]}) == [dogs.id, both.id, cats.id]
    assert tagged(**{"all[]": ["dogs"]}) == [both.id]
    assert tagged(**{"none[]": ["dogs"]}) == [cats.id]
    café = bob.toot("#café au lait")
    assert ids(alice.timeline_hashtag("café")) == [café.id]


def test_list_timeline_and_list_management(mastodon_server, alice, bob):
    carol = mastodon_server.client("carol", mastodon_version="4.5.0")
    bob_id, carol_id = mastodon_server.account_id("bob"), mastodon_server.account_id("carol")
    created = alice.list_create("friends")
    assert (created.title, created.replies_policy, created.exclusive) == ("friends", "list", False)
    from mastodon.errors import MastodonAPIError
    with pytest.raises(MastodonAPIError) as unfollowed:
        alice.list_accounts_add(created, [bob_id])
    assert unfollowed.value.status_code == 422
    alice.account_follow(bob_id)
    alice.account_follow(carol_id)
    alice.list_accounts_add(created, [bob_id])
    assert [a.acct for a in alice.list_accounts(created)] == ["bob"]
    assert [item.title for item in alice.account_lists(bob_id)] == ["friends"]
    from_bob = bob.toot("bob posts")
    carol.toot("carol posts")
    reply_to_carol = bob.status_reply(carol.account_statuses(carol.me())[0], "replying to carol")
    assert ids(alice.timeline_list(created)) == [from_bob.id]  # replies to non-members are left out
    renamed = alice.list_update(created, "besties", replies_policy="followed")
    assert (renamed.title, renamed.replies_policy) == ("besties", "followed")
    later = bob.status_reply(carol.account_statuses(carol.me())[0], "another reply")
    assert ids(alice.timeline_list(created)) == [later.id, from_bob.id]
    assert reply_to_carol.id not in ids(alice.timeline_list(created))
    assert [item.title for item in alice.lists()] == ["besties"]
    assert alice.list(created).title == "besties"
    alice.list_accounts_delete(created, [bob_id])
    assert alice.list_accounts(created) == []
    alice.list_delete(created)
    assert alice.lists() == []


def test_exclusive_list_keeps_its_members_out_of_home(mastodon_server, alice, bob):
    alice.account_follow(mastodon_server.account_id("bob"))
    exclusive = alice.list_create("only here", exclusive=True)
    alice.list_accounts_add(exclusive, [mastodon_server.account_id("bob")])
    status = bob.toot("where does this go")
    assert status.id not in ids(alice.timeline_home())
    assert ids(alice.timeline_list(exclusive)) == [status.id]


def test_account_statuses_filters(mastodon_server, alice, bob):
    media = alice.media_post(b"GIF89a\x02\x00\x02\x00", mime_type="image/gif")
    mastodon_server.finish_media_processing(media.id)
    original = bob.toot("bob's")
    plain = alice.toot("plain #tagged")
    with_media = alice.status_post("with media", media_ids=[media])
    reply = alice.status_reply(original, "a reply")
    reblog = alice.status_reblog(original.id)
    me = alice.me()
    assert ids(alice.account_statuses(me)) == [reblog.id, reply.id, with_media.id, plain.id]
    assert ids(alice.account_statuses(me, exclude_replies=True)) == [reblog.id, with_media.id, plain.id]
    assert ids(alice.account_statuses(me, exclude_reblogs=True)) == [reply.id, with_media.id, plain.id]
    assert ids(alice.account_statuses(me, only_media=True)) == [with_media.id]
    assert ids(alice.account_statuses(me, tagged="tagged")) == [plain.id]
    assert with_media.media_attachments[0].type == "gifv"


def test_reblogs_reach_followers_once(mastodon_server, alice, bob):
    carol = mastodon_server.client("carol", mastodon_version="4.5.0")
    carol.account_follow(mastodon_server.account_id("bob"))
    original = alice.toot("worth sharing")
    reblog = bob.status_reblog(original.id)
    home = carol.timeline_home()
    assert [(s.id, s.reblog.id) for s in home] == [(reblog.id, original.id)]
    carol.account_follow(mastodon_server.account_id("alice"), reblogs=False)
    alice_reblog = alice.status_reblog(bob.toot("bob's own").id)
    assert alice_reblog.id not in ids(carol.timeline_home())


def test_blocked_and_muted_accounts_are_hidden(mastodon_server, alice, bob):
    carol = mastodon_server.client("carol", mastodon_version="4.5.0")
    bob_status = bob.toot("from bob")
    carol_status = carol.toot("from carol")
    assert ids(alice.timeline_public()) == [carol_status.id, bob_status.id]
    relationship = alice.account_block(mastodon_server.account_id("bob"))
    assert relationship.blocking is True
    alice.account_mute(mastodon_server.account_id("carol"))
    assert alice.timeline_public() == []
    assert [a.acct for a in alice.blocks()] == ["bob"]
    assert [a.acct for a in alice.mutes()] == ["carol"]
    from mastodon.errors import MastodonNotFoundError
    with pytest.raises(MastodonNotFoundError):
        bob.status(alice.toot("bob can't see this").id)  # blocked by the author
    alice.account_unblock(mastodon_server.account_id("bob"))
    alice.account_unmute(mastodon_server.account_id("carol"))
    assert len(alice.timeline_public()) == 3
