"""The admin pages for synonyms, crisis terms and the zero-result report."""

import pytest
from django.urls import reverse

from articles.search.models import CrisisTerm, SearchSynonym, ZeroResultQuery

pytestmark = pytest.mark.django_db


def test_editors_manage_synonyms_and_crisis_terms(staff_client):
    for name in ["searchsynonym", "crisisterm"]:
        response = staff_client.get(reverse(f"admin:articles_{name}_changelist"))
        assert response.status_code == 200
    assert (
        "Klonopin, Rivotril, clonazepam"
        in staff_client.get(
            reverse("admin:articles_searchsynonym_changelist"), {"q": "klonopin"}
        ).content.decode()
    )
    response = staff_client.post(
        reverse("admin:articles_searchsynonym_add"), {"terms": "Fooxine", "kind": "medication"}
    )
    assert response.status_code == 200
    assert "Give at least two different words or phrases." in response.content.decode()
    staff_client.post(reverse("admin:articles_crisisterm_add"), {"phrase": "  no way   out "})
    assert CrisisTerm.objects.filter(phrase="no way out").exists()


def test_the_zero_result_report_cannot_be_written_through_the_admin(staff_client):
    response = staff_client.post(
        reverse("admin:articles_zeroresultquery_add"),
        {"query": "planted", "week": "2026-11-30", "count": "99"},
    )
    assert response.status_code == 403
    assert not ZeroResultQuery.objects.exists()
    assert not SearchSynonym.objects.filter(terms="Fooxine").exists()
