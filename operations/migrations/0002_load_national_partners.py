"""The hub's national partners: VNG's domains, Cedris, Divosa and the ministry of SZW."""

from django.db import migrations

PARTNERS = [
    "VNG – domein Werk en Inkomen",
    "VNG – domein Sociaal Domein",
    "Cedris",
    "Divosa",
    "Ministerie van SZW",
]


def load(apps, schema_editor):
    NationalPartner = apps.get_model("operations", "NationalPartner")
    for name in PARTNERS:
        NationalPartner.objects.get_or_create(name=name)


def unload(apps, schema_editor):
    apps.get_model("operations", "NationalPartner").objects.filter(name__in=PARTNERS).delete()


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
