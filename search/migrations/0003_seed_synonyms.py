"""A first synonym list for the product library; the Coördinator edits it in the admin."""

from django.db import migrations

SEED = [
    ("SOB, sociaal ontwikkelbedrijf, SW-bedrijf", "Dezelfde organisatie onder oude en nieuwe naam."),
    ("beschut werk, beschutte werkplek, beschutte werkplekken", "Participatiewet, artikel 10b."),
    ("jobcoach, jobcoaching, werkbegeleider", "Begeleiding op de werkplek."),
    ("Wsw, Wet sociale werkvoorziening", "Afkorting en voluit."),
    ("LKS, loonkostensubsidie", "Afkorting en voluit."),
]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("hubsearch", "SearchSynonym")
    for terms, note in SEED:
        SearchSynonym.objects.get_or_create(terms=terms, defaults={"note": note})


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("hubsearch", "SearchSynonym")
    SearchSynonym.objects.filter(terms__in=[terms for terms, _ in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0002_fulltext_structures")]

    operations = [migrations.RunPython(seed, unseed)]
