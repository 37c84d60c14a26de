"""Generate ``mastodon/return_types.py`` and ``docs/entities.rst``: a typed class per Mastodon entity.

The input is the vendored extract ``tools/spec/entities_233.json``: the entity classes of
Mastodon.py 2.3.3 as the interface spec describes them (display name, documentation link, and per
field the wire key, type, list element type, optional / nullable, version history, rename, move,
deprecation, enum values). From it come

* ``mastodon/return_types.py``: the type names the library's annotations use (a fixed prelude in
  this file), one ``AttribAccessDict`` subclass per entity with one class-level annotation per
  field, and the tables ``ENTITIES`` (name → class) and ``ENTITY_FIELDS`` (which fields of an
  entity hold entities, for the decoder);
* ``docs/entities.rst``: a section and a field table per entity.

A field gets an annotation under its wire key, the key the decoded dict holds, unless that key is
not a Python identifier (``posting:default:visibility``, ``@1x``), would shadow an attribute the
class needs (a ``dict`` method such as ``items`` or ``update``, anything starting with an
underscore) or a name the annotations use. Such fields are listed in a comment in the class and
are still in ``ENTITY_FIELDS``: the decoder works on keys, not attributes.

Usage, from the project root::

    python tools/gen_entities.py                               # rewrite the module and the page
    python tools/gen_entities.py --check                       # exit 1 if either is out of date
    python tools/gen_entities.py --refresh-from ../shared/spec   # re-extract the spec first

Only the standard library is used, and the output depends on nothing but the extract.
"""

import argparse
import hashlib
import json
import keyword
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_EXTRACT = ROOT / "tools" / "spec" / "entities_233.json"
MODULE = ROOT / "mastodon" / "return_types.py"
DOCS = ROOT / "docs" / "entities.rst"
COMMAND = "python tools/gen_entities.py"
RELEASE = "2.3.3"
WIDTH = 100

ENTITY_FACTS = ("name", "python_name", "masto_doc_link", "is_deprecated")
FIELD_FACTS = ("type", "subtype", "structuretype", "optional", "nullable", "versions", "enum",
               "python_name", "moved_path", "is_deprecated")

# Spec type names that are not entities, and how a field of that type is annotated. An id in a
# result is a plain int or str (IdType, the argument type, also accepts an entity or a dict).
SCALARS = {
    "str": "str", "int": "int", "bool": "bool", "float": "float", "datetime": "datetime",
    "IdType": "PrimitiveIdType", "MaybeSnowflakeIdType": "PrimitiveIdType",
    "AttribAccessDict": "AttribAccessDict",
}
LIST_TYPES = ("NonPaginatableList", "PaginatableList")

# Entity classes that extend a class of types_base instead of AttribAccessDict itself, so that
# the library's own instances of the base (built by the request core) and decoded entities
# pass the same isinstance check.
BASES = {"AsyncRefresh": "_AsyncRefreshBase"}

# Cast kinds of ENTITY_FIELDS (repeated in the generated module's prelude).
ONE, LIST, MAPPING, UNION = 1, 2, 3, 4
KIND_NAMES = {ONE: "ONE", LIST: "LIST", MAPPING: "MAPPING", UNION: "UNION"}
# Conversion kinds of FIELD_KINDS (dialect "2" converts by declared type), beside the cast kinds.
PLAIN, ID, INT, FLOAT, DATE, BOOL, PLAIN_LIST = 0, 5, 6, 7, 8, 9, 10
CONVERSION_NAMES = {PLAIN: "PLAIN", ID: "ID", INT: "INT", FLOAT: "FLOAT", DATE: "DATE", BOOL: "BOOL",
                    PLAIN_LIST: "PLAIN_LIST"}
_SCALAR_KINDS = {"MaybeSnowflakeIdType": ID, "int": INT, "float": FLOAT, "datetime": DATE, "bool": BOOL}

_DICT_ATTRIBUTES = frozenset(name for name in dir(dict) if not name.startswith("_"))


# Extracting the spec (needs ../shared/spec; run by hand with --refresh-from).

def extract_spec(spec_dir):
    """The facts of entities.json's 2.3.3 records this generator uses, in the spec's order."""
    source = Path(spec_dir) / "entities.json"
    raw = source.read_bytes()
    entities = []
    for record in json.loads(raw)[RELEASE]:
        entity = {fact: record.get(fact) for fact in ENTITY_FACTS}
        entity["fields"] = {
            key: {fact: facts[fact] for fact in FIELD_FACTS if facts.get(fact) or fact == "type"}
            for key, facts in record["fields"].items()
        }
        entities.append(entity)
    return {
        "about": (
            f"The entity classes of Mastodon.py {RELEASE}, extracted from the interface spec's "
            f"entities.json (key {RELEASE!r}) by `{COMMAND} --refresh-from <spec dir>`, keeping "
            f"only what the generator uses: per entity {', '.join(ENTITY_FACTS)}; per field "
            f"(by wire key, in the spec's order) {', '.join(FIELD_FACTS)}, each left out when it "
            "is null, false or empty."
        ),
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "entities": entities,
    }


def write_extract(extract, path=SPEC_EXTRACT):
    """One line per field, so that a refresh diffs field by field."""
    lines = ["{",
             f'  "about": {json.dumps(extract["about"])},',
             f'  "source_sha256": {json.dumps(extract["source_sha256"])},',
             '  "entities": [']
    for index, entity in enumerate(extract["entities"]):
        lines.append("    {")
        for fact in ENTITY_FACTS:
            lines.append(f"      {json.dumps(fact)}: {json.dumps(entity[fact])},")
        lines.append('      "fields": {')
        items = list(entity["fields"].items())
        for position, (key, facts) in enumerate(items):
            comma = "," if position < len(items) - 1 else ""
            lines.append(f"        {json.dumps(key)}: {json.dumps(facts)}{comma}")
        lines.append("      }")
        lines.append("    }," if index < len(extract["entities"]) - 1 else "    }")
    lines += ["  ]", "}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_extract(path=SPEC_EXTRACT):
    return json.loads(path.read_text(encoding="utf-8"))


# Types.

_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|\[|\]|,)")


def parse_type(text):
    """``Union[A, Dict[str, B]]`` → ``("Union", [("A", []), ("Dict", [("str", []), ("B", [])])])``."""
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ValueError(f"cannot read the type {text!r}")
        tokens.append(match.group(1))
        position = match.end()

    def node(at):
        name = tokens[at]
        if not name.isidentifier():
            raise ValueError(f"cannot read the type {text!r}")
        at += 1
        args = []
        if at < len(tokens) and tokens[at] == "[":
            while True:
                arg, at = node(at + 1)
                args.append(arg)
                if tokens[at] == "]":
                    return (name, args), at + 1
                if tokens[at] != ",":
                    raise ValueError(f"cannot read the type {text!r}")
        return (name, args), at

    try:
        tree, end = node(0)
    except IndexError:
        raise ValueError(f"cannot read the type {text!r}") from None
    if end != len(tokens):
        raise ValueError(f"cannot read the type {text!r}")
    return tree


class Field:
    """One field of an entity: its annotation, its cast entry and why it has no annotation."""

    def __init__(self, key, facts, entity_names):
        self.key = key
        self.facts = facts
        self.type, self.cast = self._resolve(facts, entity_names)
        self.optional = bool(facts.get("optional"))
        self.nullable = bool(facts.get("nullable"))
        self.annotation = f"Optional[{self.type}]" if self.optional or self.nullable else self.type
        self.skip_reason = None
        self.moved_path = facts.get("moved_path")
        self.python_name = facts.get("python_name")
        if self.cast:
            self.kind = self.cast[0]
        elif facts["type"] in LIST_TYPES:
            self.kind = PLAIN_LIST
        else:
            # Only a bare scalar converts: an id typed IdType (or a union of scalars) keeps its
            # wire value, as Mastodon.py 2.x's casting leaves it.
            self.kind = _SCALAR_KINDS.get(facts["type"], PLAIN)

    @staticmethod
    def _resolve(facts, entities):
        """The annotation (without Optional) and the ENTITY_FIELDS entry (kind, targets) or None."""
        kind = facts["type"]
        if kind in LIST_TYPES:
            element = facts.get("subtype") or "Any"
            inner, inner_cast = Field._render(parse_type(element), entities)
            cast = (LIST, inner_cast[1]) if inner_cast and inner_cast[0] == ONE else None
            return f"NonPaginatableList[{inner}]", cast
        return Field._render(parse_type(kind), entities)

    @staticmethod
    def _render(tree, entities):
        name, args = tree
        if name in entities and not args:
            return name, (ONE, name)
        if name in SCALARS and not args:
            return SCALARS[name], None
        if name == "Any" and not args:
            return "Any", None
        if name == "Union" and args:
            parts = [Field._render(arg, entities) for arg in args]
            candidates = tuple(text for text, _ in parts if text in entities or text == "AttribAccessDict")
            has_entity = any(cast and cast[0] == ONE for _, cast in parts)
            return f"Union[{', '.join(text for text, _ in parts)}]", (UNION, candidates) if has_entity else None
        if name in ("AttribAccessDict", "Dict") and len(args) == 2:
            key, _ = Field._render(args[0], entities)
            value, value_cast = Field._render(args[1], entities)
            cast = (MAPPING, value_cast[1]) if value_cast and value_cast[0] == ONE else None
            return f"Dict[{key}, {value}]", cast
        if name in LIST_TYPES and len(args) == 1:
            inner, inner_cast = Field._render(args[0], entities)
            cast = (LIST, inner_cast[1]) if inner_cast and inner_cast[0] == ONE else None
            return f"NonPaginatableList[{inner}]", cast
        raise ValueError(f"no annotation is known for the spec type {name}{args or ''}: add it to "
                         "SCALARS or Field._render in tools/gen_entities.py")

    def names_used(self):
        return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", self.annotation))

    @property
    def added(self):
        for version, change in self.facts.get("versions") or ():
            if change == "added":
                return version
        return None

    def history(self, change):
        return [version for version, kind in self.facts.get("versions") or () if kind == change]

    @property
    def deprecated(self):
        return bool(self.facts.get("is_deprecated")) or bool(self.history("deprecated"))


def skip_reason(key, names_in_annotations):
    """Why a wire key cannot be a class-level annotation, or None when it can."""
    if not key.isidentifier():
        return "not a Python identifier"
    if keyword.iskeyword(key):
        return "a Python keyword"
    if key.startswith("_"):
        return "underscore names belong to the class (slots, pagination bookkeeping)"
    if key in _DICT_ATTRIBUTES:
        return f"would shadow dict.{key}"
    if key in names_in_annotations:
        return f"would shadow the name {key} in the class's annotations"
    return None


class Entity:
    def __init__(self, record, entity_names):
        self.name = record["python_name"]
        self.display_name = record.get("name") or self.name
        self.link = record.get("masto_doc_link")
        self.deprecated = bool(record.get("is_deprecated"))
        self.fields = [Field(key, facts, entity_names) for key, facts in record["fields"].items()]


def build(extract):
    """The entities of the extract, in its order, with every field's skip reason settled."""
    names = [record["python_name"] for record in extract["entities"]]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"entity names occur twice: {duplicates}")
    entity_names = frozenset(names)
    entities = [Entity(record, entity_names) for record in extract["entities"]]
    for entity in entities:
        used = set(entity_names) | set(SCALARS.values()) | {"Optional", "Union", "Dict", "Any",
                                                             "NonPaginatableList"}
        for field in entity.fields:
            used |= field.names_used()
        for field in entity.fields:
            field.skip_reason = skip_reason(field.key, used)
    return entities


# The module.

PRELUDE = '''\
"""Names for the types in the library's annotations, and a class per entity of the Mastodon API.

Every entity the API returns is an :class:`AttribAccessDict`. The classes below (``Status``,
``Account``, ...) subclass it and declare each field with its type, for type checkers and readers;
they add nothing to an instance (empty ``__slots__``, no class attributes for the fields: values
are read through the lazy attributes of the base class), so a decoded dict's class can be set to
the entity it is. ``ENTITY_FIELDS`` tells the decoder which fields of an entity hold entities, as
``(wire key, kind, target)`` with the kinds ``ONE``, ``LIST``, ``MAPPING`` (str → entity) and
``UNION`` (a tuple of candidate classes; ``AttribAccessDict`` among them means "none of the
others"). Pages of results are :class:`AttribAccessList` (``PaginatableList``).

Generated by ``{command}`` from ``tools/spec/entities_233.json`` (the entity
classes of Mastodon.py {release}); the part before the entity classes is a template in the
generator: do not edit by hand.
"""

from __future__ import annotations

from datetime import date as Date, datetime, datetime as DateTime
from pathlib import PurePath
from typing import Any, Dict, Iterator, List, Optional, Tuple, TypeVar, Union

from requests import Session

# Names of annotations that are not entities of the API live in types_base, as in Mastodon.py 2.x.
from .types_base import (
    AsyncRefresh as _AsyncRefreshBase, AttribAccessDict, AttribAccessList, IdType,
    NonPaginatableList, PaginatableList, PaginationInfo, PathOrFile, PrimitiveIdType,
    WebpushCryptoParamsPrivkey, WebpushCryptoParamsPubkey,
)

_T = TypeVar("_T")

#: In annotations: any decoded object (``mastodon.types_base.Entity`` is what every result is).
Entity = AttribAccessDict

# The kinds of ENTITY_FIELDS.
ONE = 1
LIST = 2
MAPPING = 3
UNION = 4
# The conversion kinds of FIELD_KINDS (what dialect "2" does with a declared field's wire value).
PLAIN = 0
ID = 5
INT = 6
FLOAT = 7
DATE = 8
BOOL = 9
PLAIN_LIST = 10
'''

PRELUDE_EXPORTS = [
    "Date", "DateTime", "PurePath", "Any", "Dict", "Iterator", "List", "Optional", "Tuple", "Union",
    "Session", "AttribAccessDict", "AttribAccessList", "NonPaginatableList", "PaginatableList",
    "PaginationInfo", "_T", "PrimitiveIdType", "IdType", "PathOrFile", "Entity",
    "WebpushCryptoParamsPrivkey", "WebpushCryptoParamsPubkey",
    "ONE", "LIST", "MAPPING", "UNION", "ENTITIES", "ENTITY_NAME_MAP", "ENTITY_FIELDS",
    "PLAIN", "ID", "INT", "FLOAT", "DATE", "BOOL", "PLAIN_LIST", "FIELD_KINDS", "MOVED_PATHS",
    "RENAMED_KEYS",
]


def _wrap_annotation(indent, name, annotation, comment):
    """``name: annotation  # comment``, broken inside its brackets when it is too long."""
    tail = f"  # {comment}" if comment else ""
    line = f"{indent}{name}: {annotation}"
    if len(line + tail) <= WIDTH:
        return [line + tail]
    # Break after the outermost bracket that holds a comma-separated list.
    opening = annotation.find("Union[")
    if opening < 0:
        return [line + tail]
    head = annotation[:opening + len("Union[")]
    depth, close = 1, None
    for index in range(opening + len("Union["), len(annotation)):
        depth += {"[": 1, "]": -1}.get(annotation[index], 0)
        if depth == 0:
            close = index
            break
    inner = annotation[opening + len("Union["):close]
    rest = annotation[close:]
    return [f"{indent}{name}: {head}{tail}", f"{indent}    {inner}{rest}"]


def _docstring(entity, indent):
    first = entity.display_name.rstrip(".") + "."
    if entity.deprecated:
        first += " Deprecated."
    lines = [f'{indent}"""{first}']
    if entity.link:
        lines += ["", f"{indent}{entity.link}"]
        lines.append(f'{indent}"""')
    else:
        lines[0] += '"""'
    return lines


def _comment(field):
    notes = []
    if field.deprecated:
        notes.append("deprecated")
    for version in field.history("removed"):
        notes.append(f"removed in {version}")
    if field.facts.get("moved_path"):
        notes.append(f"moved to {field.facts['moved_path']}")
    return "; ".join(notes)


def render_class(entity):
    indent = "    "
    base = BASES.get(entity.name, "AttribAccessDict")
    lines = [f"class {entity.name}({base}):"]
    lines += _docstring(entity, indent)
    lines += ["", f"{indent}__slots__ = ()"]
    annotated = [field for field in entity.fields if field.skip_reason is None]
    skipped = [field for field in entity.fields if field.skip_reason is not None]
    if annotated:
        lines.append("")
    for field in annotated:
        lines += _wrap_annotation(indent, field.key, field.annotation, _comment(field))
    if skipped:
        lines += ["", f"{indent}# Read as items only (no annotation):"]
        for field in skipped:
            rename = field.facts.get("python_name")
            also = f"; Mastodon.py's name: {rename}" if rename else ""
            lines.append(f"{indent}# {field.key!r}: {field.annotation}")
            lines.append(f"{indent}#     {field.skip_reason}{also}")
    return lines


def _target(kind, target):
    if kind == UNION:
        return "(" + ", ".join(target) + ("," if len(target) == 1 else "") + ")"
    return target


def render_module(entities):
    lines = PRELUDE.format(command=COMMAND, release=RELEASE).rstrip("\n").split("\n")
    for entity in entities:
        lines += ["", ""] + render_class(entity)
    lines += ["", "", "#: Entity classes by name.", "ENTITIES: Dict[str, type] = {"]
    for entity in entities:
        lines.append(f'    "{entity.name}": {entity.name},')
    lines += ["}", "#: Mastodon.py 2.x's name for ENTITIES.", "ENTITY_NAME_MAP = ENTITIES", ""]
    lines += ["#: Per entity class, its fields that hold entities: (wire key, kind, target).",
              "ENTITY_FIELDS: Dict[type, Tuple[Tuple[str, int, object], ...]] = {"]
    for entity in entities:
        casts = [(field.key, field.cast) for field in entity.fields if field.cast]
        if not casts:
            lines.append(f"    {entity.name}: (),")
            continue
        lines.append(f"    {entity.name}: (")
        for key, (kind, target) in casts:
            line = f"        ({json.dumps(key)}, {KIND_NAMES[kind]}, {_target(kind, target)}),"
            if len(line) > WIDTH:
                lines.append(f"        ({json.dumps(key)}, {KIND_NAMES[kind]}, (")
                lines += _wrapped_names(target, "           ")
                lines.append("        )),")
            else:
                lines.append(line)
        lines.append("    ),")
    lines.append("}")
    lines += render_conversion_tables(entities)
    lines += ["", "__all__ = ["]
    lines += _wrapped_strings(PRELUDE_EXPORTS + [entity.name for entity in entities])
    lines.append("]")
    return "\n".join(lines) + "\n"


def render_conversion_tables(entities):
    """FIELD_KINDS, MOVED_PATHS and RENAMED_KEYS: what dialect "2" needs to decode as 2.x does."""
    lines = ["", "#: Per entity class, every declared field that is not moved elsewhere, as (wire key, kind):",
             "#: how dialect \"2\" converts its wire value (PLAIN: kept; ID, INT, FLOAT, DATE, BOOL; PLAIN_LIST:",
             "#: a list of non-entities; ONE, LIST, MAPPING, UNION: as in ENTITY_FIELDS).",
             "FIELD_KINDS: Dict[type, Tuple[Tuple[str, int], ...]] = {"]
    names = {**CONVERSION_NAMES, **KIND_NAMES}
    for entity in entities:
        items = [f"({json.dumps(field.key)}, {names[field.kind]})," for field in entity.fields
                 if not field.moved_path]
        if not items:
            lines.append(f"    {entity.name}: (),")
            continue
        lines.append(f"    {entity.name}: (")
        lines += _wrapped_names([item.rstrip(",") for item in items], "       ")
        lines.append("    ),")
    lines.append("}")
    lines += ["#: Fields Mastodon.py 2.x answers from another path when the object lacks them.",
              "MOVED_PATHS: Dict[type, Dict[str, str]] = {"]
    for entity in entities:
        moved = [(field.key, field.moved_path) for field in entity.fields if field.moved_path]
        if moved:
            inner = ", ".join(f"{json.dumps(key)}: {json.dumps(path)}" for key, path in moved)
            line = f"    {entity.name}: {{{inner}}},"
            if len(line) <= WIDTH:
                lines.append(line)
            else:
                lines.append(f"    {entity.name}: {{")
                lines += [f"        {json.dumps(key)}: {json.dumps(path)}," for key, path in moved]
                lines.append("    },")
    lines.append("}")
    lines += ["#: Wire keys Mastodon.py 2.x also offers under a Python name: (wire key, python name).",
              "RENAMED_KEYS: Dict[type, Tuple[Tuple[str, str], ...]] = {"]
    for entity in entities:
        renamed = [(field.key, field.python_name) for field in entity.fields if field.python_name]
        if renamed:
            lines.append(f"    {entity.name}: (")
            lines += [f"        ({json.dumps(key)}, {json.dumps(name)})," for key, name in renamed]
            lines.append("    ),")
    lines.append("}")
    return lines


def _wrapped_names(items, indent):
    lines, line = [], indent
    for item in items:
        item = f" {item},"
        if len(line) + len(item) > WIDTH:
            lines.append(line)
            line = indent
        line += item
    if line.strip():
        lines.append(line)
    return lines


def _wrapped_strings(names):
    return _wrapped_names([f'"{name}"' for name in names], "   ")


# The documentation page.

DOCS_HEADER = """\
Entities
========

.. This page is generated by ``{command}`` from ``tools/spec/entities_233.json``: do not edit.

Every result of the API is an ``AttribAccessDict``: a ``dict`` whose keys also read as attributes.
Each entity below has a class of that name in ``mastodon.return_types`` that subclasses it and
declares the fields with their types, for type checkers. This page is generated by
``{command}`` from the entity classes of Mastodon.py {release}.

A field is optional when servers of some versions leave it out, and nullable when its value can be
``None``. "Added" is the Mastodon version that introduced it. Keys that are not Python identifiers
(``@1x``) or that name a ``dict`` method (``items``, ``update``) are read as items:
``alerts["update"]``.
"""


def _cell(text):
    return text if text else ""


def _docs_notes(field):
    notes = []
    for version in field.history("removed"):
        notes.append(f"Removed in {version}.")
    if field.facts.get("moved_path"):
        notes.append(f"Moved to ``{field.facts['moved_path']}``.")
    rename = field.facts.get("python_name")
    if rename:
        notes.append(f"Mastodon.py calls it ``{rename}``.")
    if field.skip_reason is not None:
        notes.append("Read as an item only.")
    structure = field.facts.get("structuretype")
    if structure and structure != field.facts["type"] and not field.facts.get("enum"):
        notes.append(f"Format: {structure}.")
    if field.facts.get("enum"):
        notes.append("One of " + ", ".join(f"``{value}``" for value in field.facts["enum"]) + ".")
    return " ".join(notes)


def _deprecation(field):
    if not field.deprecated:
        return ""
    versions = field.history("deprecated")
    return f"deprecated in {versions[0]}" if versions else "deprecated"


def render_docs(entities):
    lines = DOCS_HEADER.format(command=COMMAND, release=RELEASE).rstrip("\n").split("\n")
    for entity in sorted(entities, key=lambda entity: entity.name):
        lines += ["", "", entity.name, "-" * len(entity.name), ""]
        intro = entity.display_name.rstrip(".") + "."
        if entity.deprecated:
            intro += " Deprecated."
        if entity.link:
            intro += f" Mastodon documentation: {entity.link}"
        # A class target, so that the methods' signatures and "Returns" link here.
        lines += [f".. py:class:: {entity.name}", "   :module: mastodon.return_types", "", f"   {intro}"]
        if not entity.fields:
            continue
        lines += ["", ".. list-table::", "   :header-rows: 1", ""]
        rows = [("Field", "Type", "Optional / nullable", "Added", "Deprecated", "Notes")]
        for field in entity.fields:
            presence = ", ".join(word for word, flag in (("optional", field.optional),
                                                          ("nullable", field.nullable)) if flag)
            rows.append((f"``{field.key}``", f"``{field.type}``", presence, field.added or "",
                         _deprecation(field), _docs_notes(field)))
        for row in rows:
            lines.append(f"   * - {_cell(row[0])}".rstrip())
            lines += [f"     - {_cell(cell)}".rstrip() for cell in row[1:]]
    return "\n".join(lines) + "\n"


# Entry points.

def generate(extract=None):
    """The module text and the page text from the committed extract."""
    entities = build(load_extract() if extract is None else extract)
    return render_module(entities), render_docs(entities)


def summary(entities):
    annotated = sum(1 for entity in entities for field in entity.fields if field.skip_reason is None)
    skipped = [(entity.name, field.key, field.skip_reason)
               for entity in entities for field in entity.fields if field.skip_reason is not None]
    return annotated, skipped


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--refresh-from", metavar="SPEC_DIR",
        help="re-extract tools/spec/entities_233.json from SPEC_DIR/entities.json first")
    parser.add_argument(
        "--check", action="store_true",
        help="only report whether mastodon/return_types.py and docs/entities.rst are current")
    args = parser.parse_args(argv)

    if args.refresh_from:
        if args.check:
            parser.error("--check compares with the committed extract; drop --refresh-from")
        write_extract(extract_spec(args.refresh_from))

    entities = build(load_extract())
    outputs = {MODULE: render_module(entities), DOCS: render_docs(entities)}
    stale = [path for path, text in outputs.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run `{COMMAND}`", file=sys.stderr)
        return 1 if stale else 0

    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    annotated, skipped = summary(entities)
    print(f"{MODULE.relative_to(ROOT)}: {len(entities)} entity classes, {annotated} annotated "
          f"fields, {len(skipped)} fields read as items only")
    for entity, key, reason in skipped:
        print(f"  {entity}[{key!r}]: {reason}")
    print(f"{DOCS.relative_to(ROOT)}: {len(entities)} sections")
    for path in stale:
        print(f"  updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
