"""Generate ``mastodon/_field_names.py``: the field names that get a lazy attribute descriptor.

The names are the union of

* the wire names of every entity field in the interface spec (Mastodon.py 1.8.1's documented
  dicts, 2.2.2's and 2.3.3's entity classes, and the path segments of 2.x's ``moved_path``
  fields), read from the vendored extract ``tools/spec/entities_fields.json``;
* every dict key anywhere in the recorded Mastodon answers ``tests/fixtures/*.json`` (the body,
  or the JSON ``data:`` lines of an event stream).

A renamed field (``python_name``, e.g. ``@1x`` → ``at1x``) counts by the key the server sends:
that is what the decoded dict holds. Left out are names that would shadow an attribute the
class itself needs (a ``dict`` method such as ``update`` or ``items``, anything starting with an
underscore) and the misprints of the spec listed in ``SPEC_MISPRINTS``, unless a recorded
answer carries them.

Usage, from the project root::

    python tools/gen_field_names.py                              # rewrite the module
    python tools/gen_field_names.py --check                      # exit 1 if it is out of date
    python tools/gen_field_names.py --refresh-from ../shared/spec  # re-extract the spec first

Only the standard library is used, and the output depends on nothing but the two inputs.
"""

import argparse
import ast
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_EXTRACT = ROOT / "tools" / "spec" / "entities_fields.json"
FIXTURES = ROOT / "tests" / "fixtures"
MODULE = ROOT / "mastodon" / "_field_names.py"
COMMAND = "python tools/gen_field_names.py"
WIDTH = 100

# Names the spec lists that no server sends.
SPEC_MISPRINTS = {
    "heigh": "misprint of 'height' in the video 'meta' example of Mastodon.py 1.8.1's docs",
}

# Attributes of dict that a descriptor would shadow (alerts.update must stay the method).
_DICT_ATTRIBUTES = frozenset(name for name in dir(dict) if not name.startswith("_"))


def reserved_reason(name):
    """Why a name must not get a descriptor, or None when it may."""
    if name.startswith("_"):
        return "underscore names belong to the class (slots, pagination bookkeeping)"
    if name in _DICT_ATTRIBUTES:
        return f"would shadow dict.{name}"
    return None


# Extracting the spec (needs ../shared/spec; run by hand with --refresh-from).

def extract_spec(spec_dir):
    """The wire field names of entities.json, grouped as the spec groups them."""
    source = Path(spec_dir) / "entities.json"
    raw = source.read_bytes()
    entities = json.loads(raw)
    extract = {
        "about": (
            "Wire field names of the entities of the interface spec, extracted from its "
            f"entities.json by `{COMMAND} --refresh-from <spec dir>`. 1.8.1: per documented "
            "section, the keys of its example dicts and their sub-dict paths. 2.2.2 / 2.3.3: per "
            "entity class, the keys of its fields (the wire name, also for fields with a "
            "python_name), and moved_paths: where a field of an older server version moved to."
        ),
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "1.8.1": {},
    }
    for section in entities["1.8.1"]:
        names = set()
        for block in section["dicts"]:
            names.update(block["fields"])
            names.update(block["subpath"])
        extract["1.8.1"][section["section"]] = sorted(names)
    for release in ("2.2.2", "2.3.3"):
        classes, moved = {}, {}
        for entity in entities[release]:
            classes[entity["python_name"]] = sorted(entity["fields"])
            for field, facts in entity["fields"].items():
                if facts.get("moved_path"):
                    moved[f"{entity['python_name']}.{field}"] = facts["moved_path"]
        extract[release] = {"entities": classes, "moved_paths": moved}
    return extract


_STRING = r'"(?:[^"\\]|\\.)*"'
_STRING_LIST = re.compile(rf"\[\n\s*({_STRING}(?:,\n\s*{_STRING})*)\n\s*\]")


def write_extract(extract, path=SPEC_EXTRACT):
    """One line per entity, so that a refresh diffs entity by entity."""
    text = json.dumps(extract, indent=1, sort_keys=True)
    text = _STRING_LIST.sub(lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")


# The two sources.

def spec_names(extract):
    names = set()
    for fields in extract["1.8.1"].values():
        names.update(fields)
    for release in ("2.2.2", "2.3.3"):
        for fields in extract[release]["entities"].values():
            names.update(fields)
        for path in extract[release]["moved_paths"].values():
            names.update(path.split("."))
    return names


def _collect_keys(value, keys):
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            keys.update(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def fixture_names(fixtures=FIXTURES):
    """Every dict key of every recorded answer body (and of the JSON events of a stream)."""
    keys = set()
    for path in sorted(fixtures.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))["body"]
        if isinstance(body, str):
            for line in body.splitlines():
                if line.startswith("data:"):
                    try:
                        _collect_keys(json.loads(line[len("data:"):]), keys)
                    except ValueError:
                        pass  # a plain-text payload (a deleted status id, say)
        else:
            _collect_keys(body, keys)
    return keys


def field_names(extract, answered):
    """The sorted names, and the left-out names with the reason for each."""
    candidates = spec_names(extract) | answered
    left_out = {}
    for name in sorted(candidates):
        reason = reserved_reason(name)
        if reason is None and name in SPEC_MISPRINTS and name not in answered:
            reason = SPEC_MISPRINTS[name]
        if reason is not None:
            left_out[name] = reason
    return sorted(candidates - set(left_out)), left_out


# The module.

def _literal(name):
    if name.isprintable() and '"' not in name and "\\" not in name:
        return f'"{name}"'
    return repr(name)


HEADER = '''\
"""Field names of the Mastodon API's entities (and of the answers recorded from a 4.5 server).

Each name gets a lazy attribute on :class:`mastodon.AttribAccessDict`; see ``types_base``.

Generated by ``{command}`` from ``tools/spec/entities_fields.json`` (the
entity fields of the spec) and the keys of ``tests/fixtures/*.json``: do not edit by hand.
"""

ENTITY_FIELD_NAMES = ('''


def render(names):
    lines = HEADER.format(command=COMMAND).split("\n")
    line = "   "
    for name in names:
        item = f" {_literal(name)},"
        if len(line) + len(item) > WIDTH:
            lines.append(line)
            line = "   "
        line += item
    if line.strip():
        lines.append(line)
    lines.append(")")
    return "\n".join(lines) + "\n"


def generate():
    """The module text from the committed inputs."""
    extract = json.loads(SPEC_EXTRACT.read_text(encoding="utf-8"))
    names, _ = field_names(extract, fixture_names())
    return render(names)


def _current_names():
    """The names the module on disk holds (read without importing the package)."""
    if not MODULE.exists():
        return set()
    for node in ast.parse(MODULE.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [target.id for target in node.targets
                                             if isinstance(target, ast.Name)] == ["ENTITY_FIELD_NAMES"]:
            return set(ast.literal_eval(node.value))
    return set()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--refresh-from", metavar="SPEC_DIR",
        help="re-extract tools/spec/entities_fields.json from SPEC_DIR/entities.json first")
    parser.add_argument(
        "--check", action="store_true",
        help="only report whether mastodon/_field_names.py is current (exit 1 if not)")
    args = parser.parse_args(argv)

    if args.refresh_from:
        if args.check:
            parser.error("--check compares with the committed extract; drop --refresh-from")
        write_extract(extract_spec(args.refresh_from))

    extract = json.loads(SPEC_EXTRACT.read_text(encoding="utf-8"))
    names, left_out = field_names(extract, fixture_names())
    text = render(names)
    current = MODULE.read_text(encoding="utf-8") if MODULE.exists() else None
    if args.check:
        if text != current:
            print(f"{MODULE.relative_to(ROOT)} is out of date: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0

    before = _current_names()
    MODULE.write_text(text, encoding="utf-8")
    print(f"{MODULE.relative_to(ROOT)}: {len(names)} names (was {len(before)})")
    for name in sorted(set(names) - before):
        print(f"  added   {name}")
    for name in sorted(before - set(names)):
        print(f"  dropped {name}: {left_out.get(name, 'in neither the spec nor the fixtures')}")
    for name, reason in left_out.items():
        if name not in before:
            print(f"  left out {name}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
