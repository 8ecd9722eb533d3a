"""Synonym phrases indexed as one lexeme each, so the GIN index answers them exactly.

A phrase in a tsquery ('low' <-> 'mood', brought in by the synonyms of
"depression") makes the index ask for a recheck of every candidate, which
reads each document's full vector, stored out of line: 968 rechecks for
"low mood" among 10,000 articles. So each multi-word term of the synonym
sets is listed in ``articles_search_phrase`` (migration 0013), and every
document whose ``vector`` matches a listed phrase carries that phrase as one
extra lexeme ("low mood", with its space: the parser never makes such a
lexeme from text). A search's matching then asks
``article_search_phrase_query(phrase)``: the lexeme when the phrase is
listed, the phrase's own tsquery otherwise, decided in the statement's own
snapshot, so a search is exact whatever the list holds.

The database keeps the lexemes true by triggers, whatever writes: a document's
``vector`` written in any way (indexing, ``QuerySet.update``, raw SQL) gets its
phrase lexemes recomputed from the vector itself, and a phrase added to,
changed in or removed from the list re-indexes the documents it concerns.
This module only keeps the list in step with the synonym sets, when an editor
saves or deletes one; a list that lags behind (a bulk update of the synonym
table) costs speed, never exactness.
"""

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import SearchSynonym
from .synonyms import MAX_TERM_WORDS
from .text import compact_words

TABLE = "articles_search_phrase"
# The phrases the table accepts (its CHECK constraint): words of letters, one
# space between, and a tsquery that keeps at least one word.
ACCEPTED = (
    "p ~ '^[[:alpha:]]+( [[:alpha:]]+)+$' "
    "AND numnode(websearch_to_tsquery('english'::regconfig, '\"' || p || '\"')) > 0"
)


def phrases_of(term_texts) -> set[str]:
    """The multi-word terms of synonym sets' ``terms`` texts, as searches write them."""
    phrases = set()
    for text in term_texts:
        for term in text.split(","):
            words = compact_words(term)
            if 1 < len(words) <= MAX_TERM_WORDS:
                phrases.add(" ".join(words))
    return phrases


def sync(phrases: set[str]) -> None:
    """Make the table hold exactly the accepted ``phrases`` (its triggers re-index)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE phrase <> ALL (%s::text[])", [sorted(phrases)])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {TABLE} (phrase) SELECT p FROM unnest(%s::text[]) AS p "  # noqa: S608
            f"WHERE {ACCEPTED} ON CONFLICT (phrase) DO NOTHING",
            [sorted(phrases)],
        )


def sync_with_synonyms() -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's FTS5 answers phrases from its own positions
    with transaction.atomic():
        sync(phrases_of(SearchSynonym.objects.values_list("terms", flat=True)))


@receiver([post_save, post_delete], sender=SearchSynonym, dispatch_uid="search_phrases_sync")
def _synonyms_changed(**kwargs) -> None:
    sync_with_synonyms()
