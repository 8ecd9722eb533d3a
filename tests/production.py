"""Helpers to run the project as production runs it: subprocesses with DEBUG off."""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production process: DEBUG off, a real secret, one host."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "mhsite.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "example.com",
        }
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with the project's own config file, on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 1, warm_paths: tuple[str, ...] = ()):
        self.warm_paths = warm_paths
        self.port = free_port()
        self.env = {
            **env,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESSLOG": "",
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        # A file, not a pipe: nobody reads while tests run, and a full pipe would block.
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "mhsite/gunicorn.conf.py", "mhsite.wsgi"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    pass
            except OSError:
                time.sleep(0.1)
                continue
            # A worker's first request imports the views and templates: not what is timed.
            for path in self.warm_paths:
                self.get(path, timeout=30)
            return self
        self.__exit__()
        raise RuntimeError("gunicorn did not start listening within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        self.__exit__()
        self.log.seek(0)
        return self.log.read()

    def get(self, path: str, host: str = "example.com", timeout: float = 10):
        """(status, headers, body, seconds) for one request; never raises on HTTP errors."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            headers={"Host": host, "X-Forwarded-Proto": "https"},
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        return status, headers, body.decode(), time.monotonic() - started


# A PostgreSQL address nothing listens on: connections are refused at once.
UNREACHABLE_DATABASE = "postgres://postgres@127.0.0.1:1/mhsite"


def collect_static(static_root: Path) -> None:
    result = manage(
        "collectstatic", "--noinput", "-v0", env=production_env(STATIC_ROOT=str(static_root))
    )
    assert result.returncode == 0, result.stderr


def app_without_database(static_root: Path) -> Gunicorn:
    """The production configuration behind a TLS proxy, its database unreachable."""
    env = production_env(
        DATABASE_URL=UNREACHABLE_DATABASE,
        STATIC_ROOT=str(static_root),
        BEHIND_TLS_PROXY="1",
    )
    return Gunicorn(env, workers=1, warm_paths=("/healthz", "/", "/therapists/"))
