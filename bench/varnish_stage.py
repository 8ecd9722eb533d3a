"""Varnish (vmod xkey, deploy/varnish/mhsite.vcl) in front of one app server, for
bench/articles.py; and the time from a save to the fresh page at the edge."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"

BACKENDS = """backend app1 {{ .host = "127.0.0.1"; .port = "{port}"; }}
sub mhsite_backend {{ set req.backend_hint = app1; }}
"""

# Run by `manage.py shell` with the cached site's environment (purging Varnish):
# save an article and poll the edge until it serves the new title.
LATENCY_SCRIPT = """
import time, urllib.request
from articles.models import Article
url = "{url}"
urllib.request.urlopen(url).read()
article = Article.objects.get(slug="{slug}")
original = article.title
article.title = original + " (edited)"
started = time.perf_counter()
article.save()
while "(edited)" not in urllib.request.urlopen(url).read().decode():
    time.sleep(0.001)
print(f"{{(time.perf_counter() - started) * 1000:.1f}}")
article.title = original
article.save()
"""


def start_varnish(port: int, backend_port: int) -> tuple[subprocess.Popen, Path]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-varnish-"))
    shutil.copy(ROOT / "deploy" / "varnish" / "mhsite.vcl", workdir / "mhsite.vcl")
    (workdir / "backends.vcl").write_text(BACKENDS.format(port=backend_port))
    process = subprocess.Popen(
        [VARNISHD, "-F", "-j", "none", "-n", str(workdir / "work"), "-T", "none"]
        + ["-a", f"127.0.0.1:{port}", "-f", str(workdir / "mhsite.vcl"), "-s", "malloc,64m"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return process, workdir


def stop_varnish(process: subprocess.Popen, workdir: Path) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


def invalidation_latency_ms(python: str, env: dict, url: str, slug: str) -> float:
    """Milliseconds from ``save()`` to the edge serving the new page (median of 5)."""
    times = []
    for _ in range(5):
        output = subprocess.run(
            [python, "manage.py", "shell", "--no-imports", "-c"]
            + [LATENCY_SCRIPT.format(url=url, slug=slug)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        times.append(float(output.strip().splitlines()[-1]))
        time.sleep(0.2)
    return sorted(times)[len(times) // 2]
