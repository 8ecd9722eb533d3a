"""The Redis scenarios of bench/faults.py: answering, refused, hanging, answering again.

Run through ``bench/faults.py --scenario redis``; see its docstring.
"""

import itertools
import json
import os
import threading
import time
from urllib.parse import urlsplit

import load
from faultproxy import FaultProxy
from stats import percentile

PHASES = ["forward", "refused", "hanging", "forward"]
PHASE_LABELS = ["Redis answering", "Redis refused", "Redis hanging", "Redis back"]

EDITOR_QUERY = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from articles.models import Article
User = get_user_model()
user, _ = User.objects.get_or_create(
    username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
article = Article.objects.order_by("pk").first()
print(json.dumps({"session": session.session_key, "article": article.pk}))
"""


def editor_session(env: dict[str, str]) -> dict:
    return json.loads(load.manage(env, "shell", "-c", EDITOR_QUERY).strip().splitlines()[-1])


def request_mix(urls: dict[str, list[str]], article_pk: int):
    """Public pages (every fourth a fresh finder search) and signed-in admin pages."""
    admin = [
        "/admin/articles/article/",
        f"/admin/articles/article/{article_pk}/change/",
        "/admin/therapists/therapist/",
    ]
    public = itertools.cycle(load.mixed_paths(urls))
    admin_cycle = itertools.cycle(admin)
    counter = itertools.count()
    lock = threading.Lock()

    class Paths:
        def __next__(self):
            with lock:
                n = next(counter)
                if n % 5 == 4:
                    return "admin", next(admin_cycle)
                if n % 5 == 3:
                    return "public", f"/therapists/?q=anxiety&bench={n}"
                return "public", next(public)

    return Paths()


def report(label: str, results) -> None:
    for kind in ("public", "admin"):
        rows = [r for r in results if r.kind == kind]
        failed = [r for r in rows if not r.ok]
        statuses = sorted({r.status for r in failed})
        seconds = [r.seconds * 1000 for r in rows]
        print(
            f"{label:<17}{kind:<8}{len(rows):>9}{len(failed):>8}"
            f"{percentile(seconds, 0.5):>10.1f}{percentile(seconds, 0.99):>10.1f}"
            f"  {statuses or ''}"
        )


def run(args, client_class) -> None:
    real = urlsplit(load.REDIS_URL)
    proxy = FaultProxy(real.hostname or "127.0.0.1", real.port or 6379)
    env = load.site_env()
    env["REDIS_URL"] = f"redis://127.0.0.1:{proxy.port}{real.path or '/0'}"
    load.ensure_database(load.PG_URL, load.DB_NAME)
    load.prepare(env, args.listings)
    urls = load.bench_urls(env)
    editor = editor_session(env)
    results: list = []
    stop = threading.Event()
    phase_seconds = args.duration / len(PHASES)
    marks = []
    one, five, _ = os.getloadavg()
    print(f"Load average before the run: {one:.2f} (1 min), {five:.2f} (5 min)", flush=True)
    with load.Server(env) as server:
        server.warm(load.mixed_paths(urls))
        headers = {"admin": {"Cookie": f"sessionid={editor['session']}"}}
        paths = request_mix(urls, editor["article"])
        clients = [
            client_class(server.port, paths, results, stop, headers) for _ in range(args.threads)
        ]
        for client in clients:
            client.start()
        print(f"{args.threads} clients against {server.base}, cache via {env['REDIS_URL']}")
        for mode, label in zip(PHASES, PHASE_LABELS, strict=True):
            proxy.set_mode(mode)
            marks.append((label, time.monotonic()))
            print(f"  {label} for {phase_seconds:.0f} s", flush=True)
            time.sleep(phase_seconds)
        stop.set()
        for client in clients:
            client.join(timeout=15)
    end = time.monotonic()
    proxy.close()
    one, five, _ = os.getloadavg()
    print(f"Load average after the run: {one:.2f} (1 min), {five:.2f} (5 min)")
    print()
    print(f"{'phase':<17}{'kind':<8}{'requests':>9}{'failed':>8}{'p50 ms':>10}{'p99 ms':>10}")
    bounds = [*(at for _label, at in marks[1:]), end]
    for (label, start), until in zip(marks, bounds, strict=True):
        report(label, [r for r in results if start <= r.at < until])
