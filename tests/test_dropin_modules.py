"""Module-level names of Mastodon.py 1.8.1 that code imports directly: each lives in the same
home module as in 1.8.1 (utility, versions, defaults, compat, errors) and is also reachable as
``mastodon.Mastodon.<name>``, as 1.8.1's ``mastodon/Mastodon.py`` imported them all.

The names and 1.8.1 values come from the interface spec, copied to spec_dropin_names.json so
that the tests run without it. ``mastodon.Mastodon`` as an attribute of the package is the class;
the module is reached through ``importlib`` and ``from mastodon.Mastodon import ...``.
"""

import builtins
import importlib
import inspect
import json
import os

import pytest

SPEC = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "spec_dropin_names.json")))

HOME = {}
for _name in [*SPEC["functions"], *SPEC["classes"]]:
    HOME[_name] = "utility"
for _name in SPEC["constants"]["versions"]:
    HOME[_name] = "versions"
for _name in SPEC["constants"]["defaults"]:
    HOME[_name] = "defaults"
for _name in SPEC["compat_flags"]:
    HOME[_name] = "compat"
for _name in SPEC["exceptions"]:
    HOME[_name] = "errors"

NAMES = sorted(HOME)
CONSTANTS = [(module, name) for module, values in SPEC["constants"].items() for name in values]


def _home(name):
    return importlib.import_module("mastodon." + HOME[name])


def test_the_spec_copy_lists_every_kind_of_name():
    counts = {module: list(HOME.values()).count(module) for module in set(HOME.values())}
    assert counts == {"utility": 5, "versions": 34, "defaults": 7, "compat": 3, "errors": 17}


@pytest.mark.parametrize("name", NAMES)
def test_name_lives_in_its_1_8_1_home_module(name):
    assert hasattr(_home(name), name)


@pytest.mark.parametrize("name", NAMES)
def test_name_is_reachable_from_the_mastodon_module_as_the_same_object(name):
    module = importlib.import_module("mastodon.Mastodon")
    assert inspect.ismodule(module) and module.__name__ == "mastodon.Mastodon"
    assert getattr(module, name) is getattr(_home(name), name)


@pytest.mark.parametrize("name", NAMES)
def test_from_mastodon_mastodon_import_statement(name):
    namespace = {}
    exec(f"from mastodon.Mastodon import {name}", namespace)
    assert namespace[name] is getattr(_home(name), name)


def test_star_import_from_the_mastodon_module_brings_the_client_and_the_exceptions():
    namespace = {}
    exec("from mastodon.Mastodon import *", namespace)
    from mastodon import Mastodon
    assert namespace["Mastodon"] is Mastodon
    assert {"MastodonError", "MastodonAPIError", "MastodonNotFoundError"} <= set(namespace)


@pytest.mark.parametrize("module, name", CONSTANTS)
def test_constant_has_the_1_8_1_value(module, name):
    expected = SPEC["constants"][module][name]
    later = SPEC["later_values"].get(module, {})
    actual = getattr(importlib.import_module("mastodon." + module), name)
    if name not in later:
        assert actual == expected
        return
    # Changed by Mastodon.py 2.x (the profile scope): the newer value, which keeps every 1.8.1 entry.
    assert actual == later[name]
    if isinstance(expected, dict):
        assert all(set(actual[key]) >= set(entries) for key, entries in expected.items())
    else:
        assert set(actual) >= set(expected)


@pytest.mark.parametrize("name", SPEC["compat_flags"])
def test_compat_flag_is_a_bool(name):
    assert isinstance(getattr(importlib.import_module("mastodon.compat"), name), bool)


@pytest.mark.parametrize("name", sorted(SPEC["functions"]))
def test_utility_function_keeps_the_1_8_1_parameters(name):
    function = getattr(importlib.import_module("mastodon.Mastodon"), name)
    parameters = [[p.name, p.kind.name.lower()] for p in inspect.signature(function).parameters.values()]
    assert parameters == SPEC["functions"][name]


@pytest.mark.parametrize("name, bases", sorted({**SPEC["classes"], **SPEC["exceptions"]}.items()))
def test_class_keeps_the_1_8_1_bases(name, bases):
    cls = getattr(importlib.import_module("mastodon.Mastodon"), name)
    for base in bases:
        expected = getattr(builtins, base, None) or getattr(importlib.import_module("mastodon.errors"), base)
        assert issubclass(cls, expected), f"{name} should subclass {base}"
