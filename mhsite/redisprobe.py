"""The fast hit's Redis question: one prepared command, its reply compared byte for byte.

A fast hit (``mhsite.fasthit``) asks Redis one question, always the same for
a page: do its tags still hold the versions the page was stored with? Through
redis-py that costs about fifteen times the CPU of the round trip itself on
these machines (it packs the arguments, checks the connection with an extra
system call and parses the reply element by element; ``bench/fast_hit.py``
prints both). So the question, an ``MGET`` of the page's tag keys, is packed
once when the page is remembered, together with the reply that means
"unchanged", and asked on a connection of this module's own: one send,
usually one receive, one comparison of bytes. Any other reply (a tag bumped
or evicted, an error) means "not current"; the connection is then closed, so
the unread rest of such a reply can never be taken for the next answer.

Only plain ``redis://`` and ``unix://`` locations with a single server are
handled here; for others (TLS, replicas) ``Server.for_backend`` says None and
the caller asks through redis-py.
"""

import os
import socket
import threading

from redis.connection import UnixDomainSocketConnection, parse_url

# Django RedisCache OPTIONS this module knows how to honour.
SUPPORTED_OPTIONS = {"socket_timeout", "socket_connect_timeout"}
SUPPORTED_URL_PARTS = {"host", "port", "db", "username", "password", "path", "connection_class"}
OK = b"+OK\r\n"
MAX_READ = 65536


def pack(*parts: bytes | str) -> bytes:
    """A command in the Redis protocol (an array of bulk strings)."""
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def mget_reply(values: list[bytes]) -> bytes:
    """What Redis answers to an ``MGET`` when every key holds these values."""
    return b"".join([b"*%d\r\n" % len(values), *(b"$%d\r\n%s\r\n" % (len(v), v) for v in values)])


class Server:
    """Where and how to connect, from a Django Redis cache's LOCATION and OPTIONS."""

    def __init__(self, url: str, options: dict):
        parts = parse_url(url)
        self.path = parts.get("path") if parts.get("connection_class") else None
        self.address = (parts.get("host", "localhost"), parts.get("port", 6379))
        self.connect_timeout = options.get("socket_connect_timeout")
        self.timeout = options.get("socket_timeout")
        handshake = []
        if parts.get("password"):
            credentials = [parts["username"]] if parts.get("username") else []
            handshake.append(pack("AUTH", *credentials, parts["password"]))
        if parts.get("db"):
            handshake.append(pack("SELECT", str(parts["db"])))
        self.handshake = b"".join(handshake)
        self.handshake_reply = OK * len(handshake)

    @classmethod
    def for_backend(cls, backend) -> "Server | None":
        servers, options = backend.locations, backend.connection_options
        if not servers or len(servers) != 1 or set(options) - SUPPORTED_OPTIONS:
            return None
        try:
            parts = parse_url(servers[0])
        except ValueError:
            return None
        connection_class = parts.get("connection_class")
        if set(parts) - SUPPORTED_URL_PARTS or connection_class not in (
            None,
            UnixDomainSocketConnection,
        ):
            return None
        return cls(servers[0], options)

    def connect(self) -> socket.socket:
        if self.path:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(self.connect_timeout)
            conn.connect(self.path)
        else:
            conn = socket.create_connection(self.address, timeout=self.connect_timeout)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.settimeout(self.timeout)
        if self.handshake:
            conn.sendall(self.handshake)
            if not _read_exactly(conn, self.handshake_reply):
                conn.close()
                raise ConnectionError("Redis refused the connection's AUTH or SELECT")
        return conn


def _read_exactly(conn: socket.socket, expected: bytes) -> bool:
    """Read the reply; True if it is ``expected``, False as soon as it cannot be."""
    reply = conn.recv(MAX_READ)
    while reply != expected:
        if not reply or not expected.startswith(reply):
            return False
        more = conn.recv(MAX_READ)
        if not more:
            return False
        reply += more
    return True


class _Connections(threading.local):
    def __init__(self):
        self.pid = os.getpid()
        self.by_server: dict[Server, socket.socket] = {}


_connections = _Connections()


def _connection(server: Server) -> tuple[socket.socket, bool]:
    if _connections.pid != os.getpid():  # forked: the parent's sockets are not ours
        _connections.by_server = {}
        _connections.pid = os.getpid()
    conn = _connections.by_server.get(server)
    if conn is not None:
        return conn, True
    conn = _connections.by_server[server] = server.connect()
    return conn, False


def close(server: Server) -> None:
    conn = _connections.by_server.pop(server, None)
    if conn is not None:
        conn.close()


def close_all() -> None:
    """Close this thread's connections (the cache settings changed)."""
    for server in list(_connections.by_server):
        close(server)


def ask(server: Server, command: bytes, expected: bytes) -> bool:
    """Whether Redis answers ``command`` with exactly ``expected``.

    Raises OSError when Redis cannot be reached or does not answer in time. A
    connection kept from an earlier request that fails otherwise (Redis
    restarted, an idle timeout) is replaced once before that counts.
    """
    for attempt in range(2):
        conn, reused = _connection(server)
        try:
            conn.sendall(command)
            answered = _read_exactly(conn, expected)
        except OSError as exc:
            close(server)
            # A timeout is Redis hanging, not an old connection: no second wait.
            if reused and attempt == 0 and not isinstance(exc, TimeoutError):
                continue
            raise
        if not answered:
            close(server)
        return answered
    return False
