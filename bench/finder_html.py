"""The finder page's HTML for the bench searches: save it, or check it is unchanged.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h2_finder_100k \\
        .venv/bin/python bench/finder_html.py --save DIR    # before a change
    DATABASE_URL=... .venv/bin/python bench/finder_html.py --check DIR  # after it

The searches of bench/finder_bench.py plus a few other states (words
understood as filters, words as text, input the form could not use), each
rendered in-process as the bench renders them, written to DIR/<n>.html, or
compared byte for byte with what DIR holds. Run both on the same database on
the same day (availability older than the stale limit reads differently).
"""

import argparse
import sys
from pathlib import Path

from django.test import RequestFactory  # noqa: E402
from finder_bench import Search, searches  # noqa: E402 (sets Django up)
from inprocess import plain_storages  # noqa: E402

EXTRA = [
    ("words understood", "q=spanish+anxiety+therapist+chicago"),
    ("words as text", "q=spanish+anxiety&as_text=on"),
    ("input it could not use", "page=zz&max_fee=-3&specialty=nope&colour=blue&lat=91"),
    ("nearest first, page 3", "lat=41.8781&lng=-87.6298&radius=50&sort=nearest&page=3"),
]


@plain_storages
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", metavar="DIR")
    group.add_argument("--check", metavar="DIR")
    args = parser.parse_args()
    folder = Path(args.save or args.check)
    folder.mkdir(parents=True, exist_ok=True)
    factory = RequestFactory()
    differ = 0
    for n, (label, query) in enumerate([*searches(), *EXTRA]):
        html = Search(label, query, factory).render(cold=True).content.decode()
        path = folder / f"{n:02d}.html"
        if args.save:
            path.write_text(html, encoding="utf-8")
            continue
        same = path.read_text(encoding="utf-8") == html
        differ += not same
        print(f"{'same' if same else 'DIFFERS':<8} {label} ({len(html):,} bytes)")
    if args.check:
        print(f"{differ} page(s) differ")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
