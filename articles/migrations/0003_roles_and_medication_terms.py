"""Create the editorial role groups and seed the editable medication list."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from articles.roles import sync_groups

# Common psychiatric medications (generic and a few brand names). Editors
# maintain the list in the admin; this is only a starting point.
MEDICATION_TERMS = [
    "Abilify", "Adderall", "agomelatine", "alprazolam", "amitriptyline", "amphetamine",
    "aripiprazole", "atomoxetine", "Ativan", "brexpiprazole", "buprenorphine", "bupropion",
    "buspirone", "carbamazepine", "cariprazine", "Celexa", "chlordiazepoxide", "chlorpromazine",
    "citalopram", "clomipramine", "clonazepam", "clonidine", "clozapine", "Cymbalta",
    "desvenlafaxine", "dexamfetamine", "diazepam", "disulfiram", "divalproex", "duloxetine",
    "Effexor", "escitalopram", "esketamine", "fluoxetine", "fluvoxamine", "gabapentin",
    "guanfacine", "haloperidol", "hydroxyzine", "imipramine", "ketamine", "Klonopin",
    "lamotrigine", "Lexapro", "lisdexamfetamine", "lithium", "lorazepam", "lurasidone",
    "melatonin", "methylphenidate", "mirtazapine", "naltrexone", "nortriptyline", "olanzapine",
    "paliperidone", "paroxetine", "Paxil", "pregabalin", "propranolol", "Prozac", "quetiapine",
    "Ritalin", "risperidone", "Seroquel", "sertraline", "temazepam", "topiramate", "trazodone",
    "valproate", "venlafaxine", "vilazodone", "vortioxetine", "Wellbutrin", "Xanax",
    "ziprasidone", "zolpidem", "Zoloft", "zopiclone",
]  # fmt: skip


def create_roles(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; create
    # them now so the groups can be given them in this same migration.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps)


def seed_medication_terms(apps, schema_editor):
    medication_term = apps.get_model("articles", "MedicationTerm")
    existing = {name.lower() for name in medication_term.objects.values_list("name", flat=True)}
    medication_term.objects.bulk_create(
        medication_term(name=name) for name in MEDICATION_TERMS if name.lower() not in existing
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_review_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("therapists", "0002_therapist_search_vector"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(seed_medication_terms, migrations.RunPython.noop),
    ]
