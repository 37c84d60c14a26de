"""Media files for uploads: reading paths, bytes or file objects, and finding their mime type."""

import base64
import mimetypes
import os
import time
import uuid
from pathlib import PurePath

from .compat import IMPL_HAS_MAGIC
from .errors import MastodonIllegalArgumentError, _MediaFileNotFoundError

if IMPL_HAS_MAGIC:
    import magic


def guess_type(media_file):
    """Mime type of a file on disk: python-magic when installed, else the file extension."""
    mime_type = None
    if IMPL_HAS_MAGIC:
        try:
            mime_type = magic.from_file(media_file, mime=True)
        except (OSError, magic.MagicException):
            mime_type = None
    if not mime_type:
        mime_type = mimetypes.guess_type(media_file)[0]
    return mime_type

def text_names_file_or_data(media_file, mime_type):
    """Mastodon.py 1.8.1's reading of a string given as a media file: a path, unless it names no
    file and a mime type is given, when the string is the data itself."""
    if mime_type is not None and not os.path.isfile(media_file):
        return media_file.encode("utf-8")
    return media_file


def load_media_file(media_file, mime_type=None, file_name=None, text_rule=text_names_file_or_data,
                    read_error=MastodonIllegalArgumentError):
    """A ``(file_name, file_object, mime_type)`` tuple for a multipart upload.

    ``media_file`` is a path (str or PurePath) or raw bytes / a file object (then
    ``mime_type`` is required). Errors are raised before anything is sent. ``text_rule(text,
    mime_type)`` says whether a string is a path (returned as is) or data (returned as bytes);
    ``read_error`` is raised for a file that exists but cannot be read (a dialect's choice).
    """
    if mime_type is not None and not isinstance(mime_type, str):
        raise MastodonIllegalArgumentError(f"mime_type must be a string, not {type(mime_type).__name__}")
    if isinstance(media_file, PurePath):
        media_file = str(media_file)
        if not os.path.isfile(media_file):
            raise _MediaFileNotFoundError(f"Media file not found or not a regular file: {media_file}")
    if isinstance(media_file, str):
        media_file = text_rule(media_file, mime_type)
    if isinstance(media_file, str):
        path = os.path.abspath(media_file)
        if not os.path.isfile(path):
            raise _MediaFileNotFoundError(f"Media file not found or not a regular file: {media_file}")
        if not os.access(path, os.R_OK):
            raise read_error(f"Media file is not readable: {media_file}")
        mime_type = guess_type(path) or mime_type
        try:
            with open(path, "rb") as handle:
                media_file = handle.read()
        except OSError as e:
            raise read_error(f"Could not read media file {path}: {e}") from e
    elif isinstance(media_file, (bytes, bytearray, memoryview)):
        media_file = bytes(media_file)
    elif not hasattr(media_file, "read"):
        raise MastodonIllegalArgumentError(
            f"Media must be a path, bytes or a file object, not {type(media_file).__name__}")
    if mime_type is None:
        raise MastodonIllegalArgumentError(
            "Could not determine mime type or data passed directly without mime type.")
    if file_name is None:
        extension = mimetypes.guess_extension(mime_type) or ""
        file_name = f"mastodonpyupload_{time.time()}_{uuid.uuid4().hex}{extension}"
    return (file_name, media_file, mime_type)

def encode_data_uri(media_file, mime_type=None):
    """A ``data:<mime>;base64,...`` URI for a media file (used for inline thumbnails)."""
    _, data, mime_type = load_media_file(media_file, mime_type)
    if hasattr(data, "read"):
        data = data.read()
    return f"data:{mime_type};base64," + base64.b64encode(data).decode("ascii")


def format_focus(focus):
    """A media focus point ``(x, y)`` as the ``"x,y"`` string the API takes; a string passes as is
    (like Mastodon.py, only the first two values of a longer sequence are used)."""
    if isinstance(focus, str):
        return focus
    try:
        x, y = focus[0], focus[1]
    except (TypeError, IndexError, KeyError):
        raise MastodonIllegalArgumentError(f"focus must be an (x, y) pair, not {focus!r}") from None
    return f"{x},{y}"
