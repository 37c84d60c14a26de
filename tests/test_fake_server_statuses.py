"""mastodon.testing: statuses (posting, visibility, replies, edits, deletes, interactions), polls
and media, driven through the library against the ``mastodon_server`` fixture."""

import datetime
import re

import pytest

from mastodon.errors import MastodonAPIError, MastodonNotFoundError

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PNG_3x2 = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000030000000208060000009db47c0e"
                        "0000000b4944415478da6360a03a0000001e0001a4f1a8b60000000049454e44ae426082")


@pytest.fixture
def alice(mastodon_server):
    return mastodon_server.client("alice", mastodon_version="4.5.0")


@pytest.fixture
def bob(mastodon_server):
    return mastodon_server.client("bob", mastodon_version="4.5.0")


def test_post_answers_a_status_with_rendered_content(mastodon_server, alice):
    bob_id = mastodon_server.create_account("bob") and mastodon_server.account_id("bob")
    status = alice.status_post("Hello @bob, see #Python\nand https://example.org", visibility="unlisted",
                               language="de")
    base = mastodon_server.url
    assert status.content == (
        f'<p>Hello <span class="h-card" translate="no"><a href="{base}/@bob" class="u-url mention">@<span>bob'
        f'</span></a></span>, see <a href="{base}/tags/python" class="mention hashtag" rel="tag">#<span>Python'
        '</span></a><br />and <a href="https://example.org" target="_blank" rel="nofollow noopener" '
        'translate="no"><span class="invisible">https://</span><span class="">example.org</span>'
        '<span class="invisible"></span></a></p>')
    assert [(m.id, m.acct) for m in status.mentions] == [(int(bob_id), "bob")]
    assert [t.name for t in status.tags] == ["python"]
    assert (status.visibility, status.language, status.account.acct) == ("unlisted", "de", "alice")
    assert status.url == f"{base}/@alice/{status.id}"
    assert (status.favourited, status.reblogged, status.bookmarked, status.pinned) == (False, False, False, False)
    assert status.application.name == "mastodon.testing"
    # Snowflake ids grow with time; created_at has milliseconds and a Z.
    later = alice.toot("second")
    assert later.id > status.id and (later.id >> 16) >= (status.id >> 16)
    raw = alice._Mastodon__api_request("GET", f"/api/v1/statuses/{later.id}", parse=False)
    assert ISO_MS.search(re.search(rb'"created_at":"([^"]+)"', raw).group(1).decode())


def test_content_warning_marks_the_status_sensitive(alice):
    status = alice.status_post("spoilers", spoiler_text="Film ending")
    assert (status.spoiler_text, status.sensitive, status.content) == ("Film ending", True, "<p>spoilers</p>")


def test_validation_errors_are_422_with_mastodons_messages(alice):
    with pytest.raises(MastodonAPIError) as blank:
        alice.status_post("   ")
    assert (blank.value.status_code, blank.value.error) == (422, "Validation failed: Text can't be blank")
    with pytest.raises(MastodonAPIError) as long:
        alice.status_post("x" * 501)
    assert long.value.error == "Validation failed: Text character limit of 500 exceeded"
    with pytest.raises(MastodonNotFoundError) as missing:
        alice.status_post("reply", in_reply_to_id=12345)
    assert missing.value.error == "The post you are trying to reply to does not appear to exist."


def test_idempotency_key_posts_once(alice):
    first = alice.status_post("once", idempotency_key="k1")
    again = alice.status_post("once", idempotency_key="k1")
    assert first.id == again.id
    assert len(alice.account_statuses(alice.me())) == 1


def test_visibility_decides_who_can_read_a_status(mastodon_server, alice, bob):
    carol = mastodon_server.client("carol", mastodon_version="4.5.0")
    bob.account_follow(mastodon_server.account_id("alice"))
    private = alice.status_post("followers only", visibility="private")
    direct = alice.status_post("@carol psst", visibility="direct")
    assert bob.status(private.id).content == "<p>followers only</p>"
    with pytest.raises(MastodonNotFoundError):
        carol.status(private.id)
    assert carol.status(direct.id).visibility == "direct"
    with pytest.raises(MastodonNotFoundError) as hidden:
        bob.status(direct.id)
    assert hidden.value.error == "Record not found"
    with pytest.raises(MastodonAPIError) as reblog:
        bob.status_reblog(private.id)
    assert (reblog.value.status_code, reblog.value.error) == (403, "This action is not allowed")
    assert [s.id for s in bob.statuses([private.id, direct.id])] == [private.id]


def test_reply_context_and_counts(alice, bob):
    root = alice.toot("root")
    reply = bob.status_reply(root, "first reply")
    nested = alice.status_reply(reply, "nested")
    assert (reply.in_reply_to_id, reply.in_reply_to_account_id) == (root.id, root.account.id)
    assert reply.content.endswith("first reply</p>") and "@<span>alice</span>" in reply.content
    context = bob.status_context(reply.id)
    assert [s.id for s in context.ancestors] == [root.id]
    assert [s.id for s in context.descendants] == [nested.id]
    assert alice.status(root.id).replies_count == 1


def test_edit_keeps_history_and_source(alice):
    status = alice.status_post("the best editor is vi", spoiler_text="")
    edited = alice.status_update(status.id, "the best editor is Kate", spoiler_text="opinion")
    assert (edited.content, edited.spoiler_text, edited.sensitive) == ("<p>the best editor is Kate</p>", "opinion",
                                                                       True)
    assert edited.edited_at is not None
    history = alice.status_history(status.id)
    assert [(h.content, h.spoiler_text) for h in history] == [("<p>the best editor is vi</p>", ""),
                                                             ("<p>the best editor is Kate</p>", "opinion")]
    assert alice.status_source(status.id) == {"id": status.id, "text": "the best editor is Kate",
                                              "spoiler_text": "opinion"}


def test_others_cannot_edit_or_delete(alice, bob):
    status = alice.toot("mine")
    with pytest.raises(MastodonNotFoundError):
        bob.status_delete(status.id)
    with pytest.raises(MastodonNotFoundError):
        bob.status_update(status.id, "theirs")
    with pytest.raises(MastodonNotFoundError):
        bob.status_source(status.id)


def test_delete_answers_the_source_and_removes_the_status(alice, bob):
    status = alice.status_post("to be deleted", visibility="public")
    bob.status_reblog(status.id)
    deleted = alice.status_delete(status.id)
    assert (deleted.id, deleted.text) == (status.id, "to be deleted")
    assert "content" not in deleted
    with pytest.raises(MastodonNotFoundError):
        alice.status(status.id)
    assert bob.account_statuses(bob.me()) == []
    assert bob.me().statuses_count == 0


def test_favourite_reblog_bookmark_pin_and_mute_flags(mastodon_server, alice, bob):
    status = alice.toot("interact with me")
    favourited = bob.status_favourite(status.id)
    assert (favourited.favourited, favourited.favourites_count) == (True, 1)
    reblog = bob.status_reblog(status.id)
    assert (reblog.reblog.id, reblog.reblogged, reblog.reblog.reblogs_count, reblog.account.acct) == (
        status.id, True, 1, "bob")
    assert bob.status_reblog(status.id).id == reblog.id  # reblogging twice gives the same reblog
    assert bob.status_bookmark(status.id).bookmarked is True
    assert bob.status_mute(status.id).muted is True
    assert bob.status_unmute(status.id).muted is False
    assert [a.acct for a in alice.status_favourited_by(status.id)] == ["bob"]
    assert [a.acct for a in alice.status_reblogged_by(status.id)] == ["bob"]
    assert [s.id for s in bob.favourites()] == [status.id]
    assert [s.id for s in bob.bookmarks()] == [status.id]
    assert bob.status_unfavourite(status.id).favourited is False
    assert bob.status_unbookmark(status.id).bookmarked is False
    unreblogged = bob.status_unreblog(status.id)
    assert (unreblogged.id, unreblogged.reblogged, unreblogged.reblogs_count) == (status.id, False, 0)
    assert bob.favourites() == [] and bob.bookmarks() == []

    assert alice.status_pin(status.id).pinned is True
    assert [s.id for s in bob.account_statuses(alice.me(), pinned=True)] == [status.id]
    with pytest.raises(MastodonNotFoundError):
        bob.status_pin(status.id)
    assert alice.status_unpin(status.id).pinned is False
    assert "pinned" not in bob.status(status.id)  # only the author sees it


def test_pins_are_limited_to_five(alice):
    for number in range(5):
        alice.status_pin(alice.toot(f"pin {number}"))
    with pytest.raises(MastodonAPIError) as error:
        alice.status_pin(alice.toot("sixth"))
    assert error.value.error == "Validation failed: You have already pinned the maximum number of posts"


def test_poll_votes_and_results(mastodon_server, alice, bob):
    status = alice.status_post("Tabs or spaces?", poll=alice.make_poll(["tabs", "spaces"], expires_in=600))
    poll = status.poll
    assert ([o.title for o in poll.options], poll.multiple, poll.expired, poll.voted) == (
        ["tabs", "spaces"], False, False, True)
    voted = bob.poll_vote(poll.id, [1])
    assert (voted.votes_count, voted.voters_count, voted.own_votes, voted.voted) == (1, 1, [1], True)
    assert [o.votes_count for o in voted.options] == [0, 1]
    with pytest.raises(MastodonAPIError) as twice:
        bob.poll_vote(poll.id, [0])
    assert twice.value.error == "Validation failed: You have already voted on this poll"
    with pytest.raises(MastodonAPIError) as own:
        alice.poll_vote(poll.id, [0])
    assert own.value.error == "Validation failed: You cannot vote in your own polls"
    assert alice.poll(poll.id).votes_count == 1

    mastodon_server.end_poll(poll.id)
    ended = bob.poll(poll.id)
    assert ended.expired is True
    assert [(n.type, n.status.id) for n in bob.notifications(types=["poll"])] == [("poll", status.id)]
    assert [n.type for n in alice.notifications(types=["poll"])] == ["poll"]
    with pytest.raises(MastodonAPIError) as late:
        mastodon_server.client("carol").poll_vote(poll.id, [0])
    assert late.value.error == "Validation failed: The poll has already ended"


def test_poll_ends_on_time_without_a_request(mastodon_server, alice, bob):
    status = alice.status_post("quick?", poll=alice.make_poll(["yes", "no"], expires_in=300))
    bob.poll_vote(status.poll.id, [0])
    poll = mastodon_server.state.polls[status.poll.id]
    with mastodon_server.state.lock:
        poll.expires_at = poll.expires_at - datetime.timedelta(seconds=300)
    mastodon_server.wait_until(lambda: poll.ended_notified, timeout=2)
    assert [n.type for n in bob.notifications()] == ["poll"]


def test_poll_limits(alice):
    with pytest.raises(MastodonAPIError) as short:
        alice.status_post("q", poll=alice.make_poll(["a", "b"], expires_in=60))
    assert short.value.error == "Validation failed: Poll duration too short"
    with pytest.raises(MastodonAPIError) as one:
        alice.status_post("q", poll=alice.make_poll(["a"], expires_in=600))
    assert one.value.error == "Validation failed: Poll must have at least 2 options"


def test_media_upload_is_processed_asynchronously(mastodon_server, alice):
    media = alice.media_post(PNG_3x2, mime_type="image/png", description="three by two", focus=(0.5, -0.5))
    assert (media.type, media.url, media.description) == ("image", None, "three by two")
    assert media.meta.original == {"width": 3, "height": 2, "size": "3x2", "aspect": 1.5}
    assert media.meta.focus == {"x": 0.5, "y": -0.5}
    # Not processed yet: Mastodon refuses to attach it.
    with pytest.raises(MastodonAPIError) as early:
        alice.status_post("picture", media_ids=[media])
    assert early.value.error == ("Validation failed: Cannot attach files that have not finished processing. "
                                 "Try again in a moment!")
    first = alice._Mastodon__api_request("GET", f"/api/v1/media/{media.id}", return_response_object=True)
    second = alice._Mastodon__api_request("GET", f"/api/v1/media/{media.id}", return_response_object=True)
    assert (first.status_code, first.json()["url"]) == (206, None)
    assert second.status_code == 200
    url = second.json()["url"]
    assert url.startswith(mastodon_server.url + "/system/media_attachments/files/")
    assert alice.session.get(url).content == PNG_3x2

    updated = alice.media_update(media, description="new words")
    assert updated.description == "new words"
    status = alice.status_post("picture", media_ids=[media])
    assert [(m.id, m.description) for m in status.media_attachments] == [(media.id, "new words")]
    with pytest.raises(MastodonNotFoundError):
        alice.media(media.id)  # attached media are no longer looked up
    with pytest.raises(MastodonAPIError) as in_use:
        alice.media_delete(media.id)
    assert (in_use.value.status_code, in_use.value.error) == (422, "Media attachment is currently used by a status")
    spare = alice.media_post(PNG_3x2, mime_type="image/png")
    alice.media_delete(spare)
    with pytest.raises(MastodonNotFoundError):
        alice.media(spare)


def test_media_post_synchronous_waits_for_processing(alice, monkeypatch):
    monkeypatch.setattr("mastodon.media._POLL_FIRST_WAIT", 0.01)
    media = alice.media_post(PNG_3x2, mime_type="image/png", synchronous=True)
    assert media.url is not None and media.url.endswith(".png")
    video = alice.media_post(b"\x00\x00\x00\x18ftypmp42", mime_type="video/mp4", synchronous=True)
    assert (video.type, video.url.endswith(".mp4")) == ("video", True)


@pytest.mark.parametrize("mastodon_server_options", [{"media_processing_polls": 0}])
def test_media_processed_at_once_answers_200(mastodon_server, alice):
    response = alice._Mastodon__api_request("POST", "/api/v2/media", files={"file": ("a.png", PNG_3x2, "image/png")},
                                            return_response_object=True)
    assert response.status_code == 200 and response.json()["url"].endswith(".png")
    status = alice.status_post("at once", media_ids=[response.json()["id"]])
    assert status.media_attachments[0].type == "image"


def test_servers_before_3_1_4_get_the_v1_upload(mastodon_server):
    old = mastodon_server.client("alice", mastodon_version="3.0.0")
    media = old.media_post(PNG_3x2, mime_type="image/png")
    assert (mastodon_server.requests[-1].path, mastodon_server.requests[-1].status) == ("/api/v1/media", 200)
    assert (media.type, media.meta.small.size) == ("image", "3x2")


def test_unsupported_media_type_is_refused(alice):
    with pytest.raises(MastodonAPIError) as error:
        alice.media_post(b"%PDF-1.4", mime_type="application/pdf")
    assert error.value.status_code == 422
