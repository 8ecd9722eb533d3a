"""The article page tests' clients and site address; the page cache off, so views are measured."""

import pytest
from django.test import Client

from tests.article_pages import SITE


@pytest.fixture
def anonymous_client():
    # A client of its own: the staff_client fixture logs in the shared ``client``.
    return Client()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    # Measure the views themselves, not the anonymous page cache in front of them.
    settings.PAGE_CACHE_SECONDS = 0
