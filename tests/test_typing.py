"""The typed API as a user's type checker sees it: ``mypy --strict`` passes on the examples,
reveals the entity classes for a few calls, and catches an Optional field used as if it were
always there. The typed example bot also runs against its embedded stand-in.

mypy runs once for the whole module (about 2 s, with its cache in a temporary directory), in
process, from the project root so that it reads setup.cfg and finds the package there.
"""

import importlib.util
import os
import re

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPED_BOT = os.path.join(ROOT, "examples", "typed_bot.py")

REVEAL = """\
from mastodon import Mastodon

api = Mastodon(api_base_url="https://mastodon.example", version_check_mode="none")
reveal_type(api.status(1))
reveal_type(api.timeline_home())
reveal_type(api.status(1).account.acct)
reveal_type(api.status(1).created_at)
reveal_type(api.notifications(id=1))
reveal_type(api.fetch_next(api.timeline_home()))
"""

# A notification's status is Optional: reading its content without a check is the error.
MISUSE = """\
from mastodon import Mastodon

api = Mastodon(api_base_url="https://mastodon.example", version_check_mode="none")
print(api.notifications()[0].status.content)
"""


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory):
    """mypy --strict over examples/ and the two snippets: ``{file name: [its lines]}``."""
    work = tmp_path_factory.mktemp("mypy")
    (work / "typing_reveal.py").write_text(REVEAL)
    (work / "typing_misuse.py").write_text(MISUSE)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        stdout, stderr, _ = mypy_api.run([
            "--strict", "--config-file", "setup.cfg", "--cache-dir", str(work / "cache"),
            "--no-error-summary", "--hide-error-context", "--no-pretty",
            "examples", str(work / "typing_reveal.py"), str(work / "typing_misuse.py")])
    assert not stderr, stderr
    by_file = {}
    for line in stdout.splitlines():
        name = os.path.basename(line.split(":", 1)[0])
        by_file.setdefault(name, []).append(line)
    return by_file


def revealed(lines):
    return [re.search(r'Revealed type is "(.*)"', line).group(1) for line in lines if "Revealed type" in line]


def test_examples_pass_mypy_strict(mypy_output):
    example_lines = {name: lines for name, lines in mypy_output.items() if not name.startswith("typing_")}
    assert example_lines == {}


def test_mypy_sees_the_entity_classes_of_results(mypy_output):
    assert revealed(mypy_output["typing_reveal.py"]) == [
        "mastodon.return_types.Status",
        "mastodon.types_base.AttribAccessList[mastodon.return_types.Status]",  # PaginatableList[Status]
        "str",
        "datetime.datetime",
        "mastodon.return_types.Notification",
        "mastodon.types_base.AttribAccessList[mastodon.return_types.Status] | None",
    ]
    assert [line for line in mypy_output["typing_reveal.py"] if " error: " in line] == []


def test_mypy_catches_an_optional_field_used_as_always_there(mypy_output):
    errors = [line for line in mypy_output["typing_misuse.py"] if " error: " in line]
    assert len(errors) == 1
    assert 'Item "None" of "Status | None" has no attribute "content"' in errors[0]
    assert errors[0].endswith("[union-attr]")


@pytest.fixture
def typed_bot():
    spec = importlib.util.spec_from_file_location("typed_bot_example", TYPED_BOT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_typed_bot_reads_the_timeline_by_page_and_answers_the_one_mention(typed_bot, capsys):
    stand_in = typed_bot.embedded_server()
    try:
        assert typed_bot.main(["--api-base-url", stand_in.url, "--access-token", "t0ken"]) == 0
    finally:
        stand_in.stop()
    output = capsys.readouterr().out
    assert "Read 10 statuses." in output
    assert "answered @admin" in output and "Answered 1 mention(s)." in output
    sent = [(request.method, request.path) for request in stand_in.requests]
    assert sent.count(("GET", "/api/v1/timelines/home")) == 2
    reply = [request for request in stand_in.requests if request.method == "POST"]
    assert [(request.path, dict(request.form)["in_reply_to_id"]) for request in reply] == [
        ("/api/v1/statuses", "117020576916218297")]
    assert all(request.headers.get("authorization") == "Bearer t0ken" for request in stand_in.requests)


def test_typed_bot_dry_run_posts_nothing(typed_bot, capsys):
    assert typed_bot.main(["--dry-run", "--pages", "1"]) == 0
    output = capsys.readouterr().out
    assert "Read 5 statuses." in output and "would answer @admin" in output
    assert "Answered 0 mention(s)." in output
