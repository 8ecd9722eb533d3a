"""Keep each listing's full-text search vector current (PostgreSQL only).

The vector includes the names of the listing's specialties and approaches, so
it changes when the listing is saved, when those relations change and when a
term is renamed. Bulk loaders that bypass signals (``seed_therapists``) call
``therapists.search.refresh_search_vectors()`` once at the end instead.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from .models import Approach, Specialty, Therapist
from .search import refresh_search_vectors, uses_postgres_search


@receiver(post_save, sender=Therapist, dispatch_uid="therapist_search_vector_on_save")
def refresh_on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_vectors([instance.pk])


@receiver(m2m_changed, sender=Therapist.specialties.through, dispatch_uid="tsv_specialties")
@receiver(m2m_changed, sender=Therapist.approaches.through, dispatch_uid="tsv_approaches")
def refresh_on_terms_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        refresh_search_vectors([instance.pk])
    elif uses_postgres_search():
        # A term gained or lost listings: refresh those listings.
        refresh_search_vectors(pk_set or instance.therapists.values_list("pk", flat=True))


@receiver(post_save, sender=Specialty, dispatch_uid="specialty_rename_search_vectors")
@receiver(post_save, sender=Approach, dispatch_uid="approach_rename_search_vectors")
def refresh_on_term_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw and uses_postgres_search():
        refresh_search_vectors(instance.therapists.values_list("pk", flat=True))
