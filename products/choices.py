"""The hub's fixed vocabularies: product types, lifecycle stages, statuses and download kinds."""

import re

from django.db import models


class ProductType(models.TextChoices):
    SCAN = "scan", "Scan"
    FORMAT = "format", "Format"
    WERKVORM = "werkvorm", "Werkvorm"
    INSTRUMENT = "instrument", "Instrument"
    ONTWIKKELMODULE = "ontwikkelmodule", "Ontwikkelmodule"
    TRAINING = "training", "Training"
    HANDREIKING = "handreiking", "Handreiking"


class LifecycleStatus(models.TextChoices):
    IDEE = "idee", "Idee"
    IN_ONTWIKKELING = "in_ontwikkeling", "In ontwikkeling"
    PILOT = "pilot", "Pilot"
    BESCHIKBAAR = "beschikbaar", "Beschikbaar"
    UITGEFASEERD = "uitgefaseerd", "Uitgefaseerd"


class DevelopmentLineStatus(models.TextChoices):
    GEPLAND = "gepland", "Gepland"
    IN_ONTWIKKELING = "in_ontwikkeling", "In ontwikkeling"
    OPGELEVERD = "opgeleverd", "Opgeleverd"
    LANDELIJK_TOEGEPAST = "landelijk_toegepast", "Landelijk toegepast"


class MilestoneStatus(models.TextChoices):
    GEPLAND = "gepland", "Gepland"
    LOPEND = "lopend", "Lopend"
    GEREED = "gereed", "Gereed"
    VERTRAAGD = "vertraagd", "Vertraagd"


class PriorityStatus(models.TextChoices):
    GEPLAND = "gepland", "Gepland"
    LOPEND = "lopend", "Lopend"
    GEREED = "gereed", "Gereed"
    VERTRAAGD = "vertraagd", "Vertraagd"
    GESTOPT = "gestopt", "Gestopt"


class DownloadKind(models.TextChoices):
    HANDLEIDING = "handleiding", "Handleiding"
    FORMAT = "format", "Format"
    WERKBLAD = "werkblad", "Werkblad"
    PRESENTATIE = "presentatie", "Presentatie"
    OVERIG = "overig", "Overig"


# The werkblad sections of a product, in the order the databanks of Movisie and NJi use.
WERKBLAD_SECTIONS: list[tuple[str, str]] = [
    ("aanleiding", "Aanleiding"),
    ("doel", "Doel"),
    ("doelgroep", "Doelgroep"),
    ("aanpak", "Aanpak"),
    ("randvoorwaarden", "Randvoorwaarden"),
    ("uitvoering", "Uitvoering"),
    ("onderbouwing", "Onderbouwing"),
    ("resultaten", "Resultaten en evaluatie"),
    ("overdraagbaarheid", "Overdraagbaarheid"),
]

QUARTER_PATTERN = re.compile(r"^(20\d\d)-Q([1-4])$")
