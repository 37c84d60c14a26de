"""Results as entity classes: decoded objects get the class their method declares.

The decoder builds every JSON object as a plain :class:`~mastodon.AttribAccessDict`. A method's
return annotation (``Status``, ``PaginatableList[Notification]``, ``Optional[Poll]``...) is turned
once into a caster, which walks the result top-down and reassigns ``__class__``, following only
the fields the entity table of ``return_types`` marks as holding entities. Nothing is looked up
per attribute or per object at run time beyond that table, and objects keep their identity, keys
and values: a 1.8.1 caller still sees the same dicts, now instances of subclasses.
"""

import datetime
import functools
import os
import typing
from typing import Dict, FrozenSet, Tuple

from . import _decoding
from .types_base import AttribAccessDict, AttribAccessList, MaybeSnowflakeIdType, NonPaginatableList, set_extra

ONE, LIST, MAPPING, UNION = 1, 2, 3, 4

_PLAIN = AttribAccessDict
_dict_get = dict.get

def _set_class(obj, cls, _setattr=object.__setattr__):
    _setattr(obj, "__class__", cls)


def _required_fields(cls):
    """The fields a class always carries (its annotations that are not Optional)."""
    required = set()
    for klass in reversed(cls.__mro__):
        for name, annotation in vars(klass).get("__annotations__", {}).items():
            text = annotation if isinstance(annotation, str) else repr(annotation)
            if not text.startswith("Optional["):
                required.add(name)
    return frozenset(required)


class _Tables:
    """The entity table of return_types, loaded on first use (return_types imports the mixins'
    helpers; importing it here at module load would be circular), and the cast in use: the C
    one of ``_speedups`` where it was built, else :func:`python_cast_entity`."""

    fields = None
    # class → (its always-present fields, all its fields), filled by choose()
    required: Dict[type, Tuple[FrozenSet[str], FrozenSet[str]]] = {}
    cast = None

    @classmethod
    def load(cls):
        from . import return_types
        cls.fields = dict(getattr(return_types, "ENTITY_FIELDS", {}))
        cls.cast = python_cast_entity
        if not os.environ.get("MASTODON_NO_SPEEDUPS"):
            try:
                from . import _speedups
            except ImportError:
                pass
            else:
                _speedups.configure_cast(_PLAIN, cls.fields, choose)
                cls.cast = _speedups.cast_entity
        return cls.fields


def cast_entity(obj, cls):
    """Give ``obj`` (a decoded object) the class ``cls`` and its entity fields theirs; returns it.

    Objects that are not plain AttribAccessDicts (already cast, or something else) are left
    alone, so casting twice costs one class check.
    """
    cast = _Tables.cast
    if cast is None:
        _Tables.load()
        cast = _Tables.cast
    return cast(obj, cls)


def python_cast_entity(obj, cls):
    """The reference implementation of :func:`cast_entity` (the C one must give the same)."""
    if obj.__class__ is not _PLAIN or cls is _PLAIN:
        return obj
    fields = _Tables.fields
    if fields is None:
        fields = _Tables.load()
    entries = fields.get(cls)
    if entries is None:
        return obj  # not an entity class of the table
    _set_class(obj, cls)
    for key, kind, target in entries:
        value = _dict_get(obj, key)
        if value is None:
            continue
        if kind == ONE:
            python_cast_entity(value, target)
        elif kind == LIST:
            if isinstance(value, list):
                for item in value:
                    python_cast_entity(item, target)
        elif kind == MAPPING:
            if isinstance(value, dict):
                for item in value.values():
                    python_cast_entity(item, target)
        elif kind == UNION:
            if value.__class__ is _PLAIN:
                chosen = choose(value, target)
                if chosen is not None:
                    python_cast_entity(value, chosen)
    return obj


def choose(obj, candidates):
    """The candidate class ``obj`` fits best: the one that knows most of its keys, then the one
    missing fewest of its always-present fields, then the first; None when none knows any key.

    Fields are not required outright: an older server omits the fields newer versions added.
    """
    best, best_score = None, (0, 0)
    keys = obj.keys()
    for candidate in candidates:
        known = _Tables.required.get(candidate)
        if known is None:
            known = _Tables.required[candidate] = (_required_fields(candidate), _all_fields(candidate))
        required, fields = known
        score = (len(fields.intersection(keys)), -len(required.difference(keys)))
        if score[0] and (best is None or score > best_score):
            best, best_score = candidate, score
    return best


def _all_fields(cls):
    names = set()
    for klass in cls.__mro__:
        names.update(vars(klass).get("__annotations__", {}))
    return frozenset(names)


# ---------------------------------------------------------------------------------------------
# From a return annotation to a caster

def _is_list_type(annotation):
    origin = typing.get_origin(annotation)
    return isinstance(origin, type) and issubclass(origin, list)


def _entity_classes():
    fields = _Tables.fields if _Tables.fields is not None else _Tables.load()
    from . import return_types
    return set(getattr(return_types, "ENTITIES", {}).values()) | set(fields)


@functools.lru_cache(maxsize=None)
def caster_for(annotation):
    """A function ``result → result`` for a resolved return annotation, or None when the
    annotation names no entity class (str, bool, plain dicts...)."""
    entities = _entity_classes()
    return _caster(annotation, entities, _Tables, cast_entity)


def remember_result_type(result, annotation):
    """Note on a page's pagination info what its results are, so that the next pages get the
    same classes (see ``fetch_next``). An attribute, not a key: the info dict is sent back."""
    for name in ("_pagination_next", "_pagination_prev"):
        info = getattr(result, name, None)
        if isinstance(info, AttribAccessDict):
            set_extra(info, "_result_type", annotation)


def cast_like_page(result, info, caster_for=caster_for):
    """Cast a page fetched from ``info`` (a pagination info) like the page it came from, with
    the ``caster_for`` of the client's dialect."""
    annotation = getattr(info, "_result_type", None) if isinstance(info, AttribAccessDict) else None
    if annotation is None or result is None:
        return result
    caster = caster_for(annotation)
    if caster is not None:
        result = caster(result)
        remember_result_type(result, annotation)
    return result


def _caster(annotation, entities, tables, cast_entity):
    """The caster of ``annotation``, casting each object with ``tables.cast`` (the C or Python
    cast of a dialect, looked up at each call so that tests can swap it) and objects whose class
    a union decides with ``cast_entity``."""
    if isinstance(annotation, type) and annotation in entities:
        cls = annotation

        def one(result):
            if result.__class__ is _PLAIN:
                tables.cast(result, cls)
            return result
        return one
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Union:
        options = [arg for arg in args if arg is not type(None)]
        classes = tuple(arg for arg in options if isinstance(arg, type) and arg in entities)
        others = [arg for arg in options if arg not in classes]
        inner = [_caster(arg, entities, tables, cast_entity) for arg in others]
        inner = [caster for caster in inner if caster is not None]
        if len(classes) == 1 and not inner:
            return _caster(classes[0], entities, tables, cast_entity)
        if classes and not inner:
            def union(result):
                if result.__class__ is _PLAIN:
                    chosen = choose(result, classes)
                    if chosen is not None:
                        cast_entity(result, chosen)
                return result
            return union
        if inner and not classes and len(inner) == 1:
            return inner[0]
        item_classes = [typing.get_args(arg)[0] for arg in others if _is_list_type(arg)]
        if not classes and item_classes and len(item_classes) == len(others) \
                and all(isinstance(item, type) and item in entities for item in item_classes):
            # A list of one of several entities (``suggestions``: v1 Accounts or v2 Suggestions).
            return _caster(typing.List[typing.Union[tuple(item_classes)]], entities, tables, cast_entity)
        list_casters = [_caster(arg, entities, tables, cast_entity) for arg in others if _is_list_type(arg)]
        list_casters = [caster for caster in list_casters if caster is not None]
        if len(list_casters) == 1 and len(list_casters) == len(inner):
            # A list or one object (``notifications(id=...)``): the result's shape decides.
            for_list = list_casters[0]
            for_object = _caster(typing.Union[classes], entities, tables, cast_entity) if classes else None

            def shaped(result):
                if isinstance(result, list):
                    return for_list(result)
                return for_object(result) if for_object is not None else result
            return shaped
        return None
    if origin is not None and isinstance(origin, type) and issubclass(origin, list) and len(args) == 1:
        item_caster = _caster(args[0], entities, tables, cast_entity)
        if item_caster is None:
            return None

        def each(result):
            if isinstance(result, list):
                for item in result:
                    item_caster(item)
            return result
        return each
    if origin is not None and isinstance(origin, type) and issubclass(origin, dict) and len(args) == 2:
        value_caster = _caster(args[1], entities, tables, cast_entity)
        if value_caster is None:
            return None

        def values(result):
            if isinstance(result, dict):
                for item in result.values():
                    value_caster(item)
            return result
        return values
    return None




# ---------------------------------------------------------------------------------------------
# Mastodon.py 2.x's casting helpers (``mastodon.types_base.try_cast`` and friends), on the same
# entity table. They convert one value on request; the decoder does not use them.

def _wrap(value):
    """Plain dicts (at any depth) → AttribAccessDicts, as the decoder would have built them."""
    if isinstance(value, dict):
        if value.__class__ is not dict:
            return value
        return AttribAccessDict({key: _wrap(item) for key, item in value.items()})
    if isinstance(value, list):
        value[:] = [_wrap(item) for item in value]
    return value


def _named_type(name):
    """A type written as text in an annotation (``"Status"``), or None."""
    from . import return_types, types_base
    return getattr(return_types, name, None) or getattr(types_base, name, None)


def _to_bool(value):
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def _to_datetime(value):
    from ._decoding import parse_date
    if isinstance(value, datetime.datetime):
        return value
    try:
        return parse_date(value)
    except (ValueError, TypeError, OverflowError, OSError):
        return None  # as Mastodon.py 2.x leaves an unreadable date


def try_cast(t, value, retry=True, union_specializer=None):
    """See :func:`mastodon.types_base.try_cast`."""
    if value is None or t is None or t is typing.Any:
        return value
    if isinstance(t, str):
        named = _named_type(t)
        return value if named is None else try_cast(named, value, retry, union_specializer)
    if typing.get_origin(t) is not None:
        return try_cast_recurse(t, value, union_specializer)
    if not isinstance(t, type):
        return value
    try:
        if t is MaybeSnowflakeIdType:
            return value if isinstance(value, t) else t(value)
        if t is bool:
            return _to_bool(value)
        if t is datetime.datetime:
            return _to_datetime(value)
        if issubclass(t, AttribAccessDict):
            if not isinstance(value, dict):
                return value
            value = _wrap(value)
            if isinstance(value, t) or value.__class__ is not _PLAIN or t is _PLAIN:
                return value
            fields = _Tables.fields if _Tables.fields is not None else _Tables.load()
            if t in fields:
                return cast_entity(value, t)
            _set_class(value, t)  # a class of the same layout outside the table (PaginationInfo...)
            return value
        if issubclass(t, list):
            if isinstance(value, list) and not isinstance(value, t):
                return t(_wrap(value))
            return _wrap(value) if isinstance(value, list) else value
        if isinstance(value, t):
            return value
        return t(value)
    except (TypeError, ValueError, OverflowError):
        if retry and isinstance(value, dict):
            return _wrap(value)
        return value


def try_cast_recurse(t, value, union_specializer=None):
    """See :func:`mastodon.types_base.try_cast_recurse`."""
    if value is None:
        return None
    origin = typing.get_origin(t)
    args = typing.get_args(t)
    if origin is typing.Union:
        options = [arg for arg in args if arg is not type(None)]
        classes = tuple(arg for arg in options if isinstance(arg, type) and issubclass(arg, AttribAccessDict))
        if isinstance(value, dict) and len(classes) > 1:
            if _Tables.fields is None:
                _Tables.load()
            chosen = choose(_wrap(value), classes)
            if chosen is not None:
                return try_cast(chosen, value, True, union_specializer)
        for option in options:
            result = try_cast_recurse(option, value, union_specializer)
            option_class = get_type_class(option)
            if isinstance(option_class, type) and isinstance(result, option_class):
                return result
        return value
    if isinstance(origin, type) and issubclass(origin, list) and isinstance(value, list):
        item_type = args[0] if args else typing.Any
        items = [try_cast_recurse(item_type, item, union_specializer) for item in value]
        if isinstance(value, origin):
            value[:] = items
            return value
        return origin(items)
    if isinstance(origin, type) and issubclass(origin, dict) and isinstance(value, dict):
        value_type = args[1] if len(args) == 2 else typing.Any
        result = _wrap(value)
        for key, item in result.items():
            result[key] = try_cast_recurse(value_type, item, union_specializer)
        return result
    if origin is not None:
        return value
    return try_cast(t, value, True, union_specializer)


def stringify_type(tp):
    """See :func:`mastodon.types_base.stringify_type`."""
    if tp is None or tp is type(None):
        return "None"
    if isinstance(tp, str):
        return tp
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union:
        options = [arg for arg in args if arg is not type(None)]
        inner = ", ".join(stringify_type(arg) for arg in options)
        if len(options) < len(args):
            return f"Optional[{inner}]" if len(options) == 1 else f"Optional[Union[{inner}]]"
        return f"Union[{inner}]"
    if origin is not None:
        name = _TYPE_NAMES.get(origin) or getattr(origin, "__name__", str(origin))
        return f"{name}[{', '.join(stringify_type(arg) for arg in args)}]" if args else name
    if isinstance(tp, type):
        return _TYPE_NAMES.get(tp) or tp.__name__
    return str(tp)


def get_type_class(typ):
    """See :func:`mastodon.types_base.get_type_class`."""
    if isinstance(typ, type):
        return typ
    origin = typing.get_origin(typ)
    if origin is typing.Union:
        options = [arg for arg in typing.get_args(typ) if arg is not type(None)]
        return get_type_class(options[0]) if len(options) == 1 else None
    if isinstance(origin, type):
        return origin
    return None


def real_issubclass(type1, type2orig):
    """See :func:`mastodon.types_base.real_issubclass`."""
    first, second = get_type_class(type1), get_type_class(type2orig)
    if not isinstance(first, type) or not isinstance(second, type):
        return False
    return issubclass(first, second)


# The names Mastodon.py 2.x writes for these classes (its generic list is PaginatableList).
_TYPE_NAMES = {list: "List", dict: "Dict", tuple: "Tuple", datetime.datetime: "datetime",
               AttribAccessList: "PaginatableList"}


# ---------------------------------------------------------------------------------------------
# Dialect "2": conversions by declared type, in the same top-down walk (rows I1, N1 to N5, R3,
# R9, R10 of DIALECTS.md). The decoder of dialect "2" builds attribute dicts with the wire values
# (no key-name conversions); this cast then gives each object its dialect "2" class, converts
# each declared field by its declared type, adds the declared fields the answer lacks as None,
# and makes every list inside an entity a NonPaginatableList. Undeclared objects keep their wire
# values. The kinds are those of return_types.FIELD_KINDS; the C cast (``_speedups``) uses the
# same numbers and tests compare the two.

PLAIN, ID, INT, FLOAT, DATE, BOOL, PLAIN_LIST = 0, 5, 6, 7, 8, 9, 10
#: Flag on a kind: the key is added as None when the answer lacks it.
FILL = 16
KIND_MASK = 15
_MISSING = object()


class _TablesV2:
    """Entity class → (its dialect "2" class, ((key, kind | FILL, target), ...), fix-up or None,
    field number → place in the entries as bytes, the entries' kinds as bytes), built on first use
    from return_types' tables."""

    fields = None
    cast = None

    @classmethod
    def load(cls):
        from . import return_types
        from ._entities_v2 import CLASSES
        entity_targets = _Tables.fields if _Tables.fields is not None else _Tables.load()
        # Every declared key gets a number; per class, a byte string maps a number to the
        # field's place in the class's entries (255: not a field of the class). The C cast finds
        # a key's number through the hook's cached key lookup.
        names = sorted({key for kinds in return_types.FIELD_KINDS.values() for key, _ in kinds})
        numbers = {name: number for number, name in enumerate(names, 1)}
        table = {}
        for entity, kinds in return_types.FIELD_KINDS.items():
            targets = {key: target for key, _, target in entity_targets.get(entity, ())}
            entries = tuple((key, kind | FILL, targets.get(key)) for key, kind in kinds)
            renamed = return_types.RENAMED_KEYS.get(entity)
            positions = bytearray(b"\xff" * (len(names) + 1))
            for position, (key, _, _) in enumerate(entries[:255]):
                positions[numbers[key]] = position
            kinds = bytes(kind for _, kind, _ in entries)  # each below 32: the C cast reads bytes
            table[entity] = (CLASSES[entity], entries, _renamer(renamed) if renamed else None,
                             bytes(positions), kinds)
        cls.fields = table
        cls.cast = python_cast_entity_v2
        # The C cast keeps which fields it saw in 64 bits; a class with more takes the Python one.
        fits = all(len(entries) <= 64 for _, entries, _, _, _ in table.values())
        if fits and not os.environ.get("MASTODON_NO_SPEEDUPS"):
            try:
                from . import _speedups
                configure = _speedups.configure_cast_v2
            except (ImportError, AttributeError):
                pass
            else:
                if _Tables.cast is None:
                    _Tables.load()  # configure_cast_v2 needs configure_cast first
                configure(_PLAIN, table, choose, MaybeSnowflakeIdType, NonPaginatableList,
                          datetime.datetime.fromisoformat, _v2_date, numbers)
                cls.cast = _speedups.cast_entity_v2
        return table


def _renamer(pairs):
    """Mastodon.py 2.x offers keys that are no Python names under a Python name too, in front of
    the wire keys (``posting_default_visibility`` before ``posting:default:visibility``)."""
    def rename(obj):
        items = list(dict.items(obj))
        dict.clear(obj)
        for wire, python in pairs:
            dict.__setitem__(obj, python, dict.get(dict(items), wire))
        for key, value in items:
            dict.__setitem__(obj, key, value)
        _object_setattr(obj, "__dict__", obj)  # the Python names have no lazy attribute
    return rename


_object_setattr = object.__setattr__


def cast_entity_v2(obj, cls):
    """Dialect "2"'s :func:`cast_entity`: ``cls`` is the generated entity class, the object gets
    its dialect "2" subclass, with the field conversions of Mastodon.py 2.x."""
    cast = _TablesV2.cast
    if cast is None:
        _TablesV2.load()
        cast = _TablesV2.cast
    return cast(obj, cls)


_fromisoformat = datetime.datetime.fromisoformat


def _v2_date(value):
    if value.__class__ is datetime.datetime:
        return value
    try:
        return _decoding.parse_date(value)
    except (ValueError, TypeError, OverflowError, OSError):
        return None  # N3: an unreadable date stays, as None


def _v2_list(value, target):
    converted = NonPaginatableList(value)
    if target is not None:
        for item in converted:
            python_cast_entity_v2(item, target)
    return converted


# Entity class → (declared keys in order, the same as a set, the entries that convert something),
# derived from the table once per class for the Python cast.
_python_plans: Dict[type, Tuple[Tuple[str, ...], FrozenSet[str], Tuple[Tuple[str, int, typing.Any], ...]]] = {}


def _python_plan(cls, entries):
    plan = _python_plans.get(cls)
    if plan is None:
        filled = tuple(key for key, kind, _ in entries if kind & FILL)
        converting = tuple((key, kind & KIND_MASK, target) for key, kind, target in entries
                           if kind & KIND_MASK != PLAIN)
        plan = _python_plans[cls] = (filled, frozenset(filled), converting)
    return plan


def python_cast_entity_v2(obj, cls):
    """The reference implementation of :func:`cast_entity_v2` (the C one must give the same)."""
    if obj.__class__ is not _PLAIN or cls is _PLAIN:
        return obj
    table = _TablesV2.fields
    if table is None:
        table = _TablesV2.load()
    found = table.get(cls)
    if found is None:
        return obj
    v2_class, entries, fixup, _, _ = found
    filled, filled_set, converting = _python_plan(cls, entries)
    _set_class(obj, v2_class)
    for key, kind, target in converting:
        value = _dict_get(obj, key)
        if value is None:
            continue
        value_class = value.__class__
        if kind == ID:
            if value_class is str:
                converted = _str_new(MaybeSnowflakeIdType, value)
            elif value_class is int:
                converted = _str_new(MaybeSnowflakeIdType, str(value))
            else:
                continue
        elif kind == DATE:
            if value_class is str:
                try:
                    converted = _fromisoformat(value)
                except ValueError:
                    converted = _v2_date(value)
            else:
                converted = _v2_date(value)
        elif kind == BOOL:
            if value_class is str:
                converted = value.lower() == "true"
            elif value_class is int or value_class is float:
                converted = bool(value)
            else:
                continue
        elif kind == INT:
            if value_class is not str:
                continue
            try:
                converted = int(value)
            except ValueError:
                continue
        elif kind == FLOAT:
            if value_class is not str and value_class is not int:
                continue
            try:
                converted = float(value)
            except (ValueError, OverflowError):
                continue
        elif kind == ONE:
            python_cast_entity_v2(value, target)
            continue
        elif kind == LIST or kind == PLAIN_LIST:
            if not isinstance(value, list):
                continue
            converted = _v2_list(value, target)
        elif kind == MAPPING:
            if isinstance(value, dict):
                for item in value.values():
                    python_cast_entity_v2(item, target)
            continue
        elif kind == UNION:
            if value_class is _PLAIN:
                chosen = choose(value, target)
                if chosen is not None:
                    python_cast_entity_v2(value, chosen)
            continue
        else:
            continue
        _dict_setitem(obj, key, converted)
    missing = filled_set.difference(obj)
    if missing:
        for key in filled:
            if key in missing:
                _dict_setitem(obj, key, None)
    if fixup is not None:
        fixup(obj)
    return obj


_str_new = str.__new__
_dict_setitem = dict.__setitem__


@functools.lru_cache(maxsize=None)
def caster_for_v2(annotation):
    """Dialect "2"'s :func:`caster_for`: entities get their dialect "2" classes, and a list
    result the list class its annotation names (row P1, P2: ``PaginatableList``, also without a
    Link header, or ``NonPaginatableList``), whatever its items are. None when the annotation
    names neither entities nor a list."""
    entities = _entity_classes()
    if _TablesV2.fields is None:
        _TablesV2.load()
    inner = _caster(annotation, entities, _TablesV2, cast_entity_v2)
    listed = _list_annotation(annotation)
    if listed is None:
        return inner
    type_text = stringify_type(listed)

    def as_list(result):
        if inner is not None:
            result = inner(result)
        return wrap_list_v2(result, type_text)
    return as_list


def _list_annotation(annotation):
    """The list type an annotation names, alone or in a union (``Optional[List[X]]``)."""
    if _is_list_type(annotation):
        return annotation
    if typing.get_origin(annotation) is typing.Union:
        for arg in typing.get_args(annotation):
            if _is_list_type(arg):
                return arg
    return None


def wrap_list_v2(result, type_text="List"):
    """A list result as dialect "2" gives it, for its type written as ``type_text``
    (``PaginatableList[Status]``...): a PaginatableList when the type says so or the server sent
    pages (then its pagination infos are PaginationInfo objects naming the type, and its items
    carry no pagination: rows P3, P4), a NonPaginatableList when the type says so; other lists
    stay as they are."""
    from .types_base import PaginatableList, PaginationInfo
    if not isinstance(result, list) or isinstance(result, (PaginatableList, NonPaginatableList)):
        return result
    outer, _, rest = type_text.partition("[")
    if isinstance(result, AttribAccessList) or outer == "PaginatableList":
        type_text = "PaginatableList[" + rest if rest else "PaginatableList"
        if isinstance(result, AttribAccessList):
            _set_class(result, PaginatableList)
        else:
            result = PaginatableList(result)
        attrs = result.__dict__
        for name, position in (("_pagination_next", -1), ("_pagination_prev", 0)):
            info = attrs.get(name)
            if info is None:
                continue
            if result and isinstance(result[position], AttribAccessDict):
                extras = getattr(result[position], "_attrs", None)
                if extras is not None:
                    extras.pop(name, None)
            if info.__class__ is _PLAIN:
                _set_class(info, PaginationInfo)
            if isinstance(info, dict):
                dict.__setitem__(info, "_mastopy_type", type_text)
        attrs["_mastopy_type"] = type_text
        return result
    if outer == "NonPaginatableList":
        return NonPaginatableList(result)  # it takes no attributes: its type name comes from its items
    return result


class Decoder(typing.NamedTuple):
    """How a dialect turns answers and stream events into results: the dialect table holds one."""

    #: JSON bytes → attribute dicts (dialect "1.8": with Mastodon.py 1.8.1's key-name conversions).
    parse: typing.Callable[[bytes], typing.Any]
    #: A return annotation → the function that gives a result its classes (None: leave it).
    caster_for: typing.Callable[[typing.Any], typing.Any]
    #: (decoded object, generated entity class) → the object, cast.
    cast_entity: typing.Callable[[typing.Any, type], typing.Any]
    #: The JSON object hook behind ``parse`` (streaming builds its text scanner on it).
    object_hook: typing.Callable[[dict], typing.Any]
    #: Stream event name → the name of the entity class of its payload (rows E1, E3, E4).
    event_entities: typing.Mapping[str, str]
    #: (event name, decoded id payload) → the id a ``delete``-like handler gets (rows E2, E4).
    event_id: typing.Callable[[str, typing.Any], typing.Any]
    #: (a list result, its type as text) → the list as the dialect gives it (P1, P2).
    finish_list: typing.Callable[[typing.Any, str], typing.Any]


def _int_id(text):
    """An id of ASCII digits as an int, like the ids of REST answers; anything else (other
    Unicode digits such as ``"²"``, or more digits than ``int()`` accepts) stays a string."""
    if text.__class__ is str and text.isascii() and text.isdigit():
        try:
            return int(text)
        except ValueError:
            pass
    return text


def _event_id_1_8(name, value):
    return _int_id(value)


def _event_id_2(name, value):
    """Mastodon.py 2.x gives a deleted status's id as the wire text (E2), and an announcement's
    as an int, as 1.8.1 did (E4: its table misses that event)."""
    if name == "delete":
        return str(value) if value.__class__ is int else value
    return _int_id(value)


_EVENT_ENTITIES_1_8 = {"update": "Status", "status.update": "Status", "notification": "Notification",
                       "conversation": "Conversation", "announcement": "Announcement",
                       "announcement.reaction": "StreamReaction"}
# Mastodon.py 2.x looks the classes up under names with underscores, so the dotted events miss
# (E3, E4): their payloads stay attribute dicts of wire values.
_EVENT_ENTITIES_2 = {"update": "Status", "notification": "Notification",
                     "conversation": "Conversation", "announcement": "Announcement"}


def _list_as_is(result, type_text=""):
    return result


DECODER_1_8 = Decoder(_decoding.parse_json_bytes, caster_for, cast_entity, _decoding._object_hook,
                      _EVENT_ENTITIES_1_8, _event_id_1_8, _list_as_is)
DECODER_2 = Decoder(_decoding.parse_json_bytes_plain, caster_for_v2, cast_entity_v2, _decoding._plain_hook,
                    _EVENT_ENTITIES_2, _event_id_2, wrap_list_v2)
