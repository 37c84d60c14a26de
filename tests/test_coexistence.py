"""Mastodon.py installed beside the library: both install the ``mastodon`` package, so importing
the library with Mastodon.py's metadata in the environment warns once with what to do."""

import os
import subprocess
import sys

import pytest

from mastodon import _coexistence

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(_coexistence.__file__)))


def fake_distribution(site, directory, name, version, files):
    """A dist-info directory as pip leaves it (METADATA and RECORD) in ``site``, with the files it
    lists (Python 3.12's importlib.metadata lists only files that exist)."""
    info = site / directory
    info.mkdir(parents=True)
    for path in files:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "RECORD").write_text("".join(f"{path},,\n" for path in files + [f"{directory}/RECORD"]))
    return site


@pytest.mark.parametrize("directory, version", [
    ("Mastodon.py-1.8.1.dist-info", "1.8.1"),   # as pip of its time named it
    ("mastodon_py-2.1.4.dist-info", "2.1.4"),   # as current installers normalise the name
])
def test_mastodon_py_owning_the_package_is_found(tmp_path, monkeypatch, directory, version):
    site = fake_distribution(tmp_path, directory, "Mastodon.py", version,
                             ["mastodon/__init__.py", "mastodon/Mastodon.py"])
    monkeypatch.syspath_prepend(str(site))
    assert _coexistence.conflicting_mastodon_py() == f"{version} ({site})"


def test_mastodon_py_without_the_package_files_is_left_alone(tmp_path, monkeypatch):
    # Metadata without the files (an editable install elsewhere) overwrites nothing here.
    site = fake_distribution(tmp_path, "Mastodon.py-1.8.1.dist-info", "Mastodon.py", "1.8.1", ["README.rst"])
    monkeypatch.syspath_prepend(str(site))
    assert _coexistence.conflicting_mastodon_py() is None


def test_no_mastodon_py_no_warning():
    assert _coexistence.conflicting_mastodon_py() is None
    done = subprocess.run([sys.executable, "-W", "error", "-c", "import mastodon"], capture_output=True,
                          text=True, timeout=60, cwd=PACKAGE_ROOT)
    assert done.returncode == 0 and done.stderr == ""


def test_import_next_to_mastodon_py_warns_once_with_the_fix(tmp_path):
    site = fake_distribution(tmp_path / "site", "Mastodon.py-1.8.1.dist-info", "Mastodon.py", "1.8.1",
                             ["mastodon/__init__.py"])
    program = "import mastodon\nimport mastodon.streaming\nimport mastodon as again\n"
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([PACKAGE_ROOT, str(site)]))
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60,
                          env=environment, cwd=str(tmp_path))
    assert done.returncode == 0
    warnings = [line for line in done.stderr.splitlines() if "MastodonWarning" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("<string>:1: MastodonWarning: Mastodon.py 1.8.1 ")
    for part in ("both install the 'mastodon' import package", "uninstalling either one breaks 'import mastodon'",
                 "-m pip uninstall -y Mastodon.py", "-m pip install --force-reinstall --no-deps mastodon"):
        assert part in warnings[0]
