"""Mastodon.py installed beside this library: both install the ``mastodon`` import package.

Installing one over the other silently overwrites the other's files, and uninstalling either
afterwards deletes files the other needs, so ``import mastodon`` breaks. When the package
metadata of the environment shows a Mastodon.py whose files include ``mastodon/__init__.py``,
importing the library warns once with what to do.
"""

import sys
import warnings
from typing import Optional

from .errors import MastodonWarning

# Mastodon.py's distribution name as its releases spell it, and as newer installers normalise it
# (Python 3.9's importlib.metadata matches names without normalising them).
_NAMES = ("Mastodon.py", "mastodon_py", "mastodon.py")
_MARKER = "mastodon/__init__.py"


def conflicting_mastodon_py() -> Optional[str]:
    """``"<version> (<where>)"`` of an installed Mastodon.py that owns ``mastodon/__init__.py``,
    else None."""
    try:
        from importlib import metadata
    except ImportError:  # pragma: no cover (Python < 3.8)
        return None
    for name in _NAMES:
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        except Exception:  # broken metadata of another package must not break the import
            return None
        files = distribution.files or ()
        if any(str(path).replace("\\", "/") == _MARKER for path in files):
            where = distribution.locate_file("")
            return f"{distribution.version} ({where})"
        return None
    return None


def message(found: str) -> str:
    return (
        f"Mastodon.py {found} is installed in the same environment as this library, and both install "
        f"the 'mastodon' import package: their files overwrite each other, and uninstalling either "
        f"one breaks 'import mastodon'. Uninstall Mastodon.py, then reinstall this library to "
        f"restore its files: '{sys.executable} -m pip uninstall -y Mastodon.py', then "
        f"'{sys.executable} -m pip install --force-reinstall --no-deps mastodon' (or '.' in a "
        f"source checkout instead of 'mastodon').")


def warn_if_mastodon_py_installed() -> None:
    """Warn (once per process: the package is imported once) when Mastodon.py shares the
    ``mastodon`` package with this library."""
    found = conflicting_mastodon_py()
    if found is not None:
        warnings.warn(message(found), MastodonWarning, stacklevel=3)
