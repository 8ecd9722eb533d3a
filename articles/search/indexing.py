"""Keep the search documents and the spelling vocabulary current.

Every save of an article or of one of its FAQs rewrites the article's search
document in the same transaction (``index_article``), so imports, history
reverts (which save with ``raw=True``) and admin inlines are all covered.
Bulk writers that bypass signals (``seed_articles``) call ``rebuild_index``.
The document also holds a copy of the article's publishing and review fields
(``STATE_FIELDS``), written here and kept current by a database trigger on the
article table (migration 0009), so scheduling, expiry and bulk publish actions
need no re-indexing; searches still decide "published now" when they run.
"""

from collections.abc import Iterable
from types import SimpleNamespace

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Greatest

from ..models import FAQ, Article
from .models import SearchDocument, SearchWord
from .text import html_to_text, markdown_headings, vocabulary_words

TEXT_SEARCH_CONFIG = "english"
FTS_TABLE = "articles_search_fts"
PART_FIELDS = ("title", "summary", "headings", "faq_questions", "body_text", "faq_answers")
# Title A; summary B; headings and FAQ questions C; body and FAQ answers D.
WEIGHTS = {
    "title": "A",
    "summary": "B",
    "headings": "C",
    "faq_questions": "C",
    "body_text": "D",
    "faq_answers": "D",
}


# Copied from the article under the same names (SearchDocument's docstring).
STATE_FIELDS = ("status", "published_at", "expires_at", "last_reviewed", "next_review_due")

# The body's opening words that ranking weighs (rank_vector); matching uses all of it.
RANK_LEDE_WORDS = 80


def vector_expression(body=None):
    parts = [
        SearchVector(
            body if name == "body_text" and body is not None else name,
            weight=weight,
            config=TEXT_SEARCH_CONFIG,
        )
        for name, weight in WEIGHTS.items()
        if body is None or name != "faq_answers"
    ]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    return vector


def vectors() -> dict:
    """The UPDATE values for both stored vectors, computed from the document's own columns."""
    lede = Func(
        F("body_text"),
        Value(rf"^((?:\S+\s+){{0,{RANK_LEDE_WORDS}}}).*$"),
        Value(r"\1"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return {"vector": vector_expression(), "rank_vector": vector_expression(lede)}


def document_parts(article, faqs: Iterable) -> dict[str, str]:
    faqs = list(faqs)
    return {
        "title": article.title,
        "summary": article.summary,
        "headings": "\n".join(markdown_headings(article.body)),
        "faq_questions": "\n".join(faq.question for faq in faqs),
        "body_text": html_to_text(article.body_html),
        "faq_answers": "\n".join(html_to_text(faq.answer_html) for faq in faqs),
    }


def index_article(article_id: int) -> None:
    """Rewrite one article's search document (and its share of the vocabulary)."""
    article = (
        Article.objects.filter(pk=article_id)
        .only("title", "summary", "body", "body_html", *STATE_FIELDS)
        .first()
    )
    if article is None:
        return
    parts = document_parts(article, FAQ.objects.filter(article_id=article_id))
    previous = SearchDocument.objects.filter(pk=article_id).values_list("words", flat=True).first()
    new_words = vocabulary_words(*parts.values())
    state = {name: getattr(article, name) for name in STATE_FIELDS}
    SearchDocument.objects.update_or_create(
        article_id=article_id, defaults={**parts, **state, "words": " ".join(sorted(new_words))}
    )
    change_vocabulary(set((previous or "").split()), new_words)
    if connection.vendor == "postgresql":
        SearchDocument.objects.filter(pk=article_id).update(**vectors())
    elif connection.vendor == "sqlite":
        _replace_fts_rows({article_id: parts})


def forget_article(article_id: int) -> None:
    """Before an article is deleted: take its words out of the vocabulary, its FTS row away."""
    previous = SearchDocument.objects.filter(pk=article_id).values_list("words", flat=True).first()
    change_vocabulary(set((previous or "").split()), set())
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])  # noqa: S608


def change_vocabulary(old: set[str], new: set[str]) -> None:
    added, removed = new - old, old - new
    if added:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word) for word in added], ignore_conflicts=True, batch_size=500
        )
        SearchWord.objects.filter(word__in=added).update(document_count=F("document_count") + 1)
    if removed:
        SearchWord.objects.filter(word__in=removed).update(
            document_count=Greatest(F("document_count") - 1, Value(0))
        )
        SearchWord.objects.filter(word__in=removed, document_count=0).delete()


def _replace_fts_rows(rows: dict[int, dict[str, str]]) -> None:
    columns = ", ".join(PART_FIELDS)
    placeholders = ", ".join(["%s"] * (len(PART_FIELDS) + 1))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {FTS_TABLE} WHERE rowid = %s",  # noqa: S608
            [[pk] for pk in rows],
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {columns}) VALUES ({placeholders})",  # noqa: S608
            [[pk, *(parts[name] for name in PART_FIELDS)] for pk, parts in rows.items()],
        )


def rebuild_index(apps=None, batch_size: int = 500) -> int:
    """Rebuild every search document, the vocabulary and the engine's index from scratch.

    Reads plain values only, so migration 0008 can run it with its historical
    models (``apps``).
    """
    get = apps.get_model if apps else _current_model
    documents, words = get("articles", "SearchDocument"), get("articles", "SearchWord")
    documents.objects.all().delete()
    words.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    counts: dict[str, int] = {}
    ids = list(get("articles", "Article").objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        _index_batch(get, ids[start : start + batch_size], counts)
    words.objects.bulk_create(
        [words(word=word, document_count=count) for word, count in counts.items()],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        documents.objects.update(**vectors())
    return len(ids)


def copy_article_state(apps=None) -> None:
    """Copy every article's publishing and review fields onto its document (migration 0009)."""
    get = apps.get_model if apps else _current_model
    articles = get("articles", "Article").objects.filter(pk=OuterRef("pk"))
    get("articles", "SearchDocument").objects.update(
        **{name: Subquery(articles.values(name)[:1]) for name in STATE_FIELDS}
    )


def _current_model(app_label: str, name: str):
    from django.apps import apps

    return apps.get_model(app_label, name)


def _index_batch(get, ids: list[int], counts: dict[str, int]) -> None:
    articles = get("articles", "Article").objects.filter(pk__in=ids)
    faqs: dict[int, list[SimpleNamespace]] = {}
    rows = get("articles", "FAQ").objects.filter(article_id__in=ids).order_by("order", "pk")
    for article_id, question, answer_html in rows.values_list(
        "article_id", "question", "answer_html"
    ):
        faqs.setdefault(article_id, []).append(
            SimpleNamespace(question=question, answer_html=answer_html)
        )
    document_model = get("articles", "SearchDocument")
    # Migration 0008 runs this with a document model that has no state fields yet.
    copied = [f.name for f in document_model._meta.fields if f.name in STATE_FIELDS]
    documents, fts_rows = [], {}
    for values in articles.values("pk", "title", "summary", "body", "body_html", *copied):
        pk = values.pop("pk")
        state = {name: values.pop(name) for name in copied}
        parts = document_parts(SimpleNamespace(**values), faqs.get(pk, []))
        words = vocabulary_words(*parts.values())
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        documents.append(
            document_model(article_id=pk, words=" ".join(sorted(words)), **parts, **state)
        )
        fts_rows[pk] = parts
    document_model.objects.bulk_create(documents)
    if connection.vendor == "sqlite":
        _replace_fts_rows(fts_rows)
