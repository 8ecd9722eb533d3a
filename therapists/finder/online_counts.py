"""PostgreSQL counts of a search for a place "including therapists who see clients online".

Such a search matches the listings of the place *or* seen online: at
1,000,000 listings, where three in four listings are seen online, counting its
facets unnested the codes of ~770,000 listings (2.5 s for "Chicago" and for
25 km around it). The search is counted instead as two disjoint parts, each
a search of its own whose rows ``decode`` adds up (``FinderParams.online_part``):

- ``ONLINE``, the listings seen online, whatever their place: its place
  filter is the online format's code, which the pair counts (no other
  filter) and the bitmaps (other filters of codes) answer like any format;
- ``OFFLINE``, the listings of the place that are not seen online: the
  ``off:`` keys of the place counts (migration 0023) answer it when the place
  is its only filter, else its listings are read, a fraction of the place's.

A listing is in exactly one part, so the sums are the counts of the whole.
"""

import copy
import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .query import FinderSearch

ONLINE, OFFLINE = "online", "offline"
# Migration 0023's keys of the listings not seen online: "off:" then the place key.
OFFLINE_PREFIX = "off:"


def splits(search: "FinderSearch") -> bool:
    """Whether the search adds online listings to a place (and is not a part already)."""
    p = search.params
    return p.include_online and p.has_location and not p.online_part


def parts(search: "FinderSearch") -> list["FinderSearch"]:
    """The search's online part and its offline part (see the module)."""
    from .query import place_filter  # query imports this module

    made = []
    for part_name in (ONLINE, OFFLINE):
        part = copy.copy(search)
        part.params = dataclasses.replace(search.params, online_part=part_name)
        part.filters = {**search.filters, "place": place_filter(part.params)}
        made.append(part)
    return made


def online_place(search: "FinderSearch", name: str) -> bool:
    """Whether the filter ``name`` of the search is "seen online" and nothing else."""
    return name == "place" and search.params.online_part == ONLINE


def key_prefix(search: "FinderSearch") -> str:
    """The prefix of the place keys counting the search's listings."""
    return OFFLINE_PREFIX if search.params.online_part == OFFLINE else ""
