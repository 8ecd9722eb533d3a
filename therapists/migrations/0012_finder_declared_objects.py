"""Declare the finder's count tables to Django's model state (no database change).

``therapists_finder_pair`` (migration 0009) and ``therapists_finder_word_pair``
(migration 0011) are created, kept exact and dropped by those migrations'
PostgreSQL-only SQL; these unmanaged models let code and tests read them
through the ORM. Unmanaged: Django never creates, alters or drops them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("therapists", "0011_finder_word_pair_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="FinderPair",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "a", "b", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("a", models.BigIntegerField()),
                ("b", models.BigIntegerField()),
                ("listings", models.IntegerField()),
            ],
            options={
                "verbose_name": "finder code pair count",
                "db_table": "therapists_finder_pair",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="FinderWordPair",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "word",
                        "code",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("word", models.TextField()),
                ("code", models.BigIntegerField()),
                ("listings", models.IntegerField()),
            ],
            options={
                "verbose_name": "finder word/code count",
                "db_table": "therapists_finder_word_pair",
                "managed": False,
            },
        ),
    ]
