"""Notices and notifications on a Connection, in psycopg2's style.

- ``conn.notices``: the last 50 notices and warnings of either server, as
  psycopg2 keeps them ("NOTICE:  message\\n"); ``conn.add_notice_handler(f)``
  calls ``f(diag)`` for each (a :class:`~pgtc._diag.Diagnostics` whose
  ``server`` says which server sent it).
- ``conn.notifies``: :class:`Notify` objects for the channels the session
  listens on, appended after every statement (those that arrived with its
  answer) and by ``conn.poll_notifies(timeout)``; ``conn.wait_notify(timeout)``
  returns the next one.
"""

from __future__ import annotations

import math
import weakref
from ctypes import byref
from typing import Any, Callable, List, NamedTuple, Optional

from . import _ffi
from ._diag import Diagnostics
from .errors import InterfaceError

__all__ = ["Notify", "NotifyMixin", "MAX_NOTICES"]

lib = _ffi.lib

#: How many notices ``Connection.notices`` keeps (the newest), as psycopg2.
MAX_NOTICES = 50

_SERVERS = {_ffi.SERVER_PRIMARY: "primary", _ffi.SERVER_SECONDARY: "standby"}


class Notify(NamedTuple):
    """A notification: the notifying session's backend ``pid``, the
    ``channel`` and the ``payload`` ("" when NOTIFY gave none). Compares
    equal to its tuple ``(pid, channel, payload)``."""

    pid: int
    channel: str
    payload: str


def _notice_callback(conn_ref: "weakref.ref[NotifyMixin]") -> Any:
    """The C notice handler of one connection; holds it weakly."""

    def callback(_user_data: Any, notice: Any, server: int) -> None:
        conn = conn_ref()
        if conn is None:
            return
        try:
            diag = Diagnostics.from_error(notice, _SERVERS.get(server))
            text = (lib.pgtc_error_message(notice) or b"").decode("utf-8", "replace")
            conn._notice(diag, text)
        except BaseException as e:  # never let an exception unwind into C
            conn._notice_failure = e

    return _ffi.NoticeHandler(callback)


class NotifyMixin:
    """The notice and notification part of ``Connection``."""

    # Provided by Connection: its lock and `_ptr()` (Managed).
    _lock: Any
    _ptr: Callable[[], Any]
    notices: List[str]
    notifies: List[Notify]
    # Set while a notice handler runs / what one raised (see _after_call).
    _in_notice = False
    _notice_failure: Optional[BaseException] = None

    def _init_notify(self) -> None:
        """Route the servers' notices to this connection (after open)."""
        self.notices = []
        self.notifies = []
        self._notice_handlers: List[Callable[[Diagnostics], Any]] = []
        self._in_notice = False
        self._notice_failure = None
        self._notice_cb = _notice_callback(weakref.ref(self))
        err = _ffi.ErrorP()
        status = lib.pgtc_conn_set_notice_handler(self._ptr(), self._notice_cb, None, byref(err))
        if status != _ffi.OK:
            from ._core import _raise

            _raise(status, err)

    def _notice(self, diag: Diagnostics, text: str) -> None:
        severity = diag.severity or diag.severity_nonlocalized or "NOTICE"
        self.notices.append(f"{severity}:  {text}\n")
        del self.notices[:-MAX_NOTICES]
        self._in_notice = True
        try:
            for handler in list(self._notice_handlers):
                handler(diag)
        finally:
            self._in_notice = False

    def _check_reentry(self) -> None:
        if getattr(self, "_in_notice", False):
            raise InterfaceError("a notice handler cannot use its connection")

    def _after_call(self) -> None:
        """Re-raise what a notice handler raised; take the notifications
        that came with the answer (no I/O)."""
        failure, self._notice_failure = getattr(self, "_notice_failure", None), None
        p = self._ptr()
        for _ in range(int(lib.pgtc_conn_notifications_queued(p))):
            n = self._take_notification(0)
            if n is None:
                break
            self.notifies.append(n)
        if failure is not None:
            raise failure

    def add_notice_handler(self, handler: Callable[[Diagnostics], Any]) -> None:
        """Call ``handler(diag)`` for every notice or warning either server
        sends (``diag.server`` says which), on the thread running the
        statement. The handler must not use this connection."""
        self._notice_handlers.append(handler)

    def remove_notice_handler(self, handler: Callable[[Diagnostics], Any]) -> None:
        """Stop calling ``handler``; ValueError if it was not added."""
        self._notice_handlers.remove(handler)

    def _take_notification(self, timeout_ms: int) -> Optional[Notify]:
        note = _ffi.NotificationP()
        err = _ffi.ErrorP()
        status = lib.pgtc_conn_notification(self._ptr(), timeout_ms, byref(note), byref(err))
        if status != _ffi.OK:
            from ._core import _raise

            _raise(status, err)
        if not note:
            return None
        try:
            return Notify(
                int(lib.pgtc_notification_pid(note)),
                (lib.pgtc_notification_channel(note) or b"").decode("utf-8", "replace"),
                (lib.pgtc_notification_payload(note) or b"").decode("utf-8", "replace"),
            )
        finally:
            lib.pgtc_notification_free(note)

    @staticmethod
    def _timeout_ms(timeout: Optional[float]) -> int:
        if timeout is None:
            return -1
        if timeout < 0:
            raise ValueError("timeout must be None (no limit) or at least 0")
        return min(2**31 - 1, math.ceil(timeout * 1000))

    def poll_notifies(self, timeout: Optional[float] = 0.0) -> int:
        """Wait up to ``timeout`` seconds (0: only look, None: without
        limit) for a notification, then append every one available to
        ``notifies``; returns how many were appended."""
        ms = self._timeout_ms(timeout)
        with self._lock:
            self._check_reentry()
            added = 0
            n = self._take_notification(ms)
            while n is not None:
                self.notifies.append(n)
                added += 1
                n = self._take_notification(0)
            self._after_call()
            return added

    def wait_notify(self, timeout: Optional[float] = None) -> Optional[Notify]:
        """The next notification: the oldest in ``notifies`` (removed from
        it), else one that arrives within ``timeout`` seconds (None: without
        limit; 0: only look); None when none came in time."""
        ms = self._timeout_ms(timeout)
        with self._lock:
            self._check_reentry()
            if self.notifies:
                return self.notifies.pop(0)
            n = self._take_notification(ms)
            self._after_call()
            if n is None and self.notifies:
                return self.notifies.pop(0)
            return n
