"""Ownership of C handles (after wasmtime-py's ``_managed.py``).

A :class:`Managed` object owns exactly one pointer returned by libpgtc and
releases it with the matching ``pgtc_*_free`` exactly once: on
:meth:`Managed.close`, at the end of a ``with`` block, or when the object is
garbage-collected (a :func:`weakref.finalize` holds the pointer, never the
object, so collection is not delayed and the pointer cannot be freed twice:
a finalizer runs at most once). Closing twice is harmless.
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


class ResultHandle(Managed[Any]):
    _free_fn = _ffi.lib.pgtc_result_free

    def __init__(self, ptr: Any) -> None:
        self._set_ptr(ptr)


class RouteHandle(Managed[Any]):
    _free_fn = _ffi.lib.pgtc_route_free

    def __init__(self, ptr: Any) -> None:
        self._set_ptr(ptr)
