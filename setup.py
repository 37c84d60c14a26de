"""The optional C extension; everything else about the package is in pyproject.toml."""

import platform
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

WARNING = """
**********************************************************************************************
WARNING: the C extension mastodon._speedups could not be built ({reason}).
mastodon is installed and works the same with its pure-Python decoder, which is slower at
decoding answers. To build the extension, install a C compiler and the Python headers
(Debian/Ubuntu: apt-get install gcc python3-dev) and install mastodon again.
**********************************************************************************************
"""


class OptionalBuildExt(build_ext):
    """Builds the accelerator where it can, and says so plainly where it cannot: the package
    works without it, but the install output should tell why it is slower."""

    def run(self):
        try:
            super().run()
        except Exception as error:  # no compiler at all, or a setup without one configured
            self._not_built(error)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as error:  # the compiler failed on this extension
            self._not_built(error)

    def _not_built(self, error):
        if getattr(self, "_warned", False):
            return
        self._warned = True
        text = " ".join(str(error).split())
        if len(text) > 160:
            text = text[:90] + " ... " + text[-60:]
        # pip shows a build backend's output with -v (and always when the install fails).
        sys.stderr.write(WARNING.format(reason=f"{type(error).__name__}: {text}"))
        sys.stderr.flush()


# The C accelerator for JSON post-processing: CPython only (PyPy runs the pure-Python hook).
ext_modules = []
if platform.python_implementation() == "CPython":
    ext_modules.append(Extension("mastodon._speedups", ["mastodon/_speedups.c"]))

setup(ext_modules=ext_modules, cmdclass={"build_ext": OptionalBuildExt})
