"""Recording: the tags of the page being rendered in this thread or task."""

import contextvars
from collections.abc import Callable, Iterable

from django.db.models.signals import post_init

from .registry import ModelTags, registry

# A page showing more objects of one model than this records the model's tag instead.
MAX_OBJECT_TAGS = 50

_recording: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "pagecache_recording", default=None
)


def start_recording() -> contextvars.Token:
    return _recording.set({"tags": set(), "objects": {}})


def stop_recording(token: contextvars.Token) -> set[str]:
    state = _recording.get()
    _recording.reset(token)
    if state is None:
        return set()
    tags = set(state["tags"])
    for label, pks in state["objects"].items():
        if len(pks) > MAX_OBJECT_TAGS:
            tags.add(label)
        else:
            tags.update(f"{label}:{pk}" for pk in pks)
    return tags


def add_tags(*tags: str) -> None:
    """Record tags on the page being rendered (no effect outside a cached page)."""
    state = _recording.get()
    if state is not None:
        state["tags"].update(tags)


def _record_instance(sender, instance, **kwargs):
    state = _recording.get()
    if state is None or instance.pk is None:
        return
    spec = registry.models.get(sender)
    if spec is None:
        return
    state["tags"].add(f"app:{instance._meta.app_label}")
    if spec.per_object:
        state["objects"].setdefault(spec.label, set()).add(instance.pk)
    else:
        state["tags"].add(spec.label)


def register_model(
    model,
    *,
    lists: Iterable[str] = (),
    parents: Callable | None = None,
    per_object: bool = True,
) -> None:
    """Tag pages with the ``model`` objects they load, and invalidate them on writes."""
    registry.models[model] = ModelTags(
        label=model._meta.label_lower,
        lists=frozenset(lists),
        parents=parents,
        per_object=per_object,
    )
    post_init.connect(_record_instance, sender=model, weak=False, dispatch_uid=f"tags-{model}")
