import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "mastodon"
author = "The mastodon library authors"
copyright = "2026, " + author
extensions = ["sphinx.ext.autodoc"]
autodoc_member_order = "bysource"
master_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
nitpicky = False
