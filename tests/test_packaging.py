"""The package's metadata says what is true: the Python versions it claims are the ones CI installs
and tests, it depends on what it imports and nothing else, and the README's set-up commands are the
ones CI runs. (Building the sdist and running this suite from it is .ci/packaging's job.)"""

import ast
import os
import re
import sys

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11; the checks are static, one version is enough

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT = tomllib.load(open(os.path.join(ROOT, "pyproject.toml"), "rb"))["project"]

# Distribution name -> the name it is imported by, where the two differ.
IMPORT_NAMES = {"python-dateutil": "dateutil", "python-magic": "magic", "http_ece": "http_ece"}


def requirement_name(requirement):
    return re.match(r"[A-Za-z0-9._-]+", requirement).group(0)


def imported_top_level_modules(directory):
    """Every top-level module name the package's source imports (absolute imports only)."""
    names = set()
    for folder, _, files in os.walk(directory):
        for file_name in files:
            if file_name.endswith(".py"):
                with open(os.path.join(folder, file_name), encoding="utf-8") as handle:
                    tree = ast.parse(handle.read())
                for node in ast.walk(tree):
                    if isinstance(node, ast.Import):
                        names.update(alias.name.split(".")[0] for alias in node.names)
                    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        names.add(node.module.split(".")[0])
    return names


def test_claimed_versions_follow_requires_python_without_gaps():
    prefix = "Programming Language :: Python :: 3."
    minors = sorted(int(c[len(prefix):]) for c in PROJECT["classifiers"] if c.startswith(prefix))
    assert PROJECT["requires-python"] == f">=3.{minors[0]}"
    assert minors == list(range(minors[0], minors[-1] + 1))
    # Python 3.8 and 3.9 (past their end of life) are not claimed: get_type_hints cannot read the
    # package's annotations on 3.8, and the test suite uses 3.10's ast.Match.
    assert minors[0] == 10
    # The version running this test is one of them (CI runs the suite on each, .ci/packaging).
    assert sys.version_info[1] in minors


def test_no_deprecated_license_classifier():
    assert PROJECT["license"] == "MIT"
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]


def test_dependencies_are_what_the_package_imports():
    imported = imported_top_level_modules(os.path.join(ROOT, "mastodon"))
    for requirement in PROJECT["dependencies"]:
        name = requirement_name(requirement)
        assert IMPORT_NAMES.get(name, name) in imported, f"{name} is a dependency but never imported"
    extras = {requirement_name(r) for group in PROJECT["optional-dependencies"].values() for r in group}
    declared = {IMPORT_NAMES.get(name, name) for name in {requirement_name(r) for r in PROJECT["dependencies"]} | extras}
    third_party = {name for name in imported if name not in sys.stdlib_module_names and name != "mastodon"}
    # pytest: only mastodon.testing.plugin imports it, loaded by pytest itself; grapheme: an
    # optional speed-up Mastodon.py 2.x also leaves undeclared.
    assert third_party - declared <= {"pytest", "grapheme"}


def test_readme_set_up_commands_are_the_ones_ci_runs():
    readme = open(os.path.join(ROOT, "README.rst"), encoding="utf-8").read()
    set_up = readme.split("\nSet-up\n------\n", 1)[1].split("\n------", 1)[0]
    commands = [line.strip() for line in set_up.splitlines() if line.startswith("    ") and line.strip()]
    assert len(commands) == 2
    ci = open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8").read()
    for command in commands:
        assert command in ci.splitlines(), f".ci/run does not run the README's command: {command}"
    assert "python3 -m venv" in commands[0]


def test_readme_names_the_claimed_python_versions():
    prefix = "Programming Language :: Python :: 3."
    minors = sorted(int(c[len(prefix):]) for c in PROJECT["classifiers"] if c.startswith(prefix))
    readme = " ".join(open(os.path.join(ROOT, "README.rst"), encoding="utf-8").read().split())
    assert f"Python 3.{minors[0]} to 3.{minors[-1]} (each tested in CI)" in readme
