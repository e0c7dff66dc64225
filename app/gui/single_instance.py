"""One running app per user and configuration: a second start wakes the first and exits.

QLocalServer/QLocalSocket (Vorta's pattern): the first instance listens on a name derived
from the user and the config folder (a named pipe on Windows, a socket file elsewhere); a
later one connects, says "show", and quits. Different KASPI_AMO_HOME folders (tests,
several shops) are different instances.

The same channel is how the app is asked to quit politely (`kaspi-amo quit`, which the
Windows installer runs before an upgrade or uninstall): the client says "quit", the running
app answers "quitting <pid>" and quits the way its tray menu does (the current batch of
orders finishes, the store closes); the client then waits for that process to end. An older
app that does not know "quit" closes the connection without an answer: `REFUSED`.
"""

from __future__ import annotations

import enum
import getpass
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app import APP_NAME
from app.procs import pid_alive

SHOW = "show"
QUIT = "quit"
QUITTING = "quitting"
CONNECT_MS = 500
ANSWER_MS = 5000  # a busy GUI thread (a big table redraw) still answers well within this
PID_POLL_SECONDS = 0.1


def instance_key(config_dir: Path) -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no user name in some sandboxes
        user = "user"
    digest = hashlib.sha256(f"{user}\0{config_dir.resolve()}".encode()).hexdigest()[:16]
    return f"{APP_NAME}-{digest}"


class QuitOutcome(enum.Enum):
    NOT_RUNNING = "not_running"  # nobody listens on the key
    ASKED = "asked"  # the app said it is quitting; not waited for (timeout 0)
    EXITED = "exited"  # the app's process has ended
    TIMED_OUT = "timed_out"  # still running when the timeout ran out
    REFUSED = "refused"  # something answered but not "quitting" (an app too old to know "quit")


@dataclass(frozen=True)
class QuitAnswer:
    outcome: QuitOutcome
    pid: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome in (QuitOutcome.NOT_RUNNING, QuitOutcome.ASKED, QuitOutcome.EXITED)


def ask_to_quit(key: str, timeout: float) -> QuitAnswer:
    """Ask the app listening on `key` to quit; with timeout > 0 return only once its process
    has ended (or the timeout ran out). Blocking: for the CLI, never the GUI thread."""
    started = time.monotonic()
    socket = QLocalSocket()
    socket.connectToServer(key)
    if not socket.waitForConnected(CONNECT_MS):
        return QuitAnswer(QuitOutcome.NOT_RUNNING)
    try:
        socket.write(QUIT.encode() + b"\n")
        socket.flush()
        socket.waitForBytesWritten(CONNECT_MS)
        line = _read_line(socket, ANSWER_MS)
    finally:
        socket.abort()
    word, _, rest = line.partition(" ")
    if word != QUITTING or not rest.strip().isdigit():
        return QuitAnswer(QuitOutcome.REFUSED, seconds=time.monotonic() - started)
    pid = int(rest.strip())
    if timeout <= 0:
        return QuitAnswer(QuitOutcome.ASKED, pid, time.monotonic() - started)
    deadline = started + timeout
    while pid_alive(pid):
        if time.monotonic() >= deadline:
            return QuitAnswer(QuitOutcome.TIMED_OUT, pid, time.monotonic() - started)
        time.sleep(PID_POLL_SECONDS)
    return QuitAnswer(QuitOutcome.EXITED, pid, time.monotonic() - started)


def _read_line(socket: QLocalSocket, timeout_ms: int) -> str:
    deadline = time.monotonic() + timeout_ms / 1000
    while not socket.canReadLine():
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0 or not socket.waitForReadyRead(left):
            break  # closed without an answer, or silent: the caller sees an empty line
    if not socket.canReadLine():
        return ""
    return bytes(socket.readLine().data()).decode("utf-8", "replace").strip()


class SingleInstance(QObject):
    message_received = Signal(str)

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []
        self._answered: list[QLocalSocket] = []  # "quit" askers: their connection stays until we end

    @property
    def is_primary(self) -> bool:
        return self._server is not None

    def send(self, message: str = SHOW) -> bool:
        """Tell a running instance something; False when none answers."""
        socket = QLocalSocket()
        socket.connectToServer(self.key)
        if not socket.waitForConnected(CONNECT_MS):
            return False
        socket.write(message.encode("utf-8") + b"\n")
        socket.flush()
        socket.waitForBytesWritten(CONNECT_MS)
        socket.disconnectFromServer()
        return True

    def claim(self) -> bool:
        """Become the running instance, or wake the running one and return False."""
        if self.send(SHOW):
            return False
        QLocalServer.removeServer(self.key)  # a crashed instance's stale socket file
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.key):
            # lost a start-up race to another instance (it answers: step aside), or cannot
            # listen on an odd platform (nobody answers): run anyway rather than refuse to start
            return not self.send(SHOW)
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def release(self) -> None:
        for socket in (*self._clients, *self._answered):
            self._drop(socket)
        self._clients.clear()
        self._answered.clear()
        if self._server is not None:
            self._server.close()
            self._server = None

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._clients.append(socket)
            socket.readyRead.connect(self._ready_read)  # no lambda: a closure over the socket crashes PySide
            if socket.bytesAvailable():
                self._read(socket)

    def _ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return  # the rest of the line is still on its way
        line = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()
        if socket in self._clients:
            self._clients.remove(socket)
        if line == QUIT:
            # answer before acting, so the asker knows whose end to wait for; the socket is
            # only silenced (one message per connection) and closed when this instance ends
            socket.blockSignals(True)
            socket.write(f"{QUITTING} {os.getpid()}\n".encode())
            socket.flush()
            self._answered.append(socket)
        else:
            self._drop(socket)  # one message per connection
        if line:
            self.message_received.emit(line)

    @staticmethod
    def _drop(socket: QLocalSocket) -> None:
        """Silence and discard a client socket (signals from a dying socket must not reach Python)."""
        socket.blockSignals(True)
        socket.abort()
        socket.deleteLater()
