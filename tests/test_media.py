"""Media: uploads (v1/v2, mime detection, file names, thumbnails), waiting for processing, updates."""

import io
import re

import pytest
from helpers import FakeClock, assert_sent, fixture_body
from server import DROP, Response

import mastodon.media
from mastodon import (
    MastodonAPIError, MastodonFileNotFoundError, MastodonIllegalArgumentError, MastodonNetworkError,
    MastodonRatelimitError, MastodonVersionError,
)

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
UPLOADED = fixture_body("POST_api_v2_media_202")
MEDIA_ID = int(UPLOADED["id"])
PROCESSED = fixture_body("GET_api_v1_media_id_200")
PROCESSING = dict(PROCESSED, url=None)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Waits for processing are recorded, not slept."""
    fake = FakeClock()
    monkeypatch.setattr(mastodon.media, "_sleep", fake.sleep)
    monkeypatch.setattr(mastodon.media, "_monotonic", fake.monotonic)
    return fake


@pytest.fixture
def png_file(tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(PNG)
    return path


def form_parts(recorded):
    return {p.name: p.data.decode() for p in recorded.parts if p.filename is None}


def test_media_post_path_uploads_to_v2_with_detected_mime(server, api, png_file):
    server.fixture("POST_api_v2_media_200")
    result = api.media_post(str(png_file), description="A dot", focus=(0.5, -0.5))
    assert server.last.method == "POST" and server.last.path == "/api/v2/media"
    assert server.last.content_type == "multipart/form-data"
    file_part = server.last.part("file")
    assert file_part.data == PNG
    assert file_part.content_type == "image/png"
    assert re.fullmatch(r"mastodonpyupload_[0-9.]+_[0-9a-f]{32}\.png", file_part.filename)
    assert form_parts(server.last) == {"description": "A dot", "focus": "0.5,-0.5"}
    assert result.id == int(fixture_body("POST_api_v2_media_200")["id"])


def test_media_post_detected_mime_overrides_the_argument(server, api, png_file):
    server.fixture("POST_api_v2_media_200")
    api.media_post(png_file, mime_type="video/mp4", file_name="dot.png")
    part = server.last.part("file")
    assert (part.content_type, part.filename) == ("image/png", "dot.png")
    assert form_parts(server.last) == {}


def test_media_post_raw_data_needs_a_mime_type(server, api):
    server.fixture("POST_api_v2_media_200")
    api.media_post(io.BytesIO(PNG), mime_type="image/png", file_name="x.png")
    assert server.last.part("file").data == PNG
    with pytest.raises(MastodonIllegalArgumentError):
        api.media_post(PNG)
    assert len(server.requests) == 1


def test_media_post_missing_file_sends_nothing(server, api, tmp_path):
    with pytest.raises(MastodonFileNotFoundError):
        api.media_post(str(tmp_path / "nope.png"))
    assert server.requests == []


@pytest.mark.parametrize("focus", [5, (1,)])
def test_media_post_bad_focus_sends_nothing(server, api, png_file, focus):
    with pytest.raises(MastodonIllegalArgumentError):
        api.media_post(png_file, focus=focus)
    assert server.requests == []


def test_media_post_thumbnail_part(server, api, png_file):
    server.fixture("POST_api_v2_media_200")
    api.media_post(png_file, thumbnail=PNG, thumbnail_mime_type="image/png")
    thumb = server.last.part("thumbnail")
    assert thumb.data == PNG and thumb.content_type == "image/png"
    assert thumb.filename.startswith("mastodonpyupload_") and thumb.filename.endswith(".png")


def test_media_post_thumbnail_needs_3_2(server, make_api, png_file):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="3.1.4").media_post(png_file, thumbnail=PNG, thumbnail_mime_type="image/png")
    assert server.requests == []


def test_media_post_old_server_uses_v1_and_does_not_poll(server, make_api, png_file):
    server.route("POST", "/api/v1/media", Response(200, PROCESSING))
    result = make_api(mastodon_version="3.0.0").media_post(png_file, synchronous=True)
    assert [r.path for r in server.requests] == ["/api/v1/media"]
    assert result.url is None


def test_media_post_422_on_upload(server, api, png_file):
    server.route("POST", "/api/v2/media", Response(422, {"error": "File type not supported"}))
    with pytest.raises(MastodonAPIError) as info:
        api.media_post(png_file)
    assert info.value.status_code == 422 and info.value.error == "File type not supported"


# ---------------------------------------------------------------------------------------------
# synchronous=True

def test_synchronous_waits_202_then_206_twice_then_200(server, api, png_file, clock):
    server.fixture("POST_api_v2_media_202")
    server.route("GET", f"/api/v1/media/{MEDIA_ID}", Response(206, PROCESSING), Response(206, PROCESSING),
                 Response(200, PROCESSED))
    result = api.media_post(png_file, synchronous=True)
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/api/v2/media")] + [("GET", f"/api/v1/media/{MEDIA_ID}")] * 3
    assert result.url == PROCESSED["url"]
    assert clock.sleeps == [0.5, 0.75, 1.125]


def test_synchronous_wait_reports_progress_to_the_callback_and_the_log(server, api, png_file, clock, caplog):
    server.fixture("POST_api_v2_media_202")
    server.route("GET", f"/api/v1/media/{MEDIA_ID}", Response(206, PROCESSING), Response(206, PROCESSING),
                 Response(200, PROCESSED))
    seen = []
    with caplog.at_level("INFO", logger="mastodon"):
        api.media_post(png_file, synchronous=True,
                       progress_callback=lambda media, waited: seen.append((media.id, media.url, waited)))
    # Before each wait: the attachment as last fetched and the seconds waited so far.
    assert seen == [(MEDIA_ID, None, 0.0), (MEDIA_ID, None, 0.5), (MEDIA_ID, None, 1.25)]
    messages = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert messages == [
        ("mastodon", "INFO", f"Media attachment {MEDIA_ID} is being processed (0.0 s so far); checking again in 0.5 s"),
        ("mastodon", "INFO", f"Media attachment {MEDIA_ID} is being processed (0.5 s so far); checking again in 0.8 s"),
        ("mastodon", "INFO", f"Media attachment {MEDIA_ID} is being processed (1.2 s so far); checking again in 1.1 s"),
        ("mastodon", "INFO", f"Media attachment {MEDIA_ID} is processed (2.4 s)"),
    ]


def test_synchronous_wait_ends_when_the_callback_raises(server, api, png_file, clock):
    server.fixture("POST_api_v2_media_202")
    server.route("GET", f"/api/v1/media/{MEDIA_ID}", Response(206, PROCESSING))

    def give_up(media, waited):
        if waited > 2:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        api.media_post(png_file, synchronous=True, progress_callback=give_up)
    assert clock.sleeps == [0.5, 0.75, 1.125]


def test_upload_without_processing_logs_nothing(server, api, png_file, caplog):
    server.fixture("POST_api_v2_media_200")
    calls = []
    with caplog.at_level("INFO", logger="mastodon"):
        api.media_post(png_file, synchronous=True, progress_callback=lambda *a: calls.append(a))
    assert calls == [] and caplog.records == []


def test_synchronous_backoff_is_capped(server, api, png_file, clock):
    server.fixture("POST_api_v2_media_202")
    server.route("GET", f"/api/v1/media/{MEDIA_ID}", *([Response(206, PROCESSING)] * 9 + [Response(200, PROCESSED)]))
    api.media_post(png_file, synchronous=True)
    assert max(clock.sleeps) == 5.0
    assert clock.sleeps[-3:] == [5.0, 5.0, 5.0]


def test_synchronous_422_is_a_clear_api_error(server, api, png_file):
    server.fixture("POST_api_v2_media_202")
    server.route("GET", f"/api/v1/media/{MEDIA_ID}", Response(206, PROCESSING),
                 Response(422, {"error": "Processing failed"}))
    with pytest.raises(MastodonAPIError) as info:
        api.media_post(png_file, synchronous=True)
    assert info.value.status_code == 422
    assert info.value.error == "Processing failed"
    assert "Processing failed" in str(info.value)
    assert len(server.requests) == 3


def test_synchronous_times_out(server, api, png_file, clock):
    server.fixture("POST_api_v2_media_202")
    server.route("GET", f"/api/v1/media/{MEDIA_ID}", Response(206, PROCESSING))
    with pytest.raises(MastodonAPIError) as info:
        api.media_post(png_file, synchronous=True, synchronous_timeout=20)
    assert "still being processed" in str(info.value)
    assert info.value.media.id == MEDIA_ID
    assert sum(clock.sleeps) == pytest.approx(20)
    assert all(r.path == f"/api/v1/media/{MEDIA_ID}" for r in server.requests[1:])


def test_synchronous_does_not_swallow_rate_limits(server, api, png_file):
    server.fixture("POST_api_v2_media_202")
    server.route("GET", f"/api/v1/media/{MEDIA_ID}", Response(429, {"error": "Too many requests"}))
    with pytest.raises(MastodonRatelimitError):
        api.media_post(png_file, synchronous=True)
    assert len(server.requests) == 2


def test_synchronous_does_not_swallow_network_errors(server, api, png_file):
    server.fixture("POST_api_v2_media_202")
    server.route("GET", f"/api/v1/media/{MEDIA_ID}", handler=lambda recorded: DROP)
    with pytest.raises(MastodonNetworkError):
        api.media_post(png_file, synchronous=True)


def test_synchronous_returns_at_once_when_already_processed(server, api, png_file, clock):
    server.fixture("POST_api_v2_media_200")
    api.media_post(png_file, synchronous=True)
    assert len(server.requests) == 1 and clock.sleeps == []


# ---------------------------------------------------------------------------------------------
# media_update / media

def test_media_update_form(server, api):
    server.fixture("PUT_api_v1_media_id_206", path="/api/v1/media/5")
    result = api.media_update({"id": 5}, description="new", focus=(0.69, 0.69))
    assert server.last.method == "PUT" and server.last.path == "/api/v1/media/5"
    assert server.last.form == [("description", "new"), ("focus", "0.69,0.69")]
    assert result.meta.focus.x == 0.69


def test_media_update_with_thumbnail_is_multipart(server, api):
    server.fixture("PUT_api_v1_media_id_206", path="/api/v1/media/5")
    api.media_update(5, description="d", thumbnail=PNG, thumbnail_mime_type="image/png")
    assert server.last.content_type == "multipart/form-data"
    assert form_parts(server.last) == {"description": "d"}
    assert server.last.part("thumbnail").data == PNG


def test_media_update_thumbnail_needs_3_2(server, make_api):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="3.0.0").media_update(5, thumbnail=PNG, thumbnail_mime_type="image/png")
    assert server.requests == []


def test_media_get(server, api):
    server.fixture("GET_api_v1_media_id_200", path="/api/v1/media/5")
    result = api.media(5)
    assert server.last.path == "/api/v1/media/5" and server.last.query == []
    assert result.id == int(PROCESSED["id"]) and result.url == PROCESSED["url"]


def test_media_needs_3_1_4(server, make_api):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="3.1.3").media(5)
    assert server.requests == []


def test_media_post_uses_the_first_two_focus_values_like_mastodon_py(server, api, png_file):
    server.fixture("POST_api_v2_media_200")
    api.media_post(png_file, focus=(0.5, -0.25, 9))
    assert [p.data for p in server.last.parts if p.name == "focus"] == [b"0.5,-0.25"]


def test_a_string_that_names_no_file_is_data_when_a_mime_type_is_given(server, api):
    server.fixture("POST_api_v2_media_200")
    api.media_post("just some text", mime_type="text/plain")
    assert server.last.part("file").data == b"just some text"
    assert server.last.part("file").content_type == "text/plain"


def test_a_missing_path_is_both_file_not_found_and_illegal_argument(server, api, tmp_path):
    with pytest.raises(MastodonFileNotFoundError) as info:
        api.media_post(str(tmp_path / "nope.png"))
    assert isinstance(info.value, MastodonIllegalArgumentError)
    assert server.requests == []


@pytest.mark.parametrize("body", [{}, b""])
def test_media_delete_returns_none(server, api, body):
    server.route("DELETE", "/api/v1/media/117020583177340985", body=body)
    assert api.media_delete({"id": 117020583177340985}) is None
    assert_sent(server, "DELETE", "/api/v1/media/117020583177340985")


def test_media_delete_of_an_attachment_in_use_is_a_422(server, api):
    server.route("DELETE", "/api/v1/media/5", Response(422, {"error": "Media attachment is currently used by a status"}))
    with pytest.raises(MastodonAPIError) as info:
        api.media_delete(5)
    assert info.value.status_code == 422


def test_media_delete_refused_before_mastodon_4_4(server, make_api):
    with pytest.raises(MastodonVersionError):
        make_api(mastodon_version="4.3.0").media_delete(5)
    assert server.requests == []
