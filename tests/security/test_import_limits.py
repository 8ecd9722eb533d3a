"""Issue 9, finding 7: imports refuse oversized files before reading them.

Replayed: a 104 MB ``.md`` imported (1.56 GB of memory) and then the article
changelist timed out. The file's size is checked before a byte is read, and
the body and FAQ answers are held to the same limits as in the admin.
"""

from pathlib import Path

import pytest

from articles.importing import MAX_ARTICLE_FILE_BYTES, ArticleImporter
from articles.models import Article
from mhsite.markdown import ARTICLE_BODY_MAX_CHARS, FAQ_ANSWER_MAX_CHARS

pytestmark = pytest.mark.django_db

HEAD = "---\ntitle: Oversized\nslug: oversized\n---\n"


def test_file_over_the_size_limit_is_refused_without_being_read(tmp_path, monkeypatch):
    big = tmp_path / "big.md"
    with big.open("wb") as handle:  # sparse: no need to write the bytes
        handle.write(HEAD.encode())
        handle.truncate(MAX_ARTICLE_FILE_BYTES + 1)
    read = []
    real_read_bytes = Path.read_bytes

    def spy(self):
        read.append(self)
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    report = ArticleImporter().import_paths([big])

    [result] = report.results
    assert read == []
    assert f"{MAX_ARTICLE_FILE_BYTES + 1:,} bytes" in result.error
    assert f"at most {MAX_ARTICLE_FILE_BYTES:,} bytes" in result.error
    assert not Article.objects.exists()


def test_body_over_the_character_limit_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "long.md"
    path.write_text(HEAD + "word " * (ARTICLE_BODY_MAX_CHARS // 5 + 1), encoding="utf-8")
    assert path.stat().st_size <= MAX_ARTICLE_FILE_BYTES
    [result] = ArticleImporter().import_paths([path]).results
    assert result.error.startswith("body: ")
    assert f"the limit is {ARTICLE_BODY_MAX_CHARS:,}" in result.error
    assert not Article.objects.exists()


def test_faq_answer_over_its_limit_is_refused(tmp_path):
    path = tmp_path / "faq.md"
    answer = "a" * (FAQ_ANSWER_MAX_CHARS + 1)
    path.write_text(HEAD + f"Body.\n\n## FAQs\n\n### Why?\n\n{answer}\n", encoding="utf-8")
    [result] = ArticleImporter().import_paths([path]).results
    assert result.error and "FAQ 'Why?'" in result.error
    assert not Article.objects.exists()


def test_a_file_within_the_limits_imports(tmp_path):
    path = tmp_path / "ok.md"
    path.write_text(HEAD + "word " * (ARTICLE_BODY_MAX_CHARS // 5 - 10), encoding="utf-8")
    [result] = ArticleImporter().import_paths([path]).results
    assert not result.error, result.error
    assert Article.objects.get(slug="oversized").body.startswith("word word")
