"""Credential files: written atomically with mode 0600, read back line by line.

A write goes to a temporary file beside the target (mode 0600 from its creation), is flushed to
disk and renamed over the target, so a crash never leaves a half-written secret and the old file
survives a failure. Temporary files left by a process killed mid-write hold the whole secret:
the next successful write to the same path removes them.
"""

import os
import uuid

from .errors import MastodonIOError

_TEMP_SUFFIX = ".tmp"


def _temp_prefix(path):
    return f".{os.path.basename(path)}."


def _is_own_temp(name, prefix):
    """Whether ``name`` is a temporary file this module made for the target: prefix, 32 hex
    digits, suffix (nothing else in the directory is touched)."""
    if not (name.startswith(prefix) and name.endswith(_TEMP_SUFFIX)):
        return False
    middle = name[len(prefix):-len(_TEMP_SUFFIX)]
    return len(middle) == 32 and all(c in "0123456789abcdef" for c in middle)


def _remove_stale_temps(directory, path, keep):
    prefix = _temp_prefix(path)
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if name != keep and _is_own_temp(name, prefix):
            try:
                os.unlink(os.path.join(directory, name))
            except OSError:
                pass


def write_secret_file(path, lines):
    """Write credential lines to ``path`` atomically with mode 0600."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    text = "".join(f"{line}\n" for line in lines)
    temp_name = f"{_temp_prefix(path)}{uuid.uuid4().hex}{_TEMP_SUFFIX}"
    temp_path = os.path.join(directory, temp_name)
    try:
        fd = os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_path, path)
        except BaseException:
            try:
                os.unlink(temp_path)
            except OSError:
                pass
            raise
    except OSError as e:
        raise MastodonIOError(f"Could not write credentials to {path}: {e}") from e
    _remove_stale_temps(directory, path, keep=temp_name)


def read_secret_file(path):
    """The lines of a credential file, right-stripped."""
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return [line.rstrip() for line in handle]
    except OSError as e:
        raise MastodonIOError(f"Could not read credentials from {path}: {e}") from e
