"""A loopback TCP proxy in front of Redis that can refuse or hang on command.

The app is pointed at the proxy, never at a broken shared Redis: the real
server keeps running for everyone else while the app sees it fail.

Modes:
    forward  connections pass through to the real Redis;
    refused  nothing listens on the port and open connections are reset;
    hanging  connections are accepted and commands read, but nothing is ever
             answered (a frozen Redis, a full network buffer, a dead host
             behind a NAT that still completes the handshake).
"""

import contextlib
import socket
import struct
import threading

# SO_LINGER on, zero seconds: close() resets the connection instead of a clean FIN.
RESET_ON_CLOSE = struct.pack("ii", 1, 0)


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.mode = "forward"
        self.port = 0
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(256)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                self._connections.append(client)
            if self.mode == "hanging":
                continue  # held open, never answered
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._connections.append(upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                for sock in (source, target):
                    with contextlib.suppress(OSError):
                        sock.close()
                return
            if self.mode == "forward":
                try:
                    target.sendall(data)
                except OSError:
                    return
            # Hanging: the bytes are read and dropped, so the client waits for a reply.

    def _drop_connections(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for sock in connections:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_ON_CLOSE)
                sock.close()
            except OSError:
                pass

    def set_mode(self, mode: str) -> None:
        if mode == "refused":
            self.mode = mode
            if self._listener is not None:
                self._listener.close()
                self._listener = None
            self._drop_connections()
            return
        if self._listener is None:
            self._listen()
        if mode == "forward" and self.mode == "hanging":
            self._drop_connections()  # frozen connections never recover
        self.mode = mode

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
        self._drop_connections()
