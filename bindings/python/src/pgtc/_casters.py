"""Which function turns a column's text into a Python value: a registry by
type OID, for the module and for each connection.

Lookup order for a column of type OID ``oid``: the connection's own
registrations (``conn.register_caster``), then the module's
(``pgtc.register_caster``), then the built-in casters of ``_typecast``.
A registered ``None`` means "no conversion": the value comes back as the
server's text, e.g. raw JSON for json/jsonb::

    conn.register_caster(pgtc.types.JSONB, None)   # jsonb as text
    pgtc.register_caster(pgtc.types.NUMERIC, float)

An array type without a registration of its own converts its elements
with whatever its element type resolves to in the same map, so
``jsonb[]`` follows ``jsonb`` (a list of texts once jsonb is raw);
registering the array OID itself (``None`` included) replaces that.

A caster takes the value's text (never SQL NULL: NULL is always None) and
returns the Python value; an exception it raises reaches the caller as a
``DataError`` naming the type and the value.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Callable, Dict, Optional, Tuple, Union

from . import _typecast

__all__ = ["CasterMap", "Caster", "casters", "register_caster", "unregister_caster", "set_json_loads"]

#: A caster: text → value, or None for the text itself.
Caster = Optional[Callable[[str], Any]]

_UNSET: Any = object()

#: Bumped by every registration change in any map, so that each map's
#: cache of resolved casters (``CasterMap.for_types``) knows it is stale
#: (a connection's map resolves through the module's).
_generation = [0]


def _check_oid(oid: Any) -> int:
    if isinstance(oid, bool) or not isinstance(oid, int) or not 0 < oid < 2**32:
        from .errors import ProgrammingError

        raise ProgrammingError(f"a type OID is an int from 1 to 2**32-1, not {oid!r}")
    return oid


def _check_fn(fn: Any) -> Caster:
    if fn is not None and not callable(fn):
        from .errors import ProgrammingError

        raise ProgrammingError(f"a caster is a function of one str, or None for text, not {fn!r}")
    return fn


class CasterMap:
    """Casters by type OID, falling back on ``parent`` (the module's map
    for a connection's) and then on the built-in ones."""

    def __init__(self, parent: Optional["CasterMap"] = None) -> None:
        self._parent = parent
        self._own: Dict[int, Caster] = {}
        self._lock = threading.Lock()
        # Type OIDs of a result's columns → their casters, valid while
        # _generation[0] == _resolved_at.
        self._resolved: Dict[Tuple[int, ...], Tuple[Caster, ...]] = {}
        self._resolved_at = -1

    def register(self, oid: int, fn: Caster) -> None:
        """Use ``fn`` for type ``oid`` (None: return the text as it is).
        Applies to result sets described after the call."""
        oid, fn = _check_oid(oid), _check_fn(fn)
        with self._lock:
            self._own[oid] = fn
            _generation[0] += 1

    def unregister(self, oid: int) -> None:
        """Forget this map's registration for ``oid`` (the parent's or the
        built-in caster applies again); nothing happens if there is none."""
        with self._lock:
            self._own.pop(_check_oid(oid), None)
            _generation[0] += 1

    def registered(self) -> Dict[int, Caster]:
        """This map's own registrations (a copy)."""
        with self._lock:
            return dict(self._own)

    def _registration(self, oid: int) -> Any:
        own = self._own.get(oid, _UNSET)
        if own is not _UNSET or self._parent is None:
            return own
        return self._parent._registration(oid)

    def get(self, oid: int) -> Caster:
        """The function that converts values of type ``oid`` here (None:
        they stay text)."""
        fn = self._registration(oid)
        if fn is not _UNSET:
            return fn
        elem = _typecast.ARRAYS.get(oid)
        if elem is not None and self._registration(elem) is not _UNSET:
            efn = self.get(elem)
            return _typecast.array_of(efn if efn is not None else _typecast.text)
        return _typecast.caster(oid)

    def for_types(self, oids: Tuple[int, ...]) -> Tuple[Caster, ...]:
        """The casters of columns of types ``oids`` (``get`` of each),
        remembered until a registration changes."""
        gen = _generation[0]
        if self._resolved_at != gen:
            self._resolved = {}
            self._resolved_at = gen
        found = self._resolved.get(oids)
        if found is None:
            found = tuple([self.get(oid) for oid in oids])
            if len(self._resolved) < 1024:
                self._resolved[oids] = found
        return found

    def __getitem__(self, oid: int) -> Caster:
        return self.get(oid)

    def __contains__(self, oid: object) -> bool:
        return isinstance(oid, int) and self._registration(oid) is not _UNSET

    def __repr__(self) -> str:
        return f"<pgtc.CasterMap {sorted(self.registered())}>"


#: The module's casters (``pgtc.casters``); each connection's map falls
#: back on it.
casters = CasterMap()


def register_caster(oid: int, fn: Caster, context: Union[None, CasterMap, Any] = None) -> None:
    """Use ``fn`` (text → value, or None for the text) for type ``oid`` in
    every connection (``context`` None), or in one connection or map."""
    _map(context).register(oid, fn)


def unregister_caster(oid: int, context: Union[None, CasterMap, Any] = None) -> None:
    """Undo ``register_caster(oid, …)`` for the module (or ``context``)."""
    _map(context).unregister(oid)


def set_json_loads(loads: Caster = json.loads, context: Union[None, CasterMap, Any] = None) -> None:
    """Decode json and jsonb with ``loads`` (None: return the JSON text, as
    SQLAlchemy wants it), for the module or for ``context`` (a connection
    or a map); their arrays follow."""
    m = _map(context)
    m.register(114, loads)
    m.register(3802, loads)


def _map(context: Any) -> CasterMap:
    if context is None:
        return casters
    if isinstance(context, CasterMap):
        return context
    found = getattr(context, "casters", None)
    if isinstance(found, CasterMap):
        return found
    from .errors import ProgrammingError

    raise ProgrammingError(f"not a connection or a CasterMap: {context!r}")
