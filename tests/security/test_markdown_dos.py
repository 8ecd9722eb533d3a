"""Issue 9, finding 1: Markdown rendering must not be a denial of service.

Replayed: ``"[" * 20000`` posted to the preview by staff held a worker for the
30 s timeout, and saving it as an article lost the edit; 50k headings and 20k
abbreviation definitions hit the timeout too. The budget is 1 s per render on
the production machines (2 cores); each corpus input, at the size limit, must
stay under half of it. CPU time of this process is measured (best of up to
three), so other work on a shared machine does not make the test flaky, yet
a quadratic renderer (seconds to hours per input) still fails it. The shared
VM's own speed moves too (the heading floods took 0.21-0.28 s in docs/markdown.md
and 0.39-0.65 s on 2026-12-03 at night): between half the budget and the
whole of it, a render passes only if it scales linearly, taking less than
three times as long as the first half of the same input.
"""

import threading
import time
import urllib.request

import pytest
from django.urls import reverse

from articles.models import Article
from mhsite.markdown import (
    ARTICLE_BODY_MAX_CHARS,
    render_article_body,
    render_markdown,
)
from tests.factories import make_article, make_staff_user
from tests.security.markdown_corpus import corpus

BUDGET_SECONDS = 1.0
MARGIN = 0.5
CORPUS = corpus(ARTICLE_BODY_MAX_CHARS)
MARKDOWNIFY = reverse("markdownx_markdownify")


def cpu_seconds(function, *args, under: float) -> float:
    """CPU time of one call; measured up to three times, the least kept.

    On a crowded machine even CPU time swells (shared caches and cores), so
    a measurement over the limit is repeated; a renderer that is really slow
    is slow every time.
    """
    best = float("inf")
    for _attempt in range(3):
        start = time.process_time()
        function(*args)
        best = min(best, time.process_time() - start)
        if best < under:
            break
    return best


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_input_at_the_size_limit_renders_within_half_the_budget(name):
    text = CORPUS[name]
    assert len(text) == ARTICLE_BODY_MAX_CHARS
    seconds = cpu_seconds(render_article_body, text, under=BUDGET_SECONDS * MARGIN)
    if seconds < BUDGET_SECONDS * MARGIN:
        return
    assert seconds < BUDGET_SECONDS, f"{name}: {seconds:.3f} s"
    half = cpu_seconds(render_article_body, text[: len(text) // 2], under=0)
    # Linear doubles the time from half the input; quadratic quadruples it.
    assert seconds < 3 * half, f"{name}: {seconds:.3f} s, its first half {half:.3f} s"


def test_the_reported_inputs_render_as_text_not_errors():
    assert render_markdown("[" * 20000) == "<p>" + "[" * 20000 + "</p>"
    headings = render_article_body("## h\n" * 40000)
    assert len(headings.toc) == 40000
    assert headings.toc[-1]["id"] == "h_39999"


@pytest.mark.django_db
def test_preview_of_twenty_thousand_brackets_answers_quickly(client):
    client.force_login(make_staff_user())
    start = time.perf_counter()
    response = client.post(MARKDOWNIFY, {"content": "[" * 20000})
    assert response.status_code == 200
    assert time.perf_counter() - start < BUDGET_SECONDS
    assert response.content.decode().count("[") == 20000


@pytest.mark.django_db
def test_preview_over_the_body_limit_explains_instead_of_rendering(client):
    client.force_login(make_staff_user())
    response = client.post(MARKDOWNIFY, {"content": "*a* " * (ARTICLE_BODY_MAX_CHARS // 4 + 1)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No preview." in html and f"the limit is {ARTICLE_BODY_MAX_CHARS:,}" in html
    assert "<em>" not in html


def _post_preview(url: str, cookies: str, token: str, results: list, index: int) -> None:
    request = urllib.request.Request(
        url,
        data=b"content=" + b"%5B" * 20000,
        headers={
            "Cookie": cookies,
            "X-CSRFToken": token,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        results[index] = (response.status, time.perf_counter() - start)


@pytest.mark.django_db(transaction=True)
def test_five_concurrent_previews_do_not_stall_the_site(live_server, client):
    """The attack as it was run: five staff previews at once, then /healthz."""
    client.force_login(make_staff_user())
    token = "a" * 32
    cookies = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    results: list = [None] * 5
    threads = [
        threading.Thread(
            target=_post_preview,
            args=(live_server.url + MARKDOWNIFY, cookies, token, results, index),
        )
        for index in range(5)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with urllib.request.urlopen(live_server.url + "/healthz", timeout=10) as health:
        assert health.status == 200
    elapsed = time.perf_counter() - start
    assert [status for status, _seconds in results] == [200] * 5
    # Before the fix each of these took the whole 30 s worker timeout.
    assert elapsed < 5 * BUDGET_SECONDS, results


@pytest.mark.django_db
def test_saving_an_article_with_the_attack_body_works():
    article = make_article(body="[" * 20000)
    assert Article.objects.get(pk=article.pk).body_html.count("[") == 20000
