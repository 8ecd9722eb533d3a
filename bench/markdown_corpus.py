"""Render time of the pathological Markdown corpus: old renderer against new.

    .venv/bin/python bench/markdown_corpus.py                 # whole corpus, new renderer
    .venv/bin/python bench/markdown_corpus.py --old --timeout 20 --names open_brackets
    .venv/bin/python bench/markdown_corpus.py --length 8000 --names open_brackets --old

Each input is rendered in a fresh subprocess (killed after --timeout
seconds), so one quadratic input cannot stall the run. Renderers:

- new: mhsite.markdown.render_article_body (cmark-gfm, balancing, nh3), the site's renderer;
- old: Python-Markdown with the configuration used before (extra, sane_lists,
  toc) and the same nh3 allowlist, as the site rendered until issue 9;
- markdown-it-py: the pure-Python CommonMark parser measured as an
  alternative (parse only), when installed.

Prints CPU seconds of the render (process time of the worker) and wall
seconds, plus the load average before and after (the machine is shared).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average: {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


def _render_function(renderer: str):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhsite.settings")
    import django

    django.setup()
    if renderer == "new":
        from mhsite.markdown import render_article_body

        return render_article_body
    if renderer == "old":
        import markdown
        import nh3
        from django.utils.text import slugify

        from mhsite import markdown as site_markdown

        def old(text):
            md = markdown.Markdown(
                extensions=["extra", "sane_lists", "toc"],
                extension_configs={
                    "toc": {
                        "permalink": False,
                        "slugify": lambda value, separator: slugify(value) or "section",
                        "toc_depth": "2-3",
                    }
                },
                output_format="html",
            )
            return nh3.clean(
                md.convert(text),
                tags=site_markdown.ALLOWED_TAGS,
                clean_content_tags=site_markdown.CLEAN_CONTENT_TAGS,
                attributes=site_markdown.ALLOWED_ATTRIBUTES,
                url_schemes=site_markdown.LINK_SCHEMES,
                strip_comments=True,
            )

        return old
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    return parser.render


def worker(renderer: str, name: str, length: int) -> None:
    from tests.security.markdown_corpus import corpus

    render = _render_function(renderer)
    text = corpus(length)[name]
    cpu, wall = time.process_time(), time.perf_counter()
    render(text)
    print(f"{time.process_time() - cpu:.4f} {time.perf_counter() - wall:.4f}")


def measure(renderer: str, name: str, length: int, timeout: float) -> str:
    command = [sys.executable, __file__, "--worker", renderer, name, str(length)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (killed)"
    if done.returncode != 0:
        return "error: " + (done.stderr.strip().splitlines() or ["?"])[-1][:60]
    cpu, wall = done.stdout.split()[-2:]
    return f"{float(cpu):7.3f} s cpu {float(wall):7.3f} s wall"


def main() -> None:
    from mhsite.markdown import ARTICLE_BODY_MAX_CHARS
    from tests.security.markdown_corpus import corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--length", type=int, default=ARTICLE_BODY_MAX_CHARS)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--names", help="comma-separated corpus entries (default: all)")
    parser.add_argument("--old", action="store_true", help="also time the old renderer")
    parser.add_argument("--markdown-it", action="store_true", help="also time markdown-it-py")
    args = parser.parse_args()

    names = args.names.split(",") if args.names else sorted(corpus(10))
    renderers = ["new"] + ["old"] * args.old + ["markdown-it-py"] * args.markdown_it
    print(f"corpus length {args.length:,} characters; {load_average()}")
    for name in names:
        cells = [
            f"{renderer}: {measure(renderer, name, args.length, args.timeout)}"
            for renderer in renderers
        ]
        print(f"{name:28} " + " | ".join(cells), flush=True)
    print(f"done; {load_average()}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
