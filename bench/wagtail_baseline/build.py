"""Build the Wagtail baseline: its own virtualenv, its own database, one seeded article.

Usage (bench/articles.py calls the same functions):
    .venv/bin/python bench/wagtail_baseline/build.py [--db h3_wagtail_bench]

The virtualenv (bench/.wagtail-venv, gitignored) gets ``wagtail>=8,<9``,
gunicorn and psycopg2-binary from the package index; Wagtail is never a
dependency of mhsite. The site (wagtail_site/, blog/) is a minimal production
configuration: DEBUG off, Wagtail's default middleware, PostgreSQL with the
same connection reuse as mhsite, one page type shaped like mhsite's article.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE.parent / ".wagtail-venv"
PYTHON = VENV / "bin" / "python"
GUNICORN = VENV / "bin" / "gunicorn"
REQUIREMENTS = ["wagtail>=8,<9", "gunicorn", "psycopg2-binary"]
DEFAULT_DB = os.environ.get("WAGTAIL_DB_NAME", "bench_wagtail")


def ensure_venv() -> None:
    """Create the virtualenv with this interpreter's Python (same version as mhsite's)."""
    if GUNICORN.exists() and _has_wagtail():
        return
    base_python = getattr(sys, "_base_executable", sys.executable)
    print(f"Building {VENV} ({' '.join(REQUIREMENTS)})", flush=True)
    subprocess.run([base_python, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check", *REQUIREMENTS],
        check=True,
    )


def _has_wagtail() -> bool:
    probe = [str(PYTHON), "-c", "import wagtail, sys; sys.exit(wagtail.VERSION[0] < 8)"]
    return subprocess.run(probe, capture_output=True).returncode == 0


def wagtail_version() -> str:
    code = "import django, wagtail; print(wagtail.__version__, 'on Django', django.__version__)"
    return subprocess.run(
        [str(PYTHON), "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()


def site_env(db_name: str, secret_key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="wagtail_site.settings",
        SECRET_KEY=secret_key,
        WAGTAIL_DB_NAME=db_name,
        PYTHONPATH=str(HERE),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=HERE,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def prepare(pg_url: str, db_name: str, secret_key: str) -> tuple[dict[str, str], str]:
    """Virtualenv, database, migrations and the article; returns (env, article path)."""
    sys.path.insert(0, str(HERE.parent))
    from harness import ensure_database

    ensure_venv()
    ensure_database(pg_url, db_name)
    env = site_env(db_name, secret_key)
    manage(env, "migrate", "--noinput", "-v0")
    path = manage(env, "seed_article").strip().splitlines()[-1]
    return env, path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    _, path = prepare(args.pg_url, args.db, "build-only-" + "x" * 40)
    print(f"{wagtail_version()}: article at {path}")


if __name__ == "__main__":
    main()
