"""One running app per user and configuration: a second start wakes the first and exits.

QLocalServer/QLocalSocket (Vorta's pattern): the first instance listens on a name derived
from the user and the config folder; a later one connects, says "show", and quits.
Different KASPI_AMO_HOME folders (tests, several shops) are different instances.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app import APP_NAME

SHOW = "show"
CONNECT_MS = 500


def instance_key(config_dir: Path) -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in some sandboxes
        user = "user"
    digest = hashlib.sha256(f"{user}\0{config_dir.resolve()}".encode("utf-8")).hexdigest()[:16]
    return f"{APP_NAME}-{digest}"


class SingleInstance(QObject):
    message_received = Signal(str)

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []

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
            if self.send(SHOW):  # lost a start-up race to another instance
                return False
            return True  # cannot listen (odd platform): run anyway rather than refuse to start
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def release(self) -> None:
        for socket in self._clients:
            self._drop(socket)
        self._clients.clear()
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
        self._drop(socket)  # one message per connection
        if line:
            self.message_received.emit(line)

    @staticmethod
    def _drop(socket: QLocalSocket) -> None:
        """Silence and discard a client socket (signals from a dying socket must not reach Python)."""
        socket.blockSignals(True)
        socket.abort()
        socket.deleteLater()
