"""The finder bench's fixed searches, and how one is rendered and timed.

Shared by bench/finder_bench.py (the timed suite, ``--compare-jit``) and
bench/finder_html.py (the pages' HTML). Import after ``setup_django``.
"""

import time

from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from finder_trace import Tracer
from stats import load_average as load
from stats import percentile

from therapists.finder.query import load_vocabularies
from therapists.views import FinderView


def searches() -> list[tuple[str, str]]:
    """23 representative searches, using the seeded vocabularies' real slugs."""
    v = load_vocabularies()

    def slug(kind: str, index: int) -> str:
        return v[kind][index % len(v[kind])].slug

    english = next((t.slug for t in v["language"] if t.name == "English"), slug("language", 0))
    rare_language = next(t.slug for t in v["language"] if t.slug != english)
    return [
        ("no filters", ""),
        ("one specialty", f"specialty={slug('specialty', 0)}"),
        ("one approach", f"approach={slug('approach', 1)}"),
        ("a less common language", f"language={rare_language}"),
        ("online only", "format=online"),
        ("accepting new clients", "accepting=on"),
        ("city text", "location=Chicago"),
        ("postal code", "location=60614"),
        ("insurance plan", f"insurance={slug('insurance', 0)}"),
        ("identifies as", f"identity={slug('community', 2)}"),
        (
            "4 filters: specialty, in person, accepting, language",
            f"specialty={slug('specialty', 1)}&format=in_person&accepting=on&language={english}",
        ),
        (
            "4 filters: approach, age, sliding scale, max fee",
            f"approach={slug('approach', 2)}&age={slug('age', 0)}&sliding_scale=on&max_fee=120",
        ),
        (
            "4 filters: works with, faith, gender, online",
            f"community={slug('community', 1)}&faith={slug('faith', 1)}&gender=woman&format=online",
        ),
        ("free text: a word", "q=anxiety"),
        ("free text: a surname", "q=Kesley"),
        ("free text: misspelled surname", "q=Morwel"),
        ("free text: two words", "q=trauma+mindfulness"),
        ("near me: 25 km", "lat=41.8781&lng=-87.6298&radius=25"),
        # "Including therapists who see clients online": three in four listings match.
        ("city text or online", "location=Chicago&include_online=on"),
        (
            "near me 25 km or online + specialty",
            "lat=41.8781&lng=-87.6298&radius=25&include_online=on"
            f"&specialty={slug('specialty', 0)}",
        ),
        (
            "near me 10 km + specialty + accepting",
            f"lat=40.7128&lng=-74.0060&radius=10&specialty={slug('specialty', 3)}&accepting=on",
        ),
        (
            "empty result (with ways out)",
            f"q=zzqxv&specialty={slug('specialty', 0)}&lat=61.2&lng=-149.9&radius=5",
        ),
        ("deep page (page 200)", "page=200"),
    ]


class Search:
    def __init__(self, label: str, query: str, factory: RequestFactory):
        self.label, self.path = label, f"/therapists/?{query}"
        self.factory, self.view = factory, FinderView.as_view()
        self.cold: list[float] = []
        self.warm: list[float] = []

    def render(self, *, cold: bool):
        if cold:
            cache.clear()
        response = self.view(self.factory.get(self.path))
        response.render()
        return response

    def timed(self, *, cold: bool, tracer: Tracer | None = None) -> None:
        if cold:
            cache.clear()
        if cold and tracer:
            self.cold.append(tracer.request(self.label, lambda: self.render(cold=False)))
            return
        started = time.perf_counter()
        self.render(cold=False)
        (self.cold if cold else self.warm).append((time.perf_counter() - started) * 1000)


def set_jit(on: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET jit = {'on' if on else 'off'}")


def compare_jit(runs: list[Search], rounds: int) -> None:
    """Cold p95 with JIT off and on, in alternate rounds, so both see the same load."""
    print(f"\nJIT off vs on: {rounds} alternate rounds of each; before: {load()}", flush=True)
    times: dict[bool, dict[Search, list[float]]] = {False: {}, True: {}}
    for _ in range(rounds):
        for jit in (False, True):
            set_jit(jit)
            for search in runs:
                search.cold = []
                search.timed(cold=True)
                times[jit].setdefault(search, []).extend(search.cold)
    set_jit(False)
    print(f"{'search (COLD p95 ms)':<56} {'JIT off':>8} {'JIT on':>8} {'on/off':>7}")
    for search in runs:
        off, on = percentile(times[False][search], 0.95), percentile(times[True][search], 0.95)
        print(f"{search.label:<56} {off:>8.1f} {on:>8.1f} {on / off:>7.2f}")
    print(f"After: {load()}")
