"""examples/quickstart.py against mastodon.testing: the session it prints is a real one (its own
post read back, heard on the stream, the timeline paged)."""

import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, "..", "examples", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quickstart_logs_in_posts_reads_back_streams_and_pages(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["quickstart.py"])
    assert load("quickstart").main() == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("In-memory Mastodon (mastodon.testing) at http://127.0.0.1:")
    assert lines[2].lstrip().startswith(lines[0].split(" at ")[1] + "/oauth/authorize?client_id=")
    assert lines[3:6] == ["@demo approved it in the browser",
                          "Logged in with the code; token saved with mode 0o600",
                          "Server version 4.5.0, logged in as @demo"]
    posted = re.match(r"Posted status (\d+) at \d\d:\d\d:\d\d: Hello from the quickstart example! #python$", lines[6])
    status_id = posted.group(1)
    assert lines[7:10] == ["Read it back from the home timeline: @demo: Hello from the quickstart example! #python",
                           f"Heard it on the stream: update {status_id} from @demo",
                           "The home timeline, three statuses a page:"]
    timeline = [re.sub(r": \d+ @", ": ID @", line) for line in lines[10:]]
    assert timeline == ["  page 1: ID @demo: Hello from the quickstart example! #python",
                        "  page 1: ID @alice: Status number 5 from alice",
                        "  page 1: ID @alice: Status number 4 from alice",
                        "  page 2: ID @alice: Status number 3 from alice",
                        "  page 2: ID @alice: Status number 2 from alice",
                        "  page 2: ID @alice: Status number 1 from alice"]
    assert lines[10].split()[2] == status_id
