"""Types of the optional C extension built from ``_speedups.c``: the JSON object hook and the
entity cast, with the Python versions in ``_decoding``, ``types_base`` and ``_casting``."""

from datetime import datetime
from typing import Any, Callable, Dict, Optional, Tuple, Type, TypeVar

from .types_base import AttribAccessDict

_Obj = TypeVar("_Obj")

# The decoder: the hook json.loads calls for every object.

def configure(wrap_type: Type[AttribAccessDict], key_kinds: Dict[str, int],
              parse_date: Callable[[str], Optional[datetime]],
              python_hook: Callable[[Dict[Any, Any]], Any], /) -> None: ...

def object_hook(obj: Dict[Any, Any], /) -> Any: ...

# AttribAccessDict's own-__dict__ switch and cycle-collector tracking.

def materialize(instance: AttribAccessDict, /) -> None: ...

def track(instance: object, /) -> None: ...

# The cast along the entity table (return_types.ENTITY_FIELDS: class → (key, kind, target) fields).

def configure_cast(plain_type: Type[AttribAccessDict],
                   entity_fields: Dict[type, Tuple[Tuple[str, int, Any], ...]],
                   choose: Callable[[AttribAccessDict, Tuple[type, ...]], Optional[type]], /) -> None: ...

def cast_entity(obj: _Obj, cls: type, /) -> _Obj: ...
