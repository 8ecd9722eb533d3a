"""An article in a category, shown on the cached article pages."""

import pytest

from tests.factories import make_article, make_category


@pytest.fixture
def article():
    category = make_category(name="Sleep")
    return make_article(title="Sleeping well", categories=[category])
