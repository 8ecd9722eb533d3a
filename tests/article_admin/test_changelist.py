"""The article changelist: autocomplete, search, filters and the review-state column."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.article_admin.helpers import CHANGELIST, changelist_titles
from tests.factories import make_article, make_category, make_contributor

# Autocomplete and search -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model_name", "field_name", "term"),
    [
        ("relatedarticle", "target", "Sleep"),
        ("article", "categories", "Anx"),
        ("article", "author", "Ada"),
        ("article", "reviewer", "Ada"),
    ],
)
def test_autocomplete_fields_answer(staff_client, model_name, field_name, term):
    make_article(title="Sleep and mood")
    make_category(name="Anxiety", slug="anxiety")
    make_contributor(name="Dr. Ada Example")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["insomnia", "wind-down", "breathing"])
def test_search_covers_title_summary_and_body(staff_client, term):
    make_article(title="Insomnia basics", summary="S.", body="B.")
    make_article(title="Evenings", summary="A gentle wind-down routine.", body="B.")
    make_article(title="Calm", summary="S.", body="Slow breathing helps some people.")
    make_article(title="Unrelated", summary="S.", body="B.")
    response = staff_client.get(CHANGELIST, {"q": term})
    assert len(response.context["cl"].result_list) == 1


# Filters ---------------------------------------------------------------------


@pytest.mark.django_db
def test_status_and_category_filters(staff_client):
    anxiety = make_category(name="Anxiety")
    make_article(title="Draft", status=Article.Status.DRAFT, categories=[anxiety])
    make_article(title="In review", status=Article.Status.IN_REVIEW)
    make_article(title="Live")
    make_article(title="Old", status=Article.Status.ARCHIVED)
    for status, title in [
        ("draft", "Draft"),
        ("in_review", "In review"),
        ("published", "Live"),
        ("archived", "Old"),
    ]:
        response = staff_client.get(CHANGELIST, {"status__exact": status})
        assert changelist_titles(response) == {title}
    response = staff_client.get(CHANGELIST, {"categories__id__exact": anxiety.pk})
    assert changelist_titles(response) == {"Draft"}


@pytest.mark.django_db
def test_review_state_filter_options(staff_client):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)
    day = datetime.timedelta(days=1)
    make_article(title="Overdue", last_reviewed=long_ago, next_review_due=today - day)
    make_article(title="Due soon", last_reviewed=long_ago, next_review_due=today + 10 * day)
    make_article(title="Current", last_reviewed=today)
    make_article(title="Never", last_reviewed=None)
    html = staff_client.get(CHANGELIST).content.decode()
    for value, label in [
        ("overdue", "Overdue"),
        ("due_soon", "Due within 30 days"),
        ("current", "Current"),
        ("never", "Never reviewed"),
    ]:
        assert f"?review={value}" in html and label in html
    expected = {
        "overdue": "Overdue",
        "due_soon": "Due soon",
        "current": "Current",
        "never": "Never",
    }
    for value, title in expected.items():
        response = staff_client.get(CHANGELIST, {"review": value})
        assert changelist_titles(response) == {title}, value


@pytest.mark.django_db
def test_review_state_column_shows_text_label_and_sorts_by_due_date(staff_client):
    today = timezone.localdate()
    make_article(
        title="Late",
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=3),
    )
    make_article(title="Fine", last_reviewed=today)
    response = staff_client.get(CHANGELIST)
    html = response.content.decode()
    assert "Overdue" in html and "Current" in html
    column = response.context["cl"].list_display.index("review_state_label")
    response = staff_client.get(CHANGELIST, {"o": str(column)})
    assert [a.title for a in response.context["cl"].result_list] == ["Late", "Fine"]
