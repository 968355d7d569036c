"""The vocabularies of the hub's operations: pilot phases and outcomes, roles, signal statuses."""

from django.db import models


class PilotPhase(models.TextChoices):
    GEPLAND = "gepland", "Gepland"
    LOPEND = "lopend", "Lopend"
    GEEVALUEERD = "geevalueerd", "Geëvalueerd"


class PilotOutcome(models.TextChoices):
    POSITIEF = "positief", "Positief"
    BIJSTELLEN = "bijstellen", "Bijstellen"
    STOPPEN = "stoppen", "Stoppen"


class CertificationRole(models.TextChoices):
    UITVOERDER = "uitvoerder", "Uitvoerder"
    TRAINER = "trainer", "Trainer"


class OrganisationKind(models.TextChoices):
    REGIONAAL_ADVISEUR = "regionaal_adviseur", "Regionaal adviseur"
    SOB = "sob", "SOB (sociaal ontwikkelbedrijf)"
    GEMEENTE = "gemeente", "Gemeente"
    PARTNER = "partner", "Landelijke partner"


class SignalStatus(models.TextChoices):
    NIEUW = "nieuw", "Nieuw"
    IN_ANALYSE = "in_analyse", "In analyse"
    VERWERKT = "verwerkt", "Verwerkt"
    AFGEWEZEN = "afgewezen", "Afgewezen"


# A signal is decided once it is processed into the hub's work or turned down.
DECIDED_SIGNAL_STATUSES = (SignalStatus.VERWERKT, SignalStatus.AFGEWEZEN)

# The hub's target for its train-the-trainer structure (DESIGN.md).
SPECIALIST_TARGET_MIN = 10
SPECIALIST_TARGET_MAX = 20

# A product counts as applied nationally once this many arbeidsmarktregio's apply it.
NATIONAL_REGION_THRESHOLD = 5
