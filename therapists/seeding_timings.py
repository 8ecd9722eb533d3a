"""How long each phase of the last bulk load took, for ``seed_therapists``' report."""

import contextlib
import time
from collections import defaultdict
from collections.abc import Iterator

# Seconds spent in each phase of the last bulk load, for the command's report.
timings: dict[str, float] = defaultdict(float)


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] += time.perf_counter() - started
