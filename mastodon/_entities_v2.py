"""The entity classes results of dialect "2" get: Mastodon.py 2.x's behaviour on the same data.

Each class of :mod:`mastodon.return_types` has a subclass of the same name here, so that
``isinstance(result, return_types.Status)`` holds in both dialects while a dialect "2" result
behaves as Mastodon.py 2.x's entities do (rows R4 to R8, R11 of DIALECTS.md):

* a declared field that is absent reads as None (the decoder fills them in, so this is only met
  when a caller deleted one); a field Mastodon.py 2.x moved answers from its new path;
  other names raise ``AttributeError("'Status' object has no attribute 'x'")``;
* assigning to an attribute that is a key writes the item; any other name is refused;
* ``repr()`` is OrderedDict-style: ``Status([('id', 117...), ...])``;
* ``_mastopy_type`` names the class.

The classes are made from the generated ones when this module is imported, not generated as
text: they add behaviour, no fields. They keep the layout of :class:`AttribAccessDict` (empty
``__slots__``), so the cast can give a decoded dict one of them, and they live in this module
under their own names so that pickling finds them again.
"""

from typing import Dict, FrozenSet

from . import return_types
from .types_base import AttribAccessDict

_object_setattr = object.__setattr__
_dict_setitem = dict.__setitem__
_dict_get = dict.get
_MISSING = object()


class Behaviour:
    """What every dialect "2" entity class adds to its generated base (a mixin: no layout)."""

    __slots__ = ()

    #: The entity's name, as Mastodon.py 2.x tags its results (set per class).
    _mastopy_type = "AttribAccessDict"
    #: Every name the class declares (fields, Python names of renamed keys), set per class.
    _mastopy_declared: FrozenSet[str] = frozenset()
    #: Declared fields Mastodon.py 2.x answers from another path: name → "a.b" (set per class).
    _mastopy_moved: Dict[str, str] = {}

    def __getattr__(self, name):
        # Only reached when the key is absent and no class attribute has the name.
        cls = type(self)
        path = cls._mastopy_moved.get(name)
        if path is not None:
            value = self
            for part in path.split("."):
                value = _dict_get(value, part) if isinstance(value, dict) else None
            return value
        if name in cls._mastopy_declared:
            return None
        raise AttributeError(f"'{cls.__name__}' object has no attribute '{name}'")

    def __setattr__(self, name, value):
        if name in self:
            _dict_setitem(self, name, value)
        elif name == "__class__":
            _object_setattr(self, name, value)
        else:
            raise AttributeError(f"Attribute not found: {name}")

    def __repr__(self):
        return f"{type(self).__name__}({list(self.items())!r})"

    __str__ = __repr__


def _declared(cls):
    names = set()
    for klass in cls.__mro__:
        names.update(vars(klass).get("__annotations__", {}))
    names.update(key for key, _ in return_types.FIELD_KINDS.get(cls, ()))
    names.update(python for _, python in return_types.RENAMED_KEYS.get(cls, ()))
    names.update(return_types.MOVED_PATHS.get(cls, {}))
    return frozenset(names)


def _make(cls):
    namespace = {
        "__slots__": (),
        "__module__": __name__,
        "__qualname__": cls.__name__,
        "__doc__": cls.__doc__,
        "_mastopy_type": cls.__name__,
        "_mastopy_declared": _declared(cls),
        "_mastopy_moved": dict(return_types.MOVED_PATHS.get(cls, {})),
    }
    return type(cls.__name__, (Behaviour, cls), namespace)


#: Generated entity class → its dialect "2" class.
CLASSES: Dict[type, type] = {}

for _base in return_types.ENTITIES.values():
    if issubclass(_base, AttribAccessDict):
        CLASSES[_base] = globals()[_base.__name__] = _make(_base)
del _base
