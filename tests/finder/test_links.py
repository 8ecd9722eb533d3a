"""Links into the finder from the rest of the site: the article page's call to action."""

from tests.factories import make_article, make_category
from tests.finder.conftest import FINDER, first_names


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
