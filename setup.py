import platform
import sys

from setuptools import Extension, setup

# The C accelerator for JSON post-processing is optional: where it cannot be built (no
# compiler, PyPy, Python 3.8) the package installs and works with the pure-Python hook.
ext_modules = []
if platform.python_implementation() == "CPython" and sys.version_info >= (3, 9):
    ext_modules.append(Extension("mastodon._speedups", ["mastodon/_speedups.c"], optional=True))

setup(ext_modules=ext_modules)
