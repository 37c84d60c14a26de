"""Warnings that point at the caller's line, not at the library's.

A warning raised deep in the request core (a server that flags an endpoint as deprecated) must
show the line of the program that called the library: the frames of this package and of the
``decorator`` package (the version gate wraps every endpoint) are not counted. Python 3.12
skips them itself (``skip_file_prefixes``); before that the stack level is counted here.
"""

import os
import sys
import warnings
from typing import Tuple, Type

import decorator


def _file_prefix(module_file: str) -> str:
    """A module's file, or its directory for a package (``decorator`` 5.3 is one, 5.1 a file)."""
    if os.path.basename(module_file).startswith("__init__."):
        return os.path.dirname(os.path.abspath(module_file)) + os.sep
    return os.path.abspath(module_file)


#: Frames whose file starts with one of these belong to the library.
LIBRARY_PREFIXES: Tuple[str, ...] = (
    os.path.dirname(os.path.abspath(__file__)) + os.sep,
    "<decorator-gen-",  # the wrappers decorator 4 compiles
) + ((_file_prefix(decorator.__file__),) if decorator.__file__ else ())


# Python 3.12's warnings.warn skips these frames itself.
SKIPS_FILES = sys.version_info >= (3, 12)


def _is_library(filename: str) -> bool:
    return filename.startswith(LIBRARY_PREFIXES)


def caller_stacklevel() -> int:
    """The ``stacklevel`` that makes ``warnings.warn``, called by this function's caller, name the
    first frame outside the library."""
    frame = sys._getframe(1)  # the frame that will call warnings.warn: level 1
    level = 1
    while frame.f_back is not None and _is_library(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    return level


def warn(message: str, category: Type[Warning]) -> None:
    """``warnings.warn`` attributed to the first line outside the library."""
    if SKIPS_FILES:
        warnings.warn(message, category,
                      skip_file_prefixes=LIBRARY_PREFIXES)  # type: ignore[call-overload,unused-ignore]
    else:
        warnings.warn(message, category, stacklevel=caller_stacklevel())
