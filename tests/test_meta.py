"""Guards on the composition of the Mastodon class: one definition per method, docstrings,
version gates as the interface specifies them, exports."""

import importlib
import inspect
import json
import os

import pytest

import mastodon
from mastodon import Mastodon

SPEC = json.load(open(os.path.join(os.path.dirname(__file__), "spec_interface.json")))
MIXIN_MODULES = [
    "utility", "authentication", "accounts", "instance", "timeline", "statuses", "polls", "notifications",
    "hashtags", "filters", "suggestions", "endorsements", "relationships", "lists", "trends", "search",
    "favourites", "reports", "preferences", "push", "admin", "conversations", "media",
    "streaming_endpoints", "async_refresh", "internals",
]


def public_methods():
    return sorted(name for name in dir(Mastodon) if not name.startswith("_") and callable(getattr(Mastodon, name)))


def test_every_mixin_class_is_named_mastodon_and_composed():
    bases = [cls.__module__.rsplit(".", 1)[-1] for cls in Mastodon.__mro__[1:-1]]
    assert bases == MIXIN_MODULES
    for cls in Mastodon.__mro__[:-1]:
        assert cls.__name__ == "Mastodon"


def test_no_two_mixins_define_the_same_public_method():
    owners = {}
    for module_name in MIXIN_MODULES:
        cls = importlib.import_module("mastodon." + module_name).Mastodon
        for name in vars(cls):
            if name.startswith("_") and name != "__init__":
                continue
            assert name not in owners, f"{name} defined in {owners.get(name)} and {module_name}"
            owners[name] = module_name


def test_every_spec_method_exists_with_a_docstring():
    for name in SPEC["methods"]:
        method = getattr(Mastodon, name, None)
        assert method is not None, name
        assert (method.__doc__ or "").strip(), f"{name} has no docstring"


@pytest.mark.parametrize("name", sorted(SPEC["methods"]))
def test_version_gate_matches_the_interface(name):
    expected = SPEC["methods"][name]
    gate = getattr(getattr(Mastodon, name), "_mastodon_api_version", None)
    if expected is None:
        assert gate is None, f"{name} must not be version-gated"
    else:
        assert gate is not None, f"{name} needs @api_version{tuple(expected)}"
        assert list(gate[:2]) == expected


def test_exports():
    assert mastodon.__all__ == SPEC["exports"]
    for name in SPEC["exports"]:
        assert hasattr(mastodon, name)
    from mastodon.errors import MastodonReadTimeout  # noqa: F401 (exists, not exported)
    assert "MastodonReadTimeout" not in mastodon.__all__


def test_signatures_have_no_mutable_default_surprises():
    # Defaults that are lists (scopes, timelines) must never be mutated by a call.
    for name in public_methods():
        try:
            signature = inspect.signature(getattr(Mastodon, name))
        except (TypeError, ValueError):
            continue
        for parameter in signature.parameters.values():
            if isinstance(parameter.default, (list, dict)):
                before = repr(parameter.default)
                assert repr(parameter.default) == before


def test_public_signatures_carry_resolvable_type_hints():
    import typing
    for name in SPEC["methods"]:
        function = inspect.unwrap(getattr(Mastodon, name))
        hints = typing.get_type_hints(function)  # every annotation names something real
        parameters = [p for p in inspect.signature(function).parameters if p != "self"]
        if parameters:
            assert set(hints) - {"return"}, f"{name} has no parameter annotations"
