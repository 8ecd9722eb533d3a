"""seed_articles: synthetic articles of realistic length, indexed and searchable."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.search.models import SearchDocument
from tests.search.helpers import search_page

pytestmark = pytest.mark.django_db


def test_seed_articles_tops_up_and_indexes(client):
    call_command("seed_articles", "--count", "6", stdout=io.StringIO())
    call_command("seed_articles", "--count", "8", stdout=io.StringIO())
    synthetic = Article.objects.filter(slug__startswith="synthetic-article-")
    assert synthetic.count() == 8
    article = synthetic.first()
    assert 700 < len(article.body.split()) < 1600
    assert article.body_html and article.faqs.count() == 2 and article.categories.exists()
    assert SearchDocument.objects.filter(article__in=synthetic).count() == 8
    published = synthetic.filter(status=Article.Status.PUBLISHED).count()
    assert published > 0
    # Every synthetic title says "a practical guide"; drafts must not be counted.
    assert search_page(client, '"practical guide"').context["outcome"].total == published


def test_seed_articles_refuses_a_nonsense_count():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_articles", "--count", "-1", stdout=io.StringIO())
