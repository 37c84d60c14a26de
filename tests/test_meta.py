"""Guards on the composition of the Mastodon class: one definition per method, docstrings,
version gates as the interface specifies them, exports."""

import copy
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
    "streaming_endpoints", "async_refresh", "collections", "annual_reports", "profile", "internals",
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


# --- list and dict defaults ------------------------------------------------------------------------
# Mastodon.py's signatures have a few list defaults (scopes, the markers' timeline). Python makes
# each one object, shared by every call: a method that appends to it, sorts it or hands it to
# something that does would change what all later calls send. So each such method is called,
# with the default in use, against the recording server, twice over.


def mutable_defaults(name):
    """The list, dict and set objects among the defaults of ``Mastodon.name`` (of the decorated
    function and of the one it wraps)."""
    method = getattr(Mastodon, name)
    found = []
    for function in (method, inspect.unwrap(method)):
        defaults = list(getattr(function, "__defaults__", None) or ())
        defaults += list((getattr(function, "__kwdefaults__", None) or {}).values())
        found += [value for value in defaults if isinstance(value, (list, dict, set, bytearray))
                  and not any(value is seen for seen in found)]
    return found


def app_client(make_api):
    return make_api(access_token=None, client_id="cid", client_secret="csecret")


# Every public method with a list or dict default: the recorded answers it needs, and a call
# that leaves that default in use (each call builds its own client).
DEFAULT_USERS = {
    "auth_request_url": ((), lambda make_api, server: app_client(make_api).auth_request_url()),
    "create_account": (("POST_oauth_token_200", "POST_api_v1_accounts_200"),
                       lambda make_api, server: app_client(make_api).create_account(
                           "newbie", "hunter22hunter22", "new@example.com", agreement=True)),
    "create_app": (("POST_api_v1_apps_200",),
                   lambda make_api, server: Mastodon.create_app("app", api_base_url=server.url)),
    "log_in": (("POST_oauth_token_200",), lambda make_api, server: app_client(make_api).log_in("u", "p")),
    "markers_get": (("GET_api_v1_markers_200",), lambda make_api, server: make_api().markers_get()),
}


def assert_calls_leave_the_defaults_alone(name, make_api, server):
    fixtures, call = DEFAULT_USERS[name]
    for fixture_name in fixtures:
        server.fixture(fixture_name)
    defaults = mutable_defaults(name)
    assert defaults, f"{name} has no list or dict default"
    before = copy.deepcopy(defaults)
    exchanges = []
    for _ in range(2):
        server.clear()
        result = call(make_api, server)
        sent = [(r.method, r.path, r.query, r.form, r.json) for r in server.requests]
        exchanges.append((result, sent))
    assert defaults == before, f"{name} changed its default arguments"
    assert exchanges[1] == exchanges[0], f"{name} sent something else the second time"


def test_every_list_or_dict_default_is_checked():
    assert sorted(name for name in public_methods() if mutable_defaults(name)) == sorted(DEFAULT_USERS)


@pytest.mark.parametrize("name", sorted(DEFAULT_USERS))
def test_calls_leave_list_and_dict_defaults_unchanged(name, make_api, server):
    assert_calls_leave_the_defaults_alone(name, make_api, server)


def test_the_default_check_catches_a_method_that_changes_its_default(monkeypatch, make_api, server):
    real_markers_get = Mastodon.markers_get

    def markers_get(self, timeline=["home"]):  # noqa: B006 (the mistake under test)
        timeline.append("notifications")
        return real_markers_get(self, timeline)

    monkeypatch.setattr(Mastodon, "markers_get", markers_get)
    with pytest.raises(AssertionError, match="markers_get changed its default arguments"):
        assert_calls_leave_the_defaults_alone("markers_get", make_api, server)


def test_public_signatures_carry_resolvable_type_hints():
    import typing
    for name in SPEC["methods"]:
        function = inspect.unwrap(getattr(Mastodon, name))
        hints = typing.get_type_hints(function)  # every annotation names something real
        parameters = [p for p in inspect.signature(function).parameters if p != "self"]
        if parameters:
            assert set(hints) - {"return"}, f"{name} has no parameter annotations"
