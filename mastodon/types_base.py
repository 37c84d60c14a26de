"""Result containers: dicts and lists whose entries read as attributes.

Attribute reads must cost about as much as dict indexing, because bots read
``status.account.acct`` millions of times, and they must never go through a raised-and-caught
exception. Two mechanisms give that:

* For every field name of the Mastodon entities the class carries a *non-data* descriptor.
  The first attribute read of such a key on a dict goes through it: it makes the dict its own
  instance ``__dict__`` and returns the value. From then on the interpreter finds ``d.key`` in
  that ``__dict__`` with its plain C-level lookup, before even looking at the descriptor.
* A dict with a key that has no descriptor (a field of a newer server, a fork's extension)
  becomes its own ``__dict__`` when it is built.

Dicts that are never read by attribute hold no reference to themselves, so dropped results are
freed at once by reference counting, with no work for the cycle collector. The C hook (if it was
built) goes one step further and, as CPython does for plain dicts, leaves dicts holding only
atomic values untracked by the collector; whatever gives such a dict a way into a cycle (its
``__dict__`` or ``_attrs`` slot being set) tracks it again. Extra attributes that are not keys
(pagination info, for instance) live in a separate slot so that they never leak into the dict's
items or its JSON.
"""

import abc
import datetime
import operator
import os
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any, Dict, List, Optional, TypeVar, Union

from . import _ids
from ._field_names import ENTITY_FIELD_NAMES

_T = TypeVar("_T")
#: The item type of the generic containers (Mastodon.py 2.x's name).
T = TypeVar("T")

_object_setattr = object.__setattr__

try:
    if os.environ.get("MASTODON_NO_SPEEDUPS"):
        raise ImportError("the C extension is switched off")
    from ._speedups import materialize as _materialize, track as _track
except ImportError:
    def _materialize(instance: "AttribAccessDict", /) -> None:
        """Make the dict its own ``__dict__``."""
        _object_setattr(instance, "__dict__", instance)

    def _track(instance: object, /) -> None:
        """Without the C hook every instance is tracked already."""


_dict_new = dict.__new__
_dict_update = dict.update
_dict_getitem = dict.__getitem__


class _DictMethod:
    """Makes a dict method win over a key of the same name (``alerts.update`` stays the method),
    as it does on a plain ``dict`` subclass."""

    __slots__ = ("name", "method")

    def __init__(self, name):
        self.name = name
        self.method = getattr(dict, name)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self.method
        return self.method.__get__(instance, owner)

    def __set__(self, instance, value):
        raise AttributeError(f"Attribute-style access is read-only: {self.name}")


def _extra(instance, name):
    try:
        return instance._attrs[name]
    except (AttributeError, KeyError):
        raise AttributeError(f"Attribute not found: {name}") from None


class _Named:
    """A descriptor that knows the attribute name it serves."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class _Key(_Named):
    """Non-data descriptor for one field name: only consulted while the dict is not yet its own
    ``__dict__`` (first read), or when the key is missing."""

    __slots__ = ()

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        try:
            value = _dict_getitem(instance, self.name)
        except KeyError:
            return _extra(instance, self.name)
        _materialize(instance)
        return value


class _ExtraAttribute(_Named):
    """An attribute set on an :class:`AttribAccessDict` that is not one of its keys."""

    __slots__ = ()

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        try:
            return instance._attrs[self.name]
        except (AttributeError, KeyError):
            pass
        try:
            return _dict_getitem(instance, self.name)
        except KeyError:
            raise AttributeError(f"Attribute not found: {self.name}") from None

    def __set__(self, instance, value):
        AttribAccessDict.__setattr__(instance, self.name, value)

    def __delete__(self, instance):
        AttribAccessDict.__delattr__(instance, self.name)


if TYPE_CHECKING:
    # What type checkers see: JSON objects, str keys and values of any type.
    _DictBase = Dict[str, Any]
else:
    _DictBase = dict


class AttribAccessDict(_DictBase):
    """A ``dict`` whose keys can also be read as attributes: ``status.account.acct``.

    It is a real dict: equality, ``json.dumps``, copying and pickling behave as a dict's.
    Reading a missing key as an attribute raises ``AttributeError``; assigning to an
    attribute that is also a key raises ``AttributeError`` (use item assignment for that).
    Other attributes can be set freely and are not part of the dict's items.
    """

    __slots__ = ("__dict__", "_attrs")

    def __init__(self, *args, **kwargs):
        dict.__init__(self, *args, **kwargs)
        _materialize(self)  # tracks a decoded (maybe untracked) dict that is initialised again

    def __setattr__(self, attr, value):
        if attr == "__class__":  # a cast to an entity class; Python refuses one of another layout
            _object_setattr(self, attr, value)
            return
        if attr in self:
            raise AttributeError(f"Attribute-style access is read-only: {attr}")
        existing = getattr(type(self), attr, None)
        if existing is None:
            setattr(AttribAccessDict, attr, _ExtraAttribute(attr))
        elif not isinstance(existing, (_Key, _ExtraAttribute)):
            raise AttributeError(f"Cannot replace the dict attribute {attr!r}")
        try:
            attrs = self._attrs
        except AttributeError:
            attrs = {}
            _track(self)  # the extras may lead back to this dict
            _object_setattr(self, "_attrs", attrs)
        attrs[attr] = value

    def __delattr__(self, attr):
        try:
            del self._attrs[attr]
        except (AttributeError, KeyError):
            raise AttributeError(f"Attribute not found: {attr}") from None

    def __dir__(self):
        return sorted(set(dir(dict)) | {k for k in self if isinstance(k, str)})

    def __reduce__(self):
        state = getattr(self, "_attrs", None)
        return (self.__class__, (dict(self),), state)

    def to_json(self, pretty=True):
        """This result as JSON text (Mastodon.py 2.x's envelope: type, data and pagination);
        :meth:`from_json` reads it back."""
        from ._serialise import to_json
        return to_json(self, pretty)

    @classmethod
    def from_json(cls, json_str):
        """The result :meth:`to_json` wrote, as its own class, equal to the original."""
        from ._serialise import from_json
        return from_json(json_str, cls)

    def __setstate__(self, state):
        if state:
            _track(self)
            _object_setattr(self, "_attrs", dict(state))


for _name in ("keys", "values", "items", "get", "pop", "popitem", "update", "copy", "clear", "setdefault"):
    setattr(AttribAccessDict, _name, _DictMethod(_name))
for _name in ENTITY_FIELD_NAMES:
    setattr(AttribAccessDict, _name, _Key(_name))
for _name in ("_pagination_next", "_pagination_prev", "_async_refresh", "_request", "_result_type"):
    setattr(AttribAccessDict, _name, _ExtraAttribute(_name))
del _name


def set_extra(instance, name, value):
    """Attach library bookkeeping (pagination, async refresh) to a result.

    Unlike attribute assignment this never collides with the result's own keys: an answer that
    happens to contain a ``_pagination_next`` key keeps it, and the bookkeeping lives beside it.
    """
    if isinstance(instance, AttribAccessDict):
        try:
            attrs = instance._attrs
        except AttributeError:
            attrs = {}
            _track(instance)
            _object_setattr(instance, "_attrs", attrs)
        attrs[name] = value
    else:
        setattr(instance, name, value)


# Keys a freshly decoded dict may have and still be left to the lazy descriptors.
LAZY_KEYS = frozenset(ENTITY_FIELD_NAMES)


class AttribAccessList(List[_T]):
    """A ``list`` that can carry attributes, used for pages of results.

    It is generic for type checkers only: ``AttribAccessList[Status]`` is a list of statuses.

    A page carries ``_pagination_next`` and ``_pagination_prev`` when the server sent a
    ``Link`` header for it.
    """

    def __reduce__(self):
        return (self.__class__, (list(self),), dict(self.__dict__) or None)

    def to_json(self, pretty=True):
        """This page as JSON text, with its items' classes and its pagination."""
        from ._serialise import to_json
        return to_json(self, pretty)

    @classmethod
    def from_json(cls, json_str):
        """The page :meth:`to_json` wrote."""
        from ._serialise import from_json
        return from_json(json_str)


class _PaginatableList(AttribAccessList[_T]):
    """A page of results in dialect ``"2"`` (Mastodon.py 2.x's class): a list that knows its
    neighbours (``_pagination_next``, ``_pagination_prev``) for ``fetch_next`` and friends.
    Dialect ``"1.8"`` pages are plain :class:`AttribAccessList` instances, as in Mastodon.py 1.8.1.
    """

    @property
    def _mastopy_type(self) -> str:
        return self.__dict__.get("_mastopy_type") or _list_type_name(self)


class _NonPaginatableList(List[_T]):
    """A list result without pages in dialect ``"2"`` (Mastodon.py 2.x's class), also every list
    inside a dialect ``"2"`` entity. Dialect ``"1.8"`` has plain lists there.

    As in Mastodon.py 2.x it is not an :class:`AttribAccessList` and takes no attributes: it has
    the layout of a plain ``list`` (empty ``__slots__``), so that the decoder can give a decoded
    list this class without copying it.
    """

    __slots__ = ()

    @property
    def _mastopy_type(self) -> str:
        return _list_type_name(self)

    def to_json(self, pretty: bool = True) -> str:
        """This list as JSON text, with its items' classes."""
        from ._serialise import to_json
        return to_json(self, pretty)

    @classmethod
    def from_json(cls, json_str: str) -> Any:
        """The list :meth:`to_json` wrote."""
        from ._serialise import from_json
        return from_json(json_str)


def _list_type_name(value: List[Any]) -> str:
    inner = next((type(item).__name__ for item in value if isinstance(item, AttribAccessDict)), None)
    return f"{type(value).__name__}[{inner or 'AttribAccessDict'}]"


# Type checkers see one list class, AttribAccessList, which every list result of both dialects is
# (dialect "2" results are instances of these subclasses); at run time the classes carry
# Mastodon.py 2.x's names.
if TYPE_CHECKING:
    PaginatableList = AttribAccessList
    NonPaginatableList = AttribAccessList
else:
    _PaginatableList.__name__ = _PaginatableList.__qualname__ = "PaginatableList"
    _NonPaginatableList.__name__ = _NonPaginatableList.__qualname__ = "NonPaginatableList"
    PaginatableList = _PaginatableList
    NonPaginatableList = _NonPaginatableList


class PaginationInfo(AttribAccessDict):
    """Where the next or previous page of a paginated result is: the method, endpoint and parameters."""

    __slots__ = ()  # the layout of every AttribAccessDict, so that __class__ can be reassigned


class AsyncRefresh(AttribAccessDict):
    """State of a server-side background refresh (``Mastodon-Async-Refresh`` header)."""

    __slots__ = ()  # the layout of every AttribAccessDict, so that __class__ can be reassigned


class EmptyResponse(AttribAccessDict):
    """The result of a call the server answers without content (an empty body or ``{}``)."""

    __slots__ = ()  # the layout of every AttribAccessDict, so that __class__ can be reassigned


# ---------------------------------------------------------------------------------------------
# Mastodon.py 2.x's names for the same things, and its id type. Defining them changes nothing a
# Mastodon.py 1.8.1 caller sees: results are still AttribAccessDicts with int ids (issue 15).


class Entity(abc.ABC):
    """What every result is to Mastodon.py 2.x: something with :meth:`to_json` and
    :meth:`from_json`. ``isinstance(result, Entity)`` holds for every :class:`AttribAccessDict`
    (entity classes included) and :class:`AttribAccessList`, which are registered with it rather
    than derived from it, so that their classes' bases stay those of Mastodon.py 1.8.1.
    """

    __slots__ = ()

    @abc.abstractmethod
    def to_json(self, pretty: bool = True) -> str:
        """This result as JSON text (Mastodon.py 2.x's envelope)."""

    @classmethod
    def from_json(cls, json_str: str) -> Any:
        """The result :meth:`to_json` wrote, as its own class (an entity, a page...)."""
        from ._serialise import from_json
        return from_json(json_str, None if cls is Entity else cls)


Entity.register(AttribAccessDict)
Entity.register(AttribAccessList)
Entity.register(_NonPaginatableList)

#: A list of entities, paginated or not (Mastodon.py 2.x's name).
EntityList = Union[AttribAccessList[T]]  # the base of both, for type checkers

#: An id as the server sends it (Mastodon: a string; some servers: a number).
PrimitiveIdType = Union[int, str]
#: Anything that names an entity: its id, or the entity itself.
IdType = Union[PrimitiveIdType, AttribAccessDict, Dict[str, Any]]
#: A file to upload: a path, raw bytes or an open file.
PathOrFile = Union[str, PurePath, bytes, IO[bytes]]
# Names Mastodon.py uses in annotations that are not entities of the API.
WebpushCryptoParamsPrivkey = AttribAccessDict
WebpushCryptoParamsPubkey = AttribAccessDict

#: The digits of Pleroma's base62 ids, in value order.
BASE62_ALPHABET = _ids.BASE62_ALPHABET


def base62_to_int(base62: str) -> int:
    """A base62 id (Pleroma's) → its number. Raises ValueError on characters outside the alphabet."""
    return _ids.base62_to_int(base62)


def int_to_base62(num: int) -> str:
    """A non-negative number → base62 text, the form of Pleroma's ids."""
    return _ids.int_to_base62(num)


_pleroma_id_to_int = _ids.base62_to_int
_pleroma_id_to_datetime = _ids.datetime_of_flake_id
_datetime_to_id = _ids.id_from_datetime


def _compare(operator):
    def compare(self, other):
        if not isinstance(other, (str, int)) or isinstance(other, bool):
            return NotImplemented
        return operator(_ids.order_key(self), _ids.order_key(other))
    compare.__name__ = operator.__name__
    return compare


class MaybeSnowflakeIdType(str):
    """Mastodon.py 2.x's id: a ``str`` holding the id as the server sent it.

    It equals and hashes as that string (``id == "117..."``, not ``== 117...``), and orders as
    Mastodon.py 2.3.3 orders ids: numerically for numeric ids (also against ``int`` and numeric
    ``str``), by value for Pleroma's base62 ids (so by their time); comparing an id that is
    neither raises ``TypeError``. ``repr()`` is the bare id. Built from a ``datetime`` it is the
    smallest snowflake id of that second (with ``assume_pleroma``, the smallest base62 flake id
    of that millisecond); :meth:`to_datetime` goes back.

    Dialect ``"1.8"`` results keep Mastodon.py 1.8.1's ``int`` ids; the results of dialect ``"2"``
    will carry this type once its decoding lands (see the dialects page).
    """

    __slots__ = ()
    _mastopy_type = "MaybeSnowflakeIdType"

    def __new__(cls, val: Any = "", assume_pleroma: bool = False) -> "MaybeSnowflakeIdType":
        if isinstance(val, datetime.datetime):
            val = _ids.id_from_datetime(val, assume_pleroma)
        return str.__new__(cls, val)

    def __init__(self, val: Any = "", assume_pleroma: bool = False) -> None:
        """The value was taken by ``__new__`` (a ``str`` cannot change once made)."""

    def __repr__(self) -> str:
        return str.__str__(self)

    def to_datetime(self) -> Optional[datetime.datetime]:
        """The time the id encodes as a naive local datetime (snowflakes and Pleroma's base62
        ids), None when it encodes none."""
        return _ids.datetime_of_id(self)

    __lt__ = _compare(operator.lt)
    __le__ = _compare(operator.le)
    __gt__ = _compare(operator.gt)
    __ge__ = _compare(operator.ge)


# Mastodon.py 2.x's casting helpers; the work is done by the caster of ._casting (imported late:
# it imports this module).

def try_cast(t: Any, value: Any, retry: bool = True, union_specializer: Optional[str] = None) -> Any:
    """``value`` as type ``t`` where it can be made one, else ``value`` unchanged.

    Entity classes (a dict becomes that class, its entity fields theirs), ``MaybeSnowflakeIdType``,
    ``bool`` (``"true"``/``"false"`` in any case), ``datetime`` (ISO 8601 or epoch; unparseable
    gives None), ``int``/``float``/``str``; generic types go to :func:`try_cast_recurse`.
    ``retry`` and ``union_specializer`` are accepted for Mastodon.py 2.x's callers; unions are
    resolved by which class knows most of the object's keys.
    """
    from ._casting import try_cast as cast
    return cast(t, value, retry, union_specializer)


def try_cast_recurse(t: Any, value: Any, union_specializer: Optional[str] = None) -> Any:
    """``value`` as the possibly generic type ``t`` (``Optional[Status]``,
    ``PaginatableList[Status]``, ``Dict[str, Marker]``...), element by element; see :func:`try_cast`."""
    from ._casting import try_cast_recurse as cast
    return cast(t, value, union_specializer)


def stringify_type(tp: Any) -> str:
    """A type as text: ``Status``, ``PaginatableList[Status]``, ``Optional[Poll]``..."""
    from ._casting import stringify_type as stringify
    return stringify(tp)


def get_type_class(typ: Any) -> Any:
    """The class behind a type: itself for a class, the origin of a generic (``list`` for
    ``List[Status]``), ``X``'s for ``Optional[X]``; None for other unions and non-types."""
    from ._casting import get_type_class as type_class
    return type_class(typ)


def real_issubclass(type1: Any, type2orig: Any) -> bool:
    """``issubclass`` that also takes generic types (compared by their classes) and answers
    False instead of raising for things that are not classes."""
    from ._casting import real_issubclass as is_subclass
    return is_subclass(type1, type2orig)
