"""Ownership of C handles (after wasmtime-py's ``_managed.py``).

A :class:`Managed` object owns exactly one pointer returned by libpgtc and
releases it with the matching ``pgtc_*_free`` exactly once: on
:meth:`Managed.close`, at the end of a ``with`` block, or when the object is
garbage-collected (a :func:`weakref.finalize` holds the pointer, never the
object, so collection is not delayed and the pointer cannot be freed twice:
a finalizer runs at most once). Closing twice is harmless.
:class:`ResultHandle`, made once per statement, keeps the same contract
more cheaply (see there).
"""

from __future__ import annotations

import weakref
from typing import Any, Callable, ClassVar, Generic, Optional, TypeVar

from . import _ffi

T = TypeVar("T")


class Managed(Generic[T]):
    """Base class owning one C pointer of type ``T``."""

    #: The libpgtc function that releases the pointer (set by subclasses).
    _free_fn: ClassVar[Callable[[Any], None]]

    __ptr: Optional[T] = None
    __finalizer: Optional[weakref.finalize] = None

    def _set_ptr(self, ptr: T, *extra: Any) -> None:
        """Own ``ptr``; the finalizer calls ``_free_fn(ptr, *extra)``
        (``extra`` must not refer to ``self``)."""
        if self.__finalizer is not None:
            raise ValueError("handle already set")
        if not ptr:
            raise ValueError("NULL handle")
        self.__ptr = ptr
        # The finalizer holds the pointer and the free function, not self.
        self.__finalizer = weakref.finalize(self, type(self)._free_fn, ptr, *extra)

    def _ptr(self) -> T:
        """The live pointer; raises if the object was closed."""
        ptr = self.__ptr
        if ptr is None:
            self._closed_error()
        return ptr  # type: ignore[return-value]

    def _closed_error(self) -> None:
        raise ValueError(f"{type(self).__name__} is closed")

    @property
    def _alive(self) -> bool:
        return self.__ptr is not None

    def close(self) -> None:
        """Release the C object now; later calls do nothing."""
        self.__ptr = None
        fin = self.__finalizer
        if fin is not None:
            fin()  # calls _free_fn(ptr) the first time only

    def __enter__(self: "Managed[T]") -> "Managed[T]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ErrorHandle(Managed[Any]):
    _free_fn = _ffi.lib.pgtc_error_free

    def __init__(self, ptr: Any) -> None:
        self._set_ptr(ptr)


class ResultHandle:
    """A ``pgtc_result``: a typed pointer, or the int address the
    statement path gets (``_ffi.addr`` frees either).

    The same contract as a :class:`Managed` (``close()``, ``with``, freed
    exactly once, at the latest when collected), kept without a
    :func:`weakref.finalize`: one result is made per statement, and making
    and running a finalizer costs more than the rest of the binding's work
    on a point select. A result handle refers to no other object, so it is
    never part of a reference cycle and ``__del__`` runs as soon as its last
    reference goes (the cursor's next ``execute``, its ``close``, or its
    collection)."""

    __slots__ = ("_p",)

    _free_fn: ClassVar[Callable[[Any], None]] = _ffi.addr.pgtc_result_free

    def __init__(self, ptr: Any) -> None:
        self._p: Any = None
        self._set_ptr(ptr)

    def _set_ptr(self, ptr: Any) -> None:
        if self._p is not None:
            raise ValueError("handle already set")
        if not ptr:
            raise ValueError("NULL handle")
        self._p = ptr

    def _ptr(self) -> Any:
        """The live pointer; raises if the handle was closed."""
        p = self._p
        if p is None:
            raise ValueError("ResultHandle is closed")
        return p

    @property
    def _alive(self) -> bool:
        return self._p is not None

    def close(self) -> None:
        """Free the result now; later calls do nothing."""
        p = self._p
        if p is not None:
            self._p = None
            type(self)._free_fn(p)

    __del__ = close

    def __enter__(self) -> "ResultHandle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RouteHandle(Managed[Any]):
    _free_fn = _ffi.lib.pgtc_route_free

    def __init__(self, ptr: Any) -> None:
        self._set_ptr(ptr)
