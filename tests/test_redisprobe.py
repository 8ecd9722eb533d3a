"""The fast hit's Redis question (mhsite/redisprobe.py) against a small fake Redis:
exact answers only, a connection per question that went wrong, reconnection,
and the handshake (AUTH, SELECT)."""

import socket
import threading
import time

import pytest

from mhsite import redisprobe
from mhsite.cache import ResilientRedisCache
from tests.fault_servers import closed_port


class FakeRedis:
    """Speaks enough RESP for AUTH, SELECT and MGET; records the commands it got."""

    def __init__(self):
        self.values: dict[bytes, bytes] = {}
        self.commands: list[list[bytes]] = []
        self.connections: list[socket.socket] = []
        self.hang = False  # read commands, answer nothing
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        reader = conn.makefile("rb")
        try:
            while line := reader.readline():
                count = int(line[1:])
                parts = []
                for _ in range(count):
                    length = int(reader.readline()[1:])
                    parts.append(reader.read(length + 2)[:-2])
                self.commands.append(parts)
                if not self.hang:
                    conn.sendall(self._reply(parts))
        except (OSError, ValueError):
            return

    def _reply(self, parts):
        if parts[0] in (b"AUTH", b"SELECT"):
            return b"+OK\r\n"
        if parts[0] == b"MGET":
            out = [b"*%d\r\n" % (len(parts) - 1)]
            for key in parts[1:]:
                value = self.values.get(key)
                out.append(b"$-1\r\n" if value is None else b"$%d\r\n%s\r\n" % (len(value), value))
            return b"".join(out)
        return b"-ERR unknown command\r\n"

    def drop_connections(self):
        for conn in self.connections:
            conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self.connections.clear()

    def close(self):
        self.sock.close()
        self.drop_connections()


@pytest.fixture
def fake():
    server = FakeRedis()
    yield server
    redisprobe.close_all()
    server.close()


def question(keys, values):
    return redisprobe.pack("MGET", *keys), redisprobe.mget_reply(values)


def test_true_only_while_every_key_holds_its_value(fake):
    fake.values = {b"a": b"1", b"b": b"-22"}
    server = redisprobe.Server(f"redis://127.0.0.1:{fake.port}/0", {})
    command, reply = question(["a", "b"], [b"1", b"-22"])
    assert redisprobe.ask(server, command, reply)
    assert redisprobe.ask(server, command, reply)
    assert len(fake.connections) == 1  # one connection, kept
    fake.values[b"b"] = b"-23"
    assert not redisprobe.ask(server, command, reply)
    del fake.values[b"a"]  # evicted: a shorter reply
    assert not redisprobe.ask(server, command, reply)
    fake.values = {b"a": b"1", b"b": b"-22"}
    assert redisprobe.ask(server, command, reply)
    # Each wrong answer closed its connection, so no unread rest is ever taken for an answer.
    assert len(fake.connections) == 3


def test_an_error_reply_is_not_an_answer(fake):
    server = redisprobe.Server(f"redis://127.0.0.1:{fake.port}/0", {})
    assert not redisprobe.ask(server, redisprobe.pack("NOPE"), b"+OK\r\n")


def test_handshake_authenticates_and_selects_the_database(fake):
    fake.values = {b"k": b"5"}
    server = redisprobe.Server(f"redis://user:secret@127.0.0.1:{fake.port}/3", {})
    assert redisprobe.ask(server, *question(["k"], [b"5"]))
    assert fake.commands[:2] == [[b"AUTH", b"user", b"secret"], [b"SELECT", b"3"]]


def test_a_dropped_connection_is_replaced_once(fake):
    fake.values = {b"k": b"5"}
    server = redisprobe.Server(f"redis://127.0.0.1:{fake.port}", {})
    command, reply = question(["k"], [b"5"])
    assert redisprobe.ask(server, command, reply)
    fake.drop_connections()  # Redis restarted, or closed an idle client
    answers = [redisprobe.ask(server, command, reply) for _ in range(2)]
    assert answers[-1] is True


def test_a_hanging_redis_costs_one_timeout(fake):
    fake.values = {b"k": b"5"}
    server = redisprobe.Server(f"redis://127.0.0.1:{fake.port}", {"socket_timeout": 0.5})
    command, reply = question(["k"], [b"5"])
    assert redisprobe.ask(server, command, reply)
    fake.hang = True
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        redisprobe.ask(server, command, reply)
    assert time.monotonic() - started < 0.95  # not a second connection and wait
    assert len(fake.connections) == 1


def test_unreachable_redis_raises():
    server = redisprobe.Server(
        f"redis://127.0.0.1:{closed_port()}", {"socket_connect_timeout": 0.1}
    )
    with pytest.raises(OSError):
        redisprobe.ask(server, *question(["k"], [b"5"]))


@pytest.mark.parametrize(
    ("location", "options", "handled"),
    [
        ("redis://127.0.0.1:6379/2", {"socket_timeout": 0.1}, True),
        ("unix:///run/redis.sock?db=1", {}, True),
        ("redis://127.0.0.1:6379/0?health_check_interval=5", {}, False),  # not honoured here
        ("rediss://cache.example:6380/0", {}, False),
        ("redis://a:6379,redis://b:6379", {}, False),
        ("redis://127.0.0.1:6379/2", {"ssl_cert_reqs": "none"}, False),
    ],
)
def test_locations_it_cannot_honour_are_left_to_redis_py(location, options, handled):
    backend = ResilientRedisCache(location, {"OPTIONS": options})
    assert (redisprobe.Server.for_backend(backend) is not None) is handled
