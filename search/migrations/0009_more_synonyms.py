"""More abbreviations and names for the synonym list (the Coördinator edits it in the admin)."""

from django.db import migrations

SEED = [
    ("sociaal werkbedrijf, SOB, sociaal ontwikkelbedrijf, SW-bedrijf", "De oude naam van het SOB."),
    ("GR, gemeenschappelijke regeling", "Afkorting en voluit."),
    ("DVO, dienstverleningsovereenkomst", "Afkorting en voluit."),
    ("WSP, werkgeversservicepunt", "Afkorting en voluit."),
]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("hubsearch", "SearchSynonym")
    for terms, note in SEED:
        SearchSynonym.objects.get_or_create(terms=terms, defaults={"note": note})


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("hubsearch", "SearchSynonym")
    SearchSynonym.objects.filter(terms__in=[terms for terms, _ in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("hubsearch", "0008_plain_engine")]

    operations = [migrations.RunPython(seed, unseed)]
