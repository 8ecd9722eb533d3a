"""The finder's PostgreSQL-only count tables, declared as unmanaged models.

Migrations 0009 and 0011 create them (with the triggers that keep them exact
and the ``therapists_finder_codes`` function); Django only reads them. Declared
so that code and tests reach them through the ORM or ``_meta.db_table``
rather than name strings. They do not exist on SQLite.
"""

from django.db import models


class FinderPair(models.Model):
    """How many listed listings have both code ``a`` and code ``b`` (codes.py numbers them)."""

    pk = models.CompositePrimaryKey("a", "b")
    a = models.BigIntegerField()
    b = models.BigIntegerField()
    listings = models.IntegerField()

    class Meta:
        managed = False
        db_table = "therapists_finder_pair"
        verbose_name = "finder code pair count"

    def __str__(self):
        return f"{self.a} & {self.b}: {self.listings}"


class FinderWordPair(models.Model):
    """How many listed listings have both the search-vector lexeme ``word`` and ``code``."""

    pk = models.CompositePrimaryKey("word", "code")
    word = models.TextField()
    code = models.BigIntegerField()
    listings = models.IntegerField()

    class Meta:
        managed = False
        db_table = "therapists_finder_word_pair"
        verbose_name = "finder word/code count"

    def __str__(self):
        return f"{self.word} & {self.code}: {self.listings}"
