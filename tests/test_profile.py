"""The own profile for editing (Mastodon 4.6): ``profile`` and ``profile_update``.

No recorded answer exists for ``/api/v1/profile`` (../shared/fixtures has none): the body is
hand-written after the Profile entity of the Mastodon API docs.
"""

from unittest.mock import ANY

import pytest

from helpers import assert_sent

from mastodon import MastodonFileNotFoundError, MastodonIllegalArgumentError
from mastodon.return_types import FeaturedTag, Profile, ProfileField

PROFILE = {
    "id": "117020565966271181", "display_name": "Alice", "note": "Hi **there**",
    "fields": [{"name": "web", "value": "https://example.org", "verified_at": "2026-08-01T10:00:00.000Z"}],
    "avatar": "https://example.org/avatars/a.png", "avatar_static": "https://example.org/avatars/a.png",
    "avatar_description": "a cat", "header": None, "header_static": None, "header_description": "",
    "locked": False, "bot": False, "hide_collections": None, "discoverable": True, "indexable": True,
    "show_media": True, "show_media_replies": False, "show_featured": True,
    "attribution_domains": ["blog.example.org"],
    "featured_tags": [{"id": "3", "name": "cats", "url": "https://example.org/@alice/tagged/cats",
                       "statuses_count": "4", "last_status_at": "2026-07-30"}],
    "formatted_note": "<p>Hi <strong>there</strong></p>",
    "formatted_fields": [{"name": "web", "value": "<a href=\"https://example.org\">example.org</a>",
                          "verified_at": None}],
}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


@pytest.fixture
def api(make_api):
    return make_api(mastodon_version="4.6.0")


def test_profile(server, api):
    server.route("GET", "/api/v1/profile", body=PROFILE)
    profile = api.profile()
    assert_sent(server, "GET", "/api/v1/profile")
    assert isinstance(profile, Profile)
    assert profile.id == 117020565966271181
    assert profile.note == "Hi **there**" and profile.formatted_note.startswith("<p>")
    assert isinstance(profile.fields[0], ProfileField)
    assert profile.fields[0].verified_at == "2026-08-01T10:00:00.000Z"  # not a key 1.8.1 turns into a date
    assert isinstance(profile.featured_tags[0], FeaturedTag) and profile.featured_tags[0].name == "cats"
    assert (profile.show_media, profile.show_media_replies, profile.show_featured) == (True, False, True)
    assert profile.header is None


def test_profile_update_form_order(server, api):
    # Scalars in signature order, then the fields, then the list of domains (as Mastodon.py 2.3 sends).
    server.route("PATCH", "/api/v1/profile", body=PROFILE)
    result = api.profile_update(display_name="d", locked=True, show_media_replies=False, avatar_description="ad",
                                header_description="hd", fields=[("k", "v")],
                                attribution_domains=["a.example", "b.example"])
    assert_sent(server, "PATCH", "/api/v1/profile", form=[
        ("display_name", "d"), ("locked", "1"), ("show_media_replies", "0"), ("avatar_description", "ad"),
        ("header_description", "hd"), ("fields_attributes[0][name]", "k"), ("fields_attributes[0][value]", "v"),
        ("attribution_domains[]", "a.example"), ("attribution_domains[]", "b.example")])
    assert isinstance(result, Profile)


def test_profile_update_takes_as_many_fields_as_given(server, api):
    server.route("PATCH", "/api/v1/profile", body=PROFILE)
    api.profile_update(fields=[(f"n{i}", f"v{i}") for i in range(6)])
    assert server.last.form[-2:] == [("fields_attributes[5][name]", "n5"), ("fields_attributes[5][value]", "v5")]


def test_profile_update_uploads_images_as_multipart(server, api, tmp_path):
    avatar = tmp_path / "me.png"
    avatar.write_bytes(PNG)
    server.route("PATCH", "/api/v1/profile", body=PROFILE)
    api.profile_update(avatar=avatar, avatar_description="me", header=b"GIF89a", header_mime_type="image/gif")
    request = assert_sent(server, "PATCH", "/api/v1/profile", body=ANY)
    assert request.content_type == "multipart/form-data"
    parts = {part.name: part for part in request.parts}
    assert parts["avatar_description"].data == b"me"
    assert (parts["avatar"].content_type, parts["avatar"].data) == ("image/png", PNG)
    assert (parts["header"].content_type, parts["header"].data) == ("image/gif", b"GIF89a")


def test_profile_update_bad_input_sends_nothing(server, api, tmp_path):
    with pytest.raises(MastodonIllegalArgumentError):
        api.profile_update(fields="web: x")
    with pytest.raises(MastodonFileNotFoundError):
        api.profile_update(header=str(tmp_path / "missing.png"))
    assert server.requests == []


def test_update_credentials_sends_the_image_descriptions(server, api):
    server.fixture("PATCH_api_v1_accounts_update_credentials_200")
    api.account_update_credentials(note="n", avatar_description="ad", header_description="hd", fields=[("a", "b")])
    assert_sent(server, "PATCH", "/api/v1/accounts/update_credentials", form=[
        ("note", "n"), ("avatar_description", "ad"), ("header_description", "hd"),
        ("fields_attributes[0][name]", "a"), ("fields_attributes[0][value]", "b")])
