"""The dialect setting (issue 15): ``"1.8"`` (the default, Mastodon.py 1.8.1's behaviour) or ``"2"``
(Mastodon.py 2.x's), per client and per process, and the rows of DIALECTS.md implemented so far,
each in both dialects. Row ids (V1, V3, ...) are those of ``shared/spec/DIALECTS.md``.
"""

import ast
import inspect
import pathlib

import pytest

from helpers import TOKEN

from mastodon import Mastodon, MastodonIllegalArgumentError, MastodonVersionError
from mastodon import _dialect

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "mastodon"
ENV = "MASTODON_PY_DIALECT"


def client(server, **kwargs):
    """A client of the recording server with the constructor's own defaults (unlike make_api)."""
    return Mastodon(api_base_url=server.url, access_token=TOKEN, **kwargs)


# ---------------------------------------------------------------------------------------------
# The setting


def test_default_dialect_is_1_8(server):
    assert client(server, version_check_mode="none").dialect == "1.8"


def test_keyword_selects_dialect_2(server):
    assert client(server, dialect="2").dialect == "2"
    assert client(server, dialect="1.8", version_check_mode="none").dialect == "1.8"


def test_environment_sets_the_default_for_every_client(server, monkeypatch):
    monkeypatch.setenv(ENV, "2")
    assert client(server).dialect == "2"
    assert client(server).dialect == "2"


def test_keyword_wins_over_the_environment(server, monkeypatch):
    monkeypatch.setenv(ENV, "2")
    assert client(server, dialect="1.8", version_check_mode="none").dialect == "1.8"


@pytest.mark.parametrize("value", ["", "  "])
def test_empty_environment_variable_means_the_default(server, monkeypatch, value):
    monkeypatch.setenv(ENV, value)
    assert client(server, version_check_mode="none").dialect == "1.8"


@pytest.mark.parametrize("value", ["3", "2.3.3", "1.8.1", "", 2, 1.8])
def test_unknown_dialect_keyword_raises_naming_the_allowed_values(server, value):
    with pytest.raises(MastodonIllegalArgumentError, match=r"'1\.8' or '2'") as caught:
        client(server, dialect=value)
    assert repr(value) in str(caught.value)
    assert server.requests == []


def test_unknown_dialect_in_the_environment_raises_naming_the_variable(server, monkeypatch):
    monkeypatch.setenv(ENV, "two")
    with pytest.raises(MastodonIllegalArgumentError, match=r"'two'.*MASTODON_PY_DIALECT.*'1\.8' or '2'"):
        client(server)
    assert server.requests == []


def test_dialect_is_read_only(server):
    api = client(server, dialect="2")
    with pytest.raises(AttributeError):
        api.dialect = "1.8"
    assert api.dialect == "2"


def test_dialect_keyword_comes_after_every_mastodon_py_parameter():
    parameters = list(inspect.signature(Mastodon.__init__).parameters.values())
    names = [p.name for p in parameters]
    at = names.index("dialect")
    assert parameters[at].default is None
    assert names[at - 2:at] == ["user_agent", "lang"]
    # Only the library's own options follow (ratelimit_callback), each with a default.
    assert names[at + 1:] == ["ratelimit_callback"] and parameters[-1].default is None


def test_dialects_are_not_instance_attributes_that_show_in_vars(server):
    """``dialect`` is a property: ``vars()`` of a 1.8 client lists what it listed before."""
    api = client(server, version_check_mode="none")
    assert "dialect" not in vars(api)


# ---------------------------------------------------------------------------------------------
# V1: version_check_mode's default; V2 follows from it


def test_v1_dialect_2_constructor_sends_nothing_and_checks_nothing(server):
    api = client(server, dialect="2")
    assert server.requests == []
    assert api.version_check_mode == "none"
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (1, 0, 0)


def test_v1_dialect_1_8_constructor_still_fetches_the_version(server):
    server.route("GET", "/api/v1/instance/", body={"version": "4.2.1"})
    api = client(server)
    assert [(r.method, r.path) for r in server.requests] == [("GET", "/api/v1/instance/")]
    assert api.version_check_mode == "created"
    assert (api.mastodon_major, api.mastodon_minor, api.mastodon_patch) == (4, 2, 1)


@pytest.mark.parametrize("mode", ["created", "changed"])
def test_v1_an_explicit_mode_is_kept_in_dialect_2(server, mode):
    server.route("GET", "/api/v1/instance/", body={"version": "4.2.1"})
    server.route("GET", "/api/v2/instance/", body={"version": "4.2.1"})
    api = client(server, dialect="2", version_check_mode=mode)
    assert api.version_check_mode == mode
    # The version fetch of 2.x reads the v2 instance too (row V4, tests/test_dialect_discovery.py).
    assert [r.path for r in server.requests] == ["/api/v1/instance/", "/api/v2/instance/"]


def test_v1_an_explicit_created_is_kept_in_dialect_1_8_and_none_too(server):
    assert client(server, version_check_mode="none").version_check_mode == "none"
    assert server.requests == []


def test_v1_the_signature_keeps_mastodon_py_1_8_1_default():
    default = inspect.signature(Mastodon.__init__).parameters["version_check_mode"].default
    assert default == "created" and repr(default) == "'created'"


def test_v1_invalid_mode_is_still_refused_in_both_dialects(server):
    for dialect in ("1.8", "2"):
        with pytest.raises(MastodonIllegalArgumentError, match="Invalid version check method"):
            client(server, dialect=dialect, version_check_mode="sometimes")


def test_v2_dialect_2_default_client_sends_a_call_newer_than_the_server(server):
    server.route("GET", "/api/v1/instance/", body={"version": "3.0.0"})
    server.route("GET", "/api/v1/statuses/1/history", body=[])
    client(server, dialect="2").status_history(1)
    assert [r.path for r in server.requests] == ["/api/v1/statuses/1/history"]


def test_v2_dialect_1_8_default_client_refuses_it_before_sending(server):
    server.route("GET", "/api/v1/instance/", body={"version": "3.0.0"})
    api = client(server)
    server.clear()
    with pytest.raises(MastodonVersionError):
        api.status_history(1)
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# V3: the version error's text


def version_error_text(server, dialect):
    api = client(server, dialect=dialect, mastodon_version="3.0.0", version_check_mode="created")
    with pytest.raises(MastodonVersionError) as caught:
        api.status_history(1)
    assert server.requests == []
    return caught.value.args


def test_v3_dialect_2_version_error_text(server):
    assert version_error_text(server, "2") == (
        "Version check failed (Need Mastodon instance version 3.5.0 to call this endpoint)",)


def test_v3_dialect_1_8_version_error_text_is_mastodon_py_1_8_1s(server):
    assert version_error_text(server, "1.8") == ("Version check failed (Need version 3.5.0)",)


# ---------------------------------------------------------------------------------------------
# V6: instance attributes

PUBLIC_1_8 = [
    "access_token", "api_base_url", "client_id", "client_secret", "debug_requests", "feature_set",
    "lang", "mastodon_major", "mastodon_minor", "mastodon_patch", "request_timeout", "session",
    "user_agent", "version_check_mode", "version_check_worked",
]


def public_attributes(api):
    return sorted(k for k in vars(api) if not k.startswith("_"))


def test_v6_dialect_1_8_attributes_are_unchanged(server):
    api = client(server, version_check_mode="none")
    assert public_attributes(api) == PUBLIC_1_8
    assert api.version_check_worked is None
    assert not hasattr(api, "mastodon_api_version")


def test_v6_dialect_2_has_mastodon_api_version_and_no_public_version_check_worked(server):
    api = client(server, dialect="2")
    expected = sorted(set(PUBLIC_1_8) - {"version_check_worked"} | {"mastodon_api_version"})
    assert public_attributes(api) == expected
    assert api.mastodon_api_version == 0
    assert not hasattr(api, "version_check_worked")
    assert api._Mastodon__version_check_worked is None


def test_v6_dialect_2_keeps_the_version_state_private_and_uses_it(server):
    server.route("GET", "/api/v1/instance/", body={"version": "takahe/0.11.0"})
    api = client(server, dialect="2", version_check_mode="created")
    assert api._Mastodon__version_check_worked is False
    assert not hasattr(api, "version_check_worked")
    server.route("GET", "/api/v1/statuses/1/history", body=[])
    api.status_history(1)  # a server whose version cannot be read is never refused
    server.route("GET", "/api/v1/instance/", body={"version": "3.0.0"})
    api.retrieve_mastodon_version()
    assert api._Mastodon__version_check_worked is True
    with pytest.raises(MastodonVersionError):
        api.status_history(1)
    api.clear_caches()
    assert api._Mastodon__version_check_worked is None
    assert not hasattr(api, "version_check_worked")


def test_v6_dialect_1_8_public_version_check_worked_still_steers_the_gate(server):
    api = client(server, mastodon_version="3.0.0")
    api.version_check_worked = False  # set by a caller, as 1.8.1 allows
    server.route("GET", "/api/v1/statuses/1/history", body=[])
    api.status_history(1)
    assert server.last.path == "/api/v1/statuses/1/history"


# ---------------------------------------------------------------------------------------------
# V7: get_supported_version, a static method: the process default decides


def test_v7_dialect_1_8_supported_version_is_unchanged():
    assert Mastodon.get_supported_version() == "3.5.5"
    assert isinstance(inspect.getattr_static(Mastodon, "get_supported_version"), staticmethod)


def test_v7_process_dialect_2_supported_version(monkeypatch):
    monkeypatch.setenv(ENV, "2")
    assert Mastodon.get_supported_version() == "4.7.3"


def test_v7_a_client_keyword_does_not_reach_the_static_method(server):
    assert client(server, dialect="2").get_supported_version() == "3.5.5"


# ---------------------------------------------------------------------------------------------
# One implementation: no method forks on the dialect outside the table

#: Modules (relative to mastodon/) allowed to branch on the dialect besides _dialect.py: none yet.
ALLOWED = frozenset()

_BRANCHES = (ast.If, ast.IfExp, ast.While, ast.Compare, ast.BoolOp, ast.Assert, ast.comprehension,
             ast.Match)


def _mentions_dialect(node):
    for inner in ast.walk(node):
        name = inner.id if isinstance(inner, ast.Name) else inner.attr if isinstance(inner, ast.Attribute) else ""
        if "dialect" in name.lower():
            return True
    return False


def dialect_forks(source, filename="<source>"):
    """``file:line`` of every branch or comparison that involves the dialect, and of every use of
    a single dialect's table row (``DIALECTS["2"]``)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, _BRANCHES):
            if isinstance(node, (ast.If, ast.IfExp, ast.While, ast.Assert)):
                parts = [node.test]
            elif isinstance(node, ast.comprehension):
                parts = list(node.ifs)
            elif isinstance(node, ast.Match):
                parts = [node.subject]
            else:
                parts = [node]
            flagged = [part for part in parts if _mentions_dialect(part)]
            if flagged:
                found.append(f"{filename}:{flagged[0].lineno}")
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                and _mentions_dialect(node.value):
            found.append(f"{filename}:{node.lineno}")
    return found


def test_no_module_forks_on_the_dialect_outside_the_table():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == "_dialect.py" or relative in ALLOWED:
            continue
        found += dialect_forks(path.read_text(encoding="utf-8"), relative)
    assert found == [], "branch on the dialect through mastodon/_dialect.py's table instead"


@pytest.mark.parametrize("source", [
    "def f(self):\n    if self.dialect == '2':\n        return 1\n",
    "def f(self):\n    return 1 if self.__dialect.name != '1.8' else 2\n",
    "def f(self):\n    if self.__dialect is DIALECTS['2']:\n        pass\n",
    "def f(self):\n    return _dialect.DIALECTS['2'].supported_version\n",
    "def f(self):\n    if self._Mastodon__dialect.extra_attributes:\n        pass\n",
    "def f(self):\n    return [x for x in y if self.dialect]\n",
    "def f(self):\n    match self.dialect:\n        case '2':\n            pass\n",
])
def test_the_fork_scan_catches_a_method_that_branches_on_the_dialect(source):
    assert dialect_forks(source)[:1] == ["<source>:2"]


@pytest.mark.parametrize("source", [
    "def f(self):\n    return self.__dialect.supported_version\n",
    "def f(self):\n    mode = self.__dialect.version_check_mode_for(mode)\n",
    "def f(self):\n    return getattr(self, self.__dialect.version_check_worked_attribute, None)\n",
])
def test_the_fork_scan_lets_table_lookups_through(source):
    assert dialect_forks(source) == []


def test_the_table_has_both_dialects_with_the_same_rows():
    assert sorted(_dialect.DIALECTS) == ["1.8", "2"]
    assert all(name == dialect.name for name, dialect in _dialect.DIALECTS.items())
    assert _dialect.DEFAULT == "1.8"
