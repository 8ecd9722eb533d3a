"""What the apps declare at start-up: their tagged models, cached pages and schedules.

Models are registered through ``register_model`` (``recording``), which also
records their objects on the pages that load them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ModelTags:
    """How one model's objects are tagged on pages and what a write to one invalidates."""

    label: str
    # Shared tags every write to this model also invalidates (lists showing it).
    lists: frozenset[str] = frozenset()
    # Other objects' tags a write to this object invalidates (a FAQ's article).
    parents: Callable | None = None
    # False for small vocabularies shown everywhere: pages record the model's tag.
    per_object: bool = True

    def object_tag(self, pk) -> str:
        return f"{self.label}:{pk}" if self.per_object else self.label

    def written(self, instance) -> set[str]:
        tags = {self.label, self.object_tag(instance.pk), *self.lists}
        if self.parents is not None:
            tags.update(tag for tag in self.parents(instance) if tag)
        return tags

    def membership(self, pk) -> set[str]:
        """Tags invalidated when an object of this model joins or leaves a many-to-many."""
        if not self.per_object:
            return set()
        return {self.label, self.object_tag(pk), *self.lists}


@dataclass
class PageTags:
    """What one page declares: the query parameters it reads and its shared tags."""

    params: Callable[[], Iterable[str]] | frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    # True for a view that tells the reader about parameters it did not use: a
    # request with unknown ones is then rendered for that reader alone.
    names_unknown: bool = False
    # Parameters the view reads whose values are free text (a profile's "from",
    # the search it came from): such a page is rendered for that reader and never
    # stored, so arbitrary values cannot fill the cache.
    uncached_params: frozenset[str] = frozenset()

    def known_params(self) -> frozenset[str]:
        return frozenset(self.params() if callable(self.params) else self.params)


@dataclass
class Registry:
    models: dict[type, ModelTags] = field(default_factory=dict)
    pages: dict[str, PageTags] = field(default_factory=dict)
    # (callable returning the next moment a page may change without a write, app label)
    schedules: list[tuple[Callable, str]] = field(default_factory=list)


registry = Registry()


def object_tag(instance) -> str:
    """The tag of one object, for views that add tags by hand."""
    return registry.models[type(instance)].object_tag(instance.pk)


def register_page(
    url_name: str,
    *,
    params=frozenset(),
    tags: Iterable[str] = (),
    names_unknown: bool = False,
    uncached_params: Iterable[str] = (),
) -> None:
    """Declare a cached page's query parameters (a set or a callable) and shared tags.

    Other parameters are stripped before the view runs, so they neither create
    cache entries nor change the page, unless ``names_unknown`` (see PageTags).
    """
    registry.pages[url_name] = PageTags(
        params=params if callable(params) else frozenset(params),
        tags=frozenset(tags),
        names_unknown=names_unknown,
        uncached_params=frozenset(uncached_params),
    )


def register_schedule(next_change: Callable, app_label: str) -> None:
    """``next_change()`` gives the next moment (aware datetime or None) pages may change
    without a write; recomputed after any write to ``app_label``'s tables."""
    registry.schedules.append((next_change, app_label))
