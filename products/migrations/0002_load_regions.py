"""Load the 35 arbeidsmarktregio's (indeling sinds 2021) with their centrumgemeente."""

from django.db import migrations
from django.utils.text import slugify

REGIONS = [
    ("Achterhoek", "Doetinchem"),
    ("Amersfoort", "Amersfoort"),
    ("Drechtsteden", "Dordrecht"),
    ("Drenthe", "Emmen"),
    ("Flevoland", "Almere"),
    ("Food Valley", "Ede"),
    ("Friesland", "Leeuwarden"),
    ("Gooi en Vechtstreek", "Hilversum"),
    ("Gorinchem", "Gorinchem"),
    ("Groningen", "Groningen"),
    ("Groot Amsterdam", "Amsterdam"),
    ("Haaglanden", "Den Haag"),
    ("Helmond-De Peel", "Helmond"),
    ("Holland Rijnland", "Leiden"),
    ("Midden-Brabant", "Tilburg"),
    ("Midden-Gelderland", "Arnhem"),
    ("Midden-Holland", "Gouda"),
    ("Midden-Limburg", "Roermond"),
    ("Midden-Utrecht", "Utrecht"),
    ("Noord-Holland Noord", "Alkmaar"),
    ("Noord-Limburg", "Venlo"),
    ("Noordoost-Brabant", "'s-Hertogenbosch"),
    ("Regio Zwolle", "Zwolle"),
    ("Rijk van Nijmegen", "Nijmegen"),
    ("Rijnmond", "Rotterdam"),
    ("Rivierenland", "Tiel"),
    ("Stedendriehoek en Noordwest Veluwe", "Apeldoorn"),
    ("Twente", "Enschede"),
    ("West-Brabant", "Breda"),
    ("Zaanstreek/Waterland", "Zaanstad"),
    ("Zeeland", "Middelburg"),
    ("Zuid-Holland Centraal", "Zoetermeer"),
    ("Zuid-Kennemerland en IJmond", "Haarlem"),
    ("Zuid-Limburg", "Heerlen"),
    ("Zuidoost-Brabant", "Eindhoven"),
]


def load_regions(apps, schema_editor):
    Region = apps.get_model("content", "Region")
    for name, centre in REGIONS:
        Region.objects.update_or_create(
            code=slugify(name.replace("/", " ")),
            defaults={"name": name, "central_municipality": centre},
        )


def unload_regions(apps, schema_editor):
    Region = apps.get_model("content", "Region")
    Region.objects.filter(code__in=[slugify(n.replace("/", " ")) for n, _ in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(load_regions, unload_regions)]
