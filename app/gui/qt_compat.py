"""Work around a PySide6 6.12.0 refcount bug that aborts Python 3.11 apps after a while.

PySide6 6.12.0 returns `None` (every void method: setText, setToolTip, setEnabled…, and
null results such as `model()`), and the bools of `Signal.emit()`/`disconnect()`, without
taking a reference. Each call removes one reference from those singletons; on Python 3.11
they are ordinary objects, so after enough calls the interpreter aborts with
"none_dealloc: deallocating None" or "bool_dealloc: deallocating True or False" - for a
tray app that updates its tooltip every second, within hours. PySide6 6.11.3 is not
affected, and Python 3.12+ made these singletons immortal, which hides the bug.

The fix mirrors 3.12: when a probe shows the leak, give the affected singletons a reference
count so high it cannot reach zero in a process's lifetime. Applied once, at start-up.
"""

from __future__ import annotations

import ctypes
import platform
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

_HEADROOM = 1 << 40 if sys.maxsize > 2**32 else 1 << 28
_PROBES = 5


class _Probe(QObject):
    ping = Signal()


def _returns_unowned(singleton: object, call: Callable[[], object]) -> bool:
    """Does `call()` hand out `singleton` without a reference of its own? (majority of probes)"""
    leaky = 0
    for _ in range(_PROBES):
        before = sys.getrefcount(singleton)
        result = call()  # held in `result`: a correct binding adds one reference
        if result is singleton and sys.getrefcount(singleton) == before:
            leaky += 1
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))  # make `result` a real reference
        del result
    return leaky > _PROBES // 2


def leaky_singletons() -> list[object]:
    """The singletons this PySide6 drops references from (empty when it is sound)."""
    if platform.python_implementation() != "CPython" or sys.version_info >= (3, 12):
        return []
    probe = _Probe()
    leaky: list[object] = []
    if _returns_unowned(None, lambda: probe.setObjectName("probe")):
        leaky.append(None)
    if _returns_unowned(True, probe.ping.emit):
        leaky += [True, False]
    return leaky


def _add_references(obj: object, count: int) -> None:
    refcnt = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is a CPython object's first field
    refcnt.value += count


def guard_singleton_refcounts() -> bool:
    """Apply the fix if this PySide6 needs it (once per process); True when guarded."""
    if sys.getrefcount(None) > _HEADROOM // 2 or sys.getrefcount(True) > _HEADROOM // 2:
        return True  # already applied
    leaky = leaky_singletons()
    for singleton in leaky:
        _add_references(singleton, _HEADROOM)
    return bool(leaky)
