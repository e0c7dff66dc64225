"""One database connection per thread: the bookkeeping both stores share.

sqlite3 and psycopg connections are not to be shared between threads, so each thread opens
its own on first use; connections of finished threads are closed when the next one opens,
and `close_all` closes the rest. The stores keep their own connect, error and lock code.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

log = logging.getLogger(__name__)


class Closable(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=Closable)


class ThreadConnections(Generic[C]):
    def __init__(
        self,
        connect: Callable[[], C],
        *,
        closed_error: Callable[[], Exception],
        is_open: Callable[[C], bool] = lambda _conn: True,
        close_errors: tuple[type[BaseException], ...] = (),
        where: str = "",
    ) -> None:
        self._connect = connect
        self._closed_error = closed_error
        self._is_open = is_open  # a lost connection (server restart) is replaced on next use
        self._close_errors = close_errors
        self._where = where
        self._local = threading.local()
        self._conns: dict[int, tuple[weakref.ref[threading.Thread], C]] = {}
        self._lock = threading.Lock()
        self.closed = False

    def get(self) -> C:
        """This thread's connection, opened on first use (and again after it was lost)."""
        conn: C | None = getattr(self._local, "conn", None)
        if conn is not None and self._is_open(conn):
            return conn
        if conn is not None:
            self.drop_current()
        if self.closed:
            raise self._closed_error()
        conn = self._connect()
        self._local.conn = conn
        with self._lock:
            # connections of finished threads would otherwise stay open until close_all()
            for key, (ref, old) in list(self._conns.items()):
                thread = ref()
                if thread is None or not thread.is_alive():
                    old.close()
                    del self._conns[key]
            self._conns[id(conn)] = (weakref.ref(threading.current_thread()), conn)
        return conn

    def drop_current(self) -> None:
        """Close this thread's connection; the next `get` opens a new one."""
        conn: C | None = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        with self._lock:
            self._conns.pop(id(conn), None)
        conn.close()

    def shut(self) -> None:
        """Refuse new connections (`closed_error`) from now on."""
        self.closed = True

    def close_all(self) -> None:
        """Shut, then close every thread's connection."""
        self.shut()
        with self._lock:
            conns = [conn for _, conn in self._conns.values()]
            self._conns.clear()
        for conn in conns:
            try:
                conn.close()
            except self._close_errors:  # pragma: no cover
                log.warning("closing a connection to %s failed", self._where, exc_info=True)
        self._local = threading.local()
