"""Result containers: dicts and lists whose entries read as attributes.

Attribute reads must cost about as much as dict indexing, because bots read
``status.account.acct`` millions of times. The first time a key of an
:class:`AttribAccessDict` is read as an attribute, the dict becomes its own instance
``__dict__``; from then on the interpreter finds ``d.key`` with the plain C-level attribute
lookup. Dicts that are never read that way stay plain (no self-reference, so they are freed
by reference counting as soon as they are dropped, with no work for the cycle collector), and
building one is a single C-level call.
Extra attributes that are not keys (pagination info, for instance) live in a separate slot so
that they never leak into the dict's items or its JSON.
"""

_object_setattr = object.__setattr__


class _DictMethod:
    """Makes a dict method win over a key of the same name (``alerts.update`` stays the method),
    as it does on a plain ``dict`` subclass with ``__getattr__``."""

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


class AttribAccessDict(dict):
    """A ``dict`` whose keys can also be read as attributes: ``status.account.acct``.

    It is a real dict: equality, ``json.dumps``, copying and pickling behave as a dict's.
    Reading a missing key as an attribute raises ``AttributeError``; assigning to an
    attribute that is also a key raises ``AttributeError`` (use item assignment for that).
    Other attributes can be set freely and are not part of the dict's items.
    """

    __slots__ = ("__dict__", "_attrs")

    def __getattr__(self, attr):
        # Only reached when the normal lookup failed: the first attribute read of a key, or an
        # extra attribute, or a missing one.
        if dict.__contains__(self, attr):
            _object_setattr(self, "__dict__", self)
            return dict.__getitem__(self, attr)
        if attr != "_attrs":
            try:
                return self._attrs[attr]
            except (AttributeError, KeyError):
                pass
        raise AttributeError(f"Attribute not found: {attr}")

    def __setattr__(self, attr, value):
        if attr in self:
            raise AttributeError(f"Attribute-style access is read-only: {attr}")
        if attr == "__dict__" or hasattr(type(self), attr):
            raise AttributeError(f"Cannot replace the dict attribute {attr!r}")
        try:
            attrs = self._attrs
        except AttributeError:
            attrs = {}
            _object_setattr(self, "_attrs", attrs)
        attrs[attr] = value

    def __delattr__(self, attr):
        try:
            del self._attrs[attr]
        except (AttributeError, KeyError):
            raise AttributeError(f"Attribute not found: {attr}") from None

    def __dir__(self):
        return sorted(set(dir(type(self))) | {k for k in self if isinstance(k, str)})

    def __reduce__(self):
        state = getattr(self, "_attrs", None)
        return (self.__class__, (dict(self),), state)

    def __setstate__(self, state):
        if state:
            _object_setattr(self, "_attrs", dict(state))


for _name in ("keys", "values", "items", "get", "pop", "popitem", "update", "copy", "clear", "setdefault"):
    setattr(AttribAccessDict, _name, _DictMethod(_name))
del _name


class AttribAccessList(list):
    """A ``list`` that can carry attributes, used for pages of results.

    A page carries ``_pagination_next`` and ``_pagination_prev`` when the server sent a
    ``Link`` header for it.
    """

    def __reduce__(self):
        return (self.__class__, (list(self),), dict(self.__dict__) or None)


# The names Mastodon.py 2.x uses for the same containers.
PaginatableList = AttribAccessList
NonPaginatableList = AttribAccessList


class PaginationInfo(AttribAccessDict):
    """Where the next or previous page of a paginated result is: the method, endpoint and parameters."""


class AsyncRefresh(AttribAccessDict):
    """State of a server-side background refresh (``Mastodon-Async-Refresh`` header)."""
