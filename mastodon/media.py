"""Media attachments: uploading, waiting for processing, updating and fetching them."""

from __future__ import annotations

import logging
import time
from typing import Callable

from .return_types import (  # noqa: F401 (used in annotations)
    IdType, MediaAttachment, Optional, PathOrFile, Tuple, Union,
)
from .errors import MastodonAPIError, MastodonVersionError
from ._media_files import format_focus, load_media_file
from .internals import Mastodon as Internals
from .versions import _DICT_VERSION_MEDIA, api_version

# Waiting for server-side processing: first wait, growth factor and cap of the backoff (seconds).
_POLL_FIRST_WAIT = 0.5
_POLL_BACKOFF = 1.5
_POLL_MAX_WAIT = 5.0
_DEFAULT_SYNCHRONOUS_TIMEOUT = 300.0
_sleep = time.sleep
_monotonic = time.monotonic
log = logging.getLogger("mastodon")


class Mastodon(Internals):
    @api_version("1.0.0", "3.2.0", _DICT_VERSION_MEDIA)
    def media_post(self, media_file: PathOrFile, mime_type: Optional[str] = None,
                   description: Optional[str] = None, focus: Optional[Tuple[float, float]] = None,
                   file_name: Optional[str] = None, thumbnail: Optional[PathOrFile] = None,
                   thumbnail_mime_type: Optional[str] = None, synchronous: bool = False,
                   synchronous_timeout: float = _DEFAULT_SYNCHRONOUS_TIMEOUT,
                   progress_callback: Optional[Callable[[MediaAttachment, float], object]] = None) -> MediaAttachment:
        """Upload an image, video or audio file; attach it to a status via its id. Returns a MediaAttachment.

        ``media_file`` is a path (the mime type is then detected: python-magic, else the file
        extension) or bytes / a file object together with ``mime_type``. ``description`` is the alt
        text, ``focus`` an ``(x, y)`` pair in -1..1, ``thumbnail`` a custom preview (Mastodon 3.2).

        Large files are processed by the server after the upload (``url`` is None until then).
        With ``synchronous=True`` the call waits for that, polling with a growing interval, for at
        most ``synchronous_timeout`` seconds. Each wait is logged at INFO on the ``mastodon`` logger
        and announced to ``progress_callback(media, seconds_waited)`` (the attachment as last
        fetched); an exception the callback raises ends the wait. Raises MastodonFileNotFoundError or
        MastodonIllegalArgumentError for bad input (nothing sent; in dialect ``"2"``, as in
        Mastodon.py 2.3.3, a string is always a path and an unreadable file raises
        MastodonIOError), MastodonAPIError when the server
        fails to process the file or the wait times out; rate-limit and network errors propagate.
        """
        # How a string naming no file reads, and what an unreadable file raises, is the dialect's.
        options = self.__dialect.media_file_options
        files = {"file": load_media_file(media_file, mime_type, file_name, **options)}
        if focus is not None:
            focus = format_focus(focus)
        if thumbnail is not None:
            if not self.__version_at_least("3.2.0"):
                raise MastodonVersionError("Thumbnail requires version > 3.2.0")
            files["thumbnail"] = load_media_file(thumbnail, thumbnail_mime_type, **options)
        params = {key: value for key, value in (("description", description), ("focus", focus))
                  if value is not None}

        if self.__version_at_least("3.1.4"):
            media = self.__api_request("POST", "/api/v2/media", params, files=files)
            if synchronous:
                media = self.__wait_for_media(media, synchronous_timeout, progress_callback)
            return media
        return self.__api_request("POST", "/api/v1/media", params, files=files)

    def __wait_for_media(self, media, timeout, progress_callback=None):
        """Poll ``GET /api/v1/media/:id`` until the attachment has a ``url``.

        206 (still processing) parses like any 2xx answer, with ``url`` None; 422 means the server
        gave up on the file. Other errors, rate limits and network failures propagate unchanged.
        """
        start = _monotonic()
        wait = _POLL_FIRST_WAIT
        polled = False
        while media.get("url") is None:
            waited = _monotonic() - start
            remaining = timeout - waited
            if remaining <= 0:
                error = MastodonAPIError(
                    f"Media attachment {media.get('id')} was still being processed after {timeout} seconds")
                error.media = media
                raise error
            pause = min(wait, remaining)
            log.info("Media attachment %s is being processed (%.1f s so far); checking again in %.1f s",
                     media.get("id"), waited, pause)
            if progress_callback is not None:
                progress_callback(media, waited)
            _sleep(pause)
            polled = True
            wait = min(wait * _POLL_BACKOFF, _POLL_MAX_WAIT)
            try:
                media = self.media(media)
            except MastodonAPIError as e:
                if e.status_code != 422:
                    raise
                error = MastodonAPIError("Mastodon API returned error", e.status_code, e.reason,
                                         e.error or "Attachment could not be processed")
                for name in ("status_code", "reason", "details", "response"):
                    setattr(error, name, getattr(e, name))
                error.error = e.error or "Attachment could not be processed"
                raise error from e
        if polled:
            log.info("Media attachment %s is processed (%.1f s)", media.get("id"), _monotonic() - start)
        return media

    @api_version("2.3.0", "3.2.0", _DICT_VERSION_MEDIA)
    def media_update(self, id: Union[MediaAttachment, IdType], description: Optional[str] = None,
                     focus: Optional[Tuple[float, float]] = None, thumbnail: Optional[PathOrFile] = None,
                     thumbnail_mime_type: Optional[str] = None) -> MediaAttachment:
        """Change the description, focus point or thumbnail of an uploaded attachment. Returns the
        MediaAttachment. A thumbnail needs Mastodon 3.2 (MastodonVersionError otherwise)."""
        id = self.__unpack_id(id)
        if focus is not None:
            focus = format_focus(focus)
        params = self.__generate_params(dict(description=description, focus=focus))
        if thumbnail is not None:
            if not self.__version_at_least("3.2.0"):
                raise MastodonVersionError("Thumbnail requires version > 3.2.0")
            files = {"thumbnail": self.__load_media_file(thumbnail, thumbnail_mime_type)}
            return self.__api_request("PUT", f"/api/v1/media/{id}", params, files=files)
        return self.__api_request("PUT", f"/api/v1/media/{id}", params)

    @api_version("3.1.4", "3.1.4", _DICT_VERSION_MEDIA)
    def media(self, id: Union[MediaAttachment, IdType]) -> MediaAttachment:
        """Fetch an uploaded attachment (MediaAttachment); ``url`` is None while it is processed."""
        id = self.__unpack_id(id)
        return self.__api_request("GET", f"/api/v1/media/{id}")

    @api_version("4.4.0", "4.4.0")
    def media_delete(self, id: Union[MediaAttachment, IdType]) -> None:
        """Delete an uploaded attachment that no status uses yet. Returns None; an attachment in
        use raises MastodonAPIError (422)."""
        id = self.__unpack_id(id)
        self.__api_request("DELETE", f"/api/v1/media/{id}", allow_empty=True)
