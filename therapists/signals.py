"""Keep each listing's search data current (PostgreSQL only).

- The full-text search vector includes the names of the listing's specialties
  and approaches, so it changes when the listing is saved, when those
  relations change and when a term is renamed.
- ``finder_terms`` (the listing's vocabulary terms as one array, for facet
  counts and vocabulary filters) changes whenever any vocabulary relation
  does, from either side, and when a term is deleted.

Bulk loaders that bypass signals write both columns themselves:
``therapists.seeding.insert_listings`` computes them as each row goes in.
``therapists.finder.maintenance`` (``manage.py rebuild_finder``) rebuilds them
for any other bulk change.

The finder's precomputed facet counts (``therapists_finder_pair``) need no
signal: database triggers on the listing table keep them exact for every
statement, signals or not (migration 0009).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .finder.codes import VOCABULARY_GROUPS, VOCABULARY_MODELS
from .finder.maintenance import refresh_finder_terms, refresh_search_vectors
from .finder.text import uses_postgres_search
from .models import Approach, Specialty, Therapist

SEARCH_VECTOR_RELATIONS = {Therapist.specialties.through, Therapist.approaches.through}


@receiver(post_save, sender=Therapist, dispatch_uid="therapist_search_vector_on_save")
def refresh_on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_vectors([instance.pk])


def _listings_of(through, term_pk: int) -> list[int]:
    """The listings a term is linked to through one relation table."""
    for field in through._meta.get_fields():
        if field.many_to_one and field.related_model is not Therapist:
            return list(
                through.objects.filter(**{field.name: term_pk}).values_list(
                    "therapist_id", flat=True
                )
            )
    raise LookupError(through)  # pragma: no cover


def refresh_on_terms_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not uses_postgres_search():
        return
    if action == "pre_clear" and reverse:
        # After the clear the term has no listings left to tell us which changed.
        instance._finder_cleared_listings = _listings_of(sender, instance.pk)
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        pks = [instance.pk]
    elif action == "post_clear":
        pks = instance.__dict__.pop("_finder_cleared_listings", [])
    else:
        pks = list(pk_set or ())
    if not pks:
        return
    refresh_finder_terms(pks)
    if sender in SEARCH_VECTOR_RELATIONS:
        refresh_search_vectors(pks)


for _group in VOCABULARY_GROUPS:
    m2m_changed.connect(
        refresh_on_terms_changed,
        sender=_group.through,
        dispatch_uid=f"finder_terms_{_group.relation}",
    )


@receiver(post_save, sender=Specialty, dispatch_uid="specialty_rename_search_vectors")
@receiver(post_save, sender=Approach, dispatch_uid="approach_rename_search_vectors")
def refresh_on_term_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw and uses_postgres_search():
        refresh_search_vectors(instance.therapists.values_list("pk", flat=True))


def remember_listings_before_term_deleted(sender, instance, **kwargs):
    """The relation rows go with the term, without an m2m_changed signal."""
    if uses_postgres_search():
        instance._finder_deleted_from = [
            pk
            for group in VOCABULARY_GROUPS
            if VOCABULARY_MODELS[group.vocabulary] is sender
            for pk in _listings_of(group.through, instance.pk)
        ]


def refresh_after_term_deleted(sender, instance, **kwargs):
    pks = instance.__dict__.pop("_finder_deleted_from", [])
    if pks:
        refresh_finder_terms(pks)
        if sender in (Specialty, Approach):
            refresh_search_vectors(pks)


for _model in set(VOCABULARY_MODELS.values()):
    pre_delete.connect(
        remember_listings_before_term_deleted,
        sender=_model,
        dispatch_uid=f"finder_terms_pre_delete_{_model.__name__}",
    )
    post_delete.connect(
        refresh_after_term_deleted,
        sender=_model,
        dispatch_uid=f"finder_terms_post_delete_{_model.__name__}",
    )
