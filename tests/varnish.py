"""Varnish (with vmod xkey) on a free loopback port, in front of given app servers."""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.production import BASE_DIR, free_port

VCL = BASE_DIR / "deploy" / "varnish" / "mhsite.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"

BACKENDS = """import directors;
{backends}
sub vcl_init {{
    new app = directors.round_robin();
{adds}
}}

sub mhsite_backend {{
    set req.backend_hint = app.backend();
}}
"""


class Varnish:
    def __init__(self, backend_ports: list[int]):
        self.port = free_port()
        self.backend_ports = backend_ports
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Varnish":
        self.dir = Path(tempfile.mkdtemp(prefix="mhsite-varnish-"))
        backends = "".join(
            f'backend app{n} {{ .host = "127.0.0.1"; .port = "{port}"; }}\n'
            for n, port in enumerate(self.backend_ports)
        )
        adds = "".join(f"    app.add_backend(app{n});\n" for n in range(len(self.backend_ports)))
        (self.dir / "backends.vcl").write_text(BACKENDS.format(backends=backends, adds=adds))
        shutil.copy(VCL, self.dir / "mhsite.vcl")
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            [
                VARNISHD,
                "-F",
                "-j",
                "none",
                "-n",
                str(self.dir / "work"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-T",
                "none",
                "-f",
                str(self.dir / "mhsite.vcl"),
                "-s",
                "malloc,32m",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited early:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("varnishd did not start listening within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()
