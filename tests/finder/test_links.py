"""Links into the finder from the rest of the site: the article page's call to action."""

from django.template import Context, Template

from articles.models import Category
from tests.article_pages import ARTICLE_PAGE_BUILD_QUERIES
from tests.factories import make_article, make_category
from tests.finder.conftest import FINDER, first_names
from therapists.models import Specialty


def test_article_call_to_action_links_to_the_finder_filtered_by_mapped_specialties(
    client, directory
):
    worry = make_category(name="Worry", slug="worry")
    article = make_article(categories=[worry])
    directory["terms"]["anxiety"].article_categories.add(worry)
    directory["terms"]["trauma"].article_categories.add(worry)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"{FINDER}?specialty=anxiety&amp;specialty=trauma" in page
    filtered = client.get(f"{FINDER}?specialty=anxiety&specialty=trauma")
    assert first_names(filtered) == {"juniper", "sky", "morgan", "casey"}


def test_finder_link_without_annotated_categories_looks_the_specialties_up_once(
    directory, django_assert_num_queries
):
    worry, sleep, empty = (
        make_category(name=n, slug=n.lower()) for n in ("Worry", "Sleep", "None")
    )
    directory["terms"]["anxiety"].article_categories.add(worry, sleep)
    directory["terms"]["trauma"].article_categories.add(worry)
    categories = list(Category.objects.filter(pk__in=[worry.pk, sleep.pk, empty.pk]))
    template = Template("{% load finder_tags %}{% finder_url_for categories %}")
    with django_assert_num_queries(1):
        url = template.render(Context({"categories": categories}))
    assert url == f"{FINDER}?specialty=anxiety&amp;specialty=trauma"
    with django_assert_num_queries(0):
        assert template.render(Context({"categories": []})) == FINDER
    assert list(Specialty.objects.for_categories([sleep, empty])) == [directory["terms"]["anxiety"]]


def test_the_article_page_reads_the_finder_links_specialties_with_its_categories(
    client, directory, django_assert_num_queries
):
    worry = make_category(name="Worry", slug="worry")
    directory["terms"]["trauma"].article_categories.add(worry)
    article = make_article(categories=[worry])
    client.get(f"{FINDER}?location=warm-up")  # the page cache's per-generation lookup
    with django_assert_num_queries(ARTICLE_PAGE_BUILD_QUERIES):
        page = client.get(article.get_absolute_url()).content.decode()
    assert f"{FINDER}?specialty=trauma" in page


def test_the_call_to_action_offers_entries_by_background_keeping_the_topic(client, directory):
    worry = make_category(name="Worry", slug="worry")
    directory["terms"]["anxiety"].article_categories.add(worry)
    page = client.get(make_article(categories=[worry]).get_absolute_url()).content.decode()
    topic = f"{FINDER}?specialty=anxiety"
    for group, text in [
        ("language", "Speaks your language"),
        ("community", "Works with your community"),
        ("faith", "Works with your faith"),
        ("identity", "Shares your identity"),
    ]:
        assert f'<a href="{topic}#group-{group}">{text}</a>' in page
        # The fragment names the finder's group of that filter.
        assert f'id="group-{group}"' in client.get(topic).content.decode()
    unmapped = client.get(make_article().get_absolute_url()).content.decode()
    assert f'<a href="{FINDER}#group-language">Speaks your language</a>' in unmapped
