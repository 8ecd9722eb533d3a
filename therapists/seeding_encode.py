"""Turning generated listings into ``COPY`` data, for ``therapists.seeding_copy``.

Pure Python, no database: ``ChunkEncoder`` makes, for a chunk of listings,
the CSV of the listing staging table (each row with its ``finder_terms`` and
the ids of its search vector's parts), of the parts not seen before, and of
each relation table. ``payloads`` runs the generator and the encoder in
forked processes for large loads, so that generating the next chunks (the
Python half of seeding) overlaps the database writing this one.
"""

import csv
import dataclasses
import io
import itertools
import multiprocessing
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence

from .finder.codes import VOCABULARY_GROUPS
from .seeding import NewListing

# The search vector's parts, in order: (field or relation, weight), as in
# therapists.finder.maintenance.search_vector.
VECTOR_PARTS = (
    ("name", "A"),
    ("practice_name", "B"),
    ("specialties", "B"),
    ("approaches", "C"),
    ("bio", "D"),
)
# Chunks waiting in the pipe from the generating process.
QUEUED_CHUNKS = 2


@dataclasses.dataclass
class Payload:
    """One chunk of listings as COPY data (CSV bytes)."""

    size: int
    listings: bytes
    parts: bytes  # (id, weight, text) of search vector parts first used in this chunk
    relations: list[tuple[str, bytes, int]]  # (relation, rows, row count)


def to_csv(rows: Iterable[Sequence]) -> bytes:
    """Rows as COPY's CSV: quoted values, unquoted empty fields for NULL."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


class ChunkEncoder:
    """Listings to Payloads; listing ids are given out from ``first_pk`` on."""

    def __init__(self, field_defaults: list[tuple[str, object]], relations: list[str], first_pk):
        self.field_defaults = field_defaults
        self.relations = relations
        self.first_pk = self.next_pk = first_pk
        self.part_ids = itertools.count(1)
        # (relation, the group's code for term id 0): a term's code is that | its id.
        self.groups = [(group.relation, group.code(0)) for group in VOCABULARY_GROUPS]
        self.parts: dict[tuple[str, str], int] = {}
        self.new_parts: list[tuple[int, str, str]] = []

    def encode(self, chunk: Sequence[NewListing]) -> Payload:
        pks = range(self.next_pk, self.next_pk + len(chunk))
        self.next_pk += len(chunk)
        listings = to_csv(self._row(pk, listing) for pk, listing in zip(pks, chunk, strict=True))
        parts, self.new_parts = to_csv(self.new_parts), []
        relations = []
        for relation in self.relations:
            rows = [
                (pk, term.id)
                for pk, listing in zip(pks, chunk, strict=True)
                for term in listing.relations.get(relation, ())
            ]
            relations.append((relation, to_csv(rows), len(rows)))
        return Payload(len(chunk), listings, parts, relations)

    def _row(self, pk: int, listing: NewListing) -> list:
        fields, relations = listing.fields, listing.relations
        values = [pk]
        values += [fields.get(name, default) for name, default in self.field_defaults]
        codes = sorted(
            number | term.id
            for relation, number in self.groups
            for term in relations.get(relation, ())
        )
        values.append("{" + ",".join(map(str, codes)) + "}")  # finder_terms, as an array literal
        for source, weight in VECTOR_PARTS:
            if source in fields:
                text = fields[source]
            else:  # term names, in id order as maintenance.search_vector aggregates them
                terms = sorted(relations.get(source, ()), key=lambda term: term.id)
                text = " ".join(term.name for term in terms)
            values.append(self._part(weight, text))
        return values

    def _part(self, weight: str, text: str) -> int:
        key = (weight, text)
        number = self.parts.get(key)
        if number is None:
            number = self.parts[key] = next(self.part_ids)
            self.new_parts.append((number, weight, text))
        return number


def payloads(
    make: Callable[[int], NewListing], count: int, size: int, encoder: ChunkEncoder, workers: int
) -> Iterator[Payload]:
    """Listings ``make(0)`` to ``make(count - 1)`` as Payloads of ``size``, in order.

    With ``workers`` > 0, forked processes make them, chunk ``i`` in worker
    ``i % workers`` (the listings do not depend on who makes them:
    ``ListingGenerator`` seeds every block of listings).
    """
    starts = range(0, count, size)
    if not workers:
        for start in starts:
            yield encoder.encode([make(n) for n in range(start, min(start + size, count))])
        return
    context = multiprocessing.get_context("fork")
    queues = [context.Queue(maxsize=QUEUED_CHUNKS) for _ in range(workers)]
    # The children only compute: they never use the parent's database
    # connection, and multiprocessing ends them with os._exit, which leaves
    # that connection be.
    processes = [
        context.Process(
            target=_produce,
            args=(make, count, size, starts[worker::workers], encoder, worker, workers, queue),
            daemon=True,
        )
        for worker, queue in enumerate(queues)
    ]
    for process in processes:
        process.start()
    try:
        for index in range(len(starts)):
            item = queues[index % workers].get()
            if isinstance(item, str):
                raise RuntimeError(f"Generating listings failed:\n{item}")
            yield item
    finally:
        for process in processes:
            process.kill()
            process.join()


def _produce(make, count, size, starts, encoder, worker, workers, queue) -> None:
    """A worker's chunks; its search vector parts get ids no other worker gives."""
    try:
        encoder.part_ids = itertools.count(worker + 1, workers)
        for start in starts:
            encoder.next_pk = encoder.first_pk + start
            chunk = [make(n) for n in range(start, min(start + size, count))]
            queue.put(encoder.encode(chunk))
    except BaseException:  # reported to the parent, which raises it
        queue.put(traceback.format_exc())
