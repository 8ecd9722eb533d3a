"""The result cards built in Python (articles/search/cards.py): links and escaping as before."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from articles.search.cards import highlighted, slug_url


@pytest.mark.parametrize("view_name", ["articles:detail", "articles:category"])
@pytest.mark.parametrize("prefix", ["/", "/mhsite/"])
def test_links_equal_what_reverse_gives_under_any_script_prefix(view_name, prefix):
    try:
        set_script_prefix(prefix)
        for slug in ["a", "sleep-and-mood", "x_1", "Caps-9"]:
            assert slug_url(view_name, slug) == reverse(view_name, kwargs={"slug": slug})
        for slug in ["with space", "a/b"]:  # not a slug: reverse() decides, and refuses
            with pytest.raises(NoReverseMatch):
                slug_url(view_name, slug)
    finally:
        set_script_prefix("/")


def test_snippets_are_escaped_before_the_matches_are_marked():
    html = highlighted('<b onclick="x">\x02sleep\x03</b> & \x02rest')
    assert html == "&lt;b onclick=&quot;x&quot;&gt;<mark>sleep</mark>&lt;/b&gt; &amp; rest"
