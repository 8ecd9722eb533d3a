"""The editors' admin: pages load, forms save with their inlines, filters, search, actions."""

import datetime
import io
import re

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, Category, Contributor
from mhsite.dates import add_months
from tests.factories import (
    link_related,
    make_article,
    make_category,
    make_contributor,
    make_faq,
    make_reference,
    make_staff_user,
)

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def change_url(obj) -> str:
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def _field_data(form: forms.BaseForm) -> dict:
    """What a browser would send back for ``form`` as rendered."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field.widget, forms.MultiWidget):
            parts = field.widget.decompress(value)
            for index, part in enumerate(parts):
                data[f"{key}_{index}"] = "" if part is None else str(part)
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif value is not None:
            data[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def admin_form_data(response) -> dict:
    """POST data for an admin add/change page: the main form as rendered, and every
    inline formset's management form plus its existing rows (no blank extra rows)."""
    data = _field_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(initial)
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(initial)
        data[f"{formset.prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{formset.prefix}-MAX_NUM_FORMS"] = "1000"
        for form in formset.initial_forms:
            data.update(_field_data(form))
    return data


def add_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{start + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def png_upload(name="calm-room.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), (40, 90, 160)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def offered_actions(response) -> set[str]:
    action_form = response.context["action_form"]  # None when no action is allowed
    return {name for name, _label in action_form.fields["action"].choices} if action_form else set()


def changelist_titles(response) -> set[str]:
    return {article.title for article in response.context["cl"].result_list}


# Pages load ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", ["article", "category", "contributor"])
def test_changelist_and_add_pages_load(staff_client, model_name):
    make_article(categories=[make_category()])
    assert staff_client.get(reverse(f"admin:articles_{model_name}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:articles_{model_name}_add")).status_code == 200


@pytest.mark.django_db
def test_change_pages_load(staff_client):
    category = make_category()
    article = make_article(categories=[category])
    make_faq(article)
    make_reference(article)
    link_related(article, make_article())
    for obj in (article, category, article.author):
        assert staff_client.get(change_url(obj)).status_code == 200


@pytest.mark.django_db
def test_article_form_uses_markdownx_editor_for_body_and_faq_answers(staff_client):
    response = staff_client.get(ADD)
    html = response.content.decode()
    assert 'name="body"' in html
    assert html.count('class="markdownx"') >= 2  # the body and the blank FAQ row
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in html
    assert "markdownx/js/markdownx" in html


@pytest.mark.django_db
def test_admin_refuses_non_staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# Saving through the forms ----------------------------------------------------


@pytest.mark.django_db
def test_add_article_with_faqs_references_and_related_links(staff_client):
    author, reviewer = make_contributor(), make_contributor()
    category = make_category()
    other = make_article(title="Sleep and mood")
    data = admin_form_data(staff_client.get(ADD))
    data.update(
        title="Understanding panic attacks",
        slug="understanding-panic-attacks",
        summary="What a panic attack is and what helps.",
        body="Intro.\n\n## What happens\n\nText.",
        status=Article.Status.DRAFT,
        categories=[str(category.pk)],
        author=str(author.pk),
        assigned_reviewer=str(reviewer.pk),
    )
    add_rows(
        data,
        "faqs",
        [
            {"question": "Are panic attacks dangerous?", "answer": "*Usually* not.", "order": "2"},
            {"question": "Can they be treated?", "answer": "Yes.", "order": "1"},
        ],
    )
    add_rows(data, "references", [{"citation": "Example A. Panic. 2024.", "order": "0"}])
    add_rows(data, "related_links", [{"target": str(other.pk), "order": "0"}])
    response = staff_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    article = Article.objects.get(slug="understanding-panic-attacks")
    assert [faq.question for faq in article.faqs.all()] == [
        "Can they be treated?",
        "Are panic attacks dangerous?",
    ]
    assert article.faqs.get(order=2).answer_html == "<p><em>Usually</em> not.</p>"
    assert article.references.get().citation == "Example A. Panic. 2024."
    assert [link.target for link in article.related_links.all()] == [other]
    assert list(article.categories.all()) == [category]
    assert '<h2 id="what-happens">' in article.body_html
    # Assigned for the next review; only a recorded review names the stamp's reviewer.
    assert article.assigned_reviewer == reviewer and article.reviewer is None


@pytest.mark.django_db
def test_change_form_round_trips_unchanged(staff_client):
    article = make_article(categories=[make_category()])
    make_faq(article)
    make_reference(article)
    data = admin_form_data(staff_client.get(change_url(article)))
    response = staff_client.post(change_url(article), data)
    assert response.status_code == 302
    assert article.faqs.count() == 1 and article.references.count() == 1


@pytest.mark.django_db
def test_image_without_alt_text_is_a_form_error_not_a_server_error(staff_client):
    data = admin_form_data(staff_client.get(ADD))
    data.update(
        title="With image",
        slug="with-image",
        summary="S.",
        body="B.",
        status=Article.Status.DRAFT,
        image=png_upload(),
        image_alt="",
    )
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert "image_alt" in response.context["adminform"].form.errors
    assert not Article.objects.filter(slug="with-image").exists()


@pytest.mark.django_db
def test_uploaded_article_image_is_reencoded_and_renamed(staff_client):
    data = admin_form_data(staff_client.get(ADD))
    data.update(
        title="With image",
        slug="with-image",
        summary="S.",
        body="B.",
        status=Article.Status.DRAFT,
        image=png_upload("Calm Room!.gif"),
        image_alt="An empty, sunlit room with a chair.",
    )
    assert staff_client.post(ADD, data).status_code == 302
    article = Article.objects.get(slug="with-image")
    # A random name (mhsite/images.py): nothing of the client's name is kept.
    assert re.fullmatch(r"articles/[0-9a-f]{32}\.png", article.image.name)
    with article.image.open() as stored, Image.open(stored) as image:
        assert image.format == "PNG"


@pytest.mark.django_db
def test_svg_disguised_as_article_image_is_refused(staff_client):
    data = admin_form_data(staff_client.get(ADD))
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    data.update(
        title="T",
        slug="t",
        summary="S.",
        body="B.",
        image=SimpleUploadedFile("x.png", svg, content_type="image/png"),
        image_alt="Alt",
    )
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    assert "image" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_relating_an_article_to_itself_is_a_form_error(staff_client):
    article = make_article()
    data = admin_form_data(staff_client.get(change_url(article)))
    add_rows(data, "related_links", [{"target": str(article.pk), "order": "0"}])
    response = staff_client.post(change_url(article), data)
    assert response.status_code == 200
    assert not article.related_links.exists()


@pytest.mark.django_db
def test_category_and_contributor_can_be_added(staff_client):
    response = staff_client.post(
        reverse("admin:articles_category_add"),
        {"name": "Anxiety", "slug": "anxiety", "description": ""},
    )
    assert response.status_code == 302
    assert Category.objects.filter(slug="anxiety").exists()

    add_contributor = reverse("admin:articles_contributor_add")
    data = admin_form_data(staff_client.get(add_contributor))
    data.update(name="Dr. Ada Example", slug="ada-example", credentials="MD", bio="Fictional.")
    data["photo"] = png_upload("ada.png")
    assert staff_client.post(add_contributor, data).status_code == 302
    contributor = Contributor.objects.get(slug="ada-example")
    assert contributor.photo.name.endswith(".png")


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


# Actions ---------------------------------------------------------------------


@pytest.mark.django_db
def test_publish_action_sets_status_and_published_at(staff_client):
    before = timezone.now()
    drafts = [make_article(status=Article.Status.DRAFT) for _ in range(2)]
    response = staff_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [a.pk for a in drafts]}
    )
    assert response.status_code == 302
    for article in drafts:
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert before <= article.published_at <= timezone.now()
    assert Article.objects.published().count() == 2


@pytest.mark.django_db
def test_publish_action_refuses_articles_that_break_publishing_rules(staff_client, settings):
    settings.REQUIRE_REVIEW_TO_PUBLISH = True
    unreviewed = make_article(status=Article.Status.DRAFT, last_reviewed=None)
    response = staff_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [unreviewed.pk]},
        follow=True,
    )
    unreviewed.refresh_from_db()
    assert unreviewed.status == Article.Status.DRAFT
    assert unreviewed.published_at is None
    assert "Not published" in response.content.decode()


@pytest.mark.django_db
def test_publish_action_is_offered_only_to_users_who_may_publish(client):
    from django.contrib.auth.models import Permission

    writer = make_staff_user("writer", superuser=False)
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    client.force_login(writer)
    assert "publish" not in offered_actions(client.get(CHANGELIST))
    writer.user_permissions.add(Permission.objects.get(codename="publish_article"))
    assert "publish" in offered_actions(client.get(CHANGELIST))


@pytest.mark.django_db
def test_mark_reviewed_today_records_a_review_signed_by_the_user(staff_client, settings):
    settings.REVIEW_INTERVAL_MONTHS = 12
    today = timezone.localdate()
    # Recording reviews takes the Medical reviewer role, even for a superuser.
    staff_client.user.groups.add(Group.objects.get(name="Medical reviewer"))
    me = make_contributor(user=staff_client.user, credentials="MD, psychiatrist")
    stale = make_article(
        last_reviewed=today - datetime.timedelta(days=500),
        next_review_due=today - datetime.timedelta(days=100),
    )
    never = make_article(reviewer=None, last_reviewed=None)
    response = staff_client.post(
        CHANGELIST,
        {"action": "mark_reviewed_today", "_selected_action": [stale.pk, never.pk]},
    )
    assert response.status_code == 302
    for article in (stale, never):
        article.refresh_from_db()
        assert article.last_reviewed == today
        assert article.next_review_due == add_months(today, 12)
        assert article.reviewer == me
        assert article.review_state() == "current"


@pytest.mark.django_db
def test_mark_reviewed_today_needs_a_reviewer_profile(staff_client):
    staff_client.user.groups.add(Group.objects.get(name="Medical reviewer"))
    today = timezone.localdate()
    stale = make_article(
        last_reviewed=today - datetime.timedelta(days=500),
        next_review_due=today - datetime.timedelta(days=100),
    )
    response = staff_client.post(
        CHANGELIST, {"action": "mark_reviewed_today", "_selected_action": [stale.pk]}, follow=True
    )
    stale.refresh_from_db()
    assert stale.last_reviewed == today - datetime.timedelta(days=500)
    assert "contributor profile" in response.content.decode()


# View on site and query budget -----------------------------------------------


@pytest.mark.django_db
def test_view_on_site_previews_drafts_for_staff(staff_client, client):
    draft = make_article(status=Article.Status.DRAFT)
    shortcut = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, draft.pk]
    )
    assert shortcut in staff_client.get(change_url(draft)).content.decode()
    response = staff_client.get(shortcut)
    assert response.status_code == 302
    assert response["Location"].endswith(draft.get_absolute_url())
    assert staff_client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_changelist_query_count_does_not_grow_with_articles(
    staff_client, django_assert_num_queries
):
    category = make_category()
    make_article(categories=[category])
    staff_client.get(CHANGELIST)  # warm up the session and content types
    with CaptureQueriesContext(connection) as one_article:
        assert staff_client.get(CHANGELIST).status_code == 200
    one_article_queries = len(one_article.captured_queries)
    for _ in range(29):
        make_article(categories=[category])
    staff_client.get(CHANGELIST)  # stores the new articles' check results
    with django_assert_num_queries(one_article_queries):
        response = staff_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 30
